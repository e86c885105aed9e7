"""``/api/v1/communities/``: the list (served lean), a community's whole record, and the
map's GeoJSON."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import renderers
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.settings import api_settings

from communities.core.api import lean
from communities.core.api.base import DomainViewSet
from communities.core.api.filtering import DjangoFilterBackend
from communities.dossier.api.serializers import (
    CommunityDetailSerializer,
    CommunityFeatureCollectionSerializer,
    CommunitySerializer,
)
from communities.dossier.filters import CommunityFilter
from communities.places.api.ordering import SortKeyOrderingFilter
from communities.places.models import Community

# The most communities one GeoJSON answer carries (a province's worth).
GEOJSON_MAX_FEATURES = 10_000


class CommunityViewSet(DomainViewSet):
    queryset = Community.objects.all()
    serializer_class = CommunitySerializer
    detail_serializer_class = CommunityDetailSerializer
    filterset_class = CommunityFilter
    lean_list = True
    # Registration order: the primary key's index serves the first page of 220,000 rows at
    # once (ordering by district code and name sorts the whole table for it); ?ordering=
    # chooses another order.
    ordering = ["id"]
    # ?ordering=name is pinyin order (Community.name_sort), the name itself breaking ties.
    filter_backends = [DjangoFilterBackend, SortKeyOrderingFilter]
    ordering_sort_keys = {"name": "name_sort"}
    ordering_fields = [
        "id",
        "name",
        "year_built",
        "households",
        "floor_area_m2",
        "renovation_year",
        "started_on",
        "completed_on",
        "updated_at",
    ]

    def get_serializer_class(self):
        if self._serves_lean_detail():
            return CommunitySerializer  # the community's own fields; retrieve adds the rest
        return super().get_serializer_class()

    def retrieve(self, request, *args, **kwargs):
        if not self._serves_lean_detail():
            return super().retrieve(request, *args, **kwargs)
        community = self.get_object()
        plan = lean.plan_for(CommunitySerializer)
        if plan is None:
            data = self.get_serializer(community).data
        else:  # the community's own fields as its list gives them, from the row in hand
            data = plan.represent([plan.row_of(community)], request)[0]
        data.update(CommunityDetailSerializer.lean_parts(community, request))
        return Response(data)

    def _serves_lean_detail(self) -> bool:
        """A community's detail as JSON for a reader who sees no personal data (the public,
        outside systems) is read lean: 16 ms at national scale through the serializers, 7 ms
        so. Staff read it through them, as their scope decides record by record."""
        request = getattr(self, "request", None)
        user = getattr(request, "user", None)
        return (
            self.action == "retrieve"
            and isinstance(getattr(request, "accepted_renderer", None), renderers.JSONRenderer)
            and not (user is not None and user.is_authenticated and user.is_staff)
        )

    @extend_schema(
        summary="Communities as a GeoJSON FeatureCollection",
        description=(
            "Every community that has a location and matches the filters (the same filters as "
            "the list), unpaginated, for drawing a map: marker colour by `status`, popup with "
            "name, district, batch year and a link to the public page."
        ),
        filters=True,
        responses=CommunityFeatureCollectionSerializer,
    )
    @action(
        detail=False,
        pagination_class=None,
        url_path="geojson",
        url_name="geojson",
        public_read=True,
    )
    def geojson(self, request):
        communities = self.filter_queryset(self.get_queryset()).filter(
            latitude__isnull=False, longitude__isnull=False
        )
        # One map shows a bounded number of markers: a nation's 220,000 communities in one
        # answer would take longer than any client waits. The count stops at the cap + 1.
        if communities.order_by()[: GEOJSON_MAX_FEATURES + 1].count() > GEOJSON_MAX_FEATURES:
            raise ValidationError(
                {
                    api_settings.NON_FIELD_ERRORS_KEY: [
                        _(
                            "More than %(max)s communities match: choose a district, a status "
                            "or an area of the map (bbox) to show fewer."
                        )
                        % {"max": f"{GEOJSON_MAX_FEATURES:,}"}
                    ]
                }
            )
        collection = CommunityFeatureCollectionSerializer(
            CommunityFeatureCollectionSerializer.collect(communities),
            context=self.get_serializer_context(),
        )
        return Response(collection.data)
