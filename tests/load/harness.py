"""``make load``, ``make load-sweep`` and ``make fault``: gunicorn on PostgreSQL under locust.

    python -m tests.load.harness load     # 60 s, 50 users; the report against issue #9's goals
    python -m tests.load.harness sweep    # the same for each worker count in LOAD_SWEEP_WORKERS
    python -m tests.load.harness fault    # a shorter run while connections are killed and
                                          # PostgreSQL restarts; checks writes and recovery

Each run: collectstatic, the load-test user and token (tests/load/db.py), ids and codes
sampled from the database, gunicorn started with debug off and the API throttles raised (every
client is 127.0.0.1), a short warm-up, then locust headless (tests/load/locustfile.py). The
report is printed and written to ``bench-results/<kind>-<stamp>.json``. Every knob is an
environment variable; README (National scale) lists them.
"""

from __future__ import annotations

import contextlib
import http.client
import importlib.metadata
import json
import os
import platform
import resource
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from tests.load import tools

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
GUNICORN_CONF = ROOT / "renovation" / "gunicorn.conf.py"
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/rt_scale"
# The application name the app's connections carry, so that the fault test terminates those
# and nobody else's: the PostgreSQL server is shared.
APP_NAME = "rt-load-app"
HARNESS_NAME = "rt-load-harness"


def _env(name: str, default: str) -> str:
    return os.environ.get(name) or default


@dataclass
class Config:
    """Every knob, from the environment (README, National scale, lists them)."""

    database_url: str
    users: int
    spawn_rate: float
    duration: int
    workers: int
    threads: int
    port: int
    conn_max_age: int
    seed: int
    sweep_workers: list[int]
    results_dir: Path
    keep_writes: bool
    secret_key: str
    # The fault test.
    fault_duration: int
    fault_restart: bool
    pg_cluster: list[str]
    down_seconds: float
    max_recovery_s: float
    expected_503_text: str

    @classmethod
    def from_env(cls) -> Config:
        return cls(
            database_url=_env("DATABASE_URL", DEFAULT_DATABASE_URL),
            users=int(_env("LOAD_USERS", "50")),
            spawn_rate=float(_env("LOAD_SPAWN_RATE", "50")),
            duration=int(_env("LOAD_DURATION", "60")),
            workers=int(_env("LOAD_WORKERS", "3")),
            threads=int(_env("LOAD_THREADS", "1")),
            port=int(_env("LOAD_PORT", "8765")),
            conn_max_age=int(_env("LOAD_CONN_MAX_AGE", "60")),
            seed=int(_env("LOAD_SEED", "9")),
            sweep_workers=[int(n) for n in _env("LOAD_SWEEP_WORKERS", "2 3 4 5").split()],
            results_dir=ROOT / _env("LOAD_RESULTS_DIR", "bench-results"),
            keep_writes=_env("LOAD_KEEP_WRITES", "0") == "1",
            secret_key=_env("DJANGO_SECRET_KEY", secrets.token_urlsafe(50)),
            fault_duration=int(_env("LOAD_FAULT_DURATION", "50")),
            fault_restart=_env("LOAD_FAULT_RESTART", "1") == "1",
            pg_cluster=_env("LOAD_PG_CLUSTER", "15 main").split(),
            down_seconds=float(_env("LOAD_FAULT_DOWN_SECONDS", "4")),
            max_recovery_s=float(_env("LOAD_FAULT_MAX_RECOVERY", "5")),
            expected_503_text=os.environ.get("LOAD_FAULT_503_TEXT", ""),
        )


def with_application_name(url: str, name: str) -> str:
    """The database URL with ``application_name`` set (dj-database-url passes it through)."""
    parts = urlsplit(url)
    query = [(key, value) for key, value in parse_qsl(parts.query) if key != "application_name"]
    return urlunsplit(parts._replace(query=urlencode([*query, ("application_name", name)])))


def app_environment(config: Config, workers: int) -> dict[str, str]:
    """What gunicorn (and collectstatic) run with: production settings, raised throttles."""
    env = dict(os.environ)
    env.update(
        {
            "DATABASE_URL": with_application_name(config.database_url, APP_NAME),
            "DJANGO_DEBUG": "false",
            "DJANGO_SECRET_KEY": config.secret_key,
            # Plain HTTP on 127.0.0.1: no redirect to HTTPS.
            "DJANGO_SECURE_SSL_REDIRECT": "false",
            "API_THROTTLE_ANON": _env("LOAD_THROTTLE", "1000000/minute"),
            "API_THROTTLE_USER": _env("LOAD_THROTTLE", "1000000/minute"),
            "CONN_MAX_AGE": str(config.conn_max_age),
            "GUNICORN_BIND": f"127.0.0.1:{config.port}",
            "GUNICORN_WORKERS": str(workers),
            "GUNICORN_THREADS": str(config.threads),
            "PYTHONUNBUFFERED": "1",
        }
    )
    return env


def gunicorn_command(config: Config, workers: int) -> list[str]:
    command = [str(BIN / "gunicorn")]
    if GUNICORN_CONF.exists():
        # The project's configuration, driven by the GUNICORN_* variables set above.
        return [*command, "-c", str(GUNICORN_CONF), "renovation.wsgi"]
    return [
        *command,
        "--bind",
        f"127.0.0.1:{config.port}",
        "--workers",
        str(workers),
        "--threads",
        str(config.threads),
        "renovation.wsgi",
    ]


def setup_django(config: Config) -> None:
    """The harness's own ORM connection (a name the fault test does not terminate)."""
    os.environ["DATABASE_URL"] = with_application_name(config.database_url, HARNESS_NAME)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "renovation.settings")
    import django

    django.setup()


def close_django_connections() -> None:
    from django.db import connections

    for connection in connections.all():
        with contextlib.suppress(Exception):
            connection.close()


def port_is_free(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) != 0


def http_get(port: int, path: str, timeout: float = 5.0) -> tuple[int, str]:
    """One GET on a fresh connection: (status, start of body); status 0 when nobody answered."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("GET", path, headers={"Accept": "application/json"})
        response = connection.getresponse()
        return response.status, response.read(400).decode("utf-8", "replace")
    except (OSError, http.client.HTTPException) as exc:
        return 0, repr(exc)
    finally:
        connection.close()


class Server:
    """gunicorn in its own process group, its output in a log file."""

    def __init__(self, config: Config, workers: int, log_path: Path):
        self.config, self.workers, self.log_path = config, workers, log_path
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        if not port_is_free(self.config.port):
            raise SystemExit(f"port {self.config.port} is taken: set LOAD_PORT")
        log = open(self.log_path, "w", encoding="utf-8")  # noqa: SIM115
        self.process = subprocess.Popen(
            gunicorn_command(self.config, self.workers),
            cwd=ROOT,
            env=app_environment(self.config, self.workers),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn exited at start: see {self.log_path}")
            status, _ = http_get(self.config.port, "/healthz", timeout=2)
            if status == 200:
                return
            time.sleep(0.3)
        raise SystemExit(f"gunicorn did not answer /healthz within 60 s: see {self.log_path}")

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def log_facts(self) -> dict:
        """Booted workers, and what the server logged that a healthy run must not log."""
        text = self.log_path.read_text(encoding="utf-8", errors="replace")
        return {
            "worker_boots": text.count("Booting worker"),
            "tracebacks_logged": text.count("Traceback (most recent call last)"),
            "internal_errors_logged": text.count("Internal Server Error"),
            "unavailable_warnings_logged": text.count("Service unavailable:"),
            "log": str(self.log_path.relative_to(ROOT)),
        }


def warm_up(port: int, targets: dict, workers: int) -> dict[str, float]:
    """A few requests of every kind per worker: caches and connections in place before the
    clock starts, as they are on a server that has been up for a while. Returns the last
    round's time of each, one request at a time: the latency without load, for comparison."""
    community, district = targets["communities"][0], targets["districts"][0]
    paths = [
        "/",
        "/communities/",
        f"/communities/{community}/",
        f"/districts/{district}/",
        "/map/",
        f"/api/v1/communities/?district={district}",
        f"/api/v1/communities/{community}/",
        "/api/v1/stats/",
        f"/api/v1/stats/?district={district}",
        f"/api/v1/communities/geojson/?district={district}",
        f"/api/v1/renovation-items/?community={community}",
    ]
    unloaded: dict[str, float] = {}
    for _ in range(2 * workers):
        for path in paths:
            started = time.perf_counter()
            http_get(port, path, timeout=30)
            unloaded[path] = round((time.perf_counter() - started) * 1000, 1)
    return unloaded


def run_locust(*, config: Config, duration: int, files: dict[str, Path], tag: str) -> dict:
    """locust headless for ``duration`` seconds; its statistics and the CPU it used."""
    env = dict(os.environ)
    env.update(
        {
            "PYTHONPATH": str(ROOT),
            "LOAD_TARGETS": str(files["targets"]),
            "LOAD_LEDGER": str(files["ledger"]),
            "LOAD_EVENTS": str(files["events"]),
            "LOAD_SEED": str(config.seed),
        }
    )
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    command = [
        str(BIN / "locust"),
        "-f",
        str(ROOT / "tests" / "load" / "locustfile.py"),
        "--headless",
        "--users",
        str(config.users),
        "--spawn-rate",
        str(config.spawn_rate),
        "--run-time",
        f"{duration}s",
        "--host",
        f"http://127.0.0.1:{config.port}",
        "--json-file",
        str(files["stats"]),
        "--only-summary",
        "--loglevel",
        "WARNING",
        "--stop-timeout",
        "10",
    ]
    with open(files["locust_log"], "w", encoding="utf-8") as log:
        completed = subprocess.run(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    stats_path = Path(f"{files['stats']}.json")
    if not stats_path.exists():
        raise SystemExit(
            f"locust wrote no statistics (exit {completed.returncode}): see {files['locust_log']}"
        )
    entries = json.loads(stats_path.read_text(encoding="utf-8"))
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    return {
        "entries": entries,
        "locust_cpu_s": round(cpu, 1),
        "locust_exit": completed.returncode,
        "tag": tag,
    }


def read_lines(path: Path) -> list[dict]:
    if not path.exists():
        return []
    with open(path, encoding="utf-8") as file:
        return [json.loads(line) for line in file if line.strip()]


def stamp() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")


def conditions(config: Config, workers: int, facts: dict) -> dict:
    import django

    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    database = urlsplit(config.database_url)
    return {
        "database": f"{database.hostname}:{database.port}{database.path}",
        "rows_estimated": facts,
        "gunicorn": {
            "config": str(GUNICORN_CONF.relative_to(ROOT)) if GUNICORN_CONF.exists() else "flags",
            "workers": workers,
            "threads": config.threads,
        },
        "conn_max_age": config.conn_max_age,
        "cache": "redis" if os.environ.get("REDIS_URL") else "local memory (per worker)",
        "users": config.users,
        "spawn_rate": config.spawn_rate,
        "think_time_s": float(_env("LOAD_WAIT", "0")),
        "cpus": os.cpu_count(),
        "loadavg_before": [round(value, 2) for value in os.getloadavg()],
        "python": platform.python_version(),
        "django": django.get_version(),
        # Not imported: importing locust monkey-patches this process for gevent.
        "locust": importlib.metadata.version("locust"),
        "commit": commit,
    }


# --- One run --------------------------------------------------------------------------------


@dataclass
class Prepared:
    targets: dict
    facts: dict
    after_id: int
    run_id: str


def prepare(config: Config, kind: str) -> Prepared:
    from tests.load import db

    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=app_environment(config, config.workers),
        check=True,
    )
    token = db.ensure_load_user()
    targets = db.sample_targets(seed=config.seed)
    run_id = f"LT{kind[0].upper()}{stamp()}{secrets.token_hex(2)}"
    targets.update({"token": token, "run_id": run_id})
    prepared = Prepared(
        targets=targets,
        facts=db.table_estimates(),
        after_id=db.last_repair_request_id(),
        run_id=run_id,
    )
    close_django_connections()
    return prepared


def run_files(workdir: Path, prepared: Prepared) -> dict[str, Path]:
    files = {
        name: workdir / name
        for name in ("targets.json", "ledger.jsonl", "events.jsonl", "stats", "locust.log")
    }
    files = {name.split(".")[0]: path for name, path in files.items()}
    files["locust_log"] = files.pop("locust")
    files["targets"].write_text(json.dumps(prepared.targets), encoding="utf-8")
    return files


def check_writes(prepared: Prepared, ledger: list[dict], keep: bool) -> dict:
    """The ledger against the database, then the run's records removed unless kept."""
    from tests.load import db

    close_django_connections()
    stored = db.stored_descriptions([int(write["id"]) for write in ledger])
    result = tools.ledger_check(ledger, stored)
    written = db.run_records(run_id=prepared.run_id, after_id=prepared.after_id).count()
    result["stored_by_marker"] = written
    result["stored_unacknowledged"] = max(written - result["found"], 0)
    result["removed_after_check"] = (
        0 if keep else db.delete_run_records(run_id=prepared.run_id, after_id=prepared.after_id)
    )
    return result


def load_once(config: Config, prepared: Prepared, workers: int, label: str) -> dict:
    config.results_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="rt-load-") as tmp:
        files = run_files(Path(tmp), prepared)
        server = Server(config, workers, config.results_dir / f"{label}-gunicorn.log")
        started = conditions(config, workers, prepared.facts)
        try:
            server.start()
            unloaded = warm_up(config.port, prepared.targets, workers)
            locust = run_locust(config=config, duration=config.duration, files=files, tag=label)
        finally:
            server.stop()
        ledger = read_lines(files["ledger"])
        events = read_lines(files["events"])
        locust_log = files["locust_log"].read_text(encoding="utf-8", errors="replace")
    summary = tools.summarize(locust["entries"])
    started["loadavg_after"] = [round(value, 2) for value in os.getloadavg()]
    started["locust_cpu_s"] = locust["locust_cpu_s"]
    writes = check_writes(prepared, ledger, config.keep_writes)
    goals = tools.goal_results(summary["total"])
    return {
        "kind": "load",
        "label": label,
        "duration_s": config.duration,
        "conditions": started,
        "summary": summary,
        "goals": goals,
        "unloaded_ms": unloaded,
        "writes": writes,
        "server": server.log_facts(),
        "failures": _failure_digest(events),
        "locust_log_tail": locust_log[-2000:],
    }


def _failure_digest(events: list[dict]) -> list[dict]:
    digest: dict[tuple, dict] = {}
    for event in events:
        key = (event["method"], event["name"], event["status"])
        row = digest.setdefault(
            key,
            {"method": key[0], "name": key[1], "status": key[2], "count": 0, "sample": ""},
        )
        row["count"] += 1
        row["sample"] = row["sample"] or (event.get("body") or event.get("exception") or "")[:200]
    return sorted(digest.values(), key=lambda row: -row["count"])


def print_load(result: dict) -> None:
    c = result["conditions"]
    print(
        f"\n== {result['label']}: {c['gunicorn']['workers']} workers × {c['gunicorn']['threads']} "
        f"threads, {c['users']} users, {result['duration_s']} s, {c['database']} "
        f"(~{c['rows_estimated'].get('communities', '?')} communities)"
    )
    print(tools.format_summary(result["summary"]))
    w = result["writes"]
    print(
        f"writes: {w['acknowledged']} acknowledged, {w['found']} found, {w['lost']} lost; "
        f"loadavg {c['loadavg_before']} -> {c['loadavg_after']}, locust CPU {c['locust_cpu_s']} s"
    )
    for row in result["failures"][:10]:
        print(
            f"  failed: {row['count']} × {row['method']} {row['name']} -> {row['status']}: "
            f"{row['sample'][:120]!r}"
        )
    print(
        "one at a time, warm (ms): "
        + ", ".join(f"{path} {ms:g}" for path, ms in result["unloaded_ms"].items())
    )
    print("goals:")
    print(tools.format_goals(result["goals"]))


def write_report(config: Config, name: str, report: dict) -> Path:
    path = config.results_dir / f"{name}.json"
    path.write_text(json.dumps(report, indent=2, ensure_ascii=False, default=str), encoding="utf-8")
    print(f"\nwritten to {path.relative_to(ROOT)}")
    return path


def main_load(config: Config) -> int:
    prepared = prepare(config, "load")
    label = f"load-{stamp()}"
    result = load_once(config, prepared, config.workers, label)
    print_load(result)
    write_report(config, label, result)
    met = all(row["met"] for row in result["goals"]) and result["writes"]["lost"] == 0
    return 0 if met else 1


def main_sweep(config: Config) -> int:
    prepared = prepare(config, "sweep")
    name = f"load-sweep-{stamp()}"
    runs = []
    for workers in config.sweep_workers:
        result = load_once(config, prepared, workers, f"{name}-w{workers}")
        print_load(result)
        runs.append(result)
    best = tools.best_run(runs)
    print("\n== sweep")
    for run in runs:
        total = run["summary"]["total"]
        print(
            f"  {run['conditions']['gunicorn']['workers']} workers: {total['rps']:>6.1f} req/s, "
            f"p50 {total['p50_ms']} ms, p99 {total['p99_ms']} ms, {total['failures']} errors"
            + ("   <- best" if run is best else "")
        )
    write_report(
        config,
        name,
        {
            "kind": "load-sweep",
            "best_workers": best["conditions"]["gunicorn"]["workers"],
            "runs": runs,
        },
    )
    return 0


# --- The fault test -------------------------------------------------------------------------


class Prober(threading.Thread):
    """Asks one light API page every 0.2 s, and /healthz every second, for the whole run."""

    def __init__(self, port: int, path: str):
        super().__init__(daemon=True)
        self.port, self.path = port, path
        self.stopping = threading.Event()
        self.probes: list[tuple[float, bool]] = []
        self.health: list[dict] = []

    def run(self) -> None:
        last_health = 0.0
        while not self.stopping.is_set():
            status, _ = http_get(self.port, self.path, timeout=5)
            self.probes.append((round(time.time(), 3), status == 200))
            if time.time() - last_health >= 1:
                last_health = time.time()
                status, body = http_get(self.port, "/healthz", timeout=5)
                self.health.append(
                    {"t": round(time.time(), 3), "status": status, "body": body[:300]}
                )
            self.stopping.wait(0.2)


def pg_isready(database_url: str) -> bool:
    parts = urlsplit(database_url)
    return (
        subprocess.run(
            [
                "pg_isready",
                "-q",
                "-h",
                parts.hostname or "127.0.0.1",
                "-p",
                str(parts.port or 5432),
            ],
            check=False,
        ).returncode
        == 0
    )


class Injector:
    """Kills the application's connections and restarts PostgreSQL, on a schedule; makes sure
    the server is running again whatever happens (the server is shared)."""

    def __init__(self, config: Config):
        self.config = config
        self.faults: list[dict] = []
        self.stopped_server = False

    def terminate(self) -> None:
        import psycopg2

        at = time.time()
        with contextlib.closing(
            psycopg2.connect(with_application_name(self.config.database_url, HARNESS_NAME))
        ) as connection:
            connection.autocommit = True
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                    "WHERE application_name = %s AND pid <> pg_backend_pid()",
                    [APP_NAME],
                )
                (killed,) = cursor.fetchone()
        self.faults.append({"kind": "terminate", "at": round(at, 3), "terminated": killed})
        print(f"  fault: terminated {killed} application connections")

    def _ctl(self, action: str, *options: str) -> None:
        subprocess.run(
            [
                "pg_ctlcluster",
                "--skip-systemctl-redirect",
                *options,
                *self.config.pg_cluster,
                action,
            ],
            check=True,
            stdout=subprocess.DEVNULL,
        )

    def restart(self) -> None:
        fault = {"kind": "restart", "down_at": round(time.time(), 3)}
        self.faults.append(fault)
        try:
            self.stopped_server = True
            self._ctl("stop", "--mode", "fast")
            fault["stopped_at"] = round(time.time(), 3)
            time.sleep(self.config.down_seconds)
        finally:
            fault["start_at"] = round(time.time(), 3)
            self.ensure_running()
        deadline = time.time() + 30
        while not pg_isready(self.config.database_url) and time.time() < deadline:
            time.sleep(0.1)
        fault["up_at"] = round(time.time(), 3)
        fault["down_s"] = round(fault["up_at"] - fault["down_at"], 2)
        print(f"  fault: PostgreSQL stopped and started again, away {fault['down_s']} s")

    def ensure_running(self) -> None:
        if self.stopped_server and not pg_isready(self.config.database_url):
            # start fails when it is already starting: then pg_isready settles it below.
            subprocess.run(
                ["pg_ctlcluster", "--skip-systemctl-redirect", *self.config.pg_cluster, "start"],
                check=False,
            )

    def run(self, t0: float, schedule: list[tuple[float, str]], stop: threading.Event) -> None:
        for offset, action in schedule:
            if stop.wait(max(0.0, t0 + offset - time.time())):
                return
            try:
                self.terminate() if action == "terminate" else self.restart()
            except Exception as exc:  # recorded, and the run goes on to its checks
                self.faults.append({"kind": "error", "action": action, "error": repr(exc)})
                print(f"  fault {action} failed: {exc!r}")


def fault_schedule(duration: int, *, restart: bool = True) -> list[tuple[float, str]]:
    """Kills before and after one restart, spread over the run (seconds from its start).
    Without the restart (``LOAD_FAULT_RESTART=0``) only the kills: a rehearsal that leaves the
    shared server alone."""
    schedule = [
        (0.16 * duration, "terminate"),
        (0.26 * duration, "terminate"),
        (0.36 * duration, "restart"),
        (0.72 * duration, "terminate"),
        (0.84 * duration, "terminate"),
    ]
    return [(offset, action) for offset, action in schedule if restart or action != "restart"]


def main_fault(config: Config) -> int:
    if config.fault_duration < 30:
        raise SystemExit("LOAD_FAULT_DURATION must be at least 30 s")
    prepared = prepare(config, "fault")
    label = f"fault-{stamp()}"
    config.results_dir.mkdir(parents=True, exist_ok=True)
    injector = Injector(config)
    stop = threading.Event()
    workers = config.workers
    with tempfile.TemporaryDirectory(prefix="rt-fault-") as tmp:
        files = run_files(Path(tmp), prepared)
        server = Server(config, workers, config.results_dir / f"{label}-gunicorn.log")
        started = conditions(config, workers, prepared.facts)
        prober = Prober(config.port, f"/api/v1/communities/{prepared.targets['communities'][0]}/")
        try:
            server.start()
            warm_up(config.port, prepared.targets, workers)
            prober.start()
            t0 = time.time()
            thread = threading.Thread(
                target=injector.run,
                args=(
                    t0,
                    fault_schedule(config.fault_duration, restart=config.fault_restart),
                    stop,
                ),
                daemon=True,
            )
            thread.start()
            locust = run_locust(
                config=config, duration=config.fault_duration, files=files, tag=label
            )
            stop.set()
            thread.join(timeout=60)
            # A last look after the load: the application serves without a restart of gunicorn.
            time.sleep(1)
            final_status, _ = http_get(config.port, prober.path)
        finally:
            stop.set()
            injector.ensure_running()
            prober.stopping.set()
            server.stop()
        prober.join(timeout=10)
        ledger = read_lines(files["ledger"])
        events = read_lines(files["events"])
    deadline = time.time() + 30
    while not pg_isready(config.database_url) and time.time() < deadline:
        time.sleep(0.2)
    summary = tools.summarize(locust["entries"])
    started["loadavg_after"] = [round(value, 2) for value in os.getloadavg()]
    started["locust_cpu_s"] = locust["locust_cpu_s"]
    writes = check_writes(prepared, ledger, config.keep_writes)
    analysis = tools.analyse_fault_run(
        events=events,
        faults=injector.faults,
        probes=prober.probes,
        ledger=writes,
        max_recovery_s=config.max_recovery_s,
        expected_text=config.expected_503_text,
    )
    restart = next((fault for fault in injector.faults if fault["kind"] == "restart"), {})
    health_in_outage = [
        probe
        for probe in prober.health
        if restart.get("stopped_at", 0) <= probe["t"] <= restart.get("up_at", 0)
    ]
    analysis["checks"].append(
        tools._check(
            "injected every fault",
            not any(fault["kind"] == "error" for fault in injector.faults),
            f"{len(injector.faults)} faults",
        )
    )
    analysis["checks"].append(
        tools._check(
            "serving after the run, gunicorn never restarted",
            final_status == 200,
            f"last probe {final_status}",
        )
    )
    analysis["passed"] = all(check["met"] for check in analysis["checks"])
    report = {
        "kind": "fault",
        "label": label,
        "duration_s": config.fault_duration,
        "conditions": started,
        "faults": injector.faults,
        "writes": writes,
        **analysis,
        "healthz_while_down": health_in_outage[:3],
        "probes": {
            "count": len(prober.probes),
            "failed": sum(1 for _, ok in prober.probes if not ok),
        },
        "summary": summary,
        "server": server.log_facts(),
        "failures": _failure_digest(events),
    }
    print_fault(report)
    write_report(config, label, report)
    return 0 if report["passed"] else 1


def print_fault(report: dict) -> None:
    w, r = report["writes"], report["responses"]
    total = report["summary"]["total"]
    print(
        f"\n== {report['label']}: {report['duration_s']} s under load, "
        f"{len(report['faults'])} faults"
    )
    print(
        f"requests {total['requests']} ({total['rps']} req/s), failed {total['failures']}: "
        f"{r['unavailable']} clear 503s ({r['unavailable_during_outage']} while PostgreSQL was "
        f"down), {r['unclear_503']} unclear 503s, {r['server_error']} server errors, "
        f"{r['connection']} unanswered, {r['client_error']} other"
    )
    print(
        f"writes: {w['acknowledged']} acknowledged, {w['found']} found, {w['lost']} lost "
        f"({w['stored_unacknowledged']} stored whose answer was a failure)"
    )
    print(f"recovery after PostgreSQL was back: {report['recovery_s']} s")
    s = report["server"]
    print(
        f"server log: {s['worker_boots']} worker boots, {s['tracebacks_logged']} tracebacks, "
        f"{s['internal_errors_logged']} internal errors, {s['unavailable_warnings_logged']} "
        "'service unavailable' warnings"
    )
    print("checks:")
    print(tools.format_checks(report["checks"]))


def main(argv: list[str]) -> int:
    if len(argv) != 1 or argv[0] not in {"load", "sweep", "fault"}:
        print(__doc__)
        return 2
    # SIGTERM (a stopped make) unwinds like Ctrl-C: the finally blocks stop gunicorn and start
    # PostgreSQL again.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    config = Config.from_env()
    setup_django(config)
    config.results_dir.mkdir(parents=True, exist_ok=True)
    runner = {"load": main_load, "sweep": main_sweep, "fault": main_fault}[argv[0]]
    return runner(config)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
