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

Every model with two or more check constraints takes ``CheckedInOneQuery`` (a test finds any
that does not), so the admin's forms, the API's serializers, the imports and the services all
validate through it: ``full_clean`` asks the model's ``validate_constraints``.
"""

from contextlib import nullcontext
from functools import cache

from django.core.exceptions import FieldError, ValidationError
from django.db import DatabaseError, connections, router, transaction
from django.db.models import BooleanField, Case, CheckConstraint, Q, Value, When
from django.db.models.functions import Coalesce
from django.db.models.sql import Query
from django.db.models.sql.constants import SINGLE

# Fewer checks than this gain nothing from one statement: Django's own path is as short.
AT_LEAST = 2


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


def _answers(instance, model_class, constraints, exclude, using) -> dict[int, bool]:
    """Whether each check constraint of ``model_class`` holds, by ``id`` of the constraint;
    a check left out is asked through Django's path (``Constraint.validate``)."""
    checks = [constraint for constraint in constraints if isinstance(constraint, CheckConstraint)]
    if len(checks) < AT_LEAST:
        return {}
    connection = connections[using]
    # The values as Q.check binds them, the row's own, never read from a table; only those the
    # checks name (Q.check binds every field: resolving them was most of its cost).
    named = _named_fields(model_class)
    query = Query(None)
    against = instance._get_field_expression_map(meta=model_class._meta, exclude=exclude)
    for name, value in against.items():
        if name in named:
            if not hasattr(value, "resolve_expression"):
                value = Value(value)
            query.add_annotation(value, name, select=False)
    asked: list[CheckConstraint] = []
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
    if not asked:
        return {}
    atomic = transaction.atomic(using=using) if connection.in_atomic_block else nullcontext()
    try:
        with atomic:
            row = query.get_compiler(using=using).execute_sql(SINGLE)
    except DatabaseError:
        return {}  # each check again through Django's path, which logs and lets it pass
    return {id(check): bool(value) for check, value in zip(asked, row, strict=True)}


@cache
def _named_fields(model_class) -> frozenset[str]:
    """The fields the model's check constraints name (``pk`` included), joins aside."""
    return frozenset().union(
        *(
            Q(constraint.condition).referenced_base_fields
            for constraint in model_class._meta.constraints
            if isinstance(constraint, CheckConstraint)
        )
    )
