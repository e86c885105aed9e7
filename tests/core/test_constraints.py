"""A model's check constraints validated in one query (``communities.core.constraints``): the
same errors as Django's ``Model.validate_constraints``, in fewer statements, from a statement
compiled once for each shape of row."""

from datetime import date, datetime
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction
from django.db.models import CheckConstraint, Model, fields
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from communities.construction.models import RectificationOrder
from communities.core import constraints
from communities.core.constraints import CheckedInOneQuery, validate_constraints
from communities.places.models import Building, Community
from tests.support.factories import make_community, make_district

pytestmark = pytest.mark.django_db


def errors_of(validate) -> dict:
    """The messages of the ValidationError ``validate`` raises, by field ({} if none)."""
    try:
        validate()
    except ValidationError as error:
        return {field: sorted(map(str, messages)) for field, messages in error.message_dict.items()}
    return {}


def both(instance, exclude=None) -> tuple[dict, dict]:
    """What Django answers and what the one query answers, for the same instance."""
    return (
        errors_of(lambda: Model.validate_constraints(instance, exclude=exclude)),
        errors_of(lambda: validate_constraints(instance, exclude=exclude)),
    )


def models_with_checks():
    return [
        model
        for model in apps.get_models()
        if any(isinstance(c, CheckConstraint) for c in model._meta.constraints)
    ]


def test_every_model_with_a_check_validates_its_checks_in_one_query():
    """Generated: a new model (or a new check) is found here, not in a slow admin save."""
    assert models_with_checks()
    assert [m for m in models_with_checks() if not issubclass(m, CheckedInOneQuery)] == []


def test_full_clean_goes_through_it(monkeypatch):
    """The admin's forms, the API's serializers, the imports and the services all validate a
    row with full_clean, which asks the model's validate_constraints: this one."""
    asked = []
    monkeypatch.setattr(
        "communities.core.constraints.validate_constraints",
        lambda instance, exclude=None: asked.append(type(instance)),
    )

    make_community()

    assert Community in asked


@pytest.mark.parametrize("model", models_with_checks(), ids=lambda model: model._meta.label)
def test_every_model_gets_the_same_answers_as_from_django_for_an_empty_row(model):
    """A row of defaults and NULLs: conditions that are unknown hold or fail as Django's do on
    this database (NULL holds on PostgreSQL, fails on SQLite)."""
    django, ours = both(model())

    assert ours == django


def test_a_community_breaking_two_rules_gets_both_messages_and_no_others(english):
    community = make_community(validate=False)
    community.floor_area_m2 = Decimal("-1.00")
    community.started_on, community.completed_on = date(2024, 5, 1), date(2024, 4, 1)

    django, ours = both(community)

    assert ours == django
    assert ours == {
        "__all__": sorted(
            [
                "The floor area cannot be negative.",
                "The completion date cannot be before the start date.",
            ]
        )
    }


def test_a_rule_on_an_excluded_field_is_skipped_as_django_skips_it():
    community = make_community(validate=False)
    community.floor_area_m2 = Decimal("-1.00")
    community.year_built = 1900

    for exclude in ({"floor_area_m2"}, {"year_built"}, {"floor_area_m2", "year_built"}, set()):
        django, ours = both(community, exclude=exclude)
        assert ours == django, exclude
    assert both(community, exclude={"floor_area_m2", "year_built"}) == ({}, {})


def test_a_valid_row_is_valid_and_unique_constraints_still_go_through_django():
    community = make_community()
    building = Building(community=community, label="1号楼", storeys=6, entrance_units=2)
    building.full_clean()
    building.save()
    twin = Building(community=community, label="1号楼", storeys=6, entrance_units=2)

    assert both(community) == ({}, {})
    django, ours = both(twin)
    assert ours == django


def test_the_checks_cost_one_statement_in_a_savepoint_not_three_each():
    community = make_community(validate=False)
    checks = sum(isinstance(c, CheckConstraint) for c in Community._meta.constraints)
    others = len(Community._meta.constraints) - checks

    with CaptureQueriesContext(connection) as django:
        Model.validate_constraints(community)
    with CaptureQueriesContext(connection) as ours:
        validate_constraints(community)

    # Inside the test's transaction Django wraps each check in a savepoint: three statements.
    assert checks >= 4
    assert len(django) - len(ours) == 3 * checks - 3
    assert len(ours) <= 3 + 3 * others


def test_should_the_database_refuse_the_query_each_check_goes_through_django():
    """The first statement fails (as a value the database cannot compare would): the checks are
    asked again one by one, as Django asks them, and the row's errors are still found."""
    community = make_community(validate=False)
    community.floor_area_m2 = Decimal("-1.00")
    expected = errors_of(lambda: Model.validate_constraints(community))
    failed = []

    def fail_once(execute, sql, params, many, context):
        if not failed and '"_check_0"' in sql:
            failed.append(sql)
            raise DatabaseError("refused")
        return execute(sql, params, many, context)

    with transaction.atomic(), connection.execute_wrapper(fail_once):
        assert errors_of(lambda: validate_constraints(community)) == expected
    assert failed and expected


def filled(model) -> Model:
    """A row of ``model`` with a value, not NULL, in every field its checks name."""
    row = model()
    for name in constraints._named_fields(model):
        field = model._meta.pk if name == "pk" else model._meta.get_field(name)
        if field.choices:
            value = field.choices[-1][0]
        elif isinstance(field, fields.BooleanField):
            value = True
        elif isinstance(field, fields.DecimalField):
            value = Decimal("12.50")
        elif isinstance(field, fields.DateTimeField):
            value = timezone.make_aware(datetime(2025, 5, 6, 7, 8))
        elif isinstance(field, fields.DateField):
            value = date(2025, 5, 6)
        elif isinstance(field, fields.IntegerField | fields.related.ForeignKey):
            value = 7
        else:
            value = "1"
        setattr(row, field.attname, value)
    return row


@pytest.mark.parametrize("model", models_with_checks(), ids=lambda model: model._meta.label)
@pytest.mark.parametrize("row", [lambda model: model(), filled], ids=["defaults", "filled"])
def test_a_kept_statement_is_exactly_what_django_compiles_for_the_row(model, row):
    """Generated: for every model, on this database, the statement kept for a shape of row,
    filled with the row's values, is the statement compiled for that row alone (the text and
    every parameter), and its answers are Django's."""
    instance = row(model)
    checks = tuple(c for c in model._meta.constraints if isinstance(c, CheckConstraint))
    against = instance._get_field_expression_map(meta=model._meta)
    bound = {name: against[name] for name in constraints._named_fields(model)}
    values, _shape = constraints._prepared(bound, connection)

    kept = constraints._compile(bound, checks, "default", values=values)
    alone = constraints._compile(bound, checks, "default")

    assert kept is not None
    assert (kept.sql, kept.bind(values)) == (alone.sql, list(alone.params))
    assert kept.asked == alone.asked == checks
    django, ours = both(instance)
    assert ours == django


def test_rows_of_one_shape_share_one_compiled_statement(monkeypatch, english):
    compiled = []
    real = constraints._compile
    monkeypatch.setattr(constraints, "_statements", {})
    monkeypatch.setattr(
        constraints, "_compile", lambda *args, **kwargs: compiled.append(1) or real(*args, **kwargs)
    )
    first, second = make_community(validate=False), make_community(validate=False)
    first.started_on, first.completed_on = date(2024, 4, 1), date(2024, 5, 1)
    second.started_on, second.completed_on = date(2024, 5, 1), date(2024, 4, 1)
    late = {"__all__": ["The completion date cannot be before the start date."]}
    compiled.clear()

    assert errors_of(first.validate_constraints) == {}
    assert errors_of(second.validate_constraints) == late
    assert len(compiled) == 1
    second.started_on = None  # NULL: another shape, compiled once more
    assert errors_of(second.validate_constraints) == {}
    second.started_on, second.completed_on = date(2024, 6, 1), date(2024, 6, 2)
    assert errors_of(second.validate_constraints) == {}
    assert len(compiled) == 2


def test_an_isnull_rule_is_answered_for_each_shape_of_row(english):
    """A rectification order's rules ask whether dates are NULL, which Django decides while
    compiling: NULL and not NULL are two shapes, each compiled as Django compiles it."""
    order = filled(RectificationOrder)
    for fixed_on, closed_on, status in [
        (None, None, "open"),
        (date(2025, 5, 6), None, "open"),
        (date(2025, 5, 6), date(2025, 5, 7), "closed"),
        (None, date(2025, 5, 7), "closed"),
        (date(2025, 5, 6), date(2025, 5, 5), "closed"),
    ]:
        order.fixed_on, order.closed_on, order.status = fixed_on, closed_on, status
        django, ours = both(order)
        assert ours == django, (fixed_on, closed_on, status)


def test_an_import_asks_each_rows_checks_in_one_query(staff_client):
    """Through the admin's import: one statement of checks for each row, none of Django's."""
    from tests.core.test_imports import csv_file, preview, row

    make_district(code="370902", name="泰山区")

    with CaptureQueriesContext(connection) as queries:
        result = preview(staff_client, csv_file([row(1), row(2), row(3)])).context["result"]

    assert not result.has_errors() and not result.invalid_rows
    statements = [query["sql"] for query in queries]
    assert sum('"_check_0"' in sql for sql in statements) == 3
    assert not any('"_check"' in sql for sql in statements)
