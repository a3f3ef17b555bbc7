"""Forgotten password: one link by e-mail, used once, never a way around the second factor."""

import re
from datetime import datetime, timedelta
from unittest import mock

import pytest
from django.contrib.auth import password_validation
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.accounts.conftest import code_of
from tests.conftest import Cast
from veerkracht.accounts.models import AuthenticatorApp
from veerkracht.accounts.reset import reset_tokens
from veerkracht.core.models import ApiToken, AuditEvent, User
from veerkracht.core.services import api_token_issue

FORGOT = "/wachtwoord-vergeten/"
NEW_PASSWORD = "lantaarnpaal-bij-de-brug-7"


@pytest.fixture
def pro(cast: Cast) -> User:
    User.objects.filter(pk=cast.professional.pk).update(email="pro@example.org")
    cast.professional.refresh_from_db()
    return cast.professional


def _link(client, email: str = "pro@example.org") -> str:
    assert client.post(FORGOT, {"email": email})["Location"] == reverse("accounts:password_reset_done")
    assert len(mail.outbox) == 1
    found = re.search(r"https?://[^/\s]+(/wachtwoord-herstellen/\S+/)", str(mail.outbox[0].body))
    assert found is not None
    return found.group(1)


def _set_new_password(client, link: str, password: str = NEW_PASSWORD):
    form_page = client.get(link, follow=True)  # Django moves the token from the URL into the session
    assert form_page.context["validlink"]
    return client.post(form_page.redirect_chain[-1][0], {"new_password1": password, "new_password2": password})


def test_the_login_page_links_to_the_reset(db, client):
    assert FORGOT in client.get("/inloggen/").content.decode()


def test_a_known_and_an_unknown_address_get_the_same_answer(pro: User, client):
    known = client.post(FORGOT, {"email": "pro@example.org"})
    unknown = client.post(FORGOT, {"email": "nobody@example.org"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    assert [message.to for message in mail.outbox] == [["pro@example.org"]]
    assert "Kijk in uw e-mail" in client.get(known["Location"]).content.decode()


def test_the_mail_names_no_one_and_the_link_sets_a_new_password(pro: User, client):
    link = _link(client)
    assert pro.username not in mail.outbox[0].body
    response = _set_new_password(client, link)
    assert response["Location"] == reverse("login")
    pro.refresh_from_db()
    assert pro.check_password(NEW_PASSWORD)
    assert AuditEvent.objects.filter(object_id=str(pro.pk), fields=["all_sessions", "api_tokens", "password"]).exists()


def test_a_link_works_once(pro: User, client):
    link = _link(client)
    _set_new_password(client, link)
    again = client.get(link, follow=True)
    assert not again.context["validlink"]


def test_a_link_expires_after_an_hour(pro: User, client, settings):
    link = _link(client)
    later = datetime.now() + timedelta(seconds=settings.PASSWORD_RESET_LINK_S + 60)  # noqa: DTZ005 - as Django's
    with mock.patch.object(reset_tokens, "_now", return_value=later):
        assert not client.get(link, follow=True).context["validlink"]


def test_an_activation_link_is_no_reset_link(pro: User, client):
    from django.contrib.auth.tokens import default_token_generator

    assert not reset_tokens.check_token(pro, default_token_generator.make_token(pro))


def test_a_reset_signs_no_one_in_and_the_second_factor_is_still_asked(pro: User, client):
    device = AuthenticatorApp.objects.create(user=pro, name="app", confirmed=True)
    _set_new_password(client, _link(client))
    assert "_auth_user_id" not in client.session
    signed = client.post("/inloggen/", {"username": pro.username, "password": NEW_PASSWORD})
    assert signed["Location"] == reverse("accounts:verify")
    assert client.get("/").status_code == 302  # not in without the code
    client.post(reverse("accounts:verify"), {"code": code_of(device)})
    assert client.get("/").status_code == 200


def test_a_reset_ends_every_session_and_api_token(pro: User, client, django_user_model):
    from django.test import Client

    laptop = Client()
    laptop.force_login(pro)
    raw, _token = api_token_issue(user=pro)
    _set_new_password(client, _link(client))
    assert laptop.get("/").status_code == 302
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"}).status_code == 401
    assert not ApiToken.objects.filter(user=pro).exists()


def test_asking_too_often_sends_no_more_mail_but_answers_the_same(pro: User, client, settings):
    settings.PASSWORD_RESETS_PER_HOUR = 2
    answers = {client.post(FORGOT, {"email": "pro@example.org"})["Location"] for _ in range(4)}
    assert answers == {reverse("accounts:password_reset_done")}
    assert len(mail.outbox) == 2


@pytest.mark.parametrize(
    ("password", "accepted"),
    [
        ("kort-wacht1", False),  # 11 characters
        ("password1234", False),  # a common password
        ("twaalf-tekens", True),
        ("x" * 40 + "-een-lange-zin-van-vierenzestig-tekens!", True),  # 64+ allowed
    ],
)
def test_passwords_need_twelve_characters_and_may_be_long_but_not_common(db, password, accepted):
    try:
        password_validation.validate_password(password)
    except ValidationError:
        assert not accepted
    else:
        assert accepted


def test_a_short_new_password_is_refused_on_the_reset_page(pro: User, client):
    response = _set_new_password(client, _link(client), password="kort")
    assert response.status_code == 200
    pro.refresh_from_db()
    assert not pro.check_password("kort")
