"""A platform administrator creates an organisation; its first coordinator signs up with a one-time link."""

import re
from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.accounts.conftest import code_of
from veerkracht.accounts.models import AuthenticatorApp
from veerkracht.core.models import AuditAction, AuditEvent, Organisation, User
from veerkracht.core.roles import Role
from veerkracht.core.tenancy import organisation_context
from veerkracht.onboarding.models import Invitation

PASSWORD = "een-lang-wachtwoord-voor-de-start"
ARGS = ["organisation", "create", "--name", "Stichting Buurtkracht Oost", "--slug", "buurtkracht-oost"]


def _create(*extra: str) -> str:
    out = StringIO()
    call_command(*ARGS, "--municipality", "GM0363", *extra, stdout=out)
    return out.getvalue()


def _link(output: str) -> str:
    match = re.search(r"https?://\S+/uitnodiging/(\S+)/", output)
    assert match, output
    return f"/uitnodiging/{match.group(1)}/"


@pytest.mark.django_db
def test_the_command_creates_the_organisation_and_prints_a_link(settings):
    output = _create("--base-url", "https://veerkracht.example.nl")
    organisation = Organisation.objects.get(slug="buurtkracht-oost")
    assert organisation.name == "Stichting Buurtkracht Oost"
    assert organisation.municipality_code == "GM0363"
    assert "https://veerkracht.example.nl/uitnodiging/" in output
    invitation = Invitation.objects.get(organisation=organisation)
    assert invitation.role == Role.COORDINATOR
    token = _link(output).split("/")[2]
    assert token not in invitation.digest  # only the digest is stored
    assert AuditEvent.objects.filter(object_type="core.organisation", object_id=str(organisation.pk)).exists()


@pytest.mark.django_db
def test_the_first_coordinator_sets_a_password_then_enrols_the_second_factor(settings):
    settings.TWO_FACTOR_REQUIRED = True
    link = _link(_create())
    client = Client()
    page = client.get(link)
    assert "Stichting Buurtkracht Oost" in page.content.decode()
    answer = client.post(
        link,
        {
            "first_name": "Fatima",
            "last_name": "El Amrani",
            "email": "fatima@buurtkracht.example",
            "password": PASSWORD,
            "password_again": PASSWORD,
        },
    )
    assert answer["Location"] == reverse("login")
    user = User.objects.get(username="fatima@buurtkracht.example")
    assert user.role == Role.COORDINATOR
    assert user.organisation == Organisation.objects.get(slug="buurtkracht-oost")
    assert client.get("/").status_code == 302  # nobody is signed in by the link
    signed = client.post("/inloggen/", {"username": user.username, "password": PASSWORD})
    assert signed["Location"] == reverse("accounts:enrol")
    client.get(reverse("accounts:enrol"))
    device = AuthenticatorApp.objects.get(user=user, confirmed=False)
    assert client.post(reverse("accounts:enrol"), {"code": code_of(device)})["Location"] == reverse(
        "accounts:recovery_codes"
    )
    assert client.get("/").status_code == 200
    # The link worked once.
    again = Client().get(link)
    assert again.status_code == 404
    assert "Deze link werkt niet meer" in again.content.decode()


@pytest.mark.django_db
def test_the_link_expires():
    link = _link(_create())
    with time_machine.travel(timezone.now() + timedelta(days=7, minutes=1)):
        assert Client().get(link).status_code == 404


@pytest.mark.django_db
def test_an_unknown_link_shows_the_same_page():
    assert Client().get("/uitnodiging/verzonnen-code/").status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--municipality", "0363"], "CBS-gemeentecode"),
        (["--municipality", "GM363"], "CBS-gemeentecode"),
    ],
)
def test_bad_municipality_codes_are_refused(extra, message):
    with pytest.raises(CommandError, match=message):
        call_command(*ARGS, *extra, stdout=StringIO())
    assert not Organisation.objects.exists()


@pytest.mark.django_db
def test_a_slug_in_use_or_malformed_is_refused():
    _create()
    with pytest.raises(CommandError, match="al in gebruik"):
        _create()
    with pytest.raises(CommandError, match="kleine letters"):
        call_command("organisation", "create", "--name", "X", "--slug", "Met spatie", "--municipality", "GM0363")
    assert Organisation.objects.count() == 1


@pytest.mark.django_db
def test_a_password_too_short_or_two_different_ones_make_no_account():
    link = _link(_create("--coordinator-email", "coord@oost.example"))
    client = Client()
    short = client.post(link, {"first_name": "A", "last_name": "B", "password": "kort", "password_again": "kort"})
    assert short.status_code == 200
    different = client.post(
        link, {"first_name": "A", "last_name": "B", "password": PASSWORD, "password_again": PASSWORD + "x"}
    )
    assert "niet hetzelfde" in different.content.decode()
    assert not User.objects.filter(username="coord@oost.example").exists()
    assert Invitation.objects.get().used_at is None


@pytest.mark.django_db
def test_the_organisation_is_created_with_an_audited_invitation():
    _create()
    invitation = Invitation.objects.get()
    assert invitation.expires_at <= timezone.now() + timedelta(days=7)
    event = AuditEvent.objects.get(object_type="onboarding.invitation", object_id=str(invitation.pk))
    assert event.action == AuditAction.CREATE
    assert event.actor is None


@pytest.mark.django_db
def test_the_contact_command_sets_what_letters_print():
    # As the application role (CI) and as a command runs in production, for no organisation: it must
    # take the organisation's own context to change its row under row-level security.
    out = StringIO()
    with organisation_context(None):
        _create()
        call_command(
            "organisation",
            "contact",
            "--slug",
            "buurtkracht-oost",
            "--address",
            "Postbus 9,  1000 AB Amsterdam",
            "--phone",
            "020 123 4567",
            stdout=out,
        )
    organisation = Organisation.objects.get(slug="buurtkracht-oost")
    assert (organisation.postal_address, organisation.phone) == ("Postbus 9, 1000 AB Amsterdam", "020 123 4567")
    assert "Postbus 9, 1000 AB Amsterdam" in out.getvalue()
    assert AuditEvent.objects.filter(
        object_type="core.organisation", object_id=str(organisation.pk), action=AuditAction.UPDATE
    ).exists()
