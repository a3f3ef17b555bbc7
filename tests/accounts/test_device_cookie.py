"""Issue 20, lockout as a weapon: a browser that signed in before keeps its own count of failures."""

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from tests.accounts.conftest import code_of
from tests.conftest import Cast
from tests.factories import PASSWORD
from veerkracht.accounts.device_cookie import COOKIE
from veerkracht.accounts.models import AuthenticatorApp

LOGIN = "/inloggen/"
LOCKED = "Te veel mislukte pogingen"


@pytest.fixture(autouse=True)
def _fresh_counts():
    cache.clear()


def _phone_that_signed_in_before(username: str) -> Client:
    phone = Client(REMOTE_ADDR="10.0.0.2")
    assert phone.post(LOGIN, {"username": username, "password": PASSWORD})["Location"] == "/"
    assert COOKIE in phone.cookies
    phone.post(reverse("logout"))
    return phone


def _attack(username: str, settings, address: str = "203.0.113.9") -> Client:
    attacker = Client(REMOTE_ADDR=address)
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        attacker.post(LOGIN, {"username": username, "password": "geraden"})
    return attacker


def _sign_in_from(address: str, username: str) -> str:
    return Client(REMOTE_ADDR=address).post(LOGIN, {"username": username, "password": PASSWORD}).content.decode()


def test_failures_from_elsewhere_do_not_lock_the_worker_out_of_their_own_phone(cast: Cast, settings):
    phone = _phone_that_signed_in_before("vol")
    attacker = _attack("vol", settings)
    assert LOCKED in attacker.post(LOGIN, {"username": "vol", "password": PASSWORD}).content.decode()
    assert LOCKED in _sign_in_from("10.0.0.3", "vol")
    assert phone.post(LOGIN, {"username": "vol", "password": PASSWORD})["Location"] == "/"
    # The phone's success does not lift the lockout the attacker earned elsewhere.
    assert LOCKED in _sign_in_from("10.0.0.4", "vol")


def test_the_phone_keeps_its_own_limit(cast: Cast, settings):
    phone = _phone_that_signed_in_before("vol")
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        phone.post(LOGIN, {"username": "vol", "password": "verkeerd"})
    assert LOCKED in phone.post(LOGIN, {"username": "vol", "password": PASSWORD}).content.decode()


def test_a_cookie_of_another_account_or_a_forged_one_counts_for_nothing(cast: Cast, settings):
    phone = _phone_that_signed_in_before("pro")
    _attack("vol", settings)
    assert LOCKED in phone.post(LOGIN, {"username": "vol", "password": PASSWORD}).content.decode()
    forged = Client(REMOTE_ADDR="10.0.0.5")
    forged.cookies[COOKIE] = phone.cookies[COOKIE].value.replace(":", ":x", 1)
    _attack("pro", settings, address="203.0.113.10")
    assert LOCKED in forged.post(LOGIN, {"username": "pro", "password": PASSWORD}).content.decode()


def test_the_cookie_is_given_only_after_the_second_factor(cast: Cast, enforced):
    app = AuthenticatorApp.objects.create(user=cast.coordinator, name="app", confirmed=True)
    phone = Client(REMOTE_ADDR="10.0.0.2")
    phone.post(LOGIN, {"username": "coord", "password": PASSWORD})
    assert COOKIE not in phone.cookies
    assert phone.post(reverse("accounts:verify"), {"code": code_of(app)})["Location"] == "/"
    cookie = phone.cookies[COOKIE]
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"
    assert "coord" not in cookie.value  # the account appears only as a hash


def test_wrong_codes_from_elsewhere_do_not_lock_the_phone_either(cast: Cast, enforced, settings):
    app = AuthenticatorApp.objects.create(user=cast.coordinator, name="app", confirmed=True)
    phone = Client(REMOTE_ADDR="10.0.0.2")
    phone.post(LOGIN, {"username": "coord", "password": PASSWORD})
    phone.post(reverse("accounts:verify"), {"code": code_of(app)})
    phone.post(reverse("logout"))
    attacker = Client(REMOTE_ADDR="203.0.113.9")  # knows the password, not the code
    attacker.post(LOGIN, {"username": "coord", "password": PASSWORD})
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        attacker.post(reverse("accounts:verify"), {"code": "000000"})
    assert LOCKED in attacker.post(LOGIN, {"username": "coord", "password": PASSWORD}).content.decode()
    assert phone.post(LOGIN, {"username": "coord", "password": PASSWORD})["Location"] == reverse("accounts:verify")
    app.throttle_reset()
    AuthenticatorApp.objects.filter(pk=app.pk).update(last_t=-1)  # the same moment's code again
    assert phone.post(reverse("accounts:verify"), {"code": code_of(app)})["Location"] == "/"
