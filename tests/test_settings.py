"""The production configuration works: debug off, static files through whitenoise."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _production_env(tmp_path: Path, **extra: str) -> dict:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_URL"))
    }
    env.update(
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY="a-long-random-production-secret-key-" + "x" * 40,
        DJANGO_ALLOWED_HOSTS="renovation.example.gov.cn",
        DJANGO_STATIC_ROOT=str(tmp_path / "static"),
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
    )
    env.update(extra)
    return env


def _manage(*args: str, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_it_refuses_to_start_without_a_secret_key_when_debug_is_off(tmp_path):
    env = _production_env(tmp_path)
    del env["DJANGO_SECRET_KEY"]

    result = _manage("check", env=env)

    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_it_rejects_a_debug_value_that_is_not_a_boolean(tmp_path):
    result = _manage("check", env=_production_env(tmp_path, DJANGO_DEBUG="maybe"))

    assert result.returncode != 0
    assert "DJANGO_DEBUG must be true or false" in result.stderr


def test_whitenoise_serves_collected_static_files_with_debug_off(tmp_path):
    env = _production_env(tmp_path)
    collected = _manage("collectstatic", "--noinput", "-v0", env=env)
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
