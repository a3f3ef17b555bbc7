"""Sessions and passwords: lockout, idle timeout, signing out everywhere, disabling, re-authentication."""

import io
import time

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.conftest import Cast
from tests.factories import PASSWORD
from veerkracht.accounts.services import user_disable
from veerkracht.core.models import ApiToken, AuditAction, AuditEvent
from veerkracht.core.services import api_token_issue

LOGIN = "/inloggen/"


def test_the_login_form_locks_an_account_out_after_repeated_failures(cast: Cast, client, settings):
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        client.post(LOGIN, {"username": "pro", "password": "geraden"})
    response = client.post(LOGIN, {"username": "pro", "password": PASSWORD})
    assert response.status_code == 200
    assert "Te veel mislukte pogingen" in response.content.decode()
    assert client.get("/").status_code == 302


def test_the_lockout_counts_per_address_across_accounts(cast: Cast, client, settings):
    for attempt in range(settings.LOGIN_FAILURE_LIMIT):
        client.post(LOGIN, {"username": f"gok{attempt}", "password": "x"})
    assert (
        "Te veel mislukte pogingen" in client.post(LOGIN, {"username": "coord", "password": PASSWORD}).content.decode()
    )


def test_the_lockout_cools_off(cast: Cast, client, settings):
    settings.LOGIN_FAILURE_WINDOW_S = 1
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        client.post(LOGIN, {"username": "pro", "password": "geraden"})
    time.sleep(1.1)
    assert client.post(LOGIN, {"username": "pro", "password": PASSWORD})["Location"] == "/"


def test_an_unknown_user_and_a_wrong_password_get_the_same_message(cast: Cast, client):
    unknown = client.post(LOGIN, {"username": "niemand", "password": "x"}).content.decode()
    wrong = client.post(LOGIN, {"username": "pro", "password": "x"}).content.decode()
    assert "gebruikersnaam of het wachtwoord is niet juist" in unknown
    assert "gebruikersnaam of het wachtwoord is niet juist" in wrong


@pytest.mark.parametrize("password", ["kort-wachtw", "password1234", "123456qwerty"])
def test_short_and_common_passwords_are_refused(cast: Cast, password):
    with pytest.raises(ValidationError):
        validate_password(password, cast.professional)


def test_a_long_passphrase_is_accepted(cast: Cast):
    validate_password("fietsen langs de Amstel in de regen " * 3, cast.professional)  # 100+ characters


def test_a_professional_is_signed_out_after_half_an_hour_idle(cast: Cast, client, settings):
    client.force_login(cast.professional)
    assert client.get("/").status_code == 200
    session = client.session
    session["accounts.seen"] = time.time() - settings.SESSION_IDLE_TIMEOUT_S - 1
    session.save()
    response = client.get("/", follow=True)
    assert response.redirect_chain[0][0].startswith(reverse("login"))
    assert "zonder activiteit" in response.content.decode()
    assert client.get("/").status_code == 302


def test_activity_keeps_the_session_and_volunteers_have_no_idle_timeout(cast: Cast, client, settings):
    client.force_login(cast.volunteer)
    session = client.session
    session["accounts.seen"] = time.time() - settings.SESSION_IDLE_TIMEOUT_S - 1
    session.save()
    assert client.get("/").status_code == 200
    client.force_login(cast.professional)
    session = client.session
    session["accounts.seen"] = time.time() - settings.SESSION_IDLE_TIMEOUT_S + 60
    session.save()
    assert client.get("/").status_code == 200


def test_sign_out_everywhere_ends_every_session_and_token(cast: Cast, client, django_user_model):
    from django.test import Client

    laptop, phone = client, Client()
    laptop.force_login(cast.coordinator)
    phone.force_login(cast.coordinator)
    api_token_issue(user=cast.coordinator)
    response = phone.post(reverse("accounts:sign_out_everywhere"))
    assert response["Location"] == reverse("login")
    assert laptop.get("/").status_code == 302
    assert phone.get("/").status_code == 302
    assert not ApiToken.objects.filter(user=cast.coordinator).exists()
    assert AuditEvent.objects.filter(
        actor=cast.coordinator, action=AuditAction.LOGOUT, fields=["all_sessions", "api_tokens"]
    ).exists()


def test_disabling_an_account_ends_its_sessions_and_tokens(cast: Cast, client):
    client.force_login(cast.professional)
    raw, _token = api_token_issue(user=cast.professional)
    user_disable(user=cast.professional, by=cast.coordinator)
    assert client.get("/").status_code == 302
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"}).status_code == 401
    assert not ApiToken.objects.filter(user=cast.professional).exists()


def test_changing_the_email_asks_for_the_password_again(cast: Cast, client):
    client.force_login(cast.volunteer)
    first = client.get(reverse("accounts:email"))
    assert first["Location"].startswith(reverse("accounts:reauthenticate"))
    wrong = client.post(reverse("accounts:reauthenticate"), {"password": "fout", "next": reverse("accounts:email")})
    assert "wachtwoord of de code is niet juist" in wrong.content.decode()
    right = client.post(reverse("accounts:reauthenticate"), {"password": PASSWORD, "next": reverse("accounts:email")})
    assert right["Location"] == reverse("accounts:email")
    client.post(reverse("accounts:email"), {"email": "sam@example.nl"})
    cast.volunteer.refresh_from_db()
    assert cast.volunteer.email == "sam@example.nl"


def test_reauthentication_does_not_redirect_off_site(cast: Cast, client):
    client.force_login(cast.volunteer)
    response = client.post(reverse("accounts:reauthenticate"), {"password": PASSWORD, "next": "https://evil.example"})
    assert response["Location"] == "/"


def test_a_new_password_is_held_to_the_rules_and_keeps_this_session(cast: Cast, client):
    from django.test import Client

    other = Client()
    other.force_login(cast.volunteer)
    client.force_login(cast.volunteer)
    client.post(reverse("accounts:reauthenticate"), {"password": PASSWORD, "next": "/"})
    short = client.post(reverse("accounts:password"), {"new_password": "kort", "repeat_password": "kort"})
    assert short.status_code == 200
    good = "een lange zin over de buurt"
    assert client.post(reverse("accounts:password"), {"new_password": good, "repeat_password": good}).status_code == 302
    assert client.get("/").status_code == 200
    assert other.get("/").status_code == 302


def test_the_security_page_is_for_every_signed_in_user(cast: Cast, client):
    assert client.get(reverse("accounts:security")).status_code == 302
    client.force_login(cast.resident)
    assert "Tweestapsverificatie" in client.get(reverse("accounts:security")).content.decode()


def test_the_disable_command_ends_a_users_sessions(cast: Cast, client):
    from django.core.management import call_command

    client.force_login(cast.basisbaan)
    call_command("disable_user", "bb", stdout=io.StringIO())
    assert client.get("/").status_code == 302
    cast.basisbaan.refresh_from_db()
    assert not cast.basisbaan.is_active
