"""The community finder: one FilterSet for the public list, the map, the CSV and the API,
across every part (status, batch, property service, elevators, facilities, place)."""

from datetime import date

import django_filters
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from communities.core.filters import BBoxFilter, BooleanFilter, FilterSet, IntegerFilter
from communities.elevators.models import ElevatorRetrofit
from communities.places.choices import RenovationStatus
from communities.places.filters import district_filter
from communities.places.models import Community
from communities.places.selectors import community_search_q
from communities.property.choices import ManagementMode
from communities.property.models import PropertyService
from communities.works.choices import FacilityKind
from communities.works.models.facilities import Facility

NO_SERVICE = "none"
PROPERTY_MODE_CHOICES = [*ManagementMode.choices, (NO_SERVICE, _("No property service"))]


# --- Places -----------------------------------------------------------------------------------


class CommunityFilter(FilterSet):
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
        # Name or address contains it; one or two characters through the grams' index.
        return queryset.filter(community_search_q(value, using=queryset.db))
