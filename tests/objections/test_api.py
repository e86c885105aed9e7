"""Objections over the API: anyone files during the notice, the public reads published ones
with their answers and never the filer's details, the district's staff moderate and answer, and
the approval (``advance`` / ``approve``) answers 409 until every objection is answered."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import translation
from rest_framework.throttling import SimpleRateThrottle

from communities.access.choices import Role
from communities.core.clock import today
from communities.elevators.choices import ElevatorStage
from communities.elevators.objection_models import ElevatorObjection
from communities.works.choices import DesignPlanStatus, ObjectionStatus
from communities.works.models.objections import DesignPlanObjection
from communities.works.objections import unanswered_objections_message
from tests.support.api import API, api_client
from tests.support.factories import make_building, make_community, make_district
from tests.support.objections import (
    FILER,
    add_household,
    make_elevator_objection,
    make_plan_objection,
    plan_notice_ended,
    plan_under_notice,
    retrofit_notice_ended,
    retrofit_under_notice,
)
from tests.support.roles import grant

pytestmark = pytest.mark.django_db

ELEVATOR = f"{API}/elevator-objections/"
PLAN = f"{API}/design-plan-objections/"
PERSONAL = {"name", "room", "phone", "moderation_reason", "moderated_at"}


@pytest.fixture
def taishan():
    return make_district(code="370902", name="泰山区")


@pytest.fixture
def clerk(taishan):
    user = get_user_model().objects.create_user("taishan-clerk", password="pw-clerk-9x!")
    grant(user.username, Role.DISTRICT_STAFF, "--district", taishan.code)
    user.refresh_from_db()
    return api_client(user)


@pytest.fixture
def community(taishan):
    return make_community(district=taishan, name="牡丹花园")


def _retrofit(community, **fields):
    return retrofit_under_notice(building=make_building(community=community), **fields)


# --- Filing -----------------------------------------------------------------------------------


def test_anyone_files_an_objection_during_the_notice(community):
    retrofit = _retrofit(community)
    response = api_client().post(ELEVATOR, {"retrofit": retrofit.pk, **FILER}, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == ObjectionStatus.PENDING
    assert not PERSONAL & set(body)  # not even echoed to an anonymous caller
    objection = ElevatorObjection.objects.get()
    assert (objection.name, objection.phone) == (FILER["name"], FILER["phone"])


def test_filing_outside_the_notice_is_refused_with_409(community):
    retrofit = _retrofit(community, notice_on=today() - timedelta(days=30))
    response = api_client().post(ELEVATOR, {"retrofit": retrofit.pk, **FILER}, format="json")
    assert response.status_code == 409
    assert ElevatorObjection.objects.count() == 0


def test_a_room_outside_the_unit_is_refused_with_400(community):
    retrofit = _retrofit(community)
    add_household(retrofit, "101")
    response = api_client().post(
        ELEVATOR, {"retrofit": retrofit.pk, **FILER, "room": "9901"}, format="json"
    )
    assert response.status_code == 400
    assert "room" in response.json()
    assert ElevatorObjection.objects.count() == 0


def test_a_building_of_another_community_is_refused_for_a_plan(community):
    plan = plan_under_notice(community=community)
    elsewhere = make_building(community=make_community(name="别的小区"))
    response = api_client().post(
        PLAN, {"plan": plan.pk, "building": elsewhere.pk, **FILER}, format="json"
    )
    assert response.status_code == 400
    assert "building" in response.json()
    assert DesignPlanObjection.objects.count() == 0


def test_filing_is_throttled_per_address(community, monkeypatch):
    monkeypatch.setattr(
        SimpleRateThrottle,
        "THROTTLE_RATES",
        {**SimpleRateThrottle.THROTTLE_RATES, "objection_file": "2/hour"},
    )
    retrofit = _retrofit(community)
    client = api_client()
    codes = [
        client.post(ELEVATOR, {"retrofit": retrofit.pk, **FILER}, format="json").status_code
        for _ in range(3)
    ]
    assert codes == [201, 201, 429]
    assert (
        api_client().post(ELEVATOR, {"retrofit": retrofit.pk, **FILER}, format="json").status_code
        == 201
    )


def test_odd_input_is_a_400_not_a_500(community):
    retrofit = _retrofit(community)
    for payload in (
        {"retrofit": "99999999999999999999", **FILER},
        {"retrofit": retrofit.pk, **FILER, "text": "a\x00b"},
        {"retrofit": retrofit.pk, **FILER, "phone": {"nested": [1]}},
        {"retrofit": retrofit.pk, **FILER, "phone": "not a phone"},
    ):
        assert api_client().post(ELEVATOR, payload, format="json").status_code == 400
    assert ElevatorObjection.objects.count() == 0


# --- Reading ----------------------------------------------------------------------------------


def test_the_public_reads_only_published_objections_without_the_filers_details(community, clerk):
    retrofit = _retrofit(community)
    pending = make_elevator_objection(retrofit=retrofit, text="请联系我 13912345678 李异议")
    assert api_client().get(ELEVATOR).json()["results"] == []
    assert api_client().get(f"{ELEVATOR}{pending.pk}/").status_code == 404

    assert clerk.post(f"{ELEVATOR}{pending.pk}/moderate/", {"publish": True}).status_code == 200
    rows = api_client().get(ELEVATOR, {"retrofit": retrofit.pk}).json()["results"]
    assert [row["id"] for row in rows] == [pending.pk]
    assert not PERSONAL & set(rows[0])
    assert "13912345678" not in rows[0]["text"] and "李异议" not in rows[0]["text"]
    # The district's staff read the filer's details.
    staff_row = clerk.get(f"{ELEVATOR}{pending.pk}/").json()
    assert staff_row["phone"] == FILER["phone"] and staff_row["room"] == FILER["room"]


def test_staff_of_another_district_read_no_personal_data(community):
    objection = make_elevator_objection(retrofit=_retrofit(community))
    objection.status = ObjectionStatus.PUBLISHED
    objection.save()
    other = make_district(code="370911", name="岱岳区")
    user = get_user_model().objects.create_user("daiyue-clerk", password="pw-clerk-9x!")
    grant(user.username, Role.DISTRICT_STAFF, "--district", other.code)
    body = api_client(user).get(f"{ELEVATOR}{objection.pk}/").json()
    assert not PERSONAL & set(body)
    assert (
        api_client(user)
        .post(f"{ELEVATOR}{objection.pk}/answer/", {"answer": "越权答复"})
        .status_code
        == 404
    )


def test_hiding_needs_a_reason_and_keeps_the_text_private(community, clerk):
    objection = make_elevator_objection(retrofit=_retrofit(community))
    url = f"{ELEVATOR}{objection.pk}/moderate/"
    assert clerk.post(url, {"publish": False}).status_code == 400
    assert clerk.post(url, {"publish": False, "reason": "广告"}).status_code == 200
    assert api_client().get(ELEVATOR).json()["results"] == []


def test_the_public_list_runs_a_constant_number_of_queries(community, django_assert_num_queries):
    retrofit = _retrofit(community)
    for _ in range(5):
        objection = make_elevator_objection(retrofit=retrofit)
        objection.status = ObjectionStatus.PUBLISHED
        objection.save()
    client = api_client()
    # 1. the page's count, 2. the page's rows (no relation read per row).
    with django_assert_num_queries(2):
        response = client.get(ELEVATOR)
    assert len(response.json()["results"]) == 5


# --- Done when: an objection blocks approval until answered, through the API -------------------


def test_an_objection_blocks_the_retrofits_approval_until_answered(community, clerk):
    retrofit = retrofit_notice_ended(building=make_building(community=community))
    grant_user = get_user_model().objects.get(username="taishan-clerk")
    objection = make_elevator_objection(retrofit=retrofit)
    advance = f"{API}/elevator-retrofits/{retrofit.pk}/advance/"
    move = {"to_stage": ElevatorStage.APPROVAL, "on": today().isoformat()}

    refused = clerk.post(advance, move, format="json")
    assert refused.status_code == 409, refused.json()
    with translation.override("zh-hans"):
        assert unanswered_objections_message(1) in refused.json()["detail"]
    retrofit.refresh_from_db()
    assert retrofit.stage == ElevatorStage.PUBLIC_NOTICE

    answered = clerk.post(
        f"{ELEVATOR}{objection.pk}/answer/", {"answer": "井道设在北侧，不挡采光。"}, format="json"
    )
    assert answered.status_code == 200, answered.json()
    assert answered.json()["answered_on"] == today().isoformat()
    assert clerk.post(advance, move, format="json").status_code == 200
    retrofit.refresh_from_db()
    assert retrofit.stage == ElevatorStage.APPROVAL
    objection.refresh_from_db()
    assert objection.answered_by == grant_user


def test_an_objection_blocks_the_plans_approval_until_answered(community, clerk):
    plan = plan_notice_ended(community=community)
    objection = make_plan_objection(plan=plan)
    approve = f"{API}/design-plans/{plan.pk}/approve/"
    move = {"approved_on": today().isoformat()}

    refused = clerk.post(approve, move, format="json")
    assert refused.status_code == 409, refused.json()
    plan.refresh_from_db()
    assert plan.status == DesignPlanStatus.NOTICE

    clerk.post(f"{PLAN}{objection.pk}/answer/", {"answer": "已调整方案。"}, format="json")
    assert clerk.post(approve, move, format="json").status_code == 200
    plan.refresh_from_db()
    assert plan.status == DesignPlanStatus.APPROVED
    # The answer is published with the objection once it is published.
    clerk.post(f"{PLAN}{objection.pk}/moderate/", {"publish": True}, format="json")
    row = api_client().get(PLAN, {"plan": plan.pk}).json()["results"][0]
    assert row["answer"] == "已调整方案。" and "building" not in row
