"""``veerkracht organisation_create``: a new installation's first organisation and its coordinator.

The coordinator then invites everyone else from the site. The password is read from standard
input (one line) when that is not a terminal, so the command can be scripted without the password
showing in the process list; otherwise it is asked for twice.
"""

import getpass
import sys
from argparse import ArgumentParser
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from veerkracht.core.services import organisation_create


class Command(BaseCommand):
    help = "Create an organisation with its first coordinator (for a new installation)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--name", required=True, help="the organisation's name, e.g. 'Welzijn Noord'")
        parser.add_argument("--slug", required=True, help="a short name for addresses, e.g. welzijn-noord")
        parser.add_argument("--city", required=True, help="the municipality")
        parser.add_argument("--coordinator", required=True, help="the coordinator's login name")
        parser.add_argument("--email", required=True, help="the coordinator's e-mail address")

    def handle(self, *args: Any, name: str, slug: str, city: str, coordinator: str, email: str, **options: Any) -> None:
        if sys.stdin.isatty():
            password = getpass.getpass("Password for the coordinator: ")
            if getpass.getpass("Again: ") != password:
                raise CommandError("the passwords differ")
        else:
            password = sys.stdin.readline().rstrip("\n")
        try:
            organisation, user = organisation_create(
                name=name, slug=slug, city=city, username=coordinator, email=email, password=password
            )
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from None
        self.stdout.write(f"Organisation {organisation.name!r} created with coordinator {user.username!r}")
