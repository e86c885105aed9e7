"""Proposals, design plans and ratings: the rules each row keeps, in ``clean()`` and in the
database, and the design-plan guard on a renovation item's start."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import RestrictedError

from communities.participation.choices import ProposalStatus
from communities.participation.models import Proposal, Rating
from communities.participation.policy import is_satisfied
from communities.places.choices import RenovationStatus
from communities.works.choices import DesignPlanStatus, ItemStatus, NoticeState
from communities.works.models.items import RenovationItem, RenovationKind
from communities.works.models.plans import DesignPlan
from communities.works.policy import approval_too_early, design_plan_required, notice_state
from tests.support.factories import make_building, make_community, make_item
from tests.support.participation import (
    APPROVED_ON,
    GUARDED_YEAR,
    WORK_STARTS,
    make_completed_community,
    make_finished_item,
    make_guarded_community,
    make_plan,
    make_proposal,
    make_rating,
)

pytestmark = pytest.mark.django_db


def errors_of(obj) -> dict:
    with pytest.raises(ValidationError) as caught:
        obj.full_clean()
    return caught.value.message_dict


def database_refuses(obj) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        obj.save()


# --- Pure rules -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("scores", "satisfied"),
    [((4, 4, 4), True), ((5, 5, 2), True), ((5, 4, 2), False), ((3, 3, 5), False)],
)
def test_a_household_is_satisfied_when_its_scores_average_at_least_4(scores, satisfied):
    assert is_satisfied(*scores) is satisfied


def test_a_design_plan_is_required_from_the_set_batch_year_on():
    assert design_plan_required(batch_year=2024, required_from=2024)
    assert design_plan_required(batch_year=2025, required_from=2024)
    assert not design_plan_required(batch_year=2023, required_from=2024)
    assert not design_plan_required(batch_year=None, required_from=2024)


def test_the_notice_state_counts_both_end_days_as_open():
    start, end = date(2024, 2, 1), date(2024, 2, 10)

    assert notice_state(start=start, end=end, on=date(2024, 1, 31)) == NoticeState.UPCOMING
    assert notice_state(start=start, end=end, on=start) == NoticeState.OPEN
    assert notice_state(start=start, end=end, on=end) == NoticeState.OPEN
    assert notice_state(start=start, end=end, on=date(2024, 2, 11)) == NoticeState.CLOSED
    assert notice_state(start=None, end=None, on=end) is None


def test_approval_may_come_from_the_day_after_the_notice_ends():
    end = date(2024, 2, 10)

    assert approval_too_early(notice_end=end, on=end)
    assert not approval_too_early(notice_end=end, on=end + timedelta(days=1))
    assert approval_too_early(notice_end=None, on=end)


# --- Proposals --------------------------------------------------------------------------------


def test_a_proposal_under_consideration_is_valid_without_a_decision():
    proposal = make_proposal()

    assert proposal.status == ProposalStatus.SUBMITTED
    assert proposal.item is None
    assert proposal.get_absolute_url().endswith(f"#proposal-{proposal.pk}")


def test_it_rejects_an_adopted_proposal_without_its_item():
    proposal = make_proposal(status=ProposalStatus.ADOPTED)
    proposal.item = None

    assert "item" in errors_of(proposal)


def test_it_rejects_a_proposal_adopted_into_an_item_of_another_community(english):
    proposal = make_proposal(status=ProposalStatus.ADOPTED)
    proposal.item = make_item()

    # (and, the proposal being decided, its item is frozen: tests/participation/test_locks.py)
    assert "The item belongs to another community." in errors_of(proposal)["item"]


def test_it_rejects_a_declined_proposal_without_a_reason(english):
    proposal = make_proposal(status=ProposalStatus.DECLINED)
    proposal.decline_reason = "   "

    assert (
        "Give the reason for declining; the public sees it."
        in (errors_of(proposal)["decline_reason"])
    )


def test_it_rejects_more_supporters_than_the_community_has_households():
    community = make_community(households=80)

    assert "supporters" in errors_of(make_proposal(community=community, save=False, supporters=81))
    assert "supporters" in errors_of(make_proposal(community=community, save=False, supporters=0))


def test_it_rejects_a_proposal_dated_in_the_future():
    proposal = make_proposal(save=False, submitted_on=date.today() + timedelta(days=1))

    assert "submitted_on" in errors_of(proposal)


def test_the_database_refuses_an_incomplete_decision():
    adopted_without_item = Proposal(
        community=make_community(),
        kind_id=make_proposal().kind_id,
        title="x",
        supporters=1,
        channel="survey",
        status=ProposalStatus.ADOPTED,
        decided_on=date(2023, 10, 1),
    )
    database_refuses(adopted_without_item)


def test_the_database_refuses_a_decision_before_the_proposal():
    proposal = make_proposal(status=ProposalStatus.DECLINED)
    proposal.decided_on = proposal.submitted_on - timedelta(days=1)

    database_refuses(proposal)


def test_an_item_that_answers_a_proposal_cannot_be_deleted_but_its_community_can():
    proposal = make_proposal(status=ProposalStatus.ADOPTED)

    with pytest.raises(RestrictedError):
        proposal.item.delete()
    proposal.community.delete()

    assert not Proposal.objects.filter(pk=proposal.pk).exists()


# --- Design plans -----------------------------------------------------------------------------


def test_a_plan_in_notice_needs_both_days_of_its_notice(english):
    plan = make_plan(status=DesignPlanStatus.NOTICE)
    plan.notice_end = None

    assert "Give both days of the public notice, or neither." in errors_of(plan)["notice_end"]


def test_it_rejects_a_notice_that_ends_before_it_begins():
    plan = make_plan(status=DesignPlanStatus.NOTICE)
    plan.notice_end = plan.notice_start - timedelta(days=1)

    assert "notice_end" in errors_of(plan)
    database_refuses(plan)


def test_it_rejects_an_approval_on_or_before_the_last_day_of_the_notice(english):
    plan = make_plan(status=DesignPlanStatus.APPROVED)
    plan.approved_on = plan.notice_end

    assert (
        "Approval comes after the public notice, which ends on 2024-02-10."
        in (errors_of(plan)["approved_on"])
    )
    database_refuses(plan)


def test_an_approved_plan_needs_its_approval_date():
    plan = make_plan(status=DesignPlanStatus.APPROVED)
    plan.approved_on = None

    assert "approved_on" in errors_of(plan)
    database_refuses(plan)


def test_only_one_plan_of_a_community_and_batch_is_approved():
    first = make_plan(status=DesignPlanStatus.APPROVED)
    second = make_plan(
        community=first.community, version=2, status=DesignPlanStatus.APPROVED, save=False
    )

    assert "__all__" in errors_of(second)
    database_refuses(second)


def test_a_version_is_unique_per_community_and_batch():
    plan = make_plan()
    again = DesignPlan(
        community=plan.community,
        batch_year=plan.batch_year,
        version=plan.version,
        title="x",
        designer="y",
    )

    assert errors_of(again)
    database_refuses(again)


def test_the_public_sees_plans_once_they_are_put_up_for_notice():
    community = make_community()
    draft = make_plan(community=community)
    noticed = make_plan(community=community, version=2, status=DesignPlanStatus.NOTICE)

    assert not draft.is_public
    assert list(DesignPlan.objects.public()) == [noticed]


# --- The design-plan guard on items -----------------------------------------------------------


def started_item(community, **fields) -> RenovationItem:
    """An item of ``community`` under construction since 1 March 2024, not saved."""
    fields.setdefault("kind", RenovationKind.objects.get(code="roads"))
    fields.setdefault("title", "道路修缮")
    fields.setdefault("status", ItemStatus.UNDER_CONSTRUCTION)
    fields.setdefault("actual_start", WORK_STARTS)
    return RenovationItem(community=community, **fields)


def test_it_refuses_to_start_an_item_whose_community_has_no_approved_plan(english):
    community = make_guarded_community(name="牡丹花园")

    errors = errors_of(started_item(community))

    assert errors["status"] == [
        "Work may start only under an approved design plan: 牡丹花园 has no approved plan for "
        "its 2024 batch yet."
    ]


@pytest.mark.parametrize(
    "status", [ItemStatus.UNDER_CONSTRUCTION, ItemStatus.COMPLETED, ItemStatus.ACCEPTED]
)
def test_every_started_status_needs_the_plan(status):
    item = started_item(make_guarded_community(), status=status)
    if status != ItemStatus.UNDER_CONSTRUCTION:
        item.progress, item.actual_end = 100, WORK_STARTS + timedelta(days=90)

    assert "status" in errors_of(item)


def test_an_approved_plan_lets_the_items_of_its_batch_start():
    community = make_guarded_community()
    make_plan(community=community, status=DesignPlanStatus.APPROVED)

    started_item(community).full_clean()


def test_it_refuses_work_begun_before_the_plan_was_approved(english):
    community = make_guarded_community()
    make_plan(community=community, status=DesignPlanStatus.APPROVED)

    errors = errors_of(started_item(community, actual_start=APPROVED_ON - timedelta(days=1)))

    assert errors["actual_start"] == [
        "Work may start only under an approved design plan: the plan for the 2024 batch was "
        "approved on 2024-02-20, after this start date."
    ]


def test_work_may_begin_on_the_day_of_approval():
    community = make_guarded_community()
    make_plan(community=community, status=DesignPlanStatus.APPROVED)

    started_item(community, actual_start=APPROVED_ON).full_clean()


def test_a_plan_in_notice_or_in_draft_does_not_let_items_start():
    community = make_guarded_community()
    make_plan(community=community, status=DesignPlanStatus.NOTICE)
    make_plan(community=community, version=2)

    assert "status" in errors_of(started_item(community))


def test_a_plan_of_another_batch_does_not_let_items_start():
    community = make_guarded_community()
    make_plan(community=community, batch_year=GUARDED_YEAR + 1, status=DesignPlanStatus.APPROVED)

    assert "status" in errors_of(started_item(community))


def test_work_begun_under_a_plan_later_superseded_stays_covered():
    community = make_guarded_community()
    make_plan(community=community, status=DesignPlanStatus.SUPERSEDED, approved_on=APPROVED_ON)
    make_plan(
        community=community,
        version=2,
        status=DesignPlanStatus.APPROVED,
        notice_start=date(2024, 5, 1),
        notice_end=date(2024, 5, 10),
        approved_on=date(2024, 5, 20),
    )

    started_item(community).full_clean()


def test_planned_and_designing_items_need_no_plan():
    community = make_guarded_community()

    make_item(community=community, status=ItemStatus.PLANNED)
    make_item(community=community, status=ItemStatus.DESIGNING)


def test_batches_before_the_set_year_keep_starting_without_a_plan():
    community = make_community(
        renovation_status=RenovationStatus.COMPLETED, renovation_year=GUARDED_YEAR - 1
    )

    started_item(community).full_clean()
    started_item(make_community()).full_clean()  # no batch year: not in the programme


def test_the_year_the_guard_applies_from_is_a_setting(settings):
    community = make_community(renovation_status=RenovationStatus.COMPLETED)  # 2022 batch
    settings.RENOVATION = {**settings.RENOVATION, "DESIGN_PLAN_REQUIRED_FROM_YEAR": 2022}

    assert "status" in errors_of(started_item(community))


def test_the_guard_runs_one_query(django_assert_num_queries):
    community = make_guarded_community()
    make_plan(community=community, status=DesignPlanStatus.APPROVED)
    item = started_item(community)

    # the earliest approval of the community's batch; the community's dangerous buildings
    # without completed reinforcement (reinforce first, per community)
    with django_assert_num_queries(2):
        item.clean()


# --- Ratings ----------------------------------------------------------------------------------


def test_a_rating_has_its_mean_and_whether_the_household_is_satisfied():
    rating = make_rating(scores=(5, 4, 4))

    assert str(rating.average) == "4.33"
    assert rating.is_satisfied


def test_it_refuses_a_second_rating_of_the_same_item_by_the_same_household(english):
    first = make_rating(item=make_finished_item())
    again = make_rating(
        item=first.item,
        building=first.building,
        entrance_unit=first.entrance_unit,
        room_number=f" {first.room_number.lower()} ",
        save=False,
        scores=(1, 1, 1),
    )

    assert errors_of(again) == {"__all__": ["This household has already rated this item."]}
    again.room_number = first.room_number
    database_refuses(again)


def test_it_refuses_a_second_rating_of_the_same_community_by_the_same_household(english):
    first = make_rating()
    again = Rating(
        community=first.community,
        building=first.building,
        entrance_unit=first.entrance_unit,
        room_number=first.room_number,
        work_score=3,
        process_score=3,
        management_score=3,
        channel="survey",
        rated_on=first.rated_on,
    )

    assert errors_of(again) == {"__all__": ["This household has already rated this community."]}
    database_refuses(again)


def test_a_household_rates_its_community_and_each_item_once():
    item = make_finished_item()
    whole = make_rating(community=item.community)

    make_rating(
        item=item,
        building=whole.building,
        entrance_unit=whole.entrance_unit,
        room_number=whole.room_number,
    )
    neighbour = make_rating(
        item=item, building=whole.building, entrance_unit=whole.entrance_unit, room_number="999"
    )

    assert Rating.objects.filter(building=whole.building).count() == 3
    assert neighbour.room_number == "999"


def test_it_rejects_scores_outside_1_to_5():
    rating = make_rating()
    rating.work_score = 6

    assert "work_score" in errors_of(rating)
    database_refuses(rating)


def test_it_rejects_a_household_of_another_community_or_a_unit_its_building_lacks(english):
    rating = make_rating()
    rating.building = make_building(entrance_units=2)

    assert errors_of(rating)["building"] == ["The building belongs to another community."]
    rating.building = make_building(community=rating.community, entrance_units=2)
    rating.entrance_unit = 3
    assert "entrance_unit" in errors_of(rating)


def test_it_rejects_a_rating_of_work_not_finished(english):
    community = make_completed_community()
    item = make_item(community=community, status=ItemStatus.PLANNED)

    rating = make_rating(item=item, save=False)

    assert errors_of(rating)["item"] == ["An item is rated once it is completed."]


def test_it_rejects_a_rating_of_a_community_not_completed(english):
    community = make_community(renovation_status=RenovationStatus.UNDER_CONSTRUCTION)

    rating = make_rating(community=community, save=False)

    assert errors_of(rating)["community"] == [
        "A community is rated once its renovation is completed."
    ]


def test_it_rejects_a_rating_dated_before_the_completion():
    item = make_finished_item()
    rating = make_rating(item=item, save=False, rated_on=item.actual_end - timedelta(days=1))

    assert "rated_on" in errors_of(rating)
    rating.item = None
    rating.rated_on = rating.community.completed_on - timedelta(days=1)
    assert "rated_on" in errors_of(rating)


def test_ratings_go_with_their_community_but_keep_their_item_and_building():
    rating = make_rating(item=make_finished_item())

    with pytest.raises(RestrictedError):
        rating.item.delete()
    with pytest.raises(RestrictedError):
        rating.building.delete()
    rating.community.delete()

    assert not Rating.objects.exists()
