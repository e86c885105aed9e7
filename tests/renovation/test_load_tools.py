"""The load and fault tests' own logic (tests/load/): locust's statistics into the report, the
report against the goals, the write ledger, the fault run's judgement, and the database side
(the load-test user, the sampled targets, the write that must pass the domain rules).

The runs themselves (``make load``, ``make fault``) need gunicorn, locust and a large database;
none of that is needed here.
"""

import json

import pytest
from django.test import Client

from communities.repairs.models import RepairRequest
from tests.load import db, harness, tools
from tests.support.factories import make_community, make_district

# --- Locust's statistics into a report --------------------------------------------------------


def _entry(name, method="GET", *, times, failures=0, start=100.0, end=160.0):
    """A locust ``--json-file`` entry: JSON has turned the histogram's keys into strings."""
    return {
        "name": name,
        "method": method,
        "num_requests": sum(times.values()),
        "num_failures": failures,
        "total_response_time": float(sum(ms * count for ms, count in times.items())),
        "start_time": start,
        "last_request_timestamp": end,
        "response_times": {str(ms): count for ms, count in times.items()},
    }


def test_a_percentile_is_the_time_that_share_of_requests_finished_within():
    histogram = {10: 51, 20: 40, 300: 8, 900: 1}
    assert tools.percentile(histogram, 0.50) == 10
    assert tools.percentile(histogram, 0.90) == 20
    assert tools.percentile(histogram, 0.98) == 300
    assert tools.percentile(histogram, 0.99) == 900
    # Exactly half at 10 ms: locust (and so this report) answers the next bucket up.
    assert tools.percentile({10: 50, 20: 50}, 0.50) == 20
    assert tools.percentile({}, 0.99) == 0


def test_the_summary_adds_the_endpoints_up_and_keeps_each_one():
    entries = [
        _entry("/a/", times={10: 90, 40: 10}, start=100.0, end=150.0),
        _entry("/b/", "POST", times={100: 45, 600: 5}, failures=2, start=101.0, end=160.0),
        _entry("/never/", times={}),
    ]

    summary = tools.summarize(entries)

    assert summary["elapsed_s"] == 60.0
    total = summary["total"]
    assert (total["requests"], total["failures"], total["rps"]) == (150, 2, 2.5)
    assert (total["p50_ms"], total["p99_ms"], total["max_ms"]) == (10, 600, 600)
    assert [row["name"] for row in summary["endpoints"]] == ["/a/", "/b/"]
    a, b = summary["endpoints"]
    assert (a["requests"], a["share"], a["p99_ms"], a["avg_ms"]) == (100, 0.6667, 40, 13.0)
    assert (b["method"], b["failures"], b["p50_ms"], b["rps"]) == ("POST", 2, 100, 0.8)


def test_an_empty_run_summarizes_to_zeros():
    summary = tools.summarize([])
    assert summary["total"]["requests"] == 0
    assert summary["endpoints"] == []


@pytest.mark.parametrize(
    ("rps", "p99", "failures", "missed"),
    [
        (300.0, 500, 0, []),
        (299.9, 500, 0, ["requests_per_second"]),
        (450.0, 510, 0, ["p99_ms"]),
        (450.0, 100, 1, ["errors"]),
    ],
)
def test_the_goals_are_met_at_their_bounds_and_missed_past_them(rps, p99, failures, missed):
    results = tools.goal_results({"rps": rps, "p99_ms": p99, "failures": failures})
    assert [row["goal"] for row in results if not row["met"]] == missed


def _run(workers, rps, p99, failures=0):
    total = {"rps": rps, "p99_ms": p99, "failures": failures}
    return {
        "conditions": {"gunicorn": {"workers": workers}},
        "summary": {"total": total},
        "goals": tools.goal_results(total),
    }


def test_the_best_worker_count_is_the_fastest_that_keeps_latency_and_errors():
    runs = [_run(2, 310, 400), _run(3, 380, 450), _run(4, 400, 700), _run(5, 390, 300, 3)]
    assert tools.best_run(runs)["conditions"]["gunicorn"]["workers"] == 3


def test_when_no_worker_count_keeps_latency_the_fastest_is_best():
    runs = [_run(2, 200, 900), _run(3, 250, 800)]
    assert tools.best_run(runs)["conditions"]["gunicorn"]["workers"] == 3
    assert tools.best_run([]) is None


def test_the_report_table_has_a_line_per_endpoint_and_the_total():
    summary = tools.summarize([_entry("/a/", times={10: 3}), _entry("/b/", times={20: 1})])
    lines = tools.format_summary(summary).splitlines()
    assert len(lines) == 2 + 2 + 2
    assert lines[2].split()[:3] == ["GET", "/a/", "3"]
    assert "all requests" in lines[-1]


# --- The write ledger -----------------------------------------------------------------------


def test_a_write_is_found_only_with_its_own_marker():
    acknowledged = [
        {"id": 1, "marker": "LT-1"},
        {"id": 2, "marker": "LT-2"},
        {"id": 3, "marker": "LT-3"},
    ]
    stored = {
        1: tools.write_payload(community_id=9, marker="LT-1")["description"],
        # Another write's record under this id: LT-2 is not LT-20.
        2: tools.write_payload(community_id=9, marker="LT-20")["description"],
    }

    result = tools.ledger_check(acknowledged, stored)

    assert (result["acknowledged"], result["found"], result["lost"]) == (3, 1, 2)
    assert [write["id"] for write in result["lost_writes"]] == [2, 3]


# --- The fault run --------------------------------------------------------------------------

API_503 = {
    "path": "/api/v1/stats/",
    "status": 503,
    "content_type": "application/json",
    "body": json.dumps({"detail": "服务暂时不可用，请稍后再试。"}, ensure_ascii=False),
}
PAGE_503 = {
    "path": "/communities/",
    "status": 503,
    "content_type": "text/html; charset=utf-8",
    "body": "<!doctype html><html lang='zh-Hans'><p>服务暂时不可用</p></html>",
}


@pytest.mark.parametrize(
    ("event", "kind"),
    [
        (API_503, "unavailable"),
        (PAGE_503, "unavailable"),
        ({**API_503, "content_type": "text/html"}, "unclear_503"),
        ({**API_503, "body": '{"detail": ""}'}, "unclear_503"),
        ({**PAGE_503, "path": "/api/v1/stats/"}, "unclear_503"),
        ({**PAGE_503, "body": "Service Unavailable"}, "unclear_503"),
        ({**PAGE_503, "traceback": True}, "server_error"),
        ({**API_503, "status": 500, "body": "<h1>Server Error (500)</h1>"}, "server_error"),
        ({**API_503, "status": 502}, "server_error"),
        ({"path": "/", "status": 0, "body": ""}, "connection"),
        ({"path": "/api/v1/communities/1/", "status": 404, "body": "{}"}, "client_error"),
    ],
)
def test_each_failed_request_is_classified(event, kind):
    assert tools.classify(event) == kind


def test_a_503_must_carry_the_expected_wording_when_one_is_given():
    assert tools.classify(API_503, expected_text="暂时不可用") == "unavailable"
    assert tools.classify(API_503, expected_text="maintenance") == "unclear_503"


def test_recovery_runs_from_the_database_back_to_the_first_success_after_the_last_failure():
    probes = [(100.0, False), (101.0, False), (102.5, True), (103.0, False), (104.0, True)]
    assert tools.recovery_seconds(up_at=100.0, until=200.0, probes=probes, events=[]) == 4.0
    # A request of the load that failed later than every probe counts too.
    events = [{"t": 104.5}]
    probes_after = [*probes, (105.0, True)]
    assert (
        tools.recovery_seconds(up_at=100.0, until=200.0, probes=probes_after, events=events) == 5.0
    )
    # Failures after ``until`` belong to the next fault.
    assert (
        tools.recovery_seconds(up_at=100.0, until=104.2, probes=probes_after, events=events) == 4.0
    )
    assert tools.recovery_seconds(up_at=100.0, until=200.0, probes=probes[:2], events=[]) is None


FAULTS = [
    {"kind": "terminate", "at": 10.0, "terminated": 3},
    {"kind": "restart", "down_at": 20.0, "stopped_at": 20.5, "up_at": 26.0},
    {"kind": "terminate", "at": 40.0, "terminated": 3},
]
PROBES = [(19.0, True), (22.0, False), (26.5, False), (27.0, True), (30.0, True), (41.0, True)]
GOOD_LEDGER = {"acknowledged": 10, "found": 10, "lost": 0}


def _analyse(events, ledger=GOOD_LEDGER, probes=PROBES):
    return tools.analyse_fault_run(
        events=events, faults=FAULTS, probes=probes, ledger=ledger, max_recovery_s=5
    )


def _checks_failed(result):
    return [check["check"] for check in result["checks"] if not check["met"]]


def test_a_fault_run_with_clear_503s_during_the_faults_passes():
    events = [
        {**API_503, "t": 10.2},
        {**PAGE_503, "t": 23.0},
        {**API_503, "t": 24.0},
        {**API_503, "t": 26.2},
        {**PAGE_503, "t": 40.1},
    ]

    result = _analyse(events)

    assert _checks_failed(result) == []
    assert result["passed"]
    assert result["recovery_s"] == 1.0
    assert result["responses"]["unavailable"] == 5
    assert result["responses"]["unavailable_during_outage"] == 2


def test_a_fault_run_fails_on_a_lost_write_a_500_or_a_failure_outside_the_faults():
    events = [
        {**API_503, "t": 23.0},
        {**API_503, "status": 500, "body": "Server Error", "t": 24.0},
        {**API_503, "t": 50.0},
    ]

    result = _analyse(events, ledger={"acknowledged": 10, "found": 9, "lost": 1})

    assert not result["passed"]
    assert _checks_failed(result) == [
        "no lost write",
        "no 500 and no traceback",
        "no failure outside the fault windows",
    ]


def test_a_fault_run_fails_when_nothing_met_the_outage_or_it_never_recovered():
    probes = [(19.0, True), (22.0, False), (27.0, False), (30.0, False)]

    result = _analyse([], probes=probes)

    assert result["recovery_s"] is None
    assert _checks_failed(result) == [
        "requests during the outage were answered 503",
        "recovered by itself within 5 s",
    ]


# --- The harness's pure parts -----------------------------------------------------------------


def test_the_app_connections_carry_their_own_application_name():
    url = "postgres://postgres@127.0.0.1:5432/rt_scale?sslmode=disable&application_name=x"
    named = harness.with_application_name(url, harness.APP_NAME)
    assert named == (
        "postgres://postgres@127.0.0.1:5432/rt_scale?sslmode=disable&application_name=rt-load-app"
    )


def test_the_fault_schedule_kills_connections_around_one_restart_within_the_run():
    schedule = harness.fault_schedule(50)
    actions = [action for _, action in schedule]
    assert actions.count("restart") == 1
    assert actions.count("terminate") >= 2
    restart_at = {action: offset for offset, action in schedule}["restart"]
    assert any(offset < restart_at for offset, action in schedule if action == "terminate")
    assert any(offset > restart_at + 10 for offset, action in schedule if action == "terminate")
    assert max(offset for offset, _ in schedule) < 50


# --- The database side ----------------------------------------------------------------------


@pytest.mark.django_db
def test_the_load_user_is_created_once_with_a_token_and_the_permission_to_file():
    token = db.ensure_load_user()
    assert db.ensure_load_user() == token

    from django.contrib.auth import get_user_model

    (user,) = get_user_model().objects.filter(username=db.LOAD_USERNAME)
    assert user.is_staff and not user.is_superuser
    assert not user.has_usable_password()
    assert user.has_perm("communities.add_repairrequest")


@pytest.mark.django_db
def test_the_load_write_passes_the_domain_rules_and_the_ledger_finds_it():
    community = make_community()
    token = db.ensure_load_user()
    after_id = db.last_repair_request_id()
    marker = "LTL20260101-1-0"

    response = Client().post(
        "/api/v1/service-requests/",
        tools.write_payload(community_id=community.pk, marker=marker),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Token {token}",
    )

    assert response.status_code == 201, response.content
    written = response.json()
    assert tools.marker_text(marker) in written["description"]
    ledger = [{"id": written["id"], "marker": marker}]
    result = tools.ledger_check(ledger, db.stored_descriptions([written["id"]]))
    assert (result["found"], result["lost"]) == (1, 0)
    assert db.run_records(run_id="LTL20260101", after_id=after_id).count() == 1
    assert db.run_records(run_id="LTL2026010", after_id=after_id).count() == 0

    assert db.delete_run_records(run_id="LTL20260101", after_id=after_id) == 1
    assert not RepairRequest.objects.filter(pk=written["id"]).exists()
    assert not RepairRequest.history.filter(id=written["id"]).exists()


@pytest.mark.django_db
def test_the_targets_are_the_same_sample_on_every_run_and_only_districts_with_communities():
    district = make_district(code="370902")
    make_district(code="370911")  # no community: nothing to list there
    ids = [make_community(district=district).pk for _ in range(5)]

    first = db.sample_targets(seed=7, communities=3, districts=5)

    assert first == db.sample_targets(seed=7, communities=3, districts=5)
    assert set(first["communities"]) <= set(ids)
    assert len(first["communities"]) == 3
    assert first["districts"] == ["370902"]


@pytest.mark.django_db
def test_sampling_an_empty_database_says_what_is_missing():
    with pytest.raises(RuntimeError, match="no communities"):
        db.sample_targets(seed=7)


def test_a_rehearsal_of_the_fault_test_leaves_the_server_running():
    schedule = harness.fault_schedule(50, restart=False)
    assert {action for _, action in schedule} == {"terminate"}
