"""Domain rules that are more than a constraint: pure functions, no I/O, tested directly.

Models' ``clean()``, the admin's formsets, the API and imports all call these, so a rule is
written once and holds on every surface.
"""

import math
import re
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_FLOOR, Decimal
from fractions import Fraction

from django.utils.translation import gettext as _

from communities.core.money import CENT
from communities.elevators.choices import ElevatorStage, VoteChoice
from communities.places.choices import SafetyGrade
from communities.works.policy import blocked_by_reinforce_first


def elevator_work_started(stage: str) -> bool:
    """Construction and every stage after it count as work on the building."""
    ordered = ElevatorStage.ordered()
    return stage in ordered and ordered.index(stage) >= ordered.index(ElevatorStage.CONSTRUCTION)


def stage_date_errors(*, stage: str, dates: dict, fields: dict) -> list[tuple[str, str]]:
    """Check the stage dates of a retrofit: the current stage has its date, dates only for
    stages reached, and never earlier than the stage before."""
    ordered = ElevatorStage.ordered()
    errors: list[tuple[str, str]] = []
    if stage == ElevatorStage.WITHDRAWN:
        if not dates.get(ElevatorStage.WITHDRAWN):
            errors.append((fields[ElevatorStage.WITHDRAWN], _("Give the date it was withdrawn.")))
        reached = [s for s in ordered if dates.get(s)]
    else:
        position = ordered.index(stage)
        reached = ordered[: position + 1]
        if not dates.get(stage):
            errors.append((fields[stage], _("Give the date this stage was reached.")))
        for later in ordered[position + 1 :]:
            if dates.get(later):
                errors.append((fields[later], _("This stage has not been reached yet.")))
        if dates.get(ElevatorStage.WITHDRAWN):
            errors.append((fields[ElevatorStage.WITHDRAWN], _("The retrofit is not withdrawn.")))
    previous = None
    for step in reached:
        current = dates.get(step)
        if current and previous and current < previous:
            errors.append((fields[step], _("A stage cannot be reached before the one before it.")))
        if current:
            previous = current
    return errors


# --------------------------------------------------------------------------------------------
# Elevator retrofits (既有住宅加装电梯): the owners' vote, stage guards, subsidy, cost sharing.
#
# Everything below works on plain data (Decimal, Fraction, dates, strings) so it is tested
# without a database; communities/elevators/models.py and communities/elevators/services.py feed it.
# Money is Decimal, ratios are Fraction: no float ever touches a threshold or a share.
# --------------------------------------------------------------------------------------------

# The four answers a household can give. OwnerVote's choices (models/elevators.py) are built
# from these codes, so the tally and the database agree on them.
VOTE_AGREE = VoteChoice.AGREE.value
VOTE_DISAGREE = VoteChoice.DISAGREE.value
VOTE_ABSTAIN = VoteChoice.ABSTAIN.value
VOTE_ABSENT = VoteChoice.ABSENT.value
PARTICIPATING_VOTES = frozenset({VOTE_AGREE, VOTE_DISAGREE, VOTE_ABSTAIN})

# Why a vote fails, as stable codes (the API returns them; messages are translated).
VOTE_NO_HOUSEHOLDS = "no_households"
VOTE_PARTICIPATION_AREA = "participation_area"
VOTE_PARTICIPATION_HEADCOUNT = "participation_headcount"
VOTE_APPROVAL_AREA = "approval_area"
VOTE_APPROVAL_HEADCOUNT = "approval_headcount"
VOTE_OBJECTION = "objection"
VOTE_ROSTER_INCOMPLETE = "roster_incomplete"


def unit_household_count(*, households: int, entrance_units: int, unit: int) -> int:
    """The households an entrance unit should have, from its building's count: the building's
    households shared evenly over its units, the first units taking one more each while the
    division leaves some over (37 over 3 units: 13, 12, 12). The roster of a vote must match
    it (``tally_vote``); ``selectors.with_tally`` computes the same in SQL."""
    if entrance_units < 1:
        return 0
    share, left = divmod(households, entrance_units)
    return share + (1 if unit <= left else 0)


@dataclass(frozen=True)
class VoteThresholds:
    """A rule for the owners' vote. Every threshold is "at least" (以上 includes the number).

    ``approval_of_participants``: the approval thresholds are shares of those who took part
    (Civil Code) rather than of all owners of the unit (Chengdu 2018). ``no_objection``: a
    single "disagree" sinks the proposal. A participation threshold of 0 means none.
    """

    participation_area: Fraction
    participation_headcount: Fraction
    approval_area: Fraction
    approval_headcount: Fraction
    approval_of_participants: bool = True
    no_objection: bool = False


# Civil Code art. 278: 2/3 of the area and 2/3 of the owners take part; 3/4 of the
# participating area and of the participating owners agree.
CIVIL_CODE_278 = VoteThresholds(
    participation_area=Fraction(2, 3),
    participation_headcount=Fraction(2, 3),
    approval_area=Fraction(3, 4),
    approval_headcount=Fraction(3, 4),
)
# Chengdu 2018: owners holding 2/3 of the area and 2/3 of the owners agree, and no objection.
CHENGDU_2018 = VoteThresholds(
    participation_area=Fraction(0),
    participation_headcount=Fraction(0),
    approval_area=Fraction(2, 3),
    approval_headcount=Fraction(2, 3),
    approval_of_participants=False,
    no_objection=True,
)


@dataclass(frozen=True)
class Ballot:
    """One household of the entrance unit: its floor area and its answer.

    ``vote`` is one of the VOTE_* codes, or None when no record was made (did not take part).
    """

    area: Decimal
    vote: str | None = None


def _ratio(part: Decimal | int, whole: Decimal | int) -> Fraction | None:
    if not whole:
        return None
    return Fraction(part) / Fraction(whole)


def format_share(value: Fraction | None) -> str:
    """A ratio for people: a percentage with two decimals, rounded down so that a vote one
    household short of 2/3 never shows as 66.67%."""
    if value is None:
        return "—"
    hundredths = math.floor(value * 10000)
    return f"{Decimal(hundredths) / 100:.2f}%"


def format_fraction(value: Fraction) -> str:
    return str(value.numerator) if value.denominator == 1 else f"{value}"


@dataclass(frozen=True)
class VoteSummary:
    """The tally of one entrance unit's vote under one rule. Ratios are exact fractions; a
    ratio is None when its denominator is zero (nobody, or no area, to divide by)."""

    rule: VoteThresholds
    households: int
    area_total: Decimal
    participating_count: int
    participating_area: Decimal
    agree_count: int
    agree_area: Decimal
    disagree_count: int
    disagree_area: Decimal
    abstain_count: int
    abstain_area: Decimal
    absent_count: int
    absent_area: Decimal
    participation_area_ratio: Fraction | None
    participation_headcount_ratio: Fraction | None
    approval_area_ratio: Fraction | None
    approval_headcount_ratio: Fraction | None
    failed: tuple[str, ...]
    # The unit's household count the roster must match (None: not checked).
    expected_households: int | None = None

    @property
    def passes(self) -> bool:
        return not self.failed

    def failure_messages(self) -> list[str]:
        """One translated sentence per unmet condition, in the order they were checked."""
        return [vote_failure_message(code, self) for code in self.failed]

    def as_dict(self) -> dict:
        """JSON-friendly: areas as strings with 2 decimals, ratios as "n/d" strings (exact) and
        as display percentages."""

        def ratio(value: Fraction | None) -> str | None:
            return None if value is None else format_fraction(value)

        rule = self.rule
        return {
            "households": self.households,
            "area_total": f"{self.area_total:.2f}",
            "participating_count": self.participating_count,
            "participating_area": f"{self.participating_area:.2f}",
            "agree_count": self.agree_count,
            "agree_area": f"{self.agree_area:.2f}",
            "disagree_count": self.disagree_count,
            "disagree_area": f"{self.disagree_area:.2f}",
            "abstain_count": self.abstain_count,
            "abstain_area": f"{self.abstain_area:.2f}",
            "absent_count": self.absent_count,
            "absent_area": f"{self.absent_area:.2f}",
            "participation_area_ratio": ratio(self.participation_area_ratio),
            "participation_headcount_ratio": ratio(self.participation_headcount_ratio),
            "approval_area_ratio": ratio(self.approval_area_ratio),
            "approval_headcount_ratio": ratio(self.approval_headcount_ratio),
            "thresholds": {
                "participation_area": format_fraction(rule.participation_area),
                "participation_headcount": format_fraction(rule.participation_headcount),
                "approval_area": format_fraction(rule.approval_area),
                "approval_headcount": format_fraction(rule.approval_headcount),
                "approval_of_participants": rule.approval_of_participants,
                "no_objection": rule.no_objection,
            },
            "passes": self.passes,
            "failed": list(self.failed),
            "failure_messages": self.failure_messages(),
        }


def _meets(ratio: Fraction | None, threshold: Fraction) -> bool:
    if threshold <= 0:
        return True
    return ratio is not None and ratio >= threshold


def tally_vote(
    *, ballots: Iterable[Ballot], rule: VoteThresholds, expected_households: int | None = None
) -> VoteSummary:
    """Count an entrance unit's vote by headcount and by floor area, exactly.

    Every household of the unit is a ballot: one with no record, or "absent", did not take
    part; "abstain" took part without agreeing. Conditions are checked in the order of the law
    (participation, then approval, then objection) and all failures are reported.

    With ``expected_households`` (the unit's count, ``unit_household_count``), a roster that
    does not hold exactly that many households fails as incomplete, whatever the ballots say:
    a vote of the four households entered out of twelve decides nothing.
    """
    zero = Decimal("0")
    counts = {VOTE_AGREE: 0, VOTE_DISAGREE: 0, VOTE_ABSTAIN: 0, VOTE_ABSENT: 0}
    areas = {VOTE_AGREE: zero, VOTE_DISAGREE: zero, VOTE_ABSTAIN: zero, VOTE_ABSENT: zero}
    for ballot in ballots:
        vote = ballot.vote if ballot.vote in PARTICIPATING_VOTES else VOTE_ABSENT
        counts[vote] += 1
        areas[vote] += Decimal(ballot.area)
    households = sum(counts.values())
    area_total = sum(areas.values(), zero)
    participating_count = households - counts[VOTE_ABSENT]
    participating_area = area_total - areas[VOTE_ABSENT]
    if rule.approval_of_participants:
        approval_base_count, approval_base_area = participating_count, participating_area
    else:
        approval_base_count, approval_base_area = households, area_total
    participation_area_ratio = _ratio(participating_area, area_total)
    participation_headcount_ratio = _ratio(participating_count, households)
    approval_area_ratio = _ratio(areas[VOTE_AGREE], approval_base_area)
    approval_headcount_ratio = _ratio(counts[VOTE_AGREE], approval_base_count)

    failed: list[str] = []
    if households == 0:
        failed.append(VOTE_NO_HOUSEHOLDS)
    else:
        if not _meets(participation_area_ratio, rule.participation_area):
            failed.append(VOTE_PARTICIPATION_AREA)
        if not _meets(participation_headcount_ratio, rule.participation_headcount):
            failed.append(VOTE_PARTICIPATION_HEADCOUNT)
        if not _meets(approval_area_ratio, rule.approval_area):
            failed.append(VOTE_APPROVAL_AREA)
        if not _meets(approval_headcount_ratio, rule.approval_headcount):
            failed.append(VOTE_APPROVAL_HEADCOUNT)
        if rule.no_objection and counts[VOTE_DISAGREE]:
            failed.append(VOTE_OBJECTION)
    if expected_households is not None and households != expected_households:
        failed.insert(0, VOTE_ROSTER_INCOMPLETE)
    return VoteSummary(
        rule=rule,
        households=households,
        area_total=area_total,
        participating_count=participating_count,
        participating_area=participating_area,
        agree_count=counts[VOTE_AGREE],
        agree_area=areas[VOTE_AGREE],
        disagree_count=counts[VOTE_DISAGREE],
        disagree_area=areas[VOTE_DISAGREE],
        abstain_count=counts[VOTE_ABSTAIN],
        abstain_area=areas[VOTE_ABSTAIN],
        absent_count=counts[VOTE_ABSENT],
        absent_area=areas[VOTE_ABSENT],
        participation_area_ratio=participation_area_ratio,
        participation_headcount_ratio=participation_headcount_ratio,
        approval_area_ratio=approval_area_ratio,
        approval_headcount_ratio=approval_headcount_ratio,
        failed=tuple(failed),
        expected_households=expected_households,
    )


def vote_failure_message(code: str, summary: VoteSummary) -> str:
    """The translated sentence for one failed condition of a tally."""
    rule = summary.rule
    if code == VOTE_NO_HOUSEHOLDS:
        return _("No households are recorded for this entrance unit.")
    if code == VOTE_ROSTER_INCOMPLETE:
        return _(
            "Roster incomplete: %(entered)s household(s) entered, but the entrance unit has "
            "%(expected)s; the vote counts only when every household is entered."
        ) % {"entered": summary.households, "expected": summary.expected_households}
    if code == VOTE_PARTICIPATION_AREA:
        return _(
            "Owners holding at least %(needed)s of the floor area must take part; %(actual)s did."
        ) % {
            "needed": format_fraction(rule.participation_area),
            "actual": format_share(summary.participation_area_ratio),
        }
    if code == VOTE_PARTICIPATION_HEADCOUNT:
        return _("At least %(needed)s of the owners must take part; %(actual)s did.") % {
            "needed": format_fraction(rule.participation_headcount),
            "actual": format_share(summary.participation_headcount_ratio),
        }
    if code == VOTE_APPROVAL_AREA:
        if rule.approval_of_participants:
            text = _(
                "Owners holding at least %(needed)s of the participating floor area must "
                "agree; %(actual)s did."
            )
        else:
            text = _(
                "Owners holding at least %(needed)s of the floor area must agree; %(actual)s did."
            )
        return text % {
            "needed": format_fraction(rule.approval_area),
            "actual": format_share(summary.approval_area_ratio),
        }
    if code == VOTE_APPROVAL_HEADCOUNT:
        if rule.approval_of_participants:
            text = _("At least %(needed)s of the participating owners must agree; %(actual)s did.")
        else:
            text = _("At least %(needed)s of the owners must agree; %(actual)s did.")
        return text % {
            "needed": format_fraction(rule.approval_headcount),
            "actual": format_share(summary.approval_headcount_ratio),
        }
    if code == VOTE_OBJECTION:
        return _("The rule allows no objection; %(count)s owner(s) disagreed.") % {
            "count": summary.disagree_count
        }
    raise ValueError(f"unknown vote condition {code!r}")


# --- Stages ----------------------------------------------------------------------------------

# Why a stage move is refused, as stable codes (the API answers 409 with them).
MOVE_NOT_NEXT_STAGE = "not_next_stage"
MOVE_FINAL_STAGE = "final_stage"
MOVE_VOTE_NOT_PASSED = "vote_not_passed"
MOVE_NOTICE_TOO_SHORT = "notice_too_short"
MOVE_PERMIT_MISSING = "permit_missing"
MOVE_REINFORCE_FIRST = "reinforce_first"
MOVE_REGISTRATION_MISSING = "registration_missing"


@dataclass(frozen=True)
class UnmetCondition:
    code: str
    message: str


@dataclass(frozen=True)
class StageMove:
    """Everything the guard of one move needs to know, as plain data.

    ``vote`` is only needed for a move to consent; ``notice_on`` only for a move to approval.
    """

    stage: str
    to_stage: str
    on: date
    vote: VoteSummary | None = None
    notice_on: date | None = None
    notice_days: int = 20
    total_cost: Decimal = Decimal("0")
    permit_above: Decimal = Decimal("300000")
    permit_number: str = ""
    safety_grade: str = SafetyGrade.UNAPPRAISED
    registration_number: str = ""


def elevator_stage_is_final(stage: str) -> bool:
    """In service and withdrawn end a retrofit: nothing moves on from them."""
    return stage in {ElevatorStage.IN_SERVICE, ElevatorStage.WITHDRAWN}


def next_elevator_stage(stage: str) -> str | None:
    """The one stage a retrofit may move forward to, or None from a final stage."""
    ordered = ElevatorStage.ordered()
    if elevator_stage_is_final(stage):
        return None
    return ordered[ordered.index(stage) + 1]


def elevator_stage_reached(stage: str, target: str, *, dates: dict | None = None) -> bool:
    """Whether a retrofit at ``stage`` has reached ``target``. A withdrawn retrofit has reached
    the stages whose dates it keeps (``dates`` maps stage → date)."""
    ordered = ElevatorStage.ordered()
    if stage == ElevatorStage.WITHDRAWN:
        return bool((dates or {}).get(target))
    return ordered.index(stage) >= ordered.index(target)


def notice_long_enough(*, notice_on: date | None, on: date, days: int) -> bool:
    """The public notice started on ``notice_on`` has lasted ``days`` full days by ``on``: a
    20-day notice from 1 March runs to 20 March, so approval may come on 21 March."""
    return notice_on is not None and (on - notice_on).days >= days


def construction_permit_required(*, total_cost: Decimal, above: Decimal) -> bool:
    """A construction permit is needed when the cost is above the threshold (¥300,000 by the
    national rule: works of 300,000 or less may go without)."""
    return Decimal(total_cost or 0) > Decimal(above)


def elevator_move_unmet(move: StageMove) -> list[UnmetCondition]:
    """The conditions that stop a retrofit moving from ``move.stage`` to ``move.to_stage``.

    A retrofit moves forward one stage at a time, or is withdrawn from any stage that is not
    final. Each stage has its condition: consent a passed vote; approval a public notice that
    has lasted its days; construction a building that needs no reinforcement first and, above
    the cost threshold, a construction permit; in service the special-equipment registration.
    An empty list means the move is allowed.
    """
    stage, to_stage = move.stage, move.to_stage
    stage_label = ElevatorStage(stage).label
    if elevator_stage_is_final(stage):
        return [
            UnmetCondition(
                MOVE_FINAL_STAGE,
                _("A retrofit that is %(stage)s cannot move to another stage.")
                % {"stage": stage_label},
            )
        ]
    if to_stage == ElevatorStage.WITHDRAWN:
        return []
    following = next_elevator_stage(stage)
    if to_stage != following:
        return [
            UnmetCondition(
                MOVE_NOT_NEXT_STAGE,
                _(
                    "A retrofit moves forward one stage at a time: from %(stage)s the next "
                    "stage is %(next)s."
                )
                % {"stage": stage_label, "next": ElevatorStage(following).label},
            )
        ]
    unmet: list[UnmetCondition] = []
    if to_stage == ElevatorStage.CONSENT and (move.vote is None or not move.vote.passes):
        reasons = move.vote.failure_messages() if move.vote is not None else []
        message = _("The owners' vote has not passed.")
        if reasons:
            message = f"{message} {' '.join(reasons)}"
        unmet.append(UnmetCondition(MOVE_VOTE_NOT_PASSED, message))
    if to_stage == ElevatorStage.APPROVAL and not notice_long_enough(
        notice_on=move.notice_on, on=move.on, days=move.notice_days
    ):
        unmet.append(
            UnmetCondition(
                MOVE_NOTICE_TOO_SHORT,
                _(
                    "The public notice must last at least %(days)s days before approval: it "
                    "started on %(start)s, so approval may come on %(earliest)s at the earliest."
                )
                % {
                    "days": move.notice_days,
                    "start": move.notice_on.isoformat() if move.notice_on else "—",
                    "earliest": (move.notice_on + timedelta(days=move.notice_days)).isoformat()
                    if move.notice_on
                    else "—",
                },
            )
        )
    if to_stage == ElevatorStage.CONSTRUCTION:
        if blocked_by_reinforce_first(
            grade=move.safety_grade, is_reinforcement=False, started=True
        ):
            unmet.append(
                UnmetCondition(
                    MOVE_REINFORCE_FIRST,
                    _(
                        "Reinforce first: the building is graded %(grade)s; no elevator may be "
                        "built until it is reinforced and re-appraised A or B."
                    )
                    % {"grade": move.safety_grade},
                )
            )
        if (
            construction_permit_required(total_cost=move.total_cost, above=move.permit_above)
            and not move.permit_number.strip()
        ):
            unmet.append(
                UnmetCondition(
                    MOVE_PERMIT_MISSING,
                    _(
                        "A total cost of ¥%(cost)s is above ¥%(above)s: give the construction "
                        "permit number."
                    )
                    % {"cost": move.total_cost, "above": move.permit_above},
                )
            )
    if to_stage == ElevatorStage.IN_SERVICE and not move.registration_number.strip():
        unmet.append(
            UnmetCondition(
                MOVE_REGISTRATION_MISSING,
                _(
                    "An elevator goes into service only with its special-equipment registration "
                    "number."
                ),
            )
        )
    return unmet


# --- Subsidy rules ---------------------------------------------------------------------------


@dataclass(frozen=True)
class SubsidyTerms:
    """One subsidy rule as plain data (see SubsidyRule in models/elevators.py).

    ``region_code`` is an administrative code: 370900 (Tai'an) covers every district whose
    code starts 3709; 370000 the whole province; 370902 one district. ``cap_percent`` limits
    the subsidy to that share of the total cost; the subsidy never exceeds the cost itself.
    """

    key: Hashable
    region_code: str
    min_storeys: int
    amount_per_elevator: Decimal
    valid_from_year: int
    valid_to_year: int | None = None
    cap_percent: Decimal | None = None


def region_prefix(code: str) -> str:
    """The part of an administrative code a region covers: trailing pairs of zeros dropped."""
    prefix = code
    while prefix.endswith("00"):
        prefix = prefix[:-2]
    return prefix


def subsidy_rule_applies(terms: SubsidyTerms, *, region_code: str, storeys: int, year: int) -> bool:
    return (
        region_code.startswith(region_prefix(terms.region_code))
        and storeys >= terms.min_storeys
        and terms.valid_from_year <= year
        and (terms.valid_to_year is None or year <= terms.valid_to_year)
    )


def pick_subsidy_rule(
    rules: Iterable[SubsidyTerms], *, region_code: str, storeys: int, year: int
) -> SubsidyTerms | None:
    """The one rule that applies to a building, or None.

    Of the rules that cover its district, its storeys and the year, the most local region wins
    (a district's rule over its city's, a city's over the province's); within a region the
    highest minimum of storeys (taller buildings may get more), then the most recent rule.
    Rules are not added together.
    """
    best: SubsidyTerms | None = None
    best_key: tuple = ()
    for index, terms in enumerate(rules):
        if not subsidy_rule_applies(terms, region_code=region_code, storeys=storeys, year=year):
            continue
        key = (
            len(region_prefix(terms.region_code)),
            terms.min_storeys,
            terms.valid_from_year,
            -index,
        )
        if best is None or key > best_key:
            best, best_key = terms, key
    return best


def subsidy_amount(terms: SubsidyTerms | None, *, total_cost: Decimal) -> Decimal:
    """The subsidy under one rule: its amount per elevator, at most ``cap_percent`` of the
    total cost (rounded down to the cent) and never more than the cost."""
    cost = Decimal(total_cost or 0)
    if terms is None or cost <= 0:
        return Decimal("0.00")
    amount = Decimal(terms.amount_per_elevator)
    if terms.cap_percent is not None:
        cap = (cost * Decimal(terms.cap_percent) / 100).quantize(CENT, rounding=ROUND_FLOOR)
        amount = min(amount, cap)
    return min(amount, cost).quantize(CENT)


# --- Cost sharing by floor -------------------------------------------------------------------


def default_floor_coefficient(floor: int) -> Decimal:
    """The common scheme: floors 1–2 pay nothing; 3F 0.7, 4F 0.8, … 9F 1.3, and on above 9F at
    the same step of 0.1 a floor (10F 1.4, 11F 1.5, …)."""
    if floor <= 2:
        return Decimal("0")
    return Decimal(floor + 4) / 10


def floor_coefficient(floor: int, overrides: Mapping[int, Decimal] | None = None) -> Decimal:
    """A retrofit's coefficient for a floor: its own where it set one, else the common scheme."""
    if overrides and floor in overrides:
        return Decimal(overrides[floor])
    return default_floor_coefficient(floor)


class CostSharingImpossible(ValueError):
    """There is a cost to share but no household with a weight to carry it (e.g. every
    household is on floors 1–2)."""


@dataclass(frozen=True)
class ShareUnit:
    """One household to share the cost: ``key`` identifies it to the caller (its id)."""

    key: Hashable
    floor: int
    room_number: str
    area: Decimal


@dataclass(frozen=True)
class Share:
    key: Hashable
    floor: int
    room_number: str
    area: Decimal
    coefficient: Decimal
    exact: Fraction
    amount: Decimal


@dataclass(frozen=True)
class FloorShare:
    floor: int
    households: int
    area: Decimal
    coefficient: Decimal
    amount: Decimal


def room_sort_key(room_number: str) -> tuple:
    """Natural order of room numbers: "302" before "1201", "2-301" before "10-301"."""
    return tuple(
        (0, int(part), "") if part.isdigit() else (1, 0, part)
        for part in re.findall(r"\d+|\D+", room_number or "")
    )


def share_cost(
    *,
    owners_part: Decimal,
    units: Sequence[ShareUnit],
    coefficients: Mapping[int, Decimal] | None = None,
) -> list[Share]:
    """Split the owners' part of an elevator's cost across the households, to the cent.

    Each household weighs coefficient(floor) × area; its exact share is
    owners_part × weight ÷ total weight (a Fraction). Shares are first rounded down to the
    cent; the cents left over (fewer than the number of households) then go one each to the
    households whose exact shares lost most in rounding (largest remainder), ties going to the
    higher floor, then the lower room number (natural order), then the order given. So the
    shares add up to the owners' part exactly, each is within one cent of its exact value, a
    household of weight zero (floors 1–2) pays nothing, and for equal areas a higher floor never
    pays less than a lower one when its coefficient is not lower. Shares come back in the order
    of ``units``.
    """
    owners_part = Decimal(owners_part)
    if owners_part < 0:
        raise ValueError("the owners' part cannot be negative")
    if owners_part != owners_part.quantize(CENT):
        raise ValueError("the owners' part must be a whole number of cents")
    total_cents = int(owners_part * 100)
    coefficient_of = [floor_coefficient(unit.floor, coefficients) for unit in units]
    weights = []
    for unit, coefficient in zip(units, coefficient_of, strict=True):
        if Decimal(unit.area) < 0:
            raise ValueError("a floor area cannot be negative")
        if coefficient < 0:
            raise ValueError("a floor coefficient cannot be negative")
        weights.append(Fraction(coefficient) * Fraction(Decimal(unit.area)))
    total_weight = sum(weights, Fraction(0))
    if total_weight == 0:
        if total_cents:
            raise CostSharingImpossible(
                _("No household above the floors that pay nothing can carry the cost.")
            )
        exact_cents = [Fraction(0)] * len(units)
    else:
        exact_cents = [total_cents * weight / total_weight for weight in weights]
    cents = [math.floor(value) for value in exact_cents]
    leftover = total_cents - sum(cents)
    order = sorted(
        range(len(units)),
        key=lambda i: (
            -(exact_cents[i] - cents[i]),
            -units[i].floor,
            room_sort_key(units[i].room_number),
            i,
        ),
    )
    for i in order[:leftover]:
        cents[i] += 1
    return [
        Share(
            key=unit.key,
            floor=unit.floor,
            room_number=unit.room_number,
            area=Decimal(unit.area),
            coefficient=coefficient,
            exact=exact / 100,
            amount=(Decimal(cent) / 100).quantize(CENT),
        )
        for unit, coefficient, exact, cent in zip(
            units, coefficient_of, exact_cents, cents, strict=True
        )
    ]


def shares_by_floor(shares: Iterable[Share]) -> list[FloorShare]:
    """Per floor, lowest first: households, area, coefficient and the floor's total share."""
    floors: dict[int, dict] = {}
    for share in shares:
        row = floors.setdefault(
            share.floor,
            {
                "households": 0,
                "area": Decimal("0"),
                "coefficient": share.coefficient,
                "amount": Decimal("0.00"),
            },
        )
        row["households"] += 1
        row["area"] += share.area
        row["amount"] += share.amount
    return [FloorShare(floor=floor, **floors[floor]) for floor in sorted(floors)]
