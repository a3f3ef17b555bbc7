"""The view-side gate of the access policy: sign-in first, then the role's capability, else 404."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse

from veerkracht.core.access import Capability, can
from veerkracht.core.gate import require_capability

View = Callable[..., HttpResponse]


def capability_required(capability: Capability) -> Callable[[View], View]:
    """Send anonymous users to the login page; answer 404 (and audit it) to users without the capability."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            require_capability(request, capability)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def any_capability_required(*capabilities: Capability) -> Callable[[View], View]:
    """Like ``capability_required``, for a page that several roles use in their own way."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not any(can(request.user, capability) for capability in capabilities):
                require_capability(request, capabilities[0])  # audits the refusal and answers 404
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
