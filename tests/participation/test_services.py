"""The writes of residents' participation: adopting and declining proposals, putting plans up
for notice and approving them, and recording ratings."""

from datetime import date, timedelta
from unittest import mock

import pytest
from django.core.exceptions import ValidationError

from communities.core.errors import WrongState
from communities.participation.choices import Channel, ProposalStatus
from communities.participation.models import Proposal, Rating
from communities.participation.services import (
    proposal_adopt,
    proposal_decline,
    proposal_submit,
    rating_set_comment_hidden,
    rating_submit,
)
from communities.works.choices import DesignPlanStatus, ItemStatus
from communities.works.models.items import RenovationItem, RenovationKind
from communities.works.models.plans import DesignPlan
from communities.works.services import (
    design_plan_approve,
    design_plan_editable_fields,
    design_plan_publish,
)
from tests.support.factories import make_community, make_item
from tests.support.participation import (
    APPROVED_ON,
    NOTICE_END,
    NOTICE_START,
    WORK_STARTS,
    make_finished_item,
    make_guarded_community,
    make_plan,
    make_proposal,
    make_rating,
)

pytestmark = pytest.mark.django_db

DECIDED = date(2023, 10, 8)


# --- Proposals: adopt and decline --------------------------------------------------------------


def test_it_records_a_proposal_under_consideration():
    community = make_community(households=300)

    proposal = proposal_submit(
        community=community,
        kind=RenovationKind.objects.get(code="charging"),
        title=" 建电动车充电车棚 ",
        supporters=120,
        channel=Channel.WECHAT,
        submitted_on=date(2023, 9, 1),
    )

    proposal.refresh_from_db()
    assert (proposal.status, proposal.title, proposal.supporters) == (
        "submitted",
        "建电动车充电车棚",
        120,
    )


def test_adopting_a_proposal_makes_a_new_planned_item_linked_both_ways(city_admin):
    proposal = make_proposal(
        title="建老年食堂", kind=RenovationKind.objects.get(code="elderly-care")
    )

    proposal_adopt(proposal=proposal, by=city_admin, on=DECIDED)

    proposal.refresh_from_db()
    item = proposal.item
    assert proposal.status == ProposalStatus.ADOPTED
    assert (proposal.decided_on, proposal.decided_by) == (DECIDED, city_admin)
    assert (item.community, item.kind.code, item.title) == (
        proposal.community,
        "elderly-care",
        "建老年食堂",
    )
    assert item.description == proposal.description
    assert item.status == ItemStatus.PLANNED
    assert list(item.proposals.all()) == [proposal]


def test_the_new_item_may_be_given_its_own_title():
    proposal = make_proposal()

    proposal_adopt(proposal=proposal, on=DECIDED, title="停车位划设及停车场改造")

    assert proposal.item.title == "停车位划设及停车场改造"


def test_proposals_may_join_an_existing_item_of_their_community():
    community = make_community()
    item = make_item(community=community, kind=RenovationKind.objects.get(code="parking"))
    first = make_proposal(community=community)
    second = make_proposal(community=community, channel=Channel.GRID_VISIT)

    proposal_adopt(proposal=first, item=item, on=DECIDED)
    proposal_adopt(proposal=second, item=item, on=DECIDED)

    assert set(item.proposals.all()) == {first, second}
    assert RenovationItem.objects.count() == 1


def test_it_refuses_to_adopt_into_an_item_of_another_community():
    proposal = make_proposal()
    elsewhere = make_item()

    with pytest.raises(ValidationError) as caught:
        proposal_adopt(proposal=proposal, item=elsewhere, on=DECIDED)

    assert "item" in caught.value.message_dict
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.SUBMITTED


def test_it_refuses_to_adopt_into_a_cancelled_item():
    proposal = make_proposal()
    cancelled = make_item(community=proposal.community, status=ItemStatus.CANCELLED)

    with pytest.raises(ValidationError):
        proposal_adopt(proposal=proposal, item=cancelled, on=DECIDED)


def test_a_failed_adoption_leaves_no_new_item_behind():
    proposal = make_proposal()

    with pytest.raises(ValidationError):
        proposal_adopt(proposal=proposal, on=date.today() + timedelta(days=1))

    assert not RenovationItem.objects.exists()


def test_declining_records_the_public_reason(city_admin):
    proposal = make_proposal()

    proposal_decline(
        proposal=proposal, reason="  场地不足，不具备建设条件。 ", by=city_admin, on=DECIDED
    )

    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.DECLINED
    assert proposal.decline_reason == "场地不足，不具备建设条件。"
    assert (proposal.decided_on, proposal.decided_by, proposal.item) == (DECIDED, city_admin, None)


def test_it_refuses_to_decline_without_a_reason():
    proposal = make_proposal()

    with pytest.raises(ValidationError) as caught:
        proposal_decline(proposal=proposal, reason="  ", on=DECIDED)

    assert "decline_reason" in caught.value.message_dict
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.SUBMITTED


@pytest.mark.parametrize("status", [ProposalStatus.ADOPTED, ProposalStatus.DECLINED])
def test_a_decided_proposal_is_not_decided_again(status, english):
    proposal = make_proposal(status=status)
    before = (proposal.item_id, proposal.decline_reason, proposal.decided_on)

    with pytest.raises(WrongState, match="already decided"):
        proposal_adopt(proposal=proposal, on=DECIDED)
    with pytest.raises(WrongState):
        proposal_decline(proposal=proposal, reason="不行", on=DECIDED)

    proposal.refresh_from_db()
    assert (proposal.item_id, proposal.decline_reason, proposal.decided_on) == before
    assert proposal.status == status


def test_a_stale_copy_of_a_decided_proposal_cannot_decide_it_again():
    proposal = make_proposal()
    stale = Proposal.objects.get(pk=proposal.pk)
    proposal_decline(proposal=proposal, reason="场地不足。", on=DECIDED)

    with pytest.raises(WrongState):
        proposal_adopt(proposal=stale, on=DECIDED)


# --- Design plans: notice and approval ---------------------------------------------------------


def test_publishing_puts_a_draft_up_for_notice():
    plan = make_plan()

    design_plan_publish(plan=plan, notice_start=NOTICE_START, notice_end=NOTICE_END)

    plan.refresh_from_db()
    assert (plan.status, plan.notice_start, plan.notice_end) == ("notice", NOTICE_START, NOTICE_END)


def test_publishing_needs_a_notice_period():
    plan = make_plan()

    with pytest.raises(ValidationError) as caught:
        design_plan_publish(plan=plan)

    assert "notice_start" in caught.value.message_dict
    plan.refresh_from_db()
    assert plan.status == DesignPlanStatus.DRAFT


def test_only_a_draft_is_put_up_for_notice():
    plan = make_plan(status=DesignPlanStatus.NOTICE)

    with pytest.raises(WrongState):
        design_plan_publish(plan=plan)


def test_approval_after_the_notice_lets_the_batch_start_construction(city_admin):
    community = make_guarded_community()
    plan = make_plan(community=community, status=DesignPlanStatus.NOTICE)
    item = make_item(community=community, status=ItemStatus.PLANNED)
    item.status, item.actual_start = ItemStatus.UNDER_CONSTRUCTION, WORK_STARTS
    with pytest.raises(ValidationError):
        item.full_clean()

    design_plan_approve(plan=plan, on=APPROVED_ON, by=city_admin, reference="泰住建发〔2024〕3号")

    plan.refresh_from_db()
    assert (plan.status, plan.approved_on, plan.approved_by) == (
        "approved",
        APPROVED_ON,
        city_admin,
    )
    assert plan.approval_reference == "泰住建发〔2024〕3号"
    item.full_clean()


def test_it_refuses_an_approval_while_the_notice_runs(english):
    plan = make_plan(status=DesignPlanStatus.NOTICE)

    with pytest.raises(ValidationError) as caught:
        design_plan_approve(plan=plan, on=NOTICE_END)

    assert caught.value.message_dict["approved_on"] == [
        "Approval comes after the public notice, which ends on 2024-02-10."
    ]
    plan.refresh_from_db()
    assert (plan.status, plan.approved_on) == ("notice", None)


def test_it_refuses_to_approve_a_draft():
    plan = make_plan()

    with pytest.raises(WrongState):
        design_plan_approve(plan=plan, on=APPROVED_ON)


def test_approving_a_new_version_supersedes_the_approved_one_and_earlier_notices():
    community = make_guarded_community()
    approved = make_plan(community=community, status=DesignPlanStatus.APPROVED)
    in_notice = make_plan(community=community, version=2, status=DesignPlanStatus.NOTICE)
    revised = make_plan(
        community=community,
        version=3,
        status=DesignPlanStatus.NOTICE,
        notice_start=date(2024, 4, 1),
        notice_end=date(2024, 4, 10),
    )
    later_draft = make_plan(community=community, version=4)
    other_batch = make_plan(community=community, batch_year=2025, status=DesignPlanStatus.NOTICE)

    design_plan_approve(plan=revised, on=date(2024, 4, 15))

    statuses = dict(DesignPlan.objects.values_list("pk", "status"))
    assert statuses == {
        approved.pk: "superseded",
        in_notice.pk: "superseded",
        revised.pk: "approved",
        later_draft.pk: "draft",
        other_batch.pk: "notice",
    }
    approved.refresh_from_db()
    assert approved.approved_on == APPROVED_ON  # work begun under it stays covered


def test_an_earlier_version_is_not_approved_after_a_later_one():
    community = make_guarded_community()
    older = make_plan(community=community, status=DesignPlanStatus.NOTICE)
    make_plan(community=community, version=2, status=DesignPlanStatus.APPROVED)

    with pytest.raises(WrongState):
        design_plan_approve(plan=older, on=APPROVED_ON)


def test_it_refuses_an_approval_dated_in_the_future():
    plan = make_plan(status=DesignPlanStatus.NOTICE)

    with pytest.raises(ValidationError):
        design_plan_approve(plan=plan, on=date.today() + timedelta(days=1))


def test_only_the_comments_change_once_a_plan_is_public():
    draft = make_plan()
    noticed = make_plan(community=draft.community, version=2, status=DesignPlanStatus.NOTICE)
    superseded = make_plan(community=draft.community, version=3, status=DesignPlanStatus.SUPERSEDED)

    assert {"title", "designer", "notice_start", "summary"} <= design_plan_editable_fields(draft)
    assert "status" not in design_plan_editable_fields(draft)
    assert design_plan_editable_fields(noticed) == {
        "comments_received",
        "comments_summary",
    }
    assert design_plan_editable_fields(superseded) == set()


# --- Ratings --------------------------------------------------------------------------------


def rating_arguments(item=None, **overrides) -> dict:
    existing = make_rating(item=item) if item is not None else make_rating()
    arguments = {
        "building": existing.building,
        "entrance_unit": 1,
        "room_number": "502",
        "work_score": 5,
        "process_score": 4,
        "management_score": 3,
        "channel": Channel.WECHAT,
        "rated_on": existing.rated_on,
        **overrides,
    }
    if item is None:
        arguments.setdefault("community", existing.community)
    return arguments


def test_a_rating_of_an_item_belongs_to_the_item_s_community():
    item = make_finished_item()

    rating = rating_submit(item=item, comment=" 很满意 ", **rating_arguments(item))

    rating.refresh_from_db()
    assert (rating.community, rating.item, rating.comment) == (item.community, item, "很满意")
    assert (rating.work_score, rating.process_score, rating.management_score) == (5, 4, 3)


def test_a_household_rates_a_subject_once(english):
    arguments = rating_arguments()
    rating_submit(**arguments)

    with pytest.raises(ValidationError) as caught:
        rating_submit(**{**arguments, "work_score": 1})

    assert caught.value.messages == ["This household has already rated this community."]
    assert Rating.objects.filter(room_number="502").count() == 1


def test_two_ratings_of_one_household_at_the_same_moment_keep_one(english):
    item = make_finished_item()
    arguments = rating_arguments(item)
    rating_submit(item=item, **arguments)

    # The second arrives before the first is committed: validation cannot see it yet.
    with (
        mock.patch.object(Rating, "validate_constraints"),
        pytest.raises(ValidationError) as caught,
    ):
        rating_submit(item=item, **arguments)

    assert caught.value.message_dict == {"item": ["This household has already rated this item."]}
    assert Rating.objects.filter(item=item, room_number="502").count() == 1


def test_a_rating_names_its_community_or_item():
    arguments = rating_arguments()
    del arguments["community"]

    with pytest.raises(ValidationError) as caught:
        rating_submit(**arguments)

    assert "community" in caught.value.message_dict


def test_staff_hide_a_comment_and_show_it_again():
    rating = make_rating(comment="施工队老张电话13900000000")

    rating_set_comment_hidden(rating=rating, hidden=True)
    assert Rating.objects.get(pk=rating.pk).comment_hidden
    rating_set_comment_hidden(rating=rating, hidden=False)
    assert not Rating.objects.get(pk=rating.pk).comment_hidden
