"""The property service list's FilterSet (API)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from communities.core.filters import BooleanFilter, DateFilter, FilterSet, IntegerFilter
from communities.places.filters import district_filter
from communities.property.choices import ManagementMode
from communities.property.models import PropertyService


class PropertyServiceFilter(FilterSet):
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
