"""gunicorn with ``renovation/gunicorn.conf.py``: the settings it reads from the environment,
and real servers started on a free port (SQLite, debug off) answering pages, the health check,
and a clear 503 when PostgreSQL cannot be reached."""

import json
import os
import runpy
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.support.processes import ROOT, manage, migrated_sqlite, production_env

CONF = ROOT / "renovation" / "gunicorn.conf.py"
GUNICORN = Path(sys.executable).parent / "gunicorn"


def _config(monkeypatch, **env: str) -> dict:
    for name in [name for name in os.environ if name.startswith("GUNICORN_")]:
        monkeypatch.delenv(name)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(CONF))


# --- The configuration ------------------------------------------------------------------------


def test_the_defaults_suit_one_machine_behind_a_proxy(monkeypatch):
    config = _config(monkeypatch)

    assert config["wsgi_app"] == "renovation.wsgi:application"
    assert config["bind"] == ["127.0.0.1:8000"]
    assert config["workers"] == 2 * os.cpu_count() + 1
    assert config["threads"] == 1
    assert (config["timeout"], config["graceful_timeout"], config["keepalive"]) == (30, 30, 5)
    assert (config["max_requests"], config["max_requests_jitter"]) == (10000, 1000)
    assert config["accesslog"] == "-"
    assert "%(M)s" in config["access_log_format"]  # request time in milliseconds
    assert config["control_socket_disable"] is True


def test_heartbeat_files_live_in_memory_where_dev_shm_exists(monkeypatch):
    config = _config(monkeypatch)

    expected = "/dev/shm" if os.path.isdir("/dev/shm") else None
    assert config["worker_tmp_dir"] == expected


def test_every_setting_comes_from_the_environment(monkeypatch):
    config = _config(
        monkeypatch,
        GUNICORN_BIND="0.0.0.0:8080, unix:/run/renovation.sock",
        GUNICORN_WORKERS="9",
        GUNICORN_THREADS="4",
        GUNICORN_TIMEOUT="60",
        GUNICORN_GRACEFUL_TIMEOUT="20",
        GUNICORN_KEEPALIVE="2",
        GUNICORN_MAX_REQUESTS="0",
        GUNICORN_MAX_REQUESTS_JITTER="0",
        GUNICORN_ACCESS_LOG="/var/log/renovation/access.log",
        GUNICORN_LOG_LEVEL="warning",
        GUNICORN_CONTROL_SOCKET="/run/renovation.ctl",
    )

    assert config["bind"] == ["0.0.0.0:8080", "unix:/run/renovation.sock"]
    assert (config["workers"], config["threads"]) == (9, 4)
    assert (config["timeout"], config["graceful_timeout"], config["keepalive"]) == (60, 20, 2)
    assert (config["max_requests"], config["max_requests_jitter"]) == (0, 0)
    assert config["accesslog"] == "/var/log/renovation/access.log"
    assert config["loglevel"] == "warning"
    assert config["control_socket"] == "/run/renovation.ctl"
    assert config["control_socket_disable"] is False


def test_a_number_that_is_not_a_number_stops_the_server(monkeypatch):
    with pytest.raises(SystemExit, match="GUNICORN_WORKERS must be a whole number, not 'many'"):
        _config(monkeypatch, GUNICORN_WORKERS="many")


# --- Real servers -----------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _get(url: str, **headers: str) -> tuple[int, dict, str]:
    request = urllib.request.Request(url, headers={"X-Forwarded-Proto": "https", **headers})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode()


class Server:
    """gunicorn started with the project's configuration; its output is kept for the test."""

    def __init__(self, env: dict, log: Path) -> None:
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = log
        self.process = subprocess.Popen(
            [str(GUNICORN), "-c", str(CONF)],
            cwd=ROOT,
            env={
                **env,
                "GUNICORN_BIND": f"127.0.0.1:{self.port}",
                "GUNICORN_WORKERS": "1",
                "GUNICORN_THREADS": "2",
                "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
            },
            stdout=log.open("w"),
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            assert self.process.poll() is None, self.output()
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return
            except OSError:
                time.sleep(0.2)
        raise AssertionError(f"gunicorn did not start:\n{self.output()}")

    def get(self, path: str, **headers: str) -> tuple[int, dict, str]:
        return _get(self.base + path, **headers)

    def stop(self) -> int:
        self.process.send_signal(signal.SIGTERM)
        return self.process.wait(timeout=60)

    def output(self) -> str:
        return self.log.read_text()


@pytest.fixture(scope="module")
def production_site(tmp_path_factory):
    """A migrated SQLite database and the site's own static files, with debug off."""
    directory = tmp_path_factory.mktemp("gunicorn")
    env = production_env(directory, DJANGO_LOG_LEVEL="WARNING")
    migrated_sqlite(tmp_path_factory, env)
    # Only the public site's own files: the admin's and the API browser's are not needed here,
    # and compressing them all would take a minute.
    ignore = ["admin", "rest_framework", "drf_spectacular_sidecar", "import_export"]
    collected = manage(
        "collectstatic", "--noinput", "-v0", *(f"--ignore={name}" for name in ignore), env=env
    )
    assert collected.returncode == 0, collected.stderr
    return env, directory


@pytest.mark.own_database
def test_gunicorn_serves_the_health_check_and_a_public_page(production_site):
    env, directory = production_site
    server = Server(env, directory / "site.log")
    try:
        health = server.get("/healthz")
        page = server.get("/communities/")
        api = server.get("/api/v1/districts/", Accept="application/json")
    finally:
        returncode = server.stop()
    output = server.output()

    assert health[0] == 200, output
    assert json.loads(health[2]) == {"status": "ok", "checks": {"database": "ok", "cache": "ok"}}
    assert page[0] == 200, output
    assert page[1]["Content-Type"].startswith("text/html") and "<html" in page[2]
    assert api[0] == 200 and json.loads(api[2])["results"] == []
    assert returncode == 0
    # The access log on stdout carries each request with its time in milliseconds.
    access = [line for line in output.splitlines() if '"GET /healthz HTTP/1.1" 200' in line]
    assert len(access) == 1 and access[0].split()[-2].endswith("ms"), output
    assert "Booting worker" in output and "Traceback" not in output


@pytest.mark.own_database
def test_gunicorn_answers_a_clear_503_when_postgresql_cannot_be_reached(tmp_path):
    # A port nothing listens on: every connection is refused at once.
    unreachable = f"postgres://renovation@127.0.0.1:{_free_port()}/renovation"
    env = production_env(tmp_path, DATABASE_URL=unreachable)
    server = Server(env, tmp_path / "down.log")
    try:
        health = server.get("/healthz")
        api = server.get("/api/v1/communities/")
        page = server.get("/communities/", **{"Accept-Language": "en"})
    finally:
        server.stop()
    output = server.output()

    assert health[0] == 503
    assert json.loads(health[2])["checks"]["database"] == "error: OperationalError"
    assert api[0] == 503 and api[1]["Retry-After"] == "10"
    assert api[1]["Content-Type"] == "application/json"
    assert set(json.loads(api[2])) == {"detail"}
    assert page[0] == 503 and page[1]["Content-Type"].startswith("text/html")
    assert "The service is temporarily unavailable" in page[2]
    assert "Traceback" not in output + api[2] + page[2]
    # One warning per failed request, naming the cause.
    assert output.count("Service unavailable: GET /api/v1/communities/") == 1
    assert "Connection refused" in output
