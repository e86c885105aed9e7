"""Read replicas: reads go to a replica, writes and everything after a write to the primary.

``DATABASE_REPLICA_URLS`` (settings) adds the aliases ``replica_1`` … ``replica_n``. This router
then sends each read to one of them at random and every write to ``default``. A replica lags
behind the primary, so a request must never read from it what it has just written: the first
write pins the rest of the request (or, outside a request, the rest of the thread's work) to
the primary. So do, from the start, every request that is not a safe method (a POST reads the
row it is about to change from the primary, not a stale copy), every read inside
``transaction.atomic`` on the primary, and every read of the models that decide who a user is
and whether they may log in (sessions, login lockouts), which must never lag.

``ReplicaPinningMiddleware`` resets the pin at the start and end of every request, and for a
few seconds after a write (``DATABASE_REPLICA_STICKY_SECONDS``) keeps the same browser or client
on the primary through a cookie, so the page a form redirects to shows what was just saved.

With no replica configured the router has no opinion: every read and write goes to ``default``.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable
from contextvars import ContextVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.http import HttpRequest, HttpResponse

REPLICA_PREFIX = "replica_"
STICKY_COOKIE = "rt_primary"

# Apps whose reads always go to the primary: a session or a lockout read from a lagging replica
# would log a user out just after login, or let a locked-out address try again.
PRIMARY_ONLY_APPS = frozenset({"sessions", "axes"})

_pinned: ContextVar[bool] = ContextVar("renovation_db_pinned", default=False)
_wrote: ContextVar[bool] = ContextVar("renovation_db_wrote", default=False)


def pin_to_primary() -> None:
    """Send every further read of this request (or thread) to the primary."""
    _pinned.set(True)


def is_pinned() -> bool:
    return _pinned.get()


class PrimaryReplicaRouter:
    """Routes reads to a random replica unless pinned; writes and migrations to ``default``."""

    def __init__(self, replicas: Iterable[str] | None = None) -> None:
        self._replicas = list(replicas) if replicas is not None else None

    @property
    def replicas(self) -> list[str]:
        """The replicas given, or else those configured now (a handful of names to scan)."""
        if self._replicas is not None:
            return self._replicas
        # connections.settings is settings.DATABASES itself, read without the lazy settings
        # object's lookup: the router is asked on every foreign key a model instance is given.
        return [alias for alias in connections.settings if alias.startswith(REPLICA_PREFIX)]

    def db_for_read(self, model, **hints) -> str | None:
        replicas = self.replicas
        if not replicas:
            return None
        if (
            _pinned.get()
            or model._meta.app_label in PRIMARY_ONLY_APPS
            or connections[DEFAULT_DB_ALIAS].in_atomic_block
        ):
            return DEFAULT_DB_ALIAS
        return random.choice(replicas)

    def db_for_write(self, model, **hints) -> str | None:
        if not self.replicas:
            return None
        _pinned.set(True)
        _wrote.set(True)
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints) -> bool | None:
        # Replicas hold the same rows as the primary: an object read from one may point at an
        # object read from another. Within one database Django allows the relation itself.
        if obj1._state.db == obj2._state.db:
            return None
        replicas = self.replicas
        databases = {DEFAULT_DB_ALIAS, *replicas}
        if replicas and obj1._state.db in databases and obj2._state.db in databases:
            return True
        return None

    def allow_migrate(self, db: str, app_label: str, model_name=None, **hints) -> bool | None:
        # A replica is migrated by replication, never directly.
        if db.startswith(REPLICA_PREFIX):
            return False
        return None


class ReplicaPinningMiddleware:
    """Starts every request unpinned (or pinned, for unsafe methods and sticky clients) and
    leaves nothing behind for the next request the same thread serves."""

    SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        sticky = request.method not in self.SAFE_METHODS or STICKY_COOKIE in request.COOKIES
        pinned = _pinned.set(sticky)
        wrote = _wrote.set(False)
        try:
            response = self.get_response(request)
            # Only the router marks a write, and only when replicas are configured.
            seconds = getattr(settings, "DATABASE_REPLICA_STICKY_SECONDS", 0)
            if _wrote.get() and seconds > 0:
                response.set_cookie(
                    STICKY_COOKIE,
                    "1",
                    max_age=seconds,
                    secure=settings.SESSION_COOKIE_SECURE,
                    httponly=True,
                    samesite="Lax",
                )
            return response
        finally:
            _pinned.reset(pinned)
            _wrote.reset(wrote)
