"""The rules on elevator retrofits: through full_clean(), and in the database when clean() is
bypassed."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from communities.elevators.choices import ElevatorStage
from communities.elevators.models import STAGE_DATE_FIELDS, ElevatorRetrofit
from communities.places.choices import SafetyGrade
from tests.support.factories import make_building, make_elevator

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

REINFORCE_FIRST = (
    "Reinforce first: building {building} is graded {grade}; no elevator may be built until "
    "it is reinforced and re-appraised A or B."
)


def unsaved_elevator(*, building, stage, **fields) -> ElevatorRetrofit:
    """A retrofit at ``stage`` with a date for each stage reached, not saved: the database
    (rightly) refuses some of the rows these tests need clean() to judge."""
    ordered = ElevatorStage.ordered()
    reached = [ordered[0], stage] if stage not in ordered else ordered[: ordered.index(stage) + 1]
    for offset, step in enumerate(reached):
        # A month apart: longer than any notice period a stage has to wait for.
        fields.setdefault(STAGE_DATE_FIELDS[step], date(2021, 1, 1) + timedelta(days=30 * offset))
    fields.setdefault("storeys_served", building.storeys)
    return ElevatorRetrofit(building=building, entrance_unit=1, stage=stage, **fields)


def errors_of(obj) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as caught:
        obj.full_clean()
    return caught.value.message_dict


def assert_database_refuses(model, pk, **values) -> None:
    """The row cannot be written even by a bulk update, which skips clean() altogether."""
    with pytest.raises(IntegrityError), transaction.atomic():
        model.objects.filter(pk=pk).update(**values)


# Storeys and units


def test_it_rejects_an_elevator_serving_fewer_than_2_storeys():
    retrofit = make_elevator()
    retrofit.storeys_served = 1

    assert errors_of(retrofit) == {
        "storeys_served": ["Ensure this value is greater than or equal to 2."]
    }


def test_the_database_refuses_an_elevator_serving_fewer_than_2_storeys():
    retrofit = make_elevator()

    assert_database_refuses(ElevatorRetrofit, retrofit.pk, storeys_served=1)


def test_it_rejects_an_elevator_for_a_single_storey_building():
    building = make_building(storeys=1, label="平房")
    retrofit = unsaved_elevator(building=building, stage=ElevatorStage.INTENTION, storeys_served=2)

    errors = errors_of(retrofit)

    assert errors["building"] == ["An elevator needs a building of at least 2 storeys."]
    assert errors["storeys_served"] == ["Building 平房 has only 1 storeys."]


def test_it_accepts_an_elevator_for_a_two_storey_building():
    building = make_building(storeys=2)

    retrofit = make_elevator(building=building, storeys_served=2)

    assert retrofit.storeys_served == 2


def test_it_rejects_more_storeys_than_the_building_has():
    building = make_building(storeys=6, label="3号楼")
    retrofit = make_elevator(building=building)
    retrofit.storeys_served = 7

    assert errors_of(retrofit) == {"storeys_served": ["Building 3号楼 has only 6 storeys."]}


def test_it_rejects_an_entrance_unit_the_building_does_not_have():
    building = make_building(entrance_units=3, label="3号楼")
    retrofit = make_elevator(building=building)
    retrofit.entrance_unit = 4

    assert errors_of(retrofit) == {"entrance_unit": ["Building 3号楼 has only 3 entrance unit(s)."]}


def test_it_rejects_entrance_unit_zero():
    retrofit = make_elevator()
    retrofit.entrance_unit = 0

    assert errors_of(retrofit) == {
        "entrance_unit": ["Ensure this value is greater than or equal to 1."]
    }


def test_it_rejects_a_second_retrofit_under_way_for_the_same_unit():
    first = make_elevator(entrance_unit=2)
    second = ElevatorRetrofit(
        building=first.building, entrance_unit=2, storeys_served=6, intention_on=date(2022, 1, 1)
    )

    assert errors_of(second) == {
        "__all__": ["This entrance unit already has an elevator retrofit under way."]
    }


def test_the_database_refuses_a_second_retrofit_under_way_for_the_same_unit():
    first = make_elevator(entrance_unit=1)
    second = make_elevator(building=first.building, entrance_unit=2)

    assert_database_refuses(ElevatorRetrofit, second.pk, entrance_unit=1)


def test_it_accepts_a_new_retrofit_for_a_unit_whose_last_one_was_withdrawn():
    first = make_elevator(entrance_unit=2, stage=ElevatorStage.WITHDRAWN)

    second = make_elevator(building=first.building, entrance_unit=2)

    assert second.pk != first.pk


# Money


@pytest.mark.parametrize("field", ["total_cost", "subsidy"])
def test_it_rejects_negative_money_on_a_retrofit(field):
    retrofit = make_elevator()
    setattr(retrofit, field, Decimal("-1.00"))

    assert "Cost and subsidy cannot be negative." in errors_of(retrofit).get("__all__", [])


@pytest.mark.parametrize("field", ["total_cost", "subsidy"])
def test_the_database_refuses_negative_money_on_a_retrofit(field):
    retrofit = make_elevator()

    assert_database_refuses(ElevatorRetrofit, retrofit.pk, **{field: Decimal("-1.00")})


def test_it_rejects_a_subsidy_above_the_cost():
    retrofit = make_elevator(total_cost=Decimal("500000.00"))
    retrofit.subsidy = Decimal("500000.01")

    assert "The subsidy cannot exceed the total cost." in errors_of(retrofit).get("__all__", [])


def test_the_database_refuses_a_subsidy_above_the_cost():
    retrofit = make_elevator(total_cost=Decimal("500000.00"))

    assert_database_refuses(ElevatorRetrofit, retrofit.pk, subsidy=Decimal("500000.01"))


# Reinforce first


@pytest.mark.parametrize("grade", [SafetyGrade.C, SafetyGrade.D])
@pytest.mark.parametrize(
    "stage", [ElevatorStage.CONSTRUCTION, ElevatorStage.ACCEPTANCE, ElevatorStage.IN_SERVICE]
)
def test_it_refuses_to_build_an_elevator_on_a_dangerous_building(grade, stage):
    building = make_building(label="7号楼", safety_grade=grade, appraised_on=date(2021, 1, 5))
    retrofit = unsaved_elevator(building=building, stage=stage)

    assert errors_of(retrofit)["stage"] == [REINFORCE_FIRST.format(building="7号楼", grade=grade)]


@pytest.mark.parametrize(
    "stage", [ElevatorStage.CONSENT, ElevatorStage.APPROVAL, ElevatorStage.WITHDRAWN]
)
def test_it_lets_an_elevator_on_a_dangerous_building_be_prepared(stage):
    building = make_building(safety_grade=SafetyGrade.C, appraised_on=date(2021, 1, 5))
    retrofit = unsaved_elevator(building=building, stage=stage)

    retrofit.full_clean()

    assert retrofit.stage == stage


def test_it_lets_construction_start_once_the_building_is_re_appraised_a():
    building = make_building(safety_grade=SafetyGrade.A, appraised_on=date(2021, 1, 5))
    retrofit = unsaved_elevator(building=building, stage=ElevatorStage.CONSTRUCTION)

    retrofit.full_clean()

    assert retrofit.stage == ElevatorStage.CONSTRUCTION


# Stage dates


def test_it_rejects_a_stage_without_its_date():
    retrofit = make_elevator(stage=ElevatorStage.CONSENT)
    retrofit.consent_on = None

    assert errors_of(retrofit) == {"consent_on": ["Give the date this stage was reached."]}


def test_it_rejects_a_stage_dated_before_the_one_before_it():
    retrofit = make_elevator(stage=ElevatorStage.CONSENT, intention_on=date(2021, 3, 1))
    retrofit.consent_on = date(2021, 2, 1)

    assert errors_of(retrofit) == {
        "consent_on": ["A stage cannot be reached before the one before it."]
    }


def test_it_rejects_a_date_for_a_stage_not_reached_yet():
    retrofit = make_elevator(stage=ElevatorStage.DESIGN)
    retrofit.in_service_on = date(2023, 1, 1)

    assert errors_of(retrofit) == {"in_service_on": ["This stage has not been reached yet."]}
