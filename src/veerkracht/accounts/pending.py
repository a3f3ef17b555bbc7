"""A sign-in that passed the password but still owes its second factor.

The user is not signed in (``request.user`` stays anonymous) until the second step succeeds, so
no page can be reached with the password alone. The half-finished sign-in lives in the session
for a few minutes only.
"""

import time

from django.conf import settings
from django.contrib.auth import login
from django.http import HttpRequest
from django_otp.models import Device

from veerkracht.core.models import User

_KEY = "accounts.pending"
PENDING_FOR_S = 5 * 60


def pending_begin(request: HttpRequest, user: User, next_url: str) -> None:
    """Remember that the user gave a good password; the second step must follow within minutes."""
    request.session[_KEY] = {"user_id": user.pk, "since": time.time(), "next": next_url}


def pending_user(request: HttpRequest) -> User | None:
    """The user half-way through signing in, or None when there is none or it took too long."""
    pending = request.session.get(_KEY)
    if not pending or time.time() - pending["since"] > PENDING_FOR_S:
        return None
    return User.objects.filter(pk=pending["user_id"], is_active=True).first()


def pending_next(request: HttpRequest) -> str:
    """Where the user wanted to go before signing in."""
    pending = request.session.get(_KEY) or {}
    return str(pending.get("next") or "")


def pending_finish(request: HttpRequest, user: User, device: Device) -> None:
    """Sign the user in, verified with the device (django-otp records it in the session)."""
    request.session.pop(_KEY, None)
    user.otp_device = device  # type: ignore[attr-defined]  # django-otp's login signal picks it up
    login(request, user, backend=settings.AUTHENTICATION_BACKENDS[0])
