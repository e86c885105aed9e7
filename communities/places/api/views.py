"""``/api/v1/districts/`` and ``/api/v1/buildings/``."""

from communities.core.api.base import DomainViewSet
from communities.places.api.serializers import BuildingSerializer, DistrictSerializer
from communities.places.filters import BuildingFilter
from communities.places.models import Building, District

# --- Places -----------------------------------------------------------------------------------


class DistrictViewSet(DomainViewSet):
    queryset = District.objects.all()
    serializer_class = DistrictSerializer
    lookup_field = "code"
    lookup_value_regex = r"\d{6}"
    ordering = ["code"]
    ordering_fields = ["code", "name", "communities_count"]


class BuildingViewSet(DomainViewSet):
    queryset = Building.objects.all()
    serializer_class = BuildingSerializer
    filterset_class = BuildingFilter
    ordering = ["community_id", "label"]
    ordering_fields = ["id", "label", "storeys", "households", "year_built", "appraised_on"]
