"""Objections to an elevator retrofit's public notice: filing (only while the notice runs, only
from a room of the entrance unit) and the condition the move to approval checks.

Moderation and answers are the shared writes of ``communities/works/objections.py``.
"""

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from communities.core.clock import today
from communities.core.errors import WrongState
from communities.elevators.choices import ElevatorStage
from communities.elevators.models import ElevatorRetrofit, Household
from communities.elevators.objection_models import ElevatorObjection
from communities.elevators.policy import UnmetCondition
from communities.works.objections import OBJECTIONS_UNANSWERED, unanswered_objections_message


def notice_last_day(retrofit: ElevatorRetrofit) -> date | None:
    """The last day of the retrofit's public notice: a 20-day notice from 1 March runs to
    20 March (``elevators.policy.notice_long_enough`` allows approval from 21 March)."""
    if retrofit.notice_on is None:
        return None
    return retrofit.notice_on + timedelta(days=retrofit.notice_days - 1)


def retrofit_open_for_objections(retrofit: ElevatorRetrofit, on: date | None = None) -> bool:
    """A retrofit takes objections while it is at its public notice and the notice runs."""
    on = on or today()
    last = notice_last_day(retrofit)
    return (
        retrofit.stage == ElevatorStage.PUBLIC_NOTICE
        and last is not None
        and retrofit.notice_on <= on <= last
    )


def objection_move_unmet(*, retrofit: ElevatorRetrofit, to_stage: str) -> list[UnmetCondition]:
    """For ``elevator_retrofit_advance``: a move to approval waits while any objection to the
    notice is unanswered (one query, only for that move)."""
    if to_stage != ElevatorStage.APPROVAL:
        return []
    message = unanswered_objections_message(retrofit.objections.unanswered().count())
    return [UnmetCondition(OBJECTIONS_UNANSWERED, message)] if message else []


@transaction.atomic
def elevator_objection_file(
    *,
    retrofit: ElevatorRetrofit,
    name: str,
    room: str,
    phone: str,
    text: str,
    on: date | None = None,
) -> ElevatorObjection:
    """File a resident's objection to a retrofit under notice; it waits for moderation.

    When the unit's households are entered, the room must be one of them (the objection is
    linked to it); otherwise the room is taken as given. Raises ``WrongState`` outside the
    notice, ``ValidationError`` for a room not in the unit or bad input.
    """
    locked = (
        ElevatorRetrofit.objects.select_for_update(of=("self",))
        .select_related("building")
        .get(pk=retrofit.pk)
    )
    if not retrofit_open_for_objections(locked, on):
        last = notice_last_day(locked)
        raise WrongState(
            _(
                "Objections are taken only while the retrofit is under public notice, from "
                "%(start)s to %(end)s."
            )
            % {"start": locked.notice_on.isoformat(), "end": last.isoformat()}
            if locked.stage == ElevatorStage.PUBLIC_NOTICE and last is not None
            else _("Objections are taken only while the retrofit is under public notice."),
            code="not_under_notice",
        )
    room = (room or "").strip()
    rooms = Household.objects.of_unit(locked.building_id, locked.entrance_unit)
    household = None
    if rooms.exists():
        household = rooms.filter(room_number=room).first()
        if household is None:
            raise ValidationError(
                {
                    "room": _("Room %(room)s is not a room of this entrance unit.")
                    % {"room": room or "—"}
                }
            )
    objection = ElevatorObjection(
        retrofit=locked, household=household, name=name, room=room, phone=phone, text=text
    )
    objection.full_clean()
    objection.save()
    return objection
