"""``/metrics``: off unless a token or addresses are set, and the families a dashboard reads."""

import os
import subprocess
import sys

import pytest
import redis
from prometheus_client import REGISTRY
from prometheus_client.parser import text_string_to_metric_families

from tests.support.factories import make_community
from tests.support.processes import ROOT

pytestmark = pytest.mark.django_db

TOKEN = "scrape-secret-42"
REDIS_DB = "redis://127.0.0.1:6379/12"  # this test's own Redis database


def _redis_is_up() -> bool:
    try:
        return redis.Redis.from_url(REDIS_DB, socket_connect_timeout=0.2).ping()
    except redis.RedisError:
        return False


def _scrape(client) -> dict:
    response = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain; version=")
    return {family.name: family for family in text_string_to_metric_families(response.text)}


def _value(name: str, **labels) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


def test_it_is_404_when_no_token_or_address_is_set(anonymous_client):
    assert anonymous_client.get("/metrics").status_code == 404


def test_it_is_404_without_the_right_bearer_token(anonymous_client, settings):
    settings.METRICS_TOKEN = TOKEN

    assert anonymous_client.get("/metrics").status_code == 404
    wrong = anonymous_client.get("/metrics", HTTP_AUTHORIZATION="Bearer scrape-secret-4")
    assert wrong.status_code == 404
    right = anonymous_client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    assert right.status_code == 200


def test_it_answers_only_allowed_addresses(anonymous_client, settings):
    settings.METRICS_ALLOWED_IPS = ["10.0.0.0/8"]
    assert anonymous_client.get("/metrics").status_code == 404  # the test client is 127.0.0.1

    settings.METRICS_ALLOWED_IPS = ["10.0.0.0/8", "127.0.0.1"]
    assert anonymous_client.get("/metrics").status_code == 200


def test_with_a_token_and_addresses_both_must_match(anonymous_client, settings):
    settings.METRICS_TOKEN = TOKEN
    settings.METRICS_ALLOWED_IPS = ["10.0.0.0/8"]

    refused = anonymous_client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    assert refused.status_code == 404


def test_it_exposes_latency_queries_and_cache_families_after_requests(anonymous_client, settings):
    settings.METRICS_TOKEN = TOKEN
    settings.PUBLIC_CACHE_SECONDS = 60
    make_community(name="和平小区")
    list_view = {"view": "site:community-list", "method": "GET", "status": "2xx"}
    before = {
        "requests": _value("rt_http_request_duration_seconds_count", **list_view),
        "queries": _value("rt_db_queries_per_request_sum", view="site:community-list"),
        "public_hit": _value("rt_public_cache_requests_total", result="hit"),
        "public_miss": _value("rt_public_cache_requests_total", result="miss"),
        "cache_hit": _value("rt_cache_gets_total", result="hit"),
        "not_found": _value(
            "rt_http_request_duration_seconds_count",
            view="<unmatched>",
            method="GET",
            status="4xx",
        ),
    }

    assert anonymous_client.get("/communities/").status_code == 200  # rendered: a miss
    assert anonymous_client.get("/communities/").status_code == 200  # from the cache: a hit
    assert anonymous_client.get("/no-such-page/").status_code == 404
    families = _scrape(anonymous_client)

    for name in (
        "rt_http_request_duration_seconds",
        "rt_db_queries_per_request",
        "rt_db_query_seconds_per_request",
        "rt_public_cache_requests",
        "rt_cache_gets",
    ):
        assert name in families, name
    assert _value("rt_http_request_duration_seconds_count", **list_view) == before["requests"] + 2
    # The rendered list ran queries; the cached answer ran none.
    assert _value("rt_db_queries_per_request_sum", view="site:community-list") > before["queries"]
    assert _value("rt_public_cache_requests_total", result="hit") == before["public_hit"] + 1
    assert _value("rt_public_cache_requests_total", result="miss") == before["public_miss"] + 1
    assert _value("rt_cache_gets_total", result="hit") > before["cache_hit"]
    unmatched = _value(
        "rt_http_request_duration_seconds_count", view="<unmatched>", method="GET", status="4xx"
    )
    assert unmatched == before["not_found"] + 1
    # No broker configured: no queue family at all.
    assert "rt_queue_length" not in families


@pytest.mark.skipif(not _redis_is_up(), reason="no Redis on 127.0.0.1:6379")
def test_it_reports_the_celery_queue_length_from_the_redis_broker(anonymous_client, settings):
    settings.METRICS_TOKEN = TOKEN
    settings.CELERY_BROKER_URL = REDIS_DB
    broker = redis.Redis.from_url(REDIS_DB)
    broker.delete("celery")
    broker.rpush("celery", "task-1", "task-2", "task-3")
    try:
        families = _scrape(anonymous_client)
    finally:
        broker.delete("celery")

    [sample] = families["rt_queue_length"].samples
    assert sample.labels == {"queue": "celery"}
    assert sample.value == 3
    assert families["rt_queue_up"].samples[0].value == 1


def test_a_broker_that_does_not_answer_is_reported_not_failed(anonymous_client, settings):
    settings.METRICS_TOKEN = TOKEN
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1

    families = _scrape(anonymous_client)

    assert families["rt_queue_up"].samples[0].value == 0
    assert "rt_queue_length" not in families


@pytest.mark.own_database
def test_with_a_multiprocess_directory_metrics_are_written_there_and_added_up(tmp_path):
    """What gunicorn's workers do with PROMETHEUS_MULTIPROC_DIR: each process writes files,
    /metrics reads them all (here two "workers": this process's files and a fresh one's)."""
    script = (
        "import django; django.setup()\n"
        "from django.test import Client\n"
        "client = Client()\n"
        "client.get('/no-such-page/')\n"
        f"print(client.get('/metrics', HTTP_AUTHORIZATION='Bearer {TOKEN}').content.decode())\n"
    )
    directory = tmp_path / "metrics"
    directory.mkdir()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "renovation.settings",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "PROMETHEUS_MULTIPROC_DIR": str(directory),
        "METRICS_TOKEN": TOKEN,
    }

    def worker() -> str:
        result = subprocess.run(
            [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True
        )
        assert result.returncode == 0, result.stderr
        return result.stdout

    worker()
    second = worker()

    assert list(directory.glob("histogram_*.db"))
    unmatched = (
        'rt_http_request_duration_seconds_count{method="GET",status="4xx",view="<unmatched>"}'
    )
    [line] = [line for line in second.splitlines() if line.startswith(unmatched)]
    assert float(line.split()[-1]) == 2.0  # both processes' requests
