"""Second factors with their secrets protected at rest (docs/adr/0016-second-factor-secrets-and-device-cookies.md).

Moves every django-otp TOTP device here with its secret encrypted (OTP_ENCRYPTION_KEYS), and every
static token here hashed; the old rows are deleted, so their tables are left empty. Sessions
verified with an old device end (users sign in again with the same app and codes).
"""

from binascii import unhexlify

import django.db.models.deletion
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import migrations, models

import veerkracht.accounts.models
from veerkracht.accounts import otp_keys

_DEVICE_FIELDS = (
    "user_id",
    "name",
    "confirmed",
    "throttling_failure_timestamp",
    "throttling_failure_count",
    "last_used_at",
)
_TOTP_FIELDS = ("step", "t0", "digits", "tolerance", "drift", "last_t")


def _copy(old, new_model, **extra):
    new = new_model.objects.create(**{field: getattr(old, field) for field in _DEVICE_FIELDS}, **extra)
    new_model.objects.filter(pk=new.pk).update(created_at=old.created_at)  # auto_now_add would set today
    return new


def protect_existing_secrets(apps, schema_editor):
    TOTPDevice = apps.get_model("otp_totp", "TOTPDevice")
    StaticDevice = apps.get_model("otp_static", "StaticDevice")
    StaticToken = apps.get_model("otp_static", "StaticToken")
    AuthenticatorApp = apps.get_model("accounts", "AuthenticatorApp")
    RecoveryCodes = apps.get_model("accounts", "RecoveryCodes")
    RecoveryCode = apps.get_model("accounts", "RecoveryCode")
    for old in TOTPDevice.objects.order_by("pk"):
        secret = otp_keys.encrypt(unhexlify(old.key.encode()))
        _copy(old, AuthenticatorApp, encrypted_key=secret, **{field: getattr(old, field) for field in _TOTP_FIELDS})
    TOTPDevice.objects.all().delete()
    for old in StaticDevice.objects.order_by("pk"):
        new = _copy(old, RecoveryCodes)
        tokens = StaticToken.objects.filter(device_id=old.pk).values_list("token", flat=True)
        RecoveryCode.objects.bulk_create(
            RecoveryCode(device_id=new.pk, hashed=make_password(token)) for token in tokens
        )
    StaticDevice.objects.all().delete()  # and their tokens


def restore_apps(apps, schema_editor):
    """Back to django-otp's TOTP devices; recovery codes cannot be unhashed, so users make new ones."""
    TOTPDevice = apps.get_model("otp_totp", "TOTPDevice")
    AuthenticatorApp = apps.get_model("accounts", "AuthenticatorApp")
    for new in AuthenticatorApp.objects.order_by("pk"):
        key = otp_keys.decrypt(new.encrypted_key).hex()
        _copy(new, TOTPDevice, key=key, **{field: getattr(new, field) for field in _TOTP_FIELDS})


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("otp_totp", "0003_add_timestamps"),
        ("otp_static", "0003_add_timestamps"),
    ]

    operations = [
        migrations.CreateModel(
            name="AuthenticatorApp",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("name", models.CharField(help_text="The human-readable name of this device.", max_length=64)),
                ("confirmed", models.BooleanField(default=True, help_text="Is this device ready for use?")),
                (
                    "throttling_failure_timestamp",
                    models.DateTimeField(
                        blank=True,
                        default=None,
                        help_text="A timestamp of the last failed verification attempt. Null if last attempt succeeded.",
                        null=True,
                    ),
                ),
                (
                    "throttling_failure_count",
                    models.PositiveIntegerField(default=0, help_text="Number of successive failed attempts."),
                ),
                (
                    "created_at",
                    models.DateTimeField(
                        auto_now_add=True,
                        help_text="The date and time when this device was initially created in the system.",
                        null=True,
                    ),
                ),
                (
                    "last_used_at",
                    models.DateTimeField(
                        blank=True, help_text="The most recent date and time this device was used.", null=True
                    ),
                ),
                ("encrypted_key", models.TextField(default=veerkracht.accounts.models.new_encrypted_secret)),
                ("step", models.PositiveSmallIntegerField(default=30)),
                ("t0", models.BigIntegerField(default=0)),
                ("digits", models.PositiveSmallIntegerField(default=6)),
                ("tolerance", models.PositiveSmallIntegerField(default=1)),
                ("drift", models.SmallIntegerField(default=0)),
                ("last_t", models.BigIntegerField(default=-1)),
                (
                    "user",
                    models.ForeignKey(
                        help_text="The user that this device belongs to.",
                        on_delete=django.db.models.deletion.CASCADE,
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "authenticator app",
                "verbose_name_plural": "authenticator apps",
                "abstract": False,
            },
        ),
        migrations.CreateModel(
            name="RecoveryCodes",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("name", models.CharField(help_text="The human-readable name of this device.", max_length=64)),
                ("confirmed", models.BooleanField(default=True, help_text="Is this device ready for use?")),
                (
                    "throttling_failure_timestamp",
                    models.DateTimeField(
                        blank=True,
                        default=None,
                        help_text="A timestamp of the last failed verification attempt. Null if last attempt succeeded.",
                        null=True,
                    ),
                ),
                (
                    "throttling_failure_count",
                    models.PositiveIntegerField(default=0, help_text="Number of successive failed attempts."),
                ),
                (
                    "created_at",
                    models.DateTimeField(
                        auto_now_add=True,
                        help_text="The date and time when this device was initially created in the system.",
                        null=True,
                    ),
                ),
                (
                    "last_used_at",
                    models.DateTimeField(
                        blank=True, help_text="The most recent date and time this device was used.", null=True
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        help_text="The user that this device belongs to.",
                        on_delete=django.db.models.deletion.CASCADE,
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "recovery codes",
                "verbose_name_plural": "recovery codes",
                "abstract": False,
            },
        ),
        migrations.CreateModel(
            name="RecoveryCode",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("hashed", models.CharField(max_length=128)),
                (
                    "device",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="codes", to="accounts.recoverycodes"
                    ),
                ),
            ],
            options={
                "verbose_name": "recovery code",
                "verbose_name_plural": "recovery codes",
            },
        ),
        migrations.RunPython(protect_existing_secrets, restore_apps),
    ]
