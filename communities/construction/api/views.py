"""``/api/v1/parties/`` (with the contractor scorecard), ``item-parties/``, ``inspections/``,
``findings/`` and ``rectification-orders/`` with report-fixed, close and reopen;
``acceptances/`` (created through the service, with meet-condition) and ``settlements/``."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response

from communities.construction.api.serializers import (
    AcceptanceCreateSerializer,
    AcceptanceSerializer,
    CloseSerializer,
    FindingSerializer,
    InspectionSerializer,
    ItemPartySerializer,
    MeetConditionSerializer,
    PartySerializer,
    RectificationOrderSerializer,
    ReopenSerializer,
    ReportFixedSerializer,
    SettlementSerializer,
)
from communities.construction.filters import (
    AcceptanceFilter,
    FindingFilter,
    InspectionFilter,
    ItemPartyFilter,
    PartyFilter,
    RectificationOrderFilter,
    SettlementFilter,
)
from communities.construction.models import (
    Acceptance,
    AcceptanceCondition,
    Finding,
    Inspection,
    ItemParty,
    Party,
    RectificationOrder,
    Settlement,
)
from communities.construction.services import (
    acceptance_condition_meet,
    acceptance_create,
    acceptance_record,
    rectification_order_close,
    rectification_order_reopen,
    rectification_order_report_fixed,
)
from communities.core.api.base import Conflict, DomainViewSet, HoldsPermission, raise_api_error
from communities.core.scoping import scope_queryset
from communities.places.models import Building
from communities.works.models.items import RenovationItem


class PartyViewSet(DomainViewSet):
    """Contractors, supervisors and designers, city-wide, each with its scorecard."""

    queryset = Party.objects.all()
    serializer_class = PartySerializer
    filterset_class = PartyFilter
    ordering = ["name", "id"]
    ordering_fields = [
        "id",
        "name",
        "item_count",
        "order_count",
        "open_orders",
        "overdue_orders",
        "overdue_rate",
        "rating_average",
    ]


class ItemPartyViewSet(DomainViewSet):
    queryset = ItemParty.objects.all()
    serializer_class = ItemPartySerializer
    filterset_class = ItemPartyFilter
    ordering = ["item_id", "role", "id"]
    ordering_fields = ["id", "role"]


class InspectionViewSet(DomainViewSet):
    queryset = Inspection.objects.all()
    serializer_class = InspectionSerializer
    filterset_class = InspectionFilter
    ordering = ["-visited_on", "-id"]
    ordering_fields = ["id", "visited_on", "kind"]


class FindingViewSet(DomainViewSet):
    queryset = Finding.objects.all()
    serializer_class = FindingSerializer
    filterset_class = FindingFilter
    ordering = ["inspection_id", "id"]
    ordering_fields = ["id", "severity"]


class RectificationOrderViewSet(DomainViewSet):
    """Rectification orders (整改); ``?overdue=true`` lists those open after their deadline."""

    queryset = RectificationOrder.objects.all()
    serializer_class = RectificationOrderSerializer
    filterset_class = RectificationOrderFilter
    ordering = ["deadline", "id"]
    ordering_fields = ["id", "deadline", "issued_on", "status"]
    action_permission = "communities.change_rectificationorder"

    def _move(self, request, move, payload_class, **renamed):
        payload = payload_class(data=request.data)
        payload.is_valid(raise_exception=True)
        arguments = {renamed.get(k, k): v for k, v in payload.validated_data.items()}
        order = self.get_object()
        try:
            move(order=order, **arguments)
        except DjangoValidationError as exc:
            raise_api_error(exc)
        fresh = self.get_queryset().get(pk=order.pk)
        return Response(self.get_serializer(fresh).data)

    @extend_schema(
        summary="The contractor reports the order fixed",
        description="An open order only (else 409). Needs `change_rectificationorder`.",
        request=ReportFixedSerializer,
        responses=RectificationOrderSerializer,
    )
    @action(
        detail=True, methods=["post"], url_path="report-fixed", permission_classes=[HoldsPermission]
    )
    def report_fixed(self, request, pk=None):
        return self._move(request, rectification_order_report_fixed, ReportFixedSerializer)

    @extend_schema(
        summary="The inspector closes an order reported fixed",
        description="An order reported fixed only (else 409). Needs `change_rectificationorder`.",
        request=CloseSerializer,
        responses=RectificationOrderSerializer,
    )
    @action(detail=True, methods=["post"], permission_classes=[HoldsPermission])
    def close(self, request, pk=None):
        return self._move(request, rectification_order_close, CloseSerializer)

    @extend_schema(
        summary="The inspector reopens an order reported fixed or closed",
        description="With the reason and optionally a new deadline; an open order answers 409.",
        request=ReopenSerializer,
        responses=RectificationOrderSerializer,
    )
    @action(detail=True, methods=["post"], permission_classes=[HoldsPermission])
    def reopen(self, request, pk=None):
        return self._move(request, rectification_order_reopen, ReopenSerializer)


class AcceptanceViewSet(DomainViewSet):
    """Completion acceptances (竣工验收). A create records the acceptance with its attendees and
    conditions through ``services.acceptance_create`` (an accepting conclusion accepts the
    item, in the same transaction); once recorded, date, conclusion and builder answer 409."""

    queryset = Acceptance.objects.all()
    serializer_class = AcceptanceSerializer
    filterset_class = AcceptanceFilter
    ordering = ["-accepted_on", "-id"]
    ordering_fields = ["id", "accepted_on", "conclusion"]
    action_permission = "communities.change_acceptance"

    def get_serializer_class(self):
        if self.action == "create":
            return AcceptanceCreateSerializer
        return super().get_serializer_class()

    def get_queryset(self):
        return AcceptanceSerializer.setup_queryset(Acceptance.objects.all())

    def _scoped(self, model, pk: int):
        """A record of ``model`` in the user's scope, or None (one query)."""
        return scope_queryset(model.objects.all(), self.request.user).filter(pk=pk).first()

    @extend_schema(
        summary="Record an acceptance",
        description=(
            "Records the acceptance with the parties present, residents' representatives and "
            "conditions; a conclusion of accepted or accepted with conditions moves the item "
            "from completed to accepted. An item not completed, or already accepted, answers 409."
        ),
        request=AcceptanceCreateSerializer,
        responses={201: AcceptanceSerializer},
    )
    def create(self, request, *args, **kwargs):
        payload = AcceptanceCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        values = dict(payload.validated_data)
        item = RenovationItem.objects.filter(pk=values.pop("item")).first()
        if item is None:
            raise_api_error(DjangoValidationError({"item": [_("No such renovation item.")]}))
        self.refuse_out_of_scope(item)  # 403 before anything is read from another district
        residents = []
        for row in values.pop("residents", []):
            row = dict(row)
            building = row.pop("building", None)
            row["building"] = self._scoped(Building, building) if building else None
            if building and row["building"] is None:
                raise_api_error(
                    DjangoValidationError({"residents": [_("No such building in your districts.")]})
                )
            row["room_number"] = row.get("room_number") or ""
            residents.append(row)
        try:
            acceptance = acceptance_create(
                item=item,
                residents=residents,
                parties=[dict(row) for row in values.pop("parties", [])],
                conditions=[dict(row) for row in values.pop("conditions", [])],
                by=request.user,
                **values,
            )
        except DjangoValidationError as exc:
            raise_api_error(exc)
        fresh = self.get_queryset().get(pk=acceptance.pk)
        body = AcceptanceSerializer(fresh, context=self.get_serializer_context()).data
        return Response(body, status=status.HTTP_201_CREATED)

    def public_queryset(self, queryset):
        """The public reads recorded acceptances; drafts are the office's own."""
        return queryset.filter(recorded_on__isnull=False)

    def perform_destroy(self, instance):
        if instance.is_recorded:
            raise Conflict(_("A recorded acceptance is a decision: it cannot be deleted."))
        super().perform_destroy(instance)

    @extend_schema(
        summary="Record a draft acceptance",
        description=(
            "A draft entered in the admin is recorded: it freezes, and an accepting conclusion "
            "moves the item to accepted. Already recorded, or an item not completed, answers "
            "409. Needs `change_acceptance`."
        ),
        request=None,
        responses=AcceptanceSerializer,
    )
    @action(detail=True, methods=["post"], permission_classes=[HoldsPermission])
    def record(self, request, pk=None):
        acceptance = self.get_object()
        try:
            acceptance_record(acceptance=acceptance, by=request.user)
        except DjangoValidationError as exc:
            raise_api_error(exc)
        fresh = self.get_queryset().get(pk=acceptance.pk)
        return Response(AcceptanceSerializer(fresh, context=self.get_serializer_context()).data)

    @extend_schema(
        summary="A condition of the acceptance is met",
        description="With how and when; a condition already met answers 409. "
        "Needs `change_acceptance`.",
        request=MeetConditionSerializer,
        responses=AcceptanceSerializer,
    )
    @action(
        detail=True,
        methods=["post"],
        url_path="meet-condition",
        permission_classes=[HoldsPermission],
    )
    def meet_condition(self, request, pk=None):
        acceptance = self.get_object()
        payload = MeetConditionSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        condition = AcceptanceCondition.objects.filter(
            pk=payload.validated_data["condition"], acceptance=acceptance
        ).first()
        if condition is None:
            raise_api_error(
                DjangoValidationError({"condition": [_("No such condition of this acceptance.")]})
            )
        try:
            acceptance_condition_meet(
                condition=condition,
                note=payload.validated_data["note"],
                met_on=payload.validated_data.get("met_on"),
            )
        except DjangoValidationError as exc:
            raise_api_error(exc)
        fresh = self.get_queryset().get(pk=acceptance.pk)
        return Response(AcceptanceSerializer(fresh, context=self.get_serializer_context()).data)


class SettlementViewSet(DomainViewSet):
    """Settlement audits (结算审计): budget, spent and settled per item; an amount over the
    budget needs its explanation. Frozen once recorded: a change or a delete answers 409."""

    queryset = Settlement.objects.all()
    serializer_class = SettlementSerializer
    filterset_class = SettlementFilter
    ordering = ["-audited_on", "-id"]
    ordering_fields = ["id", "audited_on", "settled_amount"]

    def perform_destroy(self, instance):
        raise Conflict(_("A recorded settlement is a decision: it cannot be deleted."))
