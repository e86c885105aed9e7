"""Generation step for facilities: what the renovation items built, open or not yet."""

from __future__ import annotations

import random
from decimal import Decimal

from communities.demo import taian
from communities.demo.city import DemoCity, allocate, cents, days
from communities.works.choices import FacilityKind, ItemStatus
from communities.works.models.facilities import Facility
from communities.works.models.items import RenovationItem

CAPACITY = {
    FacilityKind.CANTEEN: (30, 80),  # seats
    FacilityKind.DAY_CARE: (20, 40),  # places
    FacilityKind.CHILDCARE: (20, 60),  # places
    FacilityKind.PARCEL_LOCKER: (80, 240),  # compartments
}
# Areas of facilities whose item is not measured in m² of the facility itself.
AREA = {
    FacilityKind.CANTEEN: (80, 200),
    FacilityKind.DAY_CARE: (150, 300),
    FacilityKind.EBIKE_CHARGING: (60, 240),
    FacilityKind.PARCEL_LOCKER: (4, 12),
}
# What the report says of the named places' facilities (乐园社区's canteen seats 50).
NAMED_FACILITIES = {
    ("乐园小区", FacilityKind.CANTEEN): {"capacity": 50, "area_m2": Decimal("150.00")},
    ("乐园小区", FacilityKind.DAY_CARE): {"capacity": 30, "area_m2": Decimal("260.00")},
}


def facilities(city: DemoCity, rng: random.Random) -> None:
    """The facilities the items built: open once their item is done, not yet open while it is
    under way, not there while it is only planned. The children's play areas open by the report
    day add up to the headline figure exactly (the later batches' open after it)."""
    history = set(city.history)
    open_play = [
        planned
        for planned in city.planned_facilities
        if planned.kind == FacilityKind.CHILDREN_PLAY_AREA
        and planned.item.status in ItemStatus.finished()
        and planned.site in history
    ]
    total = int(taian.HEADLINE["children_play_area_m2"] * 100)
    shares = allocate(total, [rng.uniform(50, 120) for _ in open_play])
    play_area = {id(planned): share for planned, share in zip(open_play, shares, strict=True)}
    for planned in city.planned_facilities:
        item = planned.item
        if item.status not in ItemStatus.started():
            continue
        community = planned.site.community
        facility = Facility(
            community=community, kind=planned.kind, name=planned.name, renovation_item=item
        )
        if item.status in ItemStatus.finished():
            opened = days(item.actual_end, rng.randint(5, 40))
            # What the report's communities built was open by the report day; later, by today.
            last = taian.REPORT_DAY if planned.site in history else city.today
            facility.opened_on = min(opened, last)
        _size(facility, item, rng)
        if id(planned) in play_area:
            facility.area_m2 = cents(play_area[id(planned)])
            item.quantity = facility.area_m2
        for attribute, value in NAMED_FACILITIES.get((community.name, planned.kind), {}).items():
            setattr(facility, attribute, value)
        planned.site.facilities.append(city.add(facility))


def _size(facility: Facility, item: RenovationItem, rng: random.Random) -> None:
    kind = facility.kind
    if kind in CAPACITY:
        facility.capacity = rng.randint(*CAPACITY[kind])
    elif kind in {FacilityKind.EBIKE_CHARGING, FacilityKind.CAR_CHARGING, FacilityKind.PARKING}:
        facility.capacity = int(item.quantity)  # charging points, parking spaces
    if kind in AREA:
        facility.area_m2 = Decimal(rng.randint(*AREA[kind])).quantize(Decimal("0.01"))
    elif kind == FacilityKind.PARKING:
        facility.area_m2 = Decimal(int(item.quantity) * 25).quantize(Decimal("0.01"))
    elif item.unit == "m²":
        facility.area_m2 = Decimal(item.quantity).quantize(Decimal("0.01"))
