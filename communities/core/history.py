"""The history of every domain record: simple-history's ``HistoricalRecords`` with a manager
class made once, and where each change was made (admin, API, import, site), recorded in the
history's change reason: a context variable set per request or import, read when simple_history
writes."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache

import simple_history.manager
import simple_history.models
from django.db import models
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _
from simple_history.signals import pre_create_historical_record


class HistoryManager(simple_history.manager.HistoryManager):
    """simple-history's manager of a model's history, its class made once for each queryset
    class. simple-history's descriptor asks for the class (``from_queryset``) at every access
    to ``instance.history``, as every save and delete does to write its record, and Django
    builds it anew each time by inspecting every method of the queryset (1.5 % of the test
    suite's time went there)."""

    @classmethod
    def from_queryset(cls, queryset_class, class_name=None):
        return _manager_class(cls, queryset_class, class_name)


@cache
def _manager_class(manager_class, queryset_class, class_name):
    return super(HistoryManager, manager_class).from_queryset(queryset_class, class_name)


class HistoricalRecords(simple_history.models.HistoricalRecords):
    """simple-history's ``HistoricalRecords``, with the manager above; every domain model's
    history is declared with it (a test finds any that is not)."""

    def __init__(self, *args, history_manager=HistoryManager, **kwargs):
        super().__init__(*args, history_manager=history_manager, **kwargs)


class EditSourceMiddleware:
    """Records each request's changes as made in the admin, through the API (Open311
    included) or on the public site, in the history's change reason."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path_info
        if path.startswith("/admin/"):
            source = EditSource.ADMIN
        elif path.startswith(("/api/", "/open311/")):
            source = EditSource.API
        else:
            source = EditSource.SITE
        with recorded_from(source):
            return self.get_response(request)


# --- From where an edit came ------------------------------------------------------------------


class EditSource(models.TextChoices):
    """Where a change to a domain record was made; kept as its history's change reason."""

    ADMIN = "admin", _("Admin")
    API = "api", _("API")
    IMPORT = "import", _("Import")
    SITE = "site", _("Public site")


_edit_source: ContextVar[str] = ContextVar("edit_source", default="")


@contextmanager
def recorded_from(source: str) -> Iterator[None]:
    """Record every change made inside the block as coming from ``source`` (an EditSource).

    Set per request by ``communities.core.history.EditSourceMiddleware`` and by imports.
    """
    token = _edit_source.set(source)
    try:
        yield
    finally:
        _edit_source.reset(token)


@receiver(pre_create_historical_record)
def _record_edit_source(sender, history_instance, **kwargs) -> None:
    """Every historical record says where its change came from, unless the code making the
    change gave a more specific reason of its own."""
    source = _edit_source.get()
    if source and not history_instance.history_change_reason:
        history_instance.history_change_reason = source
