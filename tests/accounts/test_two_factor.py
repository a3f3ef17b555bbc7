"""Two-step sign-in: enrolment on first sign-in, codes, recovery codes, opt-in, enforcement."""

import re

import pytest
from django.contrib.auth.hashers import check_password
from django.urls import reverse

from tests.accounts.conftest import code_of
from tests.conftest import Cast
from tests.factories import PASSWORD
from veerkracht.accounts.models import AuthenticatorApp, RecoveryCode
from veerkracht.core.models import AuditAction, AuditEvent

LOGIN = "/inloggen/"


def _password_step(client, username: str):
    return client.post(LOGIN, {"username": username, "password": PASSWORD})


@pytest.mark.parametrize("role", ["coordinator", "professional", "privacy_officer"])
def test_a_role_that_must_use_a_second_factor_enrols_at_first_sign_in(cast: Cast, client, enforced, role):
    user = getattr(cast, role)
    response = _password_step(client, user.username)
    assert response["Location"] == reverse("accounts:enrol")
    assert client.get("/").status_code == 302  # not signed in with the password alone
    page = client.get(reverse("accounts:enrol"))
    html = page.content.decode()
    assert 'role="img"' in html
    assert "<svg" in html
    assert "Tweestapsverificatie instellen" in html
    device = AuthenticatorApp.objects.get(user=user, confirmed=False)
    confirmed = client.post(reverse("accounts:enrol"), {"code": code_of(device)})
    assert confirmed["Location"] == reverse("accounts:recovery_codes")
    codes_page = client.get(reverse("accounts:recovery_codes")).content.decode()
    shown = re.findall(r"\b[a-z2-7]{8}\b", codes_page)
    stored = [code.hashed for code in RecoveryCode.objects.filter(device__user=user)]
    assert len(stored) == 10
    assert all(any(check_password(code, hashed) for code in shown) for hashed in stored)
    assert client.get(reverse("accounts:recovery_codes")).status_code == 302  # shown once
    assert client.get("/").status_code == 200


def test_a_wrong_first_code_does_not_enrol_or_sign_in(cast: Cast, client, enforced):
    _password_step(client, "coord")
    client.get(reverse("accounts:enrol"))
    response = client.post(reverse("accounts:enrol"), {"code": "000000"})
    assert response.status_code == 200
    assert "De code is niet juist" in response.content.decode()
    assert not AuthenticatorApp.objects.filter(user=cast.coordinator, confirmed=True).exists()
    assert client.get("/").status_code == 302


def _enrolled(user) -> AuthenticatorApp:
    return AuthenticatorApp.objects.create(user=user, name="app", confirmed=True)


def test_a_user_with_an_app_signs_in_with_its_code(cast: Cast, client):
    device = _enrolled(cast.professional)
    assert _password_step(client, "pro")["Location"] == reverse("accounts:verify")
    assert client.get("/").status_code == 302
    response = client.post(reverse("accounts:verify"), {"code": code_of(device)})
    assert response["Location"] == "/"
    assert client.get("/").status_code == 200
    assert AuditEvent.objects.filter(actor=cast.professional, action=AuditAction.LOGIN).exists()


def test_a_wrong_code_is_refused_and_audited(cast: Cast, client):
    _enrolled(cast.professional)
    _password_step(client, "pro")
    response = client.post(reverse("accounts:verify"), {"code": "123456"})
    assert response.status_code == 200
    assert "De code is niet juist" in response.content.decode()
    assert client.get("/").status_code == 302
    failed = AuditEvent.objects.get(action=AuditAction.LOGIN_FAILED, object_id=str(cast.professional.pk))
    assert failed.fields == ["second_factor"]


def test_a_recovery_code_signs_in_once(cast: Cast, client, enforced):
    _enrolled(cast.coordinator)
    client.force_login(cast.coordinator)
    from veerkracht.accounts.services import recovery_codes_renew

    code = recovery_codes_renew(user=cast.coordinator)[0]
    client.logout()
    _password_step(client, "coord")
    assert client.post(reverse("accounts:verify"), {"code": code.upper()})["Location"] == "/"
    client.logout()
    _password_step(client, "coord")
    assert client.post(reverse("accounts:verify"), {"code": code}).status_code == 200  # used up


def test_the_code_step_expires_without_the_password_step(db, client):
    assert client.get(reverse("accounts:verify"))["Location"] == reverse("login")
    assert client.get(reverse("accounts:enrol"))["Location"] == reverse("login")


def test_volunteers_need_no_second_factor_but_may_switch_it_on(cast: Cast, client, enforced):
    assert _password_step(client, "vol")["Location"] == "/"
    enrol = client.get(reverse("accounts:enrol"))
    assert enrol["Location"].startswith(reverse("accounts:reauthenticate"))  # the password again first
    client.post(reverse("accounts:reauthenticate"), {"password": PASSWORD, "next": reverse("accounts:enrol")})
    assert client.get(reverse("accounts:enrol")).status_code == 200
    device = AuthenticatorApp.objects.get(user=cast.volunteer, confirmed=False)
    assert client.post(reverse("accounts:enrol"), {"code": code_of(device)})["Location"] == reverse(
        "accounts:recovery_codes"
    )
    client.logout()
    assert _password_step(client, "vol")["Location"] == reverse("accounts:verify")


def test_a_volunteer_may_switch_the_second_factor_off_but_a_coordinator_may_not(cast: Cast, client, enforced):
    for user in (cast.volunteer, cast.coordinator):
        device = _enrolled(user)
        _password_step(client, user.username)
        client.post(reverse("accounts:verify"), {"code": code_of(device)})
        device.throttle_reset()
        client.post(reverse("accounts:reauthenticate"), {"password": PASSWORD, "code": code_of(device)})
        client.post(reverse("accounts:second_factor_remove"))
        client.logout()
    assert not AuthenticatorApp.objects.filter(user=cast.volunteer).exists()
    assert AuthenticatorApp.objects.filter(user=cast.coordinator).exists()


def test_a_session_without_the_second_factor_is_ended_where_it_is_required(cast: Cast, client, enforced):
    client.force_login(cast.coordinator)  # e.g. a session from before the rule was switched on
    response = client.get("/")
    assert response["Location"].startswith(reverse("login"))
    assert client.get("/").status_code == 302


def test_the_rule_is_relaxed_only_by_the_setting(cast: Cast, client, settings):
    settings.TWO_FACTOR_REQUIRED = False
    assert _password_step(client, "coord")["Location"] == "/"


def test_production_requires_the_second_factor_by_default():
    import subprocess

    from tests.test_settings import PRODUCTION, _run

    script = "from django.conf import settings; print(settings.TWO_FACTOR_REQUIRED, settings.SESSION_IDLE_TIMEOUT_S)"
    result = _run("shell", "--no-imports", "-c", script, **PRODUCTION)
    assert result.stdout.split() == ["True", "1800"], result.stderr
    assert isinstance(result, subprocess.CompletedProcess)


def _verified_session(client, user, device: AuthenticatorApp) -> None:
    _password_step(client, user.username)
    assert client.post(reverse("accounts:verify"), {"code": code_of(device)})["Location"] == "/"


@pytest.mark.parametrize("change", ["removed", "unconfirmed", "another_users", "garbled"])
def test_a_session_whose_device_can_no_longer_verify_it_is_ended(cast: Cast, client, enforced, change):
    from django_otp import DEVICE_ID_SESSION_KEY

    device = _enrolled(cast.coordinator)
    _verified_session(client, cast.coordinator, device)
    assert client.get("/").status_code == 200
    if change == "removed":
        device.delete()
    elif change == "unconfirmed":
        AuthenticatorApp.objects.filter(pk=device.pk).update(confirmed=False)
    elif change == "another_users":
        AuthenticatorApp.objects.filter(pk=device.pk).update(user=cast.professional)
    else:
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = "otp_totp.totpdevice/not-a-number"
        session.save()
    assert client.get("/")["Location"].startswith(reverse("login"))
    assert DEVICE_ID_SESSION_KEY not in client.session


def test_the_verified_user_is_the_user_itself_with_its_device(cast: Cast, client, enforced):
    from veerkracht.core.models import User

    device = _enrolled(cast.coordinator)
    _verified_session(client, cast.coordinator, device)
    user = client.get("/").wsgi_request.user
    assert isinstance(user, User)
    assert user.pk == cast.coordinator.pk
    assert user.is_verified()  # type: ignore[attr-defined]  # django-otp's, set by the middleware
    assert user.otp_device == device  # type: ignore[attr-defined]


def test_the_password_alone_cannot_replace_the_app(cast: Cast, client, enforced):
    """Issue 20: password only, then the enrolment page, then a code from a fresh secret."""
    victims = _enrolled(cast.coordinator)
    assert _password_step(client, "coord")["Location"] == reverse("accounts:verify")
    page = client.get(reverse("accounts:enrol"))
    assert page["Location"] == reverse("accounts:verify")  # no fresh secret shown
    assert not AuthenticatorApp.objects.filter(user=cast.coordinator, confirmed=False).exists()
    # Even with an unconfirmed device of their own (however made), the attacker's code replaces nothing.
    attackers = AuthenticatorApp.objects.create(user=cast.coordinator, name="attacker", confirmed=False)
    client.post(reverse("accounts:enrol"), {"code": code_of(attackers)})
    assert client.get("/audit/").status_code != 200
    assert list(AuthenticatorApp.objects.filter(user=cast.coordinator, confirmed=True)) == [victims]


def test_the_service_replaces_a_confirmed_app_only_when_asked(cast: Cast):
    from django.core.exceptions import ValidationError

    from veerkracht.accounts import services

    victims = _enrolled(cast.coordinator)
    attackers = services.totp_device_start(user=cast.coordinator)
    with pytest.raises(ValidationError):
        services.totp_device_confirm(user=cast.coordinator, code=code_of(attackers))
    assert list(AuthenticatorApp.objects.filter(user=cast.coordinator, confirmed=True)) == [victims]


def _new_phone_page(client, device: AuthenticatorApp, code: str | None = None):
    device.throttle_reset()
    return client.post(
        reverse("accounts:reauthenticate"),
        {"password": PASSWORD, "code": code or code_of(device), "next": reverse("accounts:enrol")},
    )


def test_replacing_the_app_needs_the_current_code_and_password_and_is_audited_and_mailed(
    cast: Cast, client, enforced, mailoutbox, django_capture_on_commit_callbacks
):
    cast.coordinator.email = "coord@example.nl"
    cast.coordinator.save()
    old = _enrolled(cast.coordinator)
    _verified_session(client, cast.coordinator, old)
    assert client.get(reverse("accounts:enrol"))["Location"].startswith(reverse("accounts:reauthenticate"))
    refused = client.post(
        reverse("accounts:reauthenticate"),
        {"password": PASSWORD, "code": "000000", "next": reverse("accounts:enrol")},
    )
    assert refused.status_code == 200  # a wrong current code: no new secret
    assert client.get(reverse("accounts:enrol"))["Location"].startswith(reverse("accounts:reauthenticate"))
    assert _new_phone_page(client, old)["Location"] == reverse("accounts:enrol")
    assert client.get(reverse("accounts:enrol")).status_code == 200
    new = AuthenticatorApp.objects.get(user=cast.coordinator, confirmed=False)
    with django_capture_on_commit_callbacks(execute=True):  # the notice leaves once the change is committed
        confirmed = client.post(reverse("accounts:enrol"), {"code": code_of(new)})
    assert confirmed["Location"] == reverse("accounts:recovery_codes")
    assert list(AuthenticatorApp.objects.filter(user=cast.coordinator)) == [new]
    assert AuditEvent.objects.filter(
        action=AuditAction.UPDATE, actor=cast.coordinator, fields=["second_factor"]
    ).exists()
    (notice,) = mailoutbox
    assert notice.to == ["coord@example.nl"]
    assert "authenticator-app" in notice.subject
    assert "vervangen" in notice.subject


def test_a_recovery_code_may_stand_in_for_the_lost_phone(cast: Cast, client, enforced):
    from veerkracht.accounts.services import recovery_codes_renew

    old = _enrolled(cast.coordinator)
    code = recovery_codes_renew(user=cast.coordinator)[0]
    _verified_session(client, cast.coordinator, old)
    assert _new_phone_page(client, old, code=code)["Location"] == reverse("accounts:enrol")
    assert client.get(reverse("accounts:enrol")).status_code == 200


def test_a_password_only_confirmation_does_not_open_the_new_phone_page(cast: Cast, client, enforced):
    """A confirmation made before the user had an app (password only) does not let them replace it."""
    _password_step(client, "vol")
    client.post(reverse("accounts:reauthenticate"), {"password": PASSWORD, "next": reverse("accounts:enrol")})
    _enrolled(cast.volunteer)
    assert client.get(reverse("accounts:enrol"))["Location"].startswith(reverse("accounts:reauthenticate"))


def test_switching_the_second_factor_off_is_mailed_to_the_user(
    cast: Cast, client, mailoutbox, django_capture_on_commit_callbacks
):
    cast.volunteer.email = "vol@example.nl"
    cast.volunteer.save()
    device = _enrolled(cast.volunteer)
    _verified_session(client, cast.volunteer, device)
    _new_phone_page(client, device)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:second_factor_remove"))
    assert not AuthenticatorApp.objects.filter(user=cast.volunteer).exists()
    (notice,) = mailoutbox
    assert notice.subject == "Tweestapsverificatie is uitgezet"
