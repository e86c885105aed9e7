"""How much one request may carry (how often a client may ask is
``communities.core.throttles``).

``RequestLimitsMiddleware``, early in ``MIDDLEWARE``, refuses before any view or
middleware reads the body (CSRF-exempt views included): 413 when ``Content-Length`` exceeds
``DATA_UPLOAD_MAX_REQUEST_SIZE``, and 400 when the path, the query string or a form value holds
a NUL character (``%00``), which no field accepts and PostgreSQL cannot store.
"""

import json
from collections.abc import Callable
from urllib.parse import unquote

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext

from communities.core.bounds import FORM_CONTENT_TYPES
from communities.repairs.open311.views import render_errors

# --- Bodies -----------------------------------------------------------------------------------


def _refusal(request: HttpRequest, status: int, message: str, name: str = "") -> HttpResponse:
    """A short answer in the format the caller reads: the API's (``{name: [message]}`` for a
    parameter, ``{"detail": message}`` otherwise), the specification's error list for Open311,
    plain text elsewhere. ``name`` is the parameter at fault, if any."""
    text = f"{name}: {message}" if name else message
    path = request.path_info
    if path.startswith("/open311/"):
        fmt = "xml" if path.endswith(".xml") else "json"
        response = render_errors(fmt, status, [text])
    elif path.startswith("/api/"):
        response = HttpResponse(
            json.dumps({name: [message]} if name else {"detail": message}, ensure_ascii=False),
            status=status,
            content_type="application/json",
        )
    else:
        response = HttpResponse(text, status=status, content_type="text/plain; charset=utf-8")
    response["Content-Language"] = translation.get_language()
    response["Cache-Control"] = "no-store"
    patch_vary_headers(response, ["Accept-Language", "Cookie"])
    if status == 413:
        # The body was not read: the connection cannot carry another request.
        response["Connection"] = "close"
    return response


def _content_length(request: HttpRequest) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0  # Django reads no body then either


def _nul_in(data) -> str | None:
    """The first parameter of ``data`` (a QueryDict) whose name or a value holds a NUL."""
    for key, values in data.lists():
        if "\x00" in key or any("\x00" in value for value in values):
            return key.replace("\x00", "\\0")
    return None


def _nul_refusal(request: HttpRequest) -> HttpResponse | None:
    """400 naming what holds a NUL character: the path, a query parameter or a form field."""
    if "\x00" in request.path_info:
        message = gettext("The address contains a NUL character, which is not allowed.")
        return _refusal(request, 400, message)
    name = None
    if "\x00" in unquote(request.META.get("QUERY_STRING", "")):
        name = _nul_in(request.GET)
    if name is None and request.method == "POST" and request.content_type in FORM_CONTENT_TYPES:
        # Parsed here (within DATA_UPLOAD_MAX_MEMORY_SIZE); the view reuses the parsed form.
        name = _nul_in(request.POST)
    if name is None:
        return None
    return _refusal(request, 400, gettext("NUL characters are not allowed."), name=name)


class RequestLimitsMiddleware:
    """Refuse an oversized body (413) or a NUL character (400) before anything reads the body.

    Placed just after ``SecurityMiddleware``: nothing before it reads the body, and its answers
    still carry the security headers.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        refusal = self._refuse(request)
        return refusal if refusal is not None else self.get_response(request)

    def _refuse(self, request: HttpRequest) -> HttpResponse | None:
        limit = getattr(settings, "DATA_UPLOAD_MAX_REQUEST_SIZE", None)
        if limit is not None and _content_length(request) > limit:
            with translation.override(translation.get_language_from_request(request)):
                message = gettext(
                    "The request body is larger than %(megabytes)s MB; send less at a time."
                ) % {"megabytes": f"{limit / (1024 * 1024):g}"}
                return _refusal(request, 413, message)
        with translation.override(translation.get_language_from_request(request)):
            return _nul_refusal(request)
