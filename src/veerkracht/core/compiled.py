"""Reads made on every request, with their SQL compiled by Django once per database connection.

Building a queryset and compiling it to SQL is about half of the server's Python work on a page
(ADR 15), and most of it is the same on every request: only the keys change (a user's id, a
resident's id, a registration's token). ``CompiledRead`` has Django build and compile a read
once per connection with stand-in keys, then runs that SQL with each call's own keys and turns
the rows into instances (or tuples) as ``QuerySet`` does. Only the keys vary: anything else that
shapes the query (a role, a scope, a status) must be part of what chooses the ``CompiledRead``,
never read by ``build`` from elsewhere.
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
Key = int | str | Sequence[int]

# Stand-in ids no row has, inside the range of every integer column: Django compiles a lookup on
# a value outside the column's range to a condition that is always false, losing the parameter.
_STAND_IN_ID = -2_000_000_000
_STAND_IN_TEXT = "compiled-read-stand-in-{}"
# A key's kind in a read's shape: a list of ids is compiled once per length (0 and up).
_ID, _TEXT = -1, -2
MAX_IDS = 64  # longer lists are read through Django's own path


class CompiledRead(Generic[T]):
    """``CompiledRead(build)(name=key, ...)`` is ``list(build(name=key, ...))``, compiled once.

    ``build`` takes keys as keyword arguments (its parameters, or ``names``), each an integer, a
    string or a list of integers (compiled once per length up to ``MAX_IDS``: ``pk__in`` writes
    one placeholder per id), and returns a queryset of model instances or of ``values_list``
    tuples whose SQL differs between calls by those keys alone. A key that does not reach the SQL
    unchanged (a string Django wraps in wildcards, say) is refused when the read is compiled.
    """

    def __init__(self, build: Callable[..., QuerySet[Any, T]], names: tuple[str, ...] | None = None) -> None:
        self._build = build
        self._names = names or tuple(inspect.signature(build).parameters)
        # Per connection, so that a compiled read is only ever used by the thread that compiled it.
        self._compiled: WeakKeyDictionary[BaseDatabaseWrapper, dict[tuple[int, ...], _Compiled[T]]]
        self._compiled = WeakKeyDictionary()

    def __call__(self, **keys: Key) -> list[T]:
        if keys.keys() != set(self._names):
            raise TypeError(f"expected the keys {self._names}, got {tuple(keys)}")
        if not all(map(_usual, keys.values())):
            return list(self._build(**keys))
        connection = connections[DEFAULT_DB_ALIAS]
        shape = tuple(map(_kind, (keys[name] for name in self._names)))
        by_shape = self._compiled.setdefault(connection, {})
        compiled = by_shape.get(shape)
        if compiled is None:
            compiled = by_shape[shape] = _Compiled(self._build, dict(zip(self._names, shape, strict=True)), connection)
        return compiled.run(keys)

    def one(self, **keys: Key) -> T | None:
        """The row of a read that matches at most one (a primary key, a unique column), or None."""
        found = self(**keys)
        return found[0] if found else None


def _kind(key: Key) -> int:
    return _ID if isinstance(key, int) else _TEXT if isinstance(key, str) else len(key)


def _usual(key: Key) -> bool:
    """Whether a key is compiled for, or left to Django's own path.

    A number outside every column's range: Django answers a lookup on it without sending it
    (SQLite cannot take it). A long list: each length is compiled once and kept, so lengths
    without end (a page far back, a contact with a hundred residents) would fill the memory.
    """
    if isinstance(key, str):
        return True
    ids = [key] if isinstance(key, int) else key
    return len(ids) <= MAX_IDS and all(-(2**63) <= one < 2**63 for one in ids)


class _Compiled(Generic[T]):
    def __init__(self, build: Callable[..., QuerySet[Any, T]], shape: dict[str, int], connection: Any) -> None:
        number = itertools.count()
        stand_ins: dict[str, Key] = {}
        where: dict[int | str, tuple[str, int | None]] = {}  # stand-in -> its key, and place in a list
        for name, kind in shape.items():
            if kind in (_ID, _TEXT):
                one = _STAND_IN_ID - next(number) if kind == _ID else _STAND_IN_TEXT.format(next(number))
                stand_ins[name], where[one] = one, (name, None)
            else:
                ids = [_STAND_IN_ID - next(number) for _ in range(kind)]
                stand_ins[name] = ids
                where |= {one: (name, place) for place, one in enumerate(ids)}
        queryset = build(**stand_ins)
        self.connection = connection
        self.compiler: SQLCompiler = queryset.query.get_compiler(connection=connection)
        self.slots: list[tuple[tuple[str, int | None] | None, Any]] = []
        try:
            self.sql, params = self.compiler.as_sql()
        except EmptyResultSet:  # as Django does: an empty list of ids finds nothing, without a query
            self.sql = ""
            return
        self.slots = [(where.get(param) if type(param) in (int, str) else None, param) for param in params]
        unused = {name for name, kind in shape.items() if kind != 0} - {slot[0] for slot, _ in self.slots if slot}
        if unused:
            raise ImproperlyConfigured(f"{build.__qualname__}: no parameter of the SQL holds {sorted(unused)}")
        self.rows = self._row_maker(queryset)

    def _row_maker(self, queryset: QuerySet[Any, T]) -> Callable[[list[Any]], Iterator[T]]:
        """What the queryset's own iterable makes of the rows, for the two kinds of iterable used."""
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

    def run(self, keys: dict[str, Key]) -> list[T]:
        if not self.sql:
            return []
        params = [
            param if slot is None else keys[slot[0]] if slot[1] is None else keys[slot[0]][slot[1]]  # type: ignore[index]
            for slot, param in self.slots
        ]
        with self.connection.cursor() as cursor:
            cursor.execute(self.sql, params)
            rows = cursor.fetchall()
        return list(self.rows(rows))


def _in_asked_order(queryset: QuerySet[Any, Any]) -> bool:
    """Whether the SELECT's columns come in the order Django's ValuesListIterable gives them (else it reorders)."""
    query, fields = queryset.query, list(queryset._fields or ())  # type: ignore[attr-defined]
    returned = [*fields, *(name for name in query.annotation_select if name not in fields)]
    return not fields or returned == [*query.extra_select, *query.values_select, *query.annotation_select]
