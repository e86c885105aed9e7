"""django-filter FilterSets: the API and the public list filter through the same classes.

A malformed value is a validation error (a 400 in the API, a form error on the site), never a
500 and never silently ignored: years and ids must be whole numbers, booleans ``true`` or
``false``, codes must name an existing district or kind. Whole numbers and dates are bounded
(``communities.bounds``): a 20-digit id or a day in year 9999 is refused by name, not passed
on to overflow. Use ``IntegerFilter`` and ``DateFilter`` from here, never django-filter's own
(tests/test_security_input.py checks every FilterSet).
"""

from datetime import date
from decimal import Decimal, InvalidOperation

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.drainage import set_override
from drf_spectacular.utils import extend_schema_field

from communities import bounds
from communities.choices import (
    Category,
    ElevatorStage,
    FacilityKind,
    FundingSource,
    ItemStatus,
    ManagementMode,
    RenovationStatus,
    SafetyGrade,
)
from communities.models import (
    Building,
    Community,
    District,
    ElevatorRetrofit,
    Facility,
    FundingLine,
    PropertyService,
    RenovationItem,
    RenovationKind,
)

NO_SERVICE = "none"
PROPERTY_MODE_CHOICES = [*ManagementMode.choices, (NO_SERVICE, _("No property service"))]


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


def district_filter(field_name: str) -> django_filters.ModelChoiceFilter:
    """Filter by a district's administrative code; an unknown code is an error."""
    return django_filters.ModelChoiceFilter(
        field_name=field_name,
        queryset=District.objects.all(),
        to_field_name="code",
        label=_("District (administrative code)"),
    )


# --- Places -----------------------------------------------------------------------------------


class CommunityFilter(django_filters.FilterSet):
    district = district_filter("district")
    status = django_filters.ChoiceFilter(
        field_name="renovation_status", choices=RenovationStatus.choices, label=_("Status")
    )
    renovation_year = IntegerFilter(label=_("Renovation batch year"))
    built_before = IntegerFilter(
        field_name="year_built", lookup_expr="lt", label=_("Built before (year)")
    )
    property_mode = django_filters.ChoiceFilter(
        choices=PROPERTY_MODE_CHOICES,
        method="filter_property_mode",
        label=_("Current property management"),
    )
    has_elevator = BooleanFilter(
        method="filter_has_elevator", label=_("Has a retrofitted elevator in service")
    )
    property_service = BooleanFilter(
        method="filter_property_service", label=_("Under property service today")
    )
    facility = django_filters.ChoiceFilter(
        choices=FacilityKind.choices,
        method="filter_facility",
        label=_("Has an open facility of this kind"),
    )
    q = django_filters.CharFilter(method="filter_q", label=_("Name or address contains"))
    bbox = BBoxFilter(label=_("Bounding box: min_lng,min_lat,max_lng,max_lat"))

    class Meta:
        model = Community
        fields = ["district", "status", "renovation_year", "built_before", "q", "bbox"]

    @staticmethod
    def _service_today():
        """The community's services that cover today: what ``headline_figures`` counts."""
        return PropertyService.objects.covering(date.today()).filter(community_id=OuterRef("pk"))

    def filter_property_mode(self, queryset, name, value):
        current = self._service_today()
        if value == NO_SERVICE:
            return queryset.filter(~Exists(current))
        return queryset.filter(Exists(current.filter(mode=value)))

    def filter_has_elevator(self, queryset, name, value):
        in_service = ElevatorRetrofit.objects.in_service().filter(
            building__community_id=OuterRef("pk")
        )
        return queryset.filter(Exists(in_service) if value else ~Exists(in_service))

    def filter_property_service(self, queryset, name, value):
        covering = self._service_today()
        return queryset.filter(Exists(covering) if value else ~Exists(covering))

    def filter_facility(self, queryset, name, value):
        """Communities with a facility of this kind open today (the play-area figure)."""
        open_facility = Facility.objects.filter(
            community_id=OuterRef("pk"), kind=value, opened_on__lte=date.today()
        )
        return queryset.filter(Exists(open_facility))

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(address__icontains=value))


class BuildingFilter(django_filters.FilterSet):
    community = IntegerFilter(field_name="community_id", label=_("Community id"))
    district = district_filter("community__district")
    safety_grade = django_filters.ChoiceFilter(choices=SafetyGrade.choices, label=_("Safety grade"))
    dangerous = BooleanFilter(method="filter_dangerous", label=_("Graded C or D (reinforce first)"))

    class Meta:
        model = Building
        fields = ["community", "district", "safety_grade", "dangerous"]

    def filter_dangerous(self, queryset, name, value):
        dangerous = Q(safety_grade__in=SafetyGrade.dangerous())
        return queryset.filter(dangerous if value else ~dangerous)


# --- Renovation -------------------------------------------------------------------------------


class RenovationKindFilter(django_filters.FilterSet):
    category = django_filters.ChoiceFilter(choices=Category.choices, label=_("National category"))
    is_reinforcement = BooleanFilter(label=_("Structural reinforcement"))

    class Meta:
        model = RenovationKind
        fields = ["category", "is_reinforcement"]


class RenovationItemFilter(django_filters.FilterSet):
    community = IntegerFilter(field_name="community_id", label=_("Community id"))
    category = django_filters.ChoiceFilter(
        field_name="kind__category", choices=Category.choices, label=_("National category")
    )
    kind = django_filters.ModelChoiceFilter(
        queryset=RenovationKind.objects.all(), to_field_name="code", label=_("Kind (code)")
    )
    status = django_filters.ChoiceFilter(choices=ItemStatus.choices, label=_("Status"))
    year = IntegerFilter(
        field_name="community__renovation_year", label=_("Renovation batch year of the community")
    )

    class Meta:
        model = RenovationItem
        fields = ["community", "category", "kind", "status", "year"]


class FundingLineFilter(django_filters.FilterSet):
    item = IntegerFilter(field_name="item_id", label=_("Renovation item id"))
    community = IntegerFilter(field_name="item__community_id", label=_("Community id"))
    source = django_filters.ChoiceFilter(choices=FundingSource.choices, label=_("Source"))

    class Meta:
        model = FundingLine
        fields = ["item", "community", "source"]


# --- Elevators, property services, facilities ------------------------------------------------


class ElevatorRetrofitFilter(django_filters.FilterSet):
    stage = django_filters.ChoiceFilter(choices=ElevatorStage.choices, label=_("Stage"))
    district = district_filter("building__community__district")
    community = IntegerFilter(field_name="building__community_id", label=_("Community id"))
    building = IntegerFilter(field_name="building_id", label=_("Building id"))

    class Meta:
        model = ElevatorRetrofit
        fields = ["stage", "district", "community", "building"]


class PropertyServiceFilter(django_filters.FilterSet):
    community = IntegerFilter(field_name="community_id", label=_("Community id"))
    district = district_filter("community__district")
    mode = django_filters.ChoiceFilter(choices=ManagementMode.choices, label=_("Management mode"))
    is_red_property = BooleanFilter(label=_("Red property"))
    active_on = DateFilter(
        method="filter_active_on", label=_("Contract covers this date (YYYY-MM-DD)")
    )

    class Meta:
        model = PropertyService
        fields = ["community", "district", "mode", "is_red_property", "active_on"]

    def filter_active_on(self, queryset, name, value):
        return queryset.covering(value)


class FacilityFilter(django_filters.FilterSet):
    community = IntegerFilter(field_name="community_id", label=_("Community id"))
    district = district_filter("community__district")
    kind = django_filters.ChoiceFilter(choices=FacilityKind.choices, label=_("Kind"))
    is_open = BooleanFilter(method="filter_is_open", label=_("Open today"))

    class Meta:
        model = Facility
        fields = ["community", "district", "kind", "is_open"]

    def filter_is_open(self, queryset, name, value):
        is_open = Q(opened_on__lte=date.today())
        return queryset.filter(is_open if value else ~is_open)
