"""The second factors: an authenticator app whose secret is encrypted at rest, and hashed recovery codes.

Both are django-otp devices (its documented extension points: a ``Device`` subclass with its own
``verify_token``, throttled by ``ThrottlingMixin``), so ``match_token``, ``user_has_device`` and the
session's verified device work as for django-otp's own TOTP and static devices, whose tables
stay empty (migration 0001 moved their rows here).
"""

import os
import re
import time
from base64 import b32encode
from urllib.parse import quote, urlencode

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device, ThrottlingMixin, TimestampMixin
from django_otp.oath import TOTP

from veerkracht.accounts import otp_keys

SECRET_BYTES = 20  # as django-otp's TOTP devices: 160 bits, the size RFC 4226 recommends
_RECOVERY_CODE = re.compile(r"[a-z2-7]{8}")  # the form recovery_code_new() makes


def new_encrypted_secret() -> str:
    """A fresh random secret, encrypted (the default of ``AuthenticatorApp.encrypted_key``)."""
    return otp_keys.encrypt(os.urandom(SECRET_BYTES))


class AuthenticatorApp(TimestampMixin, ThrottlingMixin, Device):  # type: ignore[misc]
    """A TOTP authenticator app (RFC 6238, 6 digits every 30 seconds); its secret is stored encrypted."""

    encrypted_key: "models.TextField[str, str]" = models.TextField(default=new_encrypted_secret)
    step: "models.PositiveSmallIntegerField[int, int]" = models.PositiveSmallIntegerField(default=30)
    t0: "models.BigIntegerField[int, int]" = models.BigIntegerField(default=0)
    digits: "models.PositiveSmallIntegerField[int, int]" = models.PositiveSmallIntegerField(default=6)
    tolerance: "models.PositiveSmallIntegerField[int, int]" = models.PositiveSmallIntegerField(default=1)
    drift: "models.SmallIntegerField[int, int]" = models.SmallIntegerField(default=0)
    # The time step of the last code used: no code works twice.
    last_t: "models.BigIntegerField[int, int]" = models.BigIntegerField(default=-1)

    class Meta(Device.Meta):  # type: ignore[misc]
        verbose_name = _("authenticator app")
        verbose_name_plural = _("authenticator apps")

    @property
    def bin_key(self) -> bytes:
        """The secret, decrypted (only to check a code or to show it while the app is being set up)."""
        return otp_keys.decrypt(self.encrypted_key)

    def get_throttle_factor(self) -> int:
        return int(getattr(settings, "OTP_TOTP_THROTTLE_FACTOR", 1))

    def verify_token(self, token: object) -> bool:
        """As django-otp's TOTP device: a code of this step (or one either side), never one used before."""
        if not self.verify_is_allowed()[0]:
            return False
        try:
            code = int(str(token))
        except ValueError:
            verified = False
        else:
            totp = TOTP(self.bin_key, self.step, self.t0, self.digits, self.drift)
            totp.time = time.time()
            verified = totp.verify(code, self.tolerance, self.last_t + 1)
            if verified:
                self.last_t = totp.t()
                self.drift = totp.drift
                self.throttle_reset(commit=False)
                self.set_last_used_timestamp(commit=False)
                self.save()
        if not verified:
            self.throttle_increment(commit=True)
        return bool(verified)

    @property
    def config_url(self) -> str:
        """The otpauth:// address an authenticator app reads from the QR code."""
        issuer = str(getattr(settings, "OTP_TOTP_ISSUER", "")).replace(":", "")
        label = f"{issuer}:{self.user.get_username()}" if issuer else self.user.get_username()
        params = {"secret": b32encode(self.bin_key), "algorithm": "SHA1", "digits": self.digits, "period": self.step}
        query = urlencode(params) + (f"&issuer={quote(issuer)}" if issuer else "")
        return f"otpauth://totp/{quote(label)}?{query}"


def recovery_code_new() -> str:
    """A random recovery code: eight letters and digits (40 bits), as django-otp's static tokens."""
    return b32encode(os.urandom(5)).decode().lower()


class RecoveryCodes(TimestampMixin, ThrottlingMixin, Device):  # type: ignore[misc]
    """The user's recovery codes: each works once, and only its hash is stored (as a password's)."""

    class Meta(Device.Meta):  # type: ignore[misc]
        verbose_name = _("recovery codes")
        verbose_name_plural = _("recovery codes")

    def __str__(self) -> str:
        return f"recovery code {self.pk} of device {self.device_id}"

    def get_throttle_factor(self) -> int:
        return int(getattr(settings, "OTP_STATIC_THROTTLE_FACTOR", 1))

    def replace_codes(self, codes: list[str]) -> None:
        """Store these codes (hashed) in place of the old ones."""
        self.codes.all().delete()
        RecoveryCode.objects.bulk_create(RecoveryCode(device=self, hashed=make_password(code)) for code in codes)

    def verify_token(self, token: object) -> bool:
        """Use up the matching code. A six-digit app code is not a recovery code: it is not hashed against them."""
        code = str(token).strip().lower()
        if not _RECOVERY_CODE.fullmatch(code) or not self.verify_is_allowed()[0]:
            return False
        match = next((stored for stored in self.codes.all() if check_password(code, stored.hashed)), None)
        if match is None:
            self.throttle_increment(commit=True)
            return False
        match.delete()
        self.throttle_reset(commit=False)
        self.set_last_used_timestamp(commit=False)
        self.save()
        return True


class RecoveryCode(models.Model):
    """One unused recovery code, hashed with the password hasher."""

    device = models.ForeignKey(RecoveryCodes, on_delete=models.CASCADE, related_name="codes")
    hashed = models.CharField(max_length=128)

    class Meta:
        verbose_name = _("recovery code")
        verbose_name_plural = _("recovery codes")

    def __str__(self) -> str:
        return f"recovery code {self.pk} of device {self.device_id}"
