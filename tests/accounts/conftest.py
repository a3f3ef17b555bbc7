"""Helpers for the sign-in tests: a code from a TOTP device, as the user's phone would show it."""

import pytest
from django_otp.oath import totp

from veerkracht.accounts.models import AuthenticatorApp


def code_of(device: AuthenticatorApp) -> str:
    device.refresh_from_db()
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


@pytest.fixture
def enforced(settings):
    """Production's rule: coordinators, professionals and the privacy officer must use a second factor."""
    settings.TWO_FACTOR_REQUIRED = True
    return settings
