"""The admin of residents' participation: proposals decided by actions, design plans put up
for notice and approved, ratings with their hidden comments, and the satisfaction page."""

from datetime import date

import pytest
from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from communities.participation.choices import ProposalStatus
from communities.participation.models import Proposal, Rating
from communities.works.choices import DesignPlanStatus, ItemStatus
from communities.works.models.items import RenovationItem
from communities.works.models.plans import DesignPlan
from tests.support.factories import make_community, make_item
from tests.support.participation import (
    make_completed_community,
    make_finished_item,
    make_guarded_community,
    make_plan,
    make_proposal,
    make_rating,
)

pytestmark = pytest.mark.django_db


def admin_url(view: str, *args) -> str:
    return reverse(f"admin:communities_{view}", args=args)


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def actions_offered(response) -> set[str]:
    form = response.context["action_form"]  # None when the user may take no action at all
    return set(dict(form.fields["action"].choices)) if form is not None else set()


def act(client, model: str, action: str, objects, **extra):
    return client.post(
        admin_url(f"{model}_changelist"),
        {"action": action, "_selected_action": [obj.pk for obj in objects], **extra},
        follow=True,
    )


@pytest.fixture
def staff_in_english(staff_client, english) -> Client:
    """The city administrator's browser asking for English, to compare messages with their
    msgids (the test's own language is English too)."""
    staff_client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return staff_client


@pytest.fixture
def clerk(django_user_model) -> Client:
    """Staff who may handle proposals, plans and ratings, but not decide or approve."""
    user = django_user_model.objects.create_user("clerk", password="pw-clerk-9x!", is_staff=True)
    for model in ("proposal", "designplan", "rating"):
        for action in ("view", "change", "add"):
            user.user_permissions.add(Permission.objects.get(codename=f"{action}_{model}"))
    client = Client()
    client.force_login(user)
    return client


# --- Proposals --------------------------------------------------------------------------------


@pytest.mark.parametrize("model", ["proposal", "designplan", "rating"])
def test_the_changelists_cost_the_same_queries_for_3_and_30_rows(
    staff_client, model, django_assert_max_num_queries
):
    community = make_completed_community()
    item = make_finished_item(community=community)

    def add(count):
        for _ in range(count):
            if model == "proposal":
                make_proposal(community=community, status=ProposalStatus.ADOPTED, item=item)
            elif model == "designplan":
                make_plan(community=community, version=DesignPlan.objects.count() + 1)
            else:
                make_rating(item=item)

    add(3)
    url = admin_url(f"{model}_changelist")
    staff_client.get(url)
    # session, user, count, the page (foreign keys joined, computed columns as subqueries),
    # the filters' choices, the date hierarchy
    with django_assert_max_num_queries(9) as three:
        assert staff_client.get(url).status_code == 200
    add(27)
    with django_assert_max_num_queries(len(three.captured_queries)):
        response = staff_client.get(url)
    assert response.context["cl"].result_count == 30


def test_adopting_from_the_changelist_makes_new_items(staff_in_english):
    proposals = [make_proposal(title="规划停车位"), make_proposal(title="建充电车棚")]

    response = act(
        staff_in_english, "proposal", "adopt_as_new_items", proposals, decided_on="2023-10-08"
    )

    assert "2 proposal(s) adopted as new items." in messages_of(response)
    items = {item.title: item for item in RenovationItem.objects.all()}
    assert set(items) == {"规划停车位", "建充电车棚"}
    for proposal in proposals:
        proposal.refresh_from_db()
        assert (proposal.status, proposal.decided_on) == ("adopted", date(2023, 10, 8))
        assert proposal.item == items[proposal.title]


def test_adopting_into_an_existing_item_links_both_ways(staff_in_english):
    proposal = make_proposal()
    item = make_item(community=proposal.community, title="停车场改造")

    response = act(staff_in_english, "proposal", "adopt_into_item", [proposal], item=item.pk)

    assert "1 proposal(s) adopted into “停车场改造”." in messages_of(response)
    assert list(item.proposals.all()) == [proposal]


def test_the_admin_reports_each_refused_adoption(staff_in_english):
    decided = make_proposal(title="已驳回", status=ProposalStatus.DECLINED)
    elsewhere = make_proposal(title="别的小区")
    item = make_item(community=make_community(), title="停车场改造")

    response = act(
        staff_in_english, "proposal", "adopt_into_item", [decided, elsewhere], item=item.pk
    )

    [message] = messages_of(response)
    assert message.startswith("Not changed: ")
    assert "已驳回: This proposal was already decided: it is Declined." in message
    assert "别的小区: The item belongs to another community." in message
    assert not item.proposals.exists()


def test_declining_from_the_changelist_needs_the_reason(staff_in_english):
    proposal = make_proposal()

    refused = act(staff_in_english, "proposal", "decline_selected", [proposal])
    declined = act(
        staff_in_english, "proposal", "decline_selected", [proposal], reason="场地不足。"
    )

    assert "Give the reason for declining; the public sees it." in messages_of(refused)
    assert "1 proposal(s) declined." in messages_of(declined)
    proposal.refresh_from_db()
    assert (proposal.status, proposal.decline_reason) == ("declined", "场地不足。")


def test_only_those_who_may_decide_see_the_decisions(clerk):
    proposal = make_proposal()

    response = clerk.get(admin_url("proposal_changelist"))
    posted = act(clerk, "proposal", "decline_selected", [proposal], reason="不行")

    assert not {"adopt_as_new_items", "adopt_into_item", "decline_selected"} & actions_offered(
        response
    )
    assert posted.status_code == 200
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.SUBMITTED


def test_a_decision_is_never_edited_by_hand(staff_client, admin_form_data):
    proposal = make_proposal(status=ProposalStatus.DECLINED)
    url = admin_url("proposal_change", proposal.pk)
    data = admin_form_data(staff_client.get(url))

    assert not {"status", "item", "decided_on", "decline_reason"} & set(data)
    data.update({"status": "adopted", "title": "改了标题"})
    assert staff_client.post(url, data).status_code == 302
    proposal.refresh_from_db()
    assert (proposal.status, proposal.title) == ("declined", "改了标题")


def test_a_proposal_is_recorded_in_the_admin(staff_in_english, admin_form_data, admin_errors):
    community = make_community(households=50)
    url = admin_url("proposal_add")
    data = admin_form_data(staff_in_english.get(url))
    data.update(
        {
            "community": community.pk,
            "kind": make_proposal().kind_id,
            "title": "增设快递柜",
            "supporters": 51,
            "channel": "grid_visit",
            "submitted_on": "2023-09-01",
        }
    )

    refused = staff_in_english.post(url, data)
    data["supporters"] = 30
    saved = staff_in_english.post(url, data)

    assert admin_errors(refused) == {"supporters": ["The community has only 50 households."]}
    assert saved.status_code == 302
    assert Proposal.objects.get(title="增设快递柜").status == ProposalStatus.SUBMITTED


# --- Design plans -----------------------------------------------------------------------------


def test_plans_are_put_up_for_notice_and_approved_by_actions(staff_in_english):
    community = make_guarded_community()
    plan = make_plan(
        community=community, notice_start=date(2024, 2, 1), notice_end=date(2024, 2, 10)
    )
    item = make_item(community=community, status=ItemStatus.PLANNED)

    published = act(staff_in_english, "designplan", "publish_selected", [plan])
    too_early = act(
        staff_in_english, "designplan", "approve_selected", [plan], approved_on="2024-02-10"
    )
    approved = act(
        staff_in_english,
        "designplan",
        "approve_selected",
        [plan],
        approved_on="2024-02-11",
        reference="泰住建发〔2024〕3号",
    )

    assert "1 plan(s) put up for public notice." in messages_of(published)
    assert messages_of(too_early)[0].startswith("Not changed: ")
    assert "1 plan(s) approved." in messages_of(approved)
    plan.refresh_from_db()
    assert (plan.status, plan.approved_on, plan.approval_reference) == (
        "approved",
        date(2024, 2, 11),
        "泰住建发〔2024〕3号",
    )
    item.status, item.actual_start = ItemStatus.UNDER_CONSTRUCTION, date(2024, 3, 1)
    item.full_clean()


def test_a_public_plan_is_read_only_but_for_the_comments(staff_client, admin_form_data):
    plan = make_plan(status=DesignPlanStatus.NOTICE)
    url = admin_url("designplan_change", plan.pk)
    data = admin_form_data(staff_client.get(url))

    assert "designer" not in data and "notice_start" not in data
    data.update(
        {"comments_received": "17", "comments_summary": "居民希望保留大树。", "designer": "别家"}
    )
    assert staff_client.post(url, data).status_code == 302
    plan.refresh_from_db()
    assert (plan.comments_received, plan.designer) == (17, "泰安城建设计院有限公司")


def test_a_draft_is_edited_with_its_documents(staff_client, admin_form_data):
    plan = make_plan()
    url = admin_url("designplan_change", plan.pk)

    data = admin_form_data(staff_client.get(url))

    assert {"designer", "notice_start", "notice_end", "documents-TOTAL_FORMS"} <= set(data)
    assert "status" not in data and "approved_on" not in data


def test_approving_needs_the_permission(clerk):
    plan = make_plan(status=DesignPlanStatus.NOTICE)

    response = clerk.get(admin_url("designplan_changelist"))

    assert not {"approve_selected", "publish_selected"} & actions_offered(response)
    act(clerk, "designplan", "approve_selected", [plan], approved_on="2024-02-11")
    plan.refresh_from_db()
    assert plan.status == DesignPlanStatus.NOTICE


# --- Ratings and the satisfaction page ---------------------------------------------------------


def test_staff_hide_and_show_comments(staff_in_english):
    ratings = [make_rating(comment="施工队老张电话13900000000"), make_rating(comment="好")]

    hidden = act(staff_in_english, "rating", "hide_comments", ratings)
    assert "2 comment(s) hidden." in messages_of(hidden)
    assert Rating.objects.filter(comment_hidden=True).count() == 2
    act(staff_in_english, "rating", "show_comments", ratings[1:])
    assert Rating.objects.filter(comment_hidden=True).count() == 1


def test_staff_see_the_household_of_a_rating(staff_in_english):
    rating = make_rating(room_number="502")

    html = staff_in_english.get(admin_url("rating_changelist")).content.decode()

    assert f"{rating.building.label}, unit 1, room 502" in html


def test_the_admin_refuses_a_second_rating_by_the_same_household(
    staff_in_english, admin_form_data, admin_errors
):
    rating = make_rating()
    url = admin_url("rating_add")
    data = admin_form_data(staff_in_english.get(url))
    data.update(
        {
            "community": rating.community_id,
            "rated_on": rating.rated_on.isoformat(),
            "channel": "survey",
            "building": rating.building_id,
            "entrance_unit": "1",
            "room_number": rating.room_number,
            "work_score": "3",
            "process_score": "3",
            "management_score": "3",
        }
    )

    response = staff_in_english.post(url, data)

    assert admin_errors(response) == {
        "__all__": ["This household has already rated this community."]
    }
    assert Rating.objects.count() == 1


def test_the_satisfied_filter_uses_the_average_of_the_three_scores(staff_client):
    satisfied = make_rating(scores=(5, 5, 2))
    make_rating(scores=(5, 4, 2))

    response = staff_client.get(admin_url("rating_changelist"), {"satisfied": "yes"})

    assert list(response.context["cl"].result_list) == [satisfied]


def test_the_satisfaction_page_shows_the_figures_and_rankings(staff_in_english):
    community = make_completed_community(name="乐园小区")
    for scores in [(5, 5, 5), (4, 4, 4)]:
        make_rating(community=community, scores=scores)
    make_rating(community=make_completed_community(name="松园小区"), scores=(3, 3, 3))

    changelist = staff_in_english.get(admin_url("rating_changelist")).content.decode()
    response = staff_in_english.get(admin_url("rating_satisfaction"), {"min_ratings": "2"})

    assert admin_url("rating_satisfaction") in changelist
    html = response.content.decode()
    assert response.status_code == 200
    assert response.context["statistics"]["overall"].ratings == 3
    assert [row.key["name"] for row in response.context["statistics"]["communities"]] == [
        "乐园小区"
    ]
    assert "1 community has fewer ratings than the minimum and is not ranked." in html


def test_the_satisfaction_page_needs_the_permission_to_view_ratings(django_user_model):
    user = django_user_model.objects.create_user("nobody", password="pw-none-9x!", is_staff=True)
    client = Client()
    client.force_login(user)

    assert client.get(admin_url("rating_satisfaction")).status_code == 403
