"""Decisions stay decided: which fields a decision freezes, declared as data, checked once.

A model lists its ``locks``: each names the fields it freezes, the decision that froze them
(a public notice, an approval, the start of work), and when that decision holds, read from the
record *as stored* (a date field that is set, a state it is in). ``frozen_errors(instance)``
compares the instance with what was loaded from the database and names, field by field, the
decision that fixed what is being changed: "The public notice of 2024-03-01 fixed the shares".

``Locked`` (a model mixin) keeps the stored values when a record is loaded or saved and runs the
check in ``full_clean()``: so a model form (the admin's change page and its history revert), an
import (django-import-export and ``manage.py import_records``), the API's serializers and the
services all refuse a frozen change with the same message. The API answers it with 409
(``communities.core.api.base``). The only way to change a frozen fact is the domain's own way
back (a service that records the move, e.g. withdrawing a notice), which first moves the
record out of the state the lock holds in.

No domain imports here: the apps declare their locks, this module only reads them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, ClassVar

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.utils.functional import Promise


@dataclass(frozen=True)
class Lock:
    """Fields frozen by one decision.

    The lock holds when the stored record has a value in ``since`` (a date field: the day of
    the decision, named in the message), or its ``state_field`` is one of ``states``, or
    ``also(instance, stored)`` is true (a further condition that may query: it is asked only
    when one of the ``fields`` is being changed; a date it returns is the decision's day).
    ``decision`` is the message, with ``%(date)s`` for the
    day and ``%(fields)s`` for the fields being changed.
    """

    fields: tuple[str, ...]
    decision: str | Promise
    since: str = ""
    state_field: str = ""
    states: frozenset[str] = frozenset()
    also: Callable[[models.Model, Mapping[str, Any]], Any] | None = None
    # A date field whose stored value names the decision's day when the lock holds by state.
    dated_by: str = ""
    # Documentation only: what the lock is for (docs/decisions.md lists these).
    reason: str = field(default="", compare=False)

    def stored_names(self) -> set[str]:
        return {name for name in (self.since, self.state_field, self.dated_by) if name}

    def holds(self, stored: Mapping[str, Any], instance: models.Model) -> Any:
        """Falsy when the lock does not hold; else the decision's day, or True."""
        if self.since and stored.get(self.since) is not None:
            return stored[self.since]
        if self.state_field and stored.get(self.state_field) in self.states:
            return (stored.get(self.dated_by) if self.dated_by else None) or True
        return self.also(instance, stored) if self.also else False

    def message(self, day: Any, labels: Iterable[str]) -> str:
        return str(self.decision) % {
            "date": day.isoformat() if isinstance(day, date) else "",
            "fields": ", ".join(labels),
        }


def _attname(model: type[models.Model], name: str) -> str:
    return model._meta.get_field(name).attname


def watched_attnames(model: type[models.Model]) -> list[str]:
    """Every column the model's locks read or freeze (their stored values are kept)."""
    names: set[str] = set()
    for lock in getattr(model, "locks", ()):
        names.update(_attname(model, name) for name in (*lock.fields, *lock.stored_names()))
    return sorted(names)


def _stored_values(instance: models.Model, *, fresh: bool = False) -> dict[str, Any] | None:
    """What the database holds for the instance's watched columns: as loaded (no query), or
    read afresh (one query) when asked or when the instance was not loaded from the database."""
    stored = getattr(instance, "_locks_stored", None)
    names = watched_attnames(type(instance))
    if not fresh and stored is not None and all(name in stored for name in names):
        return stored
    if instance.pk is None:
        return None
    return type(instance)._base_manager.filter(pk=instance.pk).values(*names).first()


def _changed(instance: models.Model, stored: Mapping[str, Any]) -> bool:
    """Whether a field some lock freezes differs from ``stored`` (a stage move is no change)."""
    model = type(instance)
    names = {_attname(model, name) for lock in getattr(model, "locks", ()) for name in lock.fields}
    return any(getattr(instance, name) != stored[name] for name in names)


def _label(model: type[models.Model], name: str) -> str:
    return str(model._meta.get_field(name).verbose_name)


def frozen_errors(instance: models.Model) -> dict[str, list[str]]:
    """The frozen fields the instance changes, each with the message naming its decision.

    Empty for a new record. No query when no watched column differs from what was loaded;
    otherwise one, to compare with the record as the database holds it now (plus the query of
    a lock's ``also``, if it has one and a field it freezes changes).
    Where several locks freeze a field, the first declared that holds names it, so a model
    lists its later decisions first (approval before public notice).
    """
    model = type(instance)
    locks: tuple[Lock, ...] = getattr(model, "locks", ())
    if not locks or instance._state.adding or instance.pk is None:
        return {}
    stored = _stored_values(instance)
    if stored is None or not _changed(instance, stored):
        return {}
    # Something watched differs from what was loaded: decide on the record as it is now in
    # the database (one query), not on a copy loaded before a stage moved.
    stored = _stored_values(instance, fresh=True)
    if stored is None:
        return {}
    errors: dict[str, list[str]] = {}
    claimed: set[str] = set()
    for lock in locks:
        changed = [
            name
            for name in lock.fields
            if name not in claimed
            and getattr(instance, _attname(model, name)) != stored[_attname(model, name)]
        ]
        if not changed:
            continue
        day = lock.holds(stored, instance)
        if not day:
            continue
        message = lock.message(day, [_label(model, name) for name in changed])
        for name in changed:
            errors.setdefault(name, []).append(message)
            claimed.add(name)
    return errors


def frozen_fields(instance: models.Model) -> set[str]:
    """The fields a lock freezes on the record as stored (for showing them read-only).

    Runs the ``also`` queries of locks that do not hold otherwise."""
    model = type(instance)
    if instance.pk is None:
        return set()
    stored = _stored_values(instance)
    if stored is None:
        return set()
    return {
        name
        for lock in getattr(model, "locks", ())
        if lock.holds(stored, instance)
        for name in lock.fields
    }


class Locked(models.Model):
    """A model whose ``locks`` hold in ``full_clean()``; keeps the stored values it checks
    against when loaded, saved or refreshed (no query of its own)."""

    locks: ClassVar[tuple[Lock, ...]] = ()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs) -> None:
        super().save(*args, **kwargs)
        self._remember_stored()

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        loaded = dict(zip(field_names, values, strict=True))
        instance._locks_stored = {
            name: loaded[name] for name in watched_attnames(cls) if name in loaded
        }
        return instance

    def refresh_from_db(self, *args, **kwargs) -> None:
        super().refresh_from_db(*args, **kwargs)
        self._remember_stored()

    def _remember_stored(self) -> None:
        self._locks_stored = {name: getattr(self, name) for name in watched_attnames(type(self))}

    def full_clean(self, exclude=None, validate_unique=True, validate_constraints=True):
        """The model's checks, then the locks: a frozen change is refused by name of its
        decision, whichever form, import, serializer or service asks."""
        errors: dict = {}
        try:
            super().full_clean(exclude, validate_unique, validate_constraints)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        for name, messages in frozen_errors(self).items():
            errors.setdefault(name or NON_FIELD_ERRORS, []).extend(
                ValidationError(message, code="frozen") for message in messages
            )
        if errors:
            raise ValidationError(errors)
