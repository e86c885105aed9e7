"""Lean list pages: a serializer's own output, built from ``.values()`` rows.

A page of 50 communities through a ``ModelSerializer`` builds 50 model instances, resolves some
25 fields per row through attribute lookups and reverses two URLs per row; at national scale
that is most of the page's time. ``LeanPlan`` compiles a serializer's fields once into
``(key, column, convert)`` steps read from ``.values()`` rows, and its URLs into templates
reversed once per request. The output is the serializer's, key for key and value for value
(``tests/test_api_lean.py`` compares the two over the same records); a serializer with a field
that cannot be read from a column (a method field, a nested serializer) has no plan and is
served the ordinary way.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from types import SimpleNamespace

from django.db.models import QuerySet
from rest_framework import relations, serializers

from . import base  # which imports this module: names are read from it at call time

# A value no real key takes, put where the key goes in a URL and replaced per row: it must
# match any URL pattern a lookup can have (digits fit both <int:pk> and slug patterns).
_SENTINEL = "987654321987654321"

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
)


class NotLean(Exception):
    """The serializer has a field that is not a column, a choice label or a URL."""


@dataclass(frozen=True)
class _Step:
    key: str
    column: str
    kind: str  # "value", "label", "api_url" or "site_url"
    convert: Callable | None = None
    labels: dict | None = None
    view_name: str = ""
    field: serializers.Field | None = None


class LeanPlan:
    """How to turn ``.values()`` rows into a serializer's representation."""

    def __init__(self, serializer_class: type[serializers.ModelSerializer]):
        serializer = serializer_class()
        self.model = serializer_class.Meta.model
        self.staff_only = frozenset(getattr(serializer_class.Meta, "staff_only_fields", ()))
        self.steps = [self._step(name, field) for name, field in serializer.fields.items()]
        self.columns = list(dict.fromkeys(step.column for step in self.steps))

    def _step(self, name: str, field: serializers.Field) -> _Step:
        if field.write_only:
            raise NotLean(name)
        if isinstance(field, relations.HyperlinkedIdentityField):
            return _Step(
                name, field.lookup_field, "api_url", view_name=field.view_name, field=field
            )
        if isinstance(field, base.SiteURLField):
            if _SENTINEL not in self.model(pk=_SENTINEL).get_absolute_url():
                raise NotLean(name)  # the page's address is not made of the key alone
            return _Step(name, "pk", "site_url")
        column = "__".join(field.source_attrs)
        if not column:
            raise NotLean(name)
        if isinstance(field, base.ChoiceLabelField):
            return _Step(name, column, "label", labels=field.labels)
        if isinstance(field, relations.SlugRelatedField):
            return _Step(name, f"{column}__{field.slug_field}", "value")
        if isinstance(field, relations.PrimaryKeyRelatedField):
            return _Step(name, column, "value")
        if isinstance(field, _COLUMN_FIELDS) and not isinstance(field, serializers.ListField):
            return _Step(name, column, "value", convert=field.to_representation)
        raise NotLean(name)

    def values(self, queryset: QuerySet) -> QuerySet:
        """The queryset, filtered and ordered as the view wants it, as rows of the columns."""
        return queryset.values(*self.columns)

    def represent(self, rows: Iterable[dict], request) -> list[dict]:
        """The serializer's representation of each row, for this request."""
        hidden = self.staff_only if not base.can_see_personal_data(request) else frozenset()
        url_templates = self._url_templates(request)
        out = []
        for row in rows:
            data = {}
            for step in self.steps:
                if step.key in hidden:
                    continue
                value = row[step.column]
                if value is None:
                    data[step.key] = None
                elif step.kind == "value":
                    data[step.key] = value if step.convert is None else step.convert(value)
                elif step.kind == "label":
                    data[step.key] = str(step.labels.get(value, value))
                else:
                    head, tail = url_templates[step.key]
                    data[step.key] = f"{head}{value}{tail}"
            out.append(data)
        return out

    def _url_templates(self, request) -> dict[str, tuple[str, str]]:
        """Each URL field's URL for a sentinel key, split around it: reversed once a request."""
        templates = {}
        for step in self.steps:
            if step.kind == "api_url":
                url = step.field.get_url(
                    SimpleNamespace(**{step.column: _SENTINEL}), step.view_name, request, None
                )
            elif step.kind == "site_url":
                path = self.model(pk=_SENTINEL).get_absolute_url()
                url = request.build_absolute_uri(path) if request is not None else path
            else:
                continue
            head, found, tail = url.rpartition(_SENTINEL)
            if not found:
                raise NotLean(step.key)
            templates[step.key] = (head, tail)
        return templates


_plans: dict[type, LeanPlan | None] = {}


def plan_for(serializer_class: type[serializers.Serializer]) -> LeanPlan | None:
    """The serializer's lean plan, compiled once per process; None if it cannot have one."""
    if serializer_class not in _plans:
        try:
            _plans[serializer_class] = LeanPlan(serializer_class)
        except NotLean:
            _plans[serializer_class] = None
    return _plans[serializer_class]
