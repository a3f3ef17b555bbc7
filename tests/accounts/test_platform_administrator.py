"""A platform administrator (a Django superuser) uses a second factor like the roles that read residents."""

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client, RequestFactory
from django.urls import reverse

from tests.accounts.conftest import code_of
from veerkracht.accounts.models import AuthenticatorApp
from veerkracht.core.account_policy import second_factor_required
from veerkracht.core.models import Organisation, User
from veerkracht.onboarding.platform_views import organisations

PLATFORM = reverse("onboarding:platform")
PASSWORD = "platform-beheer-wachtwoord-lang"
ORGANISATION = {
    "name": "Stichting Buurtkracht Oost",
    "slug": "buurtkracht-oost",
    "municipality_code": "GM0363",
    "city": "Amsterdam",
    "coordinator_email": "fatima@buurtkracht.example",
}

pytestmark = pytest.mark.django_db


@pytest.fixture
def administrator() -> User:
    return User.objects.create_superuser(username="beheer@platform.example", password=PASSWORD)


def test_an_administrator_without_an_app_is_sent_to_enrol_it(administrator: User, client: Client, enforced):
    response = client.post(reverse("login"), {"username": administrator.username, "password": PASSWORD})
    assert response["Location"] == reverse("accounts:enrol")
    # The password alone signs nobody in: to the screen this is a stranger (404, as for everyone else).
    assert client.get(PLATFORM).status_code == 404
    assert client.post(PLATFORM, ORGANISATION).status_code == 404
    assert not Organisation.objects.exists()
    client.get(reverse("accounts:enrol"))
    device = AuthenticatorApp.objects.get(user=administrator, confirmed=False)
    confirmed = client.post(reverse("accounts:enrol"), {"code": code_of(device)})
    assert confirmed["Location"] == reverse("accounts:recovery_codes")
    assert client.get(PLATFORM).status_code == 200
    assert client.post(PLATFORM, ORGANISATION).status_code == 200
    assert Organisation.objects.filter(slug="buurtkracht-oost").exists()


def test_an_enrolled_administrator_signs_in_with_the_code(administrator: User, client: Client, enforced):
    device = AuthenticatorApp.objects.create(user=administrator, name="app", confirmed=True)
    response = client.post(reverse("login"), {"username": administrator.username, "password": PASSWORD})
    assert response["Location"] == reverse("accounts:verify")
    assert client.get(PLATFORM).status_code == 404
    client.post(reverse("accounts:verify"), {"code": code_of(device)})
    assert client.get(PLATFORM).status_code == 200


def test_an_administrator_session_without_the_second_factor_is_ended(administrator: User, client: Client, enforced):
    client.force_login(administrator)  # e.g. a session from before the rule was switched on
    assert client.get(PLATFORM)["Location"].startswith(reverse("login"))
    assert client.get("/").status_code == 302  # signed out


def test_the_platform_screen_itself_refuses_an_unverified_administrator(administrator: User, enforced):
    """Without the middleware in front (a changed setting, a new entry point), the screen still refuses."""
    request = RequestFactory().get(PLATFORM)
    request.user = administrator
    request.session = {}  # type: ignore[assignment]
    with pytest.raises(PermissionDenied):
        organisations(request)
    request.user.is_verified = lambda: True  # type: ignore[attr-defined]  # what django-otp sets after the code
    assert organisations(request).status_code == 200


def test_the_rule_for_administrators_follows_the_same_setting(administrator: User, settings):
    settings.TWO_FACTOR_REQUIRED = True
    assert second_factor_required(administrator)
    settings.TWO_FACTOR_REQUIRED = False  # the demo and local development
    assert not second_factor_required(administrator)
