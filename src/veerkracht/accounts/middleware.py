"""The signed-in user without its lazy proxies, and two guards on every signed-in page request:
the second factor, and the idle timeout.

django-otp's own ``OTPMiddleware`` (before these) gives ``request.user`` its ``otp_device``.
"""

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from veerkracht.core.account_policy import idle_timeout_applies, second_factor_required
from veerkracht.core.models import User

# The API authenticates with bearer tokens (which ask for the code themselves); static files and
# the health check carry no personal data.
_EXEMPT_PREFIXES = ("/api/", "/static/", "/healthz")
_SEEN_KEY = "accounts.seen"
_WRITE_SEEN_EVERY_S = 60  # a session write per minute at most, not per request


class ResolvedUserMiddleware:
    """``request.user`` as the signed-in user itself, once Django and django-otp have resolved it.

    Django's authentication middleware puts a lazy proxy round the user and django-otp's a second
    one round that, so every attribute read on a page passes two proxies. Both are resolved here,
    before the tenancy middleware, which needs the user anyway; what django-otp set (the device,
    ``is_verified``) is on the user itself. An anonymous request keeps its proxies.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if isinstance(user, User):  # a proxy answers isinstance for what it holds
            request.user = user.resolved()
        return self.get_response(request)


def _guarded_user(request: HttpRequest) -> User | None:
    user = getattr(request, "user", None)
    if not isinstance(user, User) or request.path.startswith(_EXEMPT_PREFIXES):
        return None
    return user


def _verified(user: User) -> bool:
    """Whether django-otp's middleware found a verified device in this session."""
    is_verified = getattr(user, "is_verified", None)
    return bool(is_verified and is_verified())


class SecondFactorMiddleware:
    """A session of a role that must use a second factor but was not verified with one is ended.

    The sign-in view never creates such a session; this catches any other way in (a session from
    before the setting was switched on, a device removed by an administrator).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = _guarded_user(request)
        if user is not None and second_factor_required(user) and not _verified(user):
            logout(request)
            return redirect_to_login(request.get_full_path())
        return self.get_response(request)


class IdleTimeoutMiddleware:
    """Professionals' sessions end after ``SESSION_IDLE_TIMEOUT_S`` without a request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = _guarded_user(request)
        if user is None or not idle_timeout_applies(user):
            return self.get_response(request)
        now = time.time()
        seen = request.session.get(_SEEN_KEY, now)
        if now - seen > settings.SESSION_IDLE_TIMEOUT_S:
            logout(request)
            messages.info(request, _("You were signed out after a while without activity. Sign in again."))
            return redirect_to_login(request.get_full_path())
        if now - seen >= _WRITE_SEEN_EVERY_S or _SEEN_KEY not in request.session:
            request.session[_SEEN_KEY] = now
        return self.get_response(request)
