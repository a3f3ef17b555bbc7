"""``veerkracht disable_user USERNAME``: an account that must stop working now (a leaver, a lost laptop)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from veerkracht.accounts.services import user_disable
from veerkracht.core.models import User


class Command(BaseCommand):
    help = "Disable an account: it can no longer sign in, its sessions and API tokens end at once."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"no user {options['username']!r}")
        if not user_disable(user=user):
            self.stdout.write(f"{user.username} was already disabled.")
            return
        self.stdout.write(f"{user.username} is disabled; their sessions and API tokens have ended.")
