"""Generation steps for places: communities, then their buildings and safety appraisals."""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal
from math import ceil

from communities.demo import taian
from communities.demo.city import (
    DemoCity,
    Site,
    Status,
    allocate,
    between,
    cents,
    coordinate,
    days,
    weighted,
)
from communities.places.choices import SafetyGrade
from communities.places.models import Building, Community, District

# After this many names in a row already taken, a name gets a phase or part (二期, 北区…).
NAME_MISSES = 60
NAME_PARTS = ("二期", "三期", "北区", "南区", "东区", "西区", "东院", "西院")
UNIT_FLOOR_HOUSEHOLDS = 2  # 一梯两户: two flats per landing, the common old layout
STOREYS = {2: 2, 3: 4, 4: 12, 5: 26, 6: 42, 7: 14}
UNITS = {1: 12, 2: 35, 3: 38, 4: 15}
# The dangerous buildings (one per community) by the status of their community.
DANGEROUS = {
    Status.COMPLETED: [SafetyGrade.C] * 8,  # reinforced during the works, re-appraised B
    Status.UNDER_CONSTRUCTION: [SafetyGrade.C] * 5 + [SafetyGrade.D],  # being reinforced
    Status.PLANNED: [SafetyGrade.C] * 3 + [SafetyGrade.D],  # reinforcement planned
    Status.NOT_STARTED: [SafetyGrade.D] * 2,  # waiting
}


def places(city: DemoCity, rng: random.Random) -> None:
    """Communities in the six districts: the named ones, then generated ones by status, then
    the later batches (2023 to today's year).

    The communities completed by the report day (``taian.REPORT_DAY``) are drawn first, the
    same whatever ``city.today`` is, and their households and floor areas are allocated so that
    they add up to the headline figures exactly. The communities under construction began
    75–300 days before today (not before ``taian.LATER_FROM``); those planned belong to next
    year's batch. Each later batch is drawn from its own generator (seeded by its year), so
    loading on a later day only adds to it: a community of it is completed if its works ended
    a week before today, under construction if they began ``taian.LATER_BEGUN_DAYS`` before
    today, and not yet there otherwise.
    """
    named_names = {named.name for named in taian.NAMED}
    named_neighbourhoods = {named.neighbourhood for named in taian.NAMED}
    supplies = {}
    for spec in taian.DISTRICTS:
        district = city.districts[spec.code]
        named = taian.NAMED if spec.code == taian.NAMED_DISTRICT else ()
        for entry in named:
            community = _named_community(entry, district)
            city.sites.append(Site(community=community, district=spec, named=entry))
        names = supplies[spec.code] = _community_names(spec, rng, exclude=named_names)
        statuses = (
            [Status.COMPLETED] * (spec.completed - len(named))
            + [Status.UNDER_CONSTRUCTION] * spec.under_construction
            + [Status.PLANNED] * spec.planned
            + [Status.NOT_STARTED] * spec.not_started
        )
        for status in statuses:
            community = _generated_community(
                city, spec, district, next(names), status, rng, named_neighbourhoods
            )
            city.sites.append(Site(community=community, district=spec))
    _size_communities(city, rng)
    _later_batches(city, rng.random(), supplies, named_neighbourhoods)
    for site in city.sites:
        city.add(site.community)


def _later_batches(city: DemoCity, seed: float, supplies, named_neighbourhoods) -> None:
    """The batches after the report, from 2023 to today's year (see ``places``)."""
    shares = allocate(taian.LATER_BATCH_SIZE, [spec.completed for spec in taian.DISTRICTS])
    for year in range(taian.FIRST_LATER_BATCH, city.today.year + 1):
        rng = random.Random(f"{seed}:{year}")
        for spec, count in zip(taian.DISTRICTS, shares, strict=True):
            for _ in range(count):
                # Drawn whether or not it is kept, so that a later day only adds communities.
                community = _generated_community(
                    city,
                    spec,
                    city.districts[spec.code],
                    next(supplies[spec.code]),
                    Status.COMPLETED,
                    rng,
                    named_neighbourhoods,
                    year=year,
                )
                households = int(220 * _size_weight(rng))
                area = cents(int(households * rng.uniform(70, 105) * 100))
                if community.completed_on <= days(city.today, -7):
                    pass
                elif community.started_on <= days(city.today, -taian.LATER_BEGUN_DAYS):
                    community.renovation_status = Status.UNDER_CONSTRUCTION
                    community.completed_on = None
                else:
                    continue
                community.households, community.floor_area_m2 = households, area
                city.sites.append(Site(community=community, district=spec, later=True))


def _named_community(entry: taian.NamedCommunity, district: District) -> Community:
    return Community(
        name=entry.name,
        district=district,
        subdistrict=entry.subdistrict,
        neighbourhood=entry.neighbourhood,
        address=f"{district.name}{entry.street}{entry.number}号",
        latitude=Decimal(entry.latitude),
        longitude=Decimal(entry.longitude),
        year_built=entry.year_built,
        households=entry.households,
        floor_area_m2=entry.floor_area_m2,
        renovation_year=entry.renovation_year,
        renovation_status=Status.COMPLETED,
        started_on=entry.started_on,
        completed_on=entry.completed_on,
        is_demonstration=entry.is_demonstration,
        demonstration_note=entry.demonstration_note,
    )


def _community_names(spec: taian.DistrictSpec, rng: random.Random, *, exclude: set[str]):
    """An endless supply of distinct, realistic names for one district."""
    used = set(exclude)
    work_units = spec.work_units + taian.WORK_UNITS
    misses = 0
    while True:
        if rng.random() < 0.62:
            name = rng.choice(spec.places) + weighted(rng, taian.PLACE_SUFFIXES)
        else:
            name = rng.choice(work_units) + weighted(rng, taian.WORK_UNIT_SUFFIXES)
        if misses > NAME_MISSES:  # the plain names run out: 东岳小区二期, 粮食局宿舍北区…
            name += rng.choice(NAME_PARTS)
        if name not in used:
            used.add(name)
            misses = 0
            yield name
        else:
            misses += 1


def _generated_community(
    city, spec, district, name, status, rng, named_neighbourhoods, *, year=None
) -> Community:
    subdistrict = rng.choice(spec.subdistricts)
    # The named neighbourhoods (乐园社区, 东湖社区…) hold only the communities the report names.
    neighbourhoods = [n for n in subdistrict.neighbourhoods if n not in named_neighbourhoods]
    lat, lng = spec.centre
    dlat, dlng = spec.spread
    community = Community(
        name=name,
        district=district,
        subdistrict=subdistrict.name,
        neighbourhood=rng.choice(neighbourhoods) if neighbourhoods else "",
        address=f"{spec.name}{rng.choice(spec.streets)}{rng.randint(1, 260)}号",
        latitude=coordinate(lat + rng.uniform(-dlat, dlat)),
        longitude=coordinate(lng + rng.uniform(-dlng, dlng)),
        year_built=min(2000, int(rng.triangular(1976, 2001, 1993))),
        renovation_status=status,
    )
    today = city.today
    if status == Status.COMPLETED and year is not None:  # a later batch's
        community.renovation_year = year
        spring = max(date(year, 3, 1), taian.LATER_FROM)
        community.started_on = between(rng, spring, date(year, 6, 30))
        # Some works run into the next summer: a community completes in every month.
        community.completed_on = days(community.started_on, rng.randint(150, 420))
    elif status == Status.COMPLETED:
        year = weighted(rng, taian.COMPLETED_BATCH_WEIGHTS)
        community.renovation_year = year
        community.started_on = between(rng, date(year, 3, 1), date(year, 6, 10))
        community.completed_on = min(
            days(community.started_on, rng.randint(150, 300)), taian.LAST_COMPLETION
        )
    elif status == Status.UNDER_CONSTRUCTION:
        # This season's works, a few of them lagging from the season before.
        # One draw of a fixed size whatever the day, so the history drawn after it is the same.
        latest = days(today, -taian.LATER_BEGUN_DAYS)
        span = (latest - max(days(today, -300), taian.LATER_FROM)).days
        community.started_on = days(latest, -int(rng.random() * (span + 1)))
        community.renovation_year = community.started_on.year
    elif status == Status.PLANNED:
        community.renovation_year = today.year + 1  # next year's batch
    return community


def _size_communities(city: DemoCity, rng: random.Random) -> None:
    """Households and floor area; the completed ones add up to the headline figures."""
    generated = [site for site in city.history if site.named is None]
    named = [site for site in city.sites if site.named is not None]
    households_left = taian.HEADLINE["households_benefited"] - sum(
        site.community.households for site in named
    )
    area_left = taian.HEADLINE["renovated_floor_area_m2"] - sum(
        (site.community.floor_area_m2 for site in named), Decimal("0")
    )
    households = allocate(households_left, [_size_weight(rng) for _ in generated])
    per_household = [count * rng.uniform(72, 110) for count in households]
    area_cents = allocate(int(area_left * 100), per_household)
    for site, count, area in zip(generated, households, area_cents, strict=True):
        site.community.households = count
        site.community.floor_area_m2 = cents(area)
    for site in city.sites:
        if site.status != Status.COMPLETED:
            count = int(220 * _size_weight(rng))
            site.community.households = count
            site.community.floor_area_m2 = cents(int(count * rng.uniform(70, 105) * 100))


def _size_weight(rng: random.Random) -> float:
    """Community sizes are skewed: many of 100–300 households, a few of 700 and more."""
    return min(4.0, max(0.25, rng.lognormvariate(0, 0.6)))


def buildings(city: DemoCity, rng: random.Random) -> None:
    """Each community's buildings, holding exactly its households, with safety appraisals.

    A few buildings are dangerous (C or D): in communities under construction they are being
    reinforced, in planned ones reinforcement is planned, in some not started they wait; in a
    few completed communities they were C, were reinforced first and re-appraised B.
    """
    for site in city.sites:
        community = site.community
        for number, (storeys, units, households) in enumerate(
            _split_households(community.households, rng), start=1
        ):
            building = Building(
                community=community,
                label=f"{number}号楼",
                storeys=storeys,
                entrance_units=units,
                households=households,
                year_built=min(2000, community.year_built + rng.choice((0, 0, 0, 1, 2))),
            )
            _appraise(city, building, site, rng)
            site.buildings.append(city.add(building))
        community.buildings_count = len(site.buildings)
    _make_dangerous(city, rng)


def _split_households(households: int, rng: random.Random) -> list[tuple[int, int, int]]:
    """(storeys, entrance units, households) per building; the last takes the rest."""
    specs: list[tuple[int, int, int]] = []
    remaining = households
    while remaining > 0:
        storeys, units = weighted(rng, STOREYS), weighted(rng, UNITS)
        full = storeys * units * UNIT_FLOOR_HOUSEHOLDS
        if remaining > full:
            specs.append((storeys, units, full))
            remaining -= full
        elif remaining < 8:
            last = specs[-1] if specs else (0, 0, 0)
            if count_fits(last, last[2] + remaining):
                # A handful left over: extra flats on the ground floor of the last building.
                specs[-1] = (last[0], last[1], last[2] + remaining)
            else:  # or a small block of its own
                specs.append((max(2, ceil(remaining / UNIT_FLOOR_HOUSEHOLDS)), 1, remaining))
            remaining = 0
        else:
            units = max(1, ceil(remaining / (storeys * UNIT_FLOOR_HOUSEHOLDS)))
            specs.append((storeys, units, remaining))
            remaining = 0
    return specs


def count_fits(spec: tuple[int, int, int], households: int) -> bool:
    """At most three flats per landing (storeys × entrance units × 3)."""
    storeys, units, _ = spec
    return households <= storeys * units * 3


def _appraise(city: DemoCity, building: Building, site: Site, rng: random.Random) -> None:
    """Most buildings are appraised A or B before their community's works begin."""
    share = {
        Status.COMPLETED: 0.65,
        Status.UNDER_CONSTRUCTION: 0.65,
        Status.PLANNED: 0.5,
        Status.NOT_STARTED: 0.2,
    }[site.status]
    if rng.random() >= share:
        return
    building.safety_grade = SafetyGrade.A if rng.random() < 0.6 else SafetyGrade.B
    building.appraiser = rng.choice(taian.APPRAISERS)
    started = site.community.started_on
    if started:
        building.appraised_on = days(started, -rng.randint(20, 150))
    else:
        building.appraised_on = between(rng, days(city.today, -600), days(city.today, -30))


def _make_dangerous(city: DemoCity, rng: random.Random) -> None:
    for status, grades in DANGEROUS.items():
        candidates = [
            site for site in city.with_status(status) if site.named is None and not site.later
        ]
        for site, grade in zip(rng.sample(candidates, len(grades)), grades, strict=True):
            tall = [b for b in site.buildings if b.storeys >= 4]
            building = rng.choice(tall or site.buildings)
            building.appraiser = taian.APPRAISERS[0]
            if status == Status.COMPLETED:
                # Now B; the renovation step dates the re-appraisal after the reinforcement.
                building.safety_grade = SafetyGrade.B
                site.reinforced.append(building)
            else:
                building.safety_grade = grade
                if not building.appraised_on:
                    start = site.community.started_on or days(city.today, -120)
                    building.appraised_on = days(start, -rng.randint(30, 120))
