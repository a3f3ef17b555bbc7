"""Counting failed sign-ins per account and per address, so guessing passwords is slow.

The counts live in the shared cache and expire after the window, so an attacker cannot lock a
real user out for good.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache


def _keys(username: str, ip: str | None) -> list[str]:
    account = hashlib.sha256(username.strip().lower().encode()).hexdigest()[:32]
    keys = [f"login-fail:account:{account}"]
    if ip:
        keys.append(f"login-fail:ip:{ip}")
    return keys


def too_many_failures(username: str, ip: str | None) -> bool:
    """True while the account or the address has reached the limit within the window."""
    counts = cache.get_many(_keys(username, ip))
    return any(count >= settings.LOGIN_FAILURE_LIMIT for count in counts.values())


def note_failure(username: str, ip: str | None) -> None:
    """Count one failed attempt for the account and for the address."""
    for key in _keys(username, ip):
        if cache.add(key, 1, timeout=settings.LOGIN_FAILURE_WINDOW_S):
            continue
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=settings.LOGIN_FAILURE_WINDOW_S)


def clear_failures(username: str) -> None:
    """Forget the account's failures after a successful sign-in (the address keeps its count)."""
    cache.delete(_keys(username, None)[0])


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
