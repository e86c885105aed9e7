"""Writes of the works: design plans (炒菜), published for notice and approved after it, and
the community that follows its items. Keyword-only arguments, one transaction each, on a
locked copy; a record in the wrong state is refused with ``WrongState``."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from communities.core.clock import today
from communities.core.errors import WrongState, copy_saved_fields
from communities.places.choices import RenovationStatus
from communities.places.models import Community
from communities.works.choices import DesignPlanStatus, ItemStatus
from communities.works.models.items import RenovationItem
from communities.works.models.plans import DesignPlan
from communities.works.objections import refuse_unanswered_plan_objections

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
    copy_saved_fields(plan, locked)
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

    Raises ``WrongState`` for a plan not in notice, when a later version is already
    approved or while an objection to its notice is unanswered; ``ValidationError`` for an
    approval while the notice runs or dated in the future.
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
    refuse_unanswered_plan_objections(locked)  # each objection answered first
    # The approved version and the earlier ones give way; a later version still being drafted
    # or in notice goes on.
    others = batch.filter(
        Q(status=DesignPlanStatus.APPROVED)
        | Q(
            version__lt=locked.version, status__in=[DesignPlanStatus.DRAFT, DesignPlanStatus.NOTICE]
        )
    )
    locked.status = DesignPlanStatus.APPROVED
    locked.approved_on = on or today()
    locked.approved_by = by
    locked.approval_reference = reference
    locked.full_clean(validate_constraints=False)  # the other versions are superseded below
    for other in others:
        other.status = DesignPlanStatus.SUPERSEDED
        other.full_clean()
        other.save(update_fields=["status", "updated_at"])
    locked.validate_constraints()
    locked.save()
    copy_saved_fields(plan, locked)
    return plan


# --- The community follows its items (issue 15) -----------------------------------------------

# The reason written in a community's history when its status or dates follow its items.
FOLLOWS_ITEMS = "items"


@transaction.atomic
def renovation_item_saved(*, item: RenovationItem, created: bool, by=None) -> Community:
    """What every path that writes an item (admin, API, import) does once it is saved: check
    the item's place in its community (``RenovationItem.community_status_errors``; a new item
    is never entered as accepted: acceptance follows completion), then bring the community's
    status and dates in step (``community_follow_items``). Raises ``WrongState``; the caller's
    transaction then rolls the item back too."""
    problems = [message for _field, message in item.community_status_errors()]
    if created and item.status == ItemStatus.ACCEPTED:
        problems.append(_("Only a completed item can be accepted."))
    if problems:
        raise WrongState(" ".join(str(problem) for problem in problems), code="item_in_community")
    return community_follow_items(community=item.community, by=by)


@transaction.atomic
def community_follow_items(*, community: Community, by=None) -> Community:
    """Keep a community's status and dates in step with its non-cancelled items: a planned
    community whose first item starts is under construction; a community under way began on
    its first item's start, and a completed one was completed on its last item's completion.
    Completing a community stays a decision of staff (allowed only once every item is done).
    Runs on a locked copy; the caller's instance is brought up to date."""
    locked = Community.objects.select_for_update(of=("self",)).get(pk=community.pk)
    summary = locked.items_summary()
    first_start, last_end = summary["first_start"], summary["last_end"]
    changed = []
    if locked.renovation_status == RenovationStatus.PLANNED and first_start:
        locked.renovation_status = RenovationStatus.UNDER_CONSTRUCTION
        changed.append("renovation_status")
    under_way = {RenovationStatus.UNDER_CONSTRUCTION, RenovationStatus.COMPLETED}
    if locked.renovation_status in under_way and first_start and locked.started_on != first_start:
        locked.started_on = first_start
        changed.append("started_on")
    if (
        locked.renovation_status == RenovationStatus.COMPLETED
        and last_end
        and locked.completed_on != last_end
    ):
        locked.completed_on = last_end
        changed.append("completed_on")
    if changed:
        locked._change_reason = FOLLOWS_ITEMS
        if by is not None:
            locked._history_user = by
        locked.full_clean()
        locked.save(update_fields=[*changed, "updated_at"])
        copy_saved_fields(community, locked)
    return community
