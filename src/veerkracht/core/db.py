"""The one module that writes SQL by hand (and may use Django's and libraries' private internals).

Everything else goes through the ORM; ``pyproject.toml``'s banned-API rule holds the rest of the
project to that. Each statement here takes its table and columns from the model, so a change to
the model changes the statement with it.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any, TypeVar

from django.db import connections, models, router
from django.db.transaction import TransactionManagementError
from django.utils import timezone
from django.utils.dateparse import parse_datetime

_LIMITED_TEXT = re.compile(r"^(varchar|char)\(\d+\)")
M = TypeVar("M", bound=models.Model)
INSERT_BATCH = 500  # rows per INSERT: within SQLite's limit on parameters for every model here


def insert_without_returning(objs: Sequence[models.Model]) -> None:
    """INSERT the instances (all of one model), asking nothing back, in batches.

    ``bulk_create`` asks PostgreSQL for the new ids (INSERT ... RETURNING), and PostgreSQL checks
    a row handed back against the table's read policy (row-level security, ADR 12). A table that
    anyone may append to but each organisation reads only its own of (the audit log) therefore
    needs an insert that returns nothing.
    """
    if objs:
        _insert(type(objs[0]), [_prepared(obj) for obj in objs])


def insert_copies_without_returning(obj: models.Model, field_name: str, values: Sequence[object]) -> None:
    """INSERT ``obj`` once for each of ``values`` in ``field_name``, asking nothing back.

    For many rows that differ in one column (an audit event for each resident a list shows): the
    rest of the row is prepared and sent once, the varying column as a list of values
    (``INSERT ... SELECT shared values, v.column1 FROM (VALUES ...) AS v``), rather than every
    column of every row: a fifty-resident worklist sent 600 parameters, which the driver parsed
    and the database bound one by one.
    """
    fields = _fields(type(obj))
    at = [field.name for field in fields].index(field_name)
    connection = connections[router.db_for_write(type(obj))]
    varying = [fields[at].get_db_prep_save(value, connection) for value in values]
    if not varying:
        return
    shared = _prepared(obj)
    del shared[at]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in fields)
    cast = {index: _typed(field, connection) for index, field in enumerate(fields)}
    chosen = ", ".join("v.column1" if index == at else cast[index] for index in range(len(fields)))
    with connection.cursor() as cursor:
        for start in range(0, len(varying), INSERT_BATCH):
            batch = varying[start : start + INSERT_BATCH]
            rows = ", ".join([f"({cast[at]})"] * len(batch))
            cursor.execute(
                f"INSERT INTO {quote(type(obj)._meta.db_table)} ({columns}) SELECT {chosen} FROM (VALUES {rows}) AS v",  # noqa: S608 - the model's own names, values as parameters
                [*shared, *batch],
            )


def _typed(field: Any, connection: Any) -> str:
    """A parameter as the column's type: a value in a SELECT list has no column to take it from."""
    if connection.vendor != "postgresql":
        return "%s"
    # Text as text (an array of text as text[]): the column's own length check then refuses a long
    # value, where a cast to varchar(n) would cut it short.
    return "%s::" + _LIMITED_TEXT.sub("text", field.db_type(connection))


def _fields(model: type[models.Model]) -> list[Any]:
    """The columns an INSERT writes: the model's concrete fields but its generated key."""
    opts = model._meta
    return [field for field in opts.concrete_fields if field is not opts.auto_field]


def _prepared(obj: models.Model) -> list[Any]:
    """The row's values, each prepared by its field, as ``save()`` prepares them."""
    connection = connections[router.db_for_write(type(obj))]
    return [field.get_db_prep_save(field.pre_save(obj, add=True), connection) for field in _fields(type(obj))]


def _insert(model: type[models.Model], rows: Sequence[Sequence[Any]]) -> None:
    connection = connections[router.db_for_write(model)]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in _fields(model))
    row = "(" + ", ".join(["%s"] * len(_fields(model))) + ")"
    with connection.cursor() as cursor:
        for start in range(0, len(rows), INSERT_BATCH):
            batch = rows[start : start + INSERT_BATCH]
            cursor.execute(
                f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES {', '.join([row] * len(batch))}",  # noqa: S608 - the model's own names, values as parameters
                [value for values in batch for value in values],
            )


def next_id(model: type[models.Model]) -> int | None:
    """The id the next row of ``model`` will get, taken from its sequence now (PostgreSQL); None elsewhere.

    A new organisation is written *for itself* under row-level security (the tenant policy checks
    its id against the connection's setting), so its id must be known before the insert.
    """
    connection = connections[router.db_for_write(model)]
    if connection.vendor != "postgresql":
        return None
    table, column = model._meta.db_table, model._meta.pk.column
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, %s))", [table, column])
        return int(cursor.fetchone()[0])


@dataclass(frozen=True)
class Source:
    """One table of a merged history: its rows for one owner as (``kind``, ``ref``, ``at``)."""

    kind: str
    model: type[models.Model]
    owner: str  # the field that names the owner (a resident)
    ref: str  # the field whose value identifies the row to the caller
    at: str  # the field the history is ordered by


def newest_of(sources: Sequence[Source], owner_id: int, limit: int) -> list[tuple[str, int, datetime]]:
    """The newest ``limit`` rows of several tables belonging to one owner, as (kind, ref, at), newest
    first (ties: by kind, then newest ref first).

    A resident's timeline is read on every resident page and after every logged contact; the ORM
    builds this union of three annotated queries for more than the rest of the page's reads
    together. The same statement written once here; ``tests/core/test_db.py`` checks it against
    the ORM's answer.
    """
    model = sources[0].model
    connection = connections[router.db_for_read(model)]
    quote = connection.ops.quote_name

    def column(source: Source, name: str) -> str:
        named = getattr(source.model._meta.get_field(name), "column", None)
        if not isinstance(named, str):
            raise ValueError(f"{source.model.__name__}.{name} is not a column")
        return quote(named)

    selects = [
        f"SELECT %s AS entry_kind, {column(s, s.ref)} AS entry_ref, {column(s, s.at)} AS entry_at "  # noqa: S608 - the models' own names, values as parameters
        f"FROM {quote(s.model._meta.db_table)} WHERE {column(s, s.owner)} = %s"
        for s in sources
    ]
    sql = (
        f"SELECT entry_kind, entry_ref, entry_at FROM ({' UNION ALL '.join(selects)}) entries "  # noqa: S608 - as above
        "ORDER BY entry_at DESC, entry_kind ASC, entry_ref DESC LIMIT %s"
    )
    params = [value for source in sources for value in (source.kind, owner_id)] + [limit]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [(kind, int(ref), _aware(at)) for kind, ref, at in cursor.fetchall()]


def _aware(value: datetime | str) -> datetime:
    """A timestamp as the ORM gives it: SQLite hands back text in UTC, PostgreSQL an aware datetime."""
    moment = parse_datetime(value) if isinstance(value, str) else value
    if moment is None:
        raise ValueError(value)
    return timezone.make_aware(moment, UTC) if timezone.is_naive(moment) else moment


@dataclass(frozen=True)
class _Table:
    """One model's columns in a hand-written read: where they start in the row, how each is converted."""

    model: type[models.Model]
    path: str  # "" for the row's own model, else the select_related path of the parent
    attnames: list[str]  # every concrete field's, in the model's order (what ``from_db`` expects)
    converters: list[list[Any]]
    start: int
    key: int  # the primary key's place among them


@dataclass(frozen=True)
class _Read:
    """A read of one row with its parents: the statement up to its WHERE, and its tables."""

    select: str
    tables: list[_Table]


def row_with_parents(model: type[M], *, parents: Sequence[str] = (), lock: bool = False, **unique: object) -> M | None:
    """The row of ``model`` whose fields equal ``unique`` (None: is null), with its ``parents``
    read as ``select_related`` reads them; None when there is none. ``unique`` must name at most
    one row (it includes a unique field). ``lock``: as ``select_for_update(of=("self",))``.

    For the reads every request of a kind makes (a registration by its link, a public activity,
    the activity locked while someone registers), where the ORM spent more compiling the
    statement than the rest of the request's query work. ``tests/core/test_db.py`` checks the
    reader against the ORM's answer.
    """
    found = rows_with_parents(model, parents=parents, lock=lock, **unique)
    return found[0] if found else None


def rows_with_parents(model: type[M], *, parents: Sequence[str] = (), lock: bool = False, **equal: object) -> list[M]:
    """The rows of ``model`` whose fields equal ``equal`` (None: is null; a list: one of its
    values), with their ``parents`` read as ``select_related`` reads them, in no particular order.

    ``lock`` locks the rows of ``model`` (not their parents) until the transaction ends, where the
    database has row locks (PostgreSQL; SQLite's transactions lock the whole database, settings.py).
    It refuses to run outside a transaction, where it would not lock (on SQLite too, where Django's
    ``select_for_update`` lets it pass: code that works on SQLite must work on PostgreSQL).
    """
    connection = connections[router.db_for_write(model) if lock else router.db_for_read(model)]
    if lock and connection.get_autocommit():
        raise TransactionManagementError("a locking read outside a transaction would not lock")
    matching = _equal(connection, model, equal)
    if matching is None:
        return []
    where, params = matching
    if lock and connection.features.has_select_for_update_of:
        where += " FOR UPDATE OF t0"
    return _rows(connection, _read(model, tuple(parents), connection), where, params)


def in_register_scope(
    model: type[M],
    keys: Sequence[int],
    *,
    parents: Sequence[str] = (),
    organisation_id: int,
    team_member_id: int | None,
) -> list[M]:
    """The rows of ``model`` with ids among ``keys`` and their ``parents`` (as ``select_related``
    reads them) that are in the register scope: of ``organisation_id``, not erased, and in a
    neighbourhood of the organisation (a coordinator's scope, ``team_member_id`` None) or of a
    team of ``team_member_id`` (a professional's). In no particular order.

    A resident's page reads one resident this way, and logging a contact checks its residents:
    the ORM spent three times the rest of the read compiling its sixty columns and the scope's
    subquery. ``people.selectors.residents_in`` defines the scope; ``tests/core/test_db.py``
    checks this statement against it for every resident and role.
    """
    connection = connections[router.db_for_read(model)]
    matching = _equal(connection, model, {"pk": list(keys)})
    if matching is None:
        return []
    where, params = matching
    where += " AND " + _register_scope(model, connection, by_team=team_member_id is not None)
    params += [organisation_id, organisation_id] + ([] if team_member_id is None else [team_member_id])
    found: list[M] = _rows(connection, _read(model, tuple(parents), connection), where, params)
    return found


def _equal(connection: Any, model: type[models.Model], equal: dict[str, object]) -> tuple[str, list[Any]] | None:
    """The WHERE (and its parameters) of fields equal to values (None: is null; a list: one of
    them); None when nothing can match (an empty list, or only integers out of the column's range,
    which the ORM answers with no row)."""
    conditions: list[str] = []
    params: list[Any] = []
    for named, value in equal.items():
        name = model._meta.pk.name if named == "pk" else named
        field = model._meta.get_field(name)
        if not isinstance(field, models.Field):
            raise ValueError(f"{model.__name__}.{name} is not a column")
        column = f"t0.{_column(connection, model, name)}"
        if value is None:
            conditions.append(f"{column} IS NULL")
            continue
        values = list(value) if isinstance(value, (list, tuple, set, frozenset)) else [value]
        values = [v for v in values if not isinstance(v, int) or _in_range(connection, field, v)]
        if not values:
            return None
        conditions.append(f"{column} IN ({', '.join(['%s'] * len(values))})")
        params.extend(field.get_db_prep_value(v, connection) for v in values)
    return " AND ".join(conditions) or "1 = 1", params


def _in_range(connection: Any, field: Any, value: int) -> bool:
    """Whether an integer column (a key's column: its target's) can hold ``value``."""
    kind = (field.target_field if field.is_relation else field).get_internal_type()
    if kind not in connection.ops.integer_field_ranges:
        return True
    low, high = connection.ops.integer_field_range(kind)
    return (low is None or low <= value) and (high is None or value <= high)


def _rows(connection: Any, read: _Read, where: str, params: list[Any]) -> list[Any]:
    with connection.cursor() as cursor:
        cursor.execute(f"{read.select} WHERE {where}", params)
        return [_instance(connection, read, row) for row in cursor.fetchall()]


def _instance(connection: Any, read: _Read, row: Sequence[Any]) -> Any:
    """The row's model instance, with its parents set as ``select_related`` sets them."""
    instances: dict[str, Any] = {}
    for table in read.tables:
        values = row[table.start : table.start + len(table.attnames)]
        if values[table.key] is None:  # a parent that a LEFT JOIN did not find
            instances[table.path] = None
            continue
        converted = [
            _converted(value, found, connection) for value, found in zip(values, table.converters, strict=True)
        ]
        instances[table.path] = table.model.from_db(connection.alias, table.attnames, converted)
    for path, instance in instances.items():
        owner_path, _, name = path.rpartition("__")
        owner = instances[owner_path] if path else None
        if owner is not None:
            # As select_related: a parent not found is cached as None, its key kept as it was.
            type(owner)._meta.get_field(name).set_cached_value(owner, instance)
    return instances[""]


def _converted(value: Any, converters: list[Any], connection: Any) -> Any:
    for converter, expression in converters:
        value = converter(value, expression, connection)
    return value


def _column(connection: Any, model: type[models.Model], name: str) -> str:
    named = getattr(model._meta.get_field(name), "column", None)
    if not isinstance(named, str):
        raise ValueError(f"{model.__name__}.{name} is not a column")
    return str(connection.ops.quote_name(named))


@lru_cache(maxsize=64)
def _read(model: type[models.Model], parents: tuple[str, ...], connection: Any) -> _Read:
    """SELECT every column of the row and its parents, built once per connection from the models."""
    quote = connection.ops.quote_name
    tables: list[_Table] = []
    columns: list[str] = []
    joins: list[str] = []
    aliases = {"": "t0"}
    nullable = {"": False}  # whether a path's row may be missing: a nullable key on the way to it

    def add(table_model: type[models.Model], path: str) -> None:
        fields = list(table_model._meta.concrete_fields)
        converters = []
        for field in fields:
            expression = field.get_col(aliases[path])
            found = connection.ops.get_db_converters(expression) + expression.get_db_converters(connection)
            converters.append([(converter, expression) for converter in found])
        key = fields.index(table_model._meta.pk)
        tables.append(_Table(table_model, path, [field.attname for field in fields], converters, len(columns), key))
        columns.extend(f"{aliases[path]}.{quote(field.column)}" for field in fields)

    add(model, "")
    for path in parents:
        owner_path, _, name = path.rpartition("__")
        owner = next(table.model for table in tables if table.path == owner_path)
        link = owner._meta.get_field(name)
        parent = link.related_model
        if not (isinstance(link, models.ForeignKey) and isinstance(parent, type) and issubclass(parent, models.Model)):
            raise ValueError(f"{owner.__name__}.{name} is not a foreign key")
        aliases[path] = f"t{len(aliases)}"
        nullable[path] = link.null or nullable[owner_path]  # as select_related joins
        joins.append(
            f"{'LEFT OUTER JOIN' if nullable[path] else 'INNER JOIN'} {quote(parent._meta.db_table)} {aliases[path]} "
            f"ON {aliases[path]}.{quote(link.target_field.column)} = {aliases[owner_path]}.{quote(link.column)}"
        )
        add(parent, path)
    select = f"SELECT {', '.join(columns)} FROM {quote(model._meta.db_table)} t0 {' '.join(joins)}"  # noqa: S608 - the models' own names
    return _Read(select, tables)


@lru_cache(maxsize=64)
def _register_scope(model: type[models.Model], connection: Any, *, by_team: bool) -> str:
    """The scope of ``in_register_scope``: the organisation, not erased, and the scope's neighbourhoods."""
    from veerkracht.core.models import Neighbourhood, Team

    quote = connection.ops.quote_name
    area = Neighbourhood._meta
    covered = (
        f"SELECT n.{quote(area.pk.column)} FROM {quote(area.db_table)} n"  # noqa: S608 - the models' own names
        f" WHERE n.{_column(connection, Neighbourhood, 'organisation')} = %s"
    )
    if by_team:
        areas, members = Team.neighbourhoods.through, Team.members.through
        covered += (
            f" AND n.{quote(area.pk.column)} IN (SELECT a.{_column(connection, areas, 'neighbourhood')}"  # noqa: S608 - as above
            f" FROM {quote(areas._meta.db_table)} a JOIN {quote(members._meta.db_table)} m"
            f" ON m.{_column(connection, members, 'team')} = a.{_column(connection, areas, 'team')}"
            f" WHERE m.{_column(connection, members, 'user')} = %s)"
        )
    return (
        f"t0.{_column(connection, model, 'organisation')} = %s"
        f" AND t0.{_column(connection, model, 'erased_at')} IS NULL"
        f" AND t0.{_column(connection, model, 'neighbourhood')} IN ({covered})"
    )
