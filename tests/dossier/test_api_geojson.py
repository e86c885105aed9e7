"""``/api/v1/communities/geojson/``: communities as a GeoJSON FeatureCollection for the map."""

from decimal import Decimal

import pytest

from communities.places.choices import RenovationStatus
from tests.support.api import API, api_client, assert_matches_schema
from tests.support.factories import make_community, make_district

pytestmark = pytest.mark.django_db

URL = f"{API}/communities/geojson/"


def test_it_answers_a_feature_collection_with_lng_lat_numbers_and_popup_properties():
    community = make_community(
        name="松园小区",
        district=make_district(code="370902", name="泰山区"),
        renovation_status=RenovationStatus.COMPLETED,
        renovation_year=2022,
        latitude=Decimal("36.201234"),
        longitude=Decimal("117.123456"),
    )

    response = api_client().get(URL, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    body = response.json()
    assert body["type"] == "FeatureCollection"
    (feature,) = body["features"]
    assert feature["type"] == "Feature"
    assert feature["geometry"] == {"type": "Point", "coordinates": [117.123456, 36.201234]}
    assert feature["properties"] == {
        "id": community.pk,
        "name": "松园小区",
        "district": "370902",
        "district_name": "泰山区",
        "status": "completed",
        "status_display": "Completed",
        "renovation_year": 2022,
        "url": f"http://testserver/communities/{community.pk}/",
    }
    assert_matches_schema(body, "/api/v1/communities/geojson/")


def test_it_leaves_out_communities_without_coordinates():
    located = make_community()
    make_community(latitude=None, longitude=None)

    features = api_client().get(URL).json()["features"]

    assert [feature["properties"]["id"] for feature in features] == [located.pk]


def test_it_takes_the_same_filters_as_the_community_list():
    taishan = make_district(code="370902")
    planned = make_community(district=taishan, renovation_status=RenovationStatus.PLANNED)
    make_community(district=taishan)
    make_community(
        district=make_district(code="370911"), renovation_status=RenovationStatus.PLANNED
    )

    features = api_client().get(f"{URL}?district=370902&status=planned").json()["features"]

    assert [feature["properties"]["id"] for feature in features] == [planned.pk]


def test_it_filters_by_bounding_box():
    inside = make_community(latitude=Decimal("36.2"), longitude=Decimal("117.1"))
    make_community(latitude=Decimal("35.9"), longitude=Decimal("116.8"))

    features = api_client().get(f"{URL}?bbox=117.0,36.1,117.2,36.3").json()["features"]

    assert [feature["properties"]["id"] for feature in features] == [inside.pk]


@pytest.mark.parametrize(
    ("query", "parameter"),
    [("status=done", "status"), ("bbox=1,2", "bbox"), ("district=999999", "district")],
)
def test_it_rejects_a_malformed_filter_with_400(query, parameter):
    response = api_client().get(f"{URL}?{query}")

    assert response.status_code == 400
    assert list(response.json()) == [parameter]


def test_it_is_not_paginated():
    for _ in range(60):
        make_community(renovation_status=RenovationStatus.PLANNED)

    body = api_client().get(URL).json()

    assert len(body["features"]) == 60
    assert "next" not in body


@pytest.mark.parametrize("rows", [5, 50])
def test_it_runs_two_queries_whatever_the_number_of_communities(rows, django_assert_num_queries):
    district = make_district(code="370902")
    for _ in range(rows):
        make_community(district=district)
    client = api_client()

    # 1. the count, stopping at the cap; 2. the located communities joined with their district
    with django_assert_num_queries(2):
        response = client.get(URL)

    assert len(response.json()["features"]) == rows
