"""``veerkracht organisation create``: a new organisation and the one-time link for its first coordinator;
``veerkracht organisation contact``: the postal address and phone number its letters give."""

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from veerkracht.onboarding import services


class Command(BaseCommand):
    help = "Create an organisation and print a one-time link for its first coordinator."

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="action", required=True)
        create = commands.add_parser("create", help="a new organisation")
        create.add_argument("--name", required=True, help='e.g. "Stichting Welzijn Amsterdam-Oost"')
        create.add_argument("--slug", required=True, help="short name in addresses, e.g. welzijn-oost")
        create.add_argument("--municipality", required=True, help="CBS municipality code, e.g. GM0363")
        create.add_argument("--city", default="", help="the municipality's name (default: the code)")
        create.add_argument("--coordinator-email", default="", help="the first coordinator's e-mail address")
        create.add_argument(
            "--base-url", default="http://127.0.0.1:8000", help="the server's address, for the printed link"
        )

        contact = commands.add_parser("contact", help="the address and phone number printed on letters")
        contact.add_argument("--slug", required=True, help="the organisation's short name")
        contact.add_argument("--address", required=True, help='e.g. "Postbus 123, 1000 AB Amsterdam"')
        contact.add_argument("--phone", required=True, help='e.g. "020 123 4567"')

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "contact":
            self._contact(options)
            return
        try:
            issued = services.organisation_create(
                by=None,
                name=options["name"],
                slug=options["slug"],
                municipality_code=options["municipality"],
                city=options["city"],
                coordinator_email=options["coordinator_email"],
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        organisation = issued.invitation.organisation
        self.stdout.write(f"Organisation {organisation.name} ({organisation.slug}) created.")
        self.stdout.write(
            f"Link for the first coordinator (works once, for {services.INVITATION_DAYS} days; shown only now):"
        )
        self.stdout.write(issued.link(options["base_url"]))

    def _contact(self, options: dict[str, Any]) -> None:
        try:
            organisation = services.organisation_contact_set(
                by=None, slug=options["slug"], postal_address=options["address"], phone=options["phone"]
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(
            f"Letters of {organisation.name} now give {organisation.postal_address}, {organisation.phone}."
        )
