"""Generation step for elevator retrofits: 242 in service by the report day (111 of them by the
end of 2020), more in the later batches' communities after it, the rest at every other stage
in the months before today, with the households of their entrance units and the owners' votes.

Every retrofit that reached consent has a vote that passes under the city's rule; a withdrawn
retrofit's vote failed, as do two at intention (one household short), two more at intention
have a vote that passes and waits for consent, the rest have not voted yet. Floor areas repeat
floor after floor (一梯两户: the same two flats on every landing), so the shares of the cost
climb by floor.
"""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal

from communities.demo import taian
from communities.demo.city import (
    DemoCity,
    Site,
    Status,
    between,
    cents,
    days,
    money,
    yuan,
)
from communities.elevators.choices import ElevatorStage, VoteChoice
from communities.elevators.models import (
    STAGE_DATE_FIELDS,
    ElevatorRetrofit,
    Household,
    OwnerVote,
    StageTransition,
    permit_threshold,
)
from communities.elevators.policy import (
    Ballot,
    VoteSummary,
    construction_permit_required,
    subsidy_amount,
    tally_vote,
    unit_household_count,
)
from communities.places.models import Building
from communities.works.choices import FundingSource, ItemStatus
from communities.works.models.items import FundingLine, RenovationItem

# Days from one stage to the next; approval comes this many days after the public notice has
# run its course (the retrofit's notice_days, 20 by default).
STAGE_GAPS = {
    ElevatorStage.CONSENT: (30, 90),
    ElevatorStage.DESIGN: (20, 60),
    ElevatorStage.PUBLIC_NOTICE: (10, 40),
    ElevatorStage.APPROVAL: (1, 15),
    ElevatorStage.CONSTRUCTION: (15, 60),
    ElevatorStage.ACCEPTANCE: (60, 120),
    ElevatorStage.IN_SERVICE: (3, 20),
}
# Retrofits still under way, which the headline figure must not count.
UNDER_WAY = {
    ElevatorStage.INTENTION: 6,
    ElevatorStage.CONSENT: 5,
    ElevatorStage.DESIGN: 4,
    ElevatorStage.PUBLIC_NOTICE: 3,
    ElevatorStage.APPROVAL: 3,
    ElevatorStage.CONSTRUCTION: 5,
    ElevatorStage.ACCEPTANCE: 3,
}
BUILDING_STAGES = {ElevatorStage.CONSTRUCTION, ElevatorStage.ACCEPTANCE}
WITHDRAWN = 6
# An elevator item not yet approved is planned to start this long after its retrofits' latest
# stage, and its works are planned to take this long.
PLANNED_START_DAYS = 120
PLANNED_WORKS_DAYS = 240
# Elevators of the later batches' completed communities: how many (drawn), and how long after
# the works began the first can be in service (the longest chain of stage gaps is ~400 days,
# but the usual ones well under 220).
LATER_ELEVATORS = (0, 0, 1, 1, 2, 3)
LATER_IN_SERVICE_AFTER = 220
RETRIED_AFTER_WITHDRAWAL = 2  # units where the owners tried again after a withdrawal
# Of the retrofits at intention: the first ones' votes fall one household short of the rule,
# the next ones' pass (ready for consent); the others have not voted yet.
INTENTION_VOTES_SHORT = 2
INTENTION_VOTES_PASSED = 2
# In-service retrofits whose owners agreed their own coefficients: the second floor pays a
# little (the common scheme lets floors 1–2 pay nothing).
OWN_COEFFICIENTS = {"2": "0.2"}
OWN_COEFFICIENTS_EVERY = 40  # one in-service retrofit in this many

# Owners' names (personal data: staff only), made up from common surnames and given names.
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
GIVEN_NAMES = [
    "建国",
    "秀英",
    "桂英",
    "志强",
    "玉兰",
    "德明",
    "淑珍",
    "文华",
    "国庆",
    "海燕",
    "丽娟",
    "建华",
    "秀兰",
    "振东",
    "凤英",
    "永刚",
    "春梅",
    "立新",
    "爱华",
    "金凤",
    "红霞",
    "卫东",
    "玉珍",
    "长青",
    "素梅",
    "明亮",
    "晓东",
    "兰英",
    "庆丰",
    "学军",
]

Unit = tuple[Building, int]


def elevators(city: DemoCity, rng: random.Random) -> None:
    """242 elevators in service (111 of them by the end of 2020, all by March 2023), and
    retrofits at every other stage, withdrawn included, that do not count. One entrance unit
    has at most one active retrofit; buildings of 4 storeys or more only."""
    taken: set[tuple[int, int]] = set()  # (id(building), unit) with an active retrofit
    early = taian.ELEVATORS_IN_SERVICE_BY_END_OF_2020
    total = taian.HEADLINE["elevators_in_service"]
    named_early = named_late = 0
    for site in city.sites:
        if site.named and site.named.elevators_in_service:
            count = site.named.elevators_in_service
            is_early = site.community.renovation_year <= 2020
            _in_service(city, site, _free_units(site, taken), count, is_early, taken, rng)
            named_early += count if is_early else 0
            named_late += 0 if is_early else count
    completed = [s for s in city.history if s.named is None]
    by_2020 = [s for s in completed if s.community.renovation_year <= 2020]
    by_2022 = [s for s in completed if s.community.renovation_year in (2021, 2022)]
    _spread_in_service(city, by_2020, early - named_early, True, taken, rng)
    _spread_in_service(city, by_2022, total - early - named_late, False, taken, rng)
    _later_in_service(city, taken, rng)
    vote_plans = _under_way(city, taken, rng)
    _number(city)
    for site in city.sites:
        for elevator in site.elevators:
            city.add(elevator)
    _households_and_votes(city, vote_plans, rng)
    _stage_history(city)
    for site in city.sites:
        if any(e.stage != ElevatorStage.WITHDRAWN for e in site.elevators):
            _elevator_item(city, site, rng)


def _stage_history(city: DemoCity) -> None:
    """Every retrofit's stage history, as the services record it: its registration (no
    ``from_stage``), then one move for each stage it reached, on that stage's date, ending with
    the withdrawal of a withdrawn one."""
    for site in city.sites:
        for elevator in site.elevators:
            previous = ""
            for stage in [*ElevatorStage.ordered(), ElevatorStage.WITHDRAWN]:
                day = getattr(elevator, STAGE_DATE_FIELDS[stage])
                if day is None:
                    continue
                city.add(
                    StageTransition(retrofit=elevator, from_stage=previous, to_stage=stage, on=day)
                )
                previous = stage


def _free_units(site: Site, taken: set, *, safe_only: bool = True) -> list[Unit]:
    """Entrance units of 4 storeys or more without an active retrofit. Buildings that are (or
    were, until reinforced during the renovation) dangerous are left out unless asked for."""
    unsafe = {id(b) for b in site.dangerous_buildings() + site.reinforced} if safe_only else ()
    return [
        (building, unit)
        for building in site.buildings
        if building.storeys >= 4 and id(building) not in unsafe
        for unit in range(1, building.entrance_units + 1)
        if (id(building), unit) not in taken
    ]


def _spread_in_service(city, sites, count, is_early, taken, rng) -> None:
    """Spread ``count`` elevators over the sites, one to four each, until all are placed."""
    pool = list(sites)
    rng.shuffle(pool)
    while count > 0:
        before = count
        for site in pool:
            free = _free_units(site, taken)
            if count and free:
                take = min(count, len(free), rng.randint(1, 4))
                _in_service(city, site, free, take, is_early, taken, rng)
                count -= take
        if count == before:
            raise ValueError("Not enough entrance units of 4 storeys or more for the elevators.")


def _in_service(city, site, free: list[Unit], count, is_early, taken, rng) -> None:
    for building, unit in rng.sample(free, count):
        if is_early:
            day = between(rng, date(2019, 6, 1), date(2020, 12, 31))
        else:
            day = between(rng, date(2021, 1, 1), taian.ELEVATORS_ALL_IN_SERVICE_BY)
        _retrofit(city, site, (building, unit), ElevatorStage.IN_SERVICE, day, taken, rng)


def _later_in_service(city: DemoCity, taken: set, rng: random.Random) -> None:
    """More elevators after the report: in the later batches' completed communities whose
    works lasted long enough (in service 220 days or more after they began, so that every
    stage of the retrofit falls inside the works), up to three each."""
    for site in city.sites:
        community = site.community
        if not site.later or site.status != Status.COMPLETED:
            continue
        first = days(community.started_on, LATER_IN_SERVICE_AFTER)
        count = rng.choice(LATER_ELEVATORS)
        free = _free_units(site, taken)
        if first > community.completed_on or not count or not free:
            continue
        for building, unit in rng.sample(free, min(count, len(free))):
            day = between(rng, first, community.completed_on)
            _retrofit(city, site, (building, unit), ElevatorStage.IN_SERVICE, day, taken, rng)


def _retrofit(city, site, where: Unit, stage, day, taken, rng) -> ElevatorRetrofit:
    """A retrofit that reached ``stage`` on ``day``, its earlier stages dated backwards."""
    building, unit = where
    elevator = ElevatorRetrofit(
        building=building,
        entrance_unit=unit,
        storeys_served=building.storeys,
        stage=stage,
        vote_rule=city.vote_rule,
    )
    ordered = ElevatorStage.ordered()
    for step in reversed(ordered[: ordered.index(stage) + 1]):
        setattr(elevator, STAGE_DATE_FIELDS[step], day)
        if step in STAGE_GAPS:
            gap = rng.randint(*STAGE_GAPS[step])
            if step == ElevatorStage.APPROVAL:
                gap += elevator.notice_days
            day = days(day, -gap)
    _cost(city, elevator, rng)
    taken.add((id(building), unit))
    site.elevators.append(elevator)
    return elevator


def _cost(city: DemoCity, elevator: ElevatorRetrofit, rng: random.Random) -> None:
    """The cost is estimated at design; the subsidy fixed by the public notice under the rule
    then in force (Tai'an's from 2021; before it none is recorded), as the services fix it."""
    if elevator.design_on:
        base = 330_000 + 35_000 * elevator.storeys_served
        elevator.total_cost = money(yuan(base * rng.uniform(0.92, 1.12)))
        if rng.random() < 0.3:  # part of the owners' part paid from their maintenance fund
            elevator.maintenance_fund = money(yuan(rng.uniform(20_000, 80_000)))
    rule = city.subsidy_rule
    if (
        elevator.notice_on
        and elevator.notice_on.year >= rule.valid_from_year
        and elevator.storeys_served >= rule.min_storeys
    ):
        elevator.subsidy_rule = rule
        elevator.subsidy = subsidy_amount(rule.terms(), total_cost=elevator.total_cost)


def _number(city: DemoCity) -> None:
    """Construction permits (above the cost threshold) and special-equipment registrations,
    numbered in date order: 370902 20210315 0001, and 梯11鲁J00001(21) (鲁J: Tai'an)."""
    retrofits = [(site, e) for site in city.sites for e in site.elevators]
    built = [(s, e) for s, e in retrofits if e.construction_on]
    per_year: dict[int, int] = {}
    for site, elevator in sorted(built, key=lambda pair: pair[1].construction_on):
        if construction_permit_required(total_cost=elevator.total_cost, above=permit_threshold()):
            year = elevator.construction_on.year
            per_year[year] = per_year.get(year, 0) + 1
            elevator.permit_number = (
                f"{site.district.code}{elevator.construction_on:%Y%m%d}{per_year[year]:04d}"
            )
    running = [e for _, e in retrofits if e.in_service_on]
    for number, elevator in enumerate(sorted(running, key=lambda e: e.in_service_on), start=1):
        elevator.registration_number = f"梯11鲁J{number:05d}({elevator.in_service_on:%y})"


def _elevator_item(city: DemoCity, site: Site, rng: random.Random) -> None:
    """The 加装电梯 item of a community with retrofits, reconciled with them to the cent: its
    budget is their total cost, its funding lines their subsidy (the city's, from the local
    budget), their other funding and the owners' part (the rest, maintenance fund included:
    the owners' own money). Withdrawn retrofits pay nothing and do not count.

    Its status follows the retrofits: accepted once all are in service; under construction
    while any is being built or in service; designing once any is designed; planned before.
    """
    live = [e for e in site.elevators if e.stage != ElevatorStage.WITHDRAWN]
    cost = sum(int(e.total_cost) for e in live)
    subsidy = sum(int(e.subsidy) for e in live)
    other = sum(int(e.other_funding) for e in live)
    running = [e for e in live if e.stage == ElevatorStage.IN_SERVICE]
    built = [e for e in live if e.construction_on]
    item = RenovationItem(
        community=site.community,
        kind=city.kinds["elevator"],
        title=f"既有住宅加装电梯{len(live)}部",
        quantity=Decimal(len(live)),
        unit="部",
        budget=money(cost),
        contractor=rng.choice(taian.ELEVATOR_CONTRACTORS),
        supervisor=rng.choice(taian.SUPERVISORS),
    )
    approved = [e.approved_on for e in live if e.approved_on]
    if len(running) == len(live):
        item.status = ItemStatus.ACCEPTED
        item.progress = 100
        item.spent = money(cost)
        item.planned_start = min(approved)
        item.planned_end = max(e.accepted_on for e in running)
        item.actual_start = min(e.construction_on for e in running)
        item.actual_end = max(e.in_service_on for e in running)
    else:
        latest = max(getattr(e, STAGE_DATE_FIELDS[e.stage]) for e in live)
        item.planned_start = min(approved) if approved else days(latest, PLANNED_START_DAYS)
        item.planned_end = days(item.planned_start, PLANNED_WORKS_DAYS)
        if built:
            item.status = ItemStatus.UNDER_CONSTRUCTION
            item.actual_start = min(e.construction_on for e in built)
            item.progress = min(95, max(5, 5 * round(20 * len(running) / len(live))))
            item.spent = money(sum(int(e.total_cost) for e in running))
        elif any(e.design_on for e in live):
            item.status = ItemStatus.DESIGNING
            item.progress = 5
        else:
            item.status = ItemStatus.PLANNED
        if item.status == ItemStatus.PLANNED:
            item.supervisor = ""
        if not built:
            item.contractor = ""
    site.items.append(city.add(item))
    for source, amount in (
        (FundingSource.LOCAL_BUDGET, subsidy),
        (FundingSource.OTHER, other),
        (FundingSource.RESIDENTS, cost - subsidy - other),
    ):
        if amount:
            city.add(FundingLine(item=item, source=source, amount=money(amount)))


def _under_way(city: DemoCity, taken: set, rng: random.Random) -> dict[int, str]:
    """Retrofits at every stage before service, and withdrawn ones, in recent years.

    Returns how the owners' vote of those that have not reached consent went, by ``id()`` of
    the retrofit: ``"short"`` (failed), ``"passed"``; the others at intention have no vote.
    """
    plans: dict[int, str] = {}
    # A retrofit under way makes its community's elevator item open, which only a community
    # in the programme that has not completed may have; one being built, only a community
    # whose works have begun, with no dangerous building left to reinforce first.
    hosts = city.with_status(Status.PLANNED, Status.UNDER_CONSTRUCTION)
    building_hosts = [
        site
        for site in city.with_status(Status.UNDER_CONSTRUCTION)
        if not site.dangerous_buildings()
    ]

    def free_unit(building: bool = False) -> tuple[Site, Unit]:
        while True:  # almost every host has free units; the loop rarely turns twice
            site = rng.choice(building_hosts if building else hosts)
            free = _free_units(site, taken)
            if free:
                return site, rng.choice(free)

    for stage, count in UNDER_WAY.items():
        for number in range(count):
            site, where = free_unit(stage in BUILDING_STAGES)
            day = between(rng, days(city.today, -320), days(city.today, -40))
            elevator = _retrofit(city, site, where, stage, day, taken, rng)
            if stage == ElevatorStage.INTENTION and number < INTENTION_VOTES_SHORT:
                plans[id(elevator)] = "short"
            elif stage == ElevatorStage.INTENTION and number < (
                INTENTION_VOTES_SHORT + INTENTION_VOTES_PASSED
            ):
                plans[id(elevator)] = "passed"
    # Planning may go ahead on a dangerous building; construction may not (reinforce first).
    site = next(s for s in city.with_status(Status.PLANNED) if s.dangerous_buildings())
    recently = days(city.today, -170)
    dangerous = [
        (b, u)
        for b, u in _free_units(site, taken, safe_only=False)
        if b in site.dangerous_buildings()
    ]
    for index, where in enumerate(dangerous[:2]):
        stage = (ElevatorStage.INTENTION, ElevatorStage.CONSENT)[index]
        _retrofit(city, site, where, stage, recently, taken, rng)
    for index in range(WITHDRAWN):
        site, where = free_unit()
        ordered = ElevatorStage.ordered()
        # The first withdrawal: the owners voted it down. The others came later (a lawsuit
        # from the ground floor, the cost), after the vote had passed.
        last = (
            ElevatorStage.INTENTION
            if index == 0
            else ordered[rng.randint(1, ordered.index(ElevatorStage.APPROVAL))]
        )
        day = between(rng, days(city.today, -1000), days(city.today, -520))
        elevator = _retrofit(city, site, where, last, day, taken, rng)
        if last == ElevatorStage.INTENTION:
            plans[id(elevator)] = "short"
        elevator.withdrawn_on = days(
            getattr(elevator, STAGE_DATE_FIELDS[last]), rng.randint(15, 90)
        )
        elevator.stage = ElevatorStage.WITHDRAWN
        # Nothing is paid out.
        elevator.subsidy = elevator.other_funding = elevator.maintenance_fund = money(0)
        elevator.subsidy_rule = None
        taken.discard((id(where[0]), where[1]))
        if index < RETRIED_AFTER_WITHDRAWAL:  # the owners try again: a new active retrofit
            day = days(elevator.withdrawn_on, rng.randint(120, 300))
            _retrofit(city, site, where, ElevatorStage.CONSENT, day, taken, rng)
    return plans


# --- Households and the owners' votes ---------------------------------------------------------


def _households_and_votes(city: DemoCity, plans: dict[int, str], rng: random.Random) -> None:
    """The households of every entrance unit with a retrofit, and the owners' votes.

    A unit's households come from its building's (shared out over its units), two flats a
    landing from the ground floor up, a third on the lowest landings when the building holds
    more. A retrofit that reached consent has a vote that passes; ``plans`` says which others
    voted and how.
    """
    rule = city.vote_rule.thresholds()
    units: dict[tuple[int, int], list[Household]] = {}
    running = 0
    for site in city.sites:
        for elevator in site.elevators:
            key = (id(elevator.building), elevator.entrance_unit)
            if key not in units:
                units[key] = _unit_households(city, elevator.building, elevator.entrance_unit, rng)
            households = units[key]
            if elevator.stage == ElevatorStage.IN_SERVICE:
                running += 1
                if running % OWN_COEFFICIENTS_EVERY == 0:
                    elevator.floor_coefficients = dict(OWN_COEFFICIENTS)
            plan = plans.get(id(elevator))
            if elevator.consent_on:
                plan = "passed"
            if plan is None:
                continue
            end = elevator.consent_on or elevator.withdrawn_on or city.today
            start = elevator.intention_on
            end = city.cap(min(end, days(start, 60)))
            choices = _passing_vote(households, rule, rng)
            if plan == "short":
                choices = _one_short(households, choices, rule)
            for household, choice in zip(households, choices, strict=True):
                if choice is None:
                    continue  # did not take part, and nobody recorded it
                voted_on = None if choice == VoteChoice.ABSENT else between(rng, start, end)
                city.add(
                    OwnerVote(
                        retrofit=elevator, household=household, choice=choice, voted_on=voted_on
                    )
                )


def _unit_households(
    city: DemoCity, building: Building, unit: int, rng: random.Random
) -> list[Household]:
    # The roster is complete: exactly the unit's share of the building's households
    # (policy.unit_household_count), with as many flats a landing as that takes.
    count = unit_household_count(
        households=building.households, entrance_units=building.entrance_units, unit=unit
    )
    positions = max(3, -(-count // building.storeys))
    landings = [
        (floor, position)
        for position in range(1, positions + 1)
        for floor in range(1, building.storeys + 1)
    ]
    flats = sorted(landings[:count])
    # The flats of one position on the landing have the same plan on every floor.
    areas = {position: cents(rng.randint(5500, 9800)) for position in (1, 2)}
    areas[3] = cents(rng.randint(3800, 5600))
    for position in range(4, positions + 1):  # the big old blocks: small flats off a corridor
        areas[position] = areas[3]
    households = []
    for floor, position in flats:
        name = rng.choice(SURNAMES) + rng.choice(GIVEN_NAMES)
        household = Household(
            building=building,
            entrance_unit=unit,
            floor=floor,
            room_number=f"{floor}{position:02d}",
            floor_area_m2=areas[position],
            owner_name=name,
        )
        households.append(city.add(household))
    return households


def _tally(households: list[Household], choices: list, rule) -> VoteSummary:
    ballots = [
        Ballot(area=household.floor_area_m2, vote=choice)
        for household, choice in zip(households, choices, strict=True)
    ]
    return tally_vote(ballots=ballots, rule=rule)


def _passing_vote(households: list[Household], rule, rng: random.Random) -> list:
    """Each household's answer (None: no record), drawn so that the upper floors mostly agree
    and the ground floors, who pay nothing and lose light, are split; then, if that does not
    pass, the undecided of the highest floors come round one by one until it does."""
    choices = []
    for household in households:
        if rng.random() < 0.05:
            choices.append(rng.choice((None, VoteChoice.ABSENT)))
        elif household.floor <= 2:
            choices.append(
                rng.choices((VoteChoice.AGREE, VoteChoice.DISAGREE, VoteChoice.ABSTAIN), (5, 3, 2))[
                    0
                ]
            )
        else:
            choices.append(
                rng.choices(
                    (VoteChoice.AGREE, VoteChoice.DISAGREE, VoteChoice.ABSTAIN), (93, 2, 5)
                )[0]
            )
    order = sorted(range(len(households)), key=lambda i: (-households[i].floor, i))
    for index in order:
        if _tally(households, choices, rule).passes:
            break
        if choices[index] != VoteChoice.AGREE:
            choices[index] = VoteChoice.AGREE
    return choices


def _one_short(households: list[Household], choices: list, rule) -> list:
    """The same vote with agreeing owners of the lowest floors turned against, one by one,
    until it just fails: one household short of the rule."""
    choices = list(choices)
    order = sorted(range(len(households)), key=lambda i: (households[i].floor, i))
    for index in order:
        if not _tally(households, choices, rule).passes:
            break
        if choices[index] == VoteChoice.AGREE:
            choices[index] = VoteChoice.DISAGREE
    return choices
