"""The view-side gate of the access policy: sign-in first, then the role's capability, else 404."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse

from veerkracht.core.access import Capability, can, request_user
from veerkracht.core.audit import audit_record
from veerkracht.core.models import AuditAction, AuditResult

View = Callable[..., HttpResponse]


def capability_required(capability: Capability) -> Callable[[View], View]:
    """Send anonymous users to the login page; answer 404 (and audit it) to users without the capability."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            user = request_user(request)
            if not can(user, capability):
                audit_record(
                    action=AuditAction.ACCESS_DENIED,
                    actor=user,
                    result=AuditResult.DENIED,
                    object_type="url",
                    object_id=(request.resolver_match.view_name if request.resolver_match else "")[:40],
                    request=request,
                )
                raise Http404
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
