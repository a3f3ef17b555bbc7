"""``veerkracht otp_key_rotate``: re-encrypt every authenticator app's secret with the first of OTP_ENCRYPTION_KEYS.

Rotating a key: put a new key first in ``OTP_ENCRYPTION_KEYS`` (keep the old one after it), restart,
run this command, then drop the old key. ``--new-key`` prints a fresh key and changes nothing.
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from veerkracht.accounts import otp_keys
from veerkracht.accounts.models import AuthenticatorApp


class Command(BaseCommand):
    help = "Re-encrypt every authenticator app's secret with the first key of OTP_ENCRYPTION_KEYS."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--new-key", action="store_true", help="Only print a fresh key for OTP_ENCRYPTION_KEYS.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["new_key"]:
            self.stdout.write(otp_keys.new_key())
            return
        rotated = 0
        with transaction.atomic():
            for app in AuthenticatorApp.objects.select_for_update().only("pk", "encrypted_key").order_by("pk"):
                try:
                    encrypted = otp_keys.rotate(app.encrypted_key)
                except otp_keys.InvalidToken:
                    raise CommandError(
                        f"authenticator app {app.pk}: no key in OTP_ENCRYPTION_KEYS opens its secret; nothing changed"
                    ) from None
                AuthenticatorApp.objects.filter(pk=app.pk).update(encrypted_key=encrypted)
                rotated += 1
        self.stdout.write(f"{rotated} secret(s) encrypted with the first key.")
