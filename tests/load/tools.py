"""Pure helpers of the load and fault tests: locust's statistics into a report, the report
against the goals, the write ledger against the database, and the fault run's responses into
checks. No I/O and no Django here, so ``tests/renovation/test_load_tools.py`` runs them in
``make test`` without locust installed.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass

# Issue #9's goals for the load test: throughput, tail latency, and no error at all.
GOALS = {"requests_per_second": 300.0, "p99_ms": 500.0, "errors": 0}

# What a load-test write puts in its description, so that the ledger check can find the record
# the answer acknowledged. The brackets keep ``LT-1`` from matching inside ``LT-10``.
MARKER_FORMAT = "[{marker}]"


def marker_text(marker: str) -> str:
    return MARKER_FORMAT.format(marker=marker)


def write_payload(*, community_id: int, marker: str) -> dict:
    """The body of one load-test write: a repair request filed by staff, which passes the
    domain rules for any community (no building, not a patrol report)."""
    return {
        "community": community_id,
        "category": "plumbing",
        "description": f"load test: the stairwell pipe drips {marker_text(marker)}",
        "source": "staff",
        "is_public": False,
    }


# --- Locust's statistics --------------------------------------------------------------------


def response_times_of(entry: dict) -> dict[int, int]:
    """An entry's ``{milliseconds: count}`` histogram; JSON turned its keys into strings."""
    return {int(float(key)): int(count) for key, count in entry.get("response_times", {}).items()}


def merge_response_times(histograms: Iterable[dict[int, int]]) -> dict[int, int]:
    merged: dict[int, int] = {}
    for histogram in histograms:
        for milliseconds, count in histogram.items():
            merged[milliseconds] = merged.get(milliseconds, 0) + count
    return merged


def percentile(histogram: dict[int, int], fraction: float) -> int:
    """The response time that ``fraction`` of the requests finished within, computed the way
    locust computes it (so the figures match its own console table)."""
    total = sum(histogram.values())
    if total == 0:
        return 0
    wanted = int(total * fraction)
    processed = 0
    for milliseconds in sorted(histogram, reverse=True):
        processed += histogram[milliseconds]
        if total - processed <= wanted:
            return milliseconds
    return 0


def _figures(histogram: dict[int, int], requests: int, failures: int, total_ms: float) -> dict:
    return {
        "requests": requests,
        "failures": failures,
        "avg_ms": round(total_ms / requests, 1) if requests else 0.0,
        "p50_ms": percentile(histogram, 0.50),
        "p95_ms": percentile(histogram, 0.95),
        "p99_ms": percentile(histogram, 0.99),
        "max_ms": max(histogram, default=0),
    }


def summarize(entries: list[dict]) -> dict:
    """Locust's ``--json-file`` entries (one per request name) as one report: the whole run's
    throughput, percentiles and failures, then each endpoint's, busiest first."""
    entries = [entry for entry in entries if entry.get("num_requests", 0) > 0]
    if not entries:
        return {"elapsed_s": 0.0, "total": {**_figures({}, 0, 0, 0.0), "rps": 0.0}, "endpoints": []}
    started = min(entry["start_time"] for entry in entries)
    ended = max(entry["last_request_timestamp"] for entry in entries)
    elapsed = max(ended - started, 1e-9)
    histograms = [response_times_of(entry) for entry in entries]
    requests = sum(entry["num_requests"] for entry in entries)
    total = _figures(
        merge_response_times(histograms),
        requests,
        sum(entry["num_failures"] for entry in entries),
        sum(entry["total_response_time"] for entry in entries),
    )
    total["rps"] = round(requests / elapsed, 1)
    endpoints = []
    for entry, histogram in zip(entries, histograms, strict=True):
        figures = _figures(
            histogram, entry["num_requests"], entry["num_failures"], entry["total_response_time"]
        )
        endpoints.append(
            {
                "method": entry["method"],
                "name": entry["name"],
                **figures,
                "rps": round(entry["num_requests"] / elapsed, 1),
                "share": round(entry["num_requests"] / requests, 4),
            }
        )
    endpoints.sort(key=lambda row: (-row["requests"], row["name"]))
    return {"elapsed_s": round(elapsed, 1), "total": total, "endpoints": endpoints}


def goal_results(total: dict, goals: dict = GOALS) -> list[dict]:
    """Each goal with what was measured and whether it is met."""
    return [
        {
            "goal": "requests_per_second",
            "target": f">= {goals['requests_per_second']:g}",
            "measured": total["rps"],
            "met": total["rps"] >= goals["requests_per_second"],
        },
        {
            "goal": "p99_ms",
            "target": f"<= {goals['p99_ms']:g}",
            "measured": total["p99_ms"],
            "met": total["p99_ms"] <= goals["p99_ms"],
        },
        {
            "goal": "errors",
            "target": f"== {goals['errors']}",
            "measured": total["failures"],
            "met": total["failures"] <= goals["errors"],
        },
    ]


def format_summary(summary: dict) -> str:
    """The report as the console table: one line per endpoint, then the whole run."""
    header = (
        f"{'method':<6} {'endpoint':<46} {'reqs':>7} {'share':>6} {'req/s':>7} "
        f"{'p50':>6} {'p95':>6} {'p99':>6} {'max':>7} {'errors':>6}"
    )
    lines = [header, "-" * len(header)]

    def line(method: str, name: str, row: dict, share: str) -> str:
        return (
            f"{method:<6} {name[:46]:<46} {row['requests']:>7} {share:>6} {row['rps']:>7.1f} "
            f"{row['p50_ms']:>6} {row['p95_ms']:>6} {row['p99_ms']:>6} {row['max_ms']:>7} "
            f"{row['failures']:>6}"
        )

    for row in summary["endpoints"]:
        lines.append(line(row["method"], row["name"], row, f"{row['share'] * 100:.1f}%"))
    lines.append("-" * len(header))
    lines.append(line("", "all requests (ms)", summary["total"], "100%"))
    return "\n".join(lines)


def format_goals(results: list[dict]) -> str:
    return "\n".join(
        f"  {'met    ' if row['met'] else 'MISSED '} {row['goal']:<20} "
        f"{row['target']:<10} measured {row['measured']}"
        for row in results
    )


def best_run(runs: list[dict]) -> dict | None:
    """Of several runs (a worker sweep), the best: the highest throughput among those that
    meet the latency and error goals, else the highest throughput of all."""
    if not runs:
        return None
    meeting = [
        run
        for run in runs
        if all(row["met"] for row in run["goals"] if row["goal"] in {"p99_ms", "errors"})
    ]
    return max(meeting or runs, key=lambda run: run["summary"]["total"]["rps"])


# --- The write ledger -----------------------------------------------------------------------


def ledger_check(acknowledged: list[dict], stored: dict[int, str]) -> dict:
    """Every write the server acknowledged (``{"id", "marker"}``) against what the database
    holds (``{id: description}``): a write is found when its record exists and carries its
    own marker; anything else is lost."""
    lost = [
        write
        for write in acknowledged
        if marker_text(write["marker"]) not in stored.get(int(write["id"]), "")
    ]
    return {
        "acknowledged": len(acknowledged),
        "found": len(acknowledged) - len(lost),
        "lost": len(lost),
        "lost_writes": lost[:20],
    }


# --- The fault run --------------------------------------------------------------------------


def is_api(path: str) -> bool:
    return path.startswith("/api/")


@dataclass(frozen=True)
class Window:
    """A stretch of time around one injected fault, when failed requests are expected."""

    label: str
    start: float
    end: float

    def __contains__(self, moment: float) -> bool:
        return self.start <= moment <= self.end


def fault_windows(faults: list[dict], *, before: float = 0.5, after: float = 3.0) -> list[Window]:
    """Terminated connections may fail the requests in flight; a restart fails everything from
    the moment the server stops until the application has recovered."""
    windows = []
    for fault in faults:
        if fault["kind"] == "terminate":
            windows.append(Window("terminate", fault["at"] - before, fault["at"] + after))
        elif fault["kind"] == "restart":
            back = fault.get("recovered_at") or fault.get("up_at") or fault["down_at"]
            windows.append(Window("restart", fault["down_at"] - before, back + after))
    return windows


def _body_json(body: str):
    try:
        return json.loads(body)
    except ValueError:
        return None


def unavailable_is_clear(event: dict, expected_text: str = "") -> bool:
    """A 503 the way issue #9 wants it: JSON with a ``detail`` message from the API, an HTML
    page from the public site, no traceback, and the expected wording when one is given."""
    body = event.get("body", "")
    content_type = event.get("content_type", "")
    if event.get("status") != 503 or event.get("traceback") or "Traceback" in body:
        return False
    if expected_text and expected_text not in body:
        return False
    if is_api(event["path"]):
        data = _body_json(body)
        return (
            content_type.startswith("application/json")
            and isinstance(data, dict)
            and isinstance(data.get("detail"), str)
            and bool(data["detail"].strip())
        )
    return content_type.startswith("text/html") and "<html" in body.lower()


def classify(event: dict, expected_text: str = "") -> str:
    """One failed request: ``unavailable`` (a clear 503), ``unclear_503``, ``server_error``
    (any other 5xx, or a traceback in the body), ``connection`` (no HTTP answer at all) or
    ``client_error`` (4xx)."""
    status = event.get("status") or 0
    if event.get("traceback") or "Traceback" in event.get("body", ""):
        return "server_error"
    if status == 503:
        return "unavailable" if unavailable_is_clear(event, expected_text) else "unclear_503"
    if status >= 500:
        return "server_error"
    if status == 0:
        return "connection"
    return "client_error"


def recovery_seconds(
    *, up_at: float, until: float, probes: list[tuple[float, bool]], events: list[dict]
) -> float | None:
    """How long after the database was back every request succeeded again: from ``up_at`` to
    the first successful probe after the last failure (of a probe or of the load) before
    ``until``. None when no probe succeeded after the last failure."""
    failures = [moment for moment, ok in probes if not ok and up_at <= moment < until]
    failures += [event["t"] for event in events if up_at <= event["t"] < until]
    settled = max(failures, default=up_at)
    successes = [moment for moment, ok in probes if ok and settled < moment < until]
    if not successes:
        return None
    return round(min(successes) - up_at, 2)


def analyse_fault_run(
    *,
    events: list[dict],
    faults: list[dict],
    probes: list[tuple[float, bool]],
    ledger: dict,
    max_recovery_s: float,
    expected_text: str = "",
) -> dict:
    """The fault run's failed requests, writes and recovery as counts and pass/fail checks."""
    restart = next((fault for fault in faults if fault["kind"] == "restart"), None)
    recovery = None
    if restart and restart.get("up_at"):
        later = [fault["at"] for fault in faults if fault.get("at", 0) > restart["up_at"]]
        recovery = recovery_seconds(
            up_at=restart["up_at"],
            until=min(later, default=float("inf")),
            probes=probes,
            events=events,
        )
        if recovery is not None:
            restart = {**restart, "recovered_at": restart["up_at"] + recovery}
            faults = [restart if fault["kind"] == "restart" else fault for fault in faults]
    windows = fault_windows(faults)
    outage = (
        Window("outage", restart["down_at"], restart.get("up_at") or restart["down_at"])
        if restart
        else None
    )
    counts = dict.fromkeys(
        ["unavailable", "unclear_503", "server_error", "connection", "client_error"], 0
    )
    unavailable_in_outage = 0
    outside_faults = []
    samples: dict[str, list[dict]] = {}
    for event in events:
        kind = classify(event, expected_text)
        counts[kind] += 1
        if kind == "unavailable" and outage and event["t"] in outage:
            unavailable_in_outage += 1
        if not any(event["t"] in window for window in windows):
            outside_faults.append(event)
        bucket = samples.setdefault(kind, [])
        if len(bucket) < 3:
            bucket.append({key: event.get(key) for key in ("path", "status", "content_type")})
            bucket[-1]["body"] = (event.get("body") or "")[:300]
    checks = [
        _check("no lost write", ledger["lost"] == 0, f"{ledger['lost']} lost"),
        _check(
            "writes were acknowledged",
            ledger["acknowledged"] > 0,
            f"{ledger['acknowledged']} acknowledged",
        ),
        _check(
            "no 500 and no traceback",
            counts["server_error"] == 0,
            f"{counts['server_error']} server errors",
        ),
        _check(
            "every 503 is clear (JSON for the API, HTML for pages)",
            counts["unclear_503"] == 0,
            f"{counts['unclear_503']} unclear 503s",
        ),
        _check(
            "requests during the outage were answered 503",
            restart is None or unavailable_in_outage > 0,
            f"{unavailable_in_outage} clear 503s while the database was down",
        ),
        _check(
            "no other error",
            counts["connection"] + counts["client_error"] == 0,
            f"{counts['connection']} without answer, {counts['client_error']} 4xx",
        ),
        _check(
            "no failure outside the fault windows",
            not outside_faults,
            f"{len(outside_faults)} failures outside",
        ),
        _check(
            f"recovered by itself within {max_recovery_s:g} s",
            restart is None or (recovery is not None and recovery <= max_recovery_s),
            f"recovery {recovery} s",
        ),
    ]
    return {
        "responses": {
            **counts,
            "unavailable_during_outage": unavailable_in_outage,
            "outside_fault_windows": len(outside_faults),
            "samples": samples,
        },
        "recovery_s": recovery,
        "checks": checks,
        "passed": all(check["met"] for check in checks),
    }


def _check(name: str, met: bool, detail: str) -> dict:
    return {"check": name, "met": bool(met), "detail": detail}


def format_checks(checks: list[dict]) -> str:
    return "\n".join(
        f"  {'ok  ' if check['met'] else 'FAIL'} {check['check']}: {check['detail']}"
        for check in checks
    )
