"""Encrypting the authenticator apps' secrets at rest (docs/adr/0016-second-factor-secrets-and-device-cookies.md).

The keys come from ``OTP_ENCRYPTION_KEYS`` (settings): the first encrypts, every one decrypts, so a
new key is put first and ``veerkracht otp_key_rotate`` re-encrypts every secret with it before the
old key is dropped. A copy of the database alone (a backup, a dump, the application's database
role) does not give the secrets that would let someone make codes.
"""

from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

__all__ = ["InvalidToken", "decrypt", "encrypt", "new_key", "rotate"]


@lru_cache(maxsize=4)
def _keys(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(key.encode()) for key in keys])


def _current() -> MultiFernet:
    keys = tuple(settings.OTP_ENCRYPTION_KEYS)
    if not keys:
        raise ImproperlyConfigured("OTP_ENCRYPTION_KEYS must be set to encrypt authenticator-app secrets")
    return _keys(keys)


def encrypt(secret: bytes) -> str:
    """The secret encrypted (and authenticated) with the first key."""
    return _current().encrypt(secret).decode()


def decrypt(stored: str) -> bytes:
    """The secret; ``InvalidToken`` when no configured key opens it (or it was altered)."""
    return _current().decrypt(stored.encode())


def rotate(stored: str) -> str:
    """The same secret, encrypted with the first key."""
    return _current().rotate(stored.encode()).decode()


def new_key() -> str:
    """A fresh key for ``OTP_ENCRYPTION_KEYS``."""
    return Fernet.generate_key().decode()
