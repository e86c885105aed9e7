"""Queries of a fixed shape, compiled once and run again with another key.

Django builds and compiles a query anew each time it runs one. The five lists of a community's
detail (its buildings, items, facilities, property service and elevators) are the same five
queries for every community but for its id, and at national scale they spent 3.4 of their
5.0 ms building and compiling them (issue 19).

``PreparedValues`` takes a function that builds a ``.values()`` queryset for a key. It builds
it once for a stand-in key, compiles it once per database connection, then runs that SQL for
each key it is given: the key takes the stand-in's place among the parameters. The rows come
back as ``.values()`` gives them, converted the way Django converts them (each field's
``from_db_value``, the backend's converters).

What else the query depends on (today's date, say) is passed as ``fixed`` arguments: one
compiled form is kept for each. Before it keeps a compiled form, it checks the stand-in's
place: the query is built twice, for two stand-ins, and the two must compile to the same SQL
with parameters that differ only where the stand-in is. Otherwise the query runs through the
ORM each time: slower, never wrong. Examples are a query that computes something from the key,
writes it into the SQL, or can match nothing at all. A key that is not an ``int`` runs through
the ORM too.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass

from django.core.exceptions import EmptyResultSet, FullResultSet
from django.db import connections, router
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import QuerySet
from django.db.models.query import ValuesIterable
from django.db.models.sql.compiler import SQLCompiler

# Keys no record has, put where the key goes: two, to see which parameters they fill.
_STAND_INS = (-7_319_406_285_113, -7_319_406_285_114)
# Compiled forms kept per prepared query: one per connection (thread) and fixed arguments.
# Past this many (a day's date changing, threads coming and going) they are compiled anew.
KEPT = 32


@dataclass(frozen=True)
class _Compiled:
    compiler: SQLCompiler
    sql: str
    params: tuple
    slots: tuple[int, ...]  # where the key goes among the parameters
    names: tuple[str, ...]  # the keys of a row's dict, as ValuesIterable names them
    converters: dict  # by column: what Django applies to a value read (``get_converters``)


class PreparedValues:
    """``.values()`` rows of ``build(key, *fixed)``, its SQL compiled once (module docstring)."""

    def __init__(self, build: Callable[..., QuerySet]):
        self.build = build
        self._compiled: dict[tuple, _Compiled | None] = {}
        self._where: tuple | None = None  # (model, the queryset's own database, its hints)

    def __call__(self, key: int, *fixed: Hashable) -> list[dict]:
        if type(key) is not int:
            return list(self.build(key, *fixed))
        if self._where is None:
            queryset = self.build(_STAND_INS[0], *fixed)
            self._where = (queryset.model, queryset._db, dict(queryset._hints))
        model, own_database, hints = self._where
        connection = connections[own_database or router.db_for_read(model, **hints)]
        try:
            compiled = self._compiled[(connection, fixed)]
        except KeyError:
            compiled = self._compile(connection, fixed)
        if compiled is None:
            return list(self.build(key, *fixed))
        return self._run(compiled, connection, key)

    def _compile(self, connection: BaseDatabaseWrapper, fixed: tuple) -> _Compiled | None:
        compiled = _compile(self.build, connection, fixed)
        if len(self._compiled) >= KEPT:
            self._compiled.clear()
        self._compiled[(connection, fixed)] = compiled
        return compiled

    @staticmethod
    def _run(compiled: _Compiled, connection: BaseDatabaseWrapper, key: int) -> list[dict]:
        params = list(compiled.params)
        for slot in compiled.slots:
            params[slot] = key
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, params)
            rows = cursor.fetchall()
        compiler, names = compiled.compiler, compiled.names
        if compiler.has_extra_select:  # columns added for the ordering, as Django trims them
            rows = [row[: compiler.col_count] for row in rows]
        if compiled.converters:
            rows = compiler.apply_converters(rows, compiled.converters)
        return [dict(zip(names, row, strict=True)) for row in rows]


def _compile(build: Callable[..., QuerySet], connection, fixed: tuple) -> _Compiled | None:
    """The query's SQL for ``connection`` with the key's places found, or None when it cannot
    be run again with another key (see the module's docstring)."""
    forms = []
    for stand_in in _STAND_INS:
        queryset = build(stand_in, *fixed)
        if not isinstance(queryset, QuerySet) or queryset._iterable_class is not ValuesIterable:
            return None
        compiler = queryset.query.get_compiler(connection=connection)
        try:
            sql, params = compiler.as_sql()
        except (EmptyResultSet, FullResultSet):
            return None
        forms.append((queryset, compiler, sql, tuple(params)))
    (queryset, compiler, sql, params), (_, _, other_sql, other_params) = forms
    slots = tuple(
        position
        for position, value in enumerate(params)
        if type(value) is int and value == _STAND_INS[0]
    )
    expected = list(params)
    for slot in slots:
        expected[slot] = _STAND_INS[1]
    if (
        not slots
        or sql != other_sql
        or list(other_params) != expected
        or any(str(abs(stand_in)) in sql for stand_in in _STAND_INS)
    ):
        return None
    fields = [column[0] for column in compiler.select[: compiler.col_count]]
    if compiler.has_composite_fields(fields):
        return None
    query = queryset.query
    names = (
        tuple(query.selected)
        if query.selected
        else (*query.extra_select, *query.values_select, *query.annotation_select)
    )
    return _Compiled(compiler, sql, params, slots, names, compiler.get_converters(fields))
