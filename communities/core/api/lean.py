"""Lean list pages: a serializer's own output, built from ``.values()`` rows.

A page of 50 communities through a ``ModelSerializer`` builds 50 model instances, resolves some
25 fields per row through attribute lookups and reverses two URLs per row; at national scale
that is most of the page's time. ``LeanPlan`` compiles a serializer's fields once into
``(key, column, convert)`` steps read from ``.values()`` rows, and its URLs into templates
reversed once per request. The output is the serializer's, key for key and value for value
(``tests/core/test_api_lean.py`` compares the two over the same records).

Beyond columns, a plan reads:

- a nested list of records whose serializer has a plan of its own (an item's funding lines):
  one more query for all the rows' children, grouped by their parent;
- a field the model computes (a property, a method field), when ``Meta.lean_reads`` names the
  columns it needs: the field itself is given a stand-in instance holding just those columns.

A serializer with any other field has no plan and is served the ordinary way.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from types import SimpleNamespace

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Model, QuerySet
from django.db.models.base import ModelState
from django.urls import get_script_prefix, get_urlconf
from django.utils import timezone
from django.utils.translation import get_language
from rest_framework import ISO_8601, relations, serializers
from rest_framework.settings import api_settings

from communities.core.api.fields import ChoiceLabelField, SiteURLField, can_see_personal_data

# A value no real key takes, put where the key goes in a URL and replaced per row: it must
# match any URL pattern a lookup can have (digits fit both <int:pk> and slug patterns).
_SENTINEL = "987654321987654321"
# The most labels and URL templates a plan keeps (per language; per site address, URL prefix
# and URL configuration): more than any site has, few enough that Host headers cannot grow it.
_MEMO_MAX = 64
# The steps whose value is an address built from the record's key.
_URL_KINDS = frozenset({"api_url", "site_url"})

# Fields whose value is a column: DRF's own to_representation converts it, as it would in the
# serializer (dates to ISO 8601 in the current time zone, decimals to strings...).
_COLUMN_FIELDS = (
    serializers.BooleanField,
    serializers.CharField,
    serializers.ChoiceField,
    serializers.DateField,
    serializers.DateTimeField,
    serializers.DecimalField,
    serializers.FloatField,
    serializers.IntegerField,
    serializers.JSONField,
)


class NotLean(Exception):
    """The serializer has a field that is not a column, a choice label or a URL."""


@dataclass(frozen=True)
class _Step:
    key: str
    column: str
    kind: str  # "value", "datetime", "label", "api_url", "site_url", "instance" or "children"
    convert: Callable | None = None  # for "value": None when the column's value is the output
    field: serializers.Field | None = None
    columns: tuple[str, ...] = ()  # for "instance": the columns its stand-in holds
    children: _Children | None = None


@dataclass(frozen=True)
class _Children:
    """A nested list of records: their plan, the column pointing at the parent, their order."""

    plan: LeanPlan
    link: str
    ordering: tuple[str, ...]


def _identity_types(field: serializers.Field) -> bool:
    """Does DRF hand this field's database value back unchanged (an int stays an int...)?"""
    plain = (serializers.BooleanField, serializers.IntegerField, serializers.FloatField)
    return isinstance(field, plain) or type(field) is serializers.CharField


def _value_converter(field: serializers.Field) -> Callable | None:
    """DRF's ``to_representation`` for a column's value, or a shortcut that gives the same
    output for every value a database column of that type returns."""
    if _identity_types(field):
        return None
    date_format = getattr(field, "format", api_settings.DATE_FORMAT) or ""
    if isinstance(field, serializers.DateField) and date_format.lower() == ISO_8601:
        return date.isoformat
    if (
        isinstance(field, serializers.DecimalField)
        and getattr(field, "coerce_to_string", api_settings.COERCE_DECIMAL_TO_STRING)
        and not field.localize
        and not field.normalize_output
        and field.decimal_places is not None
    ):
        exponent = -field.decimal_places

        def decimal_string(value):
            # A column's decimals come with the column's places: nothing to round.
            if value.as_tuple().exponent == exponent:
                return f"{value:f}"
            return field.to_representation(value)

        return decimal_string
    return field.to_representation


def _url_context(request) -> tuple:
    """Everything a record's URL depends on beyond its key: the site's address, the URL prefix
    and configuration, and what DRF's ``reverse`` adds for the request (its API version, and
    the ``?format=`` it carries over)."""
    if request is None:
        return (None, get_script_prefix(), get_urlconf(settings.ROOT_URLCONF))
    override = api_settings.URL_FORMAT_OVERRIDE
    return (
        request.build_absolute_uri("/"),
        get_script_prefix(),
        get_urlconf(settings.ROOT_URLCONF),
        getattr(request, "version", None),
        request.GET.get(override) if override else None,
    )


def _iso_datetime_in(zone) -> Callable:
    def iso_datetime(value):
        text = value.astimezone(zone).isoformat()
        return text[:-6] + "Z" if text.endswith("+00:00") else text

    return iso_datetime


class LeanPlan:
    """How to turn ``.values()`` rows into a serializer's representation."""

    def __init__(self, serializer_class: type[serializers.ModelSerializer]):
        serializer = serializer_class()
        self.model = serializer_class.Meta.model
        self.staff_only = frozenset(getattr(serializer_class.Meta, "staff_only_fields", ()))
        self.reads = dict(getattr(serializer_class.Meta, "lean_reads", {}))
        self.steps = [self._step(name, field) for name, field in serializer.fields.items()]
        # What a step's conversion depends on beyond the row, worked out once (``_converter``).
        self._memo: dict[tuple, object] = {}
        self.columns = list(
            dict.fromkeys(
                column
                for step in self.steps
                for column in (step.columns if step.kind == "instance" else (step.column,))
            )
        )

    def _step(self, name: str, field: serializers.Field) -> _Step:
        if field.write_only:
            raise NotLean(name)
        if name in self.reads:
            return _Step(name, "", "instance", field=field, columns=tuple(self.reads[name]))
        if isinstance(field, serializers.ListSerializer):
            return _Step(name, "pk", "children", children=self._children(name, field))
        if isinstance(field, relations.HyperlinkedIdentityField):
            return _Step(name, field.lookup_field, "api_url", field=field)
        if isinstance(field, SiteURLField):
            if _SENTINEL not in self.model(pk=_SENTINEL).get_absolute_url():
                raise NotLean(name)  # the page's address is not made of the key alone
            return _Step(name, "pk", "site_url")
        column = "__".join(field.source_attrs)
        if not column or not self._is_column(column):
            raise NotLean(name)  # a property or a method: Meta.lean_reads may name its columns
        if isinstance(field, ChoiceLabelField):
            return _Step(name, column, "label", field=field)
        if isinstance(field, relations.SlugRelatedField):
            return _Step(name, f"{column}__{field.slug_field}", "value")
        if isinstance(field, relations.PrimaryKeyRelatedField):
            return _Step(name, column, "value")
        if isinstance(field, serializers.DateTimeField):
            plain = (
                (getattr(field, "format", api_settings.DATETIME_FORMAT) or "").lower() == ISO_8601
                and not hasattr(field, "timezone")
                and settings.USE_TZ
            )
            if plain:
                return _Step(name, column, "datetime", field=field)
            return _Step(name, column, "value", convert=field.to_representation)
        if isinstance(field, _COLUMN_FIELDS) and not isinstance(field, serializers.ListField):
            return _Step(name, column, "value", convert=_value_converter(field))
        raise NotLean(name)

    def _is_column(self, path: str) -> bool:
        """Whether ``.values()`` can read the path: a field, through forward relations."""
        model = self.model
        for name in path.split("__"):
            if model is None:
                return False
            try:
                field = model._meta.get_field(name)
            except FieldDoesNotExist:
                return False
            if field.one_to_many or field.many_to_many:
                return False  # many rows for one record
            if not field.concrete and not field.is_relation:
                return False
            model = field.related_model if field.many_to_one or field.one_to_one else None
        return True

    def _children(self, name: str, field: serializers.ListSerializer) -> _Children:
        child_plan = plan_for(type(field.child))
        relation = self.model._meta.get_field(field.source)
        if child_plan is None or not (relation.one_to_many and relation.auto_created):
            raise NotLean(name)
        link = relation.field  # the child's foreign key to this model
        # The children's own order (as ``parent.children.all()`` gives them); within one parent
        # an order that starts with the parent is the same order without the join it makes.
        ordering = list(child_plan.model._meta.ordering)
        if ordering and ordering[0] == link.name:
            ordering[0] = link.attname
        return _Children(child_plan, link.attname, tuple(ordering))

    def values(self, queryset: QuerySet) -> QuerySet:
        """The queryset, filtered and ordered as the view wants it, as rows of the columns."""
        return queryset.values(*self.columns)

    def row_of(self, instance: Model) -> dict:
        """The row ``.values()`` would give of a record already read (with the related records
        its columns go through): to represent one record the view has in hand, such as the
        one a detail checked permissions on, without reading it again."""
        return {column: _column_value(instance, column) for column in self.columns}

    def represent(self, rows: Iterable[dict], request) -> list[dict]:
        """The serializer's representation of each row, for this request."""
        hidden = self.staff_only if not can_see_personal_data(request) else frozenset()
        wanted = [step for step in self.steps if step.key not in hidden]
        if not isinstance(rows, list | QuerySet):
            rows = list(rows)  # read twice when a field is computed or nested (a queryset caches)
        addresses = any(step.kind in _URL_KINDS for step in wanted)
        url_context = _url_context(request) if addresses else ()
        steps = [
            (step.key, step.column, self._converter(step, request, url_context))
            for step in wanted
            if step.kind not in {"instance", "children"}
        ]
        represented = [
            {
                key: None
                if (value := row[column]) is None
                else (value if convert is None else convert(value))
                for key, column, convert in steps
            }
            for row in rows
        ]
        if len(steps) < len(wanted):
            self._represent_computed(wanted, rows, represented, request)
        return represented

    def _represent_computed(self, steps, rows, represented, request) -> None:
        """Fill in the fields read from a stand-in instance and the nested lists, in the
        serializer's order of fields."""
        computed = [step for step in steps if step.kind == "instance"]
        if computed:
            columns = list(dict.fromkeys(c for step in computed for c in step.columns))
            for row, data in zip(rows, represented, strict=True):
                instance = self._stand_in(row, columns)
                for step in computed:
                    data[step.key] = self._computed(step.field, instance)
        for step in steps:
            if step.kind == "children":
                nested = self._nested(step.children, rows, request)
                for row, data in zip(rows, represented, strict=True):
                    data[step.key] = nested.get(row["pk"], [])
        order = [step.key for step in steps]
        for data in represented:
            ordered = {key: data[key] for key in order}
            data.clear()
            data.update(ordered)

    def _stand_in(self, row: dict, columns: list[str]):
        """An instance holding only the given columns (related ones on related instances),
        for the model's own properties and methods to read. Made without ``__init__`` (no
        defaults, no signals): a property that reads a column not named fails loudly."""
        values: dict[str, object] = {}
        related: dict[str, dict] = {}
        for column in columns:
            head, _, rest = column.partition("__")
            if rest:
                related.setdefault(head, {})[rest] = row[column]
            else:
                values[column] = row[column]
        instance = _bare(self.model, values)
        for name, fields in related.items():
            relation = self.model._meta.get_field(name)
            relation.set_cached_value(instance, _bare(relation.related_model, fields))
        return instance

    @staticmethod
    def _computed(field: serializers.Field, instance):
        """What the field gives for the instance, as the serializer would."""
        if isinstance(field, serializers.SerializerMethodField):
            return field.to_representation(instance)
        value = field.get_attribute(instance)
        return None if value is None else field.to_representation(value)

    @staticmethod
    def _nested(children: _Children, rows: list[dict], request) -> dict:
        """The nested lists of every row, by the row's key, in one query."""
        keys = [row["pk"] for row in rows]
        if not keys:
            return {}
        found = (
            children.plan.model._default_manager.filter(**{f"{children.link}__in": keys})
            .order_by(*children.ordering)
            .values(children.link, *children.plan.columns)
        )
        by_parent: dict = {}
        for row in found:
            by_parent.setdefault(row[children.link], []).append(row)
        return {key: children.plan.represent(group, request) for key, group in by_parent.items()}

    def _converter(self, step: _Step, request, url_context: tuple) -> Callable | None:
        """The step's conversion for this request (its language, time zone and host; for an
        address, ``url_context`` is the request's ``_url_context``)."""
        if step.kind == "value":
            return step.convert
        if step.kind == "datetime":
            return _iso_datetime_in(timezone.get_current_timezone())
        if step.kind == "label":
            labels = self._remembered((step.key, get_language()), lambda: self._labels(step))
            return lambda value: labels[value] if value in labels else str(value)
        head, tail = self._remembered(
            (step.key, *url_context), lambda: self._url_template(step, request)
        )
        return lambda value: f"{head}{value}{tail}"

    def _remembered(self, key: tuple, work: Callable):
        """``work()``, done once per key: a key names everything the result depends on."""
        if key not in self._memo:
            if len(self._memo) >= _MEMO_MAX:
                self._memo.clear()
            self._memo[key] = work()
        return self._memo[key]

    @staticmethod
    def _labels(step: _Step) -> dict:
        """The step's choice labels in the current language."""
        return {code: str(label) for code, label in step.field.labels.items()}

    def _url_template(self, step: _Step, request) -> tuple[str, str]:
        """What comes before and after the key in the step's URL, for this request's site."""
        if step.kind == "api_url":
            url = step.field.get_url(
                SimpleNamespace(**{step.column: _SENTINEL}), step.field.view_name, request, None
            )
        else:
            path = self.model(pk=_SENTINEL).get_absolute_url()
            url = request.build_absolute_uri(path) if request is not None else path
        head, found, tail = url.rpartition(_SENTINEL)
        if not found:
            raise NotLean(step.key)
        return head, tail


def _column_value(instance: Model, column: str):
    """A ``.values()`` column of an instance: through forward relations, a relation itself
    read as its key (``building`` is ``building_id``), None past a relation that is empty."""
    if column == "pk":
        return instance.pk
    *relations, name = column.split("__")
    for relation in relations:
        instance = getattr(instance, relation)
        if instance is None:
            return None
    return getattr(instance, instance._meta.get_field(name).attname)


def _bare(model: type[Model], values: dict) -> Model:
    instance = model.__new__(model)
    instance._state = ModelState()
    instance.__dict__.update(values)
    return instance


_plans: dict[type, LeanPlan | None] = {}


def plan_for(serializer_class: type[serializers.Serializer]) -> LeanPlan | None:
    """The serializer's lean plan, compiled once per process; None if it cannot have one."""
    if serializer_class not in _plans:
        try:
            _plans[serializer_class] = LeanPlan(serializer_class)
        except NotLean:
            _plans[serializer_class] = None
    return _plans[serializer_class]
