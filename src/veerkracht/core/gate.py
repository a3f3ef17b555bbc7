"""The one gate every page and API endpoint passes: the role's capability, else an audited 404."""

from django.http import Http404, HttpRequest

from veerkracht.core.access import Capability, can, request_user
from veerkracht.core.audit import audit_record
from veerkracht.core.models import AuditAction, AuditResult, User


def require_capability(request: HttpRequest, capability: Capability) -> User:
    """The signed-in user when their role has the capability; otherwise audit the refusal and 404."""
    user = request_user(request)
    if not can(user, capability):
        view_name = request.resolver_match.view_name if request.resolver_match else request.path
        audit_record(
            action=AuditAction.ACCESS_DENIED,
            actor=user,
            result=AuditResult.DENIED,
            object_type="url",
            object_id=view_name[:40],
            request=request,
        )
        raise Http404
    return user
