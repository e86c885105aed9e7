"""``/api/v1/elevator-retrofits/``: retrofits, the owners' vote, cost shares and stage moves."""

from types import SimpleNamespace

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, status
from rest_framework.decorators import action
from rest_framework.response import Response

from communities.core.api.base import Conflict, DomainViewSet, ErrorSerializer, raise_api_error
from communities.core.api.fields import can_see_personal_data
from communities.core.errors import WrongState
from communities.elevators import services
from communities.elevators.api import serializers as elevator_api
from communities.elevators.choices import ElevatorStage
from communities.elevators.filters import ElevatorRetrofitFilter
from communities.elevators.models import (
    ElevatorRetrofit,
    Household,
    OwnerVote,
    roster_closed_on,
)

# --- Elevators, property services, facilities ------------------------------------------------


class ElevatorActionPermission(permissions.BasePermission):
    """Who may use an action of the elevator retrofits: ``view.action_permissions`` maps
    (action, method) to (staff only?, the permissions needed). What is not listed is refused.
    Unauthenticated callers get 401, the others 403."""

    def has_permission(self, request, view):
        method = "GET" if request.method in ("HEAD", "OPTIONS") else request.method
        rule = view.action_permissions.get((view.action, method))
        user = request.user
        if rule is None or not (user and user.is_authenticated):
            return False
        staff_only, needed = rule
        return (user.is_staff or not staff_only) and user.has_perms(needed)


class ElevatorRetrofitViewSet(DomainViewSet):
    """Elevator retrofits, their owners' vote, their cost shares and their stage moves.

    Stages move only by ``advance`` (the service checks each move: 409 with the unmet
    conditions when it is not allowed). The unit's households and their votes name the owners,
    so they are for staff only.
    """

    queryset = ElevatorRetrofit.objects.all()
    serializer_class = elevator_api.ElevatorRetrofitSerializer
    filterset_class = ElevatorRetrofitFilter
    ordering = ["building_id", "entrance_unit", "id"]
    ordering_fields = ["id", "stage", "entrance_unit", "in_service_on", "total_cost", "updated_at"]
    action_permissions = {
        ("advance", "POST"): (False, ["communities.change_elevatorretrofit"]),
        ("renotice", "POST"): (False, ["communities.change_elevatorretrofit"]),
        ("reopen_vote", "POST"): (False, ["communities.change_elevatorretrofit"]),
        ("votes", "GET"): (True, ["communities.view_ownervote"]),
        ("votes", "POST"): (True, ["communities.add_ownervote", "communities.change_ownervote"]),
        ("households", "GET"): (True, ["communities.view_household"]),
        ("households", "POST"): (True, ["communities.add_household"]),
    }
    # The payload each action's POST takes (also the browsable API's form for it).
    action_serializers = {
        "advance": elevator_api.StageMoveSerializer,
        "renotice": elevator_api.MoveBackSerializer,
        "reopen_vote": elevator_api.MoveBackSerializer,
        "votes": elevator_api.VoteRecordSerializer,
        "households": elevator_api.HouseholdSerializer,
    }

    def get_queryset(self):
        return elevator_api.ElevatorRetrofitSerializer.setup_queryset(
            ElevatorRetrofit.objects.all()
        )

    def get_serializer_class(self):
        return self.action_serializers.get(self.action) or super().get_serializer_class()

    def _retrofit_response(self, retrofit: ElevatorRetrofit) -> Response:
        fresh = self.get_queryset().get(pk=retrofit.pk)
        return Response(
            elevator_api.ElevatorRetrofitSerializer(
                fresh, context=self.get_serializer_context()
            ).data
        )

    @extend_schema(
        summary="The owners' vote",
        description=(
            "The tally of the entrance unit's vote under the retrofit's rule: households and "
            "floor area taking part and agreeing, as exact fractions and as percentages "
            "(rounded down), and whether it passes or which conditions fail."
        ),
        responses=elevator_api.VoteSummarySerializer,
    )
    @action(detail=True, methods=["get"], public_read=True)
    def vote(self, request, pk=None):
        retrofit = self.get_object()
        result = SimpleNamespace(
            rule_code=retrofit.vote_rule.code,
            rule_name=retrofit.vote_rule.display_name,
            summary=retrofit.vote_summary(),
        )
        return Response(elevator_api.VoteSummarySerializer(result).data)

    @extend_schema(
        summary="How the owners share the cost",
        description=(
            "The owners' part (total cost − subsidy − other funding) split by floor "
            "coefficient × floor area, per household and per floor, to the cent; the shares add "
            "up to the owners' part exactly. Staff receive every household with its room and "
            "owner; others receive no names, phones or rooms, and the shares only once the "
            "retrofit has reached its public notice (and is not withdrawn)."
        ),
        responses=elevator_api.CostSharesSerializer,
    )
    @action(
        detail=True,
        methods=["get"],
        url_path="cost-shares",
        url_name="cost-shares",
        public_read=True,
    )
    def cost_shares(self, request, pk=None):
        retrofit = self.get_object()
        staff = can_see_personal_data(request, retrofit)
        published = retrofit.shares_published
        sharing = retrofit.cost_sharing(public=not staff)
        shown = staff or published
        problem = sharing.problem
        if not shown:
            problem = gettext("The shares are published with the public notice.")
        result = SimpleNamespace(
            published=published,
            sharing=sharing,
            problem=problem,
            households=sharing.households if shown else [],
            floors=sharing.floors if shown else [],
        )
        return Response(
            elevator_api.CostSharesSerializer(result, context=self.get_serializer_context()).data
        )

    @extend_schema(
        summary="Move to another stage",
        description=(
            "Forward to the next stage, or withdrawn from any stage that is not final. Each "
            "stage has its condition (consent: a passed vote; approval: the public notice has "
            "lasted its days; construction: no reinforcement pending and, above the cost "
            "threshold, a permit number; in service: the registration number). A move the "
            "conditions do not allow answers 409 with them; nothing is saved. Needs "
            "`change_elevatorretrofit`."
        ),
        request=elevator_api.StageMoveSerializer,
        responses={
            200: elevator_api.ElevatorRetrofitSerializer,
            409: elevator_api.StageConflictSerializer,
        },
    )
    @action(detail=True, methods=["post"], permission_classes=[ElevatorActionPermission])
    def advance(self, request, pk=None):
        payload = elevator_api.StageMoveSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        retrofit = self.get_object()
        try:
            services.elevator_retrofit_advance(
                retrofit=retrofit,
                to_stage=data["to_stage"],
                on=data.get("on") or timezone.localdate(),
                by=request.user,
                note=data.get("note", ""),
                permit_number=data.get("permit_number"),
                registration_number=data.get("registration_number"),
            )
        except WrongState as refusal:
            body = {
                "detail": str(refusal),
                "unmet": [
                    {"code": condition.code, "message": condition.message}
                    for condition in refusal.unmet
                ],
            }
            return Response(body, status=status.HTTP_409_CONFLICT)
        except DjangoValidationError as error:
            raise_api_error(error)
        return self._retrofit_response(retrofit)

    def _move_back(self, request, service) -> Response:
        payload = elevator_api.MoveBackSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        retrofit = self.get_object()
        try:
            service(
                retrofit=retrofit,
                on=data.get("on") or timezone.localdate(),
                reason=data["reason"],
                by=request.user,
            )
        except DjangoValidationError as error:
            raise_api_error(error)
        return self._retrofit_response(retrofit)

    @extend_schema(
        summary="Withdraw the public notice to notice again",
        description=(
            "From public notice or approval (before construction): back to design, the notice "
            "and approval dates cleared, the move recorded with its reason. The shares the "
            "notice fixed may then change, and the next notice runs its full days again. From "
            "another stage: 409. Needs `change_elevatorretrofit`."
        ),
        request=elevator_api.MoveBackSerializer,
        responses={200: elevator_api.ElevatorRetrofitSerializer, 409: ErrorSerializer},
    )
    @action(detail=True, methods=["post"], permission_classes=[ElevatorActionPermission])
    def renotice(self, request, pk=None):
        return self._move_back(request, services.elevator_retrofit_renotice)

    @extend_schema(
        summary="Reopen the owners' vote",
        description=(
            "From consent or design: back to intention, the consent and design dates cleared, "
            "the move recorded with its reason. Households may then change their votes and "
            "the roster may be corrected; consent must be reached again. From another stage: "
            "409. Needs `change_elevatorretrofit`."
        ),
        request=elevator_api.MoveBackSerializer,
        responses={200: elevator_api.ElevatorRetrofitSerializer, 409: ErrorSerializer},
    )
    @action(
        detail=True,
        methods=["post"],
        url_path="reopen-vote",
        url_name="reopen-vote",
        permission_classes=[ElevatorActionPermission],
    )
    def reopen_vote(self, request, pk=None):
        return self._move_back(request, services.elevator_retrofit_reopen_vote)

    @extend_schema(
        methods=["GET"],
        summary="The unit's households and their votes (staff)",
        filters=False,
        description=(
            "Every household of the entrance unit with its owner and its vote on this "
            "retrofit (null: no vote recorded, so it did not take part). Staff with "
            "`view_ownervote` only."
        ),
        responses={
            200: elevator_api.HouseholdVoteSerializer(many=True),
            401: ErrorSerializer,
            403: ErrorSerializer,
        },
    )
    @extend_schema(
        methods=["POST"],
        summary="Record or correct a household's vote (staff)",
        description=(
            "While the retrofit is at intention; a second vote of the same household "
            "replaces the first (201 for a new record, 200 for a correction). A closed vote "
            "(consent reached or withdrawn) answers 409. Staff with `add_ownervote` and "
            "`change_ownervote` only."
        ),
        request=elevator_api.VoteRecordSerializer,
        responses={
            201: elevator_api.OwnerVoteSerializer,
            200: elevator_api.OwnerVoteSerializer,
            409: ErrorSerializer,
        },
    )
    @action(
        detail=True,
        methods=["get", "post"],
        permission_classes=[ElevatorActionPermission],
        pagination_class=None,
    )
    def votes(self, request, pk=None):
        retrofit = self.get_object()
        if request.method == "GET":
            rows = retrofit.households_with_votes().values(
                "pk",
                "floor",
                "room_number",
                "floor_area_m2",
                "owner_name",
                "owner_phone",
                "vote",
                "voted_on",
            )
            return Response(elevator_api.HouseholdVoteSerializer(rows, many=True).data)
        payload = elevator_api.VoteRecordSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        if retrofit.stage != ElevatorStage.INTENTION:
            raise Conflict(
                gettext("The vote is closed: the retrofit is at the stage “%(stage)s”.")
                % {"stage": retrofit.get_stage_display()}
            )
        household = data["household"]
        existed = OwnerVote.objects.filter(retrofit=retrofit, household=household).exists()
        try:
            vote = services.owner_vote_record(
                retrofit=retrofit,
                household=household,
                choice=data["choice"],
                voted_on=data.get("voted_on"),
                note=data.get("note", ""),
            )
        except DjangoValidationError as error:
            raise_api_error(error)
        return Response(
            elevator_api.OwnerVoteSerializer(vote).data,
            status=status.HTTP_200_OK if existed else status.HTTP_201_CREATED,
        )

    @extend_schema(
        methods=["GET"],
        summary="The households of the retrofit's entrance unit (staff)",
        filters=False,
        description="With the owners' names and phones. Staff with `view_household` only.",
        responses={
            200: elevator_api.HouseholdSerializer(many=True),
            401: ErrorSerializer,
            403: ErrorSerializer,
        },
    )
    @extend_schema(
        methods=["POST"],
        summary="Add a household to the retrofit's entrance unit (staff)",
        description=(
            "While the roster is open: before the owners' consent, or after a recorded re-vote "
            "(409 otherwise). Staff with `add_household` only."
        ),
        request=elevator_api.HouseholdSerializer,
        responses={201: elevator_api.HouseholdSerializer, 409: ErrorSerializer},
    )
    @action(
        detail=True,
        methods=["get", "post"],
        permission_classes=[ElevatorActionPermission],
        pagination_class=None,
    )
    def households(self, request, pk=None):
        retrofit = self.get_object()
        if request.method == "GET":
            return Response(
                elevator_api.HouseholdSerializer(retrofit.unit_households(), many=True).data
            )
        closed = roster_closed_on(retrofit.building_id, retrofit.entrance_unit)
        if closed:
            raise Conflict(Household.roster_closed_message(closed))
        payload = elevator_api.HouseholdSerializer(
            data=request.data, context={**self.get_serializer_context(), "retrofit": retrofit}
        )
        payload.is_valid(raise_exception=True)
        with transaction.atomic():
            household = payload.save()
        return Response(
            elevator_api.HouseholdSerializer(household).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(
        summary="The stage history",
        filters=False,
        description=(
            "Every move from registration on, in order; a withdrawn retrofit keeps its "
            "history. Who made each move, and its note, for staff only."
        ),
        responses=elevator_api.StageTransitionSerializer(many=True),
    )
    @action(detail=True, methods=["get"], pagination_class=None, public_read=True)
    def transitions(self, request, pk=None):
        retrofit = self.get_object()
        moves = retrofit.transitions.select_related("by").order_by("on", "id")
        return Response(
            elevator_api.StageTransitionSerializer(
                moves, many=True, context=self.get_serializer_context()
            ).data
        )
