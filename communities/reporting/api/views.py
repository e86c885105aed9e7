"""``/api/v1/stats/``: the city's headline figures and breakdowns, cached until the data changes."""

from django.http import HttpResponse
from django.utils.translation import get_language
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, renderers
from rest_framework.response import Response
from rest_framework.views import APIView

from communities.core.api.base import (
    ApiAutoSchema,
)
from communities.reporting import selectors
from communities.reporting.api.serializers import StatisticsQuerySerializer, StatisticsSerializer

# --- Statistics -------------------------------------------------------------------------------


class StatisticsView(APIView):
    """The city's headline figures with breakdowns by district, year, category and facility."""

    schema = ApiAutoSchema()
    # Aggregates of public records only; there is nothing to write.
    permission_classes = [permissions.AllowAny]
    http_method_names = ["get", "head", "options"]
    query_serializer_class = StatisticsQuerySerializer

    @extend_schema(
        summary="Headline figures and breakdowns",
        responses=StatisticsSerializer,
    )
    def get(self, request):
        query = self.query_serializer_class(data=request.query_params)
        query.is_valid(raise_exception=True)
        district = query.validated_data.get("district")
        code = district.code if district else None
        year = query.validated_data.get("year")

        def data():
            statistics = selectors.city_statistics(district=code, year=year)
            return StatisticsSerializer({"district": code, "year": year, **statistics}).data

        renderer, media_type = request.accepted_renderer, request.accepted_media_type
        if not isinstance(renderer, renderers.JSONRenderer):
            return Response(data())
        # The JSON body itself is cached with the figures: at national scale the city-wide
        # answer lists ~2,800 districts, and serializing it costs far more than reading it.
        body = selectors.cached_statistics(
            "api-json",
            lambda: renderer.render(data(), media_type, self.get_renderer_context()),
            code,
            year,
            get_language(),
            media_type,
        )
        return HttpResponse(body, content_type=media_type)
