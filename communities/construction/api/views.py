"""``/api/v1/parties/`` (with the contractor scorecard), ``item-parties/``, ``inspections/``,
``findings/`` and ``rectification-orders/`` with report-fixed, close and reopen."""

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.response import Response

from communities.construction.api.serializers import (
    CloseSerializer,
    FindingSerializer,
    InspectionSerializer,
    ItemPartySerializer,
    PartySerializer,
    RectificationOrderSerializer,
    ReopenSerializer,
    ReportFixedSerializer,
)
from communities.construction.filters import (
    FindingFilter,
    InspectionFilter,
    ItemPartyFilter,
    PartyFilter,
    RectificationOrderFilter,
)
from communities.construction.models import (
    Finding,
    Inspection,
    ItemParty,
    Party,
    RectificationOrder,
)
from communities.construction.services import (
    rectification_order_close,
    rectification_order_reopen,
    rectification_order_report_fixed,
)
from communities.core.api.base import DomainViewSet, HoldsPermission, raise_api_error


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
