"""The returns' slice of the demo: Tai'an's annual plans from 2019, and what the works
delivered in the survey's measures (km of pipe, parking spaces, charging points, m²...).

Each district's plan for a year is its batch of that year as the province assigned it (the
communities, their households and buildings, the items' budgets), listing those communities.
Every item under way or done records the quantities its kind carries (``works.kinds.
KIND_MEASURES``, the data migration 0017 seeded as ``KindMeasure`` rows), sized to its
community. Nothing here changes the headline figures: no community, item, elevator, facility
or service is added or changed. Demo plans carry ``DEMO_NOTE``, by which ``--reset`` finds them.
"""

from __future__ import annotations

import random
from collections import defaultdict
from decimal import Decimal

from communities.demo.city import DemoCity
from communities.reporting.models import AnnualPlan
from communities.works.choices import ItemStatus, Measure
from communities.works.kinds import KIND_MEASURES
from communities.works.models.quantities import ItemQuantity

DEMO_NOTE = "演示数据：省下达年度计划"
FIRST_PLAN_YEAR = 2019


def _amount(measure: str, site, item, rng: random.Random) -> Decimal:
    community = site.community
    households = max(community.households, 20)
    if measure in {
        Measure.WATER_SUPPLY_PIPE,
        Measure.DRAINAGE_PIPE,
        Measure.GAS_PIPE,
        Measure.HEATING_PIPE,
        Measure.POWER_LINE,
        Measure.TELECOM_LINE,
    }:
        # Roughly 3 to 8 m of each network per household.
        km = Decimal(households) * Decimal(rng.randint(3, 8)) / Decimal(1000)
        return max(km, Decimal("0.10")).quantize(Decimal("0.01"))
    if measure == Measure.ENERGY_RETROFIT:
        share = Decimal(rng.randint(30, 60)) / Decimal(100)
        return (community.floor_area_m2 * share).quantize(Decimal("1"))
    if measure == Measure.PARKING_SPACES:
        return Decimal(max(10, households // rng.randint(3, 6)))
    if measure == Measure.EV_CHARGING_POINTS:
        return Decimal(rng.randint(4, 20))
    if measure == Measure.EBIKE_CHARGING_POINTS:
        return Decimal(rng.randint(20, 80))
    if measure == Measure.CULTURE_FITNESS_AREA:
        return Decimal(rng.randint(10, 60) * 10)
    if measure == Measure.ELEVATORS:
        return item.quantity  # the item's elevators, as the stats count them
    return Decimal(1)  # facilities: one per item


def returns(city: DemoCity, rng: random.Random) -> None:
    """Annual plans per district and batch year, and quantities for the items begun."""
    batches: dict[tuple[str, int], list] = defaultdict(list)
    for site in city.sites:
        year = site.community.renovation_year
        if year and year >= FIRST_PLAN_YEAR:
            batches[(site.district.code, year)].append(site)
    for (code, year), sites in sorted(batches.items()):
        plan = city.add(
            AnnualPlan(
                district=city.districts[code],
                year=year,
                target_communities=len(sites),
                target_households=sum(s.community.households for s in sites),
                target_buildings=sum(s.community.buildings_count for s in sites),
                target_investment=sum(
                    (item.budget for s in sites for item in s.items), Decimal("0.00")
                ),
                note=DEMO_NOTE,
            )
        )
        for site in sites:
            city.add(AnnualPlan.communities.through(annualplan=plan, community=site.community))
    for site in city.sites:
        for item in site.items:
            if item.status not in ItemStatus.started():
                continue
            for measure in KIND_MEASURES.get(item.kind.code, ()):
                amount = _amount(measure, site, item, rng)
                city.add(ItemQuantity(item=item, measure=measure, amount=amount))
