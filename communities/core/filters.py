"""django-filter FilterSets: the API and the public list filter through the same classes.

A malformed value is a validation error (a 400 in the API, a form error on the site), never a
500 and never silently ignored: years and ids must be whole numbers, booleans ``true`` or
``false``, codes must name an existing district or kind. Whole numbers and dates are bounded
(``communities.core.bounds``): a 20-digit id or a day in year 9999 is refused by name, not passed
on to overflow. Use ``IntegerFilter`` and ``DateFilter`` from here, never django-filter's own
(tests/core/test_security_input.py checks every FilterSet).
"""

import copy
import html
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation

import django_filters
from django import forms
from django.forms.utils import flatatt
from django.http import QueryDict
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from drf_spectacular.drainage import set_override
from drf_spectacular.utils import extend_schema_field

from communities.core import bounds

# --- Strict fields: what django-filter would otherwise accept or drop silently -------------


class BooleanSelect(forms.Select):
    """A yes/no select that hands the raw value to the field, so a typo is an error.

    Django's NullBooleanSelect turns anything it does not know into "unknown", which a filter
    then ignores: ``?has_elevator=maybe`` would list every community.
    """

    def __init__(self, attrs=None):
        super().__init__(attrs, choices=[("", "---------"), ("true", _("Yes")), ("false", _("No"))])

    def format_value(self, value):
        if value is True:
            value = "true"
        elif value is False:
            value = "false"
        return super().format_value(value)


class StrictBooleanField(forms.Field):
    """``true``/``false`` (also ``1``/``0``, ``yes``/``no``); anything else is invalid."""

    widget = BooleanSelect
    TRUE = frozenset({"true", "1", "yes"})
    FALSE = frozenset({"false", "0", "no"})

    def to_python(self, value):
        if value is None or value == "":
            return None
        if isinstance(value, bool):
            return value
        lowered = str(value).strip().lower()
        if lowered in self.TRUE:
            return True
        if lowered in self.FALSE:
            return False
        raise forms.ValidationError(_("Enter true or false."), code="invalid")

    def validate(self, value):
        if value is None and self.required:
            raise forms.ValidationError(self.error_messages["required"], code="required")


class BooleanFilter(django_filters.BooleanFilter):
    field_class = StrictBooleanField


class IntegerFilter(django_filters.NumberFilter):
    """A whole number (a year, an id): ``2022.5`` or ``1e3`` is invalid, not a silent miss,
    and so is one past 64 bits (it would overflow the id column: a 500)."""

    field_class = bounds.IntegerField

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Documented as an integer even when it filters on a foreign key.
        # (The label stays lazy: the schema shows it in the reader's language.)
        label = kwargs.get("label")
        set_override(
            self, "field", {"type": "integer", "description": "" if label is None else label}
        )


class DateFilter(django_filters.DateFilter):
    """A ``YYYY-MM-DD`` day between ``bounds.DATE_MIN`` and ``bounds.DATE_MAX``."""

    field_class = bounds.DateField


class BBoxField(forms.CharField):
    """``min_lng,min_lat,max_lng,max_lat`` in degrees, as GeoJSON and Leaflet order them."""

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        parts = value.split(",")
        if len(parts) != 4:
            raise forms.ValidationError(
                _("Give the box as min_lng,min_lat,max_lng,max_lat."), code="invalid"
            )
        try:
            min_lng, min_lat, max_lng, max_lat = (Decimal(part.strip()) for part in parts)
        except InvalidOperation as exc:
            raise forms.ValidationError(_("The box must be four numbers."), code="invalid") from exc
        if not all(number.is_finite() for number in (min_lng, min_lat, max_lng, max_lat)):
            raise forms.ValidationError(_("The box must be four numbers."), code="invalid")
        if min_lng > max_lng or min_lat > max_lat:
            raise forms.ValidationError(
                _("The box's minimum must not exceed its maximum."), code="invalid"
            )
        if not (-180 <= min_lng <= 180 and -180 <= max_lng <= 180):
            raise forms.ValidationError(_("Longitudes run from -180 to 180."), code="invalid")
        if not (-90 <= min_lat <= 90 and -90 <= max_lat <= 90):
            raise forms.ValidationError(_("Latitudes run from -90 to 90."), code="invalid")
        return (min_lng, min_lat, max_lng, max_lat)


@extend_schema_field(
    {
        "type": "string",
        "description": "Bounding box: min_lng,min_lat,max_lng,max_lat",
        "example": "117.0,36.1,117.2,36.3",
    }
)
class BBoxFilter(django_filters.Filter):
    field_class = BBoxField

    def filter(self, qs, value):
        if not value:
            return qs
        min_lng, min_lat, max_lng, max_lat = value
        return qs.filter(
            longitude__gte=min_lng,
            longitude__lte=max_lng,
            latitude__gte=min_lat,
            latitude__lte=max_lat,
        )


def option_tags(choices: Iterable[tuple[str, str]], selected: str = "") -> str:
    """``<option>`` elements for (value, label) pairs, ``selected`` marked: joined here rather
    than looped over in a template, which took ~50 ms for the country's 2,800 districts (and
    with the standard library's escape, which does what Django's does without its lazy-string
    wrapper, a tenth of Django's time)."""
    return mark_safe(
        "".join(
            f'<option value="{html.escape(value)}"'
            f"{' selected' if value == selected else ''}>{html.escape(label)}</option>"
            for value, label in choices
        )
    )


class ManyOptionsSelect(forms.Select):
    """A ``<select>`` written in one pass with ``option_tags``: Django's ``Select`` renders a
    template per option, about 1 s for the country's 2,800 districts (issue 19)."""

    def render(self, name, value, attrs=None, renderer=None):
        values = self.format_value(value)
        options = option_tags(
            ((str(choice), str(label)) for choice, label in self.choices),
            values[0] if values else "",
        )
        final_attrs = self.build_attrs(self.attrs, attrs)
        return format_html('<select name="{}"{}>{}</select>', name, flatatt(final_attrs), options)


# --- A FilterSet that costs less per request ---------------------------------------------------


def _own_copy(filter_: django_filters.Filter) -> django_filters.Filter:
    """A filter for one FilterSet instance: its own attributes and ``extra`` (which
    ``ModelChoiceFilter.field`` writes the queryset into), its own form field built when the
    form is, and its ``method`` bound to the copy, not to the class's filter."""
    own = copy.copy(filter_)
    own.extra = dict(filter_.extra)
    own.__dict__.pop("_field", None)
    if own.method is not None:
        own.method = own.method  # a FilterMethod of this copy, which reads its parent
    return own


class _OwnFilters(Mapping):
    """A FilterSet instance's filters: each the class's filter copied for it (``_own_copy``)
    and bound to it when first read. A request gives one or two of a list's ten filters, and
    only those are read (``filter_queryset`` reads the filters of the cleaned fields; the form
    class, made once, reads them all)."""

    def __init__(self, base: Mapping, filterset: django_filters.FilterSet):
        self._base = base
        self._filterset = filterset
        self._own: dict[str, django_filters.Filter] = {}

    def __getitem__(self, name: str) -> django_filters.Filter:
        own = self._own.get(name)
        if own is None:
            own = self._own[name] = _own_copy(self._base[name])
            own.model = self._filterset.queryset.model
            own.parent = self._filterset
        return own

    def __iter__(self):
        return iter(self._base)

    def __len__(self) -> int:
        return len(self._base)


class _FieldsCopiedShallow(dict):
    """A form class's fields which each form copies one level deep: ``BaseForm.__init__``
    deep-copies ``base_fields`` (every widget, choice list and error message, about 130 copies
    for the community list's ten filters); a form that only validates needs its own field
    objects, not its own choices."""

    def __deepcopy__(self, memo):
        return {name: copy.copy(field) for name, field in self.items()}


class _GivenFieldsCleaned:
    """A filter form that cleans only the fields the request gives (as the field's widget reads
    it: ``value_omitted_from_data``); a filter left out of ``cleaned_data`` is not applied.

    A field the request does not give cleans to its empty value, which no filter of the product
    applies (tests/core/test_filterset_copy.py checks every FilterSet of the API), and a
    FilterSet's fields are never required: cleaning them all changed nothing but the time (the
    community list's FilterSet for ``?district=``: 195-205 µs with its ten fields cleaned,
    150-158 µs with one) and a bound field each. Errors, the form drawn by the browsable API and
    the site, and the results are the same."""

    def _clean_fields(self):
        every = self.fields
        self.fields = {
            name: field
            for name, field in every.items()
            if not field.widget.value_omitted_from_data(
                self.data, self.files, self.add_prefix(name)
            )
        }
        try:
            super()._clean_fields()
        finally:
            self.fields = every


class FilterSet(django_filters.FilterSet):
    """django-filter's FilterSet without the deep copy of every filter per request.

    ``FilterSet.__init__`` deep-copies ``base_filters`` (the labels, choices, querysets and
    field classes of every filter) for each request; what an instance changes is its filters'
    ``model``, ``parent``, ``extra`` and cached form field, so a shallow copy of each filter
    with those made its own is enough, made when the filter is first read (``_OwnFilters``:
    for the fields a request gives). Every FilterSet of the product derives from it
    (issue 19; tests/core/test_filterset_copy.py checks the API's).

    Nor does it build its form class per request: django-filter makes a new ``Form`` subclass
    from a new field per filter each time. The fields depend only on the class's filters (their
    labels, choices, querysets), so the form class is made once per FilterSet class. Each form
    gets its own shallow copy of each field (``_FieldsCopiedShallow``) where Django deep-copies
    them: a filter form is validated, or drawn by the browsable API, and neither changes what a
    field holds. A filter whose queryset is a callable (chosen per request) keeps django-filter's
    per-request form class. The form cleans only the fields the request gives
    (``_GivenFieldsCleaned``).
    """

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        if queryset is None:
            queryset = self._meta.model._default_manager.all()
        self.is_bound = data is not None
        self.data = data or QueryDict()
        self.queryset = queryset
        self.request = request
        self.form_prefix = prefix
        self.filters = _OwnFilters(self.base_filters, self)

    def get_form_class(self):
        cls = type(self)
        form_class = cls.__dict__.get("_shared_form_class")
        if form_class is None:
            made = super().get_form_class()  # django-filter's, a field per filter
            form_class = type(made.__name__, (_GivenFieldsCleaned, made), {})
            if not any(callable(getattr(f, "queryset", None)) for f in self.filters.values()):
                form_class.base_fields = _FieldsCopiedShallow(form_class.base_fields)
                cls._shared_form_class = form_class  # on this class only, not its subclasses
        return form_class
