"""Pages and ordering, shared by every list."""

import pytest

from communities.places.models import District
from tests.support.api import API, api_client
from tests.support.factories import make_community, make_district

pytestmark = pytest.mark.django_db


@pytest.fixture
def many_districts():
    # Plain rows: only their number matters here.
    District.objects.bulk_create(
        District(code=f"{380000 + number}", name=f"区{number:03d}") for number in range(205)
    )


def test_a_list_answers_count_next_previous_and_results():
    for number in range(3):
        make_district(code=f"37090{number}")

    body = api_client().get(f"{API}/districts/?page_size=2").json()

    assert body["count"] == 3
    assert body["previous"] is None
    assert body["next"] == f"http://testserver{API}/districts/?page=2&page_size=2"
    assert [row["code"] for row in body["results"]] == ["370900", "370901"]
    second = api_client().get(body["next"]).json()
    assert [row["code"] for row in second["results"]] == ["370902"]
    assert second["next"] is None


def test_the_default_page_holds_fifty(many_districts):
    body = api_client().get(f"{API}/districts/").json()

    assert len(body["results"]) == 50


def test_a_page_size_above_the_cap_is_served_at_two_hundred(many_districts):
    body = api_client().get(f"{API}/districts/?page_size=1000").json()

    assert len(body["results"]) == 200
    assert body["count"] == 205


def test_the_last_page_can_be_asked_for_by_name(many_districts):
    body = api_client().get(f"{API}/districts/?page=last&page_size=100").json()

    assert len(body["results"]) == 5


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("page_size=0", "page_size"),
        ("page_size=-5", "page_size"),
        ("page_size=ten", "page_size"),
        ("page=0", "page"),
        ("page=abc", "page"),
        ("page=1.5", "page"),
    ],
)
def test_a_malformed_page_or_page_size_is_400(query, parameter):
    response = api_client().get(f"{API}/districts/?{query}")

    assert response.status_code == 400
    assert list(response.json()) == [parameter]


def test_a_page_past_the_last_is_404():
    make_district(code="370902")

    assert api_client().get(f"{API}/districts/?page=2").status_code == 404


def test_it_orders_by_allowed_fields_either_way():
    for code, name in [("370902", "b"), ("370911", "a"), ("370921", "c")]:
        make_district(code=code, name=name)

    ascending = api_client().get(f"{API}/districts/?ordering=name").json()["results"]
    descending = api_client().get(f"{API}/districts/?ordering=-code").json()["results"]

    assert [row["name"] for row in ascending] == ["a", "b", "c"]
    assert [row["code"] for row in descending] == ["370921", "370911", "370902"]


def test_it_orders_by_an_annotated_count():
    busy = make_district(code="370902")
    make_district(code="370911")
    make_community(district=busy)

    rows = api_client().get(f"{API}/districts/?ordering=-communities_count").json()["results"]

    assert rows[0]["code"] == "370902"


@pytest.mark.parametrize("ordering", ["population", "-secret", "name,", "district__name"])
def test_an_unknown_ordering_is_400_naming_the_allowed_fields(ordering):
    response = api_client().get(f"{API}/districts/?ordering={ordering}", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 400
    (message,) = response.json()["ordering"]
    assert "code, communities_count, name" in message
