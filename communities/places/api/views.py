"""``/api/v1/districts/`` and ``/api/v1/buildings/``."""

from django_filters.rest_framework import DjangoFilterBackend

from communities.core.api.base import DomainViewSet
from communities.places.api.ordering import SortKeyOrderingFilter
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
    filter_backends = [DjangoFilterBackend, SortKeyOrderingFilter]
    # Numbers in natural order: 1号楼, 2号楼 … 10号楼 (Building.label_sort).
    ordering = ["community_id", "label_sort", "label"]
    ordering_fields = ["id", "label", "storeys", "households", "year_built", "appraised_on"]
    ordering_sort_keys = {"label": "label_sort"}
