"""``/api/v1/service-requests/``: repair requests, their lifecycle moves and measures."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from communities.core.api.base import (
    ScopedViewMixin,
    StrictOrderingFilter,
    raise_api_error,
)
from communities.core.api.filtering import DjangoFilterBackend
from communities.core.api.schema import QueryParametersSchema
from communities.repairs import services as services_repairs
from communities.repairs.api.serializers import (
    NoteSerializer,
    PublicRepairRequestSerializer,
    RateSerializer,
    ReasonSerializer,
    RepairPublishSerializer,
    RepairStatsSerializer,
    ResolveSerializer,
    StaffRepairRequestDetailSerializer,
    StaffRepairRequestSerializer,
    StatsQuerySerializer,
    SubmitSerializer,
)
from communities.repairs.filters import RepairRequestFilter
from communities.repairs.models import RepairEvent, RepairRequest
from communities.repairs.selectors import (
    citywide_measures_refusal,
    repair_measures,
)

# --- Filters ----------------------------------------------------------------------------------


# --- Permissions ------------------------------------------------------------------------------


class RepairRequestPermission(permissions.BasePermission):
    """Anyone reads (what they may see); filing needs ``add_repairrequest``, every lifecycle
    move ``change_repairrequest``, both for a staff user."""

    def has_permission(self, request, view):
        if request.method in permissions.SAFE_METHODS:
            return True
        user = request.user
        if not (user and user.is_authenticated and user.is_staff):
            return False
        needed = "add" if view.action == "create" else "change"
        return user.has_perm(f"communities.{needed}_repairrequest")


# --- Views ------------------------------------------------------------------------------------


class RepairRequestViewSet(
    ScopedViewMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Repair requests (报修). Staff see the requests of their scope (their districts, or the
    communities their company serves) with the reporter's name and phone and the timeline;
    everybody else sees the public requests, without any personal data."""

    schema = QueryParametersSchema()
    permission_classes = [RepairRequestPermission]
    filterset_class = RepairRequestFilter
    filter_backends = [DjangoFilterBackend, StrictOrderingFilter]
    ordering_fields = ["submitted_at", "deadline_at", "updated_at", "id"]
    queryset = RepairRequest.objects.all()
    # A staff answer names the reporter throughout: staff read their scope's requests only
    # (another district's public ones are on the public site, without names).
    limited_staff_read = "scope"

    def _staff(self) -> bool:
        return self.may_read_private()

    def public_queryset(self, queryset):
        return queryset.public()

    def get_queryset(self):
        requests = RepairRequest.objects.all()
        requests = requests.select_related("community__district", "building")
        if self._staff():
            requests = requests.select_related("grid_inspector")
            if self.action == "retrieve":
                requests = requests.prefetch_related(
                    Prefetch("timeline", queryset=RepairEvent.objects.order_by("at", "id"))
                )
        return requests

    def get_serializer_class(self):
        if self.action == "create":
            return SubmitSerializer
        if not self._staff():
            return PublicRepairRequestSerializer
        if self.action == "retrieve":
            return StaffRepairRequestDetailSerializer
        return StaffRepairRequestSerializer

    def _answer(self, repair_request, code=status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().prefetch_related("timeline").get(pk=repair_request.pk)
        serializer = StaffRepairRequestDetailSerializer(
            fresh, context=self.get_serializer_context()
        )
        return Response(serializer.data, status=code)

    @extend_schema(
        summary="File a repair request",
        request=SubmitSerializer,
        responses={201: StaffRepairRequestDetailSerializer},
    )
    def create(self, request, *args, **kwargs):
        serializer = SubmitSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        try:
            with transaction.atomic():
                repair_request = services_repairs.repair_request_submit(by=request.user, **data)
                self.refuse_out_of_scope(repair_request)
        except DjangoValidationError as exc:
            raise_api_error(exc)
        return self._answer(repair_request, status.HTTP_201_CREATED)

    def _move(self, request, mover, input_serializer=None, **fixed):
        arguments = dict(fixed)
        if input_serializer is not None:
            payload = input_serializer(data=request.data)
            payload.is_valid(raise_exception=True)
            arguments.update(payload.validated_data)
        repair_request = self.get_object()
        try:
            moved = mover(repair_request=repair_request, by=request.user, **arguments)
        except DjangoValidationError as exc:
            raise_api_error(exc)
        return self._answer(moved)

    @extend_schema(
        summary="Dispatch to the property service covering the community",
        request=NoteSerializer,
        responses=StaffRepairRequestDetailSerializer,
    )
    # Not named ``dispatch``: that is the method every view answers requests through.
    @action(detail=True, methods=["post"], url_path="dispatch", url_name="dispatch")
    def dispatch_to_handler(self, request, pk=None):
        return self._move(request, services_repairs.repair_request_dispatch, NoteSerializer)

    @extend_schema(
        summary="Start the work",
        request=NoteSerializer,
        responses=StaffRepairRequestDetailSerializer,
    )
    @action(detail=True, methods=["post"])
    def start(self, request, pk=None):
        return self._move(request, services_repairs.repair_request_start, NoteSerializer)

    @extend_schema(
        summary="Resolve (say what was done)",
        request=ResolveSerializer,
        responses=StaffRepairRequestDetailSerializer,
    )
    @action(detail=True, methods=["post"])
    def resolve(self, request, pk=None):
        return self._move(request, services_repairs.repair_request_resolve, ResolveSerializer)

    @extend_schema(
        summary="Record the reporter's rating (closes the request)",
        request=RateSerializer,
        responses=StaffRepairRequestDetailSerializer,
    )
    @action(detail=True, methods=["post"])
    def rate(self, request, pk=None):
        return self._move(request, services_repairs.repair_request_rate, RateSerializer)

    @extend_schema(
        summary="Reopen: the reporter is not satisfied",
        request=ReasonSerializer,
        responses=StaffRepairRequestDetailSerializer,
    )
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        return self._move(request, services_repairs.repair_request_reopen, ReasonSerializer)

    @extend_schema(
        summary="Reject with a reason",
        request=ReasonSerializer,
        responses=StaffRepairRequestDetailSerializer,
    )
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        return self._move(request, services_repairs.repair_request_reject, ReasonSerializer)

    @extend_schema(
        summary="Close a resolved request left unrated for the set days",
        request=None,
        responses=StaffRepairRequestDetailSerializer,
    )
    @action(detail=True, methods=["post"], url_path="auto-close")
    def auto_close(self, request, pk=None):
        return self._move(request, services_repairs.repair_request_auto_close)

    @extend_schema(
        summary="Show to or hide from the public",
        request=RepairPublishSerializer,
        responses=StaffRepairRequestDetailSerializer,
    )
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        return self._move(
            request, services_repairs.repair_request_set_public, RepairPublishSerializer
        )

    @extend_schema(
        summary="Measures: by status and category; by community, company, district, month",
        parameters=[StatsQuerySerializer],
        responses=RepairStatsSerializer,
    )
    @action(
        detail=False, methods=["get"], permission_classes=[permissions.AllowAny], public_read=True
    )
    def stats(self, request):
        query = StatsQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data
        if not params.get("district") and not params.get("community"):
            # City-wide measures read every request; past this many (a province's worth)
            # they take longer than a client waits: the answer asks for a scope instead.
            refusal = citywide_measures_refusal(
                category=params.get("category"),
                since=params.get("since"),
                until=params.get("until"),
            )
            if refusal:
                raise serializers.ValidationError({"district": [refusal]})
        measures = repair_measures(
            district=params["district"].code if params.get("district") else None,
            community=params["community"].pk if params.get("community") else None,
            category=params.get("category"),
            since=params.get("since"),
            until=params.get("until"),
        )
        return Response(RepairStatsSerializer(measures).data)
