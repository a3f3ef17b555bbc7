"""The first organisation and coordinator of a new installation, from the command line."""

import io
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from veerkracht.core.models import AuditEvent, Organisation, User

ARGS = ["--name", "Welzijn Noord", "--slug", "welzijn-noord", "--city", "Utrecht"]
ARGS += ["--coordinator", "jdevries", "--email", "j.devries@welzijn-noord.example"]


def test_the_command_makes_an_organisation_and_a_coordinator_who_can_sign_in(db, client, monkeypatch, settings):
    settings.TWO_FACTOR_REQUIRED = False
    monkeypatch.setattr("sys.stdin", io.StringIO("een-lang-en-eigen-wachtwoord\n"))
    call_command("organisation_create", *ARGS, stdout=StringIO())
    user = User.objects.get(username="jdevries")
    assert user.organisation is not None
    assert (user.role, user.organisation.slug) == ("coordinator", "welzijn-noord")
    assert AuditEvent.objects.filter(object_type="core.user", object_id=str(user.pk)).exists()
    response = client.post("/inloggen/", {"username": "jdevries", "password": "een-lang-en-eigen-wachtwoord"})
    assert response.status_code == 302


def test_a_weak_password_or_a_taken_name_changes_nothing(db, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO("kort\n"))
    with pytest.raises(CommandError, match="short"):
        call_command("organisation_create", *ARGS, stdout=StringIO())
    assert not Organisation.objects.filter(slug="welzijn-noord").exists()
    monkeypatch.setattr("sys.stdin", io.StringIO("een-lang-en-eigen-wachtwoord\n"))
    call_command("organisation_create", *ARGS, stdout=StringIO())
    monkeypatch.setattr("sys.stdin", io.StringIO("een-lang-en-eigen-wachtwoord\n"))
    with pytest.raises(CommandError):
        call_command("organisation_create", *ARGS, stdout=StringIO())
    assert Organisation.objects.filter(slug="welzijn-noord").count() == 1
