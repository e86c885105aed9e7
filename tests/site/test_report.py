"""The public report form (/report/, /communities/<id>/report/): filing through the repairs
services, validation in Chinese, the honeypot, the throttles, the cap on open requests per
mobile number, "is it one of these?" within 50 m (not 60 m), me too, and no personal data on
any public page."""

from decimal import Decimal

import pytest
from rest_framework.throttling import SimpleRateThrottle

from communities.repairs.choices import RepairSource
from communities.repairs.models import RepairEvent, RepairPhoto, RepairRequest, RepairSupport
from tests.support.factories import make_building, make_community
from tests.support.repairs import SECRET_NAME, SECRET_PHONE, make_request
from tests.support.report import REPORTER_NAME, REPORTER_PHONE, photo, report_data

LAT, LNG = Decimal("36.190000"), Decimal("117.120000")
# 0.00045° of latitude is 50 m; 0.00054° is 60 m.
LAT_50M = LAT + Decimal("0.000440")
LAT_60M = LAT + Decimal("0.000540")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def community(db):
    return make_community(name="乐园小区", latitude=LAT, longitude=LNG)


@pytest.fixture
def building(community):
    return make_building(community=community, label="3号楼", entrance_units=3)


def _url(community) -> str:
    return f"/communities/{community.pk}/report/"


def test_it_files_a_request_through_the_services_and_redirects_to_the_tracking_link(
    anonymous_client, community, building
):
    data = report_data(
        building=building.pk,
        is_emergency="on",
        reporter_phone="137-0000-1234",
        photos=[photo("a.jpg"), photo("b.jpg", "red")],
    )
    response = anonymous_client.post(_url(community), data)

    repair_request = RepairRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/report/track/{repair_request.token}/?new=1"
    assert repair_request.source == RepairSource.WEB
    assert repair_request.building == building
    assert repair_request.is_emergency
    assert repair_request.reporter_phone == REPORTER_PHONE  # normalised
    assert repair_request.photo.name.startswith("repair-photos/")
    assert RepairPhoto.objects.filter(request=repair_request).count() == 1
    assert not repair_request.is_public  # staff check it first
    (event,) = RepairEvent.objects.filter(request=repair_request)
    assert event.actor_label == "报修人"  # "the reporter", in the site's default language

    page = anonymous_client.get(response["Location"])
    body = page.content.decode()
    assert page.status_code == 200
    assert str(repair_request.pk) in body
    assert f"http://testserver/report/track/{repair_request.token}/" in body
    assert REPORTER_PHONE not in body and REPORTER_NAME not in body
    assert page["Cache-Control"] == "no-store, private"


def test_the_building_is_preselected_from_the_query_string(anonymous_client, community, building):
    body = anonymous_client.get(f"{_url(community)}?building={building.pk}").content.decode()
    assert f'<option value="{building.pk}" selected>' in body
    other = make_building(community=make_community(name="松园小区"), label="1号楼")
    body = anonymous_client.get(f"{_url(community)}?building={other.pk}").content.decode()
    assert f'value="{other.pk}"' not in body


def test_validation_errors_are_in_chinese_and_nothing_is_filed(anonymous_client, community):
    response = anonymous_client.post(
        _url(community), report_data(category=None, description="", reporter_phone="12345")
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "该字段是必填项。" in body
    assert RepairRequest.objects.count() == 0


def test_a_file_that_is_not_a_photo_is_refused(anonymous_client, community):
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("x.jpg", b"<html>not a photo</html>", content_type="image/jpeg")
    response = anonymous_client.post(_url(community), report_data(photos=[fake]))
    assert response.status_code == 400
    assert RepairRequest.objects.count() == 0


def test_more_than_three_photos_are_refused(anonymous_client, community):
    photos = [photo(f"{n}.jpg") for n in range(4)]
    response = anonymous_client.post(_url(community), report_data(photos=photos))
    assert response.status_code == 400
    assert RepairRequest.objects.count() == 0


def test_the_honeypot_files_nothing(anonymous_client, community):
    response = anonymous_client.post(_url(community), report_data(website="http://spam.example"))
    assert response.status_code == 400
    assert RepairRequest.objects.count() == 0


def test_a_point_on_the_map_files_under_the_nearest_community(anonymous_client, community):
    response = anonymous_client.post("/report/", report_data(latitude=LAT_50M, longitude=LNG))
    assert response.status_code == 302
    assert RepairRequest.objects.get().community == community


def test_the_general_form_needs_a_point_or_a_community(anonymous_client, community):
    response = anonymous_client.post("/report/", report_data())
    assert response.status_code == 400
    assert RepairRequest.objects.count() == 0
    finder = anonymous_client.get("/report/", {"q": "乐园"}).content.decode()
    assert f'href="/communities/{community.pk}/report/"' in finder


def test_a_number_may_have_only_so_many_open_requests(anonymous_client, community, settings):
    settings.RENOVATION = {**settings.RENOVATION, "REPORT_MAX_OPEN_PER_PHONE": 2}
    for _ in range(2):
        assert anonymous_client.post(_url(community), report_data()).status_code == 302
    response = anonymous_client.post(_url(community), report_data())
    assert response.status_code == 400
    assert RepairRequest.objects.count() == 2
    # Another number may still report.
    other = report_data(reporter_phone="13600002222")
    assert anonymous_client.post(_url(community), other).status_code == 302


@pytest.fixture
def rates(monkeypatch):
    """DRF reads the rates once, onto the throttle class: that is what a test changes."""

    def set_rates(**scopes: str) -> None:
        monkeypatch.setattr(
            SimpleRateThrottle, "THROTTLE_RATES", {**SimpleRateThrottle.THROTTLE_RATES, **scopes}
        )

    return set_rates


def test_the_address_throttle_answers_429(anonymous_client, community, rates):
    rates(report_address="2/hour")
    for number in ("13600000001", "13600000002"):
        response = anonymous_client.post(_url(community), report_data(reporter_phone=number))
        assert response.status_code == 302
    response = anonymous_client.post(_url(community), report_data(reporter_phone="13600000003"))
    assert response.status_code == 429
    assert "Retry-After" in response
    assert RepairRequest.objects.count() == 2


def test_the_phone_throttle_answers_429_from_any_address(community, rates):
    from django.test import Client

    rates(report_phone="1/hour")
    first = Client(REMOTE_ADDR="10.0.0.1").post(_url(community), report_data())
    second = Client(REMOTE_ADDR="10.0.0.2").post(_url(community), report_data())
    assert (first.status_code, second.status_code) == (302, 429)
    assert RepairRequest.objects.count() == 1


# --- Is it one of these? ------------------------------------------------------------------------


def _public_open(community, **fields):
    return make_request(community=community, is_public=True, state="dispatched", **fields)


def test_the_nearby_list_holds_open_public_requests_within_50_m_not_60_m(
    anonymous_client, community, django_assert_num_queries
):
    near = _public_open(community, latitude=LAT_50M, longitude=LNG)
    far = _public_open(community, latitude=LAT_60M, longitude=LNG)
    other_kind = _public_open(community, latitude=LAT, longitude=LNG, category="electrical")
    private = make_request(community=community, state="dispatched", latitude=LAT, longitude=LNG)
    closed = make_request(
        community=community, is_public=True, state="closed", latitude=LAT, longitude=LNG
    )
    # The requests in the box with their places and me-too counts.
    with django_assert_num_queries(1):
        response = anonymous_client.get(
            "/report/nearby/", {"category": "plumbing", "lat": str(LAT), "lng": str(LNG)}
        )
    body = response.content.decode()
    assert f"/report/me-too/{near.pk}/" in body
    for hidden in (far, other_kind, private, closed):
        assert f"/report/me-too/{hidden.pk}/" not in body
    assert SECRET_NAME not in body and SECRET_PHONE not in body


def test_the_nearby_list_refuses_odd_input(anonymous_client, db):
    for params in (
        {"category": "nope", "lat": "36.19", "lng": "117.12"},
        {"category": "plumbing", "lat": "x", "lng": "117.12"},
        {"category": "plumbing", "lat": "89", "lng": "117.12"},
        {"category": "plumbing", "lat": "nan", "lng": "nan"},
    ):
        assert anonymous_client.get("/report/nearby/", params).status_code == 400


def test_without_script_the_form_comes_back_with_the_nearby_list_first(anonymous_client, community):
    near = _public_open(community, latitude=LAT, longitude=LNG)
    data = report_data(nearby_seen=None, latitude=LAT, longitude=LNG)
    response = anonymous_client.post(_url(community), data)
    body = response.content.decode()
    assert response.status_code == 200
    assert f"/report/me-too/{near.pk}/" in body
    assert RepairRequest.objects.count() == 1
    # Sent again (the list was seen), it files a new request.
    data["nearby_seen"] = "True"
    assert anonymous_client.post(_url(community), data).status_code == 302
    assert RepairRequest.objects.count() == 2


def test_me_too_counts_each_number_once(anonymous_client, community):
    near = _public_open(community, latitude=LAT, longitude=LNG)
    url = f"/report/me-too/{near.pk}/"
    first = anonymous_client.post(url, report_data())
    assert first.status_code == 200
    again = anonymous_client.post(url, report_data(reporter_phone="+86 137 0000 1234"))
    assert again.status_code == 400
    assert anonymous_client.post(url, report_data(reporter_phone="13600009999")).status_code == 200
    assert RepairSupport.objects.filter(request=near).count() == 2
    assert REPORTER_PHONE not in "".join(
        RepairSupport.objects.values_list("supporter_hash", flat=True)
    )
    assert RepairRequest.objects.count() == 1  # nothing filed


def test_me_too_only_on_open_public_requests(anonymous_client, community):
    private = make_request(community=community, state="dispatched")
    closed = make_request(community=community, is_public=True, state="closed")
    assert anonymous_client.post(f"/report/me-too/{private.pk}/", report_data()).status_code == 404
    assert anonymous_client.post(f"/report/me-too/{closed.pk}/", report_data()).status_code == 400
    assert RepairSupport.objects.count() == 0


def test_the_report_pages_work_in_english(anonymous_client, community):
    english = anonymous_client.get(_url(community), HTTP_ACCEPT_LANGUAGE="en")
    assert '<html lang="en">' in english.content.decode()
    assert "Report a repair in 乐园小区" in english.content.decode()
    chinese = anonymous_client.get(_url(community), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert '<html lang="zh-Hans">' in chinese.content.decode()
