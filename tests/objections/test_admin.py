"""Objections in the admin: listed on the notice's page, published or hidden from the list,
answered on their own page; the approval (the plan's action, the retrofit's stage move) refuses
while any objection is unanswered."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from communities.access.choices import Role
from communities.core.clock import today
from communities.elevators.choices import ElevatorStage
from communities.works.choices import DesignPlanStatus, ObjectionStatus
from communities.works.objections import unanswered_objections_message
from tests.conftest import _admin_form_data
from tests.support.factories import make_building, make_community, make_district
from tests.support.objections import (
    make_elevator_objection,
    make_plan_objection,
    plan_notice_ended,
    retrofit_notice_ended,
)
from tests.support.roles import grant

pytestmark = pytest.mark.django_db


def unanswered(count: int) -> str:
    """The refusal as the admin shows it (in the site's default language)."""
    with translation.override("zh-hans"):
        return unanswered_objections_message(count)


def admin_url(view: str, *args) -> str:
    return reverse(f"admin:communities_{view}", args=args)


@pytest.fixture
def community():
    return make_community(district=make_district(code="370902", name="泰山区"), name="牡丹花园")


@pytest.fixture
def clerk(community) -> Client:
    user = get_user_model().objects.create_user("taishan-clerk", password="pw-clerk-9x!")
    grant(user.username, Role.DISTRICT_STAFF, "--district", community.district.code)
    client = Client()
    client.force_login(user)
    return client


def _answer(client, model: str, objection, text: str):
    url = admin_url(f"{model}_change", objection.pk)
    data = _admin_form_data(client.get(url))
    data["answer"] = text
    return client.post(url, data)


def test_an_objection_blocks_the_retrofits_approval_in_the_admin_until_answered(community, clerk):
    retrofit = retrofit_notice_ended(building=make_building(community=community))
    objection = make_elevator_objection(retrofit=retrofit)
    page = clerk.get(admin_url("elevatorretrofit_change", retrofit.pk))
    assert objection.text in page.content.decode()  # listed on the retrofit's page

    stage_url = admin_url("elevatorretrofit_stage", retrofit.pk)
    move = {"to_stage": ElevatorStage.APPROVAL, "on": today().isoformat(), "note": ""}
    refused = clerk.post(stage_url, move)
    assert refused.status_code == 200
    assert refused.context["form"].non_field_errors() == [unanswered(1)]
    retrofit.refresh_from_db()
    assert retrofit.stage == ElevatorStage.PUBLIC_NOTICE

    assert _answer(clerk, "elevatorobjection", objection, "井道在北侧。").status_code == 302
    objection.refresh_from_db()
    assert objection.answered_on == today() and objection.answer == "井道在北侧。"
    assert clerk.post(stage_url, move).status_code == 302
    retrofit.refresh_from_db()
    assert retrofit.stage == ElevatorStage.APPROVAL


def test_an_objection_blocks_the_plans_approval_in_the_admin_until_answered(community, clerk):
    plan = plan_notice_ended(community=community)
    objection = make_plan_objection(plan=plan)
    approve = {
        "action": "approve_selected",
        "_selected_action": [plan.pk],
        "reference": "泰建批1号",
    }
    response = clerk.post(admin_url("designplan_changelist"), approve, follow=True)
    assert any(unanswered(1) in str(m) for m in response.context["messages"])
    plan.refresh_from_db()
    assert plan.status == DesignPlanStatus.NOTICE

    assert _answer(clerk, "designplanobjection", objection, "已调整。").status_code == 302
    clerk.post(admin_url("designplan_changelist"), approve)
    plan.refresh_from_db()
    assert plan.status == DesignPlanStatus.APPROVED


def test_hiding_from_the_list_needs_a_reason(community, clerk):
    objection = make_elevator_objection(
        retrofit=retrofit_notice_ended(building=make_building(community=community))
    )
    url = admin_url("elevatorobjection_changelist")
    hide = {"action": "hide_selected", "_selected_action": [objection.pk], "reason": ""}
    clerk.post(url, hide)
    objection.refresh_from_db()
    assert objection.status == ObjectionStatus.PENDING
    clerk.post(url, {**hide, "reason": "广告"})
    objection.refresh_from_db()
    assert objection.status == ObjectionStatus.HIDDEN
    clerk.post(url, {**hide, "action": "publish_selected"})
    objection.refresh_from_db()
    assert objection.status == ObjectionStatus.PUBLISHED and objection.moderation_reason == ""


def test_staff_cannot_add_delete_or_rewrite_an_objection(community, clerk):
    objection = make_elevator_objection(
        retrofit=retrofit_notice_ended(building=make_building(community=community))
    )
    assert clerk.get(admin_url("elevatorobjection_add")).status_code == 403
    assert clerk.post(admin_url("elevatorobjection_delete", objection.pk)).status_code == 403
    url = admin_url("elevatorobjection_change", objection.pk)
    data = _admin_form_data(clerk.get(url))
    clerk.post(url, {**data, "text": "改写", "phone": "13800000000", "status": "published"})
    objection.refresh_from_db()
    assert objection.text != "改写" and objection.status == ObjectionStatus.PENDING


def test_the_objection_changelist_runs_the_same_queries_for_few_and_many_rows(community, clerk):
    retrofit = retrofit_notice_ended(building=make_building(community=community))
    make_elevator_objection(retrofit=retrofit)
    url = admin_url("elevatorobjection_changelist")
    clerk.get(url)
    with CaptureQueriesContext(connection) as few:
        clerk.get(url)
    for _ in range(4):
        make_elevator_objection(retrofit=retrofit)
    with CaptureQueriesContext(connection) as many:
        assert clerk.get(url).status_code == 200
    assert len(many) == len(few)
