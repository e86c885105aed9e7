import pytest


@pytest.mark.django_db
def test_healthz_reports_database_and_cache_ok(anonymous_client):
    response = anonymous_client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "cache": "ok"}}


@pytest.mark.django_db
def test_healthz_answers_503_when_the_database_is_away(anonymous_client, monkeypatch):
    from django.db import OperationalError

    from renovation import health

    def broken_cursor():
        raise OperationalError("server closed the connection")

    monkeypatch.setattr(health.connection, "cursor", broken_cursor)

    response = anonymous_client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["checks"]["database"] == "error: OperationalError"
