"""When the database (or Redis) cannot be reached: 503 with Retry-After, never a traceback.

PostgreSQL goes away for a restart, a failover, or a killed connection
(``pg_terminate_backend``). A request that meets it then fails with ``OperationalError`` or
``InterfaceError``. Such a request answers 503 Service Unavailable with a ``Retry-After``
header and a short translated message: JSON ``{"detail": …}`` under ``/api/`` and
``/open311/`` and for clients that prefer JSON, the standalone ``503.html`` page elsewhere (it
touches neither the database nor static files). The failure is logged once, at WARNING, without
a traceback: during an outage every request fails the same way.

Two hooks cover every place a request can meet the database:

- ``DatabaseUnavailableMiddleware.process_exception``: views (Django's and DRF's, which re-raises
  what is not an API error), template responses rendered after the view, and whatever the view
  evaluates lazily (``request.user``, the session, history records, login lockouts);
- ``server_error`` (``handler500``): middleware that touches the database outside the view, such
  as the session saved on the way out. Django calls it inside the ``except`` block, so the
  exception is at hand in ``sys.exc_info()``. With ``DEBUG`` on, Django shows its debug page here
  instead: that is what debug is for.

Recovery needs nothing from here: Django drops a connection that raised such an error at the end
of the request (``CONN_HEALTH_CHECKS`` tests a reused one before its first query), and the next
request connects anew.
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Callable

from django.conf import settings
from django.db import connections
from django.db.utils import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template import loader
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext
from django.views import defaults

logger = logging.getLogger("renovation.unavailable")

JSON_PREFIXES = ("/api/", "/open311/")
_LOGGED = "_renovation_unavailable_logged"


def _unavailable_types() -> tuple[type[BaseException], ...]:
    """Django's wrapped errors, the drivers' own (raised where Django does not wrap them) and
    Redis's connection errors (the cache and the sessions may live there)."""
    types: list[type[BaseException]] = [OperationalError, InterfaceError]
    for alias in connections:
        database = connections[alias].Database
        types += [database.OperationalError, database.InterfaceError]
    try:
        from redis.exceptions import ConnectionError as RedisConnectionError
        from redis.exceptions import TimeoutError as RedisTimeoutError
    except ImportError:
        pass
    else:
        types += [RedisConnectionError, RedisTimeoutError]
    return tuple(types)


def unavailable_error(exc: BaseException | None) -> BaseException | None:
    """The error in ``exc`` (or among its causes) that means the database or cache is away."""
    if exc is None:
        return None
    types = _unavailable_types()
    seen = 0
    while exc is not None and seen < 10:
        if isinstance(exc, types):
            return exc
        exc = exc.__cause__ or exc.__context__
        seen += 1
    return None


def wants_json(request: HttpRequest) -> bool:
    if request.path.startswith(JSON_PREFIXES):
        return True
    return request.get_preferred_type(["text/html", "application/json"]) == "application/json"


def unavailable_response(request: HttpRequest, exc: BaseException) -> HttpResponse:
    """The 503 answer; logs the failure once per request, at WARNING."""
    retry_after = getattr(settings, "DATABASE_UNAVAILABLE_RETRY_AFTER", 10)
    if not getattr(request, _LOGGED, False):
        setattr(request, _LOGGED, True)
        first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
        logger.warning(
            "Service unavailable: %s %s: %s: %s",
            request.method,
            request.path,
            exc.__class__.__name__,
            first_line,
        )
    # The language from the request alone (cookie, Accept-Language): the failure may come
    # before LocaleMiddleware has run.
    language = translation.get_language_from_request(request)
    with translation.override(language):
        message = gettext(
            "The service is temporarily unavailable. Please try again in a few moments."
        )
        if wants_json(request):
            response = HttpResponse(
                json.dumps({"detail": message}, ensure_ascii=False),
                content_type="application/json",
                status=503,
            )
        else:
            body = loader.render_to_string(
                "503.html", {"message": message, "retry_after": retry_after}
            )
            response = HttpResponse(body, status=503)
        response.headers["Content-Language"] = translation.get_language()
    response.headers["Retry-After"] = str(retry_after)
    response.headers["Cache-Control"] = "no-store"
    patch_vary_headers(response, ["Accept", "Accept-Language", "Cookie"])
    # Logged above: Django must not log it again as an ERROR.
    response._has_been_logged = True
    return response


class DatabaseUnavailableMiddleware:
    """First in ``MIDDLEWARE``: turns a database or cache outage met in a view into 503."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        error = unavailable_error(exception)
        if error is None:
            return None
        return unavailable_response(request, error)


def server_error(request: HttpRequest, template_name: str = "500.html") -> HttpResponse:
    """``handler500``: 503 for an outage met outside a view, Django's 500 page otherwise."""
    error = unavailable_error(sys.exc_info()[1])
    if error is not None:
        return unavailable_response(request, error)
    return defaults.server_error(request, template_name)
