"""``/api/v1/stats/``: the city's headline figures and breakdowns, against hand-computed values."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from communities.places.choices import RenovationStatus
from communities.works.choices import FacilityKind, ItemStatus
from communities.works.models.items import RenovationKind
from tests.support.api import API, api_client, assert_matches_schema, in_service_elevator
from tests.support.factories import (
    make_building,
    make_community,
    make_district,
    make_elevator,
    make_facility,
    make_item,
    make_service,
)

pytestmark = pytest.mark.django_db

URL = f"{API}/stats/"


@pytest.fixture
def city():
    """Two districts, four communities; the comments give what each one contributes.

    370902 泰山区
      乐园小区  completed 2022, 10000.00 m², 100 households, 1 elevator in service, a play
                area of 300.00 m² and a canteen (50 seats, 120.00 m²) open, a service now;
                items: roads 100000/80000, elevator 300000/250000, a cancelled one 50000/0
      天平花园  under construction 2023, 8000.00 m², 80 households, an elevator at intention,
                a play area opening next month, a service now; item: canteen 200000/50000
    370911 岱岳区
      岱西花园  completed 2023, 5500.50 m², 60 households, 2 elevators in service, a play area
                of 150.50 m² open, a service that has ended; item: roads 40000/40000
      东湖小区  planned 2024, nothing else
    """
    taishan = make_district(code="370902", name="泰山区")
    daiyue = make_district(code="370911", name="岱岳区")
    kind = {code: RenovationKind.objects.get(code=code) for code in ("roads", "elevator")}
    kind["elderly-care"] = RenovationKind.objects.get(code="elderly-care")

    leyuan = make_community(
        name="乐园小区",
        district=taishan,
        renovation_status=RenovationStatus.COMPLETED,
        renovation_year=2022,
        floor_area_m2=Decimal("10000.00"),
        households=100,
    )
    in_service_elevator(building=make_building(community=leyuan))
    make_facility(
        community=leyuan,
        kind=FacilityKind.CHILDREN_PLAY_AREA,
        name="儿童乐园",
        capacity=None,
        area_m2=Decimal("300.00"),
    )
    make_facility(
        community=leyuan, kind=FacilityKind.CANTEEN, capacity=50, area_m2=Decimal("120.00")
    )
    make_service(community=leyuan)
    make_item(
        community=leyuan,
        kind=kind["roads"],
        budget=Decimal("100000.00"),
        spent=Decimal("80000.00"),
        status=ItemStatus.COMPLETED,
    )
    make_item(
        community=leyuan,
        kind=kind["elevator"],
        budget=Decimal("300000.00"),
        spent=Decimal("250000.00"),
    )
    make_item(
        community=leyuan,
        kind=kind["roads"],
        budget=Decimal("50000.00"),
        status=ItemStatus.CANCELLED,
    )

    tianping = make_community(
        name="天平花园",
        district=taishan,
        renovation_status=RenovationStatus.UNDER_CONSTRUCTION,
        renovation_year=2023,
        floor_area_m2=Decimal("8000.00"),
        households=80,
    )
    make_elevator(building=make_building(community=tianping))
    make_facility(
        community=tianping,
        kind=FacilityKind.CHILDREN_PLAY_AREA,
        name="儿童乐园",
        area_m2=Decimal("999.00"),
        opened_on=date.today() + timedelta(days=30),
    )
    make_service(community=tianping)
    make_item(
        community=tianping,
        kind=kind["elderly-care"],
        budget=Decimal("200000.00"),
        spent=Decimal("50000.00"),
    )

    daixi = make_community(
        name="岱西花园",
        district=daiyue,
        renovation_status=RenovationStatus.COMPLETED,
        renovation_year=2023,
        floor_area_m2=Decimal("5500.50"),
        households=60,
    )
    building = make_building(community=daixi, entrance_units=3)
    in_service_elevator(building=building, entrance_unit=1)
    in_service_elevator(building=building, entrance_unit=2)
    make_facility(
        community=daixi,
        kind=FacilityKind.CHILDREN_PLAY_AREA,
        name="儿童乐园",
        capacity=None,
        area_m2=Decimal("150.50"),
    )
    make_service(community=daixi, contract_start=date(2019, 1, 1), contract_end=date(2021, 12, 31))
    make_item(
        community=daixi,
        kind=kind["roads"],
        budget=Decimal("40000.00"),
        spent=Decimal("40000.00"),
        status=ItemStatus.COMPLETED,
    )

    make_community(
        name="东湖小区",
        district=daiyue,
        renovation_status=RenovationStatus.PLANNED,
        renovation_year=2024,
    )


def test_it_reports_the_headline_figures_and_breakdowns_of_the_whole_city(city):
    response = api_client().get(URL, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    body = response.json()
    assert {key: body[key] for key in list(body)[:8]} == {
        "district": None,
        "year": None,
        "communities_renovated": 2,
        "renovated_floor_area_m2": "15500.50",
        "households_benefited": 160,
        "elevators_in_service": 3,
        "children_play_area_m2": "450.50",
        "communities_with_property_service": 2,
    }
    assert body["by_district"] == [
        {
            "district": "370902",
            "district_name": "泰山区",
            "communities": 2,
            "communities_renovated": 1,
            "under_construction": 1,
            "planned": 0,
            "renovated_floor_area_m2": "10000.00",
            "households_benefited": 100,
            "budget": "600000.00",
            "spent": "380000.00",
        },
        {
            "district": "370911",
            "district_name": "岱岳区",
            "communities": 2,
            "communities_renovated": 1,
            "under_construction": 0,
            "planned": 1,
            "renovated_floor_area_m2": "5500.50",
            "households_benefited": 60,
            "budget": "40000.00",
            "spent": "40000.00",
        },
    ]
    assert body["by_year"] == [
        {
            "year": 2022,
            "communities": 1,
            "communities_renovated": 1,
            "renovated_floor_area_m2": "10000.00",
            "households_benefited": 100,
            "budget": "400000.00",
            "spent": "330000.00",
        },
        {
            "year": 2023,
            "communities": 2,
            "communities_renovated": 1,
            "renovated_floor_area_m2": "5500.50",
            "households_benefited": 60,
            "budget": "240000.00",
            "spent": "90000.00",
        },
        {
            "year": 2024,
            "communities": 1,
            "communities_renovated": 0,
            "renovated_floor_area_m2": "0.00",
            "households_benefited": 0,
            "budget": "0.00",
            "spent": "0.00",
        },
    ]
    assert body["by_category"] == [
        {
            "category": "basic",
            "category_display": "Basic",
            "items": 2,
            "budget": "140000.00",
            "spent": "120000.00",
        },
        {
            "category": "enhancement",
            "category_display": "Enhancement",
            "items": 1,
            "budget": "200000.00",
            "spent": "50000.00",
        },
        {
            "category": "improvement",
            "category_display": "Improvement",
            "items": 1,
            "budget": "300000.00",
            "spent": "250000.00",
        },
    ]
    assert body["facilities_by_kind"] == [
        {
            "kind": "canteen",
            "kind_display": "Community canteen",
            "facilities": 1,
            "capacity": 50,
            "area_m2": "120.00",
        },
        {
            "kind": "children_play_area",
            "kind_display": "Children's play area",
            "facilities": 2,
            "capacity": 0,
            "area_m2": "450.50",
        },
    ]
    assert_matches_schema(body, "/api/v1/stats/")


def test_it_reports_one_district(city):
    body = api_client().get(f"{URL}?district=370911").json()

    assert (
        body["district"],
        body["communities_renovated"],
        body["renovated_floor_area_m2"],
        body["households_benefited"],
        body["elevators_in_service"],
        body["children_play_area_m2"],
        body["communities_with_property_service"],
    ) == ("370911", 1, "5500.50", 60, 2, "150.50", 0)
    assert [row["district"] for row in body["by_district"]] == ["370911"]
    assert [row["category"] for row in body["by_category"]] == ["basic"]


def test_it_reports_one_batch_year(city):
    body = api_client().get(f"{URL}?year=2023").json()

    assert (
        body["year"],
        body["communities_renovated"],
        body["renovated_floor_area_m2"],
        body["households_benefited"],
        body["elevators_in_service"],
        body["children_play_area_m2"],
        body["communities_with_property_service"],
    ) == (2023, 1, "5500.50", 60, 2, "150.50", 1)
    assert [row["year"] for row in body["by_year"]] == [2023]


def test_it_combines_district_and_year(city):
    body = api_client().get(f"{URL}?district=370902&year=2022").json()

    assert body["communities_renovated"] == 1
    assert body["households_benefited"] == 100
    assert body["by_district"][0]["budget"] == "400000.00"


def test_it_reports_zeros_for_an_empty_city():
    body = api_client().get(URL).json()

    assert body["communities_renovated"] == 0
    assert body["renovated_floor_area_m2"] == "0.00"
    assert body["by_district"] == body["by_year"] == body["by_category"] == []
    assert_matches_schema(body, "/api/v1/stats/")


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("district=999999", "district"),
        ("district=泰山区", "district"),
        ("year=abc", "year"),
        ("year=1999", "year"),
        ("year=2022.5", "year"),
    ],
)
def test_it_rejects_an_unknown_district_or_a_malformed_year_with_400(query, parameter):
    make_district(code="370902")

    response = api_client().get(f"{URL}?{query}")

    assert response.status_code == 400
    assert list(response.json()) == [parameter]


def test_it_computes_everything_in_a_fixed_number_of_queries(city, django_assert_num_queries):
    client = api_client()

    # 1. the district (validating ?district=)  2.–5. headline: completed communities,
    # elevators, play area, communities under service  6.–7. by district: communities,
    # investment  8.–9. by year: communities, investment  10. by category  11. facilities
    with django_assert_num_queries(11):
        client.get(f"{URL}?district=370902")


def test_it_is_read_only():
    response = api_client().post(URL, {})

    assert response.status_code == 405
