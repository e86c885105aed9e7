"""Logs an operator can follow: a request id on every line, JSON in production.

``RequestIdMiddleware`` (first in ``MIDDLEWARE``) takes the caller's ``X-Request-ID`` when it is
a plausible id (1–128 letters, digits, ``.``, ``_``, ``-``, ``:``; anything else is replaced, so a
client cannot write arbitrary text into the logs) or makes one, answers it in ``X-Request-ID``
and keeps the request in a context variable for as long as it runs. A log-record factory then
adds to *every* record made during the request, whatever logger made it: ``request_id``,
``method``, ``path`` (without the query string, and with the secret of a token URL such as
Open311's ``/tokens/<token>`` masked) and ``user_id`` (the signed-in user's number once
authentication has run; never a name, phone or room). The middleware's own closing line,
``renovation.request`` "request finished", adds ``status``, ``view`` and ``duration_ms``.

``LOG_FORMAT`` chooses ``JsonFormatter`` (one JSON object per line) or ``TextFormatter``.
"""

import contextvars
import json
import logging
import re
import time
import traceback
import uuid
from datetime import UTC, datetime

from django.conf import settings
from django.core.signals import request_finished
from django.utils.functional import SimpleLazyObject, empty

_current_request = contextvars.ContextVar("renovation_request", default=None)

# What a caller's X-Request-ID may be: a UUID, a load balancer's trace id and the like.
_VALID_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")
# Path segments that follow one of these words are secrets (Open311's /tokens/<token>).
_SECRET_SEGMENT = re.compile(r"(/(?:tokens?|keys?|secrets?)/)[^/]+", re.IGNORECASE)

# Added to every log record (attribute: key in the JSON line); "-" (or None) outside a request.
# The attributes are prefixed so that no logger's ``extra`` can collide with them.
REQUEST_FIELDS = {
    "request_id": "request_id",
    "request_method": "method",
    "request_path": "path",
    "request_user_id": "user_id",
}

request_logger = logging.getLogger("renovation.request")


def request_id_from(header: str | None) -> str:
    """The caller's request id if it is acceptable, else a new one."""
    if header and _VALID_REQUEST_ID.fullmatch(header):
        return header
    return uuid.uuid4().hex


def safe_path(path: str) -> str:
    """The path as it may be logged: secrets of token URLs masked (no query string ever).
    Also applied to every message (Django's "Not Found: <path>")."""
    return _SECRET_SEGMENT.sub(r"\1***", path)


def _user_id(request) -> int | None:
    """The signed-in user's id, without ever loading a session for the sake of a log line
    (that would run a query, and log it, while logging)."""
    user = request.__dict__.get("user")
    if user is None:
        return None
    if isinstance(user, SimpleLazyObject):
        if user._wrapped is empty:
            return None
        user = user._wrapped
    if getattr(user, "is_authenticated", False):
        return user.pk
    return None


def request_context() -> dict:
    """The fields of the request running in this context ("-" for each outside a request)."""
    request = _current_request.get()
    if request is None:
        return {
            "request_id": "-",
            "request_method": "-",
            "request_path": "-",
            "request_user_id": None,
        }
    return {
        "request_id": request.request_id,
        "request_method": request.method,
        "request_path": safe_path(request.path),
        "request_user_id": _user_id(request),
    }


def _install_record_factory() -> None:
    """Wrap the log-record factory once, so every record gets the request's fields."""
    previous = logging.getLogRecordFactory()
    if getattr(previous, "adds_request_context", False):
        return

    def factory(*args, **kwargs):
        record = previous(*args, **kwargs)
        record.__dict__.update(request_context())
        return record

    factory.adds_request_context = True
    logging.setLogRecordFactory(factory)


_install_record_factory()


class RequestIdMiddleware:
    """First of all middleware: gives each request its id (see the module's docstring) and
    writes one closing line per request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.request_id = request_id_from(request.headers.get("X-Request-ID"))
        # Kept until the response is closed (request_finished): Django logs a 4xx/5xx answer
        # ("django.request") after the last middleware has returned.
        _current_request.set(request)
        started = time.perf_counter()
        response = self.get_response(request)
        response["X-Request-ID"] = request.request_id
        if settings.LOG_REQUESTS:
            match = getattr(request, "resolver_match", None)
            request_logger.info(
                "request finished",
                extra={
                    "status": response.status_code,
                    "view": match.view_name if match else None,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                },
            )
        return response


def _forget_request(**_signal_arguments) -> None:
    _current_request.set(None)


request_finished.connect(_forget_request, dispatch_uid="renovation-logs-forget-request")


# Attributes every LogRecord has; anything else on a record was passed in ``extra``.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, the request's fields and any
    ``extra`` (such as status and duration_ms); an exception as its formatted traceback."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": safe_path(record.getMessage()),
        }
        for attribute, key in REQUEST_FIELDS.items():
            entry[key] = getattr(record, attribute, None)
        for name, value in vars(record).items():
            if name not in _STANDARD and name not in REQUEST_FIELDS and name not in entry:
                if name == "request":  # django.request's HttpRequest: its fields are above
                    continue
                entry[name] = value
        if record.exc_info:
            entry["exception"] = "".join(traceback.format_exception(*record.exc_info))
        return json.dumps(entry, ensure_ascii=False, default=str)


class TextFormatter(logging.Formatter):
    """Development logs: readable, with the request id (and the closing line's status)."""

    def __init__(self):
        super().__init__("%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        if not hasattr(record, "request_id"):
            record.request_id = "-"
        line = safe_path(super().format(record))
        if hasattr(record, "status") and hasattr(record, "duration_ms"):
            line += (
                f" {getattr(record, 'request_method', '-')} {getattr(record, 'request_path', '-')}"
                f" {record.status} {record.duration_ms}ms"
            )
        return line
