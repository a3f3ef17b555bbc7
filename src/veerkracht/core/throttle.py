"""Counting failed sign-ins per account and per address, so guessing passwords is slow.

The counts live in the shared cache and expire after the window, so an attacker cannot lock a
real user out for good. A browser that signed in to the account before (a device cookie,
``accounts/device_cookie.py``) keeps a count of its own instead, so failures from elsewhere do not
lock it out at all.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache


def account_key(username: str) -> str:
    """A short hash of the normalised username (no names in the cache or in cookies)."""
    return hashlib.sha256(username.strip().lower().encode()).hexdigest()[:32]


def _keys(username: str, ip: str | None, device: str | None = None) -> list[str]:
    if device:
        return [f"login-fail:device:{device}"]
    keys = [f"login-fail:account:{account_key(username)}"]
    if ip:
        keys.append(f"login-fail:ip:{ip}")
    return keys


def too_many_failures(username: str, ip: str | None, device: str | None = None) -> bool:
    """True while the account or the address (or, for a known browser, that browser) reached the limit."""
    counts = cache.get_many(_keys(username, ip, device))
    return any(count >= settings.LOGIN_FAILURE_LIMIT for count in counts.values())


def note_failure(username: str, ip: str | None, device: str | None = None) -> None:
    """Count one failed attempt for the account and for the address (for a known browser: for it alone)."""
    for key in _keys(username, ip, device):
        if cache.add(key, 1, timeout=settings.LOGIN_FAILURE_WINDOW_S):
            continue
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=settings.LOGIN_FAILURE_WINDOW_S)


def clear_failures(username: str, device: str | None = None) -> None:
    """Forget the failures counted for this sign-in after it succeeded (the address keeps its count).

    A success from a known browser clears that browser's count only: the lockout that failures
    from elsewhere earned stays in place for every other browser.
    """
    cache.delete(_keys(username, None, device)[0])


def over_rate(bucket: str, ip: str | None, *, limit: int, window_s: int) -> bool:
    """Count one request from the address in the bucket; True once it exceeds ``limit`` per window."""
    key = f"rate:{bucket}:{ip or 'unknown'}"
    if cache.add(key, 1, timeout=window_s):
        return False
    try:
        count = cache.incr(key)
    except ValueError:
        cache.set(key, 1, timeout=window_s)
        count = 1
    return count > limit
