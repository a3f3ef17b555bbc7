"""The single writer of the audit log: every audited action goes through ``audit_record``."""

import hashlib
import json
import secrets
from datetime import datetime
from typing import NamedTuple

from django.db import connection
from django.http import HttpRequest
from django.utils import timezone

from veerkracht.core.models import AuditAction, AuditAddress, AuditEvent, AuditResult, Organisation, User

INSERT_BATCH = 500  # rows per INSERT: well within SQLite's limit on parameters


def client_ip(request: HttpRequest | None) -> str | None:
    """The caller's address as the server saw it (a trusted proxy sets REMOTE_ADDR)."""
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def address_digest(salt: str, ip: str) -> str:
    """What an event keeps of an IP address: SHA-256 over a per-address random salt and the address."""
    return hashlib.sha256(f"{salt}:{ip}".encode()).hexdigest()


def _address(request: HttpRequest | None, organisation_id: int | None) -> str:
    """Keep the caller's address apart (it expires and can be erased); the digest goes into the event."""
    ip = client_ip(request)
    if ip is None:
        return ""
    salt = secrets.token_hex(16)
    digest = address_digest(salt, ip)
    AuditAddress.objects.bulk_create(
        [AuditAddress(digest=digest, ip=ip, salt=salt, organisation_id=organisation_id, at=timezone.now())]
    )
    return digest


def audit_record(
    *,
    action: AuditAction,
    actor: User | None,
    result: AuditResult = AuditResult.SUCCESS,
    object_type: str = "",
    object_id: object = "",
    fields: list[str] | None = None,
    on_behalf_of: User | None = None,
    organisation: Organisation | None = None,
    request: HttpRequest | None = None,
) -> None:
    """Append one event: who did what to which object, with which result, from where.

    Only ids and field names are stored, never values, so erasing a resident leaves nothing
    personal behind in the log.
    """
    # The actor's organisation by its id: fetching the organisation itself would cost a query per read.
    organisation_id = organisation.pk if organisation is not None else (actor.organisation_id if actor else None)
    event = _Event(
        at=_now(),
        organisation_id=organisation_id,
        actor_id=actor.pk if actor else None,
        on_behalf_of_id=on_behalf_of.pk if on_behalf_of else None,
        action=str(action),
        object_type=object_type,
        object_id=str(object_id) if object_id != "" else "",
        fields=json.dumps(sorted(fields or [])),
        result=str(result),
        ip_digest=_address(request, organisation_id),
    )
    _append([event])


class _Event(NamedTuple):
    """One row of the audit log, in the order of ``COLUMNS``."""

    at: datetime | str | None  # the moment as the database's driver takes it (_now)
    organisation_id: int | None
    actor_id: int | None
    on_behalf_of_id: int | None
    action: str
    object_type: str
    object_id: str
    fields: str  # a JSON list of field names
    result: str
    ip_digest: str  # of the AuditAddress row (empty: no address) that holds the IP address


COLUMNS = ", ".join(_Event._fields)
SUCCESS = str(AuditResult.SUCCESS)


def _now() -> datetime | str | None:
    """Now, as the ORM would store it (SQLite keeps naive UTC text, PostgreSQL a timestamptz)."""
    return connection.ops.adapt_datetimefield_value(timezone.now())


def _append(events: list[_Event]) -> None:
    """A plain INSERT of the rows, without RETURNING: the log is append-only for everyone but
    readable per organisation.

    PostgreSQL checks a row that INSERT ... RETURNING hands back against the table's read policy
    (row-level security, ADR 12). Before a sign-in has set the organisation that policy shows
    nothing, so ``objects.create`` (which asks for the new id that way) would be refused for the
    application's own role. Nothing here needs the id back. The rows go in as values rather than
    model instances: a worklist audits fifty residents per page view, and building fifty models
    took a fifth of that page's time (docs/adr/0015-load-budget-and-page-caching.md).
    """
    table = connection.ops.quote_name(AuditEvent._meta.db_table)
    row = "(" + ", ".join(["%s"] * len(_Event._fields)) + ")"
    with connection.cursor() as cursor:
        for start in range(0, len(events), INSERT_BATCH):
            batch = events[start : start + INSERT_BATCH]
            values = ", ".join([row] * len(batch))
            cursor.execute(
                f"INSERT INTO {table} ({COLUMNS}) VALUES {values}",  # noqa: S608 - fixed names, values as parameters
                [value for event in batch for value in event],
            )


def audit_record_many(
    *,
    action: AuditAction,
    actor: User,
    object_type: str,
    object_ids: list[int],
    request: HttpRequest | None = None,
) -> None:
    """One event per object shown, in one insert: a list of residents is a read of each of them."""
    address = _address(request, actor.organisation_id)
    event = _Event(_now(), actor.organisation_id, actor.pk, None, str(action), object_type, "", "[]", SUCCESS, address)
    _append_for_objects(event, [str(object_id) for object_id in object_ids])


def _append_for_objects(event: _Event, object_ids: list[str]) -> None:
    """``event`` once for each object: the same values joined to a list of object ids.

    Fifty events written as fifty rows of ten parameters cost the database driver 500 values to
    quote, 6,000 Python calls, the most of any part of the worklist. The event's values are sent
    once and the ids as a one-column list; the database repeats the rest.
    """
    table = connection.ops.quote_name(AuditEvent._meta.db_table)
    shared = ["%s" if column != "object_id" else "v.column1" for column in _Event._fields]
    for start in range(0, len(object_ids), INSERT_BATCH):
        batch = object_ids[start : start + INSERT_BATCH]
        ids = ", ".join(["(%s)"] * len(batch))
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} ({COLUMNS}) SELECT {', '.join(shared)} FROM (VALUES {ids}) AS v",  # noqa: S608 - fixed names, values as parameters
                [
                    *(value for column, value in zip(_Event._fields, event, strict=True) if column != "object_id"),
                    *batch,
                ],
            )
