"""Generation step for renovation items in the three national categories, and their funding."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from communities.demo import taian
from communities.demo.city import (
    DemoCity,
    PlannedFacility,
    Site,
    Status,
    allocate,
    between,
    days,
    money,
    weighted,
    yuan,
)
from communities.places.choices import SafetyGrade
from communities.places.models import Building, BuildingAppraisal
from communities.works.choices import FacilityKind, FundingSource, ItemStatus
from communities.works.models.items import FundingLine, RenovationItem

MIN_BUDGET, MAX_BUDGET = 50_000, 3_000_000


@dataclass(frozen=True)
class ItemTemplate:
    """A kind of item as the demo writes it. Quantity and budget are per m² of the community's
    floor area when ``per_area``, else absolute (``price`` then gives yuan per unit)."""

    key: str
    kind: str
    title: str
    unit: str
    quantity: tuple[float, float]
    budget: tuple[float, float]
    per_area: bool = True
    price: bool = False


T = ItemTemplate
TEMPLATES: tuple[ItemTemplate, ...] = (
    T("reinforce", "structural-reinforcement", "{building}危房结构加固", "m²", (0, 0), (450, 800)),
    # basic
    T("rain-sewage", "water-drainage", "雨污分流及供水管网改造", "m", (0.06, 0.12), (25, 45)),
    T("power", "power", "供电线路及配电设施改造", "m", (0.03, 0.06), (10, 20)),
    T("gas", "gas", "燃气管道更新改造", "m", (0.03, 0.05), (8, 15)),
    T("heating", "heating", "供热管网及换热设施改造", "m", (0.04, 0.07), (15, 30)),
    T("roads", "roads", "小区道路硬化及路面翻修", "m²", (0.2, 0.35), (15, 30)),
    T("roof", "roof-waterproofing", "屋面防水翻新", "m²", (0.16, 0.2), (20, 35)),
    T("insulation", "wall-insulation", "外墙保温及立面整治", "m²", (0.6, 0.8), (60, 110)),
    T("fire", "fire-safety", "消防通道及消防设施完善", "处", (4, 20), (8_000, 20_000), False, True),
    T("lighting", "lighting", "楼道及庭院照明改造", "盏", (0.002, 0.005), (2, 5)),
    T("security", "security", "安防监控及智能门禁", "个", (0.001, 0.003), (3, 6)),
    T("cables", "cables", "弱电管线规整入地", "m", (0.05, 0.09), (5, 10)),
    # improvement
    T("parking", "parking", "停车位划设及停车场改造", "个", (0.003, 0.007), (5, 12)),
    T("ebike", "charging", "电动自行车充电车棚", "个", (0.002, 0.004), (2, 5)),
    T("car-charging", "charging", "新能源汽车充电桩", "个",
      (4, 16), (15_000, 20_000), False, True),
    T("barrier-free", "barrier-free", "无障碍坡道及楼道扶手", "处",
      (4, 20), (3_000, 9_000), False, True),
    T("fitness", "fitness", "健身器材及健身步道", "m²", (120, 400), (80_000, 300_000), False),
    T("greening", "greening", "绿化补植及景观提升", "m²", (0.08, 0.15), (6, 12)),
    T("leisure-square", "greening", "休闲广场建设", "m²", (600, 1500), (300_000, 900_000), False),
    T("property-room", "property-room", "物业用房改造", "m²", (40, 120), (80_000, 300_000), False),
    T("lockers", "parcel-lockers", "智能快递柜安装", "组", (2, 6), (50_000, 120_000), False),
    T("waste", "waste-sorting", "垃圾分类投放点建设", "处", (2, 8), (50_000, 150_000), False),
    # enhancement
    T("day-care-canteen", "elderly-care", "日间照料中心及幸福食堂", "m²",
      (200, 450), (400_000, 900_000), False),
    T("play-area", "children-play", "儿童游乐场地建设", "m²", (50, 120), (150_000, 450_000), False),
    T("childcare", "childcare", "托育服务点建设", "m²", (100, 300), (200_000, 600_000), False),
    T("service-centre", "service-centre", "社区综合服务站", "m²",
      (150, 500), (300_000, 900_000), False),
    T("grid-station", "service-centre", "网格服务站建设", "m²", (30, 60), (60_000, 150_000), False),
    T("party-centre", "party-culture", "党建文化中心", "m²", (150, 500), (300_000, 800_000), False),
    T("emergency", "emergency", "应急救援站", "m²", (20, 60), (60_000, 200_000), False),
    T("convenience", "convenience", "便民服务网点", "m²", (30, 120), (60_000, 200_000), False),
    T("smart", "smart-community", "智慧社区平台及智能门禁", "套", (1, 1), (80_000, 400_000), False),
)  # fmt: skip
TEMPLATE = {template.key: template for template in TEMPLATES}

# The facilities an item of a template builds: (kind, name pattern).
BUILDS: dict[str, tuple[tuple[str, str], ...]] = {
    "parking": ((FacilityKind.PARKING, "{community}停车场"),),
    "ebike": ((FacilityKind.EBIKE_CHARGING, "{community}充电车棚"),),
    "car-charging": ((FacilityKind.CAR_CHARGING, "{community}汽车充电桩"),),
    "fitness": ((FacilityKind.FITNESS, "{community}健身广场"),),
    "leisure-square": ((FacilityKind.LEISURE_SQUARE, "{community}休闲广场"),),
    "lockers": ((FacilityKind.PARCEL_LOCKER, "{community}智能快递柜"),),
    "waste": ((FacilityKind.WASTE_SORTING, "{community}垃圾分类投放点"),),
    "day-care-canteen": (
        (FacilityKind.DAY_CARE, "{neighbourhood}日间照料中心"),
        (FacilityKind.CANTEEN, "{neighbourhood}幸福食堂"),
    ),
    "play-area": ((FacilityKind.CHILDREN_PLAY_AREA, "{community}儿童游乐场"),),
    "childcare": ((FacilityKind.CHILDCARE, "{community}托育服务点"),),
    "service-centre": ((FacilityKind.SERVICE_CENTRE, "{community}综合服务站"),),
    "grid-station": ((FacilityKind.GRID_STATION, "{community}网格服务站"),),
    "party-centre": ((FacilityKind.PARTY_CULTURE_CENTRE, "{community}党群服务中心"),),
    "emergency": ((FacilityKind.EMERGENCY_STATION, "{community}应急救援站"),),
    "convenience": ((FacilityKind.CONVENIENCE_SHOP, "{community}便民服务点"),),
}

BASIC_ALWAYS = ("rain-sewage", "roads", "roof")
BASIC_OPTIONAL = ("power", "gas", "heating", "insulation", "fire", "lighting", "security")
BASIC_OPTIONAL += ("cables",)
IMPROVEMENT = ("parking", "ebike", "car-charging", "barrier-free", "fitness", "greening")
IMPROVEMENT += ("leisure-square", "property-room", "lockers", "waste")
ENHANCEMENT = ("day-care-canteen", "childcare", "service-centre", "grid-station", "party-centre")
ENHANCEMENT += ("emergency", "convenience", "smart")
UTILITY_KINDS = {"water-drainage", "power", "gas", "heating", "cables"}

# Completed communities with a children's play area that counts (the areas add up to the
# headline figure in the facilities step); one more is under construction and one planned.
OPEN_PLAY_AREAS = 14
LATER_PLAY_AREA_SHARE = 0.08


def renovation(city: DemoCity, rng: random.Random) -> None:
    """Renovation items in the three categories with funding, consistent with each status.

    Completed communities: every item completed or accepted, 100 %, dated inside the works.
    Under construction: a mix from planned to completed. Planned: planned or designing only.
    Not started: none. Dangerous buildings get their structural reinforcement, and no other
    work starts on them (reinforce first); on a planned community's C building a roof is
    planned too, which the rule allows.
    """
    play_sites = _play_area_sites(city, rng)
    for site in city.sites:
        if site.status == Status.NOT_STARTED:
            continue
        # Later batches build play areas too (opened after the report: they do not count then).
        play = site in play_sites or (site.later and rng.random() < LATER_PLAY_AREA_SHARE)
        for key in _item_keys(site, rng, play=play):
            # The play area in a community under construction is the one not open yet.
            status = ItemStatus.UNDER_CONSTRUCTION if key == "play-area" else None
            add_item(city, site, TEMPLATE[key], rng, status=status)
        for building in site.reinforced + site.dangerous_buildings():
            add_item(city, site, TEMPLATE["reinforce"], rng, building=building)
        if site.status == Status.PLANNED and site.dangerous_buildings():
            add_item(city, site, TEMPLATE["roof"], rng, building=site.dangerous_buildings()[0])


def _play_area_sites(city: DemoCity, rng: random.Random) -> list[Site]:
    named = [s for s in city.sites if s.named and ("childcare", "play-area") in s.named.items]
    completed = [s for s in city.history if s.named is None]
    current = [s for s in city.sites if not s.later]
    return (
        named
        + rng.sample(completed, OPEN_PLAY_AREAS - len(named))
        + [rng.choice([s for s in current if s.status == Status.UNDER_CONSTRUCTION])]
        + [rng.choice([s for s in current if s.status == Status.PLANNED])]
    )


def _item_keys(site: Site, rng: random.Random, *, play: bool) -> list[str]:
    keys = list(BASIC_ALWAYS)
    keys += rng.sample(BASIC_OPTIONAL, rng.randint(2, 4))
    keys += rng.sample(IMPROVEMENT, rng.randint(1, 3))
    keys += rng.sample(ENHANCEMENT, rng.choice((0, 1, 1, 2)))
    if site.named:
        keys += [key for _, key in site.named.items if key not in keys]
    if site.status == Status.PLANNED:
        keys = rng.sample(keys, min(len(keys), rng.randint(4, 7)))
    if play and "play-area" not in keys:
        keys.append("play-area")
    return keys


def add_item(
    city: DemoCity,
    site: Site,
    template: ItemTemplate,
    rng: random.Random,
    *,
    building: Building | None = None,
    status: str | None = None,
) -> RenovationItem:
    """One item of a template for a site, scheduled, funded, with the facilities it builds."""
    community = site.community
    area = float(community.floor_area_m2)
    if building is not None and template.key == "reinforce":
        quantity = building.storeys * building.entrance_units * 130.0  # the building's m²
        budget = quantity * rng.uniform(*template.budget)
    elif template.per_area:
        quantity = area * rng.uniform(*template.quantity)
        budget = area * rng.uniform(*template.budget)
    else:
        quantity = rng.uniform(*template.quantity)
        budget = rng.uniform(*template.budget) * (quantity if template.price else 1)
    quantity = round(quantity)
    item = RenovationItem(
        community=community,
        building=building,
        kind=city.kinds[template.kind],
        title=template.title.format(building=building.label if building else ""),
        quantity=Decimal(quantity),
        unit=template.unit,
        budget=money(min(MAX_BUDGET, max(MIN_BUDGET, yuan(budget)))),
    )
    _schedule(city, item, site, rng, reinforcement=template.key == "reinforce", status=status)
    site.items.append(city.add(item))
    _fund(city, item, template.kind, rng)
    for kind, pattern in BUILDS.get(template.key, ()):
        name = pattern.format(
            community=community.name, neighbourhood=community.neighbourhood or community.name
        )
        city.planned_facilities.append(PlannedFacility(site, item, kind, name))
    return item


def _schedule(
    city: DemoCity,
    item: RenovationItem,
    site: Site,
    rng: random.Random,
    *,
    reinforcement: bool,
    status: str | None = None,
) -> None:
    """Status, progress, dates, spending and contractors, consistent with the community.

    ``status`` chooses the status of an item in a community under construction.
    """
    community = site.community
    if site.status == Status.COMPLETED:
        start, end = community.started_on, community.completed_on
        span = (end - start).days
        item.planned_start = days(start, rng.randint(0, span // 6))
        item.planned_end = days(item.planned_start, rng.randint(span // 3, span * 2 // 3))
        if reinforcement:  # reinforce first: done in the first part of the works
            item.actual_start = start
            item.actual_end = days(start, rng.randint(span // 5, span // 3))
            item.building.appraised_on = days(item.actual_end, rng.randint(7, 20))
        else:
            item.actual_start = days(start, rng.randint(0, span * 2 // 5))
            item.actual_end = between(rng, days(item.actual_start, span // 4), end)
        item.status = ItemStatus.ACCEPTED if rng.random() < 0.8 else ItemStatus.COMPLETED
    elif site.status == Status.UNDER_CONSTRUCTION:
        start = community.started_on
        item.planned_start = days(start, rng.randint(0, 30))
        item.planned_end = days(item.planned_start, rng.randint(90, 240))
        if reinforcement:
            item.status = ItemStatus.UNDER_CONSTRUCTION
        elif status:
            item.status = status
        else:
            item.status = weighted(
                rng,
                {
                    ItemStatus.COMPLETED: 3,
                    ItemStatus.UNDER_CONSTRUCTION: 4,
                    ItemStatus.DESIGNING: 2,
                    ItemStatus.PLANNED: 1,
                },
            )
        if item.status in ItemStatus.started():
            item.actual_start = min(days(start, rng.randint(0, 60)), days(city.today, -1))
        if item.status == ItemStatus.COMPLETED:
            item.actual_end = city.cap(days(item.actual_start, rng.randint(40, 150)))
    else:  # planned: next year's batch, its works planned for next year's construction season
        year = city.today.year + 1
        item.planned_start = between(rng, date(year, 3, 1), date(year, 5, 31))
        item.planned_end = days(item.planned_start, rng.randint(90, 240))
        item.status = ItemStatus.DESIGNING if rng.random() < 0.3 else ItemStatus.PLANNED
    _progress(item, site, rng)


def _progress(item: RenovationItem, site: Site, rng: random.Random) -> None:
    budget = int(item.budget)
    if item.status in ItemStatus.finished():
        item.progress = 100
        item.spent = money(yuan(budget * rng.uniform(0.86, 1.0), 100))  # settled under budget
    elif item.status == ItemStatus.UNDER_CONSTRUCTION:
        item.progress = rng.randint(2, 18) * 5
        item.spent = money(yuan(budget * item.progress / 100 * rng.uniform(0.85, 1.0), 100))
    elif item.status == ItemStatus.DESIGNING:
        item.progress = rng.randint(1, 3) * 5
        item.spent = money(yuan(budget * rng.uniform(0.02, 0.04), 100))  # the design fee
    if item.status != ItemStatus.PLANNED:
        item.supervisor = rng.choice(taian.SUPERVISORS)
    if item.status in ItemStatus.started():
        local = taian.LOCAL_CONTRACTORS.get(site.district.code, ())
        item.contractor = taian.UTILITY_CONTRACTORS.get(item.kind.code) or rng.choice(
            taian.CONTRACTORS + local
        )


def _fund(city: DemoCity, item: RenovationItem, kind: str, rng: random.Random) -> None:
    """Funding lines by source: the whole budget once work has begun, part of it before."""
    source = FundingSource
    if kind in UTILITY_KINDS:
        shares = {source.CENTRAL_SUBSIDY: 40, source.UTILITY_COMPANIES: 35, source.LOCAL_BUDGET: 25}
    elif kind in {"charging", "parcel-lockers", "convenience"}:
        shares = {source.SOCIAL_CAPITAL: 60, source.LOCAL_BUDGET: 40}
    elif kind == "structural-reinforcement":
        shares = {source.CENTRAL_SUBSIDY: 50, source.LOCAL_BUDGET: 30, source.RESIDENTS: 20}
    elif kind in {
        "elderly-care",
        "childcare",
        "children-play",
        "service-centre",
        "party-culture",
        "emergency",
    }:
        shares = {source.CENTRAL_SUBSIDY: 50, source.LOCAL_BUDGET: 50}
    elif rng.random() < 0.4:  # residents chip in, from the housing maintenance fund
        shares = {source.CENTRAL_SUBSIDY: 50, source.LOCAL_BUDGET: 35, source.RESIDENTS: 15}
    else:
        shares = {source.CENTRAL_SUBSIDY: 60, source.LOCAL_BUDGET: 40}
    budget = int(item.budget)
    if budget >= 1_000_000 and rng.random() < 0.5:
        shares = {**shares, source.SPECIAL_BONDS: 20}
    if item.status in {ItemStatus.PLANNED, ItemStatus.DESIGNING}:
        budget = yuan(budget * rng.uniform(0.5, 1.0), 100)  # not all of it raised yet
    weights = [weight * rng.uniform(0.8, 1.2) for weight in shares.values()]
    for line_source, amount in zip(shares, allocate(budget, weights), strict=True):
        if amount:
            city.add(FundingLine(item=item, source=line_source, amount=money(amount)))


# --- Decisions stay decided (issue 15) --------------------------------------------------------

# Under construction, a dangerous building's reinforcement is done this many days after the
# works begin; community-wide work starts the day after (reinforce first, per community).
REINFORCEMENT_DAYS = 45
# A building re-appraised after its reinforcement was first appraised C this long before the
# works began.
FIRST_APPRAISAL_DAYS = 90


def decisions(city: DemoCity, rng: random.Random) -> None:
    """After the elevators (whose items are the last to come): what the rules of issue 15 ask
    of the generated city, drawing nothing from ``rng`` (so no figure moves).

    - Reinforce first, per community: in a community under construction, the reinforcement
      of each dangerous building is completed first, and community-wide work starts after it.
    - Appraisals are records: every graded building gets its appraisal records (a building
      reinforced during completed works two: C before the works, B after the reinforcement).
    - A community's dates are its items': begun on the first item's start, completed on the
      last item's completion.
    """
    for site in city.sites:
        first_appraisal = (
            days(site.community.started_on, -FIRST_APPRAISAL_DAYS)
            if site.community.started_on
            else None
        )
        if site.status == Status.UNDER_CONSTRUCTION:
            _reinforce_first(city, site)
        _community_dates_from_items(site)
        for building in site.buildings:
            _appraisal_records(city, site, building, first_appraisal)


def _reinforce_first(city: DemoCity, site: Site) -> None:
    reinforcements = [
        item for item in site.items if item.building is not None and item.kind.is_reinforcement
    ]
    if not reinforcements:
        return
    done = days(site.community.started_on, REINFORCEMENT_DAYS)
    for item in reinforcements:
        item.actual_start = site.community.started_on
        item.actual_end = done
        item.status = ItemStatus.COMPLETED
        item.progress = 100
    for item in site.items:
        if (
            item.building is None
            and not item.kind.is_reinforcement
            and item.kind.code != "elevator"
            and item.actual_start is not None
            and item.actual_start <= done
        ):
            item.actual_start = days(done, 1)
            if item.actual_end is not None and item.actual_end < item.actual_start:
                item.actual_end = city.cap(days(item.actual_start, 60))


def _community_dates_from_items(site: Site) -> None:
    community = site.community
    live = [item for item in site.items if item.status != ItemStatus.CANCELLED]
    starts = [item.actual_start for item in live if item.actual_start]
    if community.renovation_status in {Status.UNDER_CONSTRUCTION, Status.COMPLETED} and starts:
        community.started_on = min(starts)
    ends = [item.actual_end for item in live if item.status in ItemStatus.finished()]
    if community.renovation_status == Status.COMPLETED and ends:
        community.completed_on = max(ends)


def _appraisal_records(
    city: DemoCity, site: Site, building: Building, first_appraisal: date | None
) -> None:
    if not building.appraised_on:
        return
    if building in site.reinforced and first_appraisal is not None:
        city.add(
            BuildingAppraisal(
                building=building,
                appraised_on=min(first_appraisal, days(building.appraised_on, -1)),
                grade=SafetyGrade.C,
                appraiser=building.appraiser,
                note="局部危房，先加固整治后改造提升",
            )
        )
    city.add(
        BuildingAppraisal(
            building=building,
            appraised_on=building.appraised_on,
            grade=building.safety_grade,
            appraiser=building.appraiser,
        )
    )
