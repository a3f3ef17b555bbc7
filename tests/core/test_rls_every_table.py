"""Bound to organisation A, the application's database role finds no row of organisation B in any table.

Nor can it remove one; the public tables (places, activities, neighbourhoods) are read by anyone.

Organisation B is a whole demo city, plus one row made here of every kind of record the demo
does not make (``_fill``: registrations, outbound messages, idempotency records, task runs, second
factors, ...), so that every table of the registry holds rows of B; A is the permission tests'
cast. The rows of B are listed while working for every organisation, then every table of the
registry (``core.dbroles``) is read with A set.
"""

import uuid
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.apps import apps
from django.db import DatabaseError, connection, models, transaction
from django.utils import timezone

from tests.conftest import Cast
from veerkracht.core.dbroles import AUDIT_TABLES, ISOLATED
from veerkracht.core.tenancy import organisation_context
from veerkracht.demo.services import demo_city_build

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="row-level security is a PostgreSQL feature; on SQLite the application's scoping is the only isolation",
)


def _model(table: str) -> type[models.Model]:
    return next(m for m in apps.get_models(include_auto_created=True) if m._meta.db_table == table)


def _pk(table: str) -> str:
    return str(_model(table)._meta.pk.column)


def _ids(table: str, where: str = "true") -> set[Any]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {_pk(table)} FROM {table} WHERE {where}")  # noqa: S608 - names from the registry
        return {row[0] for row in cursor.fetchall()}


def _value(field: models.Field[Any, Any]) -> Any:
    if field.choices:
        return field.choices[0][0]
    simple: list[tuple[type[models.Field[Any, Any]], Any]] = [
        (models.EmailField, "b@example.org"),
        (models.GenericIPAddressField, "192.0.2.1"),
        (models.UUIDField, uuid.uuid4()),
        (models.JSONField, {}),
        (models.BinaryField, b""),
        (models.BooleanField, False),
        (models.DateTimeField, timezone.now()),
        (models.DateField, timezone.localdate() + timedelta(days=1)),
        (models.DurationField, timedelta(minutes=5)),
        (models.DecimalField, Decimal(1)),
        (models.FloatField, 1.0),
        (models.IntegerField, 1),
        (models.CharField, f"b-{uuid.uuid4().hex[:8]}"),
        (models.TextField, "b"),
    ]
    return next(value for kind, value in simple if isinstance(field, kind))


# Values the generic filler cannot guess (a constraint across fields, an organisation in a text).
SPECIAL: dict[str, Any] = {
    "messaging_recipient": lambda of_b: {"left_out_reason": ""},
    "core_idempotencyrecord": lambda of_b: {"scope": f"user:{min(of_b['core_user'])}"},
    "core_registeredaddress": lambda of_b: {"postcode": "9999ZZ", "house_letter": "", "addition": "", "suffix": ""},
    "onboarding_invitation": lambda of_b: {"job_title": ""},
    "onboarding_residentinvitation": lambda of_b: {"language": "nl"},
}


def _row_of_b(table: str, of_b: dict[str, set[Any]], organisation_id: int) -> bool:
    """One row of ``table`` for B, its foreign keys pointing at rows of B (any kind of record)."""
    model, values = _model(table), {}
    for field in model._meta.concrete_fields:
        if field.primary_key or (not field.is_relation and (field.has_default() or field.null)):
            continue
        if field.is_relation:
            related: Any = field.related_model
            parent = related._meta.db_table
            if parent == "core_organisation":
                values[field.attname] = organisation_id
            elif of_b.get(parent):
                values[field.attname] = sorted(of_b[parent])[0]
            elif parent in of_b:
                return False  # its parent first
            else:  # a global table (auth_group, auth_permission)
                values[field.attname] = (related.objects.first() or related.objects.create(name="rls-probe")).pk
        else:
            values[field.attname] = _value(field)
    values |= SPECIAL.get(table, lambda of_b: {})(of_b)
    try:
        with transaction.atomic():
            model._default_manager.bulk_create([model(**values)])
    except DatabaseError:
        return False
    return True


def _fill(organisation_id: int) -> dict[str, set[Any]]:
    """Rows of B in every table: the demo city's, and one made here for each kind it does not make."""
    of_b: dict[str, set[Any]] = {}
    for _round in range(4):  # parents before children
        for entry in ISOLATED:
            of_b[entry.table] = _ids(entry.table, f"{entry.organisation()} = {organisation_id}")
            if not of_b[entry.table] and _row_of_b(entry.table, of_b, organisation_id):
                of_b[entry.table] = _ids(entry.table, f"{entry.organisation()} = {organisation_id}")
    return of_b


@pytest.fixture
def rows_of_b(cast: Cast) -> dict[str, set[Any]]:
    return _fill(demo_city_build(residents=200, seed=5).organisation_id)


def test_bound_to_a_no_table_shows_a_row_of_b(cast: Cast, rows_of_b: dict[str, set[Any]]):
    of_b = rows_of_b
    empty = sorted(table for table, ids in of_b.items() if not ids)
    assert not empty, f"no rows of B could be made in {empty}: make them in _fill"
    public = {entry.table for entry in ISOLATED if entry.public_read}
    with organisation_context(cast.organisation.pk):
        seen = {table: _ids(table) & ids for table, ids in of_b.items() if table not in public}
        assert _ids("people_resident")  # A's own rows are there
        changed = {table: _touch(table, ids) for table, ids in of_b.items() if table not in AUDIT_TABLES}
    assert not {table: sorted(ids) for table, ids in seen.items() if ids}
    assert not {table: count for table, count in changed.items() if count}


def _touch(table: str, ids: set[Any]) -> int:
    """How many of B's rows a DELETE bound to A reaches (none; undone either way)."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE {_pk(table)} = ANY(%s)", [sorted(ids)])  # noqa: S608
        count = cursor.rowcount
        transaction.set_rollback(True)
    return int(count)
