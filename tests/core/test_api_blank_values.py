"""Values that do not apply yet are null, as the schema says; empty query values are refused.

Both were found by schemathesis over the national-scale data (``make fuzz-scale``): requests
not yet dispatched or closed, without a photo link or a building, and ``?district=``.
"""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from tests.support.api import API, api_client
from tests.support.factories import make_community
from tests.support.repairs import make_request

pytestmark = pytest.mark.django_db


def _documented_nullable(component: str, name: str) -> bool:
    schema = api_client().get("/api/schema/?format=json").json()
    field = schema["components"]["schemas"][component]["properties"][name]
    alternatives = field.get("oneOf", [])
    return field.get("nullable", False) or {"$ref": "#/components/schemas/NullEnum"} in (
        alternatives
    )


def test_a_request_not_yet_dispatched_reads_null_where_nothing_applies(city_admin):
    request = make_request(community=make_community())
    response = api_client(city_admin).get(f"{API}/service-requests/{request.pk}/")
    assert response.status_code == 200
    data = response.json()
    assert data["timeline"][0]["from_status"] is None  # filed: there was no status before
    for name in (
        "handler_kind",
        "closed_by",
        "photo_url",
        "building_label",
        "grid_inspector_username",
    ):
        assert data[name] is None, name
        assert _documented_nullable("StaffRepairRequestDetail", name), name


@pytest.mark.parametrize(
    "url",
    [
        "/stats/?district=",
        "/stats/satisfaction/?district=",
        "/service-requests/stats/?district=",
        "/property-management/?district=",
    ],
)
def test_an_empty_query_value_is_refused(url):
    response = api_client().get(f"{API}{url}", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert response.json() == {"district": ["Give a value, or leave the parameter out."]}


def test_an_action_on_a_record_documents_the_409_its_state_can_give():
    schema = api_client().get("/api/schema/?format=json").json()
    for path in ("/api/v1/service-requests/{id}/dispatch/", "/api/v1/service-requests/{id}/rate/"):
        assert "409" in schema["paths"][path]["post"]["responses"], path


@pytest.mark.parametrize(
    ("query", "requests"),
    [("until=1900-01-01", 0), ("until=2200-12-31", 1), ("since=1900-01-01", 1)],
)
def test_measures_take_any_date_of_the_range_as_a_bound(query, requests):
    make_request(community=make_community())
    response = api_client().get(f"{API}/service-requests/stats/?{query}")
    assert response.status_code == 200
    assert response.json()["overall"]["requests"] == requests


@pytest.mark.parametrize("query", ["until=0152-11-10", "until=9999-12-31", "since=0001-01-01"])
def test_measures_refuse_a_bound_outside_the_range_naming_it(query):
    response = api_client().get(f"{API}/service-requests/stats/?{query}")
    assert response.status_code == 400
    assert query.split("=")[0] in response.json()


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        ("submitted_after=2024-05-06", 1),
        ("submitted_after=2024-05-07", 0),
        ("submitted_before=2024-05-06", 1),
        ("submitted_before=2024-05-05", 0),
        ("submitted_before=2200-12-31&submitted_after=1900-01-01", 1),
    ],
)
def test_the_list_filters_by_local_submission_day(query, listed):
    # 00:30 on 6 May in Shanghai is still 5 May in UTC: the local day is what counts.
    start = datetime(2024, 5, 6, 0, 30, tzinfo=ZoneInfo("Asia/Shanghai"))
    make_request(community=make_community(), start=start, is_public=True)
    response = api_client().get(f"{API}/service-requests/?{query}")
    assert response.status_code == 200
    assert response.json()["count"] == listed
