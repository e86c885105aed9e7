"""Writing the demo city to the database, finding it again, and removing it.

Demo communities are known by (district code, name): the generator makes these unique and
the same on every run. The demo is either wholly present, wholly absent, or (if someone
deleted or renamed part of it) partly present, which only ``--reset`` repairs.

Demo rows are bulk-created without history records (recording ~25,000 "created" entries would
triple the loading time), and ``--reset`` deletes them without recording their deletion.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.db.models.deletion import Collector

from communities.core import caching
from communities.demo import taian
from communities.demo.acceptance import delete_demo_designers
from communities.demo.city import DemoCity, Site
from communities.demo.construction import delete_demo_parties
from communities.demo.generate import build_city
from communities.demo.photos import delete_demo_photo_files
from communities.demo.places import places
from communities.demo.repairs import generate_repair_requests, reference_moment
from communities.demo.returns import DEMO_NOTE
from communities.elevators.models import ElevatorRetrofit, StageTransition, SubsidyRule, VoteRule
from communities.places.models import Community, District
from communities.repairs.models import RepairRequest
from communities.reporting.models import AnnualPlan
from communities.reporting.selectors import invalidate_statistics
from communities.works.kinds import NATIONAL_KINDS
from communities.works.models.items import RenovationKind

BATCH_SIZE = 500


class DemoDataError(Exception):
    """The demo cannot be loaded as asked (missing kinds, a partial demo without reset)."""


@dataclass
class LoadResult:
    created: bool
    counts: dict[type, int]  # rows created by model
    # Loaded as of another day: every community but the later batches' present, nothing done.
    other_day: bool = False


def ensure_districts() -> dict[str, District]:
    """The six districts by code, created if missing (an existing one is left as it is)."""
    existing = {
        d.code: d for d in District.objects.filter(code__in=[s.code for s in taian.DISTRICTS])
    }
    for spec in taian.DISTRICTS:
        if spec.code not in existing:
            district = District(code=spec.code, name=spec.name)
            district.full_clean()
            district.save()
            existing[spec.code] = district
    return existing


def national_kinds() -> dict[str, RenovationKind]:
    """The seeded national kinds by code (migration 0002); refuses if any is missing."""
    codes = [row[0] for row in NATIONAL_KINDS]
    kinds = {kind.code: kind for kind in RenovationKind.objects.filter(code__in=codes)}
    missing = sorted(set(codes) - set(kinds))
    if missing:
        raise DemoDataError(f"Renovation kinds missing (run migrate?): {', '.join(missing)}")
    return kinds


def elevator_rules() -> tuple[VoteRule, SubsidyRule]:
    """The city's vote rule (``RENOVATION["ELEVATOR_VOTE_RULE"]``) and Tai'an's 2021 subsidy
    rule, both seeded by migration 0004."""
    code = settings.RENOVATION["ELEVATOR_VOTE_RULE"]
    vote_rule = VoteRule.objects.filter(code=code).first()
    subsidy_rule = SubsidyRule.objects.filter(
        region_code="370900", min_storeys=4, valid_from_year=2021
    ).first()
    if vote_rule is None or subsidy_rule is None:
        raise DemoDataError(
            f"The vote rule {code!r} or Tai'an's 2021 subsidy rule is missing (run migrate?)."
        )
    return vote_rule, subsidy_rule


def demo_communities(keys: list[tuple[str, str]]):
    """The demo communities present in the database (one query when evaluated)."""
    wanted = Q()
    for code in {code for code, _ in keys}:
        wanted |= Q(district__code=code, name__in=[name for c, name in keys if c == code])
    return Community.objects.filter(wanted) if keys else Community.objects.none()


def demo_sites(districts: dict[str, District], day: date, seed: int) -> list[Site]:
    """The communities a load as of ``day`` makes: the communities step alone (fast: no
    buildings, items or people), drawn from the same seeded stream as the whole city's, so
    their keys are the whole city's."""
    city = DemoCity(districts=districts, kinds={}, vote_rule=None, subsidy_rule=None, today=day)
    places(city, random.Random(f"{seed}:{places.__name__}"))
    return city.sites


def later_keys(districts: dict[str, District], today: date, seed: int, *, years: int = 10) -> list:
    """The keys of the later batches' communities a load as of up to ``years`` years after
    ``today`` would make, for ``--reset`` to find them."""
    sites = demo_sites(districts, date(today.year + years, 12, 31), seed)
    return [site.key for site in sites if site.later]


def save_city(city: DemoCity) -> dict[type, int]:
    """Bulk-create every generated object, parents first (a few queries per model)."""
    for model, objects in city.rows.items():
        model._default_manager.bulk_create(objects, batch_size=BATCH_SIZE)
    return {model: len(objects) for model, objects in city.rows.items()}


@contextmanager
def history_off() -> Iterator[None]:
    """Record no history meanwhile: django-simple-history reads ``SIMPLE_HISTORY_ENABLED`` at
    each save and delete. Process-wide, so for management commands, not a serving process."""
    missing = not hasattr(settings, "SIMPLE_HISTORY_ENABLED")
    previous = getattr(settings, "SIMPLE_HISTORY_ENABLED", True)
    settings.SIMPLE_HISTORY_ENABLED = False
    try:
        yield
    finally:
        if missing:
            del settings.SIMPLE_HISTORY_ENABLED
        else:
            settings.SIMPLE_HISTORY_ENABLED = previous


def delete_demo(keys: list[tuple[str, str]]) -> int:
    """Delete the demo communities and everything hanging from them; the districts stay.

    Elevator retrofits protect their buildings, so they go first; everything else cascades
    from the community. Later subjects with protecting foreign keys must be deleted here too.
    """
    communities = demo_communities(keys)
    with history_off(), caching.tokens_replaced_once():
        delete_demo_photo_files(communities)  # the rows cascade; their files would stay
        # Stage history protects its retrofit: it goes first.
        _delete(StageTransition.objects.filter(retrofit__building__community__in=communities))
        _delete(ElevatorRetrofit.objects.filter(building__community__in=communities))
        deleted = _delete(communities)
        _delete(AnnualPlan.objects.filter(note=DEMO_NOTE))  # the returns' slice (demo.returns)
        delete_demo_parties()  # city-wide, made again with the communities
        delete_demo_designers()  # the design firms present at acceptances (demo.acceptance)
        # What the rows' delete signals would have done, once (QuietCollector).
        invalidate_statistics()
    return deleted


class QuietCollector(Collector):
    """Django's collector for the demo's removal, which needs none of the rows' delete
    signals. History is off (``history_off``), and the signals' other receivers only make the
    cached figures and pages stale, which ``delete_demo`` does once at the end. Django reads
    every row that has a receiver (133,000 for the demo) to signal it; without receivers, the
    rows that nothing else hangs from are deleted by one query per batch of parents, unread.
    A test checks that the delete receivers are those, and no other."""

    def _has_signal_listeners(self, model) -> bool:
        return False


def _delete(queryset) -> int:
    """``queryset.delete()`` through the ``QuietCollector``: the rows it deleted."""
    collector = QuietCollector(using=queryset.db, origin=queryset)
    collector.collect(queryset.order_by())
    deleted, _ = collector.delete()
    return deleted


@transaction.atomic
def load_demo(*, today: date, reset: bool = False, seed: int = taian.SEED) -> LoadResult:
    """Load Tai'an's demo data as of ``today`` unless it is already there; with ``reset``,
    reload it. Refuses a day before ``taian.EARLIEST_TODAY``."""
    if today < taian.EARLIEST_TODAY:
        raise DemoDataError(
            f"The demo tells the programme from the report of {taian.REPORT_DAY} on: it cannot "
            f"be loaded as of {today}, a day before {taian.EARLIEST_TODAY}."
        )
    districts = ensure_districts()
    vote_rule, subsidy_rule = elevator_rules()
    kinds = national_kinds()
    # Whether it is there already is decided from the communities' keys alone: the whole city
    # (4 s of generation) is built only to be saved.
    sites = demo_sites(districts, today, seed)
    keys = [site.key for site in sites]
    present = demo_communities(keys).count()
    if present == len(keys) and not reset:
        return LoadResult(created=False, counts={})
    fixed = [site.key for site in sites if not site.later]
    if present and not reset and demo_communities(fixed).count() == len(fixed):
        # Loaded as of another day (the later batches differ): leave it as it is.
        return LoadResult(created=False, counts={}, other_day=True)
    if present and not reset:
        raise DemoDataError(
            f"Only {present} of the {len(keys)} demo communities are present (some were deleted "
            "or renamed); run with --reset to delete and reload the demo data."
        )
    if present:
        # With the later batches of any day up to ten years on (a reset to an earlier day).
        delete_demo(keys + later_keys(districts, today, seed))
    city = build_city(
        districts=districts,
        kinds=kinds,
        vote_rule=vote_rule,
        subsidy_rule=subsidy_rule,
        seed=seed,
        today=today,
    )
    counts = save_city(city)
    requests = generate_repair_requests(random.Random(seed + 5), reference=reference_moment(today))
    counts[RepairRequest] = len(requests)
    return LoadResult(created=True, counts=counts)
