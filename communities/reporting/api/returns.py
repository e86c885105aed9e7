"""``/api/v1/annual-plans/`` and the monthly returns: ``reports/monthly/`` (JSON, xlsx, CSV),
``reports/monthly/submit/`` and ``reports/submitted/``, for staff, within their scope."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import exceptions, generics, permissions, renderers, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from communities.core.api.base import DomainSerializer, DomainViewSet
from communities.core.api.renderers import JSONRenderer
from communities.core.api.schema import QueryParametersSchema
from communities.core.scoping import scope_for
from communities.places.models import Community
from communities.reporting import downloads, returns
from communities.reporting.models import AnnualPlan, SubmittedReturn
from communities.reporting.policy import planned_outside_district

# --- Annual plans -----------------------------------------------------------------------------


class AnnualPlanSerializer(DomainSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:annualplan-detail")
    district = serializers.SlugRelatedField(
        slug_field="code", queryset=AnnualPlan._meta.get_field("district").related_model.objects
    )
    communities = serializers.PrimaryKeyRelatedField(
        many=True,
        queryset=Community.objects.all(),
        required=False,
        help_text=_("Ids of the communities planned for the year (of this district)."),
    )

    class Meta:
        model = AnnualPlan
        fields = [
            "id",
            "url",
            "district",
            "year",
            "target_communities",
            "target_households",
            "target_buildings",
            "target_investment",
            "communities",
            "note",
        ]

    @classmethod
    def setup_queryset(cls, queryset):
        return queryset.select_related("district").prefetch_related("communities")

    def validate(self, attrs):
        planned = attrs.pop("communities", None)
        attrs = super().validate(attrs)
        if planned is not None:
            district = attrs.get("district") or getattr(self.instance, "district", None)
            outside = planned_outside_district(getattr(district, "pk", None), planned)
            if outside:
                raise serializers.ValidationError(
                    {
                        "communities": [
                            _("Not in the plan's district: %(names)s.")
                            % {"names": ", ".join(outside)}
                        ]
                    }
                )
            attrs["communities"] = planned
        return attrs

    def _save_candidate(self, validated_data):
        planned = validated_data.pop("communities", None)
        plan = super()._save_candidate(validated_data)
        if planned is not None:
            plan.communities.set(planned)
        return plan


class AnnualPlanViewSet(DomainViewSet):
    """The province's targets per district and year (public), entered by city staff."""

    queryset = AnnualPlan.objects.all()
    serializer_class = AnnualPlanSerializer
    filterset_fields = ["year"]
    ordering = ["-year", "district_id"]
    ordering_fields = ["id", "year"]


# --- Monthly returns --------------------------------------------------------------------------


class StaffSchema(QueryParametersSchema):
    """Staff-only reads: a GET also answers 401 and 403."""

    def _error_codes(self):
        codes = super()._error_codes()
        if self.method == "GET":
            codes[-1:-1] = [("401", _("Not authenticated")), ("403", _("Permission denied"))]
        return codes


class IsStaff(permissions.BasePermission):
    def has_permission(self, request, view):
        user = request.user
        return bool(user and user.is_authenticated and user.is_staff)


class CanSubmitReturns(permissions.BasePermission):
    def has_permission(self, request, view):
        user = request.user
        return bool(
            user
            and user.is_authenticated
            and user.is_staff
            and user.has_perm("communities.submit_return")
        )


class XlsxRenderer(renderers.BaseRenderer):
    media_type = downloads.XLSX_MEDIA_TYPE
    format = "xlsx"
    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return downloads.xlsx_bytes(data)


class CsvRenderer(renderers.BaseRenderer):
    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        # With a byte-order mark, so that Excel reads the Chinese as UTF-8.
        return ("\ufeff" + downloads.csv_text(data)).encode("utf-8")


class ReturnQuerySerializer(serializers.Serializer):
    period = serializers.CharField(help_text=_("The month, YYYY-MM."))
    region = serializers.CharField(
        help_text=_("A 2, 4 or 6-digit administrative code: province, city or district.")
    )

    def validate(self, attrs):
        errors, parsed = {}, {}
        for name, parse in (("period", returns.parse_period), ("region", returns.parse_region)):
            try:
                parsed[name] = parse(attrs[name])
            except returns.BadQuery as exc:
                errors[name] = [str(exc)]
        if errors:
            raise serializers.ValidationError(errors)
        return parsed


def _region_in_scope(request, region) -> None:
    if not returns.regions_in_scope(scope_for(request.user), region):
        raise exceptions.PermissionDenied(
            _("You may only report on regions within your own districts.")
        )


class _ReturnView(APIView):
    schema = StaffSchema()

    def perform_content_negotiation(self, request, force=False):
        """An unknown ``?format=`` is a 400 naming the formats (DRF answers 404)."""
        try:
            return super().perform_content_negotiation(request, force)
        except (exceptions.NotFound, Http404) as exc:
            raise serializers.ValidationError(
                {"format": [_("Choose the format json, xlsx or csv.")]}
            ) from exc

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if response.status_code >= 400 and not isinstance(
            response.accepted_renderer, renderers.JSONRenderer
        ):
            # Errors are always JSON, even when a download was asked for.
            response.accepted_renderer = JSONRenderer()
            response.accepted_media_type = "application/json"
            response.renderer_context = self.get_renderer_context()
        return response


RETURN_SCHEMA = inline_serializer(
    "MonthlyReturn",
    {
        "region": serializers.CharField(),
        "region_name": serializers.CharField(),
        "period": serializers.CharField(),
        "plan": serializers.DictField(),
        "progress": serializers.DictField(),
        "rates": serializers.DictField(),
        "investment": serializers.DictField(),
        "quantities": serializers.DictField(),
        "variances": serializers.DictField(allow_null=True),
    },
)


class MonthlyReturnView(_ReturnView):
    """The monthly return of a region (province, city or district) for a month: plan,
    starts and completions, rates against the plan, investment by source, quantities, and
    variances against the last submitted return. ``?format=xlsx`` or ``csv`` downloads it."""

    permission_classes = [IsStaff]
    renderer_classes = [JSONRenderer, XlsxRenderer, CsvRenderer]
    http_method_names = ["get", "head", "options"]

    @extend_schema(
        summary="The monthly return of a region",
        parameters=[
            ReturnQuerySerializer,
            OpenApiParameter(
                "format", OpenApiTypes.STR, enum=["json", "xlsx", "csv"], required=False
            ),
        ],
        responses={
            (200, "application/json"): RETURN_SCHEMA,
            (200, XlsxRenderer.media_type): OpenApiTypes.BINARY,
            (200, "text/csv"): OpenApiTypes.STR,
        },
    )
    def get(self, request):
        query = ReturnQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        region, period = query.validated_data["region"], query.validated_data["period"]
        _region_in_scope(request, region)
        response = Response(returns.monthly_return(region, period))
        fmt = request.accepted_renderer.format
        if fmt in {"xlsx", "csv"}:
            name = f"return-{region.code}-{period.code}.{fmt}"
            response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response


class SubmittedReturnSerializer(serializers.ModelSerializer):
    submitted_by = serializers.CharField(source="submitted_by.get_username", read_only=True)

    class Meta:
        model = SubmittedReturn
        fields = ["id", "region", "period", "figures", "submitted_by", "submitted_at"]
        read_only_fields = fields


class SubmitReturnView(_ReturnView):
    """Lock a return: its figures are kept as they read now, with who and when."""

    permission_classes = [CanSubmitReturns]
    http_method_names = ["post", "options"]

    @extend_schema(
        summary="Submit (lock) a monthly return",
        request=ReturnQuerySerializer,
        responses={201: SubmittedReturnSerializer},
    )
    def post(self, request):
        query = ReturnQuerySerializer(data=request.data)
        query.is_valid(raise_exception=True)
        region, period = query.validated_data["region"], query.validated_data["period"]
        _region_in_scope(request, region)
        try:
            submitted = returns.return_submit(region=region, period=period, user=request.user)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.messages) from exc
        return Response(SubmittedReturnSerializer(submitted).data, status=status.HTTP_201_CREATED)


class SubmittedReturnListView(generics.ListAPIView):
    """The returns submitted, latest first, within the reader's scope (a district's staff
    see their districts' own returns)."""

    schema = StaffSchema()
    permission_classes = [IsStaff]
    serializer_class = SubmittedReturnSerializer
    filterset_fields = ["region", "period"]
    ordering_fields = ["submitted_at", "period", "region"]

    def get_queryset(self):
        rows = SubmittedReturn.objects.select_related("submitted_by").order_by(
            "-submitted_at", "-id"
        )
        return returns.scoped_submitted(rows, scope_for(self.request.user))
