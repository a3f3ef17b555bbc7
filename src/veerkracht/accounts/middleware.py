"""The signed-in user with their second factor, and two guards on every signed-in page request:
the second factor, and the idle timeout."""

import functools
import time
from collections.abc import Callable

from django.apps import apps
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user, logout
from django.contrib.auth.views import redirect_to_login
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.middleware import is_verified
from django_otp.models import Device

from veerkracht.accounts.policy import idle_timeout_applies, second_factor_required
from veerkracht.core.models import User

# The API authenticates with bearer tokens (which ask for the code themselves); static files and
# the health check carry no personal data.
_EXEMPT_PREFIXES = ("/api/", "/static/", "/healthz")
_SEEN_KEY = "accounts.seen"
_WRITE_SEEN_EVERY_S = 60  # a session write per minute at most, not per request


class VerifiedUserMiddleware:
    """django-otp's ``OTPMiddleware``, doing the same for fewer Python calls per request.

    - It gives ``request.user`` and ``user.otp_device`` as django-otp does: the device named in
      the session, if it still exists, belongs to the user and is confirmed; otherwise None, and
      the name leaves the session.
    - ``request.user`` is the user itself. django-otp wraps Django's lazy user in a second lazy
      object, so every read of an attribute passed through two proxies: about 800 calls a page.
      The next middleware asks whether the user is signed in anyway, so nothing is saved by
      waiting.
    - Whether the session's device still verifies it is one plain SELECT. Through the ORM
      (django-otp reads the whole device on every request) the same check cost about 1,400
      Python calls, a fifth of a cached page's work.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = get_user(request)
        user.otp_device = None  # type: ignore[union-attr]  # django-otp's attributes, on the anonymous user too
        user.is_verified = functools.partial(is_verified, user)  # type: ignore[union-attr]
        if user.is_authenticated:
            user.otp_device = _session_device(request, user)  # type: ignore[attr-defined]
        request.user = user
        return self.get_response(request)


def _session_device(request: HttpRequest, user: User) -> Device | None:
    """The device that verified this session, or None (and forgotten) when it no longer can.

    Whether it still can is one plain SELECT on every request; the device itself is read only
    if something asks for it (nothing on an ordinary page).
    """
    persistent_id = request.session.get(DEVICE_ID_SESSION_KEY)
    if not persistent_id:
        return None
    try:
        label, device_id = persistent_id.rsplit("/", 1)
        model, pk = apps.get_model(label), int(device_id)
    except (ValueError, LookupError):  # an id from an older version, or of a removed kind of device
        model = None
    if model is None or not issubclass(model, Device) or not _confirmed_for(model, pk, user):
        del request.session[DEVICE_ID_SESSION_KEY]
        return None
    return SimpleLazyObject(lambda: model._default_manager.get(pk=pk))  # reads as the device


def _confirmed_for(model: type[Device], pk: int, user: User) -> bool:
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT 1 FROM {table} WHERE id = %s AND user_id = %s AND confirmed",  # noqa: S608 - the model's own table
            [pk, user.pk],
        )
        return cursor.fetchone() is not None


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
