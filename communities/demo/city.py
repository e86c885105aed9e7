"""The demo city being generated, and the small helpers every generation step shares.

**Today.** The demo tells the programme up to the day it is loaded: ``city.today`` (the
``--today`` of ``load_demo_data``, by default the local date). A step dates no fact after
``city.today``: cap a date with ``city.cap(day)`` (``min(day, city.today)``), draw a recent
one with ``between(rng, days(city.today, -90), city.today)``, and take dates from the records
it attaches to (an item's ``actual_end``, a retrofit's stage dates), which are already no
later than ``city.today``. Future dates are only for plans (``planned_start``…). There is no
fixed last day any more: ``taian.LAST_DEMO_DATE`` is gone; replace it with ``city.today``.

**History.** Up to ``taian.REPORT_DAY`` (2023-03-25) the programme is fixed: the sites with
``later == False`` among the completed ones are the 367 communities the report counts, and the
six headline figures hold exactly as of that day whatever ``city.today`` is. A site with
``later == True`` belongs to a batch of 2023 or after; whatever it adds (elevators, services,
facilities, completions) is dated from ``taian.LATER_FROM`` (2023-04-01) on.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from communities.demo import taian
from communities.elevators.models import ElevatorRetrofit, SubsidyRule, VoteRule
from communities.places.choices import RenovationStatus, SafetyGrade
from communities.places.models import Building, Community, District
from communities.property.models import PropertyService
from communities.works.models.facilities import Facility
from communities.works.models.items import RenovationItem, RenovationKind


@dataclass(eq=False)
class Site:
    """One community and what has been generated for it, for the steps that follow."""

    community: Community
    district: taian.DistrictSpec
    named: taian.NamedCommunity | None = None
    # A community of a batch after the report (2023 on): nothing it adds counts on REPORT_DAY.
    later: bool = False
    buildings: list[Building] = field(default_factory=list)
    # Buildings graded C before the renovation, reinforced and re-appraised B (completed sites).
    reinforced: list[Building] = field(default_factory=list)
    items: list[RenovationItem] = field(default_factory=list)
    elevators: list[ElevatorRetrofit] = field(default_factory=list)
    services: list[PropertyService] = field(default_factory=list)
    facilities: list[Facility] = field(default_factory=list)

    @property
    def status(self) -> str:
        return self.community.renovation_status

    @property
    def key(self) -> tuple[str, str]:
        """What identifies a demo community: its district's code and its name."""
        return (self.district.code, self.community.name)

    def dangerous_buildings(self) -> list[Building]:
        return [b for b in self.buildings if b.safety_grade in SafetyGrade.dangerous()]


@dataclass(eq=False)
class PlannedFacility:
    """A facility a renovation item builds, left for the facilities step to open (or not)."""

    site: Site
    item: RenovationItem
    kind: str
    name: str


@dataclass
class DemoCity:
    districts: dict[str, District]
    kinds: dict[str, RenovationKind]
    # The city's vote rule for elevator retrofits, and Tai'an's 2021 subsidy rule.
    vote_rule: VoteRule
    subsidy_rule: SubsidyRule
    # The day the demo is loaded "as of": no fact is dated after it (see the module's docstring).
    today: date
    sites: list[Site] = field(default_factory=list)
    # Every generated object by model, in the order models were first added (the save order).
    rows: dict[type, list] = field(default_factory=dict)
    planned_facilities: list[PlannedFacility] = field(default_factory=list)

    def add(self, obj):
        self.rows.setdefault(type(obj), []).append(obj)
        return obj

    def cap(self, day: date) -> date:
        """``day``, or today if ``day`` is later: a fact is never dated after ``city.today``."""
        return min(day, self.today)

    @property
    def history(self) -> list[Site]:
        """The completed communities the report counts (completed by ``taian.REPORT_DAY``)."""
        return [s for s in self.sites if s.status == Status.COMPLETED and not s.later]

    def with_status(self, *statuses: str) -> list[Site]:
        return [site for site in self.sites if site.status in statuses]

    def site(self, name: str) -> Site:
        return next(site for site in self.sites if site.community.name == name)


Step = Callable[[DemoCity, random.Random], None]
Status = RenovationStatus


def days(day: date, count: int) -> date:
    return day + timedelta(days=count)


def between(rng: random.Random, start: date, end: date) -> date:
    """A day from start to end, both included (start if the range is empty)."""
    return days(start, rng.randint(0, max(0, (end - start).days)))


def weighted(rng: random.Random, weights: dict):
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def allocate(total: int, weights: Sequence[float]) -> list[int]:
    """Split an integer total in proportion to the weights, exactly (largest remainder)."""
    whole = sum(weights)
    shares = [total * weight / whole for weight in weights]
    parts = [int(share) for share in shares]
    order = sorted(range(len(shares)), key=lambda i: (parts[i] - shares[i], i))
    for index in order[: total - sum(parts)]:
        parts[index] += 1
    return parts


def yuan(amount: float, step: int = 1000) -> int:
    """Rounded to ``step`` yuan, at least one step."""
    return max(step, round(amount / step) * step)


def money(amount: int) -> Decimal:
    return Decimal(amount).quantize(Decimal("0.01"))


def cents(amount: int) -> Decimal:
    """A Decimal with two places from a whole number of cents (hundredths)."""
    return Decimal(amount).scaleb(-2)


def coordinate(value: float) -> Decimal:
    return Decimal(f"{value:.6f}")


def phone(rng: random.Random) -> str:
    """A Tai'an landline (area code 0538)."""
    return f"0538-{rng.choice('5678')}{rng.randint(0, 999999):06d}"
