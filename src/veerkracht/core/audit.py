"""The single writer of the audit log: every audited action goes through ``audit_record``.

Where an action came from (the request's id, the caller's address) is read from the origin that
middleware sets per request (core/origin.py), not passed in: services take the acting user only.
"""

import hashlib
import secrets

from django.utils import timezone

from veerkracht.core.db import insert_copies_without_returning, insert_without_returning
from veerkracht.core.models import AuditAction, AuditAddress, AuditEvent, AuditResult, Organisation, User
from veerkracht.core.origin import Origin, current_origin

__all__ = ["address_digest", "audit_record", "audit_record_each", "audit_record_many"]


def address_digest(salt: str, ip: str) -> str:
    """What an event keeps of an IP address: SHA-256 over a per-address random salt and the address."""
    return hashlib.sha256(f"{salt}:{ip}".encode()).hexdigest()


def _address(origin: Origin | None, organisation_id: int | None) -> str:
    """Keep the caller's address apart (it expires and can be erased); the digest goes into the event."""
    ip = origin.client_ip if origin is not None else None
    if ip is None:
        return ""
    salt = secrets.token_hex(16)
    digest = address_digest(salt, ip)
    # One INSERT, as the event's: bulk_create wraps its single row in a transaction of its own
    # (two more statements on every audited page).
    insert_without_returning(
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
) -> None:
    """Append one event: who did what to which object, with which result, from where (the origin).

    Only ids and field names are stored, never values, so erasing a resident leaves nothing
    personal behind in the log.
    """
    # The actor's organisation by its id: fetching the organisation itself would cost a query per read.
    organisation_id = organisation.pk if organisation is not None else (actor.organisation_id if actor else None)
    origin = current_origin()
    event = AuditEvent(
        organisation_id=organisation_id,
        actor_id=actor.pk if actor else None,
        on_behalf_of_id=on_behalf_of.pk if on_behalf_of else None,
        action=str(action),
        object_type=object_type,
        object_id=str(object_id) if object_id != "" else "",
        fields=sorted(fields or []),
        result=str(result),
        ip_digest=_address(origin, organisation_id),
        request_id=origin.request_id if origin is not None else "",
    )
    # Appended without asking for the new id: the log is append-only for everyone but readable
    # per organisation (row-level security), see core/db.py.
    insert_without_returning([event])


def audit_record_many(
    *,
    action: AuditAction,
    actor: User,
    object_type: str,
    object_ids: list[int],
) -> None:
    """One event per object shown, in one insert: a list of residents is a read of each of them."""
    origin = current_origin()
    address = _address(origin, actor.organisation_id)
    event = AuditEvent(
        organisation_id=actor.organisation_id,
        actor_id=actor.pk,
        action=str(action),
        object_type=object_type,
        result=str(AuditResult.SUCCESS),
        ip_digest=address,
        request_id=origin.request_id if origin is not None else "",
    )
    insert_copies_without_returning(event, "object_id", [str(object_id) for object_id in object_ids])


def audit_record_each(
    *,
    action: AuditAction,
    actor: User | None,
    organisation: Organisation,
    object_type: str,
    object_ids: list[int],
    fields: list[str],
) -> None:
    """One event per object, in one insert: the same act on many objects (an import's new rows)."""
    event = AuditEvent(
        organisation_id=organisation.pk,
        actor_id=actor.pk if actor else None,
        action=str(action),
        object_type=object_type,
        fields=sorted(fields),
        result=str(AuditResult.SUCCESS),
    )
    insert_copies_without_returning(event, "object_id", [str(object_id) for object_id in object_ids])
