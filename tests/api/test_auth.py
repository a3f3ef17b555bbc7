"""The API skeleton: tokens, /me, the error conventions and the OpenAPI document."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone
from django_otp.oath import totp

from tests.conftest import Cast
from tests.factories import PASSWORD
from veerkracht.accounts.models import AuthenticatorApp
from veerkracht.core.models import ApiToken, AuditAction, AuditEvent

TOKEN_URL = "/api/v1/auth/token"


@pytest.fixture(autouse=True)
def _fresh_throttle():
    cache.clear()


def _token(client, username: str, password: str = PASSWORD, **extra) -> dict:
    response = client.post(
        TOKEN_URL, {"username": username, "password": password, **extra}, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    return response.json()


def _bearer(token: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def test_a_token_gives_access_to_me(cast: Cast, client):
    token = _token(client, "pro")["token"]
    me = client.get("/api/v1/me", **_bearer(token)).json()
    assert me["username"] == "pro"
    assert me["role"] == "professional"
    assert me["job_title"] == "buurtcoach"
    assert me["organisation"] == {"id": cast.organisation.pk, "name": "Stichting Welzijn Veerstad"}


def test_the_token_is_stored_only_as_a_digest(cast: Cast, client):
    raw = _token(client, "pro")["token"]
    stored = ApiToken.objects.get(user=cast.professional)
    assert raw not in stored.digest
    assert len(stored.digest) == 64
    assert AuditEvent.objects.filter(actor=cast.professional, action=AuditAction.TOKEN_ISSUED).exists()


def test_me_without_a_token_answers_401(db, client):
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    assert response.json() == {"detail": "Unauthorized"}


def test_a_wrong_password_answers_401(cast: Cast, client):
    response = client.post(TOKEN_URL, {"username": "pro", "password": "wrong"}, content_type="application/json")
    assert response.status_code == 401
    assert response.json() == {"detail": "invalid_credentials"}


def test_a_disabled_user_gets_no_token_and_loses_the_old_one(cast: Cast, client):
    token = _token(client, "pro")["token"]
    cast.professional.is_active = False
    cast.professional.save()
    assert client.get("/api/v1/me", **_bearer(token)).status_code == 401
    response = client.post(TOKEN_URL, {"username": "pro", "password": PASSWORD}, content_type="application/json")
    assert response.status_code == 401


def test_failed_attempts_are_throttled_per_account(cast: Cast, client, settings):
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        client.post(TOKEN_URL, {"username": "pro", "password": "guess"}, content_type="application/json")
    response = client.post(TOKEN_URL, {"username": "pro", "password": PASSWORD}, content_type="application/json")
    assert response.status_code == 429
    assert response.json() == {"detail": "too_many_attempts"}


def test_failed_attempts_are_throttled_per_address_across_accounts(cast: Cast, client, settings):
    for attempt in range(settings.LOGIN_FAILURE_LIMIT):
        client.post(TOKEN_URL, {"username": f"guess{attempt}", "password": "x"}, content_type="application/json")
    response = client.post(TOKEN_URL, {"username": "coord", "password": PASSWORD}, content_type="application/json")
    assert response.status_code == 429


def test_a_revoked_token_no_longer_works(cast: Cast, client):
    token = _token(client, "coord")["token"]
    assert client.delete(TOKEN_URL, **_bearer(token)).status_code == 204
    assert client.get("/api/v1/me", **_bearer(token)).status_code == 401
    assert not ApiToken.objects.filter(user=cast.coordinator).exists()


def test_an_expired_token_is_refused(cast: Cast, client):
    token = _token(client, "coord")["token"]
    ApiToken.objects.filter(user=cast.coordinator).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert client.get("/api/v1/me", **_bearer(token)).status_code == 401


def test_a_user_with_a_second_factor_must_send_a_valid_code(cast: Cast, client):
    device = AuthenticatorApp.objects.create(user=cast.coordinator, name="telefoon", confirmed=True)
    body = {"username": "coord", "password": PASSWORD}
    without = client.post(TOKEN_URL, body, content_type="application/json")
    assert (without.status_code, without.json()) == (401, {"detail": "otp_required"})
    wrong = client.post(TOKEN_URL, {**body, "otp": "000000"}, content_type="application/json")
    assert wrong.status_code == 401
    device.refresh_from_db()
    device.throttle_reset()  # django-otp slows down guessing after a wrong code
    code = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
    assert _token(client, "coord", otp=code)["token"]


def test_a_missing_field_answers_422_naming_the_field(db, client):
    response = client.post(TOKEN_URL, {"username": "pro"}, content_type="application/json")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "password"]
    assert response.json()["detail"][0]["type"] == "missing"


def test_a_body_that_is_not_json_answers_422_not_500(db, client):
    response = client.post(TOKEN_URL, "{not json", content_type="application/json")
    assert response.status_code in (400, 422)


def test_the_openapi_document_renders_and_lists_the_endpoints(db, client):
    document = client.get("/api/v1/openapi.json").json()
    assert document["info"]["title"] == "Veerkracht API"
    assert {"/api/v1/auth/token", "/api/v1/me"} <= set(document["paths"])


def test_the_docs_page_works_offline(db, client):
    html = client.get("/api/v1/docs").content.decode()
    assert "swagger" in html.lower()
    assert "cdn." not in html
    assert "unpkg" not in html


@pytest.fixture
def enforced(settings):
    settings.TWO_FACTOR_REQUIRED = True
    return settings


@pytest.mark.parametrize("role", ["coordinator", "professional", "privacy_officer"])
def test_a_role_that_must_use_a_second_factor_gets_no_token_before_enrolling(cast: Cast, client, enforced, role):
    """Issue 20: with TWO_FACTOR_REQUIRED=1 the password alone handed out a token that read residents."""
    user = getattr(cast, role)
    response = client.post(
        TOKEN_URL, {"username": user.username, "password": PASSWORD}, content_type="application/json"
    )
    assert (response.status_code, response.json()) == (403, {"detail": "second_factor_enrolment_required"})
    assert not ApiToken.objects.filter(user=user).exists()


def test_a_wrong_password_still_answers_401_not_the_enrolment_hint(cast: Cast, client, enforced):
    response = client.post(TOKEN_URL, {"username": "pro", "password": "guess"}, content_type="application/json")
    assert (response.status_code, response.json()) == (401, {"detail": "invalid_credentials"})


def test_an_enrolled_role_gets_a_token_bound_to_its_second_factor(cast: Cast, client, enforced):
    device = AuthenticatorApp.objects.create(user=cast.professional, name="telefoon", confirmed=True)
    body = {"username": "pro", "password": PASSWORD}
    assert client.post(TOKEN_URL, body, content_type="application/json").json() == {"detail": "otp_required"}
    code = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
    token = _token(client, "pro", otp=code)["token"]
    assert ApiToken.objects.get(user=cast.professional).after_second_factor
    assert client.get("/api/v1/me", **_bearer(token)).status_code == 200


def test_a_recovery_code_serves_as_the_second_factor_for_a_token(cast: Cast, client, enforced):
    from veerkracht.accounts.services import recovery_codes_renew

    AuthenticatorApp.objects.create(user=cast.professional, name="telefoon", confirmed=True)
    code = recovery_codes_renew(user=cast.professional)[0]
    token = _token(client, "pro", otp=code.upper())["token"]
    assert client.get("/api/v1/me", **_bearer(token)).status_code == 200


def test_a_token_without_the_second_factor_is_refused_where_one_is_required(cast: Cast, client, settings):
    from veerkracht.core.services import api_token_issue

    settings.TWO_FACTOR_REQUIRED = False
    old, _made = api_token_issue(user=cast.professional)  # e.g. before the rule was switched on
    volunteers, _made = api_token_issue(user=cast.volunteer)
    assert client.get("/api/v1/me", **_bearer(old)).status_code == 200
    settings.TWO_FACTOR_REQUIRED = True
    assert client.get("/api/v1/me", **_bearer(old)).status_code == 401
    assert client.get("/api/v1/residents", **_bearer(old)).status_code == 401
    assert client.get("/api/v1/me", **_bearer(volunteers)).status_code == 200  # volunteers need no second factor
