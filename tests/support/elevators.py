"""Elevator retrofits for tests: a Tai'an building, its households, a retrofit taken to any
stage through the services, votes cast."""

from datetime import date
from decimal import Decimal

import pytest

from communities.core.errors import WrongState
from communities.elevators import services
from communities.elevators.choices import ElevatorStage, VoteChoice
from communities.elevators.models import (
    ElevatorRetrofit,
    Household,
)
from tests.support.factories import make_building, make_community, make_district

D = Decimal
START = date(2021, 3, 1)


def taian_building(**fields):
    """A six-storey building in 泰山区 (370902), where Tai'an's subsidy rule applies."""
    district = make_district(code="370902", name="泰山区")
    fields.setdefault("storeys", 6)
    return make_building(community=make_community(district=district), **fields)


def add_households(building, rows, *, unit=1) -> list[Household]:
    """``(floor, room, area)`` rows as households of one entrance unit."""
    households = []
    for floor, room, area in rows:
        household = Household(
            building=building,
            entrance_unit=unit,
            floor=floor,
            room_number=room,
            floor_area_m2=D(area),
            owner_name=f"业主{room}",
            owner_phone=f"1380000{room:0>4}",
        )
        household.full_clean()
        household.save()
        households.append(household)
    return households


SIX_FLOORS = [(floor, f"{floor}0{door}", "80.00") for floor in range(1, 7) for door in (1, 2)]


COST = D("480000.00")


def new_retrofit(*, building=None, on=START, total_cost=COST, **kwargs):
    return services.elevator_retrofit_create(
        building=building or taian_building(),
        entrance_unit=1,
        storeys_served=6,
        on=on,
        total_cost=total_cost,
        **kwargs,
    )


def cast(retrofit, households, choices) -> None:
    for household, choice in zip(households, choices, strict=False):
        services.owner_vote_record(
            retrofit=retrofit,
            household=household,
            choice=choice,
            voted_on=None if choice == VoteChoice.ABSENT else retrofit.intention_on,
        )


def advance(retrofit, to_stage, on, **kwargs):
    return services.elevator_retrofit_advance(retrofit=retrofit, to_stage=to_stage, on=on, **kwargs)


def consented(*, building=None, **kwargs) -> ElevatorRetrofit:
    """A retrofit whose three households all agreed, moved to consent on 1 April 2021 (the
    building has one entrance unit of three households, so the roster is complete)."""
    building = building or taian_building(entrance_units=1, households=3)
    retrofit = new_retrofit(building=building, **kwargs)
    households = add_households(
        building, [(3, "301", "80.00"), (4, "401", "80.00"), (5, "501", "80.00")]
    )
    cast(retrofit, households, [VoteChoice.AGREE] * len(households))
    advance(retrofit, ElevatorStage.CONSENT, date(2021, 4, 1))
    return retrofit


def at_stage(stage, *, collect: bool = True, **kwargs) -> ElevatorRetrofit:
    """A retrofit moved through the services to ``stage``, each step allowed. Once approved,
    its owners' part is invoiced and paid in full (construction waits for it) unless
    ``collect`` is false."""
    retrofit = consented(**kwargs)
    steps = {
        ElevatorStage.DESIGN: ({"on": date(2021, 4, 15)}),
        ElevatorStage.PUBLIC_NOTICE: ({"on": date(2021, 5, 1)}),
        ElevatorStage.APPROVAL: ({"on": date(2021, 5, 21)}),
        ElevatorStage.CONSTRUCTION: ({"on": date(2021, 6, 1), "permit_number": "370902202106"}),
        ElevatorStage.ACCEPTANCE: ({"on": date(2021, 9, 1)}),
        ElevatorStage.IN_SERVICE: ({"on": date(2021, 9, 20), "registration_number": "梯11鲁J0001"}),
    }
    for step, arguments in steps.items():
        if collect and retrofit.stage == ElevatorStage.APPROVAL:
            from tests.support.pay import collect_in_full

            collect_in_full(retrofit)
        if retrofit.stage == stage:
            break
        advance(retrofit, step, **arguments)
    assert retrofit.stage == stage
    return retrofit


def refused(retrofit, to_stage, on, **kwargs) -> list[str]:
    with pytest.raises(WrongState) as caught:
        advance(retrofit, to_stage, on, **kwargs)
    return caught.value.codes
