"""``manage.py benchmark``'s rows for the returns (issue 16) and construction supervision
(issue 17), kept here so that the command only imports them.

- the monthly return of the nation, computed in process (``reporting.returns.compute_figures``
  over every district: the API takes a province, city or district code, and the nation has
  none); the district's, city's and province's come through the API in the command's own rows;
- the statistics of a province, of a city and of the nation on a past day (``?region=``,
  ``?as_of=``), each computed afresh (``cold``: the cache is emptied before every request, so
  the figure is what the first reader after a change waits) and as served from the cache;
- the OC4IDS project package (a page of 100 projects) of a province and of a city;
- the contractor scorecard, ``/api/v1/parties/`` of contractors ordered by overdue rate.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.cache import cache
from django.core.management import CommandError
from django.test import Client

from communities.places.models import District
from communities.reporting import returns

PERIOD = "2023-03"
AS_OF = "2024-12-31"

# Rows that take seconds at national scale (cold statistics, the nation's return) are timed at
# most this many times, after one warm-up, whatever --repeat says: 50 of each would add half an
# hour to a run.
SLOW_REPEAT = 10

# Goals (p95, milliseconds) of issues 16 and 17; rows without one are reported only.
GOALS_MS = {
    "monthly return (province)": 1_000,
    "party scorecard (overdue)": 200,
}


def _get(client: Client, url: str, *, cold: bool = False) -> Callable[[], object]:
    def fetch():
        if cold:
            cache.clear()  # this process's statistics: computed afresh
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans")
        if response.status_code != 200:
            raise CommandError(f"{url} answered {response.status_code}")
        return response

    return fetch


def _national_return() -> Callable[[], object]:
    region = returns.Region(
        code="", name="全国", district_ids=frozenset(District.objects.values_list("id", flat=True))
    )
    period = returns.parse_period(PERIOD)
    return lambda: returns.compute_figures(region, period)


def rows(*, code: str, anonymous: Client, admin: Client) -> list[tuple[str, str, Callable]]:
    """(page, url, fetch) of each row, for the district ``code`` sampled by the command; the
    slow ones are named in ``slow()``."""
    province, city = code[:2], code[:4]
    stats = "/api/v1/stats/"
    return [
        (
            "monthly return (nation)",
            f"compute_figures(all districts, {PERIOD})",
            _national_return(),
        ),
        (
            "stats (province, cold)",
            f"{stats}?region={province}",
            _get(anonymous, f"{stats}?region={province}", cold=True),
        ),
        (
            "stats (province)",
            f"{stats}?region={province}",
            _get(anonymous, f"{stats}?region={province}"),
        ),
        (
            "stats (city, cold)",
            f"{stats}?region={city}",
            _get(anonymous, f"{stats}?region={city}", cold=True),
        ),
        (
            "stats (as of, cold)",
            f"{stats}?as_of={AS_OF}",
            _get(anonymous, f"{stats}?as_of={AS_OF}", cold=True),
        ),
        ("stats (as of)", f"{stats}?as_of={AS_OF}", _get(anonymous, f"{stats}?as_of={AS_OF}")),
        (
            "oc4ids (province)",
            f"/api/v1/oc4ids/?region={province}",
            _get(anonymous, f"/api/v1/oc4ids/?region={province}"),
        ),
        (
            "oc4ids (city)",
            f"/api/v1/oc4ids/?region={city}",
            _get(anonymous, f"/api/v1/oc4ids/?region={city}"),
        ),
        (
            "party scorecard (overdue)",
            "/api/v1/parties/?role=contractor&ordering=-overdue_rate",
            _get(anonymous, "/api/v1/parties/?role=contractor&ordering=-overdue_rate"),
        ),
    ]


def slow(name: str) -> bool:
    """Whether a row is timed at most ``SLOW_REPEAT`` times."""
    return "cold" in name or name == "monthly return (nation)"
