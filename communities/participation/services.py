"""Writes of residents' participation (点菜, 炒菜, 评菜): keyword-only arguments, ``full_clean()``
before ``save()``, one transaction each, named ``<entity>_<action>``.

The admin's actions, the API's actions and the WeChat mini-program's writes all come through
here, so a proposal is adopted, a plan approved or a rating recorded the same way from every
surface. The rules on one row are in the models' ``clean()`` and constraints
(``participation/models.py``, ``works/models/plans.py``); what depends on the current state
of a record (only a proposal under consideration can be decided, only a plan in notice
approved) is checked here on a locked copy, and refused with ``WrongState`` (the API
answers 409 Conflict).
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from communities.core.clock import today
from communities.core.errors import WrongState, copy_saved_fields
from communities.participation.choices import ProposalStatus
from communities.participation.models import Proposal, Rating
from communities.places.models import Building, Community
from communities.works.choices import ItemStatus
from communities.works.models.items import RenovationItem, RenovationKind

# --- Proposals (点菜) --------------------------------------------------------------------------


@transaction.atomic
def proposal_submit(
    *,
    community: Community,
    kind: RenovationKind,
    title: str,
    supporters: int,
    channel: str,
    description: str = "",
    submitted_on: date | None = None,
) -> Proposal:
    """Record what residents ask for: always under consideration until staff decide."""
    proposal = Proposal(
        community=community,
        kind=kind,
        title=title,
        description=description,
        supporters=supporters,
        channel=channel,
        submitted_on=submitted_on or today(),
    )
    proposal.full_clean()
    proposal.save()
    return proposal


def _lock_pending(proposal: Proposal) -> Proposal:
    locked = (
        Proposal.objects.select_for_update(of=("self",))
        .select_related("community", "kind")
        .get(pk=proposal.pk)
    )
    if locked.status != ProposalStatus.SUBMITTED:
        raise WrongState(
            _("This proposal was already decided: it is %(status)s.")
            % {"status": locked.get_status_display()}
        )
    return locked


@transaction.atomic
def proposal_adopt(
    *,
    proposal: Proposal,
    item: RenovationItem | None = None,
    by=None,
    on: date | None = None,
    title: str = "",
) -> Proposal:
    """Adopt a proposal under consideration: it joins ``item`` (an item of its community that
    is not cancelled), or, without one, becomes a new planned item of its kind, titled
    ``title`` or the proposal's own title, with its description. Linked both ways:
    ``proposal.item`` and ``item.proposals``.

    Raises ``WrongState`` if the proposal was already decided, ``ValidationError`` for an item
    of another community, a cancelled item, or a date in the future.
    """
    locked = _lock_pending(proposal)
    on = on or today()
    if item is None:
        item = RenovationItem(
            community=locked.community,
            kind=locked.kind,
            title=(title or locked.title).strip(),
            description=locked.description,
            status=ItemStatus.PLANNED,
        )
        item.full_clean()
        item.save()
    elif item.status == ItemStatus.CANCELLED:
        raise ValidationError({"item": _("This item is cancelled; choose another.")})
    locked.status = ProposalStatus.ADOPTED
    locked.item = item
    locked.decided_on = on
    locked.decided_by = by
    locked.full_clean()
    locked.save()
    copy_saved_fields(proposal, locked)
    proposal.item = item
    return proposal


@transaction.atomic
def proposal_decline(
    *, proposal: Proposal, reason: str, by=None, on: date | None = None
) -> Proposal:
    """Decline a proposal under consideration, with the reason the public will read.

    Raises ``WrongState`` if it was already decided, ``ValidationError`` without a reason.
    """
    locked = _lock_pending(proposal)
    locked.status = ProposalStatus.DECLINED
    locked.decline_reason = (reason or "").strip()
    locked.decided_on = on or today()
    locked.decided_by = by
    locked.full_clean()
    locked.save()
    copy_saved_fields(proposal, locked)
    return proposal


# --- Ratings (评菜) ----------------------------------------------------------------------------


@transaction.atomic
def rating_submit(
    *,
    building: Building,
    entrance_unit: int,
    room_number: str,
    work_score: int,
    process_score: int,
    management_score: int,
    channel: str,
    community: Community | None = None,
    item: RenovationItem | None = None,
    comment: str = "",
    rated_on: date | None = None,
) -> Rating:
    """Record one household's rating of a finished item (``item``) or of its completed
    community as a whole (``community`` alone). The community follows from the item.

    One rating per household (building, entrance unit, room) per subject: a second one is
    refused with a ``ValidationError``, also when two arrive at the same moment.
    """
    if item is not None:
        community = item.community
    if community is None:
        raise ValidationError({"community": _("Name the community or the item rated.")})
    rating = Rating(
        community=community,
        item=item,
        building=building,
        entrance_unit=entrance_unit,
        room_number=room_number,
        work_score=work_score,
        process_score=process_score,
        management_score=management_score,
        comment=comment,
        channel=channel,
        rated_on=rated_on or today(),
    )
    rating.full_clean()
    try:
        with transaction.atomic():
            rating.save()
    except IntegrityError as exc:  # the same household, a moment earlier
        if item is not None:
            raise ValidationError(
                {"item": _("This household has already rated this item.")}
            ) from exc
        raise ValidationError(
            {"community": _("This household has already rated this community.")}
        ) from exc
    return rating


@transaction.atomic
def rating_set_comment_hidden(*, rating: Rating, hidden: bool) -> Rating:
    """Hide an abusive or identifying comment from the public, or show it again; the scores
    count either way."""
    rating.comment_hidden = hidden
    rating.full_clean()
    rating.save(update_fields=["comment_hidden"])
    return rating
