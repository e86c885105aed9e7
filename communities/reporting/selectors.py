"""Reads shared by the API, the admin and the public site.

Every figure the city reports comes from here, computed in SQL, so the dashboard, the API's
``/stats/`` and the tests agree by construction.

``city_statistics`` is cached (the configured cache: Redis with ``REDIS_URL``, local memory
otherwise): at national scale its dozen aggregates over millions of rows take seconds, far more
than a page may take. Every save or delete of a row the figures read (community, district,
building, item, elevator, facility, property service) replaces the cache's version token, so the
next read recomputes; a value is also stale on another day (the figures count what is open or in
force today) and after ``STATISTICS_CACHE_SECONDS`` whatever happens (with the local-memory cache
each process has its own copy, so that is also how long another process may show the old
figures). Writes that bypass the ORM's signals (``QuerySet.update()``, raw SQL, bulk loads) call
``invalidate_statistics()`` themselves. One process at a time recomputes a stale value; readers
arriving meanwhile get the previous one (``cached_statistics``).
"""

import time
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import TypeVar

from django.core.cache import cache
from django.db.models import Count, DecimalField, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.db.models.signals import post_delete, post_save

from communities.core import caching
from communities.elevators.models import ElevatorRetrofit
from communities.places.choices import RenovationStatus
from communities.places.models import Building, Community, District, Region
from communities.places.selectors import area_lookup
from communities.property.models import PropertyService
from communities.property.selectors import under_property_service
from communities.reporting.progress import add_sums, progress, progress_sums
from communities.works.choices import FacilityKind, ItemStatus
from communities.works.models.facilities import Facility
from communities.works.models.items import RenovationItem

ZERO = Decimal("0")
T = TypeVar("T")


def _decimal_sum(field: str, **extra) -> Coalesce:
    """SUM of a decimal column as a decimal with two places on every database (SQLite's SUM
    would otherwise come back as ``Decimal('1100.00000000000')`` or ``7530000``)."""
    return Coalesce(
        Sum(field, **extra),
        Value(ZERO),
        output_field=DecimalField(max_digits=18, decimal_places=2),
    )


def _scoped_communities(*, district: str | None = None, year: int | None = None) -> QuerySet:
    """The communities of an area (``district``: a district's 6-digit code, or a province's
    or city's 2- or 4-digit code: every district under it) and a batch year."""
    communities = Community.objects.all()
    if district:
        communities = communities.filter(**area_lookup(district))
    if year:
        communities = communities.filter(renovation_year=year)
    return communities


def _in_scope(queryset: QuerySet, path: str, communities: QuerySet) -> QuerySet:
    """Rows of ``queryset`` whose community (reached by ``path``) is in ``communities``; every
    row when the scope is the whole city, so that a city-wide figure reads its own table only
    (a join with 220,000 communities costs seconds over 2,000,000 items)."""
    if not communities.query.has_filters():
        return queryset
    return queryset.filter(**{f"{path}__in": communities})


def completed_by(as_of: date | None) -> Q:
    """Communities renovated: completed, and, for a past day, completed on or before it."""
    completed = Q(renovation_status=RenovationStatus.COMPLETED)
    return completed if as_of is None else completed & Q(completed_on__lte=as_of)


def elevators_in_service(as_of: date | None = None) -> QuerySet:
    """Retrofitted elevators in service: today, or on a past day (in service by then and not
    withdrawn by then; served by ``elevator_in_service_on``)."""
    if as_of is None:
        return ElevatorRetrofit.objects.in_service()
    return ElevatorRetrofit.objects.filter(in_service_on__lte=as_of).exclude(
        withdrawn_on__lte=as_of
    )


def headline_figures(
    *,
    district: str | None = None,
    year: int | None = None,
    on: date | None = None,
    as_of: date | None = None,
) -> dict:
    """The six headline figures (4 queries).

    Only completed communities count as renovated; planned and under-construction ones never
    do. Elevators count once in service; play areas once open; property service when a contract
    covers ``on`` (today by default).

    ``as_of`` gives the figures as they stood that day, from the records' dates: communities
    completed by then (``completed_on``), elevators in service by then (``in_service_on``, not
    ``withdrawn_on``), play areas open by then (``opened_on``), contracts covering that day.
    Floor area and households are the completed communities' as recorded now: a change to
    them carries no date.
    """
    on = as_of or on or date.today()
    communities = _scoped_communities(district=district, year=year)
    renovated = communities.filter(completed_by(as_of)).aggregate(
        communities=Count("id"),
        floor_area=_decimal_sum("floor_area_m2"),
        households=Coalesce(Sum("households"), 0),
    )
    elevators = _in_scope(elevators_in_service(as_of), "building__community", communities).count()
    play_area = _in_scope(
        Facility.objects.filter(kind=FacilityKind.CHILDREN_PLAY_AREA, opened_on__lte=on),
        "community",
        communities,
    ).aggregate(total=_decimal_sum("area_m2"))["total"]
    serviced = under_property_service(communities, on).count()
    return {
        "communities_renovated": renovated["communities"],
        "renovated_floor_area_m2": renovated["floor_area"],
        "households_benefited": renovated["households"],
        "elevators_in_service": elevators,
        "children_play_area_m2": play_area,
        "communities_with_property_service": serviced,
    }


def under_construction_on(as_of: date | None) -> Q:
    """Communities under construction: today, or on a past day (started by then and not yet
    completed by then)."""
    if as_of is None:
        return Q(renovation_status=RenovationStatus.UNDER_CONSTRUCTION)
    begun = [RenovationStatus.UNDER_CONSTRUCTION, RenovationStatus.COMPLETED]
    return Q(renovation_status__in=begun, started_on__lte=as_of) & ~completed_by(as_of)


def breakdown_by_district(
    *, year: int | None = None, district: str | None = None, as_of: date | None = None
) -> list[dict]:
    """Per district: communities by status, renovated floor area and households, investment.

    With ``as_of``, renovated and under construction are counted as on that day; planned
    communities, budgets and spending are today's (they carry no date)."""
    communities = _scoped_communities(district=district, year=year)
    completed = completed_by(as_of)
    rows = (
        communities.values("district__code", "district__name")
        .annotate(
            communities=Count("id"),
            communities_renovated=Count("id", filter=completed),
            under_construction=Count("id", filter=under_construction_on(as_of)),
            planned=Count("id", filter=Q(renovation_status=RenovationStatus.PLANNED)),
            renovated_floor_area_m2=_decimal_sum("floor_area_m2", filter=completed),
            households_benefited=Coalesce(Sum("households", filter=completed), 0),
        )
        .order_by("district__code")
    )
    investment = _investment_by("community__district__code", communities)
    return [
        {
            "district": row["district__code"],
            "district_name": row["district__name"],
            "communities": row["communities"],
            "communities_renovated": row["communities_renovated"],
            "under_construction": row["under_construction"],
            "planned": row["planned"],
            "renovated_floor_area_m2": row["renovated_floor_area_m2"],
            "households_benefited": row["households_benefited"],
            **investment.get(row["district__code"], {"budget": ZERO, "spent": ZERO}),
        }
        for row in rows
    ]


def breakdown_by_year(
    *, district: str | None = None, year: int | None = None, as_of: date | None = None
) -> list[dict]:
    """Per renovation batch year: communities renovated and investment (renovated as on
    ``as_of`` when given; investment is today's)."""
    scope = _scoped_communities(district=district, year=year)
    communities = scope.filter(renovation_year__isnull=False)
    completed = completed_by(as_of)
    rows = (
        communities.values("renovation_year")
        .annotate(
            communities=Count("id"),
            communities_renovated=Count("id", filter=completed),
            renovated_floor_area_m2=_decimal_sum("floor_area_m2", filter=completed),
            households_benefited=Coalesce(Sum("households", filter=completed), 0),
        )
        .order_by("renovation_year")
    )
    # Items of communities without a batch year group under None, which no row asks for.
    investment = _investment_by("community__renovation_year", scope)
    return [
        {
            "year": row["renovation_year"],
            "communities": row["communities"],
            "communities_renovated": row["communities_renovated"],
            "renovated_floor_area_m2": row["renovated_floor_area_m2"],
            "households_benefited": row["households_benefited"],
            **investment.get(row["renovation_year"], {"budget": ZERO, "spent": ZERO}),
        }
        for row in rows
    ]


def breakdown_by_category(*, district: str | None = None, year: int | None = None) -> list[dict]:
    """Per national category: items, budget and spending (cancelled items left out), with
    the sums physical progress is made of (``reporting.progress``: the categories' sums add
    up to the whole area's, so its progress needs no query of its own)."""
    items = _live_items(_scoped_communities(district=district, year=year))
    rows = items.values("kind__category").annotate(**progress_sums()).order_by("kind__category")
    return [
        {
            "category": row["kind__category"],
            "items": row["items"],
            "budget": row["budget"],
            "spent": row["spent"],
            "weighted_progress": row["weighted_progress"],
            "progress_total": row["progress_total"],
        }
        for row in rows
    ]


def facilities_by_kind(
    *, district: str | None = None, year: int | None = None, on: date | None = None
) -> list[dict]:
    """Open facilities per kind, with their count, capacity and area."""
    on = on or date.today()
    communities = _scoped_communities(district=district, year=year)
    rows = (
        _in_scope(Facility.objects.filter(opened_on__lte=on), "community", communities)
        .values("kind")
        .annotate(
            facilities=Count("id"),
            capacity=Coalesce(Sum("capacity"), 0),
            area_m2=_decimal_sum("area_m2"),
        )
        .order_by("kind")
    )
    return [
        {
            "kind": row["kind"],
            "facilities": row["facilities"],
            "capacity": row["capacity"],
            "area_m2": row["area_m2"],
        }
        for row in rows
    ]


STATISTICS_CACHE_SECONDS = 300
_VERSION_KEY = "statistics:version"
# The rows the figures are computed from (buildings place elevators in communities): a
# change to any of them invalidates the cache.
STATISTICS_SOURCES = (
    District,
    Region,
    Community,
    Building,
    RenovationItem,
    ElevatorRetrofit,
    Facility,
    PropertyService,
)


def invalidate_statistics(**_signal_arguments) -> None:
    """Make every cached ``city_statistics`` stale (connected to the sources' signals), and
    every cached public page, which show the figures."""
    caching.replace_version_token(_VERSION_KEY)
    caching.invalidate_public_pages()


def connect_signals() -> None:
    """Called once the app registry is ready (``ReportingConfig.ready``)."""
    for model in STATISTICS_SOURCES:
        uid = f"stats-{model.__name__}"
        post_save.connect(invalidate_statistics, sender=model, dispatch_uid=uid)
        post_delete.connect(invalidate_statistics, sender=model, dispatch_uid=f"{uid}-del")


# A value is computed by one process at a time: at national scale the city-wide figures take
# seconds, and every reader computing them at once after a change would stall the database.
# While one recomputes, the others answer with the previous value, if there is one.
STATISTICS_LOCK_SECONDS = 120
# Entries are kept much longer than they are fresh, so that a stale one can be served while
# its replacement is computed.
STATISTICS_KEEP_SECONDS = 24 * 60 * 60


def cached_statistics(name: str, compute: Callable[[], T], *parts: object) -> T:
    """``compute()``, cached with the statistics' version token: whatever is derived from the
    figures (the figures themselves, a rendered response) goes stale with them. ``parts`` are
    what else the value depends on (district, year, language).

    A value is fresh while the version token is the one it was computed under, the day is the
    day it was computed on, and it is younger than ``STATISTICS_CACHE_SECONDS``. The first
    reader of a stale value recomputes it; readers arriving while it does get the stale value
    instead of computing it too (or compute it themselves if there is none).
    """
    key = ":".join(["statistics", name, *map(str, parts)])
    version, today, now = caching.version_token(_VERSION_KEY), date.today().isoformat(), time.time()
    entry = cache.get(key)
    if entry is not None:
        entry_version, entry_day, computed_at, value = entry
        if (
            entry_version == version
            and entry_day == today
            and now - computed_at < STATISTICS_CACHE_SECONDS
        ):
            return value
    lock = f"{key}:computing"
    if entry is not None and not cache.add(lock, version, STATISTICS_LOCK_SECONDS):
        return entry[3]  # another process is computing its replacement
    try:
        value = compute()
        cache.set(key, (version, today, now, value), STATISTICS_KEEP_SECONDS)
    finally:
        if entry is not None:
            cache.delete(lock)
    return value


def city_statistics(
    *, district: str | None = None, year: int | None = None, as_of: date | None = None
) -> dict:
    """Everything the dashboard and ``/api/v1/stats/`` show, in one dictionary.

    ``district`` is a district's code, or a province's or city's (every district under it);
    ``as_of`` a past day (see ``headline_figures``). Cached: one cache read when fresh,
    otherwise the 10 or so aggregate queries of ``compute_city_statistics`` and a cache write.
    """
    return cached_statistics(
        "figures",
        lambda: compute_city_statistics(district=district, year=year, as_of=as_of),
        district,
        year,
        *([as_of] if as_of else []),  # today's figures keep their key
    )


def compute_city_statistics(
    *, district: str | None = None, year: int | None = None, as_of: date | None = None
) -> dict:
    """``city_statistics`` computed afresh, without the cache."""
    by_category = breakdown_by_category(district=district, year=year)
    sums: dict = {}
    for row in by_category:
        add_sums(sums, row)
    return {
        **headline_figures(district=district, year=year, as_of=as_of),
        "by_district": breakdown_by_district(district=district, year=year, as_of=as_of),
        "by_year": breakdown_by_year(district=district, year=year, as_of=as_of),
        "by_category": by_category,
        "facilities_by_kind": facilities_by_kind(district=district, year=year, on=as_of),
        "progress": progress(sums),
    }


def _live_items(communities: QuerySet) -> QuerySet:
    live = RenovationItem.objects.exclude(status=ItemStatus.CANCELLED)
    return _in_scope(live, "community", communities)


def _investment_by(key: str, communities: QuerySet) -> dict:
    rows = (
        _live_items(communities)
        .values(key)
        .annotate(budget=_decimal_sum("budget"), spent=_decimal_sum("spent"))
        .order_by()
    )
    return {row[key]: {"budget": row["budget"], "spent": row["spent"]} for row in rows}
