"""Elevator retrofits (既有住宅加装电梯): the retrofit, its vote, its cost shares, its stage moves,
and the households and votes of its entrance unit.

A retrofit's stage and stage dates are never written here: they move through the ``advance``
action (``services.elevator_retrofit_advance``). Registering a retrofit goes through
``services.elevator_retrofit_create``; a change of cost or subsidy through
``elevator_retrofit_set_costs`` / ``elevator_retrofit_set_subsidy``; a vote through
``owner_vote_record``.
"""

from collections.abc import Mapping

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from communities.core.api.base import DomainSerializer, raise_api_error
from communities.core.api.fields import ChoiceLabelField, StaffOnlyFields
from communities.core.money import MONEY
from communities.elevators import services
from communities.elevators.choices import ElevatorStage, VoteChoice
from communities.elevators.models import (
    STAGE_DATE_FIELDS,
    ElevatorRetrofit,
    Household,
    OwnerVote,
    StageTransition,
    VoteRule,
)
from communities.elevators.payments import share_percent, with_collection
from communities.elevators.policy import format_fraction, format_share

OWNERS_MONEY_FIELDS = (
    "owners_invoiced",
    "owners_collected",
    "owners_collected_percent",
    "households_in_arrears",
)
COST_FIELDS = frozenset({"total_cost", "other_funding"})
SUBSIDY_FIELDS = frozenset({"subsidy_override", "subsidy", "subsidy_override_reason"})
# Written with the registration and never after, as create() applies them on top of it.
AFTER_REGISTRATION = (
    "notice_days",
    "permit_number",
    "registration_number",
    "floor_coefficients",
    "maintenance_fund",
)


class ElevatorRetrofitSerializer(DomainSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:elevatorretrofit-detail")
    building_label = serializers.CharField(source="building.label", read_only=True)
    community = serializers.IntegerField(source="building.community_id", read_only=True)
    community_name = serializers.CharField(source="building.community.name", read_only=True)
    district = serializers.CharField(
        source="building.community.district.code",
        read_only=True,
        help_text=_("The district's 6-digit administrative code."),
    )
    stage_display = ChoiceLabelField(ElevatorStage, source="stage")
    vote_rule = serializers.SlugRelatedField(
        slug_field="code",
        queryset=VoteRule.objects.all(),
        required=False,
        help_text=_(
            "The code of the rule the owners' vote is counted by (the city's by default). "
            "Fixed once consent is reached (409)."
        ),
    )
    owners_part = serializers.DecimalField(
        **MONEY,
        read_only=True,
        help_text=_(
            "What the owners pay together (居民出资): total cost − subsidy − other funding, "
            "including what their housing maintenance fund pays (maintenance_fund)."
        ),
    )

    # The owners' money, public as totals (no household named): annotated by
    # ``payments.with_collection`` in ``setup_queryset``.
    owners_invoiced = serializers.DecimalField(
        **MONEY, read_only=True, help_text=_("What the households were invoiced (yuan).")
    )
    owners_collected = serializers.DecimalField(
        **MONEY, read_only=True, help_text=_("What the households have paid (yuan).")
    )
    owners_collected_percent = serializers.SerializerMethodField(
        help_text=_(
            "What the households have paid, as a percentage of the owners' part (two decimals, "
            "rounded down); null when the owners pay nothing."
        )
    )
    households_in_arrears = serializers.IntegerField(
        read_only=True, help_text=_("Households that have not paid their invoice in full.")
    )

    class Meta:
        model = ElevatorRetrofit
        fields = [
            "id",
            "url",
            "building",
            "building_label",
            "community",
            "community_name",
            "district",
            "entrance_unit",
            "storeys_served",
            "stage",
            "stage_display",
            "intention_on",
            "consent_on",
            "design_on",
            "notice_on",
            "approved_on",
            "construction_on",
            "accepted_on",
            "in_service_on",
            "withdrawn_on",
            "total_cost",
            "subsidy",
            "other_funding",
            "maintenance_fund",
            "owners_part",
            "subsidy_rule",
            "subsidy_override",
            "subsidy_override_reason",
            "vote_rule",
            "notice_days",
            "permit_number",
            "registration_number",
            "floor_coefficients",
            *OWNERS_MONEY_FIELDS,
            "updated_at",
        ]
        lean_reads = {"owners_part": ["total_cost", "subsidy", "other_funding"]}  # core.api.lean
        # Stages move only through the advance action, which checks and records each move.
        read_only_fields = [
            "subsidy_rule",
            "stage",
            *(name for name in STAGE_DATE_FIELDS.values() if name != "intention_on"),
        ]
        extra_kwargs = {
            "stage": {"help_text": _("Moved by POST …/advance/, never written directly.")},
            "intention_on": {
                "help_text": _(
                    "The day the intention was registered: given when registering (default "
                    "today), read-only after."
                )
            },
            "subsidy": {
                "help_text": _(
                    "Computed from the subsidy rules; written only together with "
                    "subsidy_override true and a subsidy_override_reason."
                )
            },
            "building": {"help_text": _("Fixed once votes are recorded.")},
            "entrance_unit": {"help_text": _("Fixed once votes are recorded.")},
        }

    @classmethod
    def setup_queryset(cls, queryset):
        return with_collection(
            queryset.select_related("building__community__district", "vote_rule")
        )

    @extend_schema_field({"type": "string", "nullable": True, "example": "87.50"})
    def get_owners_collected_percent(self, retrofit) -> str | None:
        percent = share_percent(retrofit.owners_collected, retrofit.owners_part)
        return None if percent is None else str(percent)

    def get_fields(self):
        fields = super().get_fields()
        if isinstance(self.instance, ElevatorRetrofit) and "intention_on" in fields:
            fields["intention_on"].read_only = True  # a stage date, once registered
        return fields

    # Writing

    def validate(self, attrs):
        current = getattr(self.instance, "subsidy_override", False)
        if "subsidy" in attrs and not attrs.get("subsidy_override", current):
            raise serializers.ValidationError(
                {
                    "subsidy": [
                        _(
                            "Send subsidy_override true and a subsidy_override_reason to set "
                            "the subsidy by hand."
                        )
                    ]
                }
            )
        return super().validate(attrs)

    def _candidate(self, attrs):
        """The retrofit as the services will save it: registered today unless a day is given,
        and with the subsidy the rules give, worked out before the model's checks run."""
        candidate = super()._candidate(attrs)
        creating = self.instance is None
        if creating and candidate.intention_on is None:
            candidate.intention_on = timezone.localdate()
        if candidate.subsidy_override:
            if attrs.keys() & SUBSIDY_FIELDS:
                candidate.subsidy_rule = None
        else:
            candidate.subsidy_override_reason = ""
            if creating or attrs.keys() & (COST_FIELDS | {"subsidy_override"}):
                candidate.apply_subsidy_rules(
                    year=candidate.intention_on.year if creating else None
                )
        return candidate

    def create(self, validated_data):
        candidate = self._validated_candidate
        request = self.context.get("request")
        try:
            retrofit = services.elevator_retrofit_create(
                building=candidate.building,
                entrance_unit=candidate.entrance_unit,
                storeys_served=candidate.storeys_served,
                on=candidate.intention_on,
                by=getattr(request, "user", None),
                total_cost=candidate.total_cost,
                other_funding=candidate.other_funding,
                vote_rule=candidate.vote_rule,
            )
            given = [name for name in AFTER_REGISTRATION if name in self._validated_names]
            for name in given:
                setattr(retrofit, name, getattr(candidate, name))
            if candidate.subsidy_override:
                return services.elevator_retrofit_set_subsidy(
                    retrofit=retrofit,
                    amount=candidate.subsidy,
                    reason=candidate.subsidy_override_reason,
                )
            if given:
                retrofit.full_clean()
                retrofit.save()
        except DjangoValidationError as error:
            raise_api_error(error)
        return retrofit

    def update(self, instance, validated_data):
        candidate = self._validated_candidate
        names = self._validated_names
        try:
            if names & SUBSIDY_FIELDS:
                return services.elevator_retrofit_set_subsidy(
                    retrofit=candidate,
                    amount=candidate.subsidy if candidate.subsidy_override else None,
                    reason=candidate.subsidy_override_reason,
                )
            if names & COST_FIELDS:
                return services.elevator_retrofit_set_costs(
                    retrofit=candidate,
                    total_cost=candidate.total_cost,
                    other_funding=candidate.other_funding,
                )
        except DjangoValidationError as error:
            raise_api_error(error)
        return super().update(instance, validated_data)


class CommunityElevatorSerializer(ElevatorRetrofitSerializer):
    """A retrofit inside its community's detail (the building is already loaded there)."""

    community = None
    community_name = None
    district = None
    owners_invoiced = None
    owners_collected = None
    owners_collected_percent = None
    households_in_arrears = None

    class Meta(ElevatorRetrofitSerializer.Meta):
        fields = [
            name
            for name in ElevatorRetrofitSerializer.Meta.fields
            if name not in {"community", "community_name", "district", *OWNERS_MONEY_FIELDS}
        ]


# --- Action payloads --------------------------------------------------------------------------


class StrictSerializer(serializers.Serializer):
    """An action's payload: unknown keys are refused, not ignored (as every write here)."""

    def to_internal_value(self, data):
        if isinstance(data, Mapping):
            unknown = {
                key: [_("Unknown field.")]
                for key in data
                if key not in self.fields and key not in DomainSerializer.IGNORED_KEYS
            }
            if unknown:
                raise serializers.ValidationError(unknown)
        return super().to_internal_value(data)


class StageMoveSerializer(StrictSerializer):
    to_stage = serializers.ChoiceField(
        choices=ElevatorStage.choices,
        help_text=_("The next stage, or withdrawn (from any stage but the final ones)."),
    )
    on = serializers.DateField(required=False, help_text=_("The day of the move. Default: today."))
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    permit_number = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=50,
        help_text=_(
            "The construction permit number, saved with the move (needed for construction "
            "when the total cost is above the threshold)."
        ),
    )
    registration_number = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=50,
        help_text=_(
            "The special-equipment registration number, saved with the move (needed to go "
            "into service)."
        ),
    )


class MoveBackSerializer(StrictSerializer):
    """A recorded way back: withdrawing the notice, or reopening the vote."""

    on = serializers.DateField(required=False, help_text=_("The day of the move. Default: today."))
    reason = serializers.CharField(
        max_length=2000, help_text=_("Why: kept with the move in the stage history.")
    )


class UnmetConditionSerializer(serializers.Serializer):
    code = serializers.CharField(
        help_text=_(
            "Stable code: not_next_stage, final_stage, vote_not_passed, notice_too_short, "
            "permit_missing, reinforce_first, registration_missing."
        )
    )
    message = serializers.CharField()


class StageConflictSerializer(serializers.Serializer):
    """409: the move is not allowed now, and why."""

    detail = serializers.CharField()
    unmet = UnmetConditionSerializer(many=True)


class VoteRecordSerializer(StrictSerializer):
    household = serializers.PrimaryKeyRelatedField(
        queryset=Household.objects.all(), help_text=_("A household of the retrofit's unit.")
    )
    choice = serializers.ChoiceField(choices=VoteChoice.choices)
    voted_on = serializers.DateField(
        required=False, allow_null=True, help_text=_("Needed unless the choice is absent.")
    )
    note = serializers.CharField(required=False, allow_blank=True, max_length=200)


# --- Reads ------------------------------------------------------------------------------------


@extend_schema_field(OpenApiTypes.STR)
class FractionField(serializers.Field):
    """An exact ratio as "numerator/denominator" ("2/3", "1"); null when there is nothing to
    divide by."""

    def __init__(self, **kwargs):
        kwargs.setdefault("allow_null", True)
        super().__init__(**kwargs)

    def to_representation(self, value):
        return None if value is None else format_fraction(value)


@extend_schema_field(OpenApiTypes.STR)
class PercentField(serializers.Field):
    """A ratio as a percentage with two decimals, rounded down ("66.66"), so a vote short of a
    threshold never looks as if it reached it; null when there is nothing to divide by."""

    def __init__(self, **kwargs):
        kwargs.setdefault("allow_null", True)
        super().__init__(**kwargs)

    def to_representation(self, value):
        return None if value is None else format_share(value).removesuffix("%")


def _area(**kwargs) -> serializers.DecimalField:
    return serializers.DecimalField(max_digits=14, decimal_places=2, **kwargs)


def _money(**kwargs) -> serializers.DecimalField:
    return serializers.DecimalField(**MONEY, **kwargs)


class VoteThresholdsSerializer(serializers.Serializer):
    participation_area = FractionField(allow_null=False)
    participation_headcount = FractionField(allow_null=False)
    approval_area = FractionField(allow_null=False)
    approval_headcount = FractionField(allow_null=False)
    approval_of_participants = serializers.BooleanField(
        help_text=_("Approval is counted among those who took part (else among all owners).")
    )
    no_objection = serializers.BooleanField(help_text=_("A single owner against defeats it."))


class VoteSummarySerializer(serializers.Serializer):
    """The owners' vote of a retrofit: counts and floor areas, exact ratios, and the result."""

    rule = serializers.CharField(source="rule_code", help_text=_("The vote rule's code."))
    rule_name = serializers.CharField()
    thresholds = VoteThresholdsSerializer(source="summary.rule")
    households = serializers.IntegerField(source="summary.households")
    expected_households = serializers.IntegerField(
        source="summary.expected_households",
        allow_null=True,
        help_text=_(
            "The households the entrance unit has (its building's count shared over its "
            "units): the vote counts only when this many are entered."
        ),
    )
    area_total = _area(source="summary.area_total")
    participating_count = serializers.IntegerField(source="summary.participating_count")
    participating_area = _area(source="summary.participating_area")
    agree_count = serializers.IntegerField(source="summary.agree_count")
    agree_area = _area(source="summary.agree_area")
    disagree_count = serializers.IntegerField(source="summary.disagree_count")
    disagree_area = _area(source="summary.disagree_area")
    abstain_count = serializers.IntegerField(source="summary.abstain_count")
    abstain_area = _area(source="summary.abstain_area")
    absent_count = serializers.IntegerField(
        source="summary.absent_count",
        help_text=_("Households that did not take part, recorded or not."),
    )
    absent_area = _area(source="summary.absent_area")
    participation_area_ratio = FractionField(source="summary.participation_area_ratio")
    participation_area_percent = PercentField(source="summary.participation_area_ratio")
    participation_headcount_ratio = FractionField(source="summary.participation_headcount_ratio")
    participation_headcount_percent = PercentField(source="summary.participation_headcount_ratio")
    approval_area_ratio = FractionField(source="summary.approval_area_ratio")
    approval_area_percent = PercentField(source="summary.approval_area_ratio")
    approval_headcount_ratio = FractionField(source="summary.approval_headcount_ratio")
    approval_headcount_percent = PercentField(source="summary.approval_headcount_ratio")
    passes = serializers.BooleanField(source="summary.passes")
    failed = serializers.ListField(
        child=serializers.CharField(),
        source="summary.failed",
        help_text=_(
            "The conditions not met, as codes: roster_incomplete, no_households, "
            "participation_area, "
            "participation_headcount, approval_area, approval_headcount, objection."
        ),
    )
    failure_messages = serializers.ListField(
        child=serializers.CharField(), source="summary.failure_messages"
    )


class HouseholdShareSerializer(StaffOnlyFields, serializers.Serializer):
    """One household's share. Its id, room and owner only for staff."""

    STAFF_ONLY = ("household", "room_number", "owner_name", "owner_phone")

    household = serializers.IntegerField(
        source="household_id", required=False, help_text=_("Only staff receive this field.")
    )
    room_number = serializers.CharField(
        required=False, help_text=_("Only staff receive this field.")
    )
    owner_name = serializers.CharField(
        required=False, help_text=_("Only staff receive this field.")
    )
    owner_phone = serializers.CharField(
        required=False, help_text=_("Only staff receive this field.")
    )
    floor = serializers.IntegerField()
    floor_area_m2 = serializers.DecimalField(max_digits=8, decimal_places=2)
    coefficient = serializers.DecimalField(max_digits=6, decimal_places=3)
    share = _money(allow_null=True, help_text=_("Yuan; null when the cost cannot be shared."))


class FloorShareSerializer(serializers.Serializer):
    floor = serializers.IntegerField()
    households = serializers.IntegerField()
    floor_area_m2 = serializers.DecimalField(max_digits=10, decimal_places=2, source="area")
    coefficient = serializers.DecimalField(max_digits=6, decimal_places=3)
    share = _money(source="amount", help_text=_("The floor's households together (yuan)."))


class CostSharesSerializer(serializers.Serializer):
    """How the owners share the cost: per household and per floor, to the cent."""

    published = serializers.BooleanField(
        help_text=_(
            "The shares are public: the retrofit has reached its public notice and is not "
            "withdrawn. Before that only staff receive the households and floors."
        )
    )
    total_cost = _money(source="sharing.total_cost")
    subsidy = _money(source="sharing.subsidy")
    other_funding = _money(source="sharing.other_funding")
    maintenance_fund = _money(
        source="sharing.maintenance_fund",
        help_text=_("Of the owners' part, what their housing maintenance fund pays."),
    )
    owners_part = _money(
        source="sharing.owners_part", help_text=_("The shares add up to it exactly.")
    )
    problem = serializers.CharField(
        allow_null=True, help_text=_("Why there are no shares, when there are none.")
    )
    households = HouseholdShareSerializer(many=True)
    floors = FloorShareSerializer(many=True)


class HouseholdVoteSerializer(serializers.Serializer):
    """A household of the unit with its vote on the retrofit (staff only)."""

    household = serializers.IntegerField(source="pk")
    floor = serializers.IntegerField()
    room_number = serializers.CharField()
    floor_area_m2 = serializers.DecimalField(max_digits=8, decimal_places=2)
    owner_name = serializers.CharField()
    owner_phone = serializers.CharField()
    vote = serializers.ChoiceField(
        choices=VoteChoice.choices,
        allow_null=True,
        help_text=_("Null when no vote is recorded (the household did not take part)."),
    )
    vote_display = ChoiceLabelField(VoteChoice, source="vote", allow_null=True)
    voted_on = serializers.DateField(allow_null=True)


class OwnerVoteSerializer(serializers.ModelSerializer):
    choice_display = ChoiceLabelField(VoteChoice, source="choice")

    class Meta:
        model = OwnerVote
        fields = ["id", "retrofit", "household", "choice", "choice_display", "voted_on", "note"]
        read_only_fields = fields


class HouseholdSerializer(DomainSerializer):
    """A household of the retrofit's entrance unit (staff only: it names the owner)."""

    class Meta:
        model = Household
        fields = [
            "id",
            "building",
            "entrance_unit",
            "floor",
            "room_number",
            "floor_area_m2",
            "owner_name",
            "owner_phone",
        ]
        read_only_fields = ["building", "entrance_unit"]

    def validate(self, attrs):
        retrofit = self.context["retrofit"]
        attrs["building"] = retrofit.building
        attrs["entrance_unit"] = retrofit.entrance_unit
        return super().validate(attrs)


class StageTransitionSerializer(StaffOnlyFields, serializers.ModelSerializer):
    """One move of the stage history. Who made it, and the note, only for staff."""

    STAFF_ONLY = ("by", "note")

    from_stage = serializers.ChoiceField(
        choices=ElevatorStage.choices,
        allow_blank=True,
        read_only=True,
        help_text=_("Empty for the registration, the first entry."),
    )
    from_stage_display = ChoiceLabelField(ElevatorStage, source="from_stage")
    to_stage_display = ChoiceLabelField(ElevatorStage, source="to_stage")
    by = serializers.CharField(
        source="by.get_username",
        allow_null=True,
        required=False,
        help_text=_("Only staff receive this field."),
    )
    note = serializers.CharField(required=False, help_text=_("Only staff receive this field."))

    class Meta:
        model = StageTransition
        fields = [
            "id",
            "from_stage",
            "from_stage_display",
            "to_stage",
            "to_stage_display",
            "on",
            "recorded_at",
            "by",
            "note",
        ]
        read_only_fields = ["id", "to_stage", "on", "recorded_at"]
