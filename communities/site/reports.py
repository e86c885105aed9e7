"""``/reports/<region code>/``: a region's plan against actual, month by month, as a chart
drawn server-side in SVG (no script, no chart library) with its data table."""

from dataclasses import dataclass

from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from communities.core import bounds
from communities.core.clock import today
from communities.reporting import returns

WIDTH, HEIGHT, LEFT, RIGHT, TOP, BOTTOM = 640, 280, 48, 16, 16, 32


@dataclass(frozen=True)
class Line:
    key: str
    label: str
    points: str
    css: str


def _year(request) -> int:
    raw = request.GET.get("year", "")
    if not raw:
        return today().year
    if not (raw.isascii() and raw.isdigit() and len(raw) == 4 and 2000 <= int(raw) <= 2100):
        raise Http404
    return int(raw)


def _chart(series: list[dict], suffix: str = "") -> dict:
    """The SVG's coordinates: months along, communities up (cumulative over the year); with
    ``suffix="_households"``, their households."""
    keys = ("plan", "started", "completed")
    top = max([1] + [max(r[f"{key}{suffix}"] for key in keys) for r in series])
    width, height = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(index: int) -> float:
        return round(LEFT + width * index / 11, 1)

    def y(value: int) -> float:
        return round(TOP + height * (1 - value / top), 1)

    lines = [
        Line(
            key,
            label,
            " ".join(f"{x(i)},{y(r[key + suffix])}" for i, r in enumerate(series)),
            key,
        )
        for key, label in (
            ("plan", _("Plan")),
            ("started", _("Started")),
            ("completed", _("Completed")),
        )
    ]
    ticks = [{"x": x(i), "label": r["month"]} for i, r in enumerate(series)]
    grid = [{"y": y(round(top * n / 4)), "label": round(top * n / 4)} for n in range(5)]
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "lines": lines,
        "ticks": ticks,
        "grid": grid,
        "left": LEFT,
        "right": WIDTH - RIGHT,
        "baseline": HEIGHT - BOTTOM,
        "label_y": HEIGHT - 10,
    }


@require_safe
def region_report(request, code: str):
    """Plan, started and completed communities, and their households, by month of a year, for
    a province, city or district (4 queries)."""
    if not bounds.is_path_text(code):
        raise Http404
    try:
        region = returns.parse_region(code)
    except returns.BadQuery as exc:
        raise Http404 from exc
    year = _year(request)
    series = returns.monthly_series(region, year)
    now = today()
    if year == now.year:
        series = series[: now.month]
    elif year > now.year:
        series = []
    return render(
        request,
        "communities/reporting/region_report.html",
        {
            "region": region,
            "year": year,
            "series": series,
            "chart": _chart(series) if series else None,
            "households_chart": _chart(series, "_households") if series else None,
            "years": [year - 1, year + 1],
        },
    )
