"""Prometheus metrics at ``/metrics`` (prometheus-client), for the dashboard in docs/operations.md.

Families (all prefixed ``rt_``):

- ``rt_http_request_duration_seconds`` histogram by ``view`` (the URL name, ``<unmatched>`` for
  a 404 no route matched), ``method`` and ``status`` (``2xx`` … ``5xx``);
- ``rt_db_queries_per_request`` and ``rt_db_query_seconds_per_request`` histograms by ``view``:
  how many queries a request ran, on every database alias, and how long they took in all;
- ``rt_public_cache_requests_total`` counter by ``result`` (``hit``/``miss``): the public response
  cache (``communities.core.caching``, read from its ``X-Public-Cache`` header);
- ``rt_cache_gets_total`` counter by ``result``: every read of Django's cache
  (``renovation.cache``: sessions, throttles, statistics, the public pages);
- ``rt_queue_length`` gauge by ``queue``: tasks waiting in the Celery queue, read from the
  broker's Redis list at each scrape, present only when ``CELERY_BROKER_URL`` is a ``redis://``
  URL.

With several gunicorn workers each process counts for itself: set ``PROMETHEUS_MULTIPROC_DIR``
to an empty directory (prometheus-client's multiprocess mode) and ``/metrics`` adds up every
worker's files (``renovation/gunicorn.conf.py`` removes a dead worker's gauges).

``/metrics`` is 404 unless ``METRICS_TOKEN`` (``Authorization: Bearer <token>``) or
``METRICS_ALLOWED_IPS`` (addresses or networks, the client as ``TRUSTED_PROXY_COUNT`` resolves
it) is set; with both, a scrape must satisfy both.
"""

import hmac
import ipaddress
import os
import time

import redis
from django.conf import settings
from django.db import connections
from django.http import Http404, HttpResponse
from django.urls import Resolver404, resolve
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily

from communities.core.client_ip import client_ip

REQUEST_SECONDS = Histogram(
    "rt_http_request_duration_seconds",
    "Time to answer a request, by view, method and status class.",
    ["view", "method", "status"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.15, 0.25, 0.5, 1, 2.5, 5, 10),
)
DB_QUERIES = Histogram(
    "rt_db_queries_per_request",
    "Database queries run by one request (every alias), by view.",
    ["view"],
    buckets=(0, 1, 2, 3, 5, 8, 13, 20, 30, 50, 100, 200),
)
DB_SECONDS = Histogram(
    "rt_db_query_seconds_per_request",
    "Time one request spent in database queries (every alias), by view.",
    ["view"],
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5),
)
PUBLIC_CACHE = Counter(
    "rt_public_cache_requests",
    "Cacheable anonymous reads of public pages, by whether the public response cache had them.",
    ["result"],
)
CACHE_GETS = Counter(
    "rt_cache_gets",
    "Reads of Django's cache (keys asked for), by whether the cache had them.",
    ["result"],
)


def view_name(request) -> str:
    """The URL name of the view that answered (or would have: an answer from the public cache
    runs no view), ``<unmatched>`` when no route matches: a bounded set of label values."""
    match = getattr(request, "resolver_match", None)
    if match is None:
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return "<unmatched>"
    return match.view_name or "<unnamed>"


def status_class(status: int) -> str:
    return f"{status // 100}xx"


class _QueryTimer:
    """A database execute wrapper counting the queries of one request and their time."""

    def __init__(self):
        self.count = 0
        self.seconds = 0.0

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.count += 1
            self.seconds += time.perf_counter() - started


class MetricsMiddleware:
    """Near the top of ``MIDDLEWARE``: times every request, counts its queries, reads whether
    the public cache answered it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        timer = _QueryTimer()
        wrapped = []
        for alias in connections:
            connection = connections[alias]
            connection.execute_wrappers.append(timer)
            wrapped.append(connection)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
        finally:
            for connection in wrapped:
                connection.execute_wrappers.remove(timer)
        elapsed = time.perf_counter() - started
        view = view_name(request)
        REQUEST_SECONDS.labels(view, request.method, status_class(response.status_code)).observe(
            elapsed
        )
        DB_QUERIES.labels(view).observe(timer.count)
        DB_SECONDS.labels(view).observe(timer.seconds)
        cached = response.get("X-Public-Cache")
        if cached in ("hit", "miss"):
            PUBLIC_CACHE.labels(cached).inc()
        return response


def queue_length(broker_url: str, queue: str) -> int:
    """Tasks waiting in a Celery queue kept in Redis (Celery's Redis transport keeps each queue
    as a list named after it). Runs one Redis command."""
    client = redis.Redis.from_url(
        broker_url, socket_connect_timeout=1, socket_timeout=1, health_check_interval=0
    )
    try:
        return client.llen(queue)
    finally:
        client.close()


class QueueCollector:
    """``rt_queue_length`` at each scrape, when a Redis broker is configured; a broker that
    does not answer gives ``rt_queue_up 0`` instead of a failed scrape."""

    def collect(self):
        broker_url = getattr(settings, "CELERY_BROKER_URL", "") or ""
        if not broker_url.startswith(("redis://", "rediss://", "unix://")):
            return
        queue = getattr(settings, "CELERY_TASK_DEFAULT_QUEUE", "celery") or "celery"
        up = GaugeMetricFamily("rt_queue_up", "Whether the task broker answered the scrape.")
        try:
            length = queue_length(broker_url, queue)
        except redis.RedisError:
            up.add_metric([], 0)
            yield up
            return
        up.add_metric([], 1)
        yield up
        family = GaugeMetricFamily(
            "rt_queue_length", "Tasks waiting in the Celery queue.", labels=["queue"]
        )
        family.add_metric([queue], length)
        yield family


_QUEUE_COLLECTOR = QueueCollector()
REGISTRY.register(_QUEUE_COLLECTOR)


def _registry():
    """The process's own registry, or in multiprocess mode one that reads every worker's
    files (made per scrape, as prometheus-client's documentation says)."""
    if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        return REGISTRY
    registry = CollectorRegistry()
    multiprocess.MultiProcessCollector(registry)
    registry.register(_QUEUE_COLLECTOR)
    return registry


def _allowed(request) -> bool:
    token = settings.METRICS_TOKEN
    networks = settings.METRICS_ALLOWED_IPS
    if not token and not networks:
        return False
    if token:
        given = request.headers.get("Authorization", "")
        if not hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
            return False
    if networks:
        address = client_ip(request)
        try:
            ip = ipaddress.ip_address(address or "")
        except ValueError:
            return False
        if not any(ip in ipaddress.ip_network(network, strict=False) for network in networks):
            return False
    return True


@never_cache
@require_GET
def metrics(request):
    """The Prometheus exposition; 404 when metrics are off or the scraper is not allowed (a
    stranger learns nothing, not even that the page exists)."""
    if not _allowed(request):
        raise Http404
    return HttpResponse(generate_latest(_registry()), content_type=CONTENT_TYPE_LATEST)
