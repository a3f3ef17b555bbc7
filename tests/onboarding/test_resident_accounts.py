"""A worker invites a resident to an account of their own; the resident chooses a password by the link."""

import re
from datetime import timedelta
from unittest.mock import patch

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.core import mail
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tests.conftest import Cast
from veerkracht.core.exceptions import NotFound
from veerkracht.core.models import AuditAction, AuditEvent, OutboundMessage, OutboundStatus, User
from veerkracht.core.roles import Role
from veerkracht.messaging.backends import memory
from veerkracht.messaging.delivery import outbox_deliver
from veerkracht.onboarding.models import ResidentInvitation
from veerkracht.onboarding.resident_accounts import (
    RESIDENT_INVITATION,
    mobile_number,
    resident_invitation_withdraw,
    resident_invite,
)
from veerkracht.people.export import resident_export
from veerkracht.people.models import Resident
from veerkracht.people.retention import retention_apply
from veerkracht.people.services import resident_erase

PASSWORD = "een-lang-wachtwoord-voor-mij"
LINK = re.compile(r"https?://[^/\s]+(/eigen-account/[A-Za-z0-9_\-]+/)")


@pytest.fixture(autouse=True)
def _empty_sms_outbox() -> None:
    memory.outbox.clear()


def _invite_url(resident: Resident) -> str:
    return reverse("onboarding:resident_invite", args=[resident.pk])


def _with_sms(resident: Resident, **fields: object) -> Resident:
    values = {"phone": "06-12 34 56 78", "consent_sms": True, "languages": ["tr", "nl"], **fields}
    for name, value in values.items():
        setattr(resident, name, value)
    resident.save()
    return resident


def _invite(client: Client, resident: Resident, **data: str):
    return client.post(_invite_url(resident), {"language": "tr", **data})


def _sms_link() -> str:
    match = LINK.search(memory.outbox[-1].text)
    assert match
    return match.group(1)


def _accept(link: str, client: Client | None = None, **overrides: str):
    data = {"password": PASSWORD, "password_again": PASSWORD, "agree": "on", **overrides}
    return (client or Client()).post(link, data)


def test_a_worker_invites_by_sms_and_the_resident_lands_on_their_start_page_in_turkish(cast: Cast, client: Client):
    resident = _with_sms(cast.resident_north)
    client.force_login(cast.professional)
    page = client.get(_invite_url(resident)).content.decode()
    assert "per sms naar 0612345678" in page  # the channel that will be used, and the login name
    response = _invite(client, resident)
    assert response["Location"] == reverse("people:detail", args=[resident.pk])
    sms = memory.outbox[-1]
    assert sms.to == "+31612345678"
    assert "Merhaba Fatma" in sms.text  # the resident's language
    invitation = ResidentInvitation.objects.get()
    assert (invitation.channel, invitation.language, invitation.created_by) == ("sms", "tr", cast.professional)
    link = _sms_link()
    assert link.split("/")[2] not in invitation.digest  # only the digest is stored
    sent = AuditEvent.objects.get(object_type=RESIDENT_INVITATION, action=AuditAction.CREATE)
    assert (sent.actor, sent.fields) == (cast.professional, ["language", "phone"])

    resident_client = Client()
    form = resident_client.get(link)
    assert form.status_code == 200
    assert form.headers["Content-Language"] == "tr"
    assert 'lang="tr"' in form.content.decode()
    response = _accept(link, resident_client)
    assert response["Location"] == reverse("home")
    user = User.objects.get(username="0612345678")
    resident.refresh_from_db()
    assert (resident.user, user.role, user.language, user.organisation) == (
        user,
        Role.RESIDENT,
        "tr",
        cast.organisation,
    )
    start = resident_client.get(reverse("home"))
    assert start.status_code == 200
    assert start.headers["Content-Language"] == "tr"  # signed in, in their language
    accepted = AuditEvent.objects.get(object_type=RESIDENT_INVITATION, action=AuditAction.UPDATE)
    assert (accepted.actor, accepted.fields) == (user, ["used_at"])
    # The link is struck out of the outbox once it has been used.
    assert "/eigen-account/…/" in OutboundMessage.objects.get(pk=invitation.outbound_id or 0).text


def test_the_saved_language_follows_the_resident_to_a_new_browser(cast: Cast):
    _with_sms(cast.resident_north)
    worker = Client()
    worker.force_login(cast.professional)
    _invite(worker, cast.resident_north, language="ar")
    _accept(_sms_link())
    fresh = Client()
    assert fresh.login(username="0612345678", password=PASSWORD)
    assert fresh.get(reverse("home")).headers["Content-Language"] == "ar"


def test_the_confirmation_names_no_address_and_the_days_come_from_the_setting(cast: Cast, client: Client):
    """The success message is kept in a cookie (MESSAGE_STORAGE): no phone number or e-mail address in it."""
    resident = _with_sms(cast.resident_north)
    client.force_login(cast.professional)
    with patch("veerkracht.onboarding.resident_views.INVITATION_DAYS", 5):
        assert "De link werkt één keer, 5 dagen lang." in client.get(_invite_url(resident)).content.decode()
        response = _invite(client, resident)
    shown = [str(message) for message in get_messages(response.wsgi_request)]
    assert shown == ["De uitnodiging is per sms verstuurd. De link werkt één keer, 5 dagen lang."]
    assert "0612345678" not in response.cookies["messages"].value


def test_by_e_mail_when_that_is_the_resident_s_channel(cast: Cast, client: Client):
    resident = _with_sms(
        cast.resident_north, email="Fatma@Example.org", consent_email=True, preferred_channel="email", languages=[]
    )
    client.force_login(cast.coordinator)
    _invite(client, resident, language="nl")
    message = mail.outbox[-1]
    assert message.to == ["fatma@example.org"]
    assert "Hallo Fatma" in message.body
    link = LINK.search(str(message.body))
    assert link
    assert _accept(link.group(1))["Location"] == reverse("home")
    assert User.objects.get(username="fatma@example.org").email == "fatma@example.org"


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ({"consent_sms": False}, "geen toestemming voor sms of e-mail"),
        ({"phone": ""}, "geen mobiel nummer"),
        ({"phone": "020 123 4567"}, "geen mobiel nummer"),  # a landline takes no SMS
        ({"consent_sms": False, "consent_email": True}, "geen e-mailadres"),
    ],
)
def test_no_consent_or_no_contact_is_refused_with_the_reason(cast: Cast, client: Client, fields, reason):
    resident = _with_sms(cast.resident_north, **fields)
    client.force_login(cast.professional)
    assert reason in client.get(_invite_url(resident)).content.decode()
    response = _invite(client, resident)
    assert response.status_code == 200
    assert reason in " ".join(response.context["form"].non_field_errors())
    assert not ResidentInvitation.objects.exists()
    assert not memory.outbox
    assert not OutboundMessage.objects.exists()


def test_a_resident_with_an_account_is_not_invited_again(cast: Cast, client: Client):
    resident = _with_sms(cast.resident_north, user=cast.resident)
    client.force_login(cast.professional)
    assert "heeft al een eigen account" in client.get(_invite_url(resident)).content.decode()
    assert "heeft al een eigen account" in _invite(client, resident).content.decode()
    assert not ResidentInvitation.objects.exists()


def test_a_login_name_already_taken_is_refused(cast: Cast, client: Client):
    resident = _with_sms(cast.resident_north)
    cast.volunteer.username = "0612345678"
    cast.volunteer.save()
    client.force_login(cast.professional)
    assert "al een account met de gebruikersnaam 0612345678" in _invite(client, resident).content.decode()
    assert not ResidentInvitation.objects.exists()


def test_an_open_invitation_is_sent_again_or_withdrawn(cast: Cast, client: Client):
    resident = _with_sms(cast.resident_north)
    client.force_login(cast.professional)
    _invite(client, resident)
    first = _sms_link()
    refused = _invite(client, resident)  # not by accident: sending again is a choice of its own
    assert "al een uitnodiging verstuurd" in refused.content.decode()
    page = client.get(_invite_url(resident)).content.decode()
    assert "Uitnodiging opnieuw versturen" in page
    assert "Uitnodiging intrekken" in page
    _invite(client, resident, again="yes")
    second = _sms_link()
    assert first != second
    assert _accept(first).status_code == 404  # the old link stopped working
    client.post(reverse("onboarding:resident_withdraw", args=[resident.pk]))
    assert _accept(second).status_code == 404
    assert not User.objects.filter(role=Role.RESIDENT, username="0612345678").exists()
    withdrawn = AuditEvent.objects.filter(
        object_type=RESIDENT_INVITATION, fields=["revoked_at"], actor=cast.professional
    )
    assert withdrawn.count() == 1


def test_sending_again_stops_the_old_message_that_still_waits(cast: Cast, client: Client):
    """Without an SMS provider both wait; the replaced one is never sent with its struck-out link."""
    resident = _with_sms(cast.resident_north)
    client.force_login(cast.professional)
    with override_settings(SMS_BACKEND="none"):
        _invite(client, resident)
        first = ResidentInvitation.objects.get()
        _invite(client, resident, again="yes")
    second = ResidentInvitation.objects.exclude(pk=first.pk).get()
    old = OutboundMessage.objects.get(pk=first.outbound_id or 0)
    assert (old.status, old.next_attempt_at) == (OutboundStatus.FAILED, None)
    assert "/eigen-account/…/" in old.text
    assert OutboundMessage.objects.get(pk=second.outbound_id or 0).status == OutboundStatus.QUEUED
    outbox_deliver([old.pk, second.outbound_id or 0], lambda percent: None)  # a provider is configured
    assert len(memory.outbox) == 1
    assert memory.outbox[0].text == OutboundMessage.objects.get(pk=second.outbound_id or 0).text
    assert "/eigen-account/…/" not in memory.outbox[0].text


def test_withdrawing_stops_the_message_that_still_waits(cast: Cast, client: Client):
    resident = _with_sms(cast.resident_north)
    client.force_login(cast.professional)
    with override_settings(SMS_BACKEND="none"):
        _invite(client, resident)
    client.post(reverse("onboarding:resident_withdraw", args=[resident.pk]))
    old = OutboundMessage.objects.get(pk=ResidentInvitation.objects.get().outbound_id or 0)
    assert old.status == OutboundStatus.FAILED
    assert outbox_deliver([old.pk], lambda percent: None) == {OutboundStatus.FAILED: 1}
    assert not memory.outbox


def test_a_double_tap_on_send_sends_one_invitation(cast: Cast, client: Client):
    resident = _with_sms(cast.resident_north)
    client.force_login(cast.professional)
    first = _invite(client, resident, idempotency_key="een-sleutel-per-formulier")
    second = _invite(client, resident, idempotency_key="een-sleutel-per-formulier")
    assert first["Location"] == second["Location"] == reverse("people:detail", args=[resident.pk])
    assert ResidentInvitation.objects.count() == 1
    assert len(memory.outbox) == 1


def test_an_expired_link_says_so_in_the_resident_s_language(cast: Cast, client: Client):
    _with_sms(cast.resident_north)
    client.force_login(cast.professional)
    _invite(client, cast.resident_north)
    link = _sms_link()
    with time_machine.travel(timezone.now() + timedelta(days=6, hours=23)):
        assert Client().get(link).status_code == 200
    with time_machine.travel(timezone.now() + timedelta(days=7, hours=1)):
        expired = _accept(link)
    assert expired.status_code == 404
    assert expired.headers["Content-Language"] == "tr"
    assert not User.objects.filter(username="0612345678").exists()


def test_a_used_link_works_once_and_a_double_submit_makes_one_account(cast: Cast, client: Client):
    _with_sms(cast.resident_north)
    client.force_login(cast.professional)
    _invite(client, cast.resident_north)
    link = _sms_link()
    first, second = _accept(link), _accept(link)
    assert first.status_code == 302
    assert second.status_code == 404
    assert User.objects.filter(role=Role.RESIDENT, username="0612345678").count() == 1
    assert Client().get(link).status_code == 404


def test_a_tampered_link_gets_a_dutch_page_not_an_error(cast: Cast, client: Client):
    _with_sms(cast.resident_north)
    client.force_login(cast.professional)
    _invite(client, cast.resident_north)
    link = _sms_link()
    for tampered in (link[:-3] + "xx/", "/eigen-account/" + "a" * 300 + "/", "/eigen-account/%00/"):
        response = Client().get(tampered)
        assert response.status_code == 404
        assert "Deze link werkt niet meer" in response.content.decode()
        assert _accept(tampered).status_code == 404
    assert not User.objects.filter(role=Role.RESIDENT, username="0612345678").exists()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"password": "kort", "password_again": "kort"}, "password", "12"),
        ({"password": "0612345678ab", "password_again": "0612345678ab"}, "password", "gebruikersnaam"),
        ({"password_again": "iets-anders-dan-eerst"}, "password_again", "niet hetzelfde"),
        ({"agree": ""}, "agree", "Vink het vakje aan"),
    ],
)
def test_a_bad_password_or_no_agreement_keeps_the_link_working(cast: Cast, client: Client, overrides, field, message):
    _with_sms(cast.resident_north, languages=["nl"])
    client.force_login(cast.professional)
    _invite(client, cast.resident_north, language="nl")
    link = _sms_link()
    response = _accept(link, **overrides)
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert not User.objects.filter(role=Role.RESIDENT, username="0612345678").exists()
    assert _accept(link).status_code == 302


@pytest.mark.parametrize("role", ["other_professional", "outsider_coordinator", "volunteer", "resident", "funder"])
def test_outside_the_worker_s_scope_the_answer_is_404(cast: Cast, client: Client, role):
    resident = _with_sms(cast.resident_north)
    client.force_login(getattr(cast, role))
    assert client.get(_invite_url(resident)).status_code == 404
    assert _invite(client, resident).status_code == 404
    assert client.post(reverse("onboarding:resident_withdraw", args=[resident.pk])).status_code == 404
    assert not ResidentInvitation.objects.exists()


def test_the_services_answer_a_resident_outside_scope_with_not_found(cast: Cast):
    resident = _with_sms(cast.resident_north)
    with pytest.raises(NotFound):
        resident_invitation_withdraw(by=cast.other_professional, resident_id=resident.pk)
    with pytest.raises(NotFound):
        resident_invite(by=cast.volunteer, resident_id=resident.pk, language="nl", base_url="https://x.example/")


def test_the_invitations_are_in_the_export_and_go_with_erasure(cast: Cast, client: Client):
    resident = _with_sms(cast.resident_north)
    client.force_login(cast.professional)
    _invite(client, resident)
    invitation = ResidentInvitation.objects.get()
    document = resident_export(by=cast.coordinator, resident_id=resident.pk)
    section = next(section for section in document["sections"] if section["name"] == "own_account")
    rows = next(iter(section["tables"].values()))
    # The export reads in the resident's language (Turkish here), its values named, never coded.
    with translation.override("tr"):
        row = {heading: rows[0][_(heading)] for heading in ("Channel", "Language", "Status")}
        assert row == {"Channel": _("SMS"), "Language": "Türkçe", "Status": _("open")}
    resident_erase(by=cast.coordinator, resident=resident)
    assert not ResidentInvitation.objects.exists()
    outbound = OutboundMessage.objects.get(pk=invitation.outbound_id or 0)
    assert (outbound.to, outbound.text) == ("", "")


def test_retention_removes_invitations_past_their_seven_days(cast: Cast, client: Client):
    resident = _with_sms(cast.resident_north)
    client.force_login(cast.professional)
    _invite(client, resident)
    report = retention_apply(organisation=cast.organisation, now=timezone.now(), dry_run=False)
    assert report.counts["uitnodigingen van bewoners na hun zeven dagen"] == 0
    later = timezone.now() + timedelta(days=8)
    report = retention_apply(organisation=cast.organisation, now=later, dry_run=False)
    assert report.counts["uitnodigingen van bewoners na hun zeven dagen"] == 1
    assert not ResidentInvitation.objects.exists()


def test_mobile_numbers():
    assert mobile_number("06-12 34 56 78") == "0612345678"
    assert mobile_number("+31 6 12345678") == "0612345678"
    assert mobile_number("0031612345678") == "0612345678"
    assert mobile_number("020 123 4567") == ""
    assert mobile_number("") == ""
