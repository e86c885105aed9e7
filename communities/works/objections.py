"""Objections to a notice (公示异议): the rule that approval waits for every answer, the writes
shared by both kinds of objection (moderate, answer), and filing against a design plan.

Filing against an elevator retrofit is in ``communities/elevators/objections.py`` (it reads the
entrance unit's households). Every function takes keyword arguments, validates with
``full_clean()`` before it saves and runs in one transaction.
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from communities.core.clock import today
from communities.core.errors import WrongState, copy_saved_fields
from communities.places.models import Building
from communities.works.choices import DesignPlanStatus, NoticeState, ObjectionStatus
from communities.works.models.objections import DesignPlanObjection, Objection
from communities.works.models.plans import DesignPlan

OBJECTIONS_UNANSWERED = "objections_unanswered"

# --- The rule ---------------------------------------------------------------------------------


def unanswered_objections_message(count: int) -> str | None:
    """Why an approval is refused while ``count`` objections wait for their answer (None when
    every objection is answered). Pure: the count comes from the caller."""
    if count <= 0:
        return None
    return _(
        "%(count)s objection(s) to the public notice have not been answered: answer each "
        "objection before approval."
    ) % {"count": count}


def refuse_unanswered_plan_objections(plan: DesignPlan) -> None:
    """Raise ``WrongState`` while any objection to ``plan`` is unanswered (one query)."""
    message = unanswered_objections_message(plan.objections.unanswered().count())
    if message:
        raise WrongState(message, code=OBJECTIONS_UNANSWERED)


# --- Writes shared by both kinds --------------------------------------------------------------


def _lock(objection: Objection) -> Objection:
    return type(objection).objects.select_for_update(of=("self",)).get(pk=objection.pk)


@transaction.atomic
def objection_moderate(
    *, objection: Objection, publish: bool, reason: str = "", by=None
) -> Objection:
    """Publish an objection's text (and its answer, when given), or hide it with a reason.

    Hiding keeps the objection on record: it still needs its answer before approval.
    """
    locked = _lock(objection)
    locked.status = ObjectionStatus.PUBLISHED if publish else ObjectionStatus.HIDDEN
    locked.moderation_reason = "" if publish else reason
    locked.moderated_at = timezone.now()
    locked.moderated_by = by
    locked.full_clean()
    locked.save()
    copy_saved_fields(objection, locked)
    return objection


@transaction.atomic
def objection_answer(
    *, objection: Objection, answer: str, by=None, on: date | None = None
) -> Objection:
    """Record (or correct) staff's answer to an objection, published with it."""
    locked = _lock(objection)
    if not (answer or "").strip():
        raise ValidationError({"answer": _("Write the answer.")})
    locked.answer = answer
    locked.answered_on = on or today()
    locked.answered_by = by
    locked.full_clean()
    locked.save()
    copy_saved_fields(objection, locked)
    return objection


# --- Filing against a design plan -------------------------------------------------------------


def design_plan_open_for_objections(plan: DesignPlan, on: date | None = None) -> bool:
    """A plan takes objections while it is in notice and the notice runs (both days included)."""
    return (
        plan.status == DesignPlanStatus.NOTICE
        and plan.notice_state(on or today()) == NoticeState.OPEN
    )


@transaction.atomic
def design_plan_objection_file(
    *,
    plan: DesignPlan,
    building: Building | None,
    name: str,
    room: str,
    phone: str,
    text: str,
    on: date | None = None,
) -> DesignPlanObjection:
    """File a resident's objection to a plan under notice; it waits for moderation.

    Raises ``WrongState`` when the plan is not under notice (before it, after its last day, or
    approved), ``ValidationError`` for a building outside the plan's community or bad input.
    """
    locked = DesignPlan.objects.select_for_update(of=("self",)).get(pk=plan.pk)
    if not design_plan_open_for_objections(locked, on):
        raise WrongState(
            _("Objections are taken only while the plan is under public notice.")
            if not (locked.notice_start and locked.notice_end)
            else _(
                "Objections are taken only while the plan is under public notice, from "
                "%(start)s to %(end)s."
            )
            % {"start": locked.notice_start.isoformat(), "end": locked.notice_end.isoformat()},
            code="not_under_notice",
        )
    if building is None:
        raise ValidationError({"building": _("Choose your building.")})
    objection = DesignPlanObjection(
        plan=locked, building=building, name=name, room=room, phone=phone, text=text
    )
    objection.full_clean()
    objection.save()
    return objection
