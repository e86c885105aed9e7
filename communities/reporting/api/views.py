"""``/api/v1/stats/``: the city's headline figures and breakdowns, cached until the data changes;
``/api/v1/regions/``: the provinces and cities with their figures."""

from urllib.parse import urlencode

from django.core.paginator import EmptyPage, Paginator
from django.http import HttpResponse
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, permissions, renderers, viewsets
from rest_framework.response import Response
from rest_framework.views import APIView

from communities.core import clock
from communities.core.api.base import (
    ApiAutoSchema,
    DomainViewSet,
    ErrorSerializer,
    ScopedViewMixin,
)
from communities.core.api.renderers import JSONRenderer
from communities.places.choices import RegionLevel
from communities.places.models import Community, Region
from communities.reporting import oc4ids, progress, regions, selectors
from communities.reporting.api.serializers import (
    AsOfQuerySerializer,
    OC4IDSQuerySerializer,
    RegionDetailSerializer,
    RegionSerializer,
    StatisticsQuerySerializer,
    StatisticsSerializer,
)

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
        region = query.validated_data.get("region")
        year = query.validated_data.get("year")
        as_of = query.validated_data.get("as_of")

        def data():
            statistics = selectors.city_statistics(district=code or region, year=year, as_of=as_of)
            return StatisticsSerializer(
                {
                    "district": code,
                    "region": region,
                    "year": year,
                    "as_of": as_of,
                    "formula": progress.formula(),
                    **statistics,
                }
            ).data

        renderer, media_type = request.accepted_renderer, request.accepted_media_type
        if not isinstance(renderer, renderers.JSONRenderer):
            return Response(data())
        # The JSON body itself is cached with the figures: at national scale the city-wide
        # answer lists ~2,800 districts, and serializing it costs far more than reading it.
        body = selectors.cached_statistics(
            "api-json",
            lambda: renderer.render(data(), media_type, self.get_renderer_context()),
            code,
            region,
            year,
            as_of,
            get_language(),
            media_type,
        )
        return HttpResponse(body, content_type=media_type)


# --- Regions ----------------------------------------------------------------------------------


class RegionViewSet(DomainViewSet):
    """Provinces and cities above the districts, each with its headline figures and progress,
    the sums of its districts'; a region's detail lists its children with theirs."""

    queryset = Region.objects.all()
    serializer_class = RegionSerializer
    detail_serializer_class = RegionDetailSerializer
    query_serializer_class = AsOfQuerySerializer
    # Region names are data kept in the admin; the API reads them.
    http_method_names = ["get", "head", "options"]
    lookup_field = "code"
    lookup_value_regex = r"[0-9]{2}(?:[0-9]{2})?"
    ordering = ["code"]
    ordering_fields = ["code", "name"]
    filterset_fields = ["level"]

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        query = self.query_serializer_class(data=request.query_params)
        query.is_valid(raise_exception=True)
        self.as_of = query.validated_data.get("as_of")

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if getattr(self, "as_of", "unset") == "unset":
            return context  # the schema generator and the browsable forms
        figures = regions.area_figures(self.as_of)
        context["figures"] = figures
        context["formula"] = progress.formula()
        cities: dict[str, int] = {}
        for code in Region.objects.filter(level=RegionLevel.CITY).values_list("code", flat=True):
            cities[code[:2]] = cities.get(code[:2], 0) + 1
        context["cities"] = cities
        if self.action == "retrieve":
            context["children"] = regions.children_of(self.kwargs["code"], figures)
        return context


# --- Open data: OC4IDS ------------------------------------------------------------------------


class OC4IDSViewSet(ScopedViewMixin, viewsets.GenericViewSet):
    """Each community's renovation batch as an OC4IDS 0.9.4 project, in a project package of
    at most ``page_size`` projects, with ``links.next`` to the next package."""

    schema = ApiAutoSchema()
    queryset = Community.objects.all()
    query_serializer_class = OC4IDSQuerySerializer
    permission_classes = [permissions.AllowAny]  # public data only; nothing to write
    renderer_classes = [JSONRenderer]
    pagination_class = None
    filter_backends: list = []

    @extend_schema(
        summary="OC4IDS project package",
        description=(
            "Open Contracting for Infrastructure Data Standard 0.9.4: one project per "
            "community in the programme, oldest first. A page past the last, or filters no "
            "community matches, is a 404 (a package holds at least one project)."
        ),
        responses={200: OpenApiTypes.OBJECT, 404: ErrorSerializer},
    )
    def list(self, request):
        query = self.query_serializer_class(data=request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data
        communities = self.filter_queryset(
            oc4ids.published_communities(area=params.get("region"), year=params.get("year"))
        )
        paginator = Paginator(
            communities, params.get("page_size", oc4ids.PAGE_SIZE), allow_empty_first_page=False
        )
        try:
            page = paginator.page(params.get("page", 1))
        except EmptyPage:
            raise exceptions.NotFound(_("No community's renovation matches: no package.")) from None
        base = request.build_absolute_uri(reverse("api:oc4ids-list"))
        kept = {key: value for key, value in request.query_params.items() if key != "page"}

        def link(number: int) -> str:
            return base + "?" + urlencode({**kept, "page": number})

        links = {}
        if page.has_next():
            links["next"] = link(page.next_page_number())
        if page.has_previous():
            links["prev"] = link(page.previous_page_number())
        body = oc4ids.package(
            uri=link(page.number),
            projects_=oc4ids.projects(list(page.object_list), clock.today()),
            links=links,
        )
        return Response(body)
