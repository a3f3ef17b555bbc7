"""A coordinator invites colleagues, changes their role and teams and ends their account; all audited."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.conftest import Cast
from tests.factories import PASSWORD as CAST_PASSWORD
from tests.factories import UserFactory
from veerkracht.core.exceptions import NotFound
from veerkracht.core.models import AuditAction, AuditEvent, User
from veerkracht.core.roles import Role
from veerkracht.onboarding import services
from veerkracht.onboarding.models import Invitation

PASSWORD = "een-lang-wachtwoord-voor-de-start"
INVITE = reverse("onboarding:invite")


def _invite(client: Client, cast: Cast, **overrides: object):
    data = {
        "first_name": "Joris",
        "last_name": "de Vries",
        "email": "joris@welzijn.example",
        "role": Role.PROFESSIONAL,
        "job_title": "buurtcoach",
        "team": cast.team_north.pk,
        **overrides,
    }
    return client.post(INVITE, data)


def _mailed_link() -> str:
    match = re.search(r"https?://[^/\s]+(/uitnodiging/\S+/)", str(mail.outbox[-1].body))
    assert match
    return match.group(1)


def _accept(link: str, **overrides: str):
    data = {"first_name": "Joris", "last_name": "de Vries", "password": PASSWORD, "password_again": PASSWORD}
    return Client().post(link, {**data, **overrides})


def test_a_coordinator_invites_a_professional_who_joins_the_team(cast: Cast, client: Client):
    client.force_login(cast.coordinator)
    response = _invite(client, cast)
    assert response["Location"] == INVITE
    assert mail.outbox[-1].to == ["joris@welzijn.example"]
    assert "7 dagen" in mail.outbox[-1].body
    invitation = Invitation.objects.get(email="joris@welzijn.example")
    assert "Joris de Vries" in client.get(INVITE).content.decode()  # open invitations
    event = AuditEvent.objects.get(object_type="onboarding.invitation", object_id=str(invitation.pk))
    assert (event.actor, event.action) == (cast.coordinator, AuditAction.CREATE)
    link = _mailed_link()
    assert _accept(link)["Location"] == reverse("login")
    user = User.objects.get(username="joris@welzijn.example")
    assert (user.role, user.job_title, user.organisation) == (Role.PROFESSIONAL, "buurtcoach", cast.organisation)
    assert list(user.teams.all()) == [cast.team_north]
    assert _accept(link).status_code == 404  # once
    assert User.objects.filter(email="joris@welzijn.example").count() == 1


def test_the_link_works_for_seven_days_only(cast: Cast, client: Client):
    client.force_login(cast.coordinator)
    _invite(client, cast)
    link = _mailed_link()
    with time_machine.travel(timezone.now() + timedelta(days=6, hours=23)):
        assert Client().get(link).status_code == 200
    with time_machine.travel(timezone.now() + timedelta(days=7, hours=1)):
        assert _accept(link).status_code == 404
    assert not User.objects.filter(username="joris@welzijn.example").exists()


def test_a_withdrawn_invitation_no_longer_works(cast: Cast, client: Client):
    client.force_login(cast.coordinator)
    _invite(client, cast)
    link = _mailed_link()
    invitation = Invitation.objects.get()
    client.post(reverse("onboarding:revoke", args=[invitation.pk]))
    assert _accept(link).status_code == 404


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"email": "geen-adres"}, "email", "geldig e-mailadres"),
        ({"role": Role.RESIDENT}, "role", "Selecteer een geldige keuze"),
        ({"role": Role.FUNDER}, "role", "Selecteer een geldige keuze"),
        ({"first_name": ""}, "first_name", "verplicht"),
    ],
)
def test_bad_invitations_are_refused_on_the_form(cast: Cast, client: Client, overrides, field, message):
    client.force_login(cast.coordinator)
    response = _invite(client, cast, **overrides)
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert not Invitation.objects.exists()
    assert not mail.outbox


def test_an_address_with_an_account_or_an_open_invitation_is_refused(cast: Cast, client: Client):
    cast.volunteer.email = "bestaat@welzijn.example"
    cast.volunteer.save()
    client.force_login(cast.coordinator)
    taken = _invite(client, cast, email="Bestaat@welzijn.example")
    assert "bestaat al een account" in " ".join(taken.context["form"].errors["email"])
    _invite(client, cast)
    twice = _invite(client, cast)
    assert "al een open uitnodiging" in " ".join(twice.context["form"].errors["email"])
    assert Invitation.objects.count() == 1


def test_a_team_of_another_organisation_is_refused(cast: Cast):
    other_team = UserFactory.create(organisation=cast.outsider_coordinator.organisation)
    from tests.factories import TeamFactory

    team = TeamFactory.create(organisation=cast.outsider_coordinator.organisation, members=[other_team])
    invite = services.StaffInvite("x@welzijn.example", "X", "Y", Role.VOLUNTEER, team_id=team.pk)
    with pytest.raises(ValidationError) as error:
        services.invitation_create(by=cast.coordinator, invite=invite, base_url="http://testserver")
    assert "team" in error.value.message_dict


@pytest.mark.parametrize("role", ["professional", "basisbaan", "volunteer", "privacy_officer", "funder", "resident"])
def test_only_coordinators_reach_the_invitation_page(cast: Cast, client: Client, role):
    client.force_login(getattr(cast, role))
    assert client.get(INVITE).status_code == 404
    assert _invite(client, cast).status_code == 404
    assert not Invitation.objects.exists()


def test_a_coordinator_changes_role_and_teams_audited_by_field(cast: Cast, client: Client):
    client.force_login(cast.coordinator)
    url = reverse("onboarding:member", args=[cast.basisbaan.pk])
    assert "Rol en teams van" in client.get(url).content.decode()
    response = client.post(url, {"role": Role.VOLUNTEER, "teams": [cast.team_north.pk, cast.team_south.pk]})
    assert response["Location"] == reverse("team:accounts")
    cast.basisbaan.refresh_from_db()
    assert cast.basisbaan.role == Role.VOLUNTEER
    assert set(cast.basisbaan.teams.all()) == {cast.team_north, cast.team_south}
    event = AuditEvent.objects.get(actor=cast.coordinator, object_id=str(cast.basisbaan.pk), action=AuditAction.UPDATE)
    assert event.fields == ["role", "teams"]
    client.post(url, {"role": Role.VOLUNTEER, "teams": [cast.team_north.pk, cast.team_south.pk]})
    assert AuditEvent.objects.filter(object_id=str(cast.basisbaan.pk), action=AuditAction.UPDATE).count() == 1


def test_becoming_a_professional_gets_a_job_title_and_leaving_it_clears_it(cast: Cast):
    change = services.MemberChange(role=Role.PROFESSIONAL, team_ids=frozenset(), job_title="opbouwwerker")
    member = services.member_change(by=cast.coordinator, user_id=cast.volunteer.pk, change=change)
    assert (member.role, member.job_title) == (Role.PROFESSIONAL, "opbouwwerker")
    change = services.MemberChange(role=Role.VOLUNTEER, team_ids=frozenset())
    member = services.member_change(by=cast.coordinator, user_id=cast.volunteer.pk, change=change)
    assert (member.role, member.job_title) == (Role.VOLUNTEER, "")


@pytest.mark.parametrize("target", ["coordinator", "privacy_officer", "resident", "outsider_professional"])
def test_accounts_outside_the_coordinators_management_are_not_found(cast: Cast, client: Client, target):
    client.force_login(cast.coordinator)
    user = getattr(cast, target)
    assert client.get(reverse("onboarding:member", args=[user.pk])).status_code == 404
    assert client.post(reverse("onboarding:member", args=[user.pk]), {"role": Role.VOLUNTEER}).status_code == 404
    with pytest.raises(NotFound):
        services.member_change(
            by=cast.coordinator, user_id=user.pk, change=services.MemberChange(Role.VOLUNTEER, frozenset())
        )


def test_another_organisations_team_cannot_be_given(cast: Cast):
    from tests.factories import TeamFactory

    team = TeamFactory.create(organisation=cast.outsider_coordinator.organisation)
    change = services.MemberChange(role=Role.VOLUNTEER, team_ids=frozenset({team.pk}))
    with pytest.raises(ValidationError):
        services.member_change(by=cast.coordinator, user_id=cast.volunteer.pk, change=change)
    assert not cast.volunteer.teams.exists()


def test_ending_an_account_asks_the_password_then_blocks_and_leaves_the_teams(cast: Cast, client: Client):
    client.force_login(cast.coordinator)
    url = reverse("onboarding:member_end", args=[cast.professional.pk])
    assert client.post(url)["Location"].startswith(reverse("accounts:reauthenticate"))
    cast.professional.refresh_from_db()
    assert cast.professional.is_active
    client.post(reverse("accounts:reauthenticate"), {"password": CAST_PASSWORD, "next": "/"})
    assert client.post(url)["Location"] == reverse("team:accounts")
    cast.professional.refresh_from_db()
    assert not cast.professional.is_active
    assert not cast.professional.teams.exists()
    fields = [
        event.fields
        for event in AuditEvent.objects.filter(object_id=str(cast.professional.pk), action=AuditAction.UPDATE)
    ]
    assert ["teams"] in fields
    assert ["all_sessions", "api_tokens", "is_active"] in fields


def test_the_accounts_page_links_to_inviting_and_changing(cast: Cast, client: Client):
    client.force_login(cast.coordinator)
    html = client.get(reverse("team:accounts")).content.decode()
    assert INVITE in html
    assert reverse("onboarding:member", args=[cast.volunteer.pk]) in html
