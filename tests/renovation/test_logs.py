"""Logs: a request id on every line of a request, JSON lines that parse, nothing personal."""

import json
import logging
import re
import subprocess
import sys

import pytest

from renovation.logs import JsonFormatter, TextFormatter
from tests.support.processes import ROOT, production_env

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(caplog):
    caplog.set_level(logging.INFO)
    return caplog


@pytest.fixture
def sql_records(caplog):
    """Every record, the SQL of each query included (django.db.backends, as with debug on)."""
    from django.db import connection

    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="django.db.backends")  # Django's "django" is INFO
    connection.force_debug_cursor = True
    yield caplog
    connection.force_debug_cursor = False


def test_the_callers_request_id_is_answered_and_on_every_record(anonymous_client, sql_records):
    records = sql_records
    response = anonymous_client.get("/communities/?q=和平", HTTP_X_REQUEST_ID="lb-7f3a.2")

    assert response["X-Request-ID"] == "lb-7f3a.2"
    # The SQL of the page (django.db.backends at DEBUG), and the closing line at least.
    assert len(records.records) > 2
    assert {record.request_id for record in records.records} == {"lb-7f3a.2"}
    [closing] = [r for r in records.records if r.name == "renovation.request"]
    assert closing.status == 200
    assert closing.view == "site:community-list"
    assert closing.request_path == "/communities/"  # never the query string


def test_a_request_id_is_made_when_none_or_a_bad_one_is_sent(anonymous_client, records):
    made = anonymous_client.get("/healthz")["X-Request-ID"]
    replaced = anonymous_client.get("/healthz", HTTP_X_REQUEST_ID="evil\nforged line " + "x" * 200)[
        "X-Request-ID"
    ]

    assert re.fullmatch(r"[0-9a-f]{32}", made)
    assert re.fullmatch(r"[0-9a-f]{32}", replaced)
    assert made != replaced


def test_djangos_own_log_of_an_error_answer_carries_the_id(anonymous_client, records):
    anonymous_client.get("/no-such-page/", HTTP_X_REQUEST_ID="req-404")

    warnings = [r for r in records.records if r.name == "django.request"]
    assert warnings and {r.request_id for r in warnings} == {"req-404"}


def test_records_outside_a_request_have_no_id(anonymous_client, records):
    anonymous_client.get("/healthz", HTTP_X_REQUEST_ID="req-before")
    logging.getLogger("renovation.test").warning("between requests")

    assert records.records[-1].request_id == "-"


def test_json_lines_parse_and_carry_the_request_fields(staff_client, city_admin, records):
    staff_client.get("/open311/v2/tokens/secret-token-123.json", HTTP_X_REQUEST_ID="req-json")
    staff_client.get("/admin/", HTTP_X_REQUEST_ID="req-json-2")

    lines = [JsonFormatter().format(record) for record in records.records]
    entries = [json.loads(line) for line in lines]

    assert all("\n" not in line for line in lines)
    assert {entry["request_id"] for entry in entries} == {"req-json", "req-json-2"}
    closing = [e for e in entries if e["logger"] == "renovation.request"]
    assert [(e["path"], e["user_id"]) for e in closing] == [
        # Open311 reads no session: the line does not load one for the user's id.
        ("/open311/v2/tokens/***", None),
        ("/admin/", city_admin.pk),
    ]
    assert all(isinstance(e["duration_ms"], float) and e["method"] == "GET" for e in closing)
    assert "secret-token-123" not in "".join(lines)
    assert "city-admin" not in "".join(lines)  # the user's id, never the username


def test_the_text_format_shows_the_id_and_the_answer(anonymous_client, records):
    anonymous_client.get("/healthz", HTTP_X_REQUEST_ID="req-text")
    [closing] = [r for r in records.records if r.name == "renovation.request"]

    line = TextFormatter().format(closing)

    assert "[req-text]" in line
    assert line.endswith("GET /healthz 200 " + str(closing.duration_ms) + "ms")


@pytest.mark.own_database
def test_production_writes_json_lines_to_stderr_and_refuses_an_unknown_format(tmp_path):
    script = (
        "import django, logging; django.setup()\n"
        "from django.conf import settings\n"
        "logging.getLogger('renovation.test').warning('disk %s full', 'nearly')\n"
        "print(settings.LOG_FORMAT)\n"
    )

    def run(**extra):
        return subprocess.run(
            [sys.executable, "-c", script],
            cwd=ROOT,
            env={
                **production_env(tmp_path, **extra),
                "DJANGO_SETTINGS_MODULE": "renovation.settings",
            },
            capture_output=True,
            text=True,
            timeout=120,
        )

    production = run()
    unknown = run(LOG_FORMAT="xml")

    assert production.returncode == 0, production.stderr
    assert production.stdout.strip() == "json"
    entry = json.loads(production.stderr.strip().splitlines()[-1])
    assert entry["message"] == "disk nearly full"
    assert entry["level"] == "WARNING" and entry["request_id"] == "-"
    assert unknown.returncode != 0
    assert "LOG_FORMAT must be json or text" in unknown.stderr
