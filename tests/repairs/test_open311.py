"""Open311 GeoReport v2 at /open311/v2/: a whole client flow, the specification's fields and
errors in JSON and XML, and no reporter's name or phone in anything anonymous."""

import xml.etree.ElementTree as ET
from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import override_settings
from django.utils import timezone

from communities.repairs import services
from communities.repairs.models import Open311Client, RepairRequest
from tests.support.factories import make_building, make_community, make_service
from tests.support.repairs import SECRET_NAME, SECRET_PHONE, T0, make_request

BASE = "/open311/v2"
JUNE = {"start_date": "2025-06-01T00:00:00+08:00", "end_date": "2025-06-30T23:59:59+08:00"}


@pytest.fixture
def hotline(db):
    return services.open311_client_create(name="12345热线", source="hotline_12345")


@pytest.fixture
def community(db):
    community = make_community(
        name="乐园小区", latitude=Decimal("36.190000"), longitude=Decimal("117.120000")
    )
    make_building(community=community, label="3号楼", entrance_units=3)
    make_service(community=community, provider_name="泰安红心物业有限公司")
    return community


def _post(client, **data):
    return client.post(f"{BASE}/requests.json", data)


def _filing(key: str, community, **extra) -> dict:
    return {
        "api_key": key,
        "service_code": "plumbing",
        "address_id": str(community.pk),
        "description": "3号楼楼道水管爆裂",
        "first_name": "秘密",
        "last_name": "王",
        "phone": SECRET_PHONE,
        **extra,
    }


def _assert_nothing_personal(response) -> None:
    body = response.content.decode()
    assert SECRET_NAME not in body
    assert SECRET_PHONE not in body


# --- The whole flow ---------------------------------------------------------------------------


def test_a_client_lists_services_files_a_request_and_follows_it(
    anonymous_client, hotline, community
):
    client, key = hotline

    services_list = anonymous_client.get(f"{BASE}/services.json")
    assert services_list.status_code == 200
    assert services_list["Content-Type"] == "application/json; charset=utf-8"
    plumbing = next(s for s in services_list.json() if s["service_code"] == "plumbing")
    assert (plumbing["metadata"], plumbing["type"]) == (True, "realtime")
    assert set(plumbing) == {
        "service_code",
        "service_name",
        "description",
        "metadata",
        "type",
        "keywords",
        "group",
    }

    definition = anonymous_client.get(f"{BASE}/services/plumbing.json").json()
    assert definition["service_code"] == "plumbing"
    assert [a["code"] for a in definition["attributes"]] == [
        "emergency",
        "building",
        "entrance_unit",
    ]

    filed = _post(
        anonymous_client,
        **_filing(
            key,
            community,
            **{
                "attribute[emergency]": "true",
                "attribute[building]": "3号楼",
                "attribute[entrance_unit]": "2",
            },
        ),
    )
    assert filed.status_code == 201
    (answer,) = filed.json()
    assert set(answer) == {"service_request_id", "token", "service_notice", "account_id"}
    request_id, token = answer["service_request_id"], answer["token"]

    by_id = anonymous_client.get(f"{BASE}/requests/{request_id}.json", {"api_key": key})
    assert by_id.status_code == 200
    (row,) = by_id.json()
    assert row["service_request_id"] == request_id
    assert (row["status"], row["service_code"], row["address_id"]) == (
        "open",
        "plumbing",
        str(community.pk),
    )
    assert row["address"].startswith("3号楼")
    requested = timezone.datetime.fromisoformat(row["requested_datetime"])
    expected = timezone.datetime.fromisoformat(row["expected_datetime"])
    assert expected - requested == timedelta(hours=24)  # an emergency
    assert row["requested_datetime"].endswith("+08:00")
    _assert_nothing_personal(by_id)

    by_token = anonymous_client.get(f"{BASE}/tokens/{token}.json")
    assert by_token.json() == [{"service_request_id": request_id, "token": token}]

    today = timezone.localdate()
    window = {
        "api_key": key,
        "start_date": f"{today - timedelta(days=1)}T00:00:00+08:00",
        "end_date": f"{today + timedelta(days=1)}T00:00:00+08:00",
    }
    listed = anonymous_client.get(f"{BASE}/requests.json", {**window, "status": "open"})
    assert [r["service_request_id"] for r in listed.json()] == [request_id]
    closed = anonymous_client.get(f"{BASE}/requests.json", {**window, "status": "closed"})
    assert closed.json() == []

    saved = RepairRequest.objects.get(pk=request_id)
    assert (saved.source, saved.open311_client, saved.is_emergency) == (
        "hotline_12345",
        client,
        True,
    )
    assert (saved.reporter_name, saved.reporter_phone) == (SECRET_NAME, SECRET_PHONE)
    assert (saved.building.label, saved.entrance_unit) == ("3号楼", 2)
    assert saved.timeline.get().actor_label == "Open311: 12345热线"
    client.refresh_from_db()
    assert client.last_used_at is not None


def test_the_status_follows_the_request_to_closed(anonymous_client, community):
    request = make_request(community=community, state="resolved", is_public=True)

    (row,) = anonymous_client.get(f"{BASE}/requests/{request.pk}.json").json()

    assert (row["status"], row["status_notes"]) == ("closed", "更换了水管")
    assert row["agency_responsible"] == "泰安红心物业有限公司"
    reopened = services.repair_request_reopen(repair_request=request, reason="还在漏")
    (row,) = anonymous_client.get(f"{BASE}/requests/{reopened.pk}.json").json()
    assert row["status"] == "open"


def test_a_rejected_request_is_closed_with_its_reason(anonymous_client, community):
    request = make_request(community=community, state="rejected", is_public=True)
    (row,) = anonymous_client.get(f"{BASE}/requests/{request.pk}.json").json()
    assert (row["status"], row["status_notes"]) == ("closed", "重复报修")


# --- Filing: keys and errors ------------------------------------------------------------------


def test_filing_without_an_api_key_is_refused_with_403(anonymous_client, community):
    response = _post(anonymous_client, **_filing("", community))

    assert response.status_code == 403
    (error,) = response.json()
    assert error["code"] == 403 and error["description"]
    assert not RepairRequest.objects.exists()


def test_filing_with_a_wrong_or_revoked_key_is_refused(anonymous_client, hotline, community):
    client, key = hotline
    assert _post(anonymous_client, **_filing("wrong", community)).status_code == 403
    Open311Client.objects.filter(pk=client.pk).update(is_active=False)
    assert _post(anonymous_client, **_filing(key, community)).status_code == 403


def test_an_unknown_service_code_is_404_and_a_missing_one_400(anonymous_client, hotline, community):
    _, key = hotline
    assert (
        _post(anonymous_client, **_filing(key, community, service_code="potholes")).status_code
        == 404
    )
    assert _post(anonymous_client, **_filing(key, community, service_code="")).status_code == 400


def test_filing_needs_a_location(anonymous_client, hotline, community):
    _, key = hotline
    response = _post(anonymous_client, **_filing(key, community, address_id=""))
    assert response.status_code == 400
    assert _post(anonymous_client, **_filing(key, community, address_id="99999")).status_code == 400


def test_a_lat_long_is_filed_under_the_nearest_community(anonymous_client, hotline, community):
    _, key = hotline
    make_community(latitude=Decimal("36.300000"), longitude=Decimal("117.300000"))
    response = _post(
        anonymous_client,
        **_filing(key, community, address_id="", lat="36.1905", long="117.1203"),
    )

    assert response.status_code == 201
    saved = RepairRequest.objects.get()
    assert saved.community == community
    assert (saved.latitude, saved.longitude) == (Decimal("36.190500"), Decimal("117.120300"))


def test_a_lat_long_far_from_every_community_is_refused(anonymous_client, hotline, community):
    _, key = hotline
    response = _post(
        anonymous_client, **_filing(key, community, address_id="", lat="36.5", long="117.5")
    )
    assert response.status_code == 400


def test_a_lat_long_outside_china_is_refused(anonymous_client, hotline, community):
    _, key = hotline
    response = _post(
        anonymous_client, **_filing(key, community, address_id="", lat="48.85", long="2.35")
    )
    assert response.status_code == 400


def test_an_address_string_naming_the_community_locates_it(anonymous_client, hotline, community):
    _, key = hotline
    response = _post(
        anonymous_client,
        **_filing(key, community, address_id="", address_string="泰山区乐园小区3号楼东侧"),
    )
    assert response.status_code == 201
    assert RepairRequest.objects.get().community == community


def test_an_unknown_building_is_refused(anonymous_client, hotline, community):
    _, key = hotline
    response = _post(
        anonymous_client, **_filing(key, community, **{"attribute[building]": "9号楼"})
    )
    assert response.status_code == 400


def test_an_emergency_attribute_must_be_true_or_false(anonymous_client, hotline, community):
    _, key = hotline
    response = _post(anonymous_client, **_filing(key, community, **{"attribute[emergency]": "yes"}))
    assert response.status_code == 400


def test_a_nul_character_is_refused_not_a_server_error(anonymous_client, hotline, community):
    _, key = hotline
    response = _post(anonymous_client, **_filing(key, community, description="漏水\x00"))
    assert response.status_code == 400
    assert response.json()[0]["description"].startswith("description: ")


def test_a_missing_description_is_refused(anonymous_client, hotline, community):
    _, key = hotline
    assert _post(anonymous_client, **_filing(key, community, description="")).status_code == 400


def test_a_bad_phone_number_is_refused_with_the_models_message(
    anonymous_client, hotline, community
):
    _, key = hotline
    response = _post(anonymous_client, **_filing(key, community, phone="call me"))

    assert response.status_code == 400
    (error,) = response.json()
    assert error["description"].startswith("reporter_phone: ")


def test_errors_come_in_xml_from_the_xml_resource(anonymous_client, community):
    response = anonymous_client.post(f"{BASE}/requests.xml", _filing("wrong", community))

    assert response.status_code == 403
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    root = ET.fromstring(response.content)
    assert root.tag == "errors"
    assert root.find("error/code").text == "403"
    assert root.find("error/description").text


def test_filing_answers_in_xml(anonymous_client, hotline, community):
    _, key = hotline
    response = anonymous_client.post(f"{BASE}/requests.xml", _filing(key, community))

    assert response.status_code == 201
    assert response.content.startswith(b'<?xml version="1.0" encoding="utf-8"?>')
    root = ET.fromstring(response.content)
    assert root.tag == "service_requests"
    assert root.find("request/service_request_id").text == str(RepairRequest.objects.get().pk)


# --- Reading ----------------------------------------------------------------------------------


def test_without_a_key_only_public_requests_are_listed(anonymous_client, community):
    shown = make_request(community=community, is_public=True)
    hidden = make_request(community=community)

    listed = anonymous_client.get(f"{BASE}/requests.json", JUNE).json()
    assert [row["service_request_id"] for row in listed] == [str(shown.pk)]
    assert anonymous_client.get(f"{BASE}/requests/{hidden.pk}.json").status_code == 404


def test_a_valid_key_lists_every_request(anonymous_client, hotline, community):
    _, key = hotline
    make_request(community=community, is_public=True)
    make_request(community=community)
    assert len(anonymous_client.get(f"{BASE}/requests.json", {**JUNE, "api_key": key}).json()) == 2


def test_reading_with_a_wrong_key_is_refused(anonymous_client, community):
    assert anonymous_client.get(f"{BASE}/requests.json", {"api_key": "nope"}).status_code == 403


def test_no_anonymous_response_carries_the_reporters_name_or_phone(anonymous_client, community):
    request = make_request(
        community=community,
        state="closed",
        is_public=True,
        description=f"{SECRET_NAME}家楼下漏水，请打{SECRET_PHONE}",
    )
    for response in [
        anonymous_client.get(f"{BASE}/requests.json", JUNE),
        anonymous_client.get(f"{BASE}/requests.xml", JUNE),
        anonymous_client.get(f"{BASE}/requests/{request.pk}.json"),
        anonymous_client.get(f"{BASE}/requests/{request.pk}.xml"),
        anonymous_client.get(f"{BASE}/requests.json", {"service_request_id": request.pk}),
        anonymous_client.get(f"{BASE}/tokens/{request.token}.json"),
    ]:
        assert response.status_code == 200
        _assert_nothing_personal(response)
    (row,) = anonymous_client.get(f"{BASE}/requests/{request.pk}.json").json()
    assert row["description"] == "***家楼下漏水，请打***********"


def test_every_field_of_the_specification_is_there(anonymous_client, community):
    request = make_request(
        community=community, is_public=True, photo_url="https://img.example/1.jpg"
    )
    (row,) = anonymous_client.get(f"{BASE}/requests/{request.pk}.json").json()

    assert list(row) == [
        "service_request_id",
        "status",
        "status_notes",
        "service_name",
        "service_code",
        "description",
        "agency_responsible",
        "service_notice",
        "requested_datetime",
        "updated_datetime",
        "expected_datetime",
        "address",
        "address_id",
        "zipcode",
        "lat",
        "long",
        "media_url",
        # FixMyStreet's extension: the public timeline (tests/site/test_report_open311.py).
        "updates",
    ]
    assert row["requested_datetime"] == "2025-06-02T09:00:00+08:00"
    assert row["expected_datetime"] == "2025-06-05T09:00:00+08:00"
    assert (row["lat"], row["long"]) == (36.19, 117.12)
    assert row["media_url"] == "https://img.example/1.jpg"


def test_the_list_filters_by_date(anonymous_client, community):
    june = make_request(community=community, is_public=True)
    july = make_request(community=community, is_public=True, start=T0 + timedelta(days=30))

    def ids(**params):
        response = anonymous_client.get(f"{BASE}/requests.json", params)
        assert response.status_code == 200
        return [row["service_request_id"] for row in response.json()]

    assert ids(**JUNE) == [str(june.pk)]
    assert ids(start_date="2025-06-15T00:00:00Z", end_date="2025-07-15T00:00:00Z") == [str(july.pk)]
    # A start alone runs 90 days on; an end alone 90 days back; a plain date is a whole day.
    assert ids(start_date="2025-05-01T00:00:00+08:00") == [str(july.pk), str(june.pk)]
    assert ids(end_date="2025-06-02") == [str(june.pk)]
    # Neither: the last 90 days, which these are not in.
    assert ids() == []


def test_the_list_filters_by_status_and_service_code(anonymous_client, community):
    open_ = make_request(community=community, is_public=True, category="elevator")
    closed = make_request(community=community, is_public=True, state="closed")

    def ids(**params):
        return [
            r["service_request_id"]
            for r in anonymous_client.get(f"{BASE}/requests.json", {**JUNE, **params}).json()
        ]

    assert ids(status="open") == [str(open_.pk)]
    assert ids(status="closed") == [str(closed.pk)]
    assert set(ids(status="open,closed")) == {str(open_.pk), str(closed.pk)}
    assert ids(service_code="plumbing") == [str(closed.pk)]
    assert set(ids(service_code="plumbing,elevator")) == {str(open_.pk), str(closed.pk)}


def test_service_request_ids_override_the_other_parameters(anonymous_client, community):
    old = make_request(community=community, is_public=True)
    response = anonymous_client.get(
        f"{BASE}/requests.json", {"service_request_id": f"{old.pk},999999", "status": "closed"}
    )
    assert [row["service_request_id"] for row in response.json()] == [str(old.pk)]


@pytest.mark.parametrize(
    "params",
    [
        {"start_date": "2025-01-01T00:00:00Z", "end_date": "2025-06-01T00:00:00Z"},  # > 90 days
        {"start_date": "2025-06-02T00:00:00Z", "end_date": "2025-06-01T00:00:00Z"},
        {"start_date": "last tuesday"},
        {"end_date": "2025-02-30"},
        {"end_date": "2025-06-01T25:00:00Z"},
        {"status": "pending"},
        {"service_code": "potholes"},
        {"service_request_id": "1,abc"},
    ],
)
def test_malformed_list_parameters_are_a_400(anonymous_client, db, params):
    response = anonymous_client.get(f"{BASE}/requests.json", params)
    assert response.status_code == 400
    assert response.json()[0]["code"] == 400


def test_the_list_costs_two_queries_however_long(
    anonymous_client, community, django_assert_num_queries
):
    for _ in range(3):
        make_request(community=community, is_public=True)
    # The requests with their community, district and building; their public timelines
    # (the updates).
    with django_assert_num_queries(2):
        response = anonymous_client.get(f"{BASE}/requests.json", JUNE)
    assert len(response.json()) == 3


def test_unknown_requests_and_tokens_are_404(anonymous_client, db):
    for url in [
        f"{BASE}/requests/999.json",
        f"{BASE}/requests/abc.json",
        f"{BASE}/tokens/nope.json",
    ]:
        response = anonymous_client.get(url)
        assert response.status_code == 404
        assert response.json()[0]["code"] == 404


def test_an_unknown_service_definition_is_404(anonymous_client, db):
    assert anonymous_client.get(f"{BASE}/services/potholes.json").status_code == 404


# --- Formats, jurisdiction, methods -----------------------------------------------------------


def test_services_in_xml(anonymous_client, db):
    response = anonymous_client.get(f"{BASE}/services.xml")

    assert response["Content-Type"] == "text/xml; charset=utf-8"
    root = ET.fromstring(response.content)
    assert root.tag == "services"
    codes = [service.find("service_code").text for service in root.findall("service")]
    assert codes[0] == "plumbing" and len(codes) == 9
    assert root.find("service/metadata").text == "true"


def test_xml_stays_well_formed_whatever_a_resident_typed(anonymous_client, community):
    request = make_request(community=community, is_public=True, description="漏水\x0b<急>&\x1f")
    root = ET.fromstring(anonymous_client.get(f"{BASE}/requests/{request.pk}.xml").content)
    assert root.find("request/description").text == "漏水<急>&"


def test_a_service_definition_in_xml_lists_its_values(anonymous_client, db):
    root = ET.fromstring(anonymous_client.get(f"{BASE}/services/elevator.xml").content)
    assert root.tag == "service_definition"
    keys = [value.find("key").text for value in root.findall("attributes/attribute/values/value")]
    assert keys == ["false", "true"]


def test_the_service_notice_gives_the_deadline(anonymous_client, db):
    services_list = anonymous_client.get(f"{BASE}/services.json", HTTP_ACCEPT_LANGUAGE="en").json()
    notes = {s["service_code"]: s["description"] for s in services_list}
    assert notes["elevator"].endswith("To be resolved within 24 hours.")
    assert notes["plumbing"].endswith("To be resolved within 72 hours.")


def test_discovery_points_at_this_endpoint(anonymous_client, db):
    data = anonymous_client.get(f"{BASE}/discovery.json").json()
    (endpoint,) = data["endpoints"]
    assert endpoint["url"] == "http://testserver/open311/v2/"
    assert endpoint["formats"] == ["application/json", "text/xml"]


@override_settings()
def test_another_jurisdiction_is_404_and_ours_is_accepted(anonymous_client, db, settings):
    settings.RENOVATION = {**settings.RENOVATION, "OPEN311_JURISDICTION": "taian.gov.cn"}
    assert (
        anonymous_client.get(f"{BASE}/services.json", {"jurisdiction_id": "sfgov.org"}).status_code
        == 404
    )
    assert (
        anonymous_client.get(
            f"{BASE}/services.json", {"jurisdiction_id": "taian.gov.cn"}
        ).status_code
        == 200
    )
    assert anonymous_client.get(f"{BASE}/services.json", {"jurisdiction_id": ""}).status_code == 200


def test_a_method_the_resource_does_not_take_is_405(anonymous_client, db):
    response = anonymous_client.post(f"{BASE}/services.json")
    assert response.status_code == 405
    assert response["Allow"] == "GET"
    assert response.json()[0]["code"] == 405
