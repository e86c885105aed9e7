"""A nation of old communities, generated in chunks and written in bulk.

Proportions follow the national programme (issue 9): for 220,000 communities about 2,800
districts, 1,000,000 buildings, 2,000,000 renovation items with their funding lines, 100,000
elevator retrofits with their households' votes, 50,000 property services and 5,000,000 repair
requests. Everything scales linearly with the number of communities.

Communities are generated a chunk at a time, each chunk with every row that hangs off its
communities, from one ``random.Random`` per chunk seeded with (seed, chunk number): the output
depends only on the seed and N, never on the database or on the time of day, and memory stays
bounded. Ids are assigned here (after the highest id already in each table), so children point
at parents without reading them back.

Every row is one the application would accept (the tests ``full_clean()`` a sample): items
are community-wide, so reinforce-first never blocks them; started items belong to batch years
before the design-plan rule; elevators are either registered intentions with votes under way or
in service with every stage dated, a unanimous vote and a registration number.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import transaction

from communities.elevators.choices import ElevatorStage
from communities.elevators.models import ElevatorRetrofit, Household, OwnerVote, VoteRule
from communities.places.choices import RegionLevel, RenovationStatus, SafetyGrade
from communities.places.models import Building, Community, District, Region
from communities.places.policy import natural_key, pinyin_key, search_grams
from communities.property.choices import ManagementMode
from communities.property.models import PropertyService
from communities.repairs.models import RepairRequest
from communities.reporting import selectors
from communities.scale.extend import (
    GENERATED_DISTRICT_PREFIX,
    AlreadyExtended,
    Extension,
    already_extended,
    generated_district_ids,
)
from communities.scale.writer import Table, refresh_statistics
from communities.works.choices import FundingSource, ItemStatus
from communities.works.models.items import FundingLine, RenovationItem, RenovationKind

# Per community, at the national figures (220,000 communities).
COMMUNITIES_PER_DISTRICT = 220_000 / 2_800
BUILDINGS = 1_000_000 / 220_000
ITEMS = 2_000_000 / 220_000
ELEVATORS = 100_000 / 220_000
SERVICES = 50_000 / 220_000
REPAIRS = 5_000_000 / 220_000

CHUNK = 2_000  # communities per chunk (and per transaction)
# The generated world stops on this day, so the data does not depend on when it is made.
LAST_DAY = date(2025, 6, 30)
STATUS_WEIGHTS = {
    RenovationStatus.COMPLETED: 45,
    RenovationStatus.UNDER_CONSTRUCTION: 15,
    RenovationStatus.PLANNED: 15,
    RenovationStatus.NOT_STARTED: 25,
}
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
STREETS = [
    "和平",
    "建设",
    "解放",
    "人民",
    "长江",
    "黄河",
    "泰山",
    "东岳",
    "青年",
    "文化",
    "胜利",
    "幸福",
]
SUFFIXES = ["小区", "花园", "新村", "家园", "宿舍", "苑"]
REPAIR_CATEGORIES = [
    "plumbing",
    "electrical",
    "elevator",
    "roof_leak",
    "sanitation",
    "greening",
    "security",
    "public_facility",
    "other",
]
REPAIR_SOURCES = ["wechat", "wechat", "wechat", "hotline_12345", "walk_in", "staff"]
PROVIDERS = ["红心物业", "泰和物业", "安居物业", "惠民物业", "宜家物业"]
CONTRACTORS = ["城建集团", "市政工程公司", "第一建筑公司", "安装工程公司"]


@dataclass
class Counts:
    districts: int = 0
    communities: int = 0
    buildings: int = 0
    items: int = 0
    funding_lines: int = 0
    elevators: int = 0
    households: int = 0
    votes: int = 0
    services: int = 0
    repair_requests: int = 0
    # The newer tables (communities.scale.extend).
    annual_plans: int = 0
    planned_communities: int = 0
    item_quantities: int = 0
    parties: int = 0
    item_parties: int = 0
    inspections: int = 0
    findings: int = 0
    rectification_orders: int = 0

    def add(self, other: Counts) -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass
class _Ids:
    """The next id of each table."""

    next: dict[str, int] = field(default_factory=dict)

    def take(self, table: str) -> int:
        value = self.next[table]
        self.next[table] = value + 1
        return value


def _poisson_like(rng: random.Random, mean: float) -> int:
    """A whole number with the given mean: floor(mean) plus one with the remainder's chance."""
    whole = int(mean)
    return whole + (1 if rng.random() < mean - whole else 0)


# The shape of the generated administrative codes: like a real province (Shandong has 16
# cities), so that a province's figures are a province's and not the nation's.
CITIES_PER_PROVINCE = 16
COUNTIES_PER_CITY = 6


def district_codes(count: int, taken: set[str]) -> list[str]:
    """``count`` 6-digit codes shaped like real ones (province, prefecture, county): 16 cities
    of 6 districts per province (about 29 provinces at 2,800 districts), in provinces that hold
    no district yet (Tai'an's demo districts, or an earlier run's, keep theirs to themselves)."""
    used = {code[:2] for code in taken}
    codes: list[str] = []
    for province in range(11, 100):
        if f"{province:02d}" in used:
            continue
        for prefecture in range(1, CITIES_PER_PROVINCE + 1):
            for county in range(1, COUNTIES_PER_CITY + 1):
                codes.append(f"{province:02d}{prefecture:02d}{county:02d}")
                if len(codes) == count:
                    return codes
    raise ValueError("too many districts")


def generated_regions(codes: list[str]) -> int:
    """Name the provinces and cities above the generated districts, those not named yet
    (Shandong's are seeded): ``省11``, ``市1101``. Returns how many were added."""
    wanted = {code[:2] for code in codes} | {code[:4] for code in codes}
    existing = set(Region.objects.filter(code__in=wanted).values_list("code", flat=True))
    regions = [
        Region(code=code, name=f"省{code}", name_en=f"Province {code}", level=RegionLevel.PROVINCE)
        if len(code) == 2
        else Region(code=code, name=f"市{code}", name_en=f"City {code}", level=RegionLevel.CITY)
        for code in sorted(wanted - existing)
    ]
    Region.objects.bulk_create(regions, ignore_conflicts=True)
    return len(regions)


class ScaleGenerator:
    """Generates and writes the data for ``communities`` communities."""

    def __init__(
        self,
        *,
        communities: int,
        seed: int = 2026,
        progress: Callable[[str], None] | None = None,
    ):
        self.communities = communities
        self.seed = seed
        self.progress = progress or (lambda message: None)
        self.now = datetime(2025, 7, 1, tzinfo=UTC)

    def run(self) -> Counts:
        totals = Counts()
        kinds = list(
            RenovationKind.objects.filter(is_reinforcement=False).values_list("id", flat=True)
        )
        if not kinds:
            raise ValueError(
                "No renovation kinds: run migrate first (it seeds the national kinds)."
            )
        vote_rule = (
            VoteRule.objects.filter(code=settings.RENOVATION["ELEVATOR_VOTE_RULE"]).first()
            or VoteRule.objects.order_by("pk").first()
        )
        if vote_rule is None:
            raise ValueError("No elevator vote rule: run migrate first (it seeds them).")
        self.kinds, self.vote_rule_id = kinds, vote_rule.pk
        self.tables = self._tables()
        ids = _Ids({name: table.next_id() for name, table in self.tables.items()})
        with transaction.atomic():
            totals.districts = self._districts(ids)
        chunks = (self.communities + CHUNK - 1) // CHUNK
        for number in range(chunks):
            size = min(CHUNK, self.communities - number * CHUNK)
            rng = random.Random(f"{self.seed}:{number}")
            with transaction.atomic():
                totals.add(self._chunk(rng, ids, number * CHUNK, size))
            self.progress(
                f"{min((number + 1) * CHUNK, self.communities):,}/{self.communities:,} "
                f"communities, {totals.repair_requests:,} repair requests"
            )
        for table in self.tables.values():
            table.reset_sequence()
        selectors.invalidate_statistics()  # bulk rows send no signals
        refresh_statistics(self.tables.values(), self.progress)
        self._extend(totals, self.district_ids)
        return totals

    def _extend(self, totals: Counts, district_ids: list[int]) -> None:
        """The newer tables (plans, quantities, parties, inspections, orders) for the
        communities of ``district_ids``, as they are in the database."""
        extension = Extension(
            district_ids=district_ids,
            seed=self.seed,
            last_day=LAST_DAY,
            now=self.now,
            progress=self.progress,
        )
        counts = extension.run()
        refresh_statistics(extension.tables.values(), self.progress)
        for name, value in vars(counts).items():
            setattr(totals, name, getattr(totals, name) + value)

    def extend(self) -> Counts:
        """``--extend``: fill only the newer tables for every generated district of a database
        generated before they existed. Refuses (``AlreadyExtended``) when they hold generated
        rows already, so running it twice never doubles them."""
        district_ids = generated_district_ids()
        if not district_ids:
            raise ValueError("No generated districts: run generate_scale_data first.")
        if already_extended(district_ids):
            raise AlreadyExtended(
                "The generated districts already have annual plans, inspections or generated "
                "parties: this database was extended before."
            )
        totals = Counts()
        generated_regions(
            list(District.objects.filter(id__in=district_ids).values_list("code", flat=True))
        )
        self._extend(totals, district_ids)
        return totals

    # --- tables -------------------------------------------------------------------------------

    def _tables(self) -> dict[str, Table]:
        now = self.now

        def table(model, *columns: str) -> Table:
            return Table(model, ["id", *columns], now=now)

        return {
            "district": table(District, "code", "name"),
            "community": table(
                Community,
                "name",
                "name_sort",
                "search_grams",
                "district_id",
                "subdistrict",
                "neighbourhood",
                "address",
                "latitude",
                "longitude",
                "year_built",
                "buildings_count",
                "households",
                "floor_area_m2",
                "renovation_year",
                "renovation_status",
                "started_on",
                "completed_on",
            ),
            "building": table(
                Building,
                "community_id",
                "label",
                "label_sort",
                "storeys",
                "entrance_units",
                "households",
                "year_built",
                "safety_grade",
                "appraised_on",
            ),
            "item": table(
                RenovationItem,
                "community_id",
                "kind_id",
                "title",
                "budget",
                "spent",
                "status",
                "progress",
                "planned_start",
                "planned_end",
                "actual_start",
                "actual_end",
                "contractor",
            ),
            "funding": table(FundingLine, "item_id", "source", "amount"),
            "elevator": table(
                ElevatorRetrofit,
                "building_id",
                "entrance_unit",
                "storeys_served",
                "stage",
                "intention_on",
                "consent_on",
                "design_on",
                "notice_on",
                "approved_on",
                "construction_on",
                "accepted_on",
                "in_service_on",
                "total_cost",
                "subsidy",
                "registration_number",
                "vote_rule_id",
            ),
            "household": table(
                Household,
                "building_id",
                "entrance_unit",
                "floor",
                "room_number",
                "room_sort",
                "floor_area_m2",
            ),
            "vote": table(OwnerVote, "retrofit_id", "household_id", "choice", "voted_on"),
            "service": table(
                PropertyService,
                "community_id",
                "mode",
                "is_red_property",
                "provider_name",
                "contact_phone",
                "contract_start",
                "fee_per_m2_month",
            ),
            "repair": table(
                RepairRequest,
                "community_id",
                "category",
                "description",
                "source",
                "reporter_name",
                "reporter_phone",
                "is_public",
                "status",
                "submitted_at",
                "deadline_at",
                "dispatched_at",
                "started_at",
                "resolved_at",
                "closed_at",
                "handler_kind",
                "property_service_id",
                "resolution",
                "rating",
                "closed_by",
                "token",
            ),
        }

    def _districts(self, ids: _Ids) -> int:
        count = max(1, round(self.communities / COMMUNITIES_PER_DISTRICT))
        taken = set(District.objects.values_list("code", flat=True))
        rows = []
        self.district_ids: list[int] = []
        for code in district_codes(count, taken):
            pk = ids.take("district")
            self.district_ids.append(pk)
            rows.append((pk, code, f"{GENERATED_DISTRICT_PREFIX}{code}"))
        written = self.tables["district"].write(rows)
        generated_regions([code for _pk, code, _name in rows])
        return written

    # --- one chunk of communities ---------------------------------------------------------------

    def _chunk(self, rng: random.Random, ids: _Ids, first: int, size: int) -> Counts:
        rows: dict[str, list[tuple]] = {name: [] for name in self.tables}
        statuses = list(STATUS_WEIGHTS)
        weights = list(STATUS_WEIGHTS.values())
        counts = Counts(communities=size)
        for number in range(first, first + size):
            community = ids.take("community")
            status = rng.choices(statuses, weights)[0]
            year_built = rng.randint(1970, 2000)
            year = None
            started = completed = None
            if status == RenovationStatus.COMPLETED:
                year = rng.randint(2019, 2023)
                started = date(year, rng.randint(3, 6), rng.randint(1, 28))
                completed = started + timedelta(days=rng.randint(120, 400))
            elif status == RenovationStatus.UNDER_CONSTRUCTION:
                year = rng.randint(2022, 2023)
                started = date(year, rng.randint(3, 9), rng.randint(1, 28))
            elif status == RenovationStatus.PLANNED:
                year = rng.randint(2025, 2026)
            n_buildings = max(1, _poisson_like(rng, BUILDINGS))
            buildings = []
            households = 0
            for index in range(1, n_buildings + 1):
                building = ids.take("building")
                storeys = rng.choice((3, 4, 5, 5, 6, 6, 6, 7))
                units = rng.randint(1, 4)
                homes = storeys * units * 2
                households += homes
                grade = rng.choices(("unappraised", "A", "B", "C", "D"), (40, 35, 20, 4, 1))[0]
                appraised = None if grade == SafetyGrade.UNAPPRAISED else date(2018, 5, 1)
                rows["building"].append(
                    (
                        building,
                        community,
                        f"{index}号楼",
                        natural_key(f"{index}号楼"),
                        storeys,
                        units,
                        homes,
                        year_built,
                        grade,
                        appraised,
                    )
                )
                buildings.append((building, storeys, grade))
            area = Decimal(households * rng.randint(55, 90)).quantize(Decimal("0.01"))
            district = self.district_ids[rng.randrange(len(self.district_ids))]
            street = rng.choice(STREETS)
            name = f"{street}{rng.choice(SUFFIXES)}{number + 1}"
            address = f"{street}路{rng.randint(1, 300)}号"
            rows["community"].append(
                (
                    community,
                    name,
                    pinyin_key(name),
                    search_grams(
                        name=name,
                        address=address,
                        subdistrict=f"{street}街道",
                        neighbourhood=f"{street}社区",
                    ),
                    district,
                    f"{street}街道",
                    f"{street}社区",
                    address,
                    Decimal(f"{rng.uniform(22.0, 45.0):.6f}"),
                    Decimal(f"{rng.uniform(100.0, 125.0):.6f}"),
                    year_built,
                    n_buildings,
                    households,
                    area,
                    year,
                    status,
                    started,
                    completed,
                )
            )
            self._items(rng, ids, rows, counts, community, status, year, started, completed)
            service = None
            # Property services are for renovated communities (about half of them).
            completed_share = STATUS_WEIGHTS[RenovationStatus.COMPLETED] / sum(weights)
            if status == RenovationStatus.COMPLETED and rng.random() < SERVICES / completed_share:
                service = ids.take("service")
                mode = rng.choices(
                    (ManagementMode.PROFESSIONAL, ManagementMode.FALLBACK), (70, 30)
                )[0]
                rows["service"].append(
                    (
                        service,
                        community,
                        mode,
                        rng.random() < 0.3,
                        (
                            rng.choice(PROVIDERS)
                            if mode == ManagementMode.PROFESSIONAL
                            else f"{street}社区居委会"  # the neighbourhood committee's fallback
                        ),
                        f"0538-{rng.randint(1000000, 9999999)}",
                        completed,
                        Decimal(f"0.{rng.randint(30, 90)}"),
                    )
                )
                counts.services += 1
            self._elevators(rng, ids, rows, counts, buildings, completed)
            self._repairs(rng, ids, rows, counts, community, service)
        counts.buildings = len(rows["building"])
        order = ("community", "building", "item", "funding", "elevator", "household", "vote")
        for name in (*order, "service", "repair"):
            self.tables[name].write(rows[name])
        return counts

    def _items(self, rng, ids, rows, counts, community, status, year, started, completed) -> None:
        for _ in range(_poisson_like(rng, ITEMS)):
            item = ids.take("item")
            budget = Decimal(rng.randrange(20_000, 2_000_000, 1_000))
            planned_start = date(year or 2026, 3, 1)
            spent = Decimal(0)
            actual_start = actual_end = None
            progress = 0
            if status == RenovationStatus.COMPLETED:
                state, progress = ItemStatus.COMPLETED, 100
                actual_start, actual_end = started, completed
                spent = (budget * Decimal(rng.randint(85, 100)) / 100).quantize(Decimal("0.01"))
            elif status == RenovationStatus.UNDER_CONSTRUCTION:
                state, progress = ItemStatus.UNDER_CONSTRUCTION, rng.randint(5, 95)
                actual_start = started
                spent = (budget * progress / 100).quantize(Decimal("0.01"))
            else:
                state = ItemStatus.PLANNED
            rows["item"].append(
                (
                    item,
                    community,
                    self.kinds[rng.randrange(len(self.kinds))],
                    "改造项目",
                    budget,
                    spent,
                    state,
                    progress,
                    planned_start,
                    planned_start + timedelta(days=240),
                    actual_start,
                    actual_end,
                    rng.choice(CONTRACTORS),
                )
            )
            # Funding: 1-3 sources sharing 60-100% of the budget.
            sources = rng.sample(list(FundingSource.values), rng.randint(1, 3))
            funded = budget * Decimal(rng.randint(60, 100)) / 100
            share = (funded / len(sources)).quantize(Decimal("0.01"))
            for source in sources:
                rows["funding"].append((ids.take("funding"), item, source, share))
            counts.items += 1
            counts.funding_lines += len(sources)

    def _elevators(self, rng, ids, rows, counts, buildings, completed) -> None:
        candidates = [b for b in buildings if b[1] >= 4 and b[2] in ("A", "B", "unappraised")]
        wanted = _poisson_like(rng, ELEVATORS)
        for building, storeys, _grade in candidates[:wanted]:
            elevator = ids.take("elevator")
            in_service = completed is not None and rng.random() < 0.5
            start = date(2020, 1, 1) + timedelta(days=rng.randint(0, 900))
            stage_dates = [None] * 8
            stage_dates[0] = start
            if in_service:
                for step in range(1, 8):
                    # The public notice runs 20 days and more before approval.
                    stage_dates[step] = stage_dates[step - 1] + timedelta(days=30)
            stage = ElevatorStage.IN_SERVICE if in_service else ElevatorStage.INTENTION
            rows["elevator"].append(
                (
                    elevator,
                    building,
                    1,
                    storeys,
                    stage,
                    *stage_dates,
                    Decimal("280000.00"),
                    Decimal("150000.00") if in_service else Decimal(0),
                    f"梯11{elevator:08d}" if in_service else "",
                    self.vote_rule_id,
                )
            )
            counts.elevators += 1
            vote_day = stage_dates[1] or start
            for floor in range(1, storeys + 1):
                for door in (1, 2):
                    household = ids.take("household")
                    rows["household"].append(
                        (
                            household,
                            building,
                            1,
                            floor,
                            f"{floor}0{door}",
                            natural_key(f"{floor}0{door}"),
                            Decimal(rng.randint(55, 95)),
                        )
                    )
                    counts.households += 1
                    if in_service or rng.random() < 0.6:
                        rows["vote"].append(
                            (ids.take("vote"), elevator, household, "agree", vote_day)
                        )
                        counts.votes += 1

    def _repairs(self, rng, ids, rows, counts, community, service) -> None:
        for _ in range(_poisson_like(rng, REPAIRS)):
            pk = ids.take("repair")
            submitted = datetime(2021, 1, 1, 8, tzinfo=UTC) + timedelta(
                minutes=rng.randint(0, 2_200_000)
            )
            deadline = submitted + timedelta(hours=72)
            open_request = rng.random() < 0.1
            if open_request:
                values = ("submitted", None, None, None, None, "", None, "", None, "")
            else:
                dispatched = submitted + timedelta(minutes=rng.randint(5, 600))
                started = dispatched + timedelta(minutes=rng.randint(10, 600))
                resolved = started + timedelta(minutes=rng.randint(30, 4_000))
                rated = rng.random() < 0.6
                closed = resolved + timedelta(hours=rng.randint(1, 160) if rated else 168)
                values = (
                    "closed",
                    dispatched,
                    started,
                    resolved,
                    closed,
                    "covering_service" if service else "neighbourhood_fallback",
                    service,
                    "已处理",
                    rng.randint(3, 5) if rated else None,
                    "rating" if rated else "timeout",
                )
            rows["repair"].append(
                (
                    pk,
                    community,
                    rng.choice(REPAIR_CATEGORIES),
                    "报修",
                    rng.choice(REPAIR_SOURCES),
                    f"{rng.choice(SURNAMES)}先生",
                    f"139{rng.randint(10_000_000, 99_999_999)}",
                    rng.random() < 0.3,
                    values[0],
                    submitted,
                    deadline,
                    *values[1:],
                    f"s{self.seed}-{pk}",
                )
            )
            counts.repair_requests += 1
