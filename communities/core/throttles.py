"""How often one client may ask: every limit is a DRF throttle scope whose rate lives in
``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]``, counted per client address as
``communities.core.client_ip`` resolves it (so behind ``TRUSTED_PROXY_COUNT`` proxies a made-up
``X-Forwarded-For`` neither resets a count nor shares one):

- the API's own throttles, ``AnonRateThrottle`` (DRF's, with that address) and
  ``UserRateThrottle`` (DRF's, for signed-in users only);
- ``throttle(scope)``, a decorator for plain Django views: beyond the rate, 429 with
  ``Retry-After`` and a short translated page (``429.html``);
- ``retry_after(request, scope, ident)``, the same count for any identity (an API key), for
  views that answer in their own format (Open311).
"""

import math
from collections.abc import Callable
from functools import wraps

from django.http import HttpRequest, HttpResponse
from django.template import loader
from rest_framework import throttling

from communities.core.client_ip import client_ip

# --- Rates ------------------------------------------------------------------------------------


class AnonRateThrottle(throttling.AnonRateThrottle):
    """DRF's anonymous throttle, counted per resolved client address."""

    def get_ident(self, request) -> str:
        return client_ip(request) or ""


class UserRateThrottle(throttling.UserRateThrottle):
    """DRF's signed-in throttle, per user. An anonymous request is left to
    ``AnonRateThrottle``: DRF's would count it a second time, per address at the users' rate,
    a cache read and write (two Redis round trips, 0.8 ms of an API read here) for a limit the
    anonymous one reaches first whenever ``anon`` is the lower rate, as it is by default.
    """

    def get_cache_key(self, request, view) -> str | None:
        if not (request.user and request.user.is_authenticated):
            return None  # not counted by this throttle
        return super().get_cache_key(request, view)


class ClientRateThrottle(throttling.SimpleRateThrottle):
    """``scope``'s rate for one identity (an address, an API key's id)."""

    def __init__(self, scope: str, ident: str) -> None:
        self.scope = scope
        self.ident = ident
        super().__init__()

    def get_cache_key(self, request, view) -> str:
        return self.cache_format % {"scope": self.scope, "ident": self.ident}


def retry_after(request: HttpRequest, scope: str, ident: str) -> int | None:
    """Count this request against ``scope``'s rate for ``ident``: None while within it, else
    the whole seconds to wait (a refused request is not counted)."""
    throttle = ClientRateThrottle(scope, ident)
    if throttle.allow_request(request, None):
        return None
    return max(1, math.ceil(throttle.wait() or throttle.duration))


def too_many_requests(request: HttpRequest, seconds: int) -> HttpResponse:
    """The 429 page, in the request's language; never cached."""
    body = loader.render_to_string("429.html", {"retry_after": seconds}, request=None)
    response = HttpResponse(body, status=429)
    response["Retry-After"] = str(seconds)
    response["Cache-Control"] = "no-store"
    return response


def throttle(scope: str) -> Callable:
    """Limit a plain Django view to ``scope``'s rate per client address."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            seconds = retry_after(request, scope, client_ip(request) or "")
            if seconds is not None:
                return too_many_requests(request, seconds)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
