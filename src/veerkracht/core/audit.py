"""The single writer of the audit log: every audited action goes through ``audit_record``."""

from django.http import HttpRequest
from django.utils import timezone

from veerkracht.core.models import AuditAction, AuditEvent, AuditResult, Organisation, User


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
) -> AuditEvent:
    """Append one event: who did what to which object, with which result, from where.

    Only ids and field names are stored, never values, so erasing a resident leaves nothing
    personal behind in the log.
    """
    # The actor's organisation by its id: fetching the organisation itself would cost a query per read.
    organisation_id = organisation.pk if organisation is not None else (actor.organisation_id if actor else None)
    return AuditEvent.objects.create(
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
    AuditEvent.objects.bulk_create(
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
    )
