"""The production configuration works: debug off, static files through whitenoise."""

import json
import os
import subprocess
import sys

import pytest

from tests.support.processes import ROOT, manage, production_env


@pytest.mark.own_database
def test_it_refuses_to_start_without_a_secret_key_when_debug_is_off(tmp_path):
    env = production_env(tmp_path)
    del env["DJANGO_SECRET_KEY"]

    result = manage("check", env=env)

    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


@pytest.mark.own_database
def test_it_rejects_a_debug_value_that_is_not_a_boolean(tmp_path):
    result = manage("check", env=production_env(tmp_path, DJANGO_DEBUG="maybe"))

    assert result.returncode != 0
    assert "DJANGO_DEBUG must be true or false" in result.stderr


@pytest.mark.own_database
def test_whitenoise_serves_collected_static_files_with_debug_off(tmp_path):
    env = production_env(tmp_path)
    # Only what the check below reads: the admin's stylesheets and the images they refer to (the
    # manifest storage refuses a stylesheet whose url() is missing). Compressing every app's
    # files, the API browser's megabytes of JavaScript above all, took half a minute.
    ignore = [
        "admin/js/*",
        "rest_framework",
        "drf_spectacular_sidecar",
        "import_export",
        "communities",
        "construction",
        "vendor",
    ]
    collected = manage(
        "collectstatic", "--noinput", "-v0", *(f"--ignore={name}" for name in ignore), env=env
    )
    assert collected.returncode == 0, collected.stderr

    script = (
        "import django; django.setup()\n"
        "from django.test import Client\n"
        "from django.contrib.staticfiles.storage import staticfiles_storage\n"
        "url = staticfiles_storage.url('admin/css/base.css')\n"
        "response = Client().get(url, HTTP_HOST='renovation.example.gov.cn', secure=True)\n"
        "print(url, response.status_code, response.headers.get('Cache-Control'))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "renovation.settings"},
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stderr
    url, status, cache_control = result.stdout.split(maxsplit=2)
    assert url.startswith("/static/admin/css/base.") and url != "/static/admin/css/base.css"
    assert status == "200"
    assert "max-age" in cache_control


@pytest.mark.django_db
def test_the_site_speaks_chinese_by_default_and_english_on_request(client):
    chinese = client.get("/healthz")
    english = client.get("/healthz", HTTP_ACCEPT_LANGUAGE="en")

    assert chinese.headers["Content-Language"] == "zh-hans"
    assert english.headers["Content-Language"] == "en"


# --- Scale-out settings: replicas, PgBouncer, Redis cache and sessions -------------------------

SHOW_SETTINGS = """
import json
import django
django.setup()
from django.conf import settings
from django.db import router
from communities.places.models import Community
reads_before = sorted({router.db_for_read(Community) for _ in range(100)})
write = router.db_for_write(Community)
read_after = router.db_for_read(Community)
print(json.dumps({
    "DATABASES": settings.DATABASES,
    "CACHES": settings.CACHES,
    "SESSION_ENGINE": settings.SESSION_ENGINE,
    "DATABASE_ROUTERS": settings.DATABASE_ROUTERS,
    "routing": {"reads_before": reads_before, "write": write, "read_after": read_after},
}, default=str))
"""


def _development_env(**extra: str) -> dict:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_", "REDIS_", "SESSION_", "CONN_"))
    }
    env.update(DJANGO_SETTINGS_MODULE="renovation.settings", **extra)
    return env


def _settings(**env: str) -> dict:
    result = _python(SHOW_SETTINGS, env=_development_env(**env))
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def _python(script: str, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


PRIMARY = "postgres://renovation:pw@db-primary:5432/renovation"
REPLICAS = "postgres://renovation:pw@db-replica-a:5432/renovation, postgres://renovation:pw@db-replica-b:5432/renovation"


@pytest.mark.own_database
def test_without_replicas_every_query_goes_to_the_primary():
    shown = _settings(DATABASE_URL=PRIMARY)

    assert list(shown["DATABASES"]) == ["default"]
    # No router to ask on every query and every foreign key: it would have no opinion.
    assert shown["DATABASE_ROUTERS"] == []
    assert shown["routing"] == {
        "reads_before": ["default"],
        "write": "default",
        "read_after": "default",
    }


@pytest.mark.own_database
def test_replica_urls_add_health_checked_replicas_that_take_the_reads():
    shown = _settings(DATABASE_URL=PRIMARY, DATABASE_REPLICA_URLS=REPLICAS, CONN_MAX_AGE="60")
    databases = shown["DATABASES"]

    assert list(databases) == ["default", "replica_1", "replica_2"]
    assert shown["DATABASE_ROUTERS"] == ["renovation.db_router.PrimaryReplicaRouter"]
    assert [databases[alias]["HOST"] for alias in databases] == [
        "db-primary",
        "db-replica-a",
        "db-replica-b",
    ]
    assert databases["replica_1"]["TEST"]["MIRROR"] == "default"
    for alias in databases:
        assert databases[alias]["CONN_MAX_AGE"] == 60
        assert databases[alias]["CONN_HEALTH_CHECKS"] is True
        assert databases[alias]["OPTIONS"]["connect_timeout"] == 5
        assert databases[alias]["DISABLE_SERVER_SIDE_CURSORS"] is False
    # Reads spread over both replicas until the first write, then stay on the primary.
    assert shown["routing"] == {
        "reads_before": ["replica_1", "replica_2"],
        "write": "default",
        "read_after": "default",
    }


@pytest.mark.own_database
def test_pgbouncer_turns_server_side_cursors_off_everywhere():
    shown = _settings(
        DATABASE_URL=PRIMARY, DATABASE_REPLICA_URLS=REPLICAS, DATABASE_PGBOUNCER="true"
    )

    assert {
        alias: config["DISABLE_SERVER_SIDE_CURSORS"] for alias, config in shown["DATABASES"].items()
    } == {"default": True, "replica_1": True, "replica_2": True}


@pytest.mark.own_database
def test_the_connect_timeout_comes_from_the_environment_unless_the_url_sets_it():
    from_env = _settings(DATABASE_URL=PRIMARY, DATABASE_CONNECT_TIMEOUT="2")
    from_url = _settings(DATABASE_URL=PRIMARY + "?connect_timeout=9")

    assert from_env["DATABASES"]["default"]["OPTIONS"]["connect_timeout"] == 2
    assert from_url["DATABASES"]["default"]["OPTIONS"]["connect_timeout"] == 9


@pytest.mark.own_database
def test_sqlite_gets_no_connect_timeout():
    shown = _settings()

    assert shown["DATABASES"]["default"]["ENGINE"] == "django.db.backends.sqlite3"
    assert "connect_timeout" not in shown["DATABASES"]["default"]["OPTIONS"]


@pytest.mark.own_database
def test_a_pgbouncer_value_that_is_not_a_boolean_is_refused():
    result = _python(SHOW_SETTINGS, env=_development_env(DATABASE_PGBOUNCER="transaction"))

    assert result.returncode != 0
    assert "DATABASE_PGBOUNCER must be true or false" in result.stderr


@pytest.mark.own_database
def test_without_redis_the_cache_is_local_and_sessions_live_in_the_database():
    shown = _settings()

    assert shown["CACHES"]["default"]["BACKEND"].endswith("LocMemCache")
    assert shown["SESSION_ENGINE"] == "django.contrib.sessions.backends.db"


@pytest.mark.own_database
def test_with_redis_cache_and_sessions_go_through_redis():
    shown = _settings(REDIS_URL="redis://cache:6379/1", REDIS_TIMEOUT="3")

    assert shown["CACHES"]["default"] == {
        "BACKEND": "renovation.cache.CountingRedisCache",
        "LOCATION": "redis://cache:6379/1",
        "OPTIONS": {"socket_connect_timeout": 3, "socket_timeout": 3},
    }
    assert shown["SESSION_ENGINE"] == "django.contrib.sessions.backends.cached_db"


@pytest.mark.own_database
def test_the_session_engine_may_be_chosen():
    short = _settings(REDIS_URL="redis://cache:6379/1", SESSION_ENGINE="cache")
    dotted = _settings(SESSION_ENGINE="django.contrib.sessions.backends.signed_cookies")

    assert short["SESSION_ENGINE"] == "django.contrib.sessions.backends.cache"
    assert dotted["SESSION_ENGINE"] == "django.contrib.sessions.backends.signed_cookies"


@pytest.mark.own_database
@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"SESSION_ENGINE": "redis"}, "SESSION_ENGINE must be one of"),
        ({"SESSION_ENGINE": "cached_db"}, "SESSION_ENGINE cache and cached_db need REDIS_URL"),
    ],
)
def test_a_session_engine_that_cannot_work_is_refused(env, message):
    result = _python(SHOW_SETTINGS, env=_development_env(**env))

    assert result.returncode != 0
    assert message in result.stderr


def _redis_reachable(url: str) -> bool:
    try:
        import redis
    except ImportError:
        return False
    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=1).ping())
    except redis.exceptions.RedisError:
        return False


REDIS_TEST_URL = os.environ.get("REDIS_TEST_URL", "redis://127.0.0.1:6379/15")


@pytest.mark.own_database
@pytest.mark.skipif(not _redis_reachable(REDIS_TEST_URL), reason="no Redis server reachable")
def test_a_session_saved_by_one_process_is_read_by_another_through_redis():
    """Two gunicorn workers are two processes: a session must not live in one of them."""
    env = _development_env(REDIS_URL=REDIS_TEST_URL, SESSION_ENGINE="cache")
    save = (
        "import django; django.setup()\n"
        "from django.contrib.sessions.backends.cache import SessionStore\n"
        "s = SessionStore(); s['district'] = '370902'; s.save(); print(s.session_key)\n"
    )
    saved = _python(save, env=env)
    assert saved.returncode == 0, saved.stderr
    key = saved.stdout.strip()

    load = (
        "import django; django.setup()\n"
        "from django.contrib.sessions.backends.cache import SessionStore\n"
        f"s = SessionStore({key!r}); print(s.get('district')); s.delete()\n"
    )
    loaded = _python(load, env=env)

    assert loaded.returncode == 0, loaded.stderr
    assert loaded.stdout.strip() == "370902"
