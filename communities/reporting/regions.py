"""The figures of every region at once: provinces, cities, districts and, inside a district,
its communities, each with the headline figures and progress.

Each figure is aggregated per district in SQL (5 grouped queries over the whole country, or
over one area), then the districts' sums are added up by the prefix of their code into their
city (4 digits) and province (2 digits). So a region's figures are the sum of its districts'
by construction, and the same definitions as ``/api/v1/stats/`` (``reporting.selectors``:
``completed_by``, ``elevators_in_service``…) make ``/api/v1/stats/?region=3709`` agree.
"""

from datetime import date
from decimal import Decimal

from django.db.models import Count, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.urls import reverse

from communities.places.models import Community, District, Region
from communities.places.selectors import area_lookup
from communities.property.selectors import under_property_service
from communities.reporting import progress as formula
from communities.reporting.selectors import (
    _decimal_sum,
    cached_statistics,
    completed_by,
    elevators_in_service,
    under_construction_on,
)
from communities.works.choices import FacilityKind, ItemStatus
from communities.works.models.facilities import Facility
from communities.works.models.items import RenovationItem

COUNTS = (
    "districts",
    "communities",
    "communities_renovated",
    "under_construction",
    "households_benefited",
    "elevators_in_service",
    "communities_with_property_service",
)
AREAS = ("renovated_floor_area_m2", "children_play_area_m2")
SUMS = ("items", "budget", "spent", "weighted_progress", "progress_total")


def empty_figures() -> dict:
    """Every figure at zero (an area without districts or records)."""
    return {**dict.fromkeys(COUNTS, 0), **dict.fromkeys(AREAS + SUMS[1:], Decimal("0")), "items": 0}


def _in_area(queryset: QuerySet, path: str, area: str | None) -> QuerySet:
    return queryset.filter(**area_lookup(area, path)) if area else queryset


def figures_by_district(*, as_of: date | None = None, area: str | None = None) -> dict[str, dict]:
    """Per district code (every district of ``area``, a region's or district's code, or of the
    whole country): the headline figures and the sums of progress (5 grouped queries + 1)."""
    on = as_of or date.today()
    districts = _in_area(District.objects.all(), "", area)
    rows = {
        code: {**empty_figures(), "districts": 1}
        for code in districts.values_list("code", flat=True)
    }
    communities = _in_area(Community.objects.all(), "district", area)
    completed = completed_by(as_of)
    for row in (
        communities.values("district__code")
        .annotate(
            communities=Count("id"),
            communities_renovated=Count("id", filter=completed),
            under_construction=Count("id", filter=under_construction_on(as_of)),
            renovated_floor_area_m2=_decimal_sum("floor_area_m2", filter=completed),
            households_benefited=Coalesce(Sum("households", filter=completed), 0),
        )
        .order_by()
    ):
        rows[row.pop("district__code")].update(row)
    key = "building__community__district__code"
    for row in (
        _in_area(elevators_in_service(as_of), "building__community__district", area)
        .values(key)
        .annotate(n=Count("id"))
        .order_by()
    ):
        rows[row[key]]["elevators_in_service"] = row["n"]
    key = "community__district__code"
    play_areas = Facility.objects.filter(kind=FacilityKind.CHILDREN_PLAY_AREA, opened_on__lte=on)
    for row in (
        _in_area(play_areas, "community__district", area)
        .values(key)
        .annotate(area=_decimal_sum("area_m2"))
        .order_by()
    ):
        rows[row[key]]["children_play_area_m2"] = row["area"]
    for row in (
        under_property_service(communities, on)
        .values("district__code")
        .annotate(n=Count("id"))
        .order_by()
    ):
        rows[row["district__code"]]["communities_with_property_service"] = row["n"]
    items = RenovationItem.objects.exclude(status=ItemStatus.CANCELLED)
    for row in (
        _in_area(items, "community__district", area)
        .values(key)
        .annotate(**formula.progress_sums())
        .order_by()
    ):
        rows[row.pop(key)].update(row)
    return rows


def roll_up(districts: dict[str, dict], length: int) -> dict[str, dict]:
    """The districts' figures added up by the first ``length`` digits of their codes."""
    totals: dict[str, dict] = {}
    for code, row in districts.items():
        total = totals.setdefault(code[:length], empty_figures())
        for name in COUNTS + AREAS + SUMS:
            total[name] += row[name]
    return totals


def with_progress(row: dict) -> dict:
    """A row of figures with its physical and financial progress (``reporting.progress``)."""
    ratios = formula.progress(row)
    return {
        **{name: row[name] for name in COUNTS + AREAS},
        "physical_progress": ratios["physical_progress"],
        "financial_progress": ratios["financial_progress"],
        "items": ratios["items"],
        "budget": ratios["budget"],
        "spent": ratios["spent"],
    }


def compute_area_figures(as_of: date | None = None) -> dict[str, dict]:
    """Every province, city and district by code, with its figures and progress."""
    districts = figures_by_district(as_of=as_of)
    figures = {code: with_progress(row) for code, row in districts.items()}
    for length in (2, 4):
        figures.update(
            {code: with_progress(row) for code, row in roll_up(districts, length).items()}
        )
    return figures


def area_figures(as_of: date | None = None) -> dict[str, dict]:
    """``compute_area_figures``, cached with the statistics (one cache read when fresh)."""
    return cached_statistics("areas", lambda: compute_area_figures(as_of), as_of)


def region_children(code: str) -> QuerySet:
    """What a region page lists: a province's cities (named Regions), a city's districts."""
    if len(code) == 2:
        return Region.objects.filter(code__startswith=code).exclude(code=code)
    return District.objects.filter(code__startswith=code)


def community_rows(communities: QuerySet) -> list[dict]:
    """The communities given (a page of a district's), each with its progress (1 query for
    the communities, 1 for their items' sums)."""
    page = list(communities)
    sums = {
        row.pop("community_id"): row
        for row in RenovationItem.objects.exclude(status=ItemStatus.CANCELLED)
        .filter(community_id__in=[community.pk for community in page])
        .values("community_id")
        .annotate(**formula.progress_sums())
        .order_by()
    }
    return [
        {"community": community, **formula.progress(sums.get(community.pk, {}))}
        for community in page
    ]


def children_of(code: str, figures: dict[str, dict]) -> list[dict]:
    """A region's children with their figures, in code order (1 query for their names): a
    province's cities (every 4-digit prefix of its districts, and every named city even
    without districts yet), a city's districts."""
    length = len(code) + 2
    if length == 4:
        names = {
            region.code: region.display_name
            for region in Region.objects.filter(code__startswith=code).exclude(code=code)
        }
    else:
        names = dict(District.objects.filter(code__startswith=code).values_list("code", "name"))
    codes = set(names) | {
        other for other in figures if len(other) == length and other.startswith(code)
    }
    empty = with_progress(empty_figures())
    return [
        {
            "code": child,
            "name": names.get(child, child),
            "site_url": reverse("site:region", args=[child]),
            **figures.get(child, empty),
        }
        for child in sorted(codes)
    ]
