"""Issue 20: recovery codes are stored hashed, the apps' secrets encrypted with a key from the environment."""

import importlib
from base64 import b32encode

import pytest
from cryptography.fernet import Fernet, InvalidToken
from django.apps import apps
from django.contrib.auth.hashers import check_password
from django.core.management import call_command
from django.db import connection
from django_otp import match_token
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.accounts.conftest import code_of
from tests.conftest import Cast
from veerkracht.accounts.models import AuthenticatorApp, RecoveryCode, RecoveryCodes
from veerkracht.accounts.services import recovery_codes_renew


def _all_text(table: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608 - a fixed table name
        return repr(cursor.fetchall()).lower()


def test_recovery_codes_are_stored_hashed(cast: Cast):
    AuthenticatorApp.objects.create(user=cast.coordinator, name="app", confirmed=True)
    codes = recovery_codes_renew(user=cast.coordinator)
    stored = _all_text(RecoveryCode._meta.db_table)
    assert not any(code in stored for code in codes)
    hashes = list(RecoveryCode.objects.values_list("hashed", flat=True))
    assert all(any(check_password(code, hashed) for hashed in hashes) for code in codes)
    assert not StaticToken.objects.exists()
    assert match_token(cast.coordinator, codes[3]) is not None
    assert match_token(cast.coordinator, codes[3]) is None  # once only
    assert RecoveryCode.objects.count() == len(codes) - 1


def test_an_app_code_is_not_hashed_against_the_recovery_codes(cast: Cast):
    codes = RecoveryCodes.objects.create(user=cast.coordinator, name="codes")
    codes.replace_codes(["abcdefgh"])
    assert not codes.verify_token("123456")
    codes.refresh_from_db()
    assert codes.throttling_failure_count == 0  # nothing was compared, so nothing counted against the user


def test_the_app_secret_is_encrypted_with_the_first_key(cast: Cast, settings):
    app = AuthenticatorApp.objects.create(user=cast.professional, name="app", confirmed=True)
    secret = app.bin_key
    assert len(secret) == 20
    stored = _all_text(AuthenticatorApp._meta.db_table)
    assert secret.hex() not in stored
    assert b32encode(secret).decode().lower().rstrip("=") not in stored
    assert Fernet(settings.OTP_ENCRYPTION_KEYS[0].encode()).decrypt(app.encrypted_key.encode()) == secret
    settings.OTP_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]  # the database without its key
    with pytest.raises(InvalidToken):
        AuthenticatorApp.objects.get(pk=app.pk).bin_key  # noqa: B018


def test_rotating_re_encrypts_every_secret_with_the_new_key(cast: Cast, settings):
    old_key = settings.OTP_ENCRYPTION_KEYS[0]
    apps_before = {
        app.pk: app.bin_key
        for app in (
            AuthenticatorApp.objects.create(user=user, name="app", confirmed=True)
            for user in (cast.coordinator, cast.professional)
        )
    }
    new_key = Fernet.generate_key().decode()
    settings.OTP_ENCRYPTION_KEYS = [new_key, old_key]
    call_command("otp_key_rotate", verbosity=0)
    settings.OTP_ENCRYPTION_KEYS = [new_key]  # the old key is gone
    for app in AuthenticatorApp.objects.all():
        assert app.bin_key == apps_before[app.pk]
        assert Fernet(new_key.encode()).decrypt(app.encrypted_key.encode()) == apps_before[app.pk]
    device = AuthenticatorApp.objects.get(user=cast.coordinator)
    assert device.verify_token(code_of(device))


def test_rotating_without_the_old_key_changes_nothing(cast: Cast, settings):
    from django.core.management.base import CommandError

    app = AuthenticatorApp.objects.create(user=cast.coordinator, name="app", confirmed=True)
    settings.OTP_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    with pytest.raises(CommandError, match="no key in OTP_ENCRYPTION_KEYS opens"):
        call_command("otp_key_rotate", verbosity=0)
    assert AuthenticatorApp.objects.get(pk=app.pk).encrypted_key == app.encrypted_key


def test_the_migration_moves_existing_devices_and_protects_their_secrets(cast: Cast):
    """Devices made before the change (django-otp's plain tables) keep working after the data migration."""
    migration = importlib.import_module("veerkracht.accounts.migrations.0001_second_factor_secrets_at_rest")
    old_app = TOTPDevice.objects.create(user=cast.coordinator, name="telefoon", confirmed=True, last_t=5)
    old_codes = StaticDevice.objects.create(user=cast.coordinator, name="recovery codes")
    StaticToken.objects.create(device=old_codes, token="abcdefgh")
    StaticToken.objects.create(device=old_codes, token="ijklmnop")
    migration.protect_existing_secrets(apps, None)
    assert not TOTPDevice.objects.exists()
    assert not StaticDevice.objects.exists()
    assert not StaticToken.objects.exists()
    app = AuthenticatorApp.objects.get(user=cast.coordinator)
    assert (app.name, app.confirmed, app.last_t) == ("telefoon", True, 5)
    assert app.bin_key == bytes.fromhex(old_app.key)
    assert old_app.key not in _all_text(AuthenticatorApp._meta.db_table)
    assert "abcdefgh" not in _all_text(RecoveryCode._meta.db_table)
    assert match_token(cast.coordinator, code_of(app)) is not None
    assert match_token(cast.coordinator, "ijklmnop") is not None
