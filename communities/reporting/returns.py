"""The monthly return of the national survey of old community renovation (全国城镇老旧小区改造
统计调查制度), for a period ``YYYY-MM`` and a region (a 2, 4 or 6-digit prefix of the districts'
administrative codes: province, city, district). Every figure is an aggregate in SQL.

Definitions (docs/reporting.md says the same, for the people who fill the returns):

- **plan**: the annual plans (``AnnualPlan``) of the region's districts for the period's year.
- **started**: communities whose ``started_on`` falls on or before the period's last day;
  **completed**: those whose ``completed_on`` does (only a completed community has one). Each is
  given cumulatively (since the programme began), for the year to date and in the month, as
  communities, households and buildings (``buildings_count``, as surveyed).
- **rates**: the year's starts and completions against the year's plan, by count and by
  households, in percent (null without a plan).
- **investment completed**: the funding lines of items finished (completed or accepted, their
  ``actual_end`` on or before the period's last day), by the survey's sources (``SURVEY_SOURCES``).
- **quantities delivered**: the ``ItemQuantity`` rows of those same finished items, per measure.

A submitted return (``SubmittedReturn``) keeps its figures as submitted. The next return of the
region shows how the figures of the last submitted period read today (variances) and names the
records changed since it was submitted: by their ``updated_at`` (communities, items, plans) and
their history (funding lines, quantities: simple_history's ``history_date``).
"""

from __future__ import annotations

import calendar
import json
import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Count, DecimalField, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce, ExtractMonth
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from communities.core.errors import WrongState
from communities.places.models import Community, District
from communities.places.models import Region as PlaceRegion
from communities.places.selectors import area_lookup
from communities.reporting.models import PERIOD_PATTERN, REGION_PATTERN, AnnualPlan, SubmittedReturn
from communities.works.choices import MEASURE_UNITS, FundingSource, ItemStatus, Measure
from communities.works.models.items import FundingLine, RenovationItem
from communities.works.models.quantities import ItemQuantity

ZERO = Decimal("0")
HUNDRED = Decimal("100")
CENT = Decimal("0.01")

# The survey's sources of investment, and the funding sources (works.choices.FundingSource)
# each one adds up. "other" is not among the survey's six; it is reported on its own line so
# that the sources add up to the total.
SURVEY_SOURCES: list[tuple[str, str, object]] = [
    ("central_subsidy", FundingSource.CENTRAL_SUBSIDY, _("Central subsidy")),
    ("local_fiscal", FundingSource.LOCAL_BUDGET, _("Local fiscal funds")),
    ("special_bonds", FundingSource.SPECIAL_BONDS, _("Special-purpose bonds")),
    ("residents", FundingSource.RESIDENTS, _("Residents' contribution")),
    ("social_capital", FundingSource.SOCIAL_CAPITAL, _("Social capital")),
    ("utilities", FundingSource.UTILITY_COMPANIES, _("Utility companies")),
    ("other", FundingSource.OTHER, _("Other")),
]
WHAT = ("communities", "households", "buildings")
WINDOWS = ("cumulative", "year_to_date", "month")
# Names listed at most, per kind of record, among the records that moved since a submission.
MOVED_LIMIT = 50


class BadQuery(ValueError):
    """A malformed period or an unknown region: the caller answers 400 with this message."""


@dataclass(frozen=True)
class Period:
    year: int
    month: int

    @property
    def code(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def first_day(self) -> date:
        return date(self.year, self.month, 1)

    @property
    def last_day(self) -> date:
        return date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])

    @property
    def year_start(self) -> date:
        return date(self.year, 1, 1)


def parse_period(value: object) -> Period:
    text = value if isinstance(value, str) else ""
    if not re.fullmatch(PERIOD_PATTERN, text):
        raise BadQuery(_("Give the period as YYYY-MM, e.g. 2023-03."))
    year, month = int(text[:4]), int(text[5:])
    if not 2000 <= year <= 2100:
        raise BadQuery(_("The period's year must be between 2000 and 2100."))
    return Period(year, month)


@dataclass(frozen=True)
class Region:
    code: str
    name: str
    district_ids: frozenset[int]

    @property
    def district_id(self) -> int | None:
        """The district itself, when the region is one (a 6-digit code)."""
        return next(iter(self.district_ids)) if len(self.code) == 6 else None


def parse_region(value: object) -> Region:
    """The region of a 2, 4 or 6-digit code with at least one district in it, named as the
    region pages name it (one query; a second for a province's or city's seeded name)."""
    text = value if isinstance(value, str) else ""
    if not re.fullmatch(REGION_PATTERN, text):
        raise BadQuery(_("Give the region as a 2, 4 or 6-digit administrative code, e.g. 3709."))
    districts = list(
        District.objects.filter(**area_lookup(text, path="")).values_list("id", "name")
    )
    if not districts:
        raise BadQuery(_("No district has a code beginning with %(code)s.") % {"code": text})
    if len(text) == 6:
        name = districts[0][1]
    else:
        region = PlaceRegion.objects.filter(code=text).first()
        name = region.display_name if region else text
    return Region(text, name, frozenset(pk for pk, _name in districts))


def _decimal_sum(field: str, **extra) -> Coalesce:
    return Coalesce(
        Sum(field, **extra), Value(ZERO), output_field=DecimalField(max_digits=18, decimal_places=2)
    )


def _rate(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * HUNDRED / Decimal(whole)).quantize(Decimal("0.01"))


def _cents(value):
    if isinstance(value, Decimal):
        return value.quantize(CENT)
    if isinstance(value, dict):
        return {key: _cents(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_cents(item) for item in value]
    return value


def _json_ready(value):
    """Figures as JSON keeps them (decimals as strings to the cent, exact on every database),
    so that figures computed now compare with figures as submitted."""
    return json.loads(json.dumps(_cents(value), cls=DjangoJSONEncoder))


def compute_figures(region: Region, period: Period) -> dict:
    """The return's figures (4 queries: plan, communities, investment, quantities)."""
    end, year_start, month_start = period.last_day, period.year_start, period.first_day
    districts = list(region.district_ids)

    plan = AnnualPlan.objects.filter(year=period.year, district_id__in=districts).aggregate(
        plans=Count("id"),
        communities=Coalesce(Sum("target_communities"), 0),
        households=Coalesce(Sum("target_households"), 0),
        buildings=Coalesce(Sum("target_buildings"), 0),
        investment=_decimal_sum("target_investment"),
    )

    windows = {
        "cumulative": lambda f: Q(**{f"{f}__lte": end}),
        "year_to_date": lambda f: Q(**{f"{f}__gte": year_start, f"{f}__lte": end}),
        "month": lambda f: Q(**{f"{f}__gte": month_start, f"{f}__lte": end}),
    }
    aggregates = {}
    for event, field in (("started", "started_on"), ("completed", "completed_on")):
        for window, condition in windows.items():
            where = condition(field)
            aggregates[f"{event}:{window}:communities"] = Count("id", filter=where)
            aggregates[f"{event}:{window}:households"] = Coalesce(
                Sum("households", filter=where), 0
            )
            aggregates[f"{event}:{window}:buildings"] = Coalesce(
                Sum("buildings_count", filter=where), 0
            )
    counted = Community.objects.filter(district_id__in=districts).aggregate(**aggregates)
    progress = {
        event: {
            window: {what: counted[f"{event}:{window}:{what}"] for what in WHAT}
            for window in WINDOWS
        }
        for event in ("started", "completed")
    }

    finished = Q(
        item__status__in=ItemStatus.finished(),
        item__actual_end__lte=end,
        item__community__district_id__in=districts,
    )
    in_year = Q(item__actual_end__gte=year_start)
    by_source = {
        row["source"]: row
        for row in FundingLine.objects.filter(finished)
        .values("source")
        .annotate(
            cumulative=_decimal_sum("amount"), year_to_date=_decimal_sum("amount", filter=in_year)
        )
        .order_by()
    }
    investment = {}
    for key, source, _label in SURVEY_SOURCES:
        row = by_source.get(source, {})
        investment[key] = {w: row.get(w, ZERO) for w in ("cumulative", "year_to_date")}
    investment["total"] = {
        w: sum((investment[key][w] for key, _s, _l in SURVEY_SOURCES), ZERO)
        for w in ("cumulative", "year_to_date")
    }

    by_measure = {
        row["measure"]: row
        for row in ItemQuantity.objects.filter(finished)
        .values("measure")
        .annotate(
            cumulative=_decimal_sum("amount"), year_to_date=_decimal_sum("amount", filter=in_year)
        )
        .order_by()
    }
    quantities = {
        measure: {
            "unit": str(MEASURE_UNITS[measure]),
            **{w: by_measure.get(measure, {}).get(w, ZERO) for w in ("cumulative", "year_to_date")},
        }
        for measure in Measure.values
    }

    started_year = progress["started"]["year_to_date"]
    completed_year = progress["completed"]["year_to_date"]
    rates = {
        "start_rate_communities": _rate(started_year["communities"], plan["communities"]),
        "start_rate_households": _rate(started_year["households"], plan["households"]),
        "completion_rate_communities": _rate(completed_year["communities"], plan["communities"]),
        "completion_rate_households": _rate(completed_year["households"], plan["households"]),
    }
    return _json_ready(
        {
            "region": region.code,
            "region_name": region.name,
            "period": period.code,
            "plan": {
                "year": period.year,
                "plans": plan["plans"],
                "communities": plan["communities"],
                "households": plan["households"],
                "buildings": plan["buildings"],
                "investment": plan["investment"],
            },
            "progress": progress,
            "rates": rates,
            "investment": investment,
            "quantities": quantities,
        }
    )


def _flatten(figures: dict, prefix: str = "") -> dict[str, object]:
    flat: dict[str, object] = {}
    for key, value in figures.items():
        path = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{path}."))
        else:
            flat[path] = value
    return flat


def _number(value) -> Decimal | None:
    try:
        return Decimal(str(value)) if value is not None else None
    except ArithmeticError:
        return None


def last_submitted(region: Region, period: Period) -> SubmittedReturn | None:
    """The region's last submitted return for a period up to ``period`` (one query)."""
    return (
        SubmittedReturn.objects.filter(region=region.code, period__lte=period.code)
        .select_related("submitted_by")
        .order_by("-submitted_at", "-id")
        .first()
    )


def moved_records(region: Region, since: datetime) -> list[dict]:
    """The records of the region changed since ``since`` that the figures read (5 queries)."""
    districts = list(region.district_ids)
    moved: list[dict] = []
    for row in (
        Community.objects.filter(district_id__in=districts, updated_at__gt=since)
        .order_by("-updated_at")
        .values("id", "name", "updated_at")[:MOVED_LIMIT]
    ):
        moved.append(
            {"type": "community", "id": row["id"], "name": row["name"], "at": row["updated_at"]}
        )
    for row in (
        RenovationItem.objects.filter(community__district_id__in=districts, updated_at__gt=since)
        .order_by("-updated_at")
        .values("id", "title", "community__name", "updated_at")[:MOVED_LIMIT]
    ):
        moved.append(
            {
                "type": "renovation_item",
                "id": row["id"],
                "name": f"{row['community__name']} · {row['title']}",
                "at": row["updated_at"],
            }
        )
    for model, kind in ((FundingLine, "funding_line"), (ItemQuantity, "item_quantity")):
        for row in (
            model.history.filter(item__community__district_id__in=districts, history_date__gt=since)
            .order_by("-history_date")
            .values("id", "item__title", "item__community__name", "history_date")[:MOVED_LIMIT]
        ):
            moved.append(
                {
                    "type": kind,
                    "id": row["id"],
                    "name": f"{row['item__community__name']} · {row['item__title']}",
                    "at": row["history_date"],
                }
            )
    for row in (
        AnnualPlan.objects.filter(district_id__in=districts, updated_at__gt=since)
        .order_by("-updated_at")
        .values("id", "district__name", "year", "updated_at")[:MOVED_LIMIT]
    ):
        moved.append(
            {
                "type": "annual_plan",
                "id": row["id"],
                "name": f"{row['district__name']} {row['year']}",
                "at": row["updated_at"],
            }
        )
    return moved


def variances(region: Region, period: Period) -> dict | None:
    """How the last submitted return's figures read today, and the records that moved since
    it was submitted; None when the region has submitted nothing up to ``period``.
    (1 query, then 4 to recompute the submitted period and 5 for the records.)"""
    submitted = last_submitted(region, period)
    if submitted is None:
        return None
    now = _flatten(compute_figures(region, parse_period(submitted.period)))
    then = _flatten(submitted.figures)
    changes = []
    for key, old in then.items():
        new = now.get(key)
        old_number, new_number = _number(old), _number(new)
        if old == new:
            continue
        if old_number is not None and new_number is not None and old_number == new_number:
            continue
        if isinstance(old, int) and isinstance(new, int):
            change = new - old
        elif old_number is not None and new_number is not None:
            change = new_number - old_number
        else:
            change = None
        changes.append({"figure": key, "submitted": old, "now": new, "change": change})
    return _json_ready(
        {
            "against": {
                "id": submitted.pk,
                "period": submitted.period,
                "submitted_at": submitted.submitted_at,
                "submitted_by": submitted.submitted_by.get_username(),
            },
            "changes": changes,
            "records": moved_records(region, submitted.submitted_at),
        }
    )


def monthly_return(region: Region, period: Period) -> dict:
    """The return for ``period`` with the variances against the last submitted one."""
    return {**compute_figures(region, period), "variances": variances(region, period)}


@transaction.atomic
def return_submit(*, region: Region, period: Period, user) -> SubmittedReturn:
    """Lock the return: its figures as they read now, with who and when. Submitting the same
    region and period again is a correction: a new row, the earlier one kept."""
    if not user.has_perm("communities.submit_return"):
        raise WrongState(_("You may not submit returns."))
    submitted = SubmittedReturn(
        region=region.code,
        district_id=region.district_id,
        period=period.code,
        figures=compute_figures(region, period),
        submitted_by=user,
        submitted_at=timezone.now(),
    )
    submitted.full_clean()
    submitted.save()
    return submitted


def regions_in_scope(scope, region: Region) -> bool:
    """Whether every district of ``region`` is in ``scope`` (core.scoping.Scope)."""
    return scope.everything or region.district_ids <= scope.district_ids


def monthly_series(region: Region, year: int) -> list[dict]:
    """Plan, started and completed communities and their households per month of ``year``,
    cumulated over the year (3 queries), for the public plan-against-actual charts: ``plan``,
    ``started``, ``completed`` count communities; ``plan_households``, ``started_households``,
    ``completed_households`` their households."""
    districts = list(region.district_ids)
    planned = AnnualPlan.objects.filter(year=year, district_id__in=districts).aggregate(
        total=Coalesce(Sum("target_communities"), 0),
        households=Coalesce(Sum("target_households"), 0),
    )
    counts, households = {}, {}
    for event, field in (("started", "started_on"), ("completed", "completed_on")):
        rows = (
            Community.objects.filter(district_id__in=districts, **{f"{field}__year": year})
            .annotate(month=ExtractMonth(field))
            .values("month")
            .annotate(n=Count("id"), h=Coalesce(Sum("households"), 0))
            .order_by()
        )
        counts[event] = {row["month"]: row["n"] for row in rows}
        households[event] = {row["month"]: row["h"] for row in rows}
    series = []
    totals = {"started": 0, "completed": 0, "started_households": 0, "completed_households": 0}
    for month in range(1, 13):
        for event in ("started", "completed"):
            totals[event] += counts[event].get(month, 0)
            totals[f"{event}_households"] += households[event].get(month, 0)
        series.append(
            {
                "month": month,
                "plan": planned["total"],
                "plan_households": planned["households"],
                **totals,
            }
        )
    return series


def scoped_submitted(queryset: QuerySet, scope) -> QuerySet:
    condition = scope.condition(SubmittedReturn)
    return queryset if condition is None else queryset.filter(condition)
