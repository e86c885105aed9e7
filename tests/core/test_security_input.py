"""Odd input is a 400 naming the parameter (or a 404 for a path that cannot name anything),
never a 500: a date near year 1 or 9999, a number past 64 bits, a NUL byte in a path.

The reproduced cases first, then each class through every parameter of its kind, found by
introspecting the FilterSets, query serializers and routes: a new filter, parameter or
resource is covered without a new case here. Run on PostgreSQL too: that is where an
overflowing id is a DataError and a NUL byte a ValueError.
"""

import copy

import pytest
from django import forms
from django.urls import reverse
from rest_framework import relations
from rest_framework import serializers as drf

from communities.core.api.base import QuerySerializer
from communities.core.bounds import DATE_MAX, DATE_MIN, INT_MAX
from communities.dossier.filters import CommunityFilter
from communities.participation.api.serializers import SatisfactionQuerySerializer
from communities.places.api.serializers import DistrictYearQuerySerializer
from communities.property.api.serializers import ManagementQuerySerializer
from communities.repairs.api.serializers import StatsQuerySerializer
from communities.reporting.api.serializers import (
    AsOfQuerySerializer,
    OC4IDSQuerySerializer,
    StatisticsQuerySerializer,
)
from renovation.api_urls import router
from tests.support.ci import built_once
from tests.support.factories import make_busy_community, make_district
from tests.support.repairs import make_request

HUGE = "9" * 20  # past a signed 64-bit integer
HUGE_NEGATIVE = "-" + HUGE
LATE, EARLY = "9999-12-31", "0001-01-01"
OPEN311 = "/open311/v2"


def _build_data():
    community = make_busy_community()
    make_request(community=community, is_public=True)
    return community


@pytest.fixture(scope="module")
def _data(django_db_setup, django_db_blocker):
    """Built once for the module's hundreds of requests; each test's changes are rolled back
    (tests/support/ci.py)."""
    yield from built_once(django_db_blocker, _build_data)


@pytest.fixture
def data(_data, db):
    return copy.deepcopy(_data)


def _errors(response) -> dict:
    assert response["Content-Type"].startswith("application/json"), response.content[:200]
    return response.json()


def _open311_descriptions(response) -> str:
    return " ".join(error["description"] for error in response.json())


# --- The reproduced cases -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "value"),
    [("start_date", "9999-12-31T00:00:00Z"), ("end_date", "0001-01-01T00:00:00Z")],
)
def test_an_open311_date_near_the_calendar_s_ends_is_a_400_naming_it(client, data, name, value):
    response = client.get(f"{OPEN311}/requests.json", {name: value})
    assert response.status_code == 400
    assert name in _open311_descriptions(response)


def test_property_management_on_year_9999_is_a_400_naming_on(client, staff_client, data):
    for reader in (client, staff_client):
        response = reader.get("/api/v1/property-management/", {"on": LATE})
        assert response.status_code == 400
        assert "on" in _errors(response)


def test_an_open311_token_with_a_nul_byte_is_not_found(client, data):
    response = client.get(f"{OPEN311}/tokens/%00.json")
    assert response.status_code in {400, 404}


def test_a_20_digit_community_filter_is_a_400_naming_it(client, data):
    response = client.get("/api/v1/renovation-items/", {"community": HUGE})
    assert response.status_code == 400
    assert "community" in _errors(response)


# --- Every filter of every FilterSet --------------------------------------------------------------


def _filtered_resources() -> list[tuple[str, type]]:
    return [
        (prefix, viewset.filterset_class)
        for prefix, viewset, _basename in router.registry
        if getattr(viewset, "filterset_class", None) is not None
    ]


def _filters_of_kind(kind: str) -> list[tuple[str, str]]:
    """(resource, filter name) of every filter whose value is a date, or a number or id."""
    found = []
    for prefix, filterset in _filtered_resources():
        for name, filter_ in filterset.base_filters.items():
            field_class = filter_.field_class
            is_date = issubclass(field_class, forms.DateField | forms.DateTimeField)
            is_number = issubclass(
                field_class, forms.IntegerField | forms.DecimalField | forms.ModelChoiceField
            )
            if (kind == "date" and is_date) or (kind == "number" and is_number):
                found.append((prefix, name))
    return found


DATE_FILTERS = _filters_of_kind("date")
NUMBER_FILTERS = _filters_of_kind("number")


def test_the_introspection_finds_the_filters_it_must():
    assert ("service-requests", "submitted_after") in DATE_FILTERS
    assert ("ratings", "rated_before") in DATE_FILTERS
    assert ("property-services", "active_on") in DATE_FILTERS
    assert ("renovation-items", "community") in NUMBER_FILTERS
    assert ("communities", "district") in NUMBER_FILTERS  # an id-like code: ModelChoiceFilter


@pytest.mark.parametrize(("resource", "name"), DATE_FILTERS)
@pytest.mark.parametrize("value", [LATE, EARLY])
def test_every_date_filter_refuses_a_day_out_of_range_by_name(
    client, staff_client, data, resource, name, value
):
    for reader in (client, staff_client):
        response = reader.get(f"/api/v1/{resource}/", {name: value})
        assert response.status_code == 400, (resource, name, response.status_code)
        assert name in _errors(response)


@pytest.mark.parametrize(("resource", "name"), DATE_FILTERS)
def test_every_date_filter_accepts_the_range_s_ends(client, data, resource, name):
    for day in (DATE_MIN, DATE_MAX):
        assert client.get(f"/api/v1/{resource}/", {name: day.isoformat()}).status_code == 200


@pytest.mark.parametrize(("resource", "name"), NUMBER_FILTERS)
@pytest.mark.parametrize("value", [HUGE, HUGE_NEGATIVE, str(INT_MAX + 1)])
def test_every_number_and_id_filter_refuses_one_past_64_bits_by_name(
    client, staff_client, data, resource, name, value
):
    for reader in (client, staff_client):
        response = reader.get(f"/api/v1/{resource}/", {name: value})
        assert response.status_code == 400, (resource, name, response.status_code)
        assert name in _errors(response)


@pytest.mark.parametrize(("resource", "filterset"), _filtered_resources())
def test_no_filter_answers_500_to_odd_values(client, data, resource, filterset):
    odd = [HUGE, HUGE_NEGATIVE, LATE, EARLY, "1e400", "9999-12-31T23:59:59-12:00"]
    for name in filterset.base_filters:
        for value in odd:
            response = client.get(f"/api/v1/{resource}/", {name: value})
            assert response.status_code < 500, (resource, name, value)


def test_the_public_list_shows_a_20_digit_year_as_a_form_error(client, data):
    for name, filter_ in CommunityFilter.base_filters.items():
        if not issubclass(filter_.field_class, forms.IntegerField):
            continue
        response = client.get(reverse("site:community-list"), {name: HUGE})
        assert response.status_code == 200
        assert name in response.context["filterset"].errors


# --- Every parameter of every query serializer ----------------------------------------------------

QUERY_ENDPOINTS = {
    StatisticsQuerySerializer: "/api/v1/stats/",
    SatisfactionQuerySerializer: "/api/v1/stats/satisfaction/",
    StatsQuerySerializer: "/api/v1/service-requests/stats/",
    ManagementQuerySerializer: "/api/v1/property-management/",
    AsOfQuerySerializer: "/api/v1/regions/",
    OC4IDSQuerySerializer: "/api/v1/oc4ids/",
}


def _all_subclasses(cls) -> set[type]:
    found = set()
    for subclass in cls.__subclasses__():
        found |= {subclass, *_all_subclasses(subclass)}
    return found


# Bases that serve no endpoint of their own (their fields are checked through the subclasses).
QUERY_BASES = {DistrictYearQuerySerializer}


def test_every_query_serializer_is_tested_here():
    assert _all_subclasses(QuerySerializer) - QUERY_BASES <= set(QUERY_ENDPOINTS)


def _query_cases() -> list[tuple[str, str, str]]:
    cases = []
    for serializer, url in QUERY_ENDPOINTS.items():
        for name, field in serializer().fields.items():
            if isinstance(field, drf.DateField | drf.DateTimeField):
                cases += [(url, name, LATE), (url, name, EARLY)]
            elif isinstance(field, drf.IntegerField | relations.RelatedField):
                cases += [(url, name, HUGE), (url, name, HUGE_NEGATIVE)]
    return cases


QUERY_CASES = _query_cases()


def test_the_query_cases_cover_dates_and_numbers():
    assert ("/api/v1/service-requests/stats/", "until", LATE) in QUERY_CASES
    assert ("/api/v1/stats/satisfaction/", "community", HUGE) in QUERY_CASES


@pytest.mark.parametrize(("url", "name", "value"), QUERY_CASES)
def test_every_query_parameter_refuses_a_value_out_of_range_by_name(
    client, staff_client, data, url, name, value
):
    for reader in (client, staff_client):
        response = reader.get(url, {name: value})
        assert response.status_code == 400, (url, name, value, response.status_code)
        assert name in _errors(response)


# --- Open311 --------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["start_date", "end_date"])
@pytest.mark.parametrize(
    "value",
    [LATE, EARLY, "9999-12-31T23:59:59-12:00", "0001-01-01T00:00:00+14:00", "1899-12-31"],
)
def test_every_open311_date_refuses_a_day_out_of_range_by_name(client, data, name, value):
    for fmt in ("json", "xml"):
        response = client.get(f"{OPEN311}/requests.{fmt}", {name: value})
        assert response.status_code == 400, (name, value, fmt)
    assert name in _open311_descriptions(client.get(f"{OPEN311}/requests.json", {name: value}))


def test_open311_dates_at_the_range_s_ends_are_answered(client, data):
    late = {"start_date": "2200-11-01T00:00:00+08:00", "end_date": "2200-12-31T23:59:59+08:00"}
    assert client.get(f"{OPEN311}/requests.json", late).status_code == 200
    assert client.get(f"{OPEN311}/requests.json", {"end_date": "1900-03-01"}).status_code == 200


def test_a_20_digit_service_request_id_is_a_400_in_the_list_and_a_404_alone(client, data):
    response = client.get(f"{OPEN311}/requests.json", {"service_request_id": f"1,{HUGE}"})
    assert response.status_code == 400
    assert "service_request_id" in _open311_descriptions(response)
    assert client.get(f"{OPEN311}/requests/{HUGE}.json").status_code == 404
    assert client.get(f"{OPEN311}/requests/%00.json").status_code in {400, 404}


def test_a_20_digit_address_id_is_an_unknown_community(client, data):
    from communities.repairs import services as services_repairs

    _record, key = services_repairs.open311_client_create(name="12345热线")
    response = client.post(
        f"{OPEN311}/requests.json",
        {
            "api_key": key,
            "service_code": "plumbing",
            "address_id": HUGE,
            "description": "水管爆裂",
        },
    )
    assert response.status_code == 400
    assert "address_id" in _open311_descriptions(response)


# --- Paths ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("prefix", "basename"), [(p, b) for p, _v, b in router.registry])
@pytest.mark.parametrize("segment", [HUGE, "9" * 30, "%00"])
def test_a_record_path_that_cannot_exist_is_not_found(
    client, staff_client, data, prefix, basename, segment
):
    for reader in (client, staff_client):
        status = reader.get(f"/api/v1/{prefix}/{segment}/").status_code
        assert status in {400, 404}, (prefix, segment, status)


@pytest.mark.parametrize(
    "path", [f"/communities/{'9' * 30}/", f"/communities/{HUGE}/", "/districts/%00/"]
)
def test_a_public_page_path_that_cannot_exist_is_not_found(client, data, path):
    assert client.get(path).status_code in {400, 404}


def test_a_district_page_still_opens(client, db):
    district = make_district()
    assert client.get(f"/districts/{district.code}/").status_code == 200


# --- The staff admin's measures -------------------------------------------------------------------


@pytest.mark.parametrize("name", ["since", "until"])
def test_the_admin_measures_show_a_day_out_of_range_as_a_form_error(staff_client, data, name):
    response = staff_client.get(reverse("admin:communities_repairrequest_measures"), {name: LATE})
    assert response.status_code == 200
    assert name in response.context["form"].errors
