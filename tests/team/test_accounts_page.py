"""A coordinator's list of worker accounts: blocking and unblocking also those in no team."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.conftest import Cast
from tests.factories import PASSWORD, UserFactory
from veerkracht.core.models import ApiToken, AuditAction, AuditEvent, User
from veerkracht.core.services import api_token_issue


def _urls(member: User) -> dict[str, str]:
    return {
        name: reverse(f"team:account_{name}", kwargs={"user_id": member.pk})
        for name in ("disable_confirm", "disable", "enable")
    }


def _reauthenticated(client: Client, user: User) -> Client:
    client.force_login(user)
    client.post(reverse("accounts:reauthenticate"), {"password": PASSWORD, "next": "/"})
    return client


@pytest.fixture
def teamless(cast: Cast) -> User:
    """A volunteer who left every team, or never joined one: the team pages cannot reach them."""
    return UserFactory.create(organisation=cast.organisation, first_name="Noor", last_name="Zonderteam")


def test_the_list_shows_every_managed_account_with_its_teams(cast: Cast, client: Client, teamless: User):
    client.force_login(cast.coordinator)
    page = client.get(reverse("team:accounts"))
    shown = set(page.context["page"].object_list)
    assert {teamless, cast.professional, cast.volunteer, cast.basisbaan} <= shown
    # Not the coordinator themself, not residents or officers, not another organisation's workers.
    assert not shown & {cast.coordinator, cast.resident, cast.privacy_officer, cast.funder, cast.outsider_professional}
    html = page.content.decode()
    assert "Noor Zonderteam" in html
    assert "geen team" in html
    assert cast.team_north.name in html
    assert 'href="/gebruikers/"' in html  # in the menu


def test_a_coordinator_blocks_an_account_in_no_team_and_its_session_and_token_end(
    cast: Cast, client: Client, teamless: User
):
    worker = Client()
    worker.force_login(teamless)
    raw, _token = api_token_issue(user=teamless)
    coordinator = _reauthenticated(client, cast.coordinator)
    urls = _urls(teamless)
    page = coordinator.get(urls["disable_confirm"]).content.decode()
    assert "Weet u zeker dat u het account van Noor Zonderteam blokkeert?" in page
    assert f'action="{urls["disable"]}"' in page
    response = coordinator.post(urls["disable"], {"idempotency_key": "block-1"})
    assert response["Location"] == reverse("team:accounts")
    teamless.refresh_from_db()
    assert not teamless.is_active
    assert worker.get("/").status_code == 302
    assert worker.get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"}).status_code == 401
    assert not ApiToken.objects.filter(user=teamless).exists()
    event = AuditEvent.objects.get(actor=cast.coordinator, action=AuditAction.UPDATE, object_id=str(teamless.pk))
    assert event.fields == ["all_sessions", "api_tokens", "is_active"]
    assert "Geblokkeerd" in coordinator.get(reverse("team:accounts")).content.decode()


def test_unblocking_from_the_list_lets_them_sign_in_again(cast: Cast, client: Client, teamless: User):
    coordinator = _reauthenticated(client, cast.coordinator)
    urls = _urls(teamless)
    coordinator.post(urls["disable"])
    assert coordinator.post(urls["enable"])["Location"] == reverse("team:accounts")
    teamless.refresh_from_db()
    assert teamless.is_active
    signed_in = Client().post("/inloggen/", {"username": teamless.username, "password": PASSWORD})
    assert signed_in["Location"] == "/"


def test_blocking_from_the_list_asks_for_the_password_again(cast: Cast, client: Client, teamless: User):
    client.force_login(cast.coordinator)
    urls = _urls(teamless)
    for response in (client.get(urls["disable_confirm"]), client.post(urls["disable"])):
        assert response["Location"].startswith(reverse("accounts:reauthenticate"))
        assert "gebruikers" in response["Location"]
    teamless.refresh_from_db()
    assert teamless.is_active


@pytest.mark.parametrize("role", ["professional", "privacy_officer", "outsider_coordinator"])
def test_others_cannot_block_the_organisations_accounts(cast: Cast, client: Client, teamless: User, role: str):
    _reauthenticated(client, getattr(cast, role))
    urls = _urls(teamless)
    assert client.get(urls["disable_confirm"]).status_code == 404
    assert client.post(urls["disable"]).status_code == 404
    assert client.post(urls["enable"]).status_code == 404
    teamless.refresh_from_db()
    assert teamless.is_active


def test_a_coordinator_cannot_block_themselves_from_the_list(cast: Cast, client: Client):
    coordinator = _reauthenticated(client, cast.coordinator)
    assert coordinator.post(_urls(cast.coordinator)["disable"]).status_code == 404
    cast.coordinator.refresh_from_db()
    assert cast.coordinator.is_active
