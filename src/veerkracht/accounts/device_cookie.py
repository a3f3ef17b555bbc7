"""Device cookies (OWASP's defence against lockout as a weapon; docs/adr/0016).

A browser that completed a sign-in gets a signed cookie naming the account and a random id. Failed
sign-ins from a browser with a valid cookie for that account count against the cookie only, so
five wrong passwords from elsewhere (which lock the account for every other browser) cannot lock
the worker out on their own phone; five wrong ones on the phone lock the phone.
"""

import secrets

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from veerkracht.core.models import User
from veerkracht.core.throttle import account_key

COOKIE = "vk_device"
_SALT = "veerkracht.accounts.device_cookie"
MAX_AGE_S = 180 * 24 * 3600  # half a year: a phone used every working week keeps its cookie


def trusted_device(request: HttpRequest | None, username: str) -> str | None:
    """The id of this browser's device cookie when it was issued to this account, else None."""
    if request is None or not username:
        return None
    value = request.get_signed_cookie(COOKIE, default=None, salt=_SALT, max_age=MAX_AGE_S)
    account, _sep, device = (value or "").partition(":")
    return device if device and account == account_key(username) else None


def remember_browser(response: HttpResponse, user: User) -> HttpResponse:
    """After a completed sign-in: a new device cookie for this account (a new id each time)."""
    response.set_signed_cookie(
        COOKIE,
        f"{account_key(user.username)}:{secrets.token_urlsafe(16)}",
        salt=_SALT,
        max_age=MAX_AGE_S,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
    return response
