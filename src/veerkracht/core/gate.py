"""The one gate every page and API endpoint passes: the role's capability, else an audited 404."""

from django.http import Http404, HttpRequest

from veerkracht.core.access import Capability, can, request_user
from veerkracht.core.audit import audit_record
from veerkracht.core.models import AuditAction, AuditResult, User

# URL parameters that name a record: a refusal is logged against that record, so a resident's
# audit trail shows who tried to open their file without the right to.
RECORD_PARAMETERS = {"resident_id": "people.resident", "concern_id": "contacts.concern"}


def _refused_target(request: HttpRequest) -> tuple[str, str]:
    match = request.resolver_match
    if match is None:
        return "url", request.path[:40]
    for parameter, object_type in RECORD_PARAMETERS.items():
        if parameter in match.kwargs:
            return object_type, str(match.kwargs[parameter])
    return "url", match.view_name[:40]


def require_capability(request: HttpRequest, capability: Capability) -> User:
    """The signed-in user when their role has the capability; otherwise audit the refusal and 404."""
    user = request_user(request)
    if not can(user, capability):
        object_type, object_id = _refused_target(request)
        audit_record(
            action=AuditAction.ACCESS_DENIED,
            actor=user,
            result=AuditResult.DENIED,
            object_type=object_type,
            object_id=object_id,
        )
        raise Http404
    return user
