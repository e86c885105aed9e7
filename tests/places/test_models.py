"""The rules on districts, communities and buildings: through full_clean(), and in the database
when clean() is bypassed."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import override_settings

from communities.places.choices import RenovationStatus, SafetyGrade
from communities.places.models import Building, Community, District
from tests.support.factories import make_building, make_community, make_district

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def this_year() -> int:
    """The year the validators compare with, read when the test runs (not when the module is
    imported: a run across New Year's midnight in Shanghai would disagree with them)."""
    return date.today().year


def errors_of(obj) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as caught:
        obj.full_clean()
    return caught.value.message_dict


def assert_database_refuses(model, pk, **values) -> None:
    """The row cannot be written even by a bulk update, which skips clean() altogether."""
    with pytest.raises(IntegrityError), transaction.atomic():
        model.objects.filter(pk=pk).update(**values)


# District


def test_it_accepts_a_six_digit_administrative_code():
    make_district(code="370902", name="泰山区")

    assert District.objects.get(code="370902").name == "泰山区"


@pytest.mark.parametrize("code", ["37090", "3709021", "37090A"])
def test_it_rejects_an_administrative_code_that_is_not_six_digits(code):
    district = District(code=code, name="泰山区")

    assert "code" in errors_of(district)


def test_the_database_refuses_an_administrative_code_that_is_not_six_digits():
    district = make_district(code="370911")

    assert_database_refuses(District, district.pk, code="37091X")


def test_it_rejects_a_second_district_with_the_same_code():
    make_district(code="370921")

    assert errors_of(District(code="370921", name="宁阳县")) == {
        "code": ["District with this Administrative code already exists."]
    }


# Community: amounts, areas and counts


def test_it_rejects_a_negative_floor_area():
    community = make_community(validate=False)
    community.floor_area_m2 = Decimal("-1")

    assert errors_of(community) == {"floor_area_m2": ["This cannot be negative."]}


def test_the_database_refuses_a_negative_floor_area():
    community = make_community()

    assert_database_refuses(Community, community.pk, floor_area_m2=Decimal("-0.01"))


@pytest.mark.parametrize("field", ["households", "buildings_count"])
def test_it_rejects_a_negative_count_on_a_community(field):
    community = make_community()
    setattr(community, field, -1)

    assert errors_of(community) == {field: ["Ensure this value is greater than or equal to 0."]}


@pytest.mark.parametrize("field", ["households", "buildings_count"])
def test_the_database_refuses_a_negative_count_on_a_community(field):
    community = make_community()

    assert_database_refuses(Community, community.pk, **{field: -1})


# Community: year built


@pytest.mark.parametrize("year", [1949, 1985, "this year"])
def test_it_accepts_a_year_built_from_1949_to_this_year(year):
    year = this_year() if year == "this year" else year
    community = make_community(year_built=year)

    assert community.year_built == year


def test_it_rejects_a_year_built_before_1949():
    community = make_community()
    community.year_built = 1948

    assert errors_of(community) == {
        "year_built": ["Ensure this value is greater than or equal to 1949."]
    }


def test_it_rejects_a_year_built_in_the_future():
    community = make_community()
    year = this_year()
    community.year_built = year + 1

    assert errors_of(community) == {
        "year_built": [f"Ensure this value is less than or equal to {year}."]
    }


def test_the_database_refuses_a_year_built_before_1949():
    community = make_community()

    assert_database_refuses(Community, community.pk, year_built=1900)


@override_settings(RENOVATION={"ELIGIBLE_BUILT_BEFORE": 2001})
def test_it_rejects_a_community_built_too_late_for_the_programme():
    community = make_community()
    community.year_built = 2001
    community.renovation_status = RenovationStatus.PLANNED
    community.renovation_year = 2023

    assert errors_of(community) == {
        "year_built": ["Only communities built before 2001 are eligible for renovation."]
    }


@override_settings(RENOVATION={"ELIGIBLE_BUILT_BEFORE": 2001})
def test_it_accepts_a_community_built_too_late_while_it_is_not_in_the_programme():
    community = make_community(year_built=2005)

    assert community.renovation_status == RenovationStatus.NOT_STARTED


# Community: coordinates


@pytest.mark.parametrize(
    ("latitude", "longitude", "field"),
    [
        (Decimal("1.000000"), Decimal("117.120000"), "latitude"),
        (Decimal("60.000000"), Decimal("117.120000"), "latitude"),
        (Decimal("36.190000"), Decimal("10.000000"), "longitude"),
        (Decimal("36.190000"), Decimal("150.000000"), "longitude"),
    ],
)
def test_it_rejects_coordinates_outside_china(latitude, longitude, field):
    community = make_community()
    community.latitude, community.longitude = latitude, longitude

    assert field in errors_of(community)


def test_it_rejects_latitude_and_longitude_swapped():
    community = make_community()
    community.latitude, community.longitude = Decimal("117.120000"), Decimal("36.190000")

    assert set(errors_of(community)) == {"latitude", "longitude"}


def test_it_rejects_a_latitude_without_a_longitude():
    community = make_community()
    community.longitude = None

    assert errors_of(community) == {"longitude": ["Enter both latitude and longitude, or neither."]}


def test_it_accepts_a_community_without_coordinates():
    community = make_community(latitude=None, longitude=None)

    assert community.latitude is None


@pytest.mark.parametrize(
    "values", [{"latitude": Decimal("0.000000")}, {"longitude": Decimal("-117.120000")}]
)
def test_the_database_refuses_coordinates_outside_china(values):
    community = make_community()

    assert_database_refuses(Community, community.pk, **values)


@pytest.mark.parametrize("values", [{"longitude": None}, {"latitude": None}])
def test_the_database_refuses_half_given_coordinates(values):
    community = make_community()

    assert_database_refuses(Community, community.pk, **values)


# Community: status and dates


def test_it_rejects_a_completion_date_before_the_start_date():
    community = make_community(renovation_status=RenovationStatus.COMPLETED)
    community.completed_on = community.started_on - timedelta(days=1)

    assert errors_of(community) == {
        "__all__": ["The completion date cannot be before the start date."]
    }


def test_the_database_refuses_a_completion_date_before_the_start_date():
    community = make_community(renovation_status=RenovationStatus.COMPLETED)

    assert_database_refuses(Community, community.pk, completed_on=date(2020, 1, 1))


def test_it_rejects_a_completed_community_without_its_completion_date():
    community = make_community(renovation_status=RenovationStatus.COMPLETED)
    community.completed_on = None

    assert errors_of(community) == {
        "completed_on": ["A completed community needs its completion date."]
    }


def test_it_rejects_a_completion_date_on_a_community_not_completed():
    community = make_community(renovation_status=RenovationStatus.UNDER_CONSTRUCTION)
    community.completed_on = date(2022, 12, 1)

    assert errors_of(community) == {
        "completed_on": ["Only a completed community has a completion date."]
    }


def test_it_rejects_work_begun_without_a_start_date():
    community = make_community(renovation_status=RenovationStatus.PLANNED)
    community.renovation_status = RenovationStatus.UNDER_CONSTRUCTION

    assert errors_of(community) == {"started_on": ["Work that has begun needs its start date."]}


def test_it_rejects_a_community_in_the_programme_without_a_batch_year():
    community = make_community()
    community.renovation_status = RenovationStatus.PLANNED

    assert errors_of(community) == {
        "renovation_year": ["A community in the programme needs its batch year."]
    }


# Building


def test_it_rejects_a_building_without_storeys_or_entrance_units():
    building = make_building(validate=False)
    building.storeys, building.entrance_units = 0, 0

    assert errors_of(building) == {
        "storeys": ["Ensure this value is greater than or equal to 1."],
        "entrance_units": ["Ensure this value is greater than or equal to 1."],
    }


@pytest.mark.parametrize(
    "values", [{"storeys": 0}, {"entrance_units": 0}, {"households": -1}, {"year_built": 1948}]
)
def test_the_database_refuses_impossible_building_figures(values):
    building = make_building()

    assert_database_refuses(Building, building.pk, **values)


def test_it_rejects_a_negative_household_count_on_a_building():
    building = make_building()
    building.households = -1

    assert errors_of(building) == {
        "households": ["Ensure this value is greater than or equal to 0."]
    }


@pytest.mark.parametrize("year", [1948, "next year"])
def test_it_rejects_a_building_year_outside_1949_to_this_year(year):
    if year == "next year":
        year = this_year() + 1
        message = f"Ensure this value is less than or equal to {year - 1}."
    else:
        message = "Ensure this value is greater than or equal to 1949."
    building = make_building()
    building.year_built = year

    assert errors_of(building) == {"year_built": [message]}


def test_it_rejects_a_safety_grade_without_its_appraisal_date():
    building = make_building()
    building.safety_grade = SafetyGrade.C

    assert errors_of(building) == {
        "appraised_on": ["A safety grade needs the date of its appraisal."]
    }


def test_the_database_refuses_a_safety_grade_without_its_appraisal_date():
    building = make_building()

    assert_database_refuses(Building, building.pk, safety_grade=SafetyGrade.D)


def test_it_rejects_an_appraisal_dated_in_the_future():
    building = make_building()
    building.safety_grade = SafetyGrade.B
    building.appraised_on = date.today() + timedelta(days=1)

    assert errors_of(building) == {"appraised_on": ["The appraisal date cannot be in the future."]}


def test_it_rejects_two_buildings_with_the_same_number_in_a_community():
    first = make_building(label="3号楼")
    second = Building(community=first.community, label="3号楼", storeys=6)

    assert errors_of(second) == {
        "__all__": ["This community already has a building with this number."]
    }


def test_the_database_refuses_two_buildings_with_the_same_number_in_a_community():
    first = make_building(label="3号楼")
    second = make_building(community=first.community, label="4号楼")

    assert_database_refuses(Building, second.pk, label="3号楼")


def test_it_accepts_the_same_building_number_in_another_community():
    first = make_building(label="3号楼")
    second = make_building(label="3号楼")

    assert first.community_id != second.community_id
