"""The newer tables at national scale: what the returns (issue 16) and construction supervision
(issue 17) read, filled for communities the generator already made.

For the generated districts given (those of one ``generate_scale_data`` run, or every
generated district for ``--extend``), from their communities and items as they are in the
database:

- **annual plans**, one per district and batch year, targets within -10 %..+15 % of what the
  district's communities of that year hold (communities, households, buildings, item budgets),
  with those communities as the planned ones;
- **item quantities**: every item begun records each measure its kind carries (``KindMeasure``),
  amounts as the demo's (a few metres of pipe per household, a share of the floor area...),
  scaled by an unfinished item's progress;
- **parties**: one per ~70 communities (3,100 at 220,000), contractors, supervisors and
  designers with valid unified social credit codes (``construction.policy``), each district
  served by a small pool of each;
- **item parties**: a contractor and a supervisor for every item begun, a designer for one item
  in five;
- **inspections** of three items begun in ten (and a completion check of 15 % of the finished
  ones), with 0-2 **findings** each, 85 % of which become **rectification orders** to the item's
  contractor. Each contractor has its own habit: 2 % to 35 % of its orders are left open
  (and so overdue: the generated world ends on ``LAST_DAY``), the others reported fixed and
  mostly closed.

A major hazard is found only on an item still under construction: its order, open or not,
leaves the item at its saved percentage, which is exactly what ``construction.guards`` demands.

Determinism: a ``random.Random`` per chunk of communities (in id order), seeded with the seed
and the chunk's number; the parties and plans from their own seeds. The same seed over the same
generated rows gives the same output.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum

from communities.construction.choices import InspectionKind, OrderStatus, PartyRole, Severity
from communities.construction.models import (
    Finding,
    Inspection,
    ItemParty,
    Party,
    RectificationOrder,
)
from communities.construction.policy import credit_code_check_character
from communities.places.models import Community, District
from communities.reporting.models import AnnualPlan
from communities.scale.writer import Table
from communities.works.choices import ItemStatus, Measure
from communities.works.models.items import RenovationItem
from communities.works.models.quantities import ItemQuantity, KindMeasure

# The generator names its districts "区县<code>" (generate.ScaleGenerator._districts): the
# extension recognises them by that name.
GENERATED_DISTRICT_PREFIX = "区县"
# Generated parties' credit codes: 91 (a company) + 6-digit area + "MB" + 7-digit number
# + the check character ("MB" keeps them apart from the demo's "MA3C…").
PARTY_CODE_MARK = "MB"
COMMUNITIES_PER_PARTY = 70
MIN_PARTIES = 12
PLAN_YEARS = range(2019, 2027)
CHUNK = 2_000  # communities per chunk

INSPECTED = 0.3  # share of begun items inspected during the works
COMPLETION_CHECKED = 0.15  # share of finished items with a completion check
ORDERED = 0.85  # share of findings that become orders
DESIGNED = 0.2  # share of items with a designer linked
MAJOR_HAZARD = 0.03  # share of findings on items under construction
SERIOUS = 0.25
OPEN_HABITS = (0.02, 0.05, 0.1, 0.2, 0.35)  # a contractor's share of orders left open

BEGUN = {ItemStatus.UNDER_CONSTRUCTION, ItemStatus.COMPLETED, ItemStatus.ACCEPTED}
NETWORKS = {
    Measure.WATER_SUPPLY_PIPE,
    Measure.DRAINAGE_PIPE,
    Measure.GAS_PIPE,
    Measure.HEATING_PIPE,
    Measure.POWER_LINE,
    Measure.TELECOM_LINE,
}
INSPECTORS = ["市质量安全监督站", "区住建局", "监理工程师", "街道城建办"]
FINDINGS = {
    Severity.GENERAL: [
        ("施工现场材料堆放杂乱", "JGJ 146-2013 3.2"),
        ("外墙保温板拼缝不严", "GB 50411-2019 4.2"),
        ("管道支架间距过大", "GB 50242-2002 3.3"),
    ],
    Severity.SERIOUS: [
        ("脚手架连墙件缺失", "JGJ 130-2011 6.4"),
        ("临时用电未设漏电保护", "JGJ 46-2005 8.2"),
    ],
    Severity.MAJOR_HAZARD: [("高处作业无防护，临边未设防护栏杆", "JGJ 80-2016 4.1")],
}
ROLE_WORDS = {
    PartyRole.CONTRACTOR: "建设工程有限公司",
    PartyRole.SUPERVISOR: "工程监理有限公司",
    PartyRole.DESIGNER: "建筑设计院有限公司",
}
PLACE_WORDS = "华泰鲁安宏远恒信中建城投弘业广厦瑞祥盛达"


@dataclass
class ExtensionCounts:
    annual_plans: int = 0
    planned_communities: int = 0
    item_quantities: int = 0
    parties: int = 0
    item_parties: int = 0
    inspections: int = 0
    findings: int = 0
    rectification_orders: int = 0


class AlreadyExtended(ValueError):
    """The newer tables already hold generated rows for these districts."""


def generated_district_ids() -> list[int]:
    """Every district the generator made (by its name), in id order."""
    return list(
        District.objects.filter(name__startswith=GENERATED_DISTRICT_PREFIX)
        .order_by("id")
        .values_list("id", flat=True)
    )


def already_extended(district_ids: list[int]) -> bool:
    """Whether the generated parties, or any plan or inspection of these districts, exist
    (three cheap queries: an extension writes all of them in one transaction)."""
    return (
        Party.objects.filter(credit_code__regex=rf"^91[0-9]{{6}}{PARTY_CODE_MARK}").exists()
        or AnnualPlan.objects.filter(district_id__in=district_ids).exists()
        or Inspection.objects.filter(community__district_id__in=district_ids).exists()
    )


def party_credit_code(number: int, area: str) -> str:
    """A valid unified social credit code: 91 + ``area`` (6 digits) + MB + ``number``."""
    first17 = f"91{area}{PARTY_CODE_MARK}{number:07d}"
    return first17 + credit_code_check_character(first17)


def quantity(measure: str, households: int, floor_area: Decimal, rng: random.Random) -> Decimal:
    """What one item delivers in ``measure`` for a community of that size (the demo's amounts)."""
    households = max(households, 20)
    if measure in NETWORKS:
        km = Decimal(households * rng.randint(3, 8)) / 1000  # 3 to 8 m per household
        return max(km, Decimal("0.10")).quantize(Decimal("0.01"))
    if measure == Measure.ENERGY_RETROFIT:
        return (floor_area * Decimal(rng.randint(30, 60)) / 100).quantize(Decimal("1"))
    if measure == Measure.PARKING_SPACES:
        return Decimal(max(10, households // rng.randint(3, 6)))
    if measure == Measure.EV_CHARGING_POINTS:
        return Decimal(rng.randint(4, 20))
    if measure == Measure.EBIKE_CHARGING_POINTS:
        return Decimal(rng.randint(20, 80))
    if measure == Measure.CULTURE_FITNESS_AREA:
        return Decimal(rng.randint(10, 60) * 10)
    return Decimal(1)  # elevators and facilities: one per item


def _day_between(rng: random.Random, start: date, end: date) -> date:
    if end <= start:
        return start
    return start + timedelta(days=rng.randint(0, (end - start).days))


class Extension:
    """Writes the newer tables for the communities of ``district_ids``."""

    def __init__(
        self,
        *,
        district_ids: list[int],
        seed: int,
        last_day: date,
        now: datetime,
        progress: Callable[[str], None] | None = None,
    ):
        self.district_ids = sorted(district_ids)
        self.seed = seed
        self.last_day = last_day
        self.now = now
        self.progress = progress or (lambda message: None)
        self.tables: dict[str, Table] = {}  # what run() wrote, by name

    def _tables(self) -> dict[str, Table]:
        def table(model, *columns: str) -> Table:
            return Table(model, ["id", *columns], now=self.now)

        return {
            "plan": table(
                AnnualPlan,
                "district_id",
                "year",
                "target_communities",
                "target_households",
                "target_buildings",
                "target_investment",
            ),
            "planned": table(AnnualPlan.communities.through, "annualplan_id", "community_id"),
            "party": table(
                Party,
                "name",
                "credit_code",
                "is_contractor",
                "is_supervisor",
                "is_designer",
                "contact_person",
                "contact_phone",
                "address",
            ),
            "item_party": table(ItemParty, "item_id", "party_id", "role"),
            "quantity": table(ItemQuantity, "item_id", "measure", "amount"),
            "inspection": table(
                Inspection, "community_id", "item_id", "visited_on", "inspector", "kind", "note"
            ),
            "finding": table(Finding, "inspection_id", "severity", "description", "standard_cited"),
            "order": table(
                RectificationOrder,
                "finding_id",
                "contractor_id",
                "issued_on",
                "deadline",
                "status",
                "fixed_on",
                "fix_note",
                "closed_on",
            ),
        }

    @transaction.atomic
    def run(self) -> ExtensionCounts:
        """Everything in one transaction: an interrupted extension leaves nothing behind, so
        the refusal to extend twice is exact."""
        counts = ExtensionCounts()
        if not self.district_ids:
            return counts
        self.tables = self._tables()
        self.next_ids = {name: table.next_id() for name, table in self.tables.items()}
        self.kind_measures: dict[int, list[str]] = defaultdict(list)
        for kind_id, measure in KindMeasure.objects.order_by("kind_id", "measure").values_list(
            "kind_id", "measure"
        ):
            self.kind_measures[kind_id].append(measure)
        codes = dict(District.objects.filter(id__in=self.district_ids).values_list("id", "code"))
        self.codes = codes
        self._plans(counts)
        self.progress(f"{counts.annual_plans:,} annual plans")
        communities_total = Community.objects.filter(district_id__in=self.district_ids).count()
        self._parties(counts, communities_total)
        self.progress(f"{counts.parties:,} parties")
        last_id, number, done = 0, 0, 0
        while True:
            chunk = list(
                Community.objects.filter(district_id__in=self.district_ids, id__gt=last_id)
                .order_by("id")
                .values_list("id", "district_id", "households", "floor_area_m2")[:CHUNK]
            )
            if not chunk:
                break
            last_id = chunk[-1][0]
            self._chunk(random.Random(f"{self.seed}:extend:{number}"), chunk, counts)
            number += 1
            done += len(chunk)
            self.progress(
                f"{done:,}/{communities_total:,} communities extended, "
                f"{counts.item_parties:,} item parties, {counts.rectification_orders:,} orders"
            )
        for table in self.tables.values():
            table.reset_sequence()
        return counts

    def _take(self, table: str) -> int:
        value = self.next_ids[table]
        self.next_ids[table] = value + 1
        return value

    # --- annual plans ---------------------------------------------------------------------------

    def _plans(self, counts: ExtensionCounts) -> None:
        """One plan per district and batch year (2019-2026) that has communities, near them."""
        batches: dict[tuple[int, int], list[tuple[int, int, int]]] = defaultdict(list)
        for pk, district, year, households, buildings in (
            Community.objects.filter(
                district_id__in=self.district_ids, renovation_year__in=list(PLAN_YEARS)
            )
            .order_by("id")
            .values_list("id", "district_id", "renovation_year", "households", "buildings_count")
        ):
            batches[(district, year)].append((pk, households, buildings))
        budgets = {
            (row["community__district_id"], row["community__renovation_year"]): row["total"]
            for row in RenovationItem.objects.filter(
                community__district_id__in=self.district_ids,
                community__renovation_year__in=list(PLAN_YEARS),
            )
            .values("community__district_id", "community__renovation_year")
            .annotate(total=Sum("budget"))
            .order_by()
        }
        rng = random.Random(f"{self.seed}:plans")
        plans, planned = [], []
        for (district, year), members in sorted(batches.items()):
            factor = Decimal(rng.randint(90, 115)) / 100
            plan = self._take("plan")
            plans.append(
                (
                    plan,
                    district,
                    year,
                    max(1, round(len(members) * factor)),
                    round(sum(m[1] for m in members) * factor),
                    round(sum(m[2] for m in members) * factor),
                    ((budgets.get((district, year)) or Decimal(0)) * factor).quantize(
                        Decimal("0.01")
                    ),
                )
            )
            planned.extend((self._take("planned"), plan, pk) for pk, _h, _b in members)
        counts.annual_plans = self.tables["plan"].write(plans)
        counts.planned_communities = self.tables["planned"].write(planned)

    # --- parties ------------------------------------------------------------------------------

    def _parties(self, counts: ExtensionCounts, communities: int) -> None:
        """Contractors (6 in 10, one in 20 also designing), supervisors (3 in 10) and designers;
        each district served by a window of 6 contractors, 3 supervisors and 3 designers."""
        total = max(MIN_PARTIES, round(communities / COMMUNITIES_PER_PARTY))
        rng = random.Random(f"{self.seed}:parties")
        areas = [self.codes[pk] for pk in self.district_ids]
        rows = []
        self.pools: dict[str, list[int]] = {role: [] for role in PartyRole.values}
        self.open_habit: dict[int, float] = {}
        for index in range(total):
            pk = self._take("party")
            slot = index % 10
            contractor = slot < 6
            supervisor = 6 <= slot < 9
            designer = slot == 9 or (contractor and index % 20 == 0)
            role = (
                PartyRole.CONTRACTOR
                if contractor
                else PartyRole.SUPERVISOR
                if supervisor
                else PartyRole.DESIGNER
            )
            area = areas[index * len(areas) // total]
            place = PLACE_WORDS[index % len(PLACE_WORDS)] + PLACE_WORDS[rng.randrange(16)]
            rows.append(
                (
                    pk,
                    f"{place}{ROLE_WORDS[role]}（{index + 1}）",
                    party_credit_code(pk, f"{area[:4]}00"),
                    contractor,
                    supervisor,
                    designer,
                    f"{rng.choice('王李张刘陈杨黄赵吴周')}经理",
                    f"139{rng.randint(10_000_000, 99_999_999)}",
                    f"区县{area}建设路{rng.randint(1, 300)}号",
                )
            )
            for held, name in ((contractor, "contractor"), (supervisor, "supervisor")):
                if held:
                    self.pools[name].append(pk)
            if designer:
                self.pools["designer"].append(pk)
            if contractor:
                self.open_habit[pk] = rng.choice(OPEN_HABITS)
        counts.parties = self.tables["party"].write(rows)
        self.district_rank = {pk: rank for rank, pk in enumerate(self.district_ids)}

    def _party(self, rng: random.Random, role: str, district: int, window: int) -> int:
        pool = self.pools[role]
        start = self.district_rank[district] * len(pool) // len(self.district_ids)
        return pool[(start + rng.randrange(window)) % len(pool)]

    # --- one chunk of communities -------------------------------------------------------------

    def _chunk(self, rng: random.Random, chunk: list[tuple], counts: ExtensionCounts) -> None:
        rows: dict[str, list[tuple]] = {name: [] for name in self.tables}
        sites = {pk: (district, households, area) for pk, district, households, area in chunk}
        items = (
            RenovationItem.objects.filter(
                community_id__gte=chunk[0][0], community_id__lte=chunk[-1][0]
            )
            .order_by("id")
            .values_list(
                "id", "community_id", "kind_id", "status", "progress", "actual_start", "actual_end"
            )
        )
        for item, community, kind, status, progress, started, ended in items:
            if community not in sites:
                continue  # a community of another district in the id range
            district, households, area = sites[community]
            if rng.random() < DESIGNED:
                designer = self._party(rng, "designer", district, 3)
                rows["item_party"].append(
                    (self._take("item_party"), item, designer, PartyRole.DESIGNER)
                )
            if status not in BEGUN or started is None:
                continue
            contractor = self._party(rng, "contractor", district, 6)
            supervisor = self._party(rng, "supervisor", district, 3)
            rows["item_party"].append(
                (self._take("item_party"), item, contractor, PartyRole.CONTRACTOR)
            )
            rows["item_party"].append(
                (self._take("item_party"), item, supervisor, PartyRole.SUPERVISOR)
            )
            share = Decimal(100 if status != ItemStatus.UNDER_CONSTRUCTION else progress) / 100
            for measure in self.kind_measures.get(kind, ()):
                amount = (quantity(measure, households, area, rng) * share).quantize(
                    Decimal("0.01")
                )
                rows["quantity"].append((self._take("quantity"), item, measure, amount))
            building = status == ItemStatus.UNDER_CONSTRUCTION
            last = min(ended or self.last_day, self.last_day)
            if rng.random() < INSPECTED:
                kind_of_visit = rng.choice(
                    (InspectionKind.QUALITY, InspectionKind.SAFETY, InspectionKind.CIVILISED)
                )
                visited = _day_between(rng, started, last)
                self._inspection(
                    rng, rows, community, item, contractor, visited, kind_of_visit, building
                )
            if not building and ended is not None and rng.random() < COMPLETION_CHECKED:
                self._inspection(
                    rng, rows, community, item, contractor, last, InspectionKind.COMPLETION, False
                )
        for name in ("item_party", "quantity", "inspection", "finding", "order"):
            self.tables[name].write(rows[name])
        counts.item_parties += len(rows["item_party"])
        counts.item_quantities += len(rows["quantity"])
        counts.inspections += len(rows["inspection"])
        counts.findings += len(rows["finding"])
        counts.rectification_orders += len(rows["order"])

    def _inspection(
        self, rng, rows, community, item, contractor, visited, kind, building: bool
    ) -> None:
        inspection = self._take("inspection")
        rows["inspection"].append(
            (inspection, community, item, visited, rng.choice(INSPECTORS), kind, "现场检查")
        )
        for _ in range(rng.choice((0, 1, 1, 2))):
            draw = rng.random()
            if building and draw < MAJOR_HAZARD:
                # Only on an item still under construction: whatever its order's state, the
                # item stays at its saved percentage (construction.guards).
                severity = Severity.MAJOR_HAZARD
            elif draw < MAJOR_HAZARD + SERIOUS:
                severity = Severity.SERIOUS
            else:
                severity = Severity.GENERAL
            description, standard = rng.choice(FINDINGS[severity])
            finding = self._take("finding")
            rows["finding"].append((finding, inspection, severity, description, standard))
            if rng.random() < ORDERED:
                rows["order"].append(self._order(rng, finding, contractor, visited))

    def _order(self, rng, finding: int, contractor: int, visited: date) -> tuple:
        """Issued within two days of the visit, due 7-30 days later; left open (overdue: the
        generated world ends on ``last_day``) by the contractor's habit, else fixed and mostly
        closed, never after ``last_day``."""
        issued = min(visited + timedelta(days=rng.randint(0, 2)), self.last_day)
        days = rng.choice((7, 10, 15, 30))
        deadline = issued + timedelta(days=days)
        if rng.random() < self.open_habit[contractor]:
            return (
                self._take("order"),
                finding,
                contractor,
                issued,
                deadline,
                OrderStatus.OPEN,
                None,
                "",
                None,
            )
        fixed = min(issued + timedelta(days=rng.randint(1, days + 10)), self.last_day)
        closed = None
        status = OrderStatus.REPORTED_FIXED
        if rng.random() < 0.85:
            status = OrderStatus.CLOSED
            closed = min(fixed + timedelta(days=rng.randint(1, 7)), self.last_day)
        return (
            self._take("order"),
            finding,
            contractor,
            issued,
            deadline,
            status,
            fixed,
            "已按要求整改完毕。",
            closed,
        )
