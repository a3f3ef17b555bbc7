"""The single writer of the audit log: every audited action goes through ``audit_record``."""

from django.http import HttpRequest
from django.utils import timezone

from veerkracht.core.models import AuditAction, AuditEvent, AuditResult, Organisation, User

INSERT_BATCH = 500  # rows per INSERT: well within SQLite's limit on parameters


def client_ip(request: HttpRequest | None) -> str | None:
    """The caller's address as the server saw it (a trusted proxy sets REMOTE_ADDR)."""
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


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
    _append(
        [
            AuditEvent(
                action=action,
                actor=actor,
                on_behalf_of=on_behalf_of,
                organisation_id=organisation_id,
                result=result,
                object_type=object_type,
                object_id=str(object_id) if object_id != "" else "",
                fields=sorted(fields or []),
                ip=client_ip(request),
            )
        ]
    )


def _append(events: list[AuditEvent]) -> None:
    """INSERT without RETURNING: the log is append-only for everyone but readable per organisation.

    PostgreSQL checks a row that INSERT ... RETURNING hands back against the table's read policy
    (row-level security, ADR 12). Before a sign-in has set the organisation that policy shows
    nothing, so ``objects.create`` (which asks for the new id that way) would be refused for the
    application's own role. Nothing here needs the id back.
    """
    fields = [field for field in AuditEvent._meta.local_concrete_fields if not field.primary_key]
    for start in range(0, len(events), INSERT_BATCH):
        AuditEvent._base_manager._insert(  # type: ignore[attr-defined]
            events[start : start + INSERT_BATCH], fields=fields, returning_fields=None
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
    now = timezone.now()
    ip = client_ip(request)
    _append(
        [
            AuditEvent(
                at=now,
                action=action,
                actor=actor,
                organisation_id=actor.organisation_id,
                result=AuditResult.SUCCESS,
                object_type=object_type,
                object_id=str(object_id),
                ip=ip,
            )
            for object_id in object_ids
        ]
    )
