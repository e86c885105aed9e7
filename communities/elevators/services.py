"""Writes with consequences: every function takes keyword arguments, validates with
``full_clean()`` before it saves, runs in one transaction, and is named ``<entity>_<action>``.

The admin, the API, imports and management commands call these, so a stage move, a subsidy or
a vote is written the same way from every surface. The rules they apply are in
``elevators/policy.py``; the models' ``clean()`` holds the same rules for direct edits.
"""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from communities.core.clock import today
from communities.core.errors import WrongState, copy_saved_fields
from communities.elevators.choices import ElevatorStage
from communities.elevators.models import (
    STAGE_DATE_FIELDS,
    ElevatorRetrofit,
    Household,
    OwnerVote,
    StageTransition,
    VoteRule,
    permit_threshold,
)
from communities.elevators.objections import objection_move_unmet
from communities.elevators.payments import collection_move_unmet
from communities.elevators.policy import StageMove, elevator_move_unmet
from communities.places.models import Building


def _refuse_future(field: str, on: date) -> None:
    if on > today():
        raise ValidationError({field: _("This date is in the future.")})


def _lock(retrofit: ElevatorRetrofit) -> ElevatorRetrofit:
    """A fresh copy of the retrofit, locked until the transaction ends, so two people moving
    the same retrofit at once cannot both succeed from the same stage."""
    return (
        ElevatorRetrofit.objects.select_for_update(of=("self",))
        .select_related("building", "vote_rule")
        .get(pk=retrofit.pk)
    )


def _apply_subsidy(retrofit: ElevatorRetrofit, *, year: int | None = None) -> None:
    """The model owns the subsidy rule (``apply_subsidy_rules``); two queries."""
    retrofit.apply_subsidy_rules(year=year)


@transaction.atomic
def elevator_retrofit_create(
    *,
    building: Building,
    entrance_unit: int,
    storeys_served: int,
    on: date,
    by=None,
    total_cost: Decimal = Decimal("0"),
    other_funding: Decimal = Decimal("0"),
    vote_rule: VoteRule | None = None,
    note: str = "",
) -> ElevatorRetrofit:
    """Register an intention to add an elevator to an entrance unit.

    The retrofit gets the city's vote rule and notice days unless given, its subsidy from the
    rules of the year ``on``, and a first row in its history (no ``from_stage``).
    """
    _refuse_future("on", on)
    retrofit = ElevatorRetrofit(
        building=building,
        entrance_unit=entrance_unit,
        storeys_served=storeys_served,
        stage=ElevatorStage.INTENTION,
        intention_on=on,
        total_cost=total_cost,
        other_funding=other_funding,
    )
    if vote_rule is not None:
        retrofit.vote_rule = vote_rule
    _apply_subsidy(retrofit, year=on.year)
    retrofit.full_clean()
    retrofit.save()
    transition = StageTransition(
        retrofit=retrofit, from_stage="", to_stage=ElevatorStage.INTENTION, on=on, by=by, note=note
    )
    transition.full_clean()
    transition.save()
    return retrofit


@transaction.atomic
def elevator_retrofit_advance(
    *,
    retrofit: ElevatorRetrofit,
    to_stage: str,
    on: date,
    by=None,
    note: str = "",
    permit_number: str | None = None,
    registration_number: str | None = None,
) -> StageTransition:
    """Move a retrofit one stage forward, or withdraw it, when the rules allow, and record it.

    The guard is ``elevator_move_unmet``: consent needs a passed vote; approval a public
    notice that has lasted ``notice_days``; construction a building that needs no reinforcement
    first and, above the cost threshold, a construction permit number; in service the
    special-equipment registration number; construction also waits for the owners' part to be
    collected to the city's share (``payments.collection_move_unmet``). ``permit_number`` and
    ``registration_number``, when given, are saved with the move (and count for its guard).

    Sets the stage's date field to ``on``; a move to public notice fixes the subsidy by the
    rules of that year (unless set by staff): the notice publishes the shares, which rest on
    it, and from then on they are frozen (``ElevatorRetrofit.locks``).
    Raises ``WrongState`` (with ``unmet``) when a condition does not hold (nothing is saved),
    ``ValidationError`` for a bad stage or date (a date in the future or before the stage
    reached before it).
    """
    if to_stage not in ElevatorStage.values:
        raise ValidationError({"to_stage": _("This is not a stage of an elevator retrofit.")})
    _refuse_future("on", on)
    locked = _lock(retrofit)
    if permit_number is not None:
        locked.permit_number = permit_number.strip()
    if registration_number is not None:
        locked.registration_number = registration_number.strip()
    move = StageMove(
        stage=locked.stage,
        to_stage=to_stage,
        on=on,
        vote=locked.vote_summary() if to_stage == ElevatorStage.CONSENT else None,
        notice_on=locked.notice_on,
        notice_days=locked.notice_days,
        total_cost=locked.total_cost,
        permit_above=permit_threshold(),
        permit_number=locked.permit_number,
        safety_grade=locked.building.safety_grade,
        registration_number=locked.registration_number,
    )
    unmet = elevator_move_unmet(move)
    unmet += objection_move_unmet(retrofit=locked, to_stage=to_stage)  # answered first
    unmet += collection_move_unmet(retrofit=locked, to_stage=to_stage)  # the owners have paid
    if unmet:
        raise WrongState(
            " ".join(condition.message for condition in unmet),
            code="stage_condition_not_met",
            unmet=unmet,
        )
    from_stage = locked.stage
    locked.stage = to_stage
    setattr(locked, STAGE_DATE_FIELDS[to_stage], on)
    if to_stage == ElevatorStage.PUBLIC_NOTICE:
        _apply_subsidy(locked, year=on.year)  # the shares published rest on it
    locked.full_clean()
    locked.save()
    transition = StageTransition(
        retrofit=locked, from_stage=from_stage, to_stage=to_stage, on=on, by=by, note=note
    )
    transition.full_clean()
    transition.save()
    copy_saved_fields(retrofit, locked)
    return transition


@transaction.atomic
def elevator_retrofit_set_costs(
    *,
    retrofit: ElevatorRetrofit,
    total_cost: Decimal,
    other_funding: Decimal | None = None,
) -> ElevatorRetrofit:
    """Change the total cost (and other funding); the subsidy follows the rules again unless
    staff set it by hand, in which case it must still fit within the cost."""
    retrofit.total_cost = total_cost
    if other_funding is not None:
        retrofit.other_funding = other_funding
    _apply_subsidy(retrofit)
    retrofit.full_clean()
    retrofit.save()
    return retrofit


@transaction.atomic
def elevator_retrofit_set_subsidy(
    *,
    retrofit: ElevatorRetrofit,
    amount: Decimal | None = None,
    reason: str = "",
    year: int | None = None,
) -> ElevatorRetrofit:
    """Set the subsidy by hand (``amount`` with a ``reason``), or with ``amount=None`` go back
    to the subsidy the rules give (for ``year``, default ``retrofit.subsidy_year()``)."""
    if amount is None:
        retrofit.subsidy_override = False
        retrofit.subsidy_override_reason = ""
        _apply_subsidy(retrofit, year=year)
    else:
        retrofit.subsidy_override = True
        retrofit.subsidy_override_reason = reason.strip()
        retrofit.subsidy = amount
        retrofit.subsidy_rule = None
    retrofit.full_clean()
    retrofit.save()
    return retrofit


@transaction.atomic
def owner_vote_record(
    *,
    retrofit: ElevatorRetrofit,
    household: Household,
    choice: str,
    voted_on: date | None = None,
    note: str = "",
) -> OwnerVote:
    """Record (or correct) one household's vote while the vote is open (intention stage).

    One record per household and retrofit: a second call for the same household replaces the
    answer, and the change is kept in the vote's history. The retrofit is read afresh and
    locked, so a stale instance cannot reopen a vote that consent has closed.
    """
    locked = _lock(retrofit)  # a vote and the move to consent cannot interleave
    vote = OwnerVote.objects.filter(retrofit=locked, household=household).first()
    if vote is None:
        vote = OwnerVote(retrofit=locked, household=household)
    vote.choice = choice
    vote.voted_on = voted_on
    vote.note = note
    vote.full_clean()
    vote.save()
    return vote


# --- The ways back: what a decision fixed changes only by a recorded move back ----------------

# Where each way back may start: a notice (and the approval that followed it) is withdrawn
# before construction starts; a vote is reopened before the notice publishes the shares.
RENOTICE_FROM = (ElevatorStage.PUBLIC_NOTICE, ElevatorStage.APPROVAL)
REVOTE_FROM = (ElevatorStage.CONSENT, ElevatorStage.DESIGN)


def _move_back(
    *, retrofit: ElevatorRetrofit, to_stage: str, allowed_from, on: date, by, reason: str, refusal
) -> StageTransition:
    """Move ``retrofit`` back to ``to_stage``, clearing the dates of the stages it leaves, and
    record the move with its reason (one transaction, the retrofit locked)."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for the move back.")})
    _refuse_future("on", on)
    locked = _lock(retrofit)
    if locked.stage not in allowed_from:
        raise WrongState(refusal % {"stage": locked.get_stage_display()}, code="cannot_go_back")
    ordered = ElevatorStage.ordered()
    left = ordered[ordered.index(to_stage) + 1 : ordered.index(locked.stage) + 1]
    last = max(day for day in locked.stage_dates().values() if day)
    if on < last:
        raise ValidationError(
            {"on": _("The move back cannot be dated before %(day)s.") % {"day": last}}
        )
    from_stage = locked.stage
    locked.stage = to_stage
    for stage in left:
        setattr(locked, STAGE_DATE_FIELDS[stage], None)
    locked.full_clean()
    locked.save()
    transition = StageTransition(
        retrofit=locked, from_stage=from_stage, to_stage=to_stage, on=on, by=by, note=reason
    )
    transition.full_clean()
    transition.save()
    copy_saved_fields(retrofit, locked)
    retrofit._remember_stored()
    return transition


@transaction.atomic
def elevator_retrofit_renotice(
    *, retrofit: ElevatorRetrofit, on: date, reason: str, by=None
) -> StageTransition:
    """Withdraw the public notice (and an approval that followed it) to notice again: the
    retrofit goes back to design, its notice and approval dates are cleared, and the move is
    recorded with its reason. The shares the notice fixed (costs, subsidy, coefficients,
    notice days) may then change; the next notice publishes them and runs its full days again.

    Raises ``WrongState`` from any stage but public notice or approval (construction started:
    too late), ``ValidationError`` without a reason or for a date in the future or before the
    stage being left.
    """
    return _move_back(
        retrofit=retrofit,
        to_stage=ElevatorStage.DESIGN,
        allowed_from=RENOTICE_FROM,
        on=on,
        by=by,
        reason=reason,
        refusal=_(
            "Only a retrofit under public notice or approved (before construction) can have its "
            "notice withdrawn; this one is at the stage “%(stage)s”."
        ),
    )


@transaction.atomic
def elevator_retrofit_reopen_vote(
    *, retrofit: ElevatorRetrofit, on: date, reason: str, by=None
) -> StageTransition:
    """Reopen the owners' vote (a re-vote): the retrofit goes back to intention, its consent
    and design dates are cleared, and the move is recorded with its reason. The votes recorded
    stay and may be changed, the unit's roster may be corrected, and consent must be reached
    again under the rule. Before the public notice only (after it, withdraw the notice first).
    """
    return _move_back(
        retrofit=retrofit,
        to_stage=ElevatorStage.INTENTION,
        allowed_from=REVOTE_FROM,
        on=on,
        by=by,
        reason=reason,
        refusal=_(
            "The vote can be reopened only at consent or design (withdraw a public notice "
            "first); this retrofit is at the stage “%(stage)s”."
        ),
    )
