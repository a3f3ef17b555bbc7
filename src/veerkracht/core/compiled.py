"""Reads made on every request, with their SQL compiled by Django once per database connection.

Building a queryset and compiling it to SQL is about half of the server's Python work on a page
(ADR 15), and most of it is the same on every request: only the ids change. ``CompiledRead`` has
Django build and compile a read once per connection, with stand-in ids, then runs that SQL with
each call's own ids and turns the rows into instances (or tuples) as ``QuerySet`` does. Only ids
vary; anything else that shapes the query (a role, a scope) must be part of what chooses the
``CompiledRead``, never read by ``build`` from somewhere else.
"""

import inspect
import itertools
from collections.abc import Callable, Iterator, Sequence
from typing import Any, Generic, TypeVar
from weakref import WeakKeyDictionary

from django.core.exceptions import EmptyResultSet, ImproperlyConfigured
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import QuerySet
from django.db.models.query import ModelIterable, ValuesListIterable, get_related_populators  # type: ignore[attr-defined]
from django.db.models.sql.compiler import SQLCompiler

T = TypeVar("T")

# Ids no row has, inside the range of every integer column: Django compiles a lookup on a value
# outside the column's range to a condition that is always false, which would lose the parameter.
_STAND_IN = -2_000_000_000


Ids = int | Sequence[int]


class CompiledRead(Generic[T]):
    """``CompiledRead(build)(name=id, ...)`` is ``list(build(name=id, ...))``, compiled once.

    ``build`` takes ids as keyword arguments, each an integer or a list of them (compiled once per
    length: ``pk__in`` writes one placeholder per id), and returns a queryset of model instances
    or of ``values_list`` tuples whose SQL differs between calls by those ids alone.
    """

    def __init__(self, build: Callable[..., QuerySet[Any, T]]) -> None:
        self._build = build
        self._names = tuple(inspect.signature(build).parameters)
        # Per connection, so a compiled read is only ever used by the thread that compiled it.
        self._compiled: WeakKeyDictionary[BaseDatabaseWrapper, dict[tuple[int, ...], _Compiled[T]]]
        self._compiled = WeakKeyDictionary()

    def __call__(self, **ids: Ids) -> list[T]:
        if ids.keys() != set(self._names):
            raise TypeError(f"expected the ids {self._names}, got {tuple(ids)}")
        if not all(map(_in_range, ids.values())):
            # Django answers a lookup on such a value without sending it (SQLite cannot take it).
            return list(self._build(**ids))
        connection = connections[DEFAULT_DB_ALIAS]
        shape = tuple(-1 if isinstance(ids[name], int) else len(ids[name]) for name in self._names)  # type: ignore[arg-type]
        by_shape = self._compiled.setdefault(connection, {})
        compiled = by_shape.get(shape)
        if compiled is None:
            compiled = by_shape[shape] = _Compiled(self._build, dict(zip(self._names, shape, strict=True)), connection)
        return compiled.run(ids)


class _Compiled(Generic[T]):
    def __init__(self, build: Callable[..., QuerySet[Any, T]], shape: dict[str, int], connection: Any) -> None:
        count = itertools.count()
        stand_ins: dict[str, Ids] = {
            name: _STAND_IN - next(count) if length < 0 else [_STAND_IN - next(count) for _ in range(length)]
            for name, length in shape.items()
        }
        named: dict[int, tuple[str, int | None]] = {}  # stand-in -> (name, position in its list or None)
        for name, value in stand_ins.items():
            positions: list[tuple[int, int | None]] = (
                [(value, None)] if isinstance(value, int) else [(one, i) for i, one in enumerate(value)]
            )
            named |= {stand_in: (name, position) for stand_in, position in positions}
        queryset = build(**stand_ins)
        self.connection = connection
        self.compiler: SQLCompiler = queryset.query.get_compiler(connection=connection)
        self.slots: list[tuple[tuple[str, int | None] | None, Any]] = []
        try:
            self.sql, params = self.compiler.as_sql()
        except EmptyResultSet:  # as Django does: an empty list of ids finds nothing, without a query
            self.sql = ""
            return
        self.slots = [(named.get(param) if type(param) is int else None, param) for param in params]
        found = {slot[0] for slot, _param in self.slots if slot}
        unused = {name for name, length in shape.items() if length != 0} - found
        if unused:
            raise ImproperlyConfigured(f"{build.__qualname__}: no parameter of the SQL holds {sorted(unused)}")
        self.rows = self._row_maker(queryset)

    def _row_maker(self, queryset: QuerySet[Any, T]) -> Callable[[list[Any]], Iterator[T]]:
        """What the queryset's own iterable makes of a row, for the two kinds of iterable used."""
        compiler, iterable = self.compiler, queryset._iterable_class
        if iterable is ValuesListIterable and _in_asked_order(queryset):
            return lambda rows: compiler.results_iter(results=[rows], tuple_expected=True)  # type: ignore[return-value]
        if iterable is not ModelIterable or compiler.annotation_col_map:
            raise ImproperlyConfigured(f"{iterable.__name__}: a compiled read makes instances or values_list tuples")
        klass_info, select, db = compiler.klass_info, compiler.select, self.connection.alias
        assert klass_info is not None  # noqa: S101 - a model query always has it
        model, start, end = klass_info["model"], klass_info["select_fields"][0], klass_info["select_fields"][-1]
        init_list = [column[0].target.attname for column in select[start : end + 1]]
        populators = get_related_populators(klass_info, select, db)

        def instances(rows: list[Any]) -> Iterator[T]:
            for row in compiler.results_iter(results=[rows]):
                instance = model.from_db(db, init_list, row[start : end + 1])
                for populator in populators:
                    populator.populate(row, instance)
                yield instance

        return instances

    def run(self, ids: dict[str, Ids]) -> list[T]:
        if not self.sql:
            return []
        params = [
            param if slot is None else ids[slot[0]] if slot[1] is None else ids[slot[0]][slot[1]]  # type: ignore[index]
            for slot, param in self.slots
        ]
        with self.connection.cursor() as cursor:
            cursor.execute(self.sql, params)
            rows = cursor.fetchall()
        return list(self.rows(rows))


def _in_range(ids: Ids) -> bool:
    return all(-(2**63) <= one < 2**63 for one in ([ids] if isinstance(ids, int) else ids))


def _in_asked_order(queryset: QuerySet[Any, Any]) -> bool:
    """Whether the SELECT's columns come in the order values_list named them (else Django reorders)."""
    query, fields = queryset.query, list(queryset._fields or ())  # type: ignore[attr-defined]
    return not fields or fields == [*query.extra_select, *query.values_select, *query.annotation_select]
