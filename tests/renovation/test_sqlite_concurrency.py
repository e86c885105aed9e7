"""The embedded default under concurrent writers: several gunicorn workers (processes) writing to
one SQLite file through the API at once, none refused with "database is locked" (a 503)."""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.support.processes import ROOT, manage, migrated_sqlite, production_env

GUNICORN = Path(sys.executable).parent / "gunicorn"
CONF = ROOT / "renovation" / "gunicorn.conf.py"
WRITERS = 6
WRITES_EACH = 15

pytestmark = pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="proves the SQLite configuration; the PostgreSQL pass has nothing to add",
)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _post(url: str, body: dict, token: str) -> int:
    request = urllib.request.Request(
        url,
        data=json.dumps(body).encode(),
        method="POST",
        headers={"Content-Type": "application/json", "Authorization": f"Token {token}"},
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_concurrent_writers_through_http_are_all_served(tmp_path, tmp_path_factory):
    env = production_env(
        tmp_path,
        DJANGO_SECURE_SSL_REDIRECT="false",
        API_THROTTLE_USER="100000/minute",
        DJANGO_LOG_LEVEL="WARNING",
    )
    migrated_sqlite(tmp_path_factory, env)
    made = manage(
        "shell",
        "-c",
        "from django.contrib.auth import get_user_model\n"
        "from rest_framework.authtoken.models import Token\n"
        "user = get_user_model().objects.create_superuser('writer', 'w@example.com', 'pw-w-9x!')\n"
        "print('TOKEN', Token.objects.create(user=user).key)",
        env=env,
    )
    token = next(line.split()[1] for line in made.stdout.splitlines() if line.startswith("TOKEN"))
    port = _free_port()
    server = subprocess.Popen(
        [str(GUNICORN), "-c", str(CONF)],
        cwd=ROOT,
        env={
            **env,
            "GUNICORN_BIND": f"127.0.0.1:{port}",
            "GUNICORN_WORKERS": "3",
            "GUNICORN_THREADS": "2",
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        },
        stdout=(tmp_path / "server.log").open("w"),
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                assert time.monotonic() < deadline and server.poll() is None
                time.sleep(0.2)
        url = f"http://127.0.0.1:{port}/api/v1/districts/"

        def writer(number: int) -> list[int]:
            return [
                _post(url, {"code": f"37{number:02d}{n:02d}", "name": f"区{number}-{n}"}, token)
                for n in range(WRITES_EACH)
            ]

        with ThreadPoolExecutor(WRITERS) as pool:
            statuses = [status for batch in pool.map(writer, range(WRITERS)) for status in batch]
    finally:
        server.terminate()
        server.wait(timeout=60)
    log = (tmp_path / "server.log").read_text()

    assert statuses == [201] * (WRITERS * WRITES_EACH), log[-3000:]
    assert "database is locked" not in log
    counted = manage(
        "shell",
        "-c",
        "from communities.places.models import District; print('N', District.objects.count())",
        env=env,
    )
    assert f"N {WRITERS * WRITES_EACH}" in counted.stdout
