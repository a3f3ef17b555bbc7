"""``veerkracht demo_logins``: print the demo logins that ``make run`` announces."""

from typing import Any

from django.core.management.base import BaseCommand

from veerkracht.core.models import User
from veerkracht.demo.logins import DEMO_LOGINS, DEMO_PASSWORD


class Command(BaseCommand):
    help = "Print the demo logins present in this database."

    def handle(self, *args: Any, **options: Any) -> None:
        present = set(User.objects.filter(username__in=DEMO_LOGINS, is_active=True).values_list("username", flat=True))
        if not present:
            self.stdout.write("No demo logins in this database.")
            return
        self.stdout.write(f"Demo logins (password: {DEMO_PASSWORD}):")
        for username, (_role, purpose) in DEMO_LOGINS.items():
            if username in present:
                self.stdout.write(f"  {username:<12} {purpose}")
