"""``/api/v1/districts/``, ``/api/v1/buildings/`` and ``/api/v1/building-appraisals/``."""

from django.db import transaction

from communities.core.api.base import DomainViewSet
from communities.core.api.filtering import DjangoFilterBackend
from communities.places.api.ordering import SortKeyOrderingFilter
from communities.places.api.serializers import (
    BuildingAppraisalSerializer,
    BuildingSerializer,
    DistrictSerializer,
)
from communities.places.filters import BuildingAppraisalFilter, BuildingFilter
from communities.places.models import Building, BuildingAppraisal, District
from communities.places.services import building_appraisal_record_initial

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

    def perform_create(self, serializer):
        """A building entered with its grade gets that appraisal as its first record."""
        with transaction.atomic():
            super().perform_create(serializer)
            building_appraisal_record_initial(building=serializer.instance, by=self.request.user)


class BuildingAppraisalViewSet(DomainViewSet):
    """Appraisals as records (added, never changed or deleted); the newest of a building gives
    it its safety grade."""

    queryset = BuildingAppraisal.objects.all()
    serializer_class = BuildingAppraisalSerializer
    filterset_class = BuildingAppraisalFilter
    http_method_names = ["get", "post", "head", "options"]
    ordering = ["building_id", "-appraised_on", "-id"]
    ordering_fields = ["id", "appraised_on", "grade"]
