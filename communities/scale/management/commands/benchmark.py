"""``manage.py benchmark``: latency and query count of the pages that must stay fast at scale.

Every page is fetched in process through the whole stack (middleware, URL routing, DRF) with
``django.test.Client``, on whatever database is configured: warm-up requests first, then
``--repeat`` timed ones, reporting the median and the 95th percentile; the query count comes
from one more request under ``CaptureQueriesContext``, outside the timing.

Two references are measured in the same run for the community list (50 rows of a district):

- the **naive baseline**: the same response shape written the way DRF's tutorial does it, a
  ``ModelSerializer`` with the same related fields, DRF's own page-number pagination, no
  ``select_related``/``prefetch_related`` or other tuning (``NaiveCommunityList`` below);
- the **floor**: the same page fetched with ``.values()`` and JSON-encoded, with its count,
  without HTTP or serializers: no implementation of the page can be faster;
- the **floor via HTTP**: the floor's own bytes answered by a plain Django view through the
  same client and middleware, the least any page served by this stack can cost (an informative
  ratio: the goal is set against the floor without HTTP).

The list, its baseline and both floors are fetched in turn, request by request, so that the
ratios compare timings taken in the same moments of a machine whose speed drifts over minutes,
and for ``--ratio-rounds`` rounds (100), not ``--repeat``: the p95 of 30 requests is the
second-slowest of them, which one slow request moves (six runs of 30 on one machine put the
ratio anywhere from 1.27x to 1.66x; runs of 90 gave 1.37x twice).

The table is printed and written as JSON to ``bench-results/`` (git-ignored). Throttling stays
in the path but at rates the benchmark cannot reach.
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection
from django.http import HttpResponse
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import include, path
from rest_framework import generics, pagination, permissions, serializers
from rest_framework.throttling import SimpleRateThrottle

from communities.core.gc_tuning import as_served
from communities.dossier.admin import CommunityAdmin
from communities.dossier.api.serializers import CommunitySerializer
from communities.dossier.api.views import CommunityViewSet
from communities.places.models import Community, District
from communities.scale import bench_rows  # scl: the rows of issues 16 and 17

# --- the naive baseline, built here and routed only while the benchmark runs ------------------


class NaiveCommunitySerializer(serializers.ModelSerializer):
    """The community list's fields, the tutorial way."""

    url = serializers.HyperlinkedIdentityField(view_name="api:community-detail")
    site_url = serializers.SerializerMethodField()
    district = serializers.SlugRelatedField(slug_field="code", read_only=True)
    district_name = serializers.CharField(source="district.name", read_only=True)
    renovation_status_display = serializers.CharField(
        source="get_renovation_status_display", read_only=True
    )

    class Meta:
        model = Community
        fields = CommunitySerializer.Meta.fields  # the same response shape

    def get_site_url(self, community) -> str:
        return community.get_absolute_url()


class NaivePagination(pagination.PageNumberPagination):
    page_size = 50


class NaiveCommunityList(generics.ListAPIView):
    serializer_class = NaiveCommunitySerializer
    pagination_class = NaivePagination
    permission_classes = [permissions.AllowAny]
    filter_backends = []

    def get_queryset(self):
        communities = Community.objects.order_by(*CommunityViewSet.ordering)  # the same page
        district = self.request.query_params.get("district")
        return communities.filter(district__code=district) if district else communities


def floor_view(request):
    """The floor's page answered through the whole stack by a plain Django view."""
    return HttpResponse(floor_page(request.GET.get("district")), content_type="application/json")


urlpatterns = [
    path("benchmark/naive-communities/", NaiveCommunityList.as_view()),
    path("benchmark/floor-communities/", floor_view),
    path("", include(settings.ROOT_URLCONF)),
]

FLOOR_FIELDS = [
    "id",
    "name",
    "district__code",
    "district__name",
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
    "is_demonstration",
    "demonstration_note",
    "created_at",
    "updated_at",
]

# The goals of issues 9 and 19 (p95, milliseconds), by page. The community list's own goal is
# relative (RATIO_GOALS): absolute times on a shared machine say more about the machine.
GOALS_MS = {
    "community list (district)": 10,
    "community list (all)": 10,
    "community detail": 15,
    "items of a community": 15,
    "stats (city)": 30,
    "stats (district)": 30,
    "geojson (district)": 50,
    "admin changelist": 150,
    "admin changelist (search)": 150,
    "admin search, name with digits": 150,
    "admin search, district name": 150,
    "admin search, 2 characters": 150,
    "admin sorted by items": 1000,
    "admin sorted by budget": 1000,
    "admin sorted by progress": 1000,
    "admin repair measures": 1000,
    "list search, 2 characters": 50,
    "public home": 50,
    "public list": 50,
    "public list, 2 characters": 50,
    "public community": 50,
}
GOALS_MS.update(bench_rows.GOALS_MS)  # scl: issues 16 and 17
# Issue 19: the community list of a district within 1.5x its .values() floor, and the naive DRF
# baseline at least 4x slower than it, both measured in the same run.
RATIO_GOALS = {"list_over_floor": 1.5, "naive_over_list": 4.0}
# A one-or-two-character search (served by the search grams' GIN index on PostgreSQL).
SHORT_SEARCH = "和平"


def floor_page(district: str | None) -> bytes:
    """The community list page at its floor: ``.values()`` of 50 rows, its count, JSON."""
    communities = Community.objects.all()
    if district:
        communities = communities.filter(district__code=district)
    ordered = communities.order_by(*CommunityViewSet.ordering)
    rows = list(ordered.values(*FLOOR_FIELDS)[:50])
    return json.dumps(
        {"count": communities.count(), "results": rows}, cls=DjangoJSONEncoder
    ).encode()


class Command(BaseCommand):
    help = (
        "Measure median and p95 latency and the query count of the pages that must stay fast "
        "at national scale, with the naive-DRF baseline and the .values() floor of the "
        "community list; print a table and write it as JSON to bench-results/."
    )

    def add_arguments(self, parser):
        parser.add_argument("--repeat", type=int, default=30, help="Timed requests per page.")
        parser.add_argument(
            "--ratio-rounds",
            type=int,
            default=100,
            help=(
                "Timed rounds of the community list, its naive baseline and its floors, "
                "fetched in turn: their p95s make the ratios."
            ),
        )
        parser.add_argument("--warmup", type=int, default=5, help="Untimed requests first.")
        parser.add_argument(
            "--output", default="bench-results", help="Directory of the JSON results."
        )
        parser.add_argument(
            "--only",
            action="append",
            default=[],
            metavar="WORDS",
            help=(
                "Measure only the pages whose name contains one of these comma-separated words "
                "(repeatable; e.g. --only admin,detail); naming the community list, its "
                "baseline or a floor measures the four together."
            ),
        )
        parser.add_argument(
            "--public-cache",
            action="store_true",
            help=(
                "Serve anonymous pages from the public response cache (communities.core.caching), "
                "as production does; by default it is off, so each page does its own work."
            ),
        )

    def handle(
        self,
        *args,
        repeat: int,
        warmup: int,
        ratio_rounds: int = 100,
        output: str,
        public_cache: bool,
        only: list[str] | str = (),
        **options,
    ):
        if repeat < 1 or ratio_rounds < 1:
            raise CommandError("--repeat and --ratio-rounds must be 1 or more.")
        self.ratio_rounds = ratio_rounds
        values = [only] if isinstance(only, str) else list(only or ())
        self.only = [word.strip() for value in values for word in value.split(",") if word.strip()]
        community = self._sample_community()
        code = community.district.code
        rates = {"anon": "100000000/minute", "user": "100000000/minute"}
        original_rates, original_debug = SimpleRateThrottle.THROTTLE_RATES, settings.DEBUG
        SimpleRateThrottle.THROTTLE_RATES = {**original_rates, **rates}
        settings.DEBUG = False  # no query log: it would cost time and memory
        try:
            cache_seconds = settings.PUBLIC_CACHE_SECONDS if public_cache else 0
            with (
                override_settings(ROOT_URLCONF=__name__, PUBLIC_CACHE_SECONDS=cache_seconds),
                as_served(),  # the garbage collector as a gunicorn worker runs it
            ):
                results = self._measure_all(community, code, repeat, warmup)
        finally:
            SimpleRateThrottle.THROTTLE_RATES, settings.DEBUG = original_rates, original_debug
        report = self._report(
            results,
            repeat=repeat,
            ratio_rounds=ratio_rounds,
            warmup=warmup,
            district=code,
            public_cache=public_cache,
            load_average=_load_average(),
        )
        self._print(report)
        self._write(report, Path(output))

    def _sample_community(self) -> Community:
        """A community in the middle of the table (by id), and so its district."""
        last = Community.objects.order_by("-pk").values_list("pk", flat=True).first()
        if last is None:
            raise CommandError(
                "No communities: load data first (generate_scale_data or load_demo_data)."
            )
        return (
            Community.objects.select_related("district")
            .filter(pk__gte=last // 2)
            .order_by("pk")
            .first()
        )

    def _admin_client(self) -> Client:
        user = get_user_model().objects.filter(is_superuser=True, is_active=True).first()
        if user is None:
            user, _ = get_user_model().objects.get_or_create(
                username="benchmark", defaults={"is_staff": True, "is_superuser": True}
            )
            user.set_unusable_password()
            user.save()
        client = Client()
        client.force_login(user)
        return client

    def _measure_all(self, community, code, repeat, warmup) -> list[dict]:
        anonymous, admin = Client(), self._admin_client()
        search = community.name
        pages: list[tuple[str, Client, str]] = [
            ("community detail", anonymous, f"/api/v1/communities/{community.pk}/"),
            (
                "items of a community",
                anonymous,
                f"/api/v1/renovation-items/?community={community.pk}",
            ),
            ("stats (city)", anonymous, "/api/v1/stats/"),
            ("stats (district)", anonymous, f"/api/v1/stats/?district={code}"),
            ("geojson (district)", anonymous, f"/api/v1/communities/geojson/?district={code}"),
            ("admin changelist", admin, "/admin/communities/community/"),
            ("admin changelist (search)", admin, f"/admin/communities/community/?q={search}"),
            # Issue 19's rows: searches the indexes must serve, the computed sorts, measures.
            *self._issue_19_pages(community, anonymous, admin),
            ("public home", anonymous, "/"),
            ("public list", anonymous, "/communities/"),
            ("public list, 2 characters", anonymous, f"/communities/?q={SHORT_SEARCH}"),
            ("public community", anonymous, f"/communities/{community.pk}/"),
            # The monthly return (reporting.returns) of the district, its city and province.
            *(
                (f"monthly return ({level})", admin, f"/api/v1/reports/monthly/?{query}")
                for level, query in (
                    ("district", f"period=2023-03&region={code}"),
                    ("city", f"period=2023-03&region={code[:4]}"),
                    ("province", f"period=2023-03&region={code[:2]}"),
                )
            ),
        ]
        # --- scl: the returns' and construction's rows (communities.scale.bench_rows) ---------
        extra = bench_rows.rows(code=code, anonymous=anonymous, admin=admin)
        # --- end scl ------------------------------------------------------------------------
        pages = [page for page in pages if self._wanted(page[0])]
        results = self._measure_list_and_references(anonymous, code, repeat, warmup)
        for name, client, url in pages:
            self.stderr.write(f"  {name}: {url}")
            fetch = _fetcher(client, url)
            results.append({"page": name, "url": url, **_measure(fetch, repeat, warmup)})
        for name, url, fetch in extra:  # scl
            if self._wanted(name):
                self.stderr.write(f"  {name}: {url}")
                times = (repeat, warmup)
                if bench_rows.slow(name):
                    times = (min(repeat, bench_rows.SLOW_REPEAT), min(warmup, 1))
                results.append({"page": name, "url": url, **_measure(fetch, *times)})
        return results

    def _measure_list_and_references(self, anonymous, code, repeat, warmup) -> list[dict]:
        """The community list, its naive baseline and its floors, of a district and of the
        whole table: the four of a scope fetched in turn (``_measure_together``), all four
        whenever ``--only`` names one of them."""
        results = []
        for scope, district in (("district", code), ("all", None)):
            query = f"?district={district}" if district else ""
            urls = {
                f"community list ({scope})": f"/api/v1/communities/{query}",
                f"naive baseline ({scope})": f"/benchmark/naive-communities/{query}",
                f"floor ({scope})": ".values() + json",
                f"floor via HTTP ({scope})": f"/benchmark/floor-communities/{query}",
            }
            if not any(self._wanted(name) for name in urls):
                continue
            floor = f"floor ({scope})"
            fetches = {
                name: (
                    (lambda district=district: floor_page(district))
                    if name == floor
                    else _fetcher(anonymous, url)
                )
                for name, url in urls.items()
            }
            self.stderr.write(f"  community list ({scope}), its baseline and floors, in turn")
            measured = _measure_together(fetches, self.ratio_rounds, warmup)
            results.extend({"page": name, "url": urls[name], **measured[name]} for name in urls)
        return results

    def _wanted(self, page: str) -> bool:
        """Whether ``--only`` (none: every page) asks for this page."""
        only = getattr(self, "only", [])
        return not only or any(word in page for word in only)

    def _issue_19_pages(self, community, anonymous, admin) -> list[tuple[str, Client, str]]:
        """Searches by a name with digits, a district's name and two characters; the admin's
        list sorted by each computed column, nation-wide; the repair measures page."""
        changelist = "/admin/communities/community/"
        columns = list(CommunityAdmin.list_display)
        sorted_by = [
            (f"admin sorted by {column}", admin, f"{changelist}?o=-{columns.index(column) + 1}")
            for column in ("items", "budget", "progress")
        ]
        return [
            ("admin search, name with digits", admin, f"{changelist}?q={community.name}"),
            ("admin search, district name", admin, f"{changelist}?q={community.district.name}"),
            ("admin search, 2 characters", admin, f"{changelist}?q={SHORT_SEARCH}"),
            *sorted_by,
            ("admin repair measures", admin, "/admin/communities/repairrequest/measures/"),
            ("list search, 2 characters", anonymous, f"/api/v1/communities/?q={SHORT_SEARCH}"),
        ]

    def _report(self, results, **meta) -> dict:
        by_page = {row["page"]: row for row in results}
        for row in results:
            goal = GOALS_MS.get(row["page"])
            row["goal_p95_ms"] = goal
            row["meets_goal"] = None if goal is None else row["p95_ms"] <= goal
        ratios = {}
        for scope in ("district", "all"):
            names = [f"{kind} ({scope})" for kind in ("community list", "floor", "naive baseline")]
            if not all(name in by_page for name in names):
                continue  # --only left one of them out
            page, floor, naive = (by_page[name] for name in names)
            ratios[scope] = {
                "list_over_floor": round(page["p95_ms"] / floor["p95_ms"], 2),
                "naive_over_list": round(naive["p95_ms"] / page["p95_ms"], 2),
                "list_over_http_floor": round(
                    page["p95_ms"] / by_page[f"floor via HTTP ({scope})"]["p95_ms"], 2
                ),
                # For information, as the one above: the medians' ratio, which the slowest
                # request or two of a run (the p95 of 30) do not move.
                "list_over_floor_median": round(page["median_ms"] / floor["median_ms"], 2),
            }
            ratios[scope]["meets_goal"] = (
                ratios[scope]["list_over_floor"] <= RATIO_GOALS["list_over_floor"]
                and ratios[scope]["naive_over_list"] >= RATIO_GOALS["naive_over_list"]
            )
        return {
            "when": datetime.now(UTC).isoformat(timespec="seconds"),
            "database": connection.vendor,
            "python": platform.python_version(),
            "communities": Community.objects.count(),
            "districts": District.objects.count(),
            **meta,
            "pages": results,
            "community_list_ratios": ratios,
        }

    def _print(self, report: dict) -> None:
        self.stdout.write(
            f"{report['communities']:,} communities in {report['districts']:,} districts on "
            f"{report['database']}; {report['repeat']} timed requests per page "
            f"({report['ratio_rounds']} of the community list and its references); public response "
            f"cache {'on' if report['public_cache'] else 'off'}; load average "
            f"{report['load_average'] or 'unknown'}"
        )
        header = f"{'page':<32} {'median ms':>10} {'p95 ms':>8} {'queries':>8} {'goal':>6}  ok"
        self.stdout.write(header)
        self.stdout.write("-" * len(header))
        for row in report["pages"]:
            goal = "" if row["goal_p95_ms"] is None else str(row["goal_p95_ms"])
            ok = {True: "✓", False: "✗", None: ""}[row["meets_goal"]]
            self.stdout.write(
                f"{row['page']:<32} {row['median_ms']:>10.2f} {row['p95_ms']:>8.2f} "
                f"{row['queries']:>8} {goal:>6}  {ok}"
            )
        for scope, ratio in report["community_list_ratios"].items():
            ok = "✓" if ratio["meets_goal"] else "✗"
            self.stdout.write(
                f"community list ({scope}): {ratio['list_over_floor']}x the floor (goal <= "
                f"{RATIO_GOALS['list_over_floor']}), naive baseline {ratio['naive_over_list']}x "
                f"slower (goal >= {RATIO_GOALS['naive_over_list']:g})  {ok}; "
                f"{ratio['list_over_http_floor']}x the floor via HTTP; medians "
                f"{ratio['list_over_floor_median']}x the floor's"
            )

    def _write(self, report: dict, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        stamp = report["when"].replace(":", "").replace("+0000", "Z")
        for target in (directory / f"benchmark-{stamp}.json", directory / "latest.json"):
            target.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
        self.stdout.write(f"Written to {directory / 'latest.json'}")


def _load_average() -> str:
    """The machine's 1, 5 and 15 minute load averages, which the timings must be read with."""
    try:
        return " ".join(f"{value:.2f}" for value in os.getloadavg())
    except OSError:  # not available on this platform
        return ""


def _fetcher(client: Client, url: str) -> Callable[[], object]:
    def fetch():
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans")
        if response.status_code != 200:
            raise CommandError(f"{url} answered {response.status_code}")
        return response

    return fetch


def _measure(fetch: Callable[[], object], repeat: int, warmup: int) -> dict:
    return _measure_together({"page": fetch}, repeat, warmup)["page"]


def _measure_together(
    fetches: dict[str, Callable[[], object]], repeat: int, warmup: int
) -> dict[str, dict]:
    """Each fetch once in turn, ``repeat`` times over (after ``warmup`` untimed rounds): pages
    whose timings are compared meet the machine in the same state."""
    for _ in range(warmup):
        for fetch in fetches.values():
            fetch()
    timings: dict[str, list[float]] = {name: [] for name in fetches}
    for _ in range(repeat):
        for name, fetch in fetches.items():
            started = time.perf_counter()
            fetch()
            timings[name].append((time.perf_counter() - started) * 1000)
    return {name: _summary(fetch, timings[name]) for name, fetch in fetches.items()}


def _summary(fetch: Callable[[], object], timings: list[float]) -> dict:
    """Median and 95th percentile of the timings; the queries of one more fetch."""
    with CaptureQueriesContext(connection) as queries:
        fetch()
    timings.sort()
    return {
        "median_ms": round(statistics.median(timings), 2),
        "p95_ms": round(timings[min(len(timings) - 1, int(len(timings) * 0.95))], 2),
        "timed": len(timings),
        "queries": len(queries),
    }
