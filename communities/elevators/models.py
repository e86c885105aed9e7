"""Elevator retrofits (既有住宅加装电梯): one elevator for one entrance unit of a building.

Around the retrofit: the households of its entrance unit and their votes, the rule the vote is
counted by, every move between stages, and the subsidy rules. The rules themselves are pure
functions in ``communities/py``; the writes with consequences (moving a stage, applying
the subsidy, recording a vote) are in ``communities/elevators/services.py``.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from fractions import Fraction

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, OuterRef, Q, Subquery
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from communities.core.bounds import BoundedDateField
from communities.core.constraints import CheckedInOneQuery
from communities.core.history import HistoricalRecords
from communities.core.locks import Lock, Locked
from communities.core.money import MONEY
from communities.elevators.choices import ElevatorStage, VoteChoice
from communities.elevators.policy import (
    Ballot,
    CostSharingImpossible,
    FloorShare,
    ShareUnit,
    SubsidyTerms,
    VoteSummary,
    VoteThresholds,
    construction_permit_required,
    elevator_stage_reached,
    elevator_work_started,
    floor_coefficient,
    notice_long_enough,
    pick_subsidy_rule,
    share_cost,
    shares_by_floor,
    stage_date_errors,
    subsidy_amount,
    tally_vote,
    unit_household_count,
)
from communities.places.models import Building, SortKeyQuerySet, save_with_sort_keys, sort_key_field
from communities.places.policy import natural_key
from communities.works.policy import blocked_by_reinforce_first

# The date field recording when each stage was reached, in stage order.
STAGE_DATE_FIELDS = {
    ElevatorStage.INTENTION: "intention_on",
    ElevatorStage.CONSENT: "consent_on",
    ElevatorStage.DESIGN: "design_on",
    ElevatorStage.PUBLIC_NOTICE: "notice_on",
    ElevatorStage.APPROVAL: "approved_on",
    ElevatorStage.CONSTRUCTION: "construction_on",
    ElevatorStage.ACCEPTANCE: "accepted_on",
    ElevatorStage.IN_SERVICE: "in_service_on",
    ElevatorStage.WITHDRAWN: "withdrawn_on",
}

# The highest floor coefficient a retrofit may set (the common scheme reaches 1.3 at 9F).
MAX_FLOOR_COEFFICIENT = Decimal("10")


def default_notice_days() -> int:
    """Days a public notice lasts, from ``RENOVATION["ELEVATOR_NOTICE_DAYS"]`` (default 20)."""
    return settings.RENOVATION["ELEVATOR_NOTICE_DAYS"]


def permit_threshold() -> Decimal:
    """Total cost in yuan above which construction needs a permit (default 300,000)."""
    return Decimal(settings.RENOVATION["ELEVATOR_PERMIT_ABOVE"])


def default_vote_rule() -> int | None:
    """The id of the city's vote rule, ``RENOVATION["ELEVATOR_VOTE_RULE"]`` (a VoteRule code).

    Runs one query; Django calls it only when a retrofit is made without a rule. A retrofit
    keeps the rule it was created with, so a city changing its rule later does not re-decide
    votes already taken.
    """
    code = settings.RENOVATION["ELEVATOR_VOTE_RULE"]
    return VoteRule.objects.filter(code=code).values_list("pk", flat=True).first()


# --- Vote rules ------------------------------------------------------------------------------

THRESHOLD_FIELDS = (
    "participation_area_num",
    "participation_area_den",
    "participation_headcount_num",
    "participation_headcount_den",
    "approval_area_num",
    "approval_area_den",
    "approval_headcount_num",
    "approval_headcount_den",
    "approval_of_participants",
    "no_objection",
)


def _proper_fraction(prefix: str, *, positive: bool) -> Q:
    numerator, denominator = f"{prefix}_num", f"{prefix}_den"
    condition = Q(**{f"{denominator}__gte": 1}) & Q(**{f"{numerator}__lte": F(denominator)})
    if positive:
        condition &= Q(**{f"{numerator}__gte": 1})
    return condition


class VoteRule(CheckedInOneQuery, models.Model):
    """How an owners' vote on an elevator is decided, as data a city can choose or add to.

    Thresholds are exact fractions stored as numerator/denominator pairs, each "at least". The
    Civil Code (art. 278) and Chengdu 2018 rules are seeded; the setting
    ``RENOVATION_ELEVATOR_VOTE_RULE`` names the one new retrofits get.
    """

    code = models.SlugField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=100, blank=True)
    legal_basis = models.CharField(_("legal basis"), max_length=200, blank=True)
    participation_area_num = models.PositiveSmallIntegerField(
        _("participation by area: numerator"),
        default=0,
        help_text=_("0 when the rule sets no participation threshold."),
    )
    participation_area_den = models.PositiveSmallIntegerField(
        _("participation by area: denominator"), default=1
    )
    participation_headcount_num = models.PositiveSmallIntegerField(
        _("participation by headcount: numerator"),
        default=0,
        help_text=_("0 when the rule sets no participation threshold."),
    )
    participation_headcount_den = models.PositiveSmallIntegerField(
        _("participation by headcount: denominator"), default=1
    )
    approval_area_num = models.PositiveSmallIntegerField(_("approval by area: numerator"))
    approval_area_den = models.PositiveSmallIntegerField(_("approval by area: denominator"))
    approval_headcount_num = models.PositiveSmallIntegerField(_("approval by headcount: numerator"))
    approval_headcount_den = models.PositiveSmallIntegerField(
        _("approval by headcount: denominator")
    )
    approval_of_participants = models.BooleanField(
        _("approval counted among participants"),
        default=True,
        help_text=_(
            "Approval thresholds are shares of the owners who took part (Civil Code); untick "
            "for shares of all owners of the entrance unit."
        ),
    )
    no_objection = models.BooleanField(
        _("no objection allowed"),
        default=False,
        help_text=_("A single owner voting against defeats the proposal."),
    )
    history = HistoricalRecords()

    class Meta:
        app_label = "communities"
        verbose_name = _("vote rule")
        verbose_name_plural = _("vote rules")
        ordering = ["code"]  # served by the unique index on code
        constraints = [
            models.CheckConstraint(
                condition=_proper_fraction("participation_area", positive=False)
                & _proper_fraction("participation_headcount", positive=False)
                & _proper_fraction("approval_area", positive=True)
                & _proper_fraction("approval_headcount", positive=True),
                name="%(app_label)s_%(class)s_thresholds_proper_fractions",
                violation_error_message=_(
                    "Each threshold is a fraction from 0 to 1 with a denominator of at least 1; "
                    "approval thresholds are above 0."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        """The name in the active language (rules are data, so they carry both)."""
        if self.name_en and not (get_language() or "zh").startswith("zh"):
            return self.name_en
        return self.name

    def thresholds(self) -> VoteThresholds:
        return VoteThresholds(
            participation_area=Fraction(self.participation_area_num, self.participation_area_den),
            participation_headcount=Fraction(
                self.participation_headcount_num, self.participation_headcount_den
            ),
            approval_area=Fraction(self.approval_area_num, self.approval_area_den),
            approval_headcount=Fraction(self.approval_headcount_num, self.approval_headcount_den),
            approval_of_participants=self.approval_of_participants,
            no_objection=self.no_objection,
        )

    def clean(self) -> None:
        """Thresholds are proper fractions, and a rule that decided a vote is not rewritten
        (runs up to two queries when editing)."""
        errors: dict[str, str] = {}
        for prefix, positive in (
            ("participation_area", False),
            ("participation_headcount", False),
            ("approval_area", True),
            ("approval_headcount", True),
        ):
            numerator = getattr(self, f"{prefix}_num")
            denominator = getattr(self, f"{prefix}_den")
            if numerator is None or denominator is None:
                continue
            if denominator < 1:
                errors[f"{prefix}_den"] = _("A denominator is at least 1.")
            elif numerator > denominator:
                errors[f"{prefix}_num"] = _("A threshold cannot be more than 1 (the whole).")
            elif positive and numerator < 1:
                errors[f"{prefix}_num"] = _("An approval threshold must be above 0.")
        if errors:
            raise ValidationError(errors)
        if self.pk is None:
            return
        stored = VoteRule.objects.filter(pk=self.pk).values(*THRESHOLD_FIELDS).first()
        changed = stored and any(stored[name] != getattr(self, name) for name in THRESHOLD_FIELDS)
        if changed and self.retrofits.filter(consent_on__isnull=False).exists():
            raise ValidationError(
                _(
                    "Retrofits have reached consent under this rule; its thresholds cannot "
                    "change. Add a new rule instead."
                )
            )


# --- Households of an entrance unit ----------------------------------------------------------


class HouseholdQuerySet(SortKeyQuerySet):
    def of_unit(self, building_id: int, entrance_unit: int) -> "HouseholdQuerySet":
        return self.filter(building_id=building_id, entrance_unit=entrance_unit)


def roster_closed_on(building_id: int | None, entrance_unit: int | None) -> date | None:
    """The day the owners' consent closed the roster of an entrance unit: the consent date of
    its active retrofit (one query), None while households may join or leave. A recorded
    re-vote (``services.elevator_retrofit_reopen_vote``) clears it and opens the roster again.
    """
    if not building_id or not entrance_unit:
        return None
    return (
        ElevatorRetrofit.objects.filter(
            building_id=building_id, entrance_unit=entrance_unit, consent_on__isnull=False
        )
        .exclude(stage=ElevatorStage.WITHDRAWN)
        .values_list("consent_on", flat=True)
        .first()
    )


ROSTER_CLOSED = _(
    "The owners' consent of %(date)s closed the roster of this entrance unit (%(fields)s): "
    "households join, leave or change only after a recorded re-vote reopens the vote."
)


def _roster_closed(household: "Household", stored) -> date | None:
    return roster_closed_on(stored["building_id"], stored["entrance_unit"])


class Household(CheckedInOneQuery, Locked, models.Model):
    """One household (户) of an entrance unit: its floor, room and floor area, and its owner.

    The owner's name and phone are personal data: staff see them, the public never does. The
    roster is the vote's: once the owners' consent is recorded, households neither join nor
    leave the unit, nor change floor or area (``locks``, ``clean``), until a re-vote.
    """

    # Scope (core.scoping): the lookup from here to the district.
    district_path = "building__community__district"

    building = models.ForeignKey(
        Building,
        on_delete=models.CASCADE,
        related_name="household_records",
        verbose_name=_("building"),
    )
    entrance_unit = models.PositiveSmallIntegerField(
        _("entrance unit"), validators=[MinValueValidator(1)]
    )
    floor = models.PositiveSmallIntegerField(
        _("floor"), validators=[MinValueValidator(1), MaxValueValidator(60)]
    )
    room_number = models.CharField(
        _("room number"), max_length=20, help_text=_("As on the door, for example 301.")
    )
    # The room number in natural order (places.policy.natural_key): 301, 302 … 1001.
    room_sort = sort_key_field(_("room number"))
    floor_area_m2 = models.DecimalField(
        _("floor area (m²)"),
        max_digits=8,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
        help_text=_("The exclusive floor area on the property certificate."),
    )
    owner_name = models.CharField(_("owner's name"), max_length=50, blank=True)
    owner_phone = models.CharField(_("owner's phone"), max_length=30, blank=True)
    history = HistoricalRecords()

    objects = HouseholdQuerySet.as_manager()
    # What freezes when (core.locks): the roster closed by the owners' consent.
    locks = (
        Lock(
            fields=("building", "entrance_unit", "floor", "floor_area_m2"),
            also=_roster_closed,
            decision=ROSTER_CLOSED,
        ),
    )

    class Meta:
        app_label = "communities"
        verbose_name = _("household")
        verbose_name_plural = _("households")
        ordering = ["building_id", "entrance_unit", "floor", "room_sort", "room_number"]
        indexes = [
            # A unit's households in floor order: the vote sheet, the tally and cost shares.
            models.Index(
                fields=["building", "entrance_unit", "floor", "room_sort", "room_number"],
                name="household_unit_floor",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["building", "entrance_unit", "room_number"],
                name="%(app_label)s_%(class)s_unique_room",
                violation_error_message=_("This entrance unit already has this room."),
            ),
            models.CheckConstraint(
                condition=Q(floor_area_m2__gt=0),
                name="%(app_label)s_%(class)s_area_positive",
                violation_error_message=_("The floor area must be above 0."),
            ),
            models.CheckConstraint(
                condition=Q(floor__gte=1) & Q(entrance_unit__gte=1),
                name="%(app_label)s_%(class)s_floor_and_unit_positive",
                violation_error_message=_("Floors and entrance units are counted from 1."),
            ),
        ]

    def __str__(self) -> str:
        return _("%(building)s, unit %(unit)s, room %(room)s") % {
            "building": self.building,
            "unit": self.entrance_unit,
            "room": self.room_number,
        }

    def save(self, *args, **kwargs) -> None:
        save_with_sort_keys(self, {"room_number": "room_sort"}, kwargs)
        super().save(*args, **kwargs)

    def fill_sort_keys(self) -> None:
        self.room_sort = natural_key(self.room_number)

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.room_number is not None:
            self.room_number = self.room_number.strip()
        if self.building_id:
            building = self.building
            if self.entrance_unit and self.entrance_unit > building.entrance_units:
                errors["entrance_unit"] = _(
                    "Building %(building)s has only %(count)s entrance unit(s)."
                ) % {"building": building.label, "count": building.entrance_units}
            if self.floor and self.floor > building.storeys:
                errors["floor"] = _("Building %(building)s has only %(count)s storeys.") % {
                    "building": building.label,
                    "count": building.storeys,
                }
        if self._state.adding and self.entrance_unit and "entrance_unit" not in errors:
            closed = roster_closed_on(self.building_id, self.entrance_unit)
            if closed:
                errors["entrance_unit"] = self.roster_closed_message(closed)
        if errors:
            raise ValidationError(errors)

    @staticmethod
    def roster_closed_message(day: date) -> str:
        """Why a household can neither join nor leave the unit now."""
        return _(
            "The owners' consent of %(date)s closed the roster of this entrance unit: "
            "households join or leave only after a recorded re-vote reopens the vote."
        ) % {"date": day.isoformat()}


# --- Subsidy rules ---------------------------------------------------------------------------


class SubsidyRuleQuerySet(models.QuerySet):
    def in_force(self, year: int) -> "SubsidyRuleQuerySet":
        return self.filter(
            Q(valid_to_year__isnull=True) | Q(valid_to_year__gte=year), valid_from_year__lte=year
        )


class SubsidyRule(CheckedInOneQuery, models.Model):
    """A government subsidy for elevator retrofits in a region, for a span of years.

    Tai'an 2021 is seeded: up to ¥150,000 per elevator for buildings of 4 storeys or more. A
    retrofit gets the rule of the most local region that covers its district, its building's
    storeys and the year (see ``pick_subsidy_rule``).
    """

    region_name = models.CharField(_("region"), max_length=50, help_text=_("For example 泰安市."))
    region_code = models.CharField(
        _("region's administrative code"),
        max_length=6,
        validators=[RegexValidator(r"^\d{6}$", _("Enter the 6-digit administrative code."))],
        help_text=_(
            "370900 covers every district of Tai'an (codes 3709…); 370000 the province; a "
            "district's own code only that district."
        ),
    )
    min_storeys = models.PositiveSmallIntegerField(
        _("minimum storeys"),
        default=1,
        validators=[MinValueValidator(1)],
        help_text=_("Buildings with at least this many storeys qualify."),
    )
    amount_per_elevator = models.DecimalField(_("amount per elevator (yuan)"), **MONEY)
    cap_percent = models.DecimalField(
        _("cap (% of total cost)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("100"))],
        help_text=_("Leave empty when only the amount (and the cost itself) limits it."),
    )
    valid_from_year = models.PositiveSmallIntegerField(
        _("valid from (year)"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    valid_to_year = models.PositiveSmallIntegerField(
        _("valid to (year)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(2000), MaxValueValidator(2100)],
        help_text=_("Leave empty while the rule is in force."),
    )
    source = models.CharField(
        _("source"), max_length=200, blank=True, help_text=_("The policy document.")
    )
    history = HistoricalRecords()

    objects = SubsidyRuleQuerySet.as_manager()

    class Meta:
        app_label = "communities"
        verbose_name = _("subsidy rule")
        verbose_name_plural = _("subsidy rules")
        ordering = ["region_code", "min_storeys", "valid_from_year"]
        indexes = [
            # Default ordering, and the overlap check of clean() by region and storeys.
            models.Index(
                fields=["region_code", "min_storeys", "valid_from_year"],
                name="subsidy_rule_region_order",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount_per_elevator__gte=0),
                name="%(app_label)s_%(class)s_amount_not_negative",
                violation_error_message=_("The amount cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(cap_percent__isnull=True)
                | (Q(cap_percent__gt=0) & Q(cap_percent__lte=100)),
                name="%(app_label)s_%(class)s_cap_percent",
                violation_error_message=_("The cap is a percentage above 0 and at most 100."),
            ),
            models.CheckConstraint(
                condition=Q(valid_to_year__isnull=True)
                | Q(valid_to_year__gte=F("valid_from_year")),
                name="%(app_label)s_%(class)s_years_in_order",
                violation_error_message=_("A rule cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=Q(region_code__regex=r"^[0-9]{6}$"),
                name="%(app_label)s_%(class)s_region_code_six_digits",
                violation_error_message=_("The administrative code must be 6 digits."),
            ),
        ]

    def __str__(self) -> str:
        years = (
            f"{self.valid_from_year}–{self.valid_to_year}"
            if self.valid_to_year
            else f"{self.valid_from_year}–"
        )
        return _("%(region)s %(years)s: ¥%(amount)s from %(storeys)s storeys") % {
            "region": self.region_name,
            "years": years,
            "amount": self.amount_per_elevator,
            "storeys": self.min_storeys,
        }

    def terms(self) -> SubsidyTerms:
        return SubsidyTerms(
            key=self.pk,
            region_code=self.region_code,
            min_storeys=self.min_storeys,
            amount_per_elevator=self.amount_per_elevator,
            valid_from_year=self.valid_from_year,
            valid_to_year=self.valid_to_year,
            cap_percent=self.cap_percent,
        )

    def clean(self) -> None:
        """Refuse a second rule for the same region and storeys in overlapping years, which
        would leave the choice between them arbitrary (runs one query)."""
        if (
            self.valid_to_year is not None
            and self.valid_from_year is not None
            and self.valid_to_year < self.valid_from_year
        ):
            raise ValidationError({"valid_to_year": _("A rule cannot end before it starts.")})
        if not (self.region_code and self.min_storeys and self.valid_from_year):
            return
        clashes = SubsidyRule.objects.filter(
            region_code=self.region_code, min_storeys=self.min_storeys
        ).exclude(pk=self.pk)
        clashes = clashes.filter(
            Q(valid_to_year__isnull=True) | Q(valid_to_year__gte=self.valid_from_year)
        )
        if self.valid_to_year is not None:
            clashes = clashes.filter(valid_from_year__lte=self.valid_to_year)
        clash = clashes.order_by("valid_from_year").first()
        if clash:
            raise ValidationError(
                {
                    "valid_from_year": _(
                        "These years overlap the rule “%(rule)s” for the same region and storeys."
                    )
                    % {"rule": clash}
                }
            )


# --- The retrofit ----------------------------------------------------------------------------


@dataclass(frozen=True)
class HouseholdShare:
    """One household's share of the owners' part, as the public may see it."""

    household_id: int
    floor: int
    room_number: str
    floor_area_m2: Decimal
    coefficient: Decimal
    share: Decimal | None


@dataclass(frozen=True)
class NamedHouseholdShare(HouseholdShare):
    """The staff version: with the owner's name and phone."""

    owner_name: str = ""
    owner_phone: str = ""


@dataclass(frozen=True)
class CostSharing:
    """The cost of one retrofit and how the owners share it.

    ``problem`` explains why there are no shares (households' ``share`` is then None and
    ``floors`` is empty); otherwise shares add up to ``owners_part`` exactly.
    """

    total_cost: Decimal
    subsidy: Decimal
    other_funding: Decimal
    owners_part: Decimal
    households: list[HouseholdShare]
    floors: list[FloorShare]
    problem: str | None = None
    # Of the owners' part, what their housing maintenance fund pays.
    maintenance_fund: Decimal = Decimal("0")


@dataclass(frozen=True)
class SubsidyQuote:
    """The subsidy the rules give a retrofit: the rule that applies (or None) and the amount."""

    rule: "SubsidyRule | None"
    amount: Decimal
    year: int


# The published shares (公示): what the owners' shares rest on. Frozen from the public notice
# on (and named by the approval once approved); changed only by withdrawing the notice
# (services.elevator_retrofit_renotice), after which the notice and the shares run again.
SHARES_FIELDS = (
    "notice_days",
    "total_cost",
    "subsidy",
    "other_funding",
    "maintenance_fund",
    "subsidy_rule",
    "subsidy_override",
    "subsidy_override_reason",
    "floor_coefficients",
)
# The entrance unit is the vote's: fixed once votes are recorded or the retrofit has moved past
# intention (it is another unit's retrofit then, to be registered anew).
UNIT_FIELDS = ("building", "entrance_unit")


def _votes_recorded(retrofit: "ElevatorRetrofit", stored) -> bool:
    """One query: whether the owners have voted on this retrofit."""
    return retrofit.votes.exists()


def retrofit_locks() -> tuple[Lock, ...]:
    """What freezes when, for an elevator retrofit (docs/decisions.md), latest decision first."""
    past_intention = frozenset(ElevatorStage.values) - {ElevatorStage.INTENTION}
    return (
        Lock(
            fields=SHARES_FIELDS,
            since="approved_on",
            decision=_(
                "The approval of %(date)s fixed the shares (%(fields)s): withdraw the notice "
                "and notice the retrofit again to change them."
            ),
        ),
        Lock(
            fields=SHARES_FIELDS,
            since="notice_on",
            decision=_(
                "The public notice of %(date)s fixed the shares (%(fields)s): withdraw the "
                "notice and notice the retrofit again to change them."
            ),
        ),
        Lock(
            fields=(*UNIT_FIELDS, "vote_rule"),
            since="consent_on",
            decision=_(
                "The owners' consent of %(date)s fixed %(fields)s: only a recorded re-vote "
                "reopens the vote."
            ),
        ),
        Lock(
            fields=UNIT_FIELDS,
            state_field="stage",
            states=past_intention,
            also=_votes_recorded,
            decision=_(
                "The owners of this entrance unit have voted on this retrofit: register a new "
                "retrofit for another unit rather than change it."
            ),
        ),
    )


def _share_fields(public: bool) -> list[str]:
    fields = ["pk", "building_id", "entrance_unit", "floor", "room_number", "floor_area_m2"]
    return fields if public else [*fields, "owner_name", "owner_phone"]


def cost_sharings(
    retrofits: "list[ElevatorRetrofit]", *, public: bool = False
) -> "dict[int, CostSharing]":
    """The cost sharing of each retrofit by its id, reading the households of all their units
    in one query (none when the list is empty), for pages that show several retrofits."""
    units = {(retrofit.building_id, retrofit.entrance_unit) for retrofit in retrofits}
    if not units:
        return {}
    wanted = Q()
    for building_id, entrance_unit in sorted(units):
        wanted |= Q(building_id=building_id, entrance_unit=entrance_unit)
    rows_of: dict[tuple[int, int], list[dict]] = {unit: [] for unit in units}
    for row in Household.objects.filter(wanted).values(*_share_fields(public)):
        rows_of[(row["building_id"], row["entrance_unit"])].append(row)
    return {
        retrofit.pk: retrofit.cost_sharing_of(
            rows_of[(retrofit.building_id, retrofit.entrance_unit)], public=public
        )
        for retrofit in retrofits
    }


class ElevatorRetrofitQuerySet(models.QuerySet):
    def in_service(self) -> "ElevatorRetrofitQuerySet":
        return self.filter(stage=ElevatorStage.IN_SERVICE)


class ElevatorRetrofit(CheckedInOneQuery, Locked, models.Model):
    # Scope (core.scoping): the lookup from here to the district.
    district_path = "building__community__district"
    building = models.ForeignKey(
        Building,
        on_delete=models.PROTECT,
        related_name="elevator_retrofits",
        verbose_name=_("building"),
    )
    entrance_unit = models.PositiveSmallIntegerField(
        _("entrance unit"),
        validators=[MinValueValidator(1)],
        help_text=_("For example 2 for 2单元."),
    )
    storeys_served = models.PositiveSmallIntegerField(
        _("storeys served"), validators=[MinValueValidator(2)]
    )
    stage = models.CharField(
        _("stage"), max_length=20, choices=ElevatorStage, default=ElevatorStage.INTENTION
    )
    intention_on = BoundedDateField(_("intention registered on"), null=True, blank=True)
    consent_on = BoundedDateField(_("consent reached on"), null=True, blank=True)
    design_on = BoundedDateField(_("design started on"), null=True, blank=True)
    notice_on = BoundedDateField(_("public notice started on"), null=True, blank=True)
    approved_on = BoundedDateField(_("approved on"), null=True, blank=True)
    construction_on = BoundedDateField(_("construction started on"), null=True, blank=True)
    accepted_on = BoundedDateField(_("accepted on"), null=True, blank=True)
    in_service_on = BoundedDateField(_("in service since"), null=True, blank=True)
    withdrawn_on = BoundedDateField(_("withdrawn on"), null=True, blank=True)
    total_cost = models.DecimalField(_("total cost (yuan)"), default=Decimal("0"), **MONEY)
    subsidy = models.DecimalField(_("government subsidy (yuan)"), default=Decimal("0"), **MONEY)
    other_funding = models.DecimalField(
        _("other funding (yuan)"),
        default=Decimal("0"),
        help_text=_(
            "Sponsors, utilities, other public money: anything that is neither the subsidy nor "
            "the owners' own money (the housing maintenance fund is the owners': give it below)."
        ),
        **MONEY,
    )
    maintenance_fund = models.DecimalField(
        _("from the housing maintenance fund (yuan)"),
        default=Decimal("0"),
        help_text=_(
            "The part of the owners' contribution (居民出资) paid from their housing maintenance "
            "fund (住房维修资金): the owners' own money, so it is inside the owners' part and "
            "their shares, not other funding."
        ),
        **MONEY,
    )
    subsidy_rule = models.ForeignKey(
        SubsidyRule,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="retrofits",
        verbose_name=_("subsidy rule applied"),
        help_text=_("Set when the subsidy is computed; empty when overridden or none applies."),
    )
    subsidy_override = models.BooleanField(
        _("subsidy set by staff"),
        default=False,
        help_text=_("The subsidy is not computed from the rules; give the reason."),
    )
    subsidy_override_reason = models.CharField(
        _("reason for the subsidy set by staff"), max_length=300, blank=True
    )
    vote_rule = models.ForeignKey(
        VoteRule,
        on_delete=models.PROTECT,
        default=default_vote_rule,
        related_name="retrofits",
        verbose_name=_("vote rule"),
        help_text=_("The rule the owners' vote is counted by; the city's rule by default."),
    )
    notice_days = models.PositiveSmallIntegerField(
        _("public notice days"),
        default=default_notice_days,
        validators=[MinValueValidator(1)],
        help_text=_("How long the public notice lasts before approval."),
    )
    permit_number = models.CharField(
        _("construction permit number"),
        max_length=50,
        blank=True,
        help_text=_("Needed for construction when the total cost is above the threshold."),
    )
    registration_number = models.CharField(
        _("special-equipment registration number"),
        max_length=50,
        blank=True,
        help_text=_("Needed before the elevator goes into service."),
    )
    floor_coefficients = models.JSONField(
        _("floor coefficients"),
        default=dict,
        blank=True,
        help_text=_(
            'Floors whose coefficient differs from the common scheme, e.g. {"2": "0.3"}. The '
            "common scheme: floors 1–2 pay 0, 3F 0.7, 4F 0.8 … 9F 1.3, +0.1 a floor above."
        ),
    )
    updated_at = models.DateTimeField(_("last updated"), auto_now=True)
    history = HistoricalRecords()

    objects = ElevatorRetrofitQuerySet.as_manager()
    # What freezes when (core.locks): checked by full_clean() on every path.
    locks = retrofit_locks()

    class Meta:
        app_label = "communities"
        verbose_name = _("elevator retrofit")
        verbose_name_plural = _("elevator retrofits")
        ordering = ["building_id", "entrance_unit"]
        indexes = [
            # Elevators in service (headline figure) and ?stage= filters.
            models.Index(fields=["stage"], name="elevator_stage"),
            # Elevators in service on a past day (reporting's ?as_of=: in_service_on <= day).
            models.Index(fields=["in_service_on"], name="elevator_in_service_on"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["building", "entrance_unit"],
                condition=~Q(stage=ElevatorStage.WITHDRAWN),
                name="%(app_label)s_%(class)s_one_active_per_unit",
                violation_error_message=_(
                    "This entrance unit already has an elevator retrofit under way."
                ),
            ),
            models.CheckConstraint(
                condition=Q(storeys_served__gte=2),
                name="%(app_label)s_%(class)s_at_least_two_storeys",
                violation_error_message=_("An elevator serves at least 2 storeys."),
            ),
            models.CheckConstraint(
                condition=Q(total_cost__gte=0) & Q(subsidy__gte=0),
                name="%(app_label)s_%(class)s_money_not_negative",
                violation_error_message=_("Cost and subsidy cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(subsidy__lte=models.F("total_cost")),
                name="%(app_label)s_%(class)s_subsidy_within_cost",
                violation_error_message=_("The subsidy cannot exceed the total cost."),
            ),
            models.CheckConstraint(
                condition=Q(other_funding__gte=0),
                name="%(app_label)s_%(class)s_other_funding_not_negative",
                violation_error_message=_("Other funding cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(subsidy__lte=F("total_cost") - F("other_funding")),
                name="%(app_label)s_%(class)s_funding_within_cost",
                violation_error_message=_(
                    "The subsidy and other funding together cannot exceed the total cost."
                ),
            ),
            models.CheckConstraint(
                condition=Q(maintenance_fund__gte=0)
                & Q(maintenance_fund__lte=F("total_cost") - F("subsidy") - F("other_funding")),
                name="%(app_label)s_%(class)s_maintenance_fund_within_owners_part",
                violation_error_message=_(
                    "The maintenance fund pays part of the owners' part: from 0 to the total cost "
                    "less the subsidy and other funding."
                ),
            ),
            models.CheckConstraint(
                condition=Q(notice_days__gte=1),
                name="%(app_label)s_%(class)s_notice_days_positive",
                violation_error_message=_("A public notice lasts at least one day."),
            ),
            models.CheckConstraint(
                condition=Q(subsidy_override=False) | ~Q(subsidy_override_reason=""),
                name="%(app_label)s_%(class)s_override_needs_reason",
                violation_error_message=_("Give the reason for setting the subsidy by hand."),
            ),
            models.CheckConstraint(
                condition=~Q(stage=ElevatorStage.IN_SERVICE) | ~Q(registration_number=""),
                name="%(app_label)s_%(class)s_in_service_needs_registration",
                violation_error_message=_(
                    "An elevator in service needs its special-equipment registration number."
                ),
            ),
            models.UniqueConstraint(
                fields=["registration_number"],
                condition=~Q(registration_number=""),
                name="%(app_label)s_%(class)s_unique_registration",
                violation_error_message=_(
                    "Another elevator has this special-equipment registration number."
                ),
            ),
        ]

    def __str__(self) -> str:
        return _("%(building)s, unit %(unit)s") % {
            "building": self.building,
            "unit": self.entrance_unit,
        }

    # -- plain facts (no queries) --

    def stage_dates(self) -> dict[str, date | None]:
        return {stage: getattr(self, field) for stage, field in STAGE_DATE_FIELDS.items()}

    def has_reached(self, stage: str) -> bool:
        """Whether the retrofit reached ``stage`` (a withdrawn one: the stages it has dates for)."""
        return elevator_stage_reached(self.stage, stage, dates=self.stage_dates())

    @property
    def owners_part(self) -> Decimal:
        """What the owners pay together (居民出资): total cost − subsidy − other funding. The
        housing maintenance fund is the owners' own money, so it is part of this (and of each
        household's share), never of other funding."""
        zero = Decimal("0")
        return (self.total_cost or zero) - (self.subsidy or zero) - (self.other_funding or zero)

    def coefficient_overrides(self) -> dict[int, Decimal]:
        """This retrofit's own floor coefficients (floor → coefficient); others follow the
        common scheme. Expects the cleaned form that ``clean()`` leaves."""
        return {
            int(floor): Decimal(str(value))
            for floor, value in (self.floor_coefficients or {}).items()
        }

    def coefficient_for(self, floor: int) -> Decimal:
        return floor_coefficient(floor, self.coefficient_overrides())

    def subsidy_year(self) -> int:
        """The year whose subsidy rules apply: the public notice's (the notice publishes the
        shares, which rest on the subsidy), or before it the year the intention was registered
        (today's when even that is missing)."""
        if self.notice_on:
            return self.notice_on.year
        if self.intention_on:
            return self.intention_on.year
        return date.today().year

    # -- reads (each says what it queries) --

    def unit_households(self) -> HouseholdQuerySet:
        """The households of this retrofit's entrance unit, in floor order (lazy queryset)."""
        return Household.objects.of_unit(self.building_id, self.entrance_unit)

    def households_with_votes(self) -> HouseholdQuerySet:
        """The unit's households, each annotated with ``vote`` and ``voted_on`` for this
        retrofit (None where no vote is recorded). One query when evaluated."""
        votes = OwnerVote.objects.filter(retrofit_id=self.pk, household_id=OuterRef("pk"))
        return self.unit_households().annotate(
            vote=Subquery(votes.values("choice")[:1]),
            voted_on=Subquery(votes.values("voted_on")[:1]),
        )

    def expected_households(self) -> int:
        """The households the unit should have, from its building's count
        (``policy.unit_household_count``); a query unless the building is loaded."""
        building = self.building
        return unit_household_count(
            households=building.households,
            entrance_units=building.entrance_units,
            unit=self.entrance_unit,
        )

    def vote_summary(self) -> VoteSummary:
        """The tally of this retrofit's vote under its rule, with the roster checked against
        the unit's household count (an incomplete roster does not pass).

        One query (the households with their votes), plus one each for the rule and the
        building unless they were loaded with ``select_related``.
        """
        ballots = [
            Ballot(area=area, vote=vote)
            for area, vote in self.households_with_votes().values_list("floor_area_m2", "vote")
        ]
        return tally_vote(
            ballots=ballots,
            rule=self.vote_rule.thresholds(),
            expected_households=self.expected_households(),
        )

    def cost_sharing(self, *, public: bool = False) -> CostSharing:
        """Each household's and each floor's share of the owners' part. One query.

        ``public=True`` leaves the owners' names and phones out (they are not even read), for
        the public community page.
        """
        rows = list(self.unit_households().values(*_share_fields(public)))
        return self.cost_sharing_of(rows, public=public)

    def cost_sharing_of(self, rows: list[dict], *, public: bool) -> CostSharing:
        """The cost sharing over ``rows``, the unit's households as ``values()`` dictionaries
        in floor order (see ``cost_sharings`` for many retrofits at once). No queries."""
        overrides = self.coefficient_overrides()
        units = [
            ShareUnit(
                key=row["pk"],
                floor=row["floor"],
                room_number=row["room_number"],
                area=row["floor_area_m2"],
            )
            for row in rows
        ]
        owners_part = self.owners_part
        problem = None
        try:
            shares = share_cost(owners_part=owners_part, units=units, coefficients=overrides)
        except CostSharingImpossible as exc:
            problem, shares = str(exc), None
        if not units and owners_part > 0:
            problem = str(_("No households are recorded for this entrance unit."))
        households = []
        for index, row in enumerate(rows):
            common = {
                "household_id": row["pk"],
                "floor": row["floor"],
                "room_number": row["room_number"],
                "floor_area_m2": row["floor_area_m2"],
                "coefficient": floor_coefficient(row["floor"], overrides),
                "share": shares[index].amount if shares else None,
            }
            if public:
                households.append(HouseholdShare(**common))
            else:
                households.append(
                    NamedHouseholdShare(
                        **common, owner_name=row["owner_name"], owner_phone=row["owner_phone"]
                    )
                )
        return CostSharing(
            total_cost=self.total_cost,
            subsidy=self.subsidy,
            other_funding=self.other_funding,
            owners_part=owners_part,
            households=households,
            floors=shares_by_floor(shares) if shares and not problem else [],
            problem=problem,
            maintenance_fund=self.maintenance_fund,
        )

    def subsidy_quote(self, *, year: int | None = None) -> SubsidyQuote:
        """The subsidy the rules give this retrofit in ``year`` (default ``subsidy_year()``).

        Two queries: the building's storeys and district code, and the rules in force.
        """
        year = year or self.subsidy_year()
        storeys, region_code = Building.objects.values_list(
            "storeys", "community__district__code"
        ).get(pk=self.building_id)
        rules = {
            rule.pk: rule
            for rule in SubsidyRule.objects.in_force(year).filter(min_storeys__lte=storeys)
        }
        terms = pick_subsidy_rule(
            [rule.terms() for rule in rules.values()],
            region_code=region_code,
            storeys=storeys,
            year=year,
        )
        rule = rules[terms.key] if terms else None
        return SubsidyQuote(
            rule=rule,
            amount=subsidy_amount(terms, total_cost=self.total_cost),
            year=year,
        )

    @property
    def shares_published(self) -> bool:
        """Whether the public may see how the owners share the cost: the sharing plan is part
        of the public notice (公示), so from that stage on, unless the retrofit was withdrawn
        (then nobody pays anything)."""
        return self.stage != ElevatorStage.WITHDRAWN and self.has_reached(
            ElevatorStage.PUBLIC_NOTICE
        )

    def apply_subsidy_rules(self, *, year: int | None = None) -> None:
        """Set the subsidy and the rule it came from, unless staff set the subsidy by hand.

        The rules' amount is cut to what the other funding leaves of the cost, so the subsidy
        and the other funding never cover more than the whole. Two queries (see
        ``subsidy_quote``). What ``services`` applies on every write; the admin's form and the
        API's serializer apply it before validating, so they refuse what the service would.
        """
        if self.subsidy_override:
            return
        quote = self.subsidy_quote(year=year)
        zero = Decimal("0")
        available = (self.total_cost or zero) - (self.other_funding or zero)
        self.subsidy = max(Decimal("0.00"), min(quote.amount, available))
        self.subsidy_rule = quote.rule

    # -- validation --

    def clean(self) -> None:
        """The rules of one retrofit, so the admin and imports hold what the services hold.

        Runs a query for the building, and when the retrofit has reached consent, one to see
        whether votes are recorded and, if so, one more to tally them.
        """
        errors: dict[str, list] = {}

        def add(field: str, message) -> None:
            errors.setdefault(field, []).append(message)

        building = self.building if self.building_id else None
        if building is not None:
            if self.entrance_unit and self.entrance_unit > building.entrance_units:
                add(
                    "entrance_unit",
                    _("Building %(building)s has only %(count)s entrance unit(s).")
                    % {"building": building.label, "count": building.entrance_units},
                )
            if self.storeys_served and self.storeys_served > building.storeys:
                add(
                    "storeys_served",
                    _("Building %(building)s has only %(count)s storeys.")
                    % {"building": building.label, "count": building.storeys},
                )
            if building.storeys < 2:
                add("building", _("An elevator needs a building of at least 2 storeys."))
            if blocked_by_reinforce_first(
                grade=building.safety_grade,
                is_reinforcement=False,
                started=elevator_work_started(self.stage),
            ):
                add(
                    "stage",
                    _(
                        "Reinforce first: building %(building)s is graded %(grade)s; no elevator "
                        "may be built until it is reinforced and re-appraised A or B."
                    )
                    % {"building": building.label, "grade": building.safety_grade},
                )
        for field, message in stage_date_errors(
            stage=self.stage,
            dates={stage: getattr(self, field) for stage, field in STAGE_DATE_FIELDS.items()},
            fields=STAGE_DATE_FIELDS,
        ):
            add(field, message)
        self._clean_stage_conditions(add)
        self._clean_money(add)
        self._clean_floor_coefficients(add)
        if not errors and self.pk and self.vote_rule_id and self._vote_decided():
            summary = self.vote_summary()
            if not summary.passes:
                add(
                    "stage",
                    _("The owners' vote recorded for this retrofit does not pass: %(why)s")
                    % {"why": " ".join(summary.failure_messages())},
                )
        if errors:
            raise ValidationError(errors)

    def _vote_decided(self) -> bool:
        """Consent was reached and votes are recorded (one query), so the vote must pass."""
        return (
            self.stage != ElevatorStage.WITHDRAWN
            and self.has_reached(ElevatorStage.CONSENT)
            and self.votes.exists()
        )

    def _clean_stage_conditions(self, add) -> None:
        for field in ("permit_number", "registration_number", "subsidy_override_reason"):
            value = getattr(self, field)
            if value is not None:
                setattr(self, field, value.strip())
        if self.stage == ElevatorStage.IN_SERVICE and not self.registration_number:
            add(
                "registration_number",
                _("An elevator in service needs its special-equipment registration number."),
            )
        if (
            self.has_reached(ElevatorStage.CONSTRUCTION)
            and construction_permit_required(total_cost=self.total_cost, above=permit_threshold())
            and not self.permit_number
        ):
            add(
                "permit_number",
                _(
                    "Construction of a retrofit costing more than ¥%(above)s needs a "
                    "construction permit number."
                )
                % {"above": permit_threshold()},
            )
        if (
            self.approved_on
            and self.notice_on
            and self.notice_days
            and not notice_long_enough(
                notice_on=self.notice_on, on=self.approved_on, days=self.notice_days
            )
        ):
            add(
                "approved_on",
                _("The public notice must last at least %(days)s days before approval.")
                % {"days": self.notice_days},
            )
        if self.stage == ElevatorStage.WITHDRAWN and self.withdrawn_on:
            reached = [
                day
                for stage, day in self.stage_dates().items()
                if day and stage != ElevatorStage.WITHDRAWN
            ]
            if reached and self.withdrawn_on < max(reached):
                add(
                    "withdrawn_on",
                    _("A retrofit cannot be withdrawn before the last stage it reached."),
                )

    def _clean_money(self, add) -> None:
        if self.subsidy_override and not self.subsidy_override_reason:
            add(
                "subsidy_override_reason",
                _("Give the reason for setting the subsidy by hand."),
            )
        if None in (self.total_cost, self.subsidy, self.other_funding):
            return
        if self.other_funding < 0:
            add("other_funding", _("Other funding cannot be negative."))
        elif self.subsidy + self.other_funding > self.total_cost:
            add(
                "other_funding",
                _("The subsidy and other funding together cannot exceed the total cost."),
            )
        elif self.maintenance_fund is not None and not (
            0 <= self.maintenance_fund <= self.owners_part
        ):
            add(
                "maintenance_fund",
                _(
                    "The maintenance fund pays part of the owners' part: from 0 to the total "
                    "cost less the subsidy and other funding."
                ),
            )

    def _clean_floor_coefficients(self, add) -> None:
        """Accept ``{floor: coefficient}`` with numbers or strings; store it as strings so no
        float ever reaches the shares (``{"3": "0.7"}``)."""
        raw = self.floor_coefficients
        if raw in (None, ""):
            self.floor_coefficients = {}
            return
        if not isinstance(raw, dict):
            add("floor_coefficients", _("Give the coefficients as {floor: coefficient}."))
            return
        storeys = self.building.storeys if self.building_id else None
        cleaned: dict[str, str] = {}
        for key, value in raw.items():
            try:
                floor = int(str(key).strip())
            except ValueError:
                add("floor_coefficients", _("“%(key)s” is not a floor number.") % {"key": key})
                continue
            if floor < 1 or (storeys and floor > storeys):
                add(
                    "floor_coefficients",
                    _("Floor %(floor)s is not a floor of this building.") % {"floor": floor},
                )
                continue
            try:
                if isinstance(value, bool):
                    raise InvalidOperation
                coefficient = Decimal(str(value).strip())
            except (InvalidOperation, ValueError):
                add(
                    "floor_coefficients",
                    _("The coefficient of floor %(floor)s is not a number.") % {"floor": floor},
                )
                continue
            if (
                not coefficient.is_finite()
                or coefficient < 0
                or coefficient > MAX_FLOOR_COEFFICIENT
                or coefficient != coefficient.quantize(Decimal("0.001"))
            ):
                add(
                    "floor_coefficients",
                    _(
                        "The coefficient of floor %(floor)s must be from 0 to %(max)s, with at "
                        "most 3 decimals."
                    )
                    % {"floor": floor, "max": MAX_FLOOR_COEFFICIENT},
                )
                continue
            # Fixed-point text: 10 is "10", not normalize()'s "1E+1".
            cleaned[str(floor)] = format(coefficient.normalize(), "f") if coefficient else "0"
        self.floor_coefficients = dict(sorted(cleaned.items(), key=lambda item: int(item[0])))


class OwnerVote(CheckedInOneQuery, models.Model):
    """One household's vote on one retrofit. A household with no record did not take part."""

    # Scope (core.scoping): the lookup from here to the district.
    district_path = "retrofit__building__community__district"

    retrofit = models.ForeignKey(
        ElevatorRetrofit,
        on_delete=models.CASCADE,
        related_name="votes",
        verbose_name=_("elevator retrofit"),
    )
    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, related_name="votes", verbose_name=_("household")
    )
    choice = models.CharField(_("vote"), max_length=10, choices=VoteChoice)
    voted_on = BoundedDateField(
        _("voted on"), null=True, blank=True, help_text=_("Empty only for “did not take part”.")
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        app_label = "communities"
        verbose_name = _("owner's vote")
        verbose_name_plural = _("owners' votes")
        ordering = ["retrofit_id", "household_id"]  # served by the unique constraint's index
        constraints = [
            models.UniqueConstraint(
                fields=["retrofit", "household"],
                name="%(app_label)s_%(class)s_one_per_household",
                violation_error_message=_("This household has already voted on this retrofit."),
            ),
            models.CheckConstraint(
                condition=Q(choice=VoteChoice.ABSENT) | Q(voted_on__isnull=False),
                name="%(app_label)s_%(class)s_vote_has_date",
                violation_error_message=_("Give the date of the vote."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.household} · {self.get_choice_display()}"

    def clean(self) -> None:
        """The household belongs to the retrofit's entrance unit, and the vote is still open:
        once consent is recorded (or the retrofit withdrawn) the votes are the record of the
        decision and do not change."""
        errors: dict[str, str] = {}
        if self.choice != VoteChoice.ABSENT and not self.voted_on:
            errors["voted_on"] = _("Give the date of the vote.")
        if self.voted_on and self.voted_on > date.today():
            errors["voted_on"] = _("A vote cannot be dated in the future.")
        if self.retrofit_id and self.household_id:
            retrofit, household = self.retrofit, self.household
            if (household.building_id, household.entrance_unit) != (
                retrofit.building_id,
                retrofit.entrance_unit,
            ):
                errors["household"] = _("This household is not in the retrofit's entrance unit.")
            if retrofit.stage != ElevatorStage.INTENTION:
                errors["retrofit"] = _(
                    "The vote is closed: the retrofit is at the stage “%(stage)s”."
                ) % {"stage": retrofit.get_stage_display()}
        if errors:
            raise ValidationError(errors)


class StageTransition(CheckedInOneQuery, models.Model):
    """One move of a retrofit between stages: from, to, on what day, by whom, and why.

    Written only by ``services.elevator_retrofit_advance`` (and ``elevator_retrofit_create``,
    whose row has no ``from_stage``). Rows are never edited or deleted: a withdrawn retrofit
    keeps its whole history, and a retrofit with moves cannot be deleted.
    """

    # Scope (core.scoping): the lookup from here to the district.
    district_path = "retrofit__building__community__district"

    retrofit = models.ForeignKey(
        ElevatorRetrofit,
        on_delete=models.PROTECT,
        related_name="transitions",
        verbose_name=_("elevator retrofit"),
    )
    from_stage = models.CharField(
        _("from stage"),
        max_length=20,
        choices=ElevatorStage,
        blank=True,
        help_text=_("Empty when the retrofit was registered."),
    )
    to_stage = models.CharField(_("to stage"), max_length=20, choices=ElevatorStage)
    on = BoundedDateField(_("on"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    note = models.TextField(_("note"), blank=True)
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        app_label = "communities"
        verbose_name = _("stage move")
        verbose_name_plural = _("stage moves")
        ordering = ["retrofit_id", "on", "id"]
        indexes = [
            # A retrofit's history in order (admin inline, API): also serves the FK.
            models.Index(fields=["retrofit", "on", "id"], name="stage_move_retrofit_on"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(from_stage=F("to_stage")),
                name="%(app_label)s_%(class)s_moves_somewhere",
                violation_error_message=_("A move goes to another stage."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_from_stage_display() or '—'} → {self.get_to_stage_display()} ({self.on})"


# Residents' objections to the notice: their own module, registered with the models here.
from communities.elevators.objection_models import ElevatorObjection  # noqa: E402, F401

# The owners' money (invoices, payments, the collection rule): their own module, registered here.
from communities.elevators.payment_models import (  # noqa: E402, F401
    CollectionRule,
    ShareInvoice,
    SharePayment,
)
