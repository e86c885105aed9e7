"""Public pages and API reads, cached for anonymous readers until the data they show changes.

Most traffic is anonymous reads of the same pages (the dashboard, a district, a community,
the API's lists and details for the mini-program): ``PublicResponseCacheMiddleware`` keeps each
rendered answer in the configured cache (Redis with ``REDIS_URL``) and serves it again without
running the view. Correctness comes from a version token, not from a timer: every save or delete
of a record the cached pages show (everything in the app but repair requests, which no cached
page reads) replaces the token, so the next read renders afresh. ``PUBLIC_CACHE_SECONDS`` bounds
how long an answer is kept whatever happens (with the local-memory cache each process has its
own token, so that is also how long another process may show the old page).

Only what is the same for everybody is cached: GET requests without a session or credentials,
answered 200 without setting a cookie, on the pages listed in ``CACHED_URL_NAMES``. The key
carries the host and scheme (API answers hold absolute links), the full path and query, the
language and the Accept header (JSON or the browsable API). Staff, writes and every other page
go straight through. Security headers are added outside this middleware, on every answer.
"""

import hashlib
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.http import HttpResponse
from django.urls import Resolver404, resolve
from django.utils.translation import get_language

_VERSION_KEY = "public-pages:version"

# The pages served from the cache: the public site's and the read API's (not repair requests,
# which change many times a minute and are read through their own tokens by their filers).
CACHED_URL_NAMES = frozenset(
    {
        "site:home",
        "site:community-list",
        "site:community",
        "site:map",
        "site:district",
        "api:stats",
        *(
            f"api:{resource}-{action}"
            for resource in (
                "district",
                "community",
                "building",
                "renovationkind",
                "renovationitem",
                "fundingline",
                "elevatorretrofit",
                "propertyservice",
                "facility",
            )
            for action in ("list", "detail")
        ),
        "api:community-geojson",
    }
)


def version_token(key: str) -> str:
    """The current version token stored under ``key``: a random one, so a token lost from the
    cache can never bring back entries made under an earlier one."""
    version = cache.get(key)
    if version is None:
        version = uuid.uuid4().hex
        if not cache.add(key, version, None):
            version = cache.get(key, version)
    return version


# The version tokens to replace when the outermost ``tokens_replaced_once`` block ends.
_pending_tokens: ContextVar[set[str] | None] = ContextVar("pending_version_tokens", default=None)


def replace_version_token(key: str) -> None:
    """Make everything cached under the token stored at ``key`` stale (inside
    ``tokens_replaced_once``: when that block ends)."""
    pending = _pending_tokens.get()
    if pending is not None:
        pending.add(key)
        return
    _write_new_token(key)


def _write_new_token(key: str) -> None:
    cache.set(key, uuid.uuid4().hex, None)


@contextmanager
def tokens_replaced_once() -> Iterator[None]:
    """Saves and deletes inside the block replace each version token they touch once, when it
    ends, instead of once a row: a community deleted with everything that hangs from it sends
    a signal for each row (the demo's removal: 136,197 cache writes, with Redis a round trip
    each). A block inside another leaves it to the outer one. The tokens are replaced even when
    the block fails: rows may have changed before the error."""
    if _pending_tokens.get() is not None:
        yield
        return
    pending: set[str] = set()
    reset = _pending_tokens.set(pending)
    try:
        yield
    finally:
        _pending_tokens.reset(reset)
        for key in sorted(pending):
            _write_new_token(key)


def invalidate_public_pages(**_signal_arguments) -> None:
    """Make every cached public answer stale (connected to the signals of what they show)."""
    replace_version_token(_VERSION_KEY)


def _shown_on_public_pages(model) -> bool:
    """A model no cached page shows says so (``shown_on_public_pages = False``: repair
    requests, staff scopes...), and its changes leave cached pages as they are. Historical
    records need no signal of their own: the record they copy sends one."""
    if model._meta.model_name.startswith("historical"):
        return False
    return getattr(model, "shown_on_public_pages", True)


def connect_signals() -> None:
    """Called once the app registry is ready (``CoreConfig.ready``)."""
    for model in apps.get_app_config("communities").get_models():
        if _shown_on_public_pages(model):
            uid = f"public-pages-{model._meta.label}"
            post_save.connect(invalidate_public_pages, sender=model, dispatch_uid=uid)
            post_delete.connect(invalidate_public_pages, sender=model, dispatch_uid=f"{uid}-del")


def _cacheable_request(request) -> bool:
    if request.method != "GET" or "Authorization" in request.headers:
        return False
    if settings.PUBLIC_CACHE_SECONDS <= 0 or settings.SESSION_COOKIE_NAME in request.COOKIES:
        return False
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return False
    return match.view_name in CACHED_URL_NAMES


def _cacheable_response(response) -> bool:
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and "private" not in response.get("Cache-Control", "")
    )


def _key(request) -> str:
    varying = "\n".join(
        [
            request.scheme,
            request.get_host(),
            request.get_full_path(),
            get_language() or "",
            request.headers.get("Accept", ""),
        ]
    )
    digest = hashlib.sha256(varying.encode()).hexdigest()
    return f"public-pages:{version_token(_VERSION_KEY)}:{digest}"


class PublicResponseCacheMiddleware:
    """Serve anonymous reads of the public pages from the cache (see the module's docstring).

    Placed after the locale, session and authentication middleware (it needs the language and
    must see that nobody is signed in) and inside the security ones (their headers are added to
    cached answers too).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not _cacheable_request(request):
            return self.get_response(request)
        key = _key(request)
        cached = cache.get(key)
        if cached is not None:
            return self._rebuild(cached)
        response = self.get_response(request)
        if _cacheable_response(response):
            headers = [(name, value) for name, value in response.items()]
            entry = (response.status_code, headers, response.content)
            cache.set(key, entry, settings.PUBLIC_CACHE_SECONDS)
            response["X-Public-Cache"] = "miss"
        return response

    @staticmethod
    def _rebuild(cached) -> HttpResponse:
        status, headers, content = cached
        response = HttpResponse(content, status=status)
        for name, value in headers:
            response[name] = value
        response["X-Public-Cache"] = "hit"
        return response
