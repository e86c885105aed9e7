"""``/api/v1/renovation-kinds/``, ``renovation-items/``, ``funding-lines/``, ``facilities/``
and ``design-plans/`` (炒菜) with their notice and approval."""

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.response import Response

from communities.core.api.base import DomainViewSet, HoldsPermission, raise_api_error
from communities.works.api.serializers import (
    ApproveSerializer,
    DesignPlanSerializer,
    FacilitySerializer,
    FundingLineSerializer,
    ItemQuantitySerializer,
    PublishSerializer,
    RenovationItemSerializer,
    RenovationKindSerializer,
)
from communities.works.filters import (
    DesignPlanFilter,
    FacilityFilter,
    FundingLineFilter,
    ItemQuantityFilter,
    RenovationItemFilter,
    RenovationKindFilter,
)
from communities.works.models.facilities import Facility
from communities.works.models.items import FundingLine, RenovationItem, RenovationKind
from communities.works.models.plans import DesignPlan
from communities.works.models.quantities import ItemQuantity
from communities.works.services import (
    design_plan_approve,
    design_plan_publish,
    renovation_item_saved,
)

# --- Renovation -------------------------------------------------------------------------------


class RenovationKindViewSet(DomainViewSet):
    queryset = RenovationKind.objects.all()
    serializer_class = RenovationKindSerializer
    filterset_class = RenovationKindFilter
    lookup_field = "code"
    lookup_value_regex = r"[-a-zA-Z0-9_]+"
    ordering = ["category", "sort_order", "code"]
    ordering_fields = ["code", "category", "sort_order"]

    def perform_create(self, serializer):
        self._refuse_reinforcement_flag(serializer, current=False)
        super().perform_create(serializer)

    def perform_update(self, serializer):
        self._refuse_reinforcement_flag(serializer, current=serializer.instance.is_reinforcement)
        super().perform_update(serializer)

    def _refuse_reinforcement_flag(self, serializer, *, current: bool) -> None:
        """The reinforcement flag unlocks work on dangerous buildings (reinforce first): set
        by migration or by a superuser only (403 for anyone else)."""
        wanted = serializer.validated_data.get("is_reinforcement", current)
        if wanted != current and not self.request.user.is_superuser:
            raise PermissionDenied(
                _("Only a superuser may mark a kind as structural reinforcement or unmark it.")
            )


class RenovationItemViewSet(DomainViewSet):
    queryset = RenovationItem.objects.all()
    serializer_class = RenovationItemSerializer
    filterset_class = RenovationItemFilter
    # JSON pages from ``.values()`` rows, the serializer's own output (communities.core.api.lean):
    # a community's items are what the mini-program and the hotline read most after the list.
    lean_list = True
    ordering = ["community_id", "kind__category", "id"]
    ordering_fields = [
        "id",
        "budget",
        "spent",
        "progress",
        "planned_start",
        "planned_end",
        "actual_start",
        "actual_end",
        "updated_at",
    ]

    def perform_create(self, serializer):
        with transaction.atomic():
            super().perform_create(serializer)
            self._item_saved(serializer, created=True)

    def perform_update(self, serializer):
        with transaction.atomic():
            super().perform_update(serializer)
            self._item_saved(serializer, created=False)

    def _item_saved(self, serializer, *, created: bool) -> None:
        """The item's place in its community (409 when its status does not allow it), then
        the community's status and dates after it."""
        try:
            renovation_item_saved(item=serializer.instance, created=created, by=self.request.user)
        except DjangoValidationError as error:
            raise_api_error(error)


class FundingLineViewSet(DomainViewSet):
    queryset = FundingLine.objects.all()
    serializer_class = FundingLineSerializer
    filterset_class = FundingLineFilter
    ordering = ["item_id", "source"]
    ordering_fields = ["id", "source", "amount"]


class FacilityViewSet(DomainViewSet):
    queryset = Facility.objects.all()
    serializer_class = FacilitySerializer
    filterset_class = FacilityFilter
    ordering = ["community_id", "kind", "name", "id"]
    ordering_fields = ["id", "kind", "name", "capacity", "area_m2", "opened_on"]


def may_see_draft_plans(request) -> bool:
    user = getattr(request, "user", None)
    return bool(user and user.is_authenticated and user.has_perm("communities.change_designplan"))


class DesignPlanViewSet(DomainViewSet):
    """Design plans (炒菜), publicly noticed before approval; only an approved plan lets its
    community's items of that batch start construction."""

    queryset = DesignPlan.objects.all()
    serializer_class = DesignPlanSerializer
    filterset_class = DesignPlanFilter
    ordering = ["community_id", "-batch_year", "-version"]
    ordering_fields = ["id", "batch_year", "version", "notice_start", "notice_end", "approved_on"]
    action_permission = "communities.approve_designplan"

    def public_queryset(self, queryset):
        return queryset.public()

    def may_read_private(self) -> bool:
        """Drafts: for those who write plans, within their scope."""
        return may_see_draft_plans(self.request)

    def _move(self, request, move, payload_class, **renamed):
        payload = payload_class(data=request.data)
        payload.is_valid(raise_exception=True)
        arguments = {renamed.get(k, k): v for k, v in payload.validated_data.items()}
        plan = self.get_object()
        try:
            move(plan=plan, **arguments)
        except DjangoValidationError as exc:
            raise_api_error(exc)
        fresh = self.get_queryset().get(pk=plan.pk)
        return Response(self.get_serializer(fresh).data)

    @extend_schema(
        summary="Put a draft plan up for public notice",
        description="Needs `approve_designplan`; a plan that is not a draft answers 409.",
        request=PublishSerializer,
        responses=DesignPlanSerializer,
    )
    @action(detail=True, methods=["post"], permission_classes=[HoldsPermission])
    def publish(self, request, pk=None):
        return self._move(request, design_plan_publish, PublishSerializer)

    @extend_schema(
        summary="Approve a plan after its public notice",
        description=(
            "From the day after the notice's last day. The version approved before, and "
            "earlier versions still in draft or notice, are superseded. Needs "
            "`approve_designplan`; a plan not in notice answers 409."
        ),
        request=ApproveSerializer,
        responses=DesignPlanSerializer,
    )
    @action(detail=True, methods=["post"], permission_classes=[HoldsPermission])
    def approve(self, request, pk=None):
        return self._move(
            request,
            lambda **kwargs: design_plan_approve(by=request.user, **kwargs),
            ApproveSerializer,
            approved_on="on",
        )


class ItemQuantityViewSet(DomainViewSet):
    """Quantities delivered (km of pipe, spaces, charging points, m²...): only the measures
    the item's kind carries, never negative."""

    queryset = ItemQuantity.objects.all()
    serializer_class = ItemQuantitySerializer
    filterset_class = ItemQuantityFilter
    ordering = ["item_id", "measure"]
    ordering_fields = ["id", "measure", "amount"]
