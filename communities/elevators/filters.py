"""The elevator retrofit list's FilterSet (API)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from communities.core.filters import FilterSet, IntegerFilter
from communities.elevators.choices import ElevatorStage
from communities.elevators.models import ElevatorRetrofit
from communities.places.filters import district_filter

# --- Elevators, property services, facilities ------------------------------------------------


class ElevatorRetrofitFilter(FilterSet):
    stage = django_filters.ChoiceFilter(choices=ElevatorStage.choices, label=_("Stage"))
    district = district_filter("building__community__district")
    community = IntegerFilter(field_name="building__community_id", label=_("Community id"))
    building = IntegerFilter(field_name="building_id", label=_("Building id"))

    class Meta:
        model = ElevatorRetrofit
        fields = ["stage", "district", "community", "building"]
