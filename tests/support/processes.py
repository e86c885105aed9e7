"""Running ``manage.py`` and Python in a child process with a chosen environment (production
settings, replicas, Redis), as an operator would."""

import fcntl
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def production_env(tmp_path: Path, **extra: str) -> dict:
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


def manage(*args: str, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def migrated_sqlite(tmp_path_factory, env: dict) -> None:
    """Give ``env``'s SQLite database (``production_env``'s ``db.sqlite3``) every migration.

    ``manage.py migrate`` (production settings) runs once for the test run, into a database
    shared by pytest-xdist's workers (under a lock, the first to ask makes it); each caller gets
    a copy of it: a migration of the whole project costs a process 10 to 20 seconds.
    """
    target = Path(env["DATABASE_URL"].removeprefix("sqlite:///"))
    root = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        root = root.parent  # the run's folder, above each worker's own
    shared = root / "migrated-sqlite"
    shared.mkdir(exist_ok=True)
    template = shared / "db.sqlite3"
    done = shared / "migrated"
    with (shared / "lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not done.exists():
            template.unlink(missing_ok=True)
            migrated = manage("migrate", "--noinput", "-v0", env=production_env(shared))
            assert migrated.returncode == 0, migrated.stderr
            done.touch()
    shutil.copyfile(template, target)
