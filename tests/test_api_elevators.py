"""The API's elevator retrofits (既有住宅加装电梯), over HTTP."""

from datetime import date
from decimal import Decimal

import pytest

from communities.choices import ElevatorStage, SafetyGrade
from communities.models import ElevatorRetrofit
from tests.factories import make_building, make_community, make_district, make_elevator
from tests.test_api_support import (
    API,
    api_client,
    assert_matches_schema,
    in_service_elevator,
    writer,
)

pytestmark = pytest.mark.django_db


def _ids(response) -> set[int]:
    assert response.status_code == 200, response.json()
    return {row["id"] for row in response.json()["results"]}


def test_retrofits_are_listed_with_their_building_community_and_district():
    district = make_district(code="370902", name="泰山区")
    building = make_building(community=make_community(district=district, name="牡丹花园"))
    elevator = in_service_elevator(building=building, entrance_unit=2)

    response = api_client().get(f"{API}/elevator-retrofits/", HTTP_ACCEPT_LANGUAGE="en")

    (row,) = response.json()["results"]
    assert row["id"] == elevator.pk
    assert (row["building"], row["building_label"]) == (building.pk, building.label)
    assert (row["community"], row["community_name"], row["district"]) == (
        building.community_id,
        "牡丹花园",
        "370902",
    )
    assert (row["stage"], row["stage_display"]) == ("in_service", "In service")
    assert row["in_service_on"] == "2021-10-08"
    assert (row["total_cost"], row["subsidy"], row["owners_part"]) == (
        "280000.00",
        "150000.00",
        "130000.00",
    )
    assert_matches_schema(response.json(), "/api/v1/elevator-retrofits/")
    detail = api_client().get(f"{API}/elevator-retrofits/{elevator.pk}/")
    assert_matches_schema(detail.json(), "/api/v1/elevator-retrofits/{id}/")


@pytest.fixture
def building():
    return make_building(storeys=6, entrance_units=3)


def elevator_payload(building, **overrides) -> dict:
    payload = {
        "building": building.pk,
        "entrance_unit": 2,
        "storeys_served": 6,
        "stage": "intention",
        "intention_on": "2023-03-01",
        "total_cost": "280000.00",
        "subsidy": "150000.00",
    }
    payload.update(overrides)
    return payload


def test_it_registers_an_intention_to_add_an_elevator(building):
    response = writer("elevatorretrofit").post(
        f"{API}/elevator-retrofits/", elevator_payload(building), format="json"
    )

    assert response.status_code == 201, response.json()
    retrofit = ElevatorRetrofit.objects.get(pk=response.json()["id"])
    assert (retrofit.entrance_unit, retrofit.stage) == (2, ElevatorStage.INTENTION)
    assert retrofit.vote_rule.code == response.json()["vote_rule"]


def test_it_updates_and_deletes_a_retrofit(building):
    retrofit = make_elevator(building=building)
    client = writer("elevatorretrofit")

    updated = client.patch(
        f"{API}/elevator-retrofits/{retrofit.pk}/", {"total_cost": "290000.00"}, format="json"
    )
    deleted = client.delete(f"{API}/elevator-retrofits/{retrofit.pk}/")

    assert updated.status_code == 200, updated.json()
    assert updated.json()["total_cost"] == "290000.00"
    assert deleted.status_code == 204
    assert not ElevatorRetrofit.objects.filter(pk=retrofit.pk).exists()


ELEVATOR_RULES = [
    ("entrance unit the building lacks", {"entrance_unit": 4}, "entrance_unit"),
    ("more storeys than the building", {"storeys_served": 7}, "storeys_served"),
    ("stage without its date", {"stage": "consent"}, "consent_on"),
    ("date of a stage not reached", {"design_on": "2023-04-01"}, "design_on"),
    ("subsidy above the cost", {"subsidy": "300000.00"}, "non_field_errors"),
    ("a unit that already has one", {"entrance_unit": 1}, "non_field_errors"),
    ("serves one storey", {"storeys_served": 1}, "storeys_served"),
    ("unknown stage", {"stage": "dreaming"}, "stage"),
]


@pytest.mark.parametrize(
    ("changes", "field"),
    [(changes, field) for _, changes, field in ELEVATOR_RULES],
    ids=[name for name, _, _ in ELEVATOR_RULES],
)
def test_it_refuses_a_retrofit_the_admin_would_refuse(building, changes, field):
    make_elevator(building=building, entrance_unit=1)

    response = writer("elevatorretrofit").post(
        f"{API}/elevator-retrofits/", elevator_payload(building, **changes), format="json"
    )

    assert response.status_code == 400
    assert field in response.json(), response.json()
    assert ElevatorRetrofit.objects.count() == 1


def test_it_refuses_construction_on_a_c_building_before_reinforcement():
    dangerous = make_building(storeys=6, safety_grade=SafetyGrade.C, appraised_on=date(2021, 1, 5))
    retrofit = make_elevator(
        building=dangerous,
        stage=ElevatorStage.APPROVAL,
        consent_on=date(2021, 3, 2),
        design_on=date(2021, 3, 3),
        notice_on=date(2021, 3, 4),
        approved_on=date(2021, 4, 30),
    )

    response = writer("elevatorretrofit").patch(
        f"{API}/elevator-retrofits/{retrofit.pk}/",
        {"stage": "construction", "construction_on": "2021-05-10"},
        format="json",
    )

    assert response.status_code == 400
    assert "stage" in response.json(), response.json()
    retrofit.refresh_from_db()
    assert retrofit.stage == ElevatorStage.APPROVAL


def test_it_refuses_an_elevator_in_service_without_its_registration_number():
    retrofit = in_service_elevator()

    response = writer("elevatorretrofit").patch(
        f"{API}/elevator-retrofits/{retrofit.pk}/", {"registration_number": ""}, format="json"
    )

    assert response.status_code == 400
    retrofit.refresh_from_db()
    assert retrofit.registration_number


@pytest.fixture
def retrofits():
    taishan = make_community(district=make_district(code="370902"))
    daiyue = make_community(district=make_district(code="370911"))
    first = make_building(community=taishan)
    return {
        "serving": in_service_elevator(building=first).pk,
        "planned": make_elevator(building=first, entrance_unit=2).pk,
        "elsewhere": make_elevator(building=make_building(community=daiyue)).pk,
        "taishan": taishan.pk,
        "first": first.pk,
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("stage=in_service", {"serving"}),
        ("stage=intention", {"planned", "elsewhere"}),
        ("district=370911", {"elsewhere"}),
        ("community={taishan}", {"serving", "planned"}),
        ("building={first}", {"serving", "planned"}),
    ],
)
def test_it_filters_retrofits(retrofits, query, expected):
    response = api_client().get(f"{API}/elevator-retrofits/?{query.format(**retrofits)}")

    assert _ids(response) == {retrofits[name] for name in expected}


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("stage=flying", "stage"),
        ("district=000000", "district"),
        ("community=one", "community"),
        ("building=1.5", "building"),
    ],
)
def test_it_rejects_a_malformed_retrofit_filter_with_400(query, parameter):
    response = api_client().get(f"{API}/elevator-retrofits/?{query}")

    assert response.status_code == 400
    assert list(response.json()) == [parameter]


@pytest.mark.parametrize("rows", [5, 50])
def test_the_retrofit_list_runs_two_queries_whatever_the_page_size(rows, django_assert_num_queries):
    community = make_community()
    for number in range(rows):
        make_elevator(
            building=make_building(community=community, label=f"{number}号楼"),
            total_cost=Decimal("250000.00"),
        )
    client = api_client()

    # 1. count  2. the page of retrofits with building, community, district and vote rule
    with django_assert_num_queries(2):
        response = client.get(f"{API}/elevator-retrofits/?page_size={rows}")

    assert len(response.json()["results"]) == rows
