"""The address of the client a request came from: one answer for the throttles and the lockout.

Behind ``TRUSTED_PROXY_COUNT`` reverse proxies (nginx, a load balancer) every request reaches
Django from the nearest proxy, and each proxy appends the address it received the request from
to ``X-Forwarded-For``. The client is then the Nth address from the right: whatever stands to
its left was written by the client itself and proves nothing. With no trusted proxy (the
default) ``X-Forwarded-For`` is ignored entirely and ``REMOTE_ADDR`` is the client, so a header
a client makes up can neither dodge a throttle nor lock somebody else out.

Used by every throttle (``communities.core.throttles``) and by django-axes
(``AXES_CLIENT_IP_CALLABLE``).
"""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def _address(value: str) -> str | None:
    """``value`` as a normalised IP address, or None when it is not one."""
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str | None:
    """The client's address: the ``TRUSTED_PROXY_COUNT``-th of ``X-Forwarded-For`` from the
    right, or ``REMOTE_ADDR`` without trusted proxies (or when the header holds no address)."""
    remote_addr = request.META.get("REMOTE_ADDR") or None
    proxies = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies <= 0 or not forwarded:
        return remote_addr
    addresses = [part for part in forwarded.split(",") if part.strip()]
    if not addresses:
        return remote_addr
    # Fewer addresses than proxies: the request skipped the outer ones, and the leftmost was
    # still written by a trusted proxy.
    return _address(addresses[-min(proxies, len(addresses))]) or remote_addr
