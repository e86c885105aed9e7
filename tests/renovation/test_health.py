"""``/healthz``: every database alias and the cache, 503 when the primary or the cache is away.

A replica's entry is tested in ``test_db_router.py``, where a replica alias exists.
"""

import logging

import pytest
from django.db import OperationalError, connection

pytestmark = pytest.mark.django_db


def _refuse(*args, **kwargs):
    raise OperationalError("server closed the connection")


def test_healthz_reports_database_and_cache_ok(anonymous_client):
    response = anonymous_client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "cache": "ok"}}
    assert "no-cache" in response.headers["Cache-Control"]


def test_healthz_answers_503_when_the_database_is_away(anonymous_client, monkeypatch, caplog):
    monkeypatch.setattr(connection, "cursor", _refuse)
    caplog.set_level(logging.INFO)

    response = anonymous_client.get("/healthz")

    assert response.status_code == 503
    assert response.headers["Retry-After"] == "10"
    assert response.json() == {
        "status": "unavailable",
        "checks": {"database": "error: OperationalError", "cache": "ok"},
    }
    # One warning per probe, not Django's ERROR for every 503 a load balancer polls.
    assert [r.levelname for r in caplog.records if r.name != "renovation.request"] == ["WARNING"]


def test_healthz_answers_503_when_the_cache_is_away(anonymous_client, monkeypatch):
    from django.core.cache import cache

    def refuse(*args, **kwargs):
        raise ConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(cache, "set", refuse)

    response = anonymous_client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["checks"] == {"database": "ok", "cache": "error: ConnectionError"}


def test_healthz_answers_only_get(anonymous_client):
    assert anonymous_client.post("/healthz").status_code == 405
