"""gunicorn's configuration, from the environment: ``gunicorn -c renovation/gunicorn.conf.py``.

Every variable is documented in README.md (Deployment). Sizing: each worker thread holds one
database connection per alias it uses (``CONN_MAX_AGE``), so one server opens up to
``GUNICORN_WORKERS × GUNICORN_THREADS × (1 + replicas)`` connections; keep the sum over all
servers under PostgreSQL's ``max_connections``, or put PgBouncer in between.
"""

import os


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "")
    if value.strip() == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise SystemExit(f"{name} must be a whole number, not {value!r}") from None


wsgi_app = "renovation.wsgi:application"
bind = [
    address.strip()
    for address in os.environ.get("GUNICORN_BIND", "127.0.0.1:8000").split(",")
    if address.strip()
]

# The classic rule for synchronous workers: two per core, plus one.
workers = _int("GUNICORN_WORKERS", 2 * (os.cpu_count() or 1) + 1)
# More than one thread runs each worker as gthread: cheaper than processes for requests that
# wait on the database.
threads = _int("GUNICORN_THREADS", 1)

# A request running longer than this kills its worker; the database connect timeout
# (DATABASE_CONNECT_TIMEOUT) is shorter, so an unreachable database answers 503 first.
timeout = _int("GUNICORN_TIMEOUT", 30)
# On restart (SIGHUP, SIGTERM) workers finish their requests for up to this long.
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
# Seconds an idle keep-alive connection from the proxy stays open.
keepalive = _int("GUNICORN_KEEPALIVE", 5)
# Restart each worker after about this many requests (0: never), staggered by the jitter so
# that workers do not all restart at once: bounds the damage of a slow leak (at 100 requests
# a second a worker restarts every couple of minutes, not every few seconds).
max_requests = _int("GUNICORN_MAX_REQUESTS", 10000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 1000)

# Access log to stdout: client, request, status, size, time in milliseconds, user agent.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms "%(a)s"'
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")

# Workers' heartbeat files in memory: on a disk-backed /tmp (Docker's overlay) a slow disk can
# stall the heartbeat and get healthy workers killed.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None

# gunicorn 27's control socket (gunicornc) only when a path is given: its default path is one per
# user, so two servers on one machine (a load test beside the real one) would fight over it.
# Older gunicorns ignore these two settings.
control_socket = os.environ.get("GUNICORN_CONTROL_SOCKET", "")
control_socket_disable = not control_socket


def child_exit(server, worker):
    """With PROMETHEUS_MULTIPROC_DIR (several workers' metrics added up at /metrics, see
    docs/operations.md), forget a dead worker's live gauges."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
