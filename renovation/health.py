"""``/healthz``: is the application able to serve? Checks every database alias and the cache.

``checks`` names the primary ``database``, each replica ``database.<alias>`` and the cache
``cache``. The answer is 503 (``unavailable``) when the primary or the cache is away: no page
can be served then, and the load balancer should stop sending traffic. A replica that is away
makes it ``degraded`` but still 200: taking every server out of the balancer for one replica
would turn a partial outage into a total one; monitoring should alert on it.
"""

import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger("renovation.unavailable")


def _check_database(alias: str) -> str:
    try:
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any driver error means "down"
        return f"error: {exc.__class__.__name__}"
    return "ok"


def _check_cache() -> str:
    key = "healthz:probe"
    try:
        stamp = str(time.monotonic())
        cache.set(key, stamp, 10)
        if cache.get(key) != stamp:
            return "error: cache did not return what was stored"
    except Exception as exc:
        return f"error: {exc.__class__.__name__}"
    return "ok"


def _check_name(alias: str) -> str:
    return "database" if alias == DEFAULT_DB_ALIAS else f"database.{alias}"


@never_cache
@require_GET
def healthz(request):
    checks = {_check_name(alias): _check_database(alias) for alias in connections}
    checks["cache"] = _check_cache()
    essential = (checks["database"], checks["cache"])
    if any(value != "ok" for value in essential):
        status, code = "unavailable", 503
    elif any(value != "ok" for value in checks.values()):
        status, code = "degraded", 200
    else:
        status, code = "ok", 200
    response = JsonResponse({"status": status, "checks": checks}, status=code)
    if code == 503:
        response.headers["Retry-After"] = str(settings.DATABASE_UNAVAILABLE_RETRY_AFTER)
    if status != "ok":
        # One WARNING per probe, not Django's ERROR for every 503 a load balancer polls.
        logger.warning("Health check %s: %s", status, checks)
        response._has_been_logged = True
    return response
