"""The API's property services (物业服务), over HTTP."""

from datetime import date, timedelta

import pytest

from communities.property.choices import ManagementMode
from communities.property.models import PropertyService
from tests.support.api import API, api_client, assert_matches_schema, make_user, writer
from tests.support.factories import make_community, make_district, make_service

pytestmark = pytest.mark.django_db


def _ids(response) -> set[int]:
    assert response.status_code == 200, response.json()
    return {row["id"] for row in response.json()["results"]}


def test_services_are_listed_with_their_mode_and_whether_they_cover_today():
    current = make_service(is_red_property=True, contract_start=date(2022, 1, 1))
    ended = make_service(contract_start=date(2019, 1, 1), contract_end=date(2020, 12, 31))

    response = api_client().get(f"{API}/property-services/", HTTP_ACCEPT_LANGUAGE="en")

    rows = {row["id"]: row for row in response.json()["results"]}
    assert rows[current.pk]["is_current"] is True
    assert rows[ended.pk]["is_current"] is False
    assert rows[current.pk]["mode_display"] == "Professional property company"
    assert rows[current.pk]["is_red_property"] is True
    assert rows[current.pk]["fee_per_m2_month"] == "0.60"
    assert rows[current.pk]["contact_phone"] == "0538-1234567"
    assert_matches_schema(response.json(), "/api/v1/property-services/")
    detail = api_client().get(f"{API}/property-services/{current.pk}/")
    assert_matches_schema(detail.json(), "/api/v1/property-services/{id}/")


def test_the_contact_persons_name_is_for_staff_only():
    service = make_service(contact_name="王经理")
    staff = api_client(make_user(is_staff=True))
    outside_system = api_client(make_user())

    for client, sees in [(api_client(), False), (outside_system, False), (staff, True)]:
        listed = client.get(f"{API}/property-services/").json()["results"][0]
        detail = client.get(f"{API}/property-services/{service.pk}/").json()
        nested = client.get(f"{API}/communities/{service.community_id}/").json()
        for body in (listed, detail, nested["property_service"]):
            assert ("contact_name" in body) is sees
            assert body["contact_phone"] == "0538-1234567"


def service_payload(community, **overrides) -> dict:
    payload = {
        "community": community.pk,
        "mode": "professional",
        "is_red_property": True,
        "provider_name": "泰安红心物业有限公司",
        "contact_name": "王经理",
        "contact_phone": "0538-7654321",
        "contract_start": "2023-01-01",
        "contract_end": "2025-12-31",
        "trial_end": "2023-06-30",
        "fee_per_m2_month": "0.50",
    }
    payload.update(overrides)
    return payload


def test_it_records_a_service_and_answers_staff_with_the_contact_name():
    community = make_community()

    response = writer("propertyservice", is_staff=True).post(
        f"{API}/property-services/", service_payload(community), format="json"
    )

    assert response.status_code == 201, response.json()
    assert response.json()["contact_name"] == "王经理"
    assert PropertyService.objects.get(pk=response.json()["id"]).trial_end == date(2023, 6, 30)


def test_it_updates_and_deletes_a_service():
    service = make_service()
    client = writer("propertyservice")

    updated = client.patch(
        f"{API}/property-services/{service.pk}/", {"mode": "fallback"}, format="json"
    )
    deleted = client.delete(f"{API}/property-services/{service.pk}/")

    assert updated.status_code == 200 and updated.json()["mode"] == "fallback"
    assert deleted.status_code == 204
    assert not PropertyService.objects.filter(pk=service.pk).exists()


SERVICE_RULES = [
    ("overlapping an existing service", {"contract_start": "2022-06-01"}, "contract_start"),
    ("trial outlasting the contract", {"trial_end": "2026-06-30"}, "trial_end"),
    ("ending before it starts", {"contract_end": "2022-12-31"}, "non_field_errors"),
    ("negative fee", {"fee_per_m2_month": "-0.10"}, "fee_per_m2_month"),
    ("unknown mode", {"mode": "robots"}, "mode"),
    ("no start", {"contract_start": None}, "contract_start"),
]


@pytest.mark.parametrize(
    ("changes", "field"),
    [(changes, field) for _, changes, field in SERVICE_RULES],
    ids=[name for name, _, _ in SERVICE_RULES],
)
def test_it_refuses_a_service_the_admin_would_refuse(changes, field):
    community = make_community()
    make_service(
        community=community, contract_start=date(2020, 1, 1), contract_end=date(2022, 12, 31)
    )

    response = writer("propertyservice").post(
        f"{API}/property-services/", service_payload(community, **changes), format="json"
    )

    assert response.status_code == 400
    assert field in response.json(), response.json()
    assert community.property_services.count() == 1


@pytest.fixture
def services():
    taishan = make_community(district=make_district(code="370902"))
    daiyue = make_community(district=make_district(code="370911"))
    return {
        "red": make_service(community=taishan, is_red_property=True).pk,
        "old": make_service(
            community=daiyue,
            mode=ManagementMode.FALLBACK,
            contract_start=date(2019, 1, 1),
            contract_end=date.today() - timedelta(days=1),
        ).pk,
        "taishan": taishan.pk,
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("community={taishan}", {"red"}),
        ("district=370911", {"old"}),
        ("mode=fallback", {"old"}),
        ("is_red_property=true", {"red"}),
        ("is_red_property=false", {"old"}),
        ("active_on=2019-06-01", {"old"}),
        ("active_on={today}", {"red"}),
    ],
)
def test_it_filters_services(services, query, expected):
    # Today as the test runs, like the fixture's: a date taken when the tests were collected
    # is yesterday for a run that crosses midnight.
    today = date.today().isoformat()
    query = query.format(**services, today=today)
    response = api_client().get(f"{API}/property-services/?{query}")

    assert _ids(response) == {services[name] for name in expected}


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("community=a", "community"),
        ("district=3709", "district"),
        ("mode=robots", "mode"),
        ("is_red_property=red", "is_red_property"),
        ("active_on=2019-13-01", "active_on"),
    ],
)
def test_it_rejects_a_malformed_service_filter_with_400(query, parameter):
    response = api_client().get(f"{API}/property-services/?{query}")

    assert response.status_code == 400
    assert list(response.json()) == [parameter]


@pytest.mark.parametrize("rows", [5, 50])
def test_the_service_list_runs_two_queries_whatever_the_page_size(rows, django_assert_num_queries):
    for _ in range(rows):
        make_service()
    client = api_client()

    # 1. count  2. the page of services joined with their community
    with django_assert_num_queries(2):
        response = client.get(f"{API}/property-services/?page_size={rows}")

    assert len(response.json()["results"]) == rows
