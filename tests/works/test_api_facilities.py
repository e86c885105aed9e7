"""The API's facilities, over HTTP."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from communities.works.choices import FacilityKind
from communities.works.models.facilities import Facility
from tests.support.api import API, api_client, assert_matches_schema, writer
from tests.support.factories import make_community, make_district, make_facility, make_item

pytestmark = pytest.mark.django_db


def _ids(response) -> set[int]:
    assert response.status_code == 200, response.json()
    return {row["id"] for row in response.json()["results"]}


def test_facilities_are_listed_with_their_kind_label_and_community():
    facility = make_facility(name="乐园社区幸福食堂", capacity=50, area_m2=Decimal("180.00"))

    response = api_client().get(f"{API}/facilities/", HTTP_ACCEPT_LANGUAGE="en")

    (row,) = response.json()["results"]
    assert (row["kind"], row["kind_display"]) == ("canteen", "Community canteen")
    assert (row["name"], row["capacity"], row["area_m2"]) == ("乐园社区幸福食堂", 50, "180.00")
    assert row["community_name"] == facility.community.name
    assert_matches_schema(response.json(), "/api/v1/facilities/")
    detail = api_client().get(f"{API}/facilities/{facility.pk}/")
    assert_matches_schema(detail.json(), "/api/v1/facilities/{id}/")


def facility_payload(community, **overrides) -> dict:
    payload = {
        "community": community.pk,
        "kind": "children_play_area",
        "name": "儿童乐园",
        "capacity": 40,
        "area_m2": "350.00",
        "opened_on": "2023-06-01",
    }
    payload.update(overrides)
    return payload


def test_it_creates_updates_and_deletes_a_facility():
    community = make_community()
    item = make_item(community=community)
    client = writer("facility")

    created = client.post(
        f"{API}/facilities/", facility_payload(community, renovation_item=item.pk), format="json"
    )
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    updated = client.patch(f"{API}/facilities/{pk}/", {"capacity": 60}, format="json")
    assert updated.status_code == 200 and updated.json()["capacity"] == 60
    deleted = client.delete(f"{API}/facilities/{pk}/")
    assert deleted.status_code == 204
    assert not Facility.objects.filter(pk=pk).exists()


FACILITY_RULES = [
    ("built by another community's item", {"renovation_item": "elsewhere"}, "renovation_item"),
    ("negative area", {"area_m2": "-1.00"}, "area_m2"),
    ("unknown kind", {"kind": "casino"}, "kind"),
    ("no name", {"name": ""}, "name"),
]


@pytest.mark.parametrize(
    ("changes", "field"),
    [(changes, field) for _, changes, field in FACILITY_RULES],
    ids=[name for name, _, _ in FACILITY_RULES],
)
def test_it_refuses_a_facility_the_admin_would_refuse(changes, field):
    community = make_community()
    if changes.get("renovation_item") == "elsewhere":
        changes = {"renovation_item": make_item().pk}

    response = writer("facility").post(
        f"{API}/facilities/", facility_payload(community, **changes), format="json"
    )

    assert response.status_code == 400
    assert field in response.json(), response.json()
    assert not Facility.objects.exists()


@pytest.fixture
def facilities():
    taishan = make_community(district=make_district(code="370902"))
    daiyue = make_community(district=make_district(code="370911"))
    return {
        "canteen": make_facility(community=taishan).pk,
        "play": make_facility(
            community=taishan, kind=FacilityKind.CHILDREN_PLAY_AREA, name="儿童乐园"
        ).pk,
        "coming": make_facility(
            community=daiyue,
            kind=FacilityKind.FITNESS,
            name="健身广场",
            opened_on=date.today() + timedelta(days=30),
        ).pk,
        "taishan": taishan.pk,
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("community={taishan}", {"canteen", "play"}),
        ("district=370911", {"coming"}),
        ("kind=children_play_area", {"play"}),
        ("is_open=true", {"canteen", "play"}),
        ("is_open=false", {"coming"}),
    ],
)
def test_it_filters_facilities(facilities, query, expected):
    response = api_client().get(f"{API}/facilities/?{query.format(**facilities)}")

    assert _ids(response) == {facilities[name] for name in expected}


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("community=乐园", "community"),
        ("district=999999", "district"),
        ("kind=casino", "kind"),
        ("is_open=soon", "is_open"),
    ],
)
def test_it_rejects_a_malformed_facility_filter_with_400(query, parameter):
    response = api_client().get(f"{API}/facilities/?{query}")

    assert response.status_code == 400
    assert list(response.json()) == [parameter]


@pytest.mark.parametrize("rows", [5, 50])
def test_the_facility_list_runs_two_queries_whatever_the_page_size(rows, django_assert_num_queries):
    community = make_community()
    for number in range(rows):
        make_facility(community=community, name=f"设施{number}")
    client = api_client()

    # 1. count  2. the page of facilities joined with their community
    with django_assert_num_queries(2):
        response = client.get(f"{API}/facilities/?page_size={rows}")

    assert len(response.json()["results"]) == rows
