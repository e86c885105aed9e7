"""django-filter FilterSets: the API and the public list filter through the same classes.

A malformed value is a validation error (a 400 in the API, a form error on the site), never a
500 and never silently ignored.
"""

from datetime import date
from decimal import Decimal, InvalidOperation

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from communities.choices import (
    Category,
    ElevatorStage,
    ItemStatus,
    ManagementMode,
    RenovationStatus,
)
from communities.models import (
    Community,
    District,
    ElevatorRetrofit,
    PropertyService,
    RenovationItem,
    RenovationKind,
)

NO_SERVICE = "none"
PROPERTY_MODE_CHOICES = [*ManagementMode.choices, (NO_SERVICE, _("No property service"))]


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


class CommunityFilter(django_filters.FilterSet):
    district = django_filters.ModelChoiceFilter(
        queryset=District.objects.all(),
        to_field_name="code",
        label=_("District (administrative code)"),
    )
    status = django_filters.ChoiceFilter(
        field_name="renovation_status", choices=RenovationStatus.choices, label=_("Status")
    )
    renovation_year = django_filters.NumberFilter(label=_("Renovation batch year"))
    built_before = django_filters.NumberFilter(
        field_name="year_built", lookup_expr="lt", label=_("Built before (year)")
    )
    property_mode = django_filters.ChoiceFilter(
        choices=PROPERTY_MODE_CHOICES,
        method="filter_property_mode",
        label=_("Current property management"),
    )
    has_elevator = django_filters.BooleanFilter(
        method="filter_has_elevator", label=_("Has a retrofitted elevator in service")
    )
    q = django_filters.CharFilter(method="filter_q", label=_("Name or address contains"))
    bbox = BBoxFilter(label=_("Bounding box: min_lng,min_lat,max_lng,max_lat"))

    class Meta:
        model = Community
        fields = ["district", "status", "renovation_year", "built_before", "q", "bbox"]

    def filter_property_mode(self, queryset, name, value):
        current = PropertyService.objects.covering(date.today()).filter(community_id=OuterRef("pk"))
        if value == NO_SERVICE:
            return queryset.filter(~Exists(current))
        return queryset.filter(Exists(current.filter(mode=value)))

    def filter_has_elevator(self, queryset, name, value):
        in_service = ElevatorRetrofit.objects.filter(
            building__community_id=OuterRef("pk"), stage=ElevatorStage.IN_SERVICE
        )
        return queryset.filter(Exists(in_service) if value else ~Exists(in_service))

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(address__icontains=value))


class RenovationItemFilter(django_filters.FilterSet):
    community = django_filters.NumberFilter(field_name="community_id", label=_("Community id"))
    category = django_filters.ChoiceFilter(
        field_name="kind__category", choices=Category.choices, label=_("National category")
    )
    kind = django_filters.ModelChoiceFilter(
        queryset=RenovationKind.objects.all(), to_field_name="code", label=_("Kind (code)")
    )
    status = django_filters.ChoiceFilter(choices=ItemStatus.choices, label=_("Status"))
    year = django_filters.NumberFilter(
        field_name="community__renovation_year", label=_("Renovation batch year of the community")
    )

    class Meta:
        model = RenovationItem
        fields = ["community", "category", "kind", "status", "year"]
