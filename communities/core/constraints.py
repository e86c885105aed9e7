"""A model's check constraints validated in one query, wherever a row is validated.

Django validates each ``CheckConstraint`` with a query of its own (``Q.check``), wrapped in a
savepoint inside a transaction: three statements for each constraint of each row. An import of
1,000 communities (four check constraints) ran 12,000 of them before it saved anything.
``validate_constraints`` asks the same questions of the database in one statement: every check
of the model is a column of one ``SELECT``, its values bound as Django binds them. The answers
and the messages are Django's: a check that names a field left out (``exclude``) is skipped, a
NULL condition passes where Django's passes (PostgreSQL) and fails where Django's fails (SQLite),
and should the database refuse the statement the checks go one by one through Django's own
path, which handles that failure as it always has. Unique constraints go through Django's path
unchanged.

The statement is compiled once for each shape of row and kept: which fields are bound (``exclude``
leaves some out) and which of them are NULL (compiled as a literal NULL, as Django compiles
it). Each field's value is a placeholder whose parameter is the value as Django prepares it
(``get_db_prep_value``), filled in for each row. Building and compiling the query had been nine
tenths of the cost of a row's checks. A value that is itself an expression (an ``F()`` set on
the instance, a generated field) is compiled for its row alone, as before.

Every model with a check constraint takes ``CheckedInOneQuery`` (a test finds any that does
not), so the admin's forms, the API's serializers, the imports and the services all validate
through it: ``full_clean`` asks the model's ``validate_constraints``.
"""

from contextlib import nullcontext
from dataclasses import dataclass
from functools import cache

from django.core.exceptions import FieldError, ValidationError
from django.db import DatabaseError, connections, router, transaction
from django.db.models import BooleanField, Case, CheckConstraint, Q, Value, When
from django.db.models.functions import Coalesce
from django.db.models.sql import Query

# The shapes of rows kept; past this many (never met: a few per model) they are forgotten.
KEPT = 2_000


class CheckedInOneQuery:
    """A model mixin: ``validate_constraints`` asks all of a row's check constraints at once."""

    def validate_constraints(self, exclude=None) -> None:
        validate_constraints(self, exclude=exclude)


def validate_constraints(instance, exclude=None) -> None:
    """``instance.validate_constraints(exclude)``, with the check constraints of each model
    class answered by one query: the same errors, raised the same way."""
    using = router.db_for_write(type(instance), instance=instance)
    errors: dict = {}
    for model_class, constraints in instance.get_constraints():
        answers = _answers(instance, model_class, constraints, exclude, using)
        for constraint in constraints:
            try:
                if id(constraint) in answers:
                    if not answers[id(constraint)]:
                        raise ValidationError(
                            constraint.get_violation_error_message(),
                            code=constraint.violation_error_code,
                        )
                else:
                    constraint.validate(model_class, instance, exclude=exclude, using=using)
            except ValidationError as error:
                if getattr(error, "code", None) == "unique" and len(constraint.fields) == 1:
                    errors.setdefault(constraint.fields[0], []).append(error)
                else:
                    errors = error.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)


@dataclass(frozen=True)
class _Placeholder:
    """Where a field's value goes among a compiled statement's parameters."""

    name: str


@dataclass(frozen=True)
class _Statement:
    sql: str
    params: tuple
    asked: tuple[CheckConstraint, ...]

    def bind(self, values: dict) -> list:
        return [
            values[param.name] if isinstance(param, _Placeholder) else param
            for param in self.params
        ]


class _Bound(Value):
    """A field's value compiled as a placeholder (Value's SQL, its parameter left open)."""

    def __init__(self, name: str, output_field, compiled: list):
        super().__init__(name, output_field=output_field)
        self.compiled = compiled

    def as_sql(self, compiler, connection):
        connection.ops.check_expression_support(self)
        self.compiled.append(self.value)
        return "%s", [_Placeholder(self.value)]


_statements: dict[tuple, _Statement] = {}


def _answers(instance, model_class, constraints, exclude, using) -> dict[int, bool]:
    """Whether each check constraint of ``model_class`` holds, by ``id`` of the constraint;
    a check left out is asked through Django's path (``Constraint.validate``)."""
    checks = tuple(c for c in constraints if isinstance(c, CheckConstraint))
    if not checks:
        return {}
    connection = connections[using]
    # The values as Q.check binds them, the row's own, never read from a table; only those the
    # checks name (Q.check binds every field: resolving them was most of its cost).
    against = instance._get_field_expression_map(meta=model_class._meta, exclude=exclude)
    bound = {name: against[name] for name in _named_fields(model_class) if name in against}
    prepared = _prepared(bound, connection)
    if prepared is None:
        statement = _compile(bound, checks, using)
        params = list(statement.params)
    else:
        values, shape = prepared
        key = (model_class, using, connection.vendor, shape)
        statement = _statements.get(key)
        if statement is None:
            statement = _compile(bound, checks, using, values=values)
            if statement is None:
                statement = _compile(bound, checks, using)
            else:
                if len(_statements) >= KEPT:
                    _statements.clear()
                _statements[key] = statement
        params = statement.bind(values)
    if not statement.asked:
        return {}
    atomic = transaction.atomic(using=using) if connection.in_atomic_block else nullcontext()
    try:
        with atomic, connection.cursor() as cursor:
            cursor.execute(statement.sql, params)
            row = cursor.fetchone()
    except DatabaseError:
        return {}  # each check again through Django's path, which logs and lets it pass
    return {id(check): bool(value) for check, value in zip(statement.asked, row, strict=True)}


def _prepared(bound: dict, connection) -> tuple[dict, tuple] | None:
    """Each bound value as Django's ``Value`` would send it to the database, and the row's
    shape; None when one of them is an expression of its own (compiled for that row alone).

    A NULL in either form is no placeholder: a value that is NULL once prepared is compiled as
    a literal NULL, and one that is NULL as it stands decides an ``isnull`` lookup at compile
    time; both are compiled as Django compiles them, and the shape tells them apart."""
    values, shape = {}, []
    for name, value in bound.items():
        field = getattr(value, "_output_field_or_none", None)
        if type(value) is not Value or field is None or hasattr(field, "get_placeholder"):
            return None
        null = value.value is None or (
            value.value == "" and connection.features.interprets_empty_strings_as_nulls
        )
        prepared = field.get_db_prep_value(value.value, connection=connection)
        values[name] = None if null or prepared is None else prepared
        shape.append((name, null, prepared is None))
    return values, tuple(shape)


def _compile(bound: dict, checks, using, values: dict | None = None) -> _Statement | None:
    """The statement asking ``checks`` of the ``bound`` values. With ``values``, each value
    that is not NULL is a placeholder to fill for any row of the same shape; None if the
    placeholders did not come out of the compiler as they went in."""
    connection = connections[using]
    query = Query(None)
    compiled: list[str] = []
    for name, value in bound.items():
        if values is not None and values[name] is not None:
            value = _Bound(name, value.output_field, compiled)
        query.add_annotation(value, name, select=False)
    asked = []
    for number, check in enumerate(checks):
        condition = Q(check.condition)
        if connection.features.supports_comparing_boolean_expr:
            # Q.check's own WHERE: a condition that is NULL (unknown) holds, as in SQL.
            condition = Coalesce(condition, True, output_field=BooleanField())
        holds = Case(When(condition, then=Value(True)), default=Value(False))
        try:
            query.add_annotation(holds, f"_check_{number}")
        except FieldError:
            # It names a field left out (exclude): Django's path skips it, as it always has.
            continue
        asked.append(check)
    sql, params = query.get_compiler(using=using).as_sql() if asked else ("", ())
    # Every placeholder the compiler wrote came out as it went in (a condition that turned out
    # always true or false may have dropped some): a parameter made from one is no value to
    # fill, and such a statement is not for other rows.
    placeholders = {param.name for param in params if isinstance(param, _Placeholder)}
    if not placeholders <= set(compiled) or any(
        isinstance(param, str) and "_Placeholder(" in param for param in params
    ):
        return None
    return _Statement(sql=sql, params=tuple(params), asked=tuple(asked))


@cache
def _named_fields(model_class) -> tuple[str, ...]:
    """The fields the model's check constraints name (``pk`` included), joins aside."""
    return tuple(
        sorted(
            frozenset().union(
                *(
                    Q(constraint.condition).referenced_base_fields
                    for constraint in model_class._meta.constraints
                    if isinstance(constraint, CheckConstraint)
                )
            )
        )
    )
