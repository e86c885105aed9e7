"""The API of residents' participation: proposals, design plans, ratings and the satisfaction
figures, as the public, the WeChat mini-program (a token with add permissions) and staff use
them."""

from datetime import date

import pytest

from communities.participation.choices import ProposalStatus
from communities.participation.models import Proposal, Rating
from communities.works.choices import DesignPlanStatus, ItemStatus
from communities.works.models.items import RenovationItem
from communities.works.models.plans import DesignPlan
from tests.support.api import (
    API,
    api_client,
    assert_matches_schema,
    make_user,
    openapi_document,
    writer,
)
from tests.support.factories import make_community, make_district, make_item
from tests.support.participation import (
    WORK_STARTS,
    make_completed_community,
    make_finished_item,
    make_guarded_community,
    make_plan,
    make_proposal,
    make_rating,
)

pytestmark = pytest.mark.django_db

HOUSEHOLD = {"building", "entrance_unit", "room_number"}


def mini_program():
    """The WeChat mini-program's token: it may submit proposals and ratings, nothing more."""
    return api_client(
        make_user(
            "communities.add_proposal",
            "communities.view_proposal",
            "communities.add_rating",
            "communities.view_rating",
        )
    )


def decider():
    return api_client(make_user("communities.decide_proposal", "communities.view_proposal"))


def approver():
    return api_client(
        make_user(
            "communities.approve_designplan",
            "communities.add_designplan",
            "communities.change_designplan",
            "communities.view_designplan",
        )
    )


# --- Proposals --------------------------------------------------------------------------------


def test_proposals_are_listed_anonymously_with_what_became_of_them(django_assert_num_queries):
    community = make_community()
    item = make_item(
        community=community, status=ItemStatus.UNDER_CONSTRUCTION, progress=40, title="充电车棚"
    )
    make_proposal(community=community, status=ProposalStatus.ADOPTED, item=item)
    make_proposal(community=community, status=ProposalStatus.DECLINED, decline_reason="场地不足。")
    make_proposal(community=community)
    client = api_client()

    # count, the page with community, district, kind and item joined
    with django_assert_num_queries(2):
        response = client.get(f"{API}/proposals/", {"community": community.pk})

    assert response.status_code == 200
    rows = {row["status"]: row for row in response.json()["results"]}
    assert (rows["adopted"]["item"], rows["adopted"]["item_title"]) == (item.pk, "充电车棚")
    assert (rows["adopted"]["item_status"], rows["adopted"]["item_progress"]) == (
        "under_construction",
        40,
    )
    assert rows["declined"]["decline_reason"] == "场地不足。"
    assert rows["submitted"]["item"] is None
    assert rows["submitted"]["site_url"].endswith(f"#proposal-{rows['submitted']['id']}")
    assert_matches_schema(response.json(), "/api/v1/proposals/")


def test_proposals_filter_by_status_and_kind():
    make_proposal(status=ProposalStatus.DECLINED)
    adopted = make_proposal(status=ProposalStatus.ADOPTED)

    response = api_client().get(f"{API}/proposals/", {"status": "adopted", "kind": "parking"})

    assert [row["id"] for row in response.json()["results"]] == [adopted.pk]
    assert api_client().get(f"{API}/proposals/", {"status": "maybe"}).status_code == 400


def test_the_mini_program_submits_a_proposal_with_its_token():
    community = make_community(households=500)

    response = mini_program().post(
        f"{API}/proposals/",
        {
            "community": community.pk,
            "kind": "charging",
            "title": "建电动车充电车棚",
            "supporters": 86,
            "channel": "wechat",
            "submitted_on": "2023-09-01",
        },
        format="json",
    )

    assert response.status_code == 201, response.json()
    assert (response.json()["status"], response.json()["item"]) == ("submitted", None)
    assert Proposal.objects.get().supporters == 86


def test_a_submitter_cannot_decide_its_own_proposal():
    community = make_community()

    response = mini_program().post(
        f"{API}/proposals/",
        {
            "community": community.pk,
            "kind": "parking",
            "title": "停车位",
            "supporters": 3,
            "channel": "wechat",
            "status": "adopted",
        },
        format="json",
    )

    assert response.status_code == 400
    assert "status" in response.json()
    assert not Proposal.objects.exists()


def test_anonymous_users_cannot_submit_proposals():
    response = api_client().post(f"{API}/proposals/", {}, format="json")

    assert response.status_code == 401


def test_adopting_needs_the_permission_to_decide():
    proposal = make_proposal()

    response = mini_program().post(f"{API}/proposals/{proposal.pk}/adopt/", {}, format="json")

    assert response.status_code == 403
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.SUBMITTED


def test_adopting_a_proposal_makes_it_a_planned_item():
    proposal = make_proposal(title="规划停车位")

    response = decider().post(
        f"{API}/proposals/{proposal.pk}/adopt/", {"decided_on": "2023-10-08"}, format="json"
    )

    assert response.status_code == 200, response.json()
    body = response.json()
    item = RenovationItem.objects.get()
    assert (body["status"], body["item"], body["item_status"]) == ("adopted", item.pk, "planned")
    assert (item.title, item.community_id) == ("规划停车位", proposal.community_id)
    assert body["decided_on"] == "2023-10-08"
    assert_matches_schema(body, "/api/v1/proposals/{id}/adopt/", "post")


def test_adopting_into_an_item_of_another_community_is_refused():
    proposal = make_proposal()
    elsewhere = make_item()

    response = decider().post(
        f"{API}/proposals/{proposal.pk}/adopt/", {"item": elsewhere.pk}, format="json"
    )

    assert response.status_code == 400
    assert "item" in response.json()


def test_deciding_a_proposal_already_decided_is_a_conflict():
    proposal = make_proposal(status=ProposalStatus.DECLINED)

    response = decider().post(f"{API}/proposals/{proposal.pk}/adopt/", {}, format="json")

    assert response.status_code == 409
    assert "detail" in response.json()


def test_declining_needs_a_reason_the_public_then_reads():
    proposal = make_proposal()
    client = decider()

    assert (
        client.post(f"{API}/proposals/{proposal.pk}/decline/", {}, format="json").status_code == 400
    )
    response = client.post(
        f"{API}/proposals/{proposal.pk}/decline/", {"reason": "周边已有两家超市。"}, format="json"
    )

    assert response.status_code == 200
    public = api_client().get(f"{API}/proposals/{proposal.pk}/").json()
    assert (public["status"], public["decline_reason"]) == ("declined", "周边已有两家超市。")


# --- Design plans -----------------------------------------------------------------------------


def test_the_public_sees_plans_once_they_are_put_up_for_notice(django_assert_num_queries):
    community = make_community()
    draft = make_plan(community=community)
    noticed = make_plan(community=community, version=2, status=DesignPlanStatus.NOTICE)
    client = api_client()

    # count, the page, the documents of the page's plans
    with django_assert_num_queries(3):
        response = client.get(f"{API}/design-plans/")

    assert [row["id"] for row in response.json()["results"]] == [noticed.pk]
    assert response.json()["results"][0]["notice_state"] == "closed"
    assert client.get(f"{API}/design-plans/{draft.pk}/").status_code == 404
    assert_matches_schema(response.json(), "/api/v1/design-plans/")


def test_those_who_draft_plans_see_the_drafts():
    draft = make_plan()

    response = approver().get(f"{API}/design-plans/{draft.pk}/")

    assert response.status_code == 200
    assert response.json()["status"] == "draft"


def test_a_plan_is_drafted_then_put_up_for_notice_then_approved():
    community = make_guarded_community()
    client = approver()
    created = client.post(
        f"{API}/design-plans/",
        {
            "community": community.pk,
            "batch_year": 2024,
            "title": "牡丹花园改造设计方案",
            "designer": "泰安城建设计院有限公司",
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    url = f"{API}/design-plans/{created.json()['id']}"

    published = client.post(
        f"{url}/publish/", {"notice_start": "2024-02-01", "notice_end": "2024-02-10"}, format="json"
    )
    too_early = client.post(f"{url}/approve/", {"approved_on": "2024-02-10"}, format="json")
    approved = client.post(
        f"{url}/approve/",
        {"approved_on": "2024-02-11", "reference": "泰住建发〔2024〕3号"},
        format="json",
    )

    assert published.status_code == 200 and published.json()["status"] == "notice"
    assert too_early.status_code == 400
    assert "approved_on" in too_early.json()
    assert approved.status_code == 200, approved.json()
    assert (approved.json()["status"], approved.json()["approved_on"]) == ("approved", "2024-02-11")
    assert approved.json()["approval_reference"] == "泰住建发〔2024〕3号"
    assert_matches_schema(approved.json(), "/api/v1/design-plans/{id}/approve/", "post")


def test_approving_a_draft_is_a_conflict_and_needs_the_permission():
    draft = make_plan()

    assert approver().post(f"{API}/design-plans/{draft.pk}/approve/", {}).status_code == 409
    no_permission = api_client(
        make_user("communities.change_designplan", "communities.view_designplan")
    )
    assert no_permission.post(f"{API}/design-plans/{draft.pk}/publish/", {}).status_code == 403
    assert DesignPlan.objects.get().status == DesignPlanStatus.DRAFT


def test_a_public_plan_keeps_what_residents_saw_but_records_their_comments():
    plan = make_plan(status=DesignPlanStatus.NOTICE)
    client = approver()

    changed = client.patch(
        f"{API}/design-plans/{plan.pk}/", {"designer": "别家设计院"}, format="json"
    )
    comments = client.patch(
        f"{API}/design-plans/{plan.pk}/",
        {"comments_received": 12, "comments_summary": "居民希望保留大树。"},
        format="json",
    )

    assert changed.status_code == 400
    assert "designer" in changed.json()
    assert comments.status_code == 200, comments.json()
    plan.refresh_from_db()
    assert (plan.designer, plan.comments_received) == ("泰安城建设计院有限公司", 12)


def test_an_item_starts_construction_through_the_api_only_under_an_approved_plan():
    community = make_guarded_community()
    item = make_item(community=community, status=ItemStatus.PLANNED)
    client = writer("renovationitem")
    start = {"status": "under_construction", "actual_start": WORK_STARTS.isoformat()}

    refused = client.patch(f"{API}/renovation-items/{item.pk}/", start, format="json")
    make_plan(community=community, status=DesignPlanStatus.APPROVED)
    allowed = client.patch(f"{API}/renovation-items/{item.pk}/", start, format="json")

    assert refused.status_code == 400
    assert "status" in refused.json()
    assert allowed.status_code == 200, allowed.json()


# --- Ratings ----------------------------------------------------------------------------------


def test_the_mini_program_rates_an_item_and_never_gets_the_household_back():
    item = make_finished_item()
    building = make_rating(item=item).building

    response = mini_program().post(
        f"{API}/ratings/",
        {
            "item": item.pk,
            "building": building.pk,
            "entrance_unit": 1,
            "room_number": "301",
            "work_score": 5,
            "process_score": 4,
            "management_score": 4,
            "comment": "很满意",
            "channel": "wechat",
            "rated_on": "2022-10-20",
        },
        format="json",
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    assert not HOUSEHOLD & set(body)
    assert "comment_hidden" not in body
    assert (body["community"], body["subject"], body["average"], body["satisfied"]) == (
        item.community_id,
        "item",
        "4.33",
        True,
    )
    assert Rating.objects.get(room_number="301").community == item.community


def test_a_household_cannot_rate_the_same_subject_twice_through_the_api():
    rating = make_rating()
    payload = {
        "community": rating.community_id,
        "building": rating.building_id,
        "entrance_unit": rating.entrance_unit,
        "room_number": rating.room_number,
        "work_score": 1,
        "process_score": 1,
        "management_score": 1,
        "channel": "survey",
        "rated_on": rating.rated_on.isoformat(),
    }

    response = mini_program().post(
        f"{API}/ratings/", payload, format="json", HTTP_ACCEPT_LANGUAGE="en"
    )

    assert response.status_code == 400
    assert response.json()["non_field_errors"] == [
        "This household has already rated this community."
    ]


def test_a_rating_without_its_household_is_refused():
    community = make_completed_community()

    response = mini_program().post(
        f"{API}/ratings/",
        {
            "community": community.pk,
            "work_score": 4,
            "process_score": 4,
            "management_score": 4,
            "channel": "wechat",
        },
        format="json",
    )

    assert response.status_code == 400
    assert {"building", "entrance_unit", "room_number"} <= set(response.json())


def test_the_public_reads_ratings_without_households_or_hidden_comments(django_assert_num_queries):
    community = make_completed_community()
    make_rating(community=community, comment="施工队老张电话13900000000", comment_hidden=True)
    make_rating(community=community, comment="住着舒心")
    client = api_client()

    # count, the page with community, district and item joined
    with django_assert_num_queries(2):
        response = client.get(f"{API}/ratings/", {"community": community.pk})

    rows = response.json()["results"]
    assert sorted(row["comment"] for row in rows) == ["", "住着舒心"]
    assert all(not HOUSEHOLD & set(row) and "comment_hidden" not in row for row in rows)
    assert "13900000000" not in response.content.decode()
    assert_matches_schema(response.json(), "/api/v1/ratings/")


def test_staff_read_the_household_and_the_hidden_comment():
    rating = make_rating(comment="施工队老张电话13900000000", comment_hidden=True)
    staff = api_client(make_user("communities.view_rating", is_staff=True))

    body = staff.get(f"{API}/ratings/{rating.pk}/").json()

    assert (body["building"], body["room_number"], body["comment_hidden"]) == (
        rating.building_id,
        rating.room_number,
        True,
    )
    assert body["comment"] == "施工队老张电话13900000000"


def test_ratings_cannot_be_looked_up_by_household():
    operation = openapi_document()["paths"]["/api/v1/ratings/"]["get"]
    names = {parameter["name"] for parameter in operation["parameters"]}

    assert {"community", "item", "subject", "district", "year"} <= names
    assert not names & {"building", "entrance_unit", "room_number"}
    assert api_client().get(f"{API}/ratings/", {"ordering": "room_number"}).status_code == 400


def test_the_mini_program_cannot_change_a_rating():
    rating = make_rating()

    response = mini_program().patch(f"{API}/ratings/{rating.pk}/", {"work_score": 1}, format="json")

    assert response.status_code == 403


# --- Satisfaction figures ---------------------------------------------------------------------


@pytest.fixture
def rated():
    taishan = make_district(code="370902", name="泰山区")
    daiyue = make_district(code="370911", name="岱岳区")
    leyuan = make_completed_community(district=taishan, name="乐园小区")
    tianping = make_completed_community(district=daiyue, name="天平花园")
    pipes = make_finished_item(community=leyuan, title="供水管网", contractor="甲建设")
    for scores in [(5, 5, 5), (4, 4, 3), (2, 3, 1)]:
        make_rating(community=leyuan, scores=scores)
    make_rating(item=pipes, scores=(4, 5, 4))
    make_rating(community=tianping, scores=(3, 3, 4))
    return {"leyuan": leyuan, "tianping": tianping, "pipes": pipes}


def test_the_satisfaction_figures_match_the_hand_computed_ones(rated, django_assert_num_queries):
    client = api_client()

    # overall, by district, by year, communities ranked, contractors ranked, unranked count
    with django_assert_num_queries(6):
        response = client.get(f"{API}/stats/satisfaction/", {"min_ratings": 2})

    body = response.json()
    # sums 15, 11, 6, 13, 10 = 55 of 15 scores; satisfied: 15 and 13
    assert {
        k: body["overall"][k] for k in ("ratings", "satisfied", "average", "share_satisfied")
    } == {
        "ratings": 5,
        "satisfied": 2,
        "average": "3.67",
        "share_satisfied": "40.0",
    }
    # 乐园小区: 15 11 6 13 = 45 / 12; 天平花园 has one rating: not ranked at 2
    assert [
        (row["rank"], row["name"], row["average"], row["ratings"]) for row in body["communities"]
    ] == [(1, "乐园小区", "3.75", 4)]
    assert body["communities"][0]["site_url"].endswith(f"/communities/{rated['leyuan'].pk}/")
    assert body["unranked_communities"] == 1
    assert body["contractors"] == []
    assert [row["district"] for row in body["by_district"]] == ["370902", "370911"]
    assert body["by_item"] is None
    assert_matches_schema(body, "/api/v1/stats/satisfaction/")


def test_the_satisfaction_figures_of_one_community_include_its_items(rated):
    response = api_client().get(
        f"{API}/stats/satisfaction/", {"community": rated["leyuan"].pk, "min_ratings": 1}
    )

    body = response.json()
    assert body["overall"]["ratings"] == 4
    assert [(row["title"], row["contractor"], row["average"]) for row in body["by_item"]] == [
        ("供水管网", "甲建设", "4.33")
    ]
    assert [(row["contractor"], row["items"]) for row in body["contractors"]] == [("甲建设", 1)]
    assert_matches_schema(body, "/api/v1/stats/satisfaction/")


def test_the_satisfaction_figures_filter_by_district_and_refuse_unknown_ones(rated):
    client = api_client()

    daiyue = client.get(f"{API}/stats/satisfaction/", {"district": "370911"}).json()

    assert (daiyue["district"], daiyue["overall"]["ratings"], daiyue["overall"]["average"]) == (
        "370911",
        1,
        "3.33",
    )
    assert client.get(f"{API}/stats/satisfaction/", {"district": "999999"}).status_code == 400
    assert client.get(f"{API}/stats/satisfaction/", {"min_ratings": 0}).status_code == 400


def test_the_satisfaction_figures_without_ratings_are_empty_not_zero():
    body = api_client().get(f"{API}/stats/satisfaction/").json()

    assert (body["overall"]["ratings"], body["overall"]["average"]) == (0, None)
    assert body["min_ratings"] == 10
    assert_matches_schema(body, "/api/v1/stats/satisfaction/")


def test_the_api_root_lists_the_new_resources():
    root = api_client().get(f"{API}/").json()

    assert {"proposals", "design-plans", "ratings", "stats/satisfaction"} <= set(root)
    assert root["stats/satisfaction"].endswith("/api/v1/stats/satisfaction/")


def test_a_notice_running_today_is_open_for_comments():
    today = date.today()
    plan = make_plan(status=DesignPlanStatus.NOTICE, notice_start=today, notice_end=today)

    body = api_client().get(f"{API}/design-plans/{plan.pk}/").json()

    assert body["notice_state"] == "open"
