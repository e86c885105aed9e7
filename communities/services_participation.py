"""Writes of residents' participation (点菜, 炒菜, 评菜): keyword-only arguments, ``full_clean()``
before ``save()``, one transaction each, named ``<entity>_<action>``.

The admin's actions, the API's actions and the WeChat mini-program's writes all come through
here, so a proposal is adopted, a plan approved or a rating recorded the same way from every
surface. The rules on one row are in the models' ``clean()`` and constraints
(``communities/models/participation.py``); what depends on the current state of a record
(only a proposal under consideration can be decided, only a plan in notice approved) is checked
here on a locked copy, and refused with ``WrongState`` (the API answers 409 Conflict).
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from communities.choices import ItemStatus
from communities.models import (
    Building,
    Community,
    DesignPlan,
    Proposal,
    Rating,
    RenovationItem,
    RenovationKind,
)
from communities.models.participation import DesignPlanStatus, ProposalStatus


class WrongState(Exception):
    """The record is not in a state that allows this (a proposal already decided, a plan not
    in notice). Nothing was saved; ``str()`` says why in the active language."""


def _today() -> date:
    return timezone.localdate()


def _copy_fields(target, source) -> None:
    """Bring the caller's instance up to date with what was saved, without another query."""
    for field in type(source)._meta.concrete_fields:
        setattr(target, field.attname, getattr(source, field.attname))


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
        submitted_on=submitted_on or _today(),
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
    on = on or _today()
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
    _copy_fields(proposal, locked)
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
    locked.decided_on = on or _today()
    locked.decided_by = by
    locked.full_clean()
    locked.save()
    _copy_fields(proposal, locked)
    return proposal


# --- Design plans (炒菜) -----------------------------------------------------------------------


def _lock_plan(plan: DesignPlan) -> DesignPlan:
    return DesignPlan.objects.select_for_update(of=("self",)).get(pk=plan.pk)


# Once a plan is put up for notice, what residents saw must not change under them: only the
# record of their comments may still be filled in (until a newer version supersedes it).
PLAN_FIELDS_AFTER_PUBLICATION = frozenset({"comments_received", "comments_summary"})


def design_plan_editable_fields(plan: DesignPlan) -> frozenset[str]:
    """The fields of ``plan`` staff may still change by hand (the admin's and the API's edits;
    status and approval change only through the functions below)."""
    if plan.status == DesignPlanStatus.DRAFT:
        return frozenset(
            field.name
            for field in DesignPlan._meta.concrete_fields
            if field.name not in {"status", "approved_on", "approved_by", "approval_reference"}
        )
    if plan.status in {DesignPlanStatus.NOTICE, DesignPlanStatus.APPROVED}:
        return PLAN_FIELDS_AFTER_PUBLICATION
    return frozenset()


@transaction.atomic
def design_plan_publish(
    *, plan: DesignPlan, notice_start: date | None = None, notice_end: date | None = None
) -> DesignPlan:
    """Put a draft up for public notice, from ``notice_start`` to ``notice_end`` (both days
    included; the plan's own dates when not given). From now on the public sees it.

    Raises ``WrongState`` for a plan that is not a draft, ``ValidationError`` without a notice
    period or with one that ends before it begins.
    """
    locked = _lock_plan(plan)
    if locked.status != DesignPlanStatus.DRAFT:
        raise WrongState(
            _("Only a draft is put up for public notice; this plan is %(status)s.")
            % {"status": locked.get_status_display()}
        )
    if notice_start is not None:
        locked.notice_start = notice_start
    if notice_end is not None:
        locked.notice_end = notice_end
    if not (locked.notice_start and locked.notice_end):
        raise ValidationError(
            {"notice_start": _("Give the first and the last day of the public notice.")}
        )
    locked.status = DesignPlanStatus.NOTICE
    locked.full_clean()
    locked.save()
    _copy_fields(plan, locked)
    return plan


@transaction.atomic
def design_plan_approve(
    *, plan: DesignPlan, on: date | None = None, by=None, reference: str = ""
) -> DesignPlan:
    """Approve a plan whose public notice has ended (approval from the day after its last day).

    The version approved before it, and earlier versions still in draft or notice, are
    superseded: a superseded approved plan keeps its approval date, so work begun under it stays
    covered. A later version in draft or notice goes on. From now on the batch's items may
    start construction.

    Raises ``WrongState`` for a plan not in notice or when a later version is already
    approved, ``ValidationError`` for an approval while the notice runs or dated in the future.
    """
    locked = _lock_plan(plan)
    if locked.status != DesignPlanStatus.NOTICE:
        raise WrongState(
            _("Only a plan in public notice can be approved; this plan is %(status)s.")
            % {"status": locked.get_status_display()}
        )
    batch = (
        DesignPlan.objects.select_for_update()
        .filter(community_id=locked.community_id, batch_year=locked.batch_year)
        .exclude(pk=locked.pk)
    )
    if batch.filter(status=DesignPlanStatus.APPROVED, version__gt=locked.version).exists():
        raise WrongState(_("A later version of this plan is already approved."))
    # The approved version and the earlier ones give way; a later version still being drafted
    # or in notice goes on.
    others = batch.filter(
        Q(status=DesignPlanStatus.APPROVED)
        | Q(
            version__lt=locked.version, status__in=[DesignPlanStatus.DRAFT, DesignPlanStatus.NOTICE]
        )
    )
    locked.status = DesignPlanStatus.APPROVED
    locked.approved_on = on or _today()
    locked.approved_by = by
    locked.approval_reference = reference
    locked.full_clean(validate_constraints=False)  # the other versions are superseded below
    for other in others:
        other.status = DesignPlanStatus.SUPERSEDED
        other.full_clean()
        other.save(update_fields=["status", "updated_at"])
    locked.validate_constraints()
    locked.save()
    _copy_fields(plan, locked)
    return plan


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
        rated_on=rated_on or _today(),
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
