"""/api/v1/service-requests/: who sees what (never a name or phone for the public), filing,
each lifecycle move and its guard as HTTP, the measures; /api/v1/property-management/."""

from datetime import date, timedelta

import pytest
from django.contrib.auth.models import Permission
from django.test import Client

from communities.repairs.models import RepairRequest
from tests.support.factories import make_community, make_service
from tests.support.repairs import (
    SECRET_NAME,
    SECRET_PHONE,
    make_image,
    make_inspector,
    make_request,
)

URL = "/api/v1/service-requests/"

PUBLIC_FIELDS = {
    "id",
    "url",
    "community",
    "community_name",
    "district",
    "building",
    "building_label",
    "entrance_unit",
    "category",
    "category_display",
    "is_emergency",
    "description",
    "photo",
    "photo_url",
    "source",
    "source_display",
    "latitude",
    "longitude",
    "status",
    "status_display",
    "submitted_at",
    "deadline_at",
    "is_overdue",
    "dispatched_at",
    "resolved_at",
    "closed_at",
    "handler_kind",
    "handler_kind_display",
    "handler_name",
    "resolution",
    "reject_reason",
    "rating",
    "reopen_count",
    "updated_at",
}


@pytest.fixture
def community(db):
    community = make_community()
    make_service(community=community, provider_name="泰安红心物业有限公司")
    return community


@pytest.fixture
def member_client(django_user_model) -> Client:
    """Signed in, but not staff: reads like the public."""
    user = django_user_model.objects.create_user("resident", password="pw-resident-9x!")
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def clerk_client(django_user_model) -> Client:
    """Staff who may read but not move requests."""
    user = django_user_model.objects.create_user("clerk", password="pw-clerk-9x!", is_staff=True)
    client = Client()
    client.force_login(user)
    return client


def _post(client, url, data=None):
    return client.post(url, data or {}, content_type="application/json")


def _assert_nothing_personal(response) -> None:
    body = response.content.decode()
    assert SECRET_NAME not in body
    assert SECRET_PHONE not in body


# --- Who sees what ----------------------------------------------------------------------------


def test_the_public_sees_only_public_requests_and_no_personal_field(anonymous_client, community):
    shown = make_request(
        community=community,
        state="closed",
        is_public=True,
        description=f"{SECRET_NAME}反映楼道漏水，电话{SECRET_PHONE}",
    )
    make_request(community=community)

    response = anonymous_client.get(URL)

    assert response.status_code == 200
    (row,) = response.json()["results"]
    assert row["id"] == shown.pk
    assert set(row) == PUBLIC_FIELDS
    assert row["description"] == "***反映楼道漏水，电话***********"
    _assert_nothing_personal(response)


def test_the_public_detail_has_no_personal_data_and_no_timeline(anonymous_client, community):
    request = make_request(community=community, state="resolved", is_public=True)

    response = anonymous_client.get(f"{URL}{request.pk}/")

    assert response.status_code == 200
    assert set(response.json()) == PUBLIC_FIELDS
    _assert_nothing_personal(response)


def test_a_request_not_made_public_is_not_found_by_the_public(
    anonymous_client, member_client, community
):
    hidden = make_request(community=community)
    assert anonymous_client.get(f"{URL}{hidden.pk}/").status_code == 404
    assert member_client.get(f"{URL}{hidden.pk}/").status_code == 404
    assert member_client.get(URL).json()["count"] == 0


def test_the_stats_and_filters_leak_nothing_personal_either(anonymous_client, community):
    make_request(community=community, is_public=True)
    for url in [f"{URL}stats/", f"{URL}?status=submitted", "/api/v1/property-management/"]:
        response = anonymous_client.get(url)
        assert response.status_code == 200
        _assert_nothing_personal(response)


def test_staff_see_every_request_with_the_reporter(staff_client, community):
    make_request(community=community)

    (row,) = staff_client.get(URL).json()["results"]

    assert (row["reporter_name"], row["reporter_phone"]) == (SECRET_NAME, SECRET_PHONE)
    assert row["allowed_moves"] == ["dispatch", "reject"]
    assert "timeline" not in row


def test_staff_see_the_timeline_in_order(staff_client, community):
    request = make_request(community=community, state="closed")

    data = staff_client.get(f"{URL}{request.pk}/").json()

    assert [entry["action"] for entry in data["timeline"]] == [
        "submit",
        "dispatch",
        "start",
        "resolve",
        "rate",
    ]
    assert data["timeline"][1]["from_status"] == "submitted"
    assert data["timeline"][1]["to_status"] == "dispatched"


def test_the_staff_list_costs_the_same_queries_however_long(
    staff_client, community, django_assert_num_queries
):
    for _ in range(3):
        make_request(community=community, state="dispatched")
    # session, user, count, the page of requests with community, district, building and
    # grid inspector joined in.
    with django_assert_num_queries(4):
        response = staff_client.get(URL)
    assert response.json()["count"] == 3


# --- Filing -----------------------------------------------------------------------------------


def test_staff_file_a_request(staff_client, community):
    response = _post(
        staff_client,
        URL,
        {
            "community": community.pk,
            "category": "elevator",
            "description": "2单元电梯停运",
            "source": "hotline_12345",
            "reporter_name": SECRET_NAME,
            "reporter_phone": SECRET_PHONE,
        },
    )

    assert response.status_code == 201
    data = response.json()
    assert data["status"] == "submitted"
    assert [entry["action"] for entry in data["timeline"]] == ["submit"]
    assert data["timeline"][0]["actor_label"] == "city-admin"
    saved = RepairRequest.objects.get(pk=data["id"])
    assert saved.deadline_at - saved.submitted_at == timedelta(hours=24)


def test_filing_reports_what_is_missing(staff_client, community):
    response = _post(staff_client, URL, {"community": community.pk, "category": "plumbing"})
    assert response.status_code == 400
    assert "description" in response.json()


def test_a_patrol_report_from_someone_not_patrolling_is_a_400(staff_client, community):
    response = _post(
        staff_client,
        URL,
        {
            "community": community.pk,
            "category": "sanitation",
            "description": "垃圾未清运",
            "source": "grid_patrol",
        },
    )
    assert response.status_code == 400
    assert "grid_inspector" in response.json()


def test_a_grid_inspector_files_a_patrol_report(django_user_model, community):
    inspector = make_inspector(django_user_model, community)
    inspector.user_permissions.add(Permission.objects.get(codename="add_repairrequest"))
    client = Client()
    client.force_login(inspector)

    response = _post(
        client,
        URL,
        {
            "community": community.pk,
            "category": "sanitation",
            "description": "垃圾未清运",
            "source": "grid_patrol",
        },
    )

    assert response.status_code == 201
    assert response.json()["grid_inspector_username"] == "grid-1"


def test_the_public_cannot_file_or_move(anonymous_client, member_client, clerk_client, community):
    request = make_request(community=community, is_public=True)
    data = {"community": community.pk, "category": "plumbing", "description": "x"}

    assert _post(anonymous_client, URL, data).status_code == 401
    assert _post(member_client, URL, data).status_code == 403
    assert _post(clerk_client, URL, data).status_code == 403
    for client in (anonymous_client, member_client, clerk_client):
        assert _post(client, f"{URL}{request.pk}/dispatch/").status_code in {401, 403}
    request.refresh_from_db()
    assert request.status == "submitted"


def test_there_is_no_editing_or_deleting_through_the_api(staff_client, community):
    request = make_request(community=community)
    assert (
        staff_client.patch(f"{URL}{request.pk}/", {}, content_type="application/json").status_code
        == 405
    )
    assert staff_client.delete(f"{URL}{request.pk}/").status_code == 405


# --- The lifecycle ----------------------------------------------------------------------------


def test_each_move_through_the_api(staff_client, community):
    request = make_request(community=community)
    base = f"{URL}{request.pk}"

    dispatched = _post(staff_client, f"{base}/dispatch/", {"note": "转物业"}).json()
    assert (dispatched["status"], dispatched["handler_name"]) == (
        "dispatched",
        "泰安红心物业有限公司",
    )
    assert _post(staff_client, f"{base}/start/").json()["status"] == "in_progress"
    resolved = _post(staff_client, f"{base}/resolve/", {"resolution": "更换阀门"}).json()
    assert (resolved["status"], resolved["resolution"]) == ("resolved", "更换阀门")
    reopened = _post(staff_client, f"{base}/reopen/", {"reason": "还在漏"}).json()
    assert (reopened["status"], reopened["reopen_count"]) == ("dispatched", 1)
    _post(staff_client, f"{base}/start/")
    _post(staff_client, f"{base}/resolve/", {"resolution": "整段换管"})
    closed = _post(staff_client, f"{base}/rate/", {"rating": 4, "comment": "满意"}).json()
    assert (closed["status"], closed["rating"], closed["rating_comment"]) == ("closed", 4, "满意")
    assert [e["action"] for e in closed["timeline"]] == [
        "submit",
        "dispatch",
        "start",
        "resolve",
        "reopen",
        "start",
        "resolve",
        "rate",
    ]


def test_rejecting_through_the_api(staff_client, community):
    request = make_request(community=community)
    response = _post(staff_client, f"{URL}{request.pk}/reject/", {"reason": "户内设施"})
    assert (response.status_code, response.json()["status"]) == (200, "rejected")


def test_a_move_the_status_does_not_allow_is_a_409(staff_client, community):
    request = make_request(community=community, state="closed")

    response = staff_client.post(
        f"{URL}{request.pk}/dispatch/",
        {},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 409
    assert response.json() == {"detail": "A request that is “Closed” cannot be dispatched."}


@pytest.mark.parametrize(
    ("state", "move", "data", "field"),
    [
        ("in_progress", "resolve", {}, "resolution"),
        ("in_progress", "resolve", {"resolution": "  "}, "resolution"),
        ("resolved", "rate", {"rating": 6}, "rating"),
        ("resolved", "reopen", {}, "reason"),
        ("submitted", "reject", {}, "reason"),
        ("submitted", "publish", {}, "is_public"),
    ],
)
def test_a_move_without_what_it_needs_is_a_400(staff_client, community, state, move, data, field):
    request = make_request(community=community, state=state)
    response = _post(staff_client, f"{URL}{request.pk}/{move}/", data)
    assert response.status_code == 400
    assert field in response.json()


def test_auto_close_through_the_api_waits_for_the_set_days(staff_client, community):
    from django.utils import timezone

    recent = make_request(
        community=community, state="resolved", start=timezone.now() - timedelta(days=1)
    )
    old = make_request(community=community, state="resolved")

    assert _post(staff_client, f"{URL}{recent.pk}/auto-close/").status_code == 400
    response = _post(staff_client, f"{URL}{old.pk}/auto-close/")
    assert (response.status_code, response.json()["closed_by"]) == (200, "timeout")


def test_publishing_makes_it_visible_to_the_public(staff_client, anonymous_client, community):
    request = make_request(community=community)
    assert (
        _post(staff_client, f"{URL}{request.pk}/publish/", {"is_public": True}).status_code == 200
    )
    assert anonymous_client.get(f"{URL}{request.pk}/").status_code == 200


# --- Filters ----------------------------------------------------------------------------------


def test_the_overdue_filter(staff_client, community):
    late = make_request(community=community, state="dispatched")
    make_request(community=community, state="closed")

    overdue = staff_client.get(URL, {"overdue": "true"}).json()["results"]
    assert [row["id"] for row in overdue] == [late.pk]
    assert overdue[0]["is_overdue"] is True
    assert staff_client.get(URL, {"overdue": "false"}).json()["count"] == 1


def test_the_status_category_and_district_filters(staff_client, community):
    make_request(community=community, state="closed")
    make_request(community=community, category="elevator")
    elsewhere = make_request()

    assert staff_client.get(URL, {"status": "closed"}).json()["count"] == 1
    assert staff_client.get(URL, {"status": ["closed", "submitted"]}).json()["count"] == 3
    assert staff_client.get(URL, {"category": "elevator"}).json()["count"] == 1
    district = elsewhere.community.district.code
    assert [r["id"] for r in staff_client.get(URL, {"district": district}).json()["results"]] == [
        elsewhere.pk
    ]


@pytest.mark.parametrize(
    "params",
    [
        {"status": "pending"},
        {"overdue": "maybe"},
        {"community": "x"},
        {"ordering": "reporter_phone"},
    ],
)
def test_a_malformed_filter_is_a_400(staff_client, db, params):
    assert staff_client.get(URL, params).status_code == 400


# --- Measures ---------------------------------------------------------------------------------


def test_the_stats_give_the_measures_to_anyone(anonymous_client, community):
    make_request(
        community=community, state="closed", hours={"dispatch": 2, "resolve": 12}, rating=4
    )
    make_request(
        community=community,
        state="closed",
        hours={"dispatch": 4, "start": 5, "resolve": 80, "close": 90},
        rating=2,
    )
    make_request(community=community, state="dispatched", hours={"dispatch": 3})

    data = anonymous_client.get(f"{URL}stats/").json()

    assert data["total"] == 3
    assert data["by_status"]["closed"] == 2
    overall = data["overall"]
    assert overall["median_hours_to_dispatch"] == 3.0
    assert overall["median_hours_to_resolve"] == 46.0
    assert overall["share_resolved_within_deadline"] == 0.5
    assert overall["average_rating"] == 3.0
    assert [row["month"] for row in data["by_month"]] == ["2025-06"]
    assert data["by_community"][0]["community"] == community.pk
    assert data["by_handler"][0]["handler_name"] == "泰安红心物业有限公司"
    assert data["by_district"][0]["district"] == community.district.code


def test_the_stats_narrow_by_district_and_dates(anonymous_client, community):
    make_request(community=community)
    other = make_request()
    code = other.community.district.code

    assert anonymous_client.get(f"{URL}stats/", {"district": code}).json()["total"] == 1
    assert anonymous_client.get(f"{URL}stats/", {"since": "2025-07-01"}).json()["total"] == 0


@pytest.mark.parametrize(
    "params",
    [{"district": "999999"}, {"since": "June"}, {"since": "2025-07-01", "until": "2025-06-01"}],
)
def test_malformed_stats_parameters_are_a_400(anonymous_client, db, params):
    assert anonymous_client.get(f"{URL}stats/", params).status_code == 400


def test_the_stats_cost_a_fixed_number_of_queries(
    anonymous_client, community, django_assert_num_queries
):
    make_request(community=community, state="closed")
    make_request(community=community, state="dispatched")
    # The measures' 17, and a count of the requests that stops at the city-wide cap.
    with django_assert_num_queries(18):
        anonymous_client.get(f"{URL}stats/")


# --- Property management ----------------------------------------------------------------------


def test_the_property_management_view(anonymous_client, community):
    ending = make_service(contract_start=date(2024, 1, 1), contract_end=date(2025, 7, 15))
    make_community(district=community.district)

    data = anonymous_client.get(
        "/api/v1/property-management/",
        {"on": "2025-06-01", "district": community.district.code},
    ).json()

    modes = {row["mode"]: row["communities"] for row in data["modes"]}
    assert modes == {"professional": 1, "fallback": 0, "self_managed": 0, "none": 1}
    assert data["on"] == "2025-06-01"
    everywhere = anonymous_client.get("/api/v1/property-management/", {"on": "2025-06-01"}).json()
    (reminder,) = everywhere["renewal_reminders"]
    assert (reminder["id"], reminder["days_left"]) == (ending.pk, 44)


def test_the_renewal_window_can_be_widened(anonymous_client, db):
    make_service(contract_start=date(2024, 1, 1), contract_end=date(2025, 9, 1))
    url = "/api/v1/property-management/"
    assert anonymous_client.get(url, {"on": "2025-06-01"}).json()["renewal_reminders"] == []
    wide = anonymous_client.get(url, {"on": "2025-06-01", "days": 120}).json()
    assert len(wide["renewal_reminders"]) == 1
    assert anonymous_client.get(url, {"days": 0}).status_code == 400


# --- Photos -----------------------------------------------------------------------------------


def test_a_photo_is_uploaded_with_the_request_and_shown_to_the_public(
    staff_client, anonymous_client, community, settings, tmp_path
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    photo = SimpleUploadedFile("楼道.png", make_image("PNG"), "image/png")

    response = staff_client.post(
        URL,
        {
            "community": community.pk,
            "category": "roof_leak",
            "description": "顶楼漏雨",
            "photo": photo,
            "is_public": True,
        },
    )

    assert response.status_code == 201
    saved = RepairRequest.objects.get()
    assert saved.photo.name.startswith("repair-photos/") and saved.photo.name.endswith(".png")
    assert "楼道" not in saved.photo.name  # the resident's file name is not kept
    public = anonymous_client.get(f"{URL}{saved.pk}/").json()
    assert public["photo"].startswith("http://testserver/media/repair-photos/")


def test_a_file_that_is_not_a_photo_is_refused(staff_client, community, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    response = staff_client.post(
        URL,
        {
            "community": community.pk,
            "category": "roof_leak",
            "description": "顶楼漏雨",
            "photo": SimpleUploadedFile("x.png", b"#!/bin/sh\necho hi\n", "image/png"),
        },
    )
    assert response.status_code == 400
    assert "photo" in response.json()
    assert not RepairRequest.objects.exists()


def test_staff_file_a_patrol_report_on_an_inspectors_behalf(
    staff_client, community, django_user_model
):
    inspector = make_inspector(django_user_model, community)
    response = _post(
        staff_client,
        URL,
        {
            "community": community.pk,
            "category": "security",
            "description": "单元门禁损坏",
            "source": "grid_patrol",
            "grid_inspector": inspector.pk,
        },
    )
    assert response.status_code == 201
    assert response.json()["grid_inspector_username"] == "grid-1"
    assert response.json()["timeline"][0]["actor_label"] == "city-admin"


def test_closing_by_hand_records_who_did_it(staff_client, community):
    request = make_request(community=community, state="resolved")
    data = _post(staff_client, f"{URL}{request.pk}/auto-close/").json()
    assert data["timeline"][-1]["actor_label"] == "city-admin"
