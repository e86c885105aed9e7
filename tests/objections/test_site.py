"""The public notice pages: residents file from a phone while the notice runs, read published
objections with their answers, and never see anyone's name, room or phone."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.throttling import SimpleRateThrottle

from communities.core.clock import today
from communities.elevators.objection_models import ElevatorObjection
from communities.works.choices import ObjectionStatus
from communities.works.models.objections import DesignPlanObjection
from communities.works.objections import objection_answer, objection_moderate
from tests.support.factories import make_building, make_community
from tests.support.objections import (
    FILER,
    add_household,
    make_elevator_objection,
    plan_notice_ended,
    plan_under_notice,
    retrofit_notice_ended,
    retrofit_under_notice,
)

pytestmark = pytest.mark.django_db


def notice_url(retrofit) -> str:
    return reverse("site:elevator-notice", args=[retrofit.pk])


def test_a_resident_files_and_gets_a_confirmation():
    retrofit = retrofit_under_notice()
    client = Client()
    page = client.get(notice_url(retrofit))
    assert page.status_code == 200
    assert 'type="tel"' in page.content.decode()
    response = client.post(notice_url(retrofit), FILER)
    filed = reverse("site:elevator-notice-filed", args=[retrofit.pk])
    assert response.status_code == 302 and response["Location"] == filed
    assert client.get(filed).status_code == 200
    objection = ElevatorObjection.objects.get()
    assert objection.status == ObjectionStatus.PENDING and objection.phone == FILER["phone"]


def test_the_community_page_links_to_the_notice():
    retrofit = retrofit_under_notice()
    page = Client().get(retrofit.building.community.get_absolute_url())
    assert notice_url(retrofit) in page.content.decode()


def test_a_plan_objection_names_a_building_of_the_community():
    plan = plan_under_notice()
    ours = make_building(community=plan.community, label="5号楼")
    theirs = make_building(community=make_community(name="别的小区"), label="9号楼")
    url = reverse("site:plan-notice", args=[plan.pk])
    refused = Client().post(url, {**FILER, "building": theirs.pk})
    assert refused.status_code == 400
    assert DesignPlanObjection.objects.count() == 0
    assert Client().post(url, {**FILER, "building": ours.pk}).status_code == 302
    assert DesignPlanObjection.objects.get().building == ours


def test_filing_after_the_notice_is_refused_and_the_form_is_gone():
    retrofit = retrofit_notice_ended()
    page = Client().get(notice_url(retrofit))
    assert page.status_code == 200 and "objection-form" not in page.content.decode()
    assert Client().post(notice_url(retrofit), FILER).status_code == 409
    plan = plan_notice_ended()
    url = reverse("site:plan-notice", args=[plan.pk])
    assert Client().post(url, FILER).status_code == 409
    assert ElevatorObjection.objects.count() == DesignPlanObjection.objects.count() == 0


def test_a_room_outside_the_unit_is_refused():
    retrofit = retrofit_under_notice()
    add_household(retrofit, "101")
    response = Client().post(notice_url(retrofit), {**FILER, "room": "999"})
    assert response.status_code == 400
    assert response.context["form"].errors["room"]
    assert ElevatorObjection.objects.count() == 0


def test_the_honeypot_is_thanked_and_dropped():
    retrofit = retrofit_under_notice()
    response = Client().post(notice_url(retrofit), {**FILER, "website": "http://spam.example"})
    assert response.status_code == 302
    assert ElevatorObjection.objects.count() == 0


def test_filing_is_throttled_per_address(monkeypatch):
    monkeypatch.setattr(
        SimpleRateThrottle,
        "THROTTLE_RATES",
        {**SimpleRateThrottle.THROTTLE_RATES, "objection_file": "2/hour"},
    )
    retrofit = retrofit_under_notice()
    client = Client(REMOTE_ADDR="10.9.9.9")
    codes = [client.post(notice_url(retrofit), FILER).status_code for _ in range(3)]
    assert codes == [302, 302, 429]
    assert ElevatorObjection.objects.count() == 2
    assert Client(REMOTE_ADDR="10.9.9.10").post(notice_url(retrofit), FILER).status_code == 302


def test_a_retrofit_before_its_notice_has_no_page():
    retrofit = retrofit_under_notice(stage="design", notice_on=None)
    assert Client().get(notice_url(retrofit)).status_code == 404


def test_only_published_text_is_shown_with_its_answer_and_never_the_filers_details(
    django_assert_num_queries,
):
    retrofit = retrofit_under_notice()
    pending = make_elevator_objection(retrofit=retrofit, text="还在审核中的异议")
    published = make_elevator_objection(
        retrofit=retrofit, text="电话13912345678找李异议", room="602", phone="13700002222"
    )
    objection_moderate(objection=published, publish=True)
    objection_answer(objection=published, answer="已答复：井道北移。")
    hidden = make_elevator_objection(retrofit=retrofit, text="广告内容")
    objection_moderate(objection=hidden, publish=False, reason="广告")
    for _ in range(3):
        extra = make_elevator_objection(retrofit=retrofit, text="同样的意见")
        objection_moderate(objection=extra, publish=True)

    client = Client()
    # 1. the retrofit with its building and community, 2. the published objections
    with django_assert_num_queries(2):
        page = client.get(notice_url(retrofit))
    html = page.content.decode()
    assert "已答复：井道北移。" in html
    assert pending.text not in html and "广告内容" not in html
    for private in ("李异议", "13912345678", "13700002222", "602", FILER["phone"]):
        assert private not in html
    assert html.count('class="objection"') == 4


def test_the_page_of_a_notice_ended_still_publishes_the_answers():
    retrofit = retrofit_under_notice(notice_on=today() - timedelta(days=40))
    objection = make_elevator_objection(retrofit=retrofit, text="楼下噪音")
    objection_moderate(objection=objection, publish=True)
    objection_answer(objection=objection, answer="已加装隔音。")
    html = Client().get(notice_url(retrofit)).content.decode()
    assert "楼下噪音" in html and "已加装隔音。" in html
