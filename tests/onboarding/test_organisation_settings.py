"""The coordinator's organisation settings: each field validated, saved, audited, and read where it applies."""

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tests.conftest import Cast
from veerkracht.core.models import AuditAction, AuditEvent, Organisation, OutboundMessage
from veerkracht.messaging import delivery
from veerkracht.messaging.backends import sms_backend
from veerkracht.messaging.backends.base import SentSms
from veerkracht.onboarding.organisation_settings import sms_sender_valid

SETTINGS = reverse("onboarding:settings")
VALID = {
    "name": "Stichting Welzijn Veerstad-Oost",
    "out_of_sight_days": "45",
    "retention_contact_years": "3",
    "retention_concern_years": "10",
    "sms_sender": "Veerstad",
    "privacy_officer_name": "Mr. A. Jansen",
    "privacy_officer_email": "FG@veerstad.example",
    "privacy_officer_phone": "020 123 45 67",
    "public_languages": ["en", "tr"],
}


def _post(client: Client, **overrides: Any):
    return client.post(SETTINGS, {**VALID, **overrides})


def test_a_coordinator_changes_every_setting_and_the_change_is_audited(cast: Cast, client: Client):
    client.force_login(cast.coordinator)
    assert client.get(SETTINGS).status_code == 200
    response = _post(client)
    assert response.status_code == 302
    organisation = Organisation.objects.get(pk=cast.organisation.pk)
    assert organisation.name == "Stichting Welzijn Veerstad-Oost"
    assert (organisation.out_of_sight_days, organisation.retention_contact_years) == (45, 3)
    assert organisation.retention_concern_years == 10
    assert organisation.sms_sender == "Veerstad"
    assert organisation.privacy_officer_email == "fg@veerstad.example"
    assert organisation.public_languages == ["nl", "en", "tr"]  # Dutch always
    event = AuditEvent.objects.get(object_type="core.organisation", object_id=str(organisation.pk))
    assert (event.actor, event.action) == (cast.coordinator, AuditAction.UPDATE)
    assert "sms_sender" in event.fields
    assert "public_languages" in event.fields
    assert "Veerstad" not in str(event.fields)  # names of fields, never values


def test_saving_unchanged_settings_writes_no_audit_event(cast: Cast, client: Client):
    client.force_login(cast.coordinator)
    _post(client)
    before = AuditEvent.objects.filter(object_type="core.organisation").count()
    _post(client)
    assert AuditEvent.objects.filter(object_type="core.organisation").count() == before


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("sms_sender", "Welzijn Veerstad", "11"),  # 16 characters: the form's own length check
        ("sms_sender", "Zorg&Welzijn", "Ten hoogste 11"),
        ("sms_sender", "Café", "Ten hoogste 11"),
        ("sms_sender", "0612345678", "Ten hoogste 11"),  # would read as a phone number
        ("out_of_sight_days", "0", ""),
        ("out_of_sight_days", "731", ""),
        ("retention_contact_years", "6", "Kies tussen 1 en 5 jaar"),
        ("retention_concern_years", "21", "Kies tussen 1 en 20 jaar"),
        ("retention_contact_years", "0", "Kies tussen 1 en 5 jaar"),
        ("privacy_officer_email", "geen-adres", ""),
        ("public_languages", ["xx"], ""),
        ("name", "   ", ""),
    ],
)
def test_bad_settings_are_refused_with_a_dutch_message_on_the_field(
    cast: Cast, client: Client, field: str, value: Any, message: str
):
    client.force_login(cast.coordinator)
    response = _post(client, **{field: value})
    assert response.status_code == 422
    assert field in response.context["form"].errors
    assert message in response.content.decode()
    assert Organisation.objects.get(pk=cast.organisation.pk).name == "Stichting Welzijn Veerstad"


def test_the_platform_maximum_is_read_from_the_settings(cast: Cast, client: Client, settings):
    settings.RETENTION_CONTACT_YEARS_MAX = 10
    client.force_login(cast.coordinator)
    assert _post(client, retention_contact_years="8").status_code == 302


@pytest.mark.parametrize("role", ["professional", "privacy_officer", "volunteer", "resident", "funder"])
def test_no_other_role_reaches_the_settings(cast: Cast, client: Client, role: str):
    client.force_login(getattr(cast, role))
    assert client.get(SETTINGS).status_code == 404
    assert _post(client).status_code == 404


def test_the_sms_sender_rule():
    assert sms_sender_valid("Veerkracht")
    assert sms_sender_valid("Welzijn 020")
    assert not sms_sender_valid("Welzijn-Oost")
    assert not sms_sender_valid("123456")
    assert not sms_sender_valid("")


def test_a_provider_sends_with_the_organisation_s_sender_else_the_platform_s(settings):
    settings.SMS_BACKEND, settings.SMS_PROVIDER_KEY, settings.SMS_SENDER = "cm", "key", "Veerkracht"
    assert sms_backend(sender="Veerstad").sender == "Veerstad"  # type: ignore[attr-defined]
    assert sms_backend().sender == "Veerkracht"  # type: ignore[attr-defined]


def test_delivery_asks_for_the_backend_with_the_organisation_s_sender(cast: Cast, monkeypatch):
    cast.organisation.sms_sender = "Veerstad"
    cast.organisation.save()
    asked: list[str] = []

    class Recording:
        idempotent = True

        def send(self, *, to: str, text: str, reference: str) -> SentSms:
            return SentSms(id="x", status="accepted")

    def backend(sender: str = "") -> Recording:
        asked.append(sender)
        return Recording()

    monkeypatch.setattr(delivery, "sms_backend", backend)
    row = OutboundMessage.objects.create(organisation=cast.organisation, channel="sms", to="0612345678", text="Hoi")
    claimed = delivery._claim(row.pk)
    assert claimed is not None
    delivery._send(claimed)
    assert asked[-1] == "Veerstad"


def test_the_privacy_officer_is_in_the_inspection_document(cast: Cast, client: Client):
    cast.organisation.privacy_officer_name = "Mr. A. Jansen"
    cast.organisation.privacy_officer_email = "fg@veerstad.example"
    cast.organisation.save()
    client.force_login(cast.coordinator)
    page = client.get(reverse("people:export", args=[cast.resident_north.pk])).content.decode()
    assert "Mr. A. Jansen" in page
    assert "mailto:fg@veerstad.example" in page
    document = client.get(reverse("people:export", args=[cast.resident_north.pk]), {"format": "json"}).json()
    assert document["privacy_officer"]["email"] == "fg@veerstad.example"


def test_public_pages_offer_only_the_organisations_languages(cast: Cast, client: Client):
    Organisation.objects.update(public_languages=["nl", "en"])
    page = client.get(reverse("public_home"), HTTP_ACCEPT_LANGUAGE="tr")
    assert page["Content-Language"] == "nl"  # Turkish is offered by no organisation
    assert 'value="tr"' not in page.content.decode()
    Organisation.objects.filter(pk=cast.organisation.pk).update(public_languages=["nl", "tr"])
    page = client.get(reverse("public_home"), HTTP_ACCEPT_LANGUAGE="tr")
    assert page["Content-Language"] == "tr"
    assert 'value="tr"' in page.content.decode()


def test_the_privacy_officer_is_on_the_resident_s_own_page(cast: Cast, client: Client):
    cast.organisation.privacy_officer_name = "Mr. A. Jansen"
    cast.organisation.privacy_officer_phone = "020 123 45 67"
    cast.organisation.save()
    cast.resident_north.user = cast.resident  # the cast's resident account gets a record of its own
    cast.resident_north.save()
    client.force_login(cast.resident)
    html = client.get(reverse("people:own_data")).content.decode()
    assert "Mr. A. Jansen" in html
    assert 'href="tel:0201234567"' in html


def test_a_place_s_page_offers_only_its_organisation_s_languages(cast: Cast, client: Client):
    from veerkracht.places.models import Place

    place = Place.objects.create(organisation=cast.organisation, name="Buurthuis De Linde", kind="community_centre")
    Organisation.objects.exclude(pk=cast.organisation.pk).update(public_languages=["nl", "tr"])
    Organisation.objects.filter(pk=cast.organisation.pk).update(public_languages=["nl", "en"])
    assert client.get(reverse("public_home"), HTTP_ACCEPT_LANGUAGE="tr")["Content-Language"] == "tr"
    page = client.get(reverse("places:detail", args=[place.pk]), HTTP_ACCEPT_LANGUAGE="tr")
    assert page["Content-Language"] == "nl"  # this organisation offers no Turkish
    assert 'value="tr"' not in page.content.decode()
    assert client.get(reverse("places:detail", args=[place.pk]), HTTP_ACCEPT_LANGUAGE="en")["Content-Language"] == "en"


def test_a_resident_s_own_pages_offer_their_organisation_s_languages(cast: Cast, client: Client):
    Organisation.objects.filter(pk=cast.organisation.pk).update(public_languages=["nl", "en"])
    client.force_login(cast.resident)
    page = client.get(reverse("activities:own_registrations"), HTTP_ACCEPT_LANGUAGE="ar")
    assert page["Content-Language"] == "nl"
    assert 'value="ar"' not in page.content.decode()


def test_the_coordinator_gives_the_address_and_phone_that_letters_print(cast: Cast, client: Client):
    client.force_login(cast.coordinator)
    response = _post(client, postal_address="  Postbus 123,\n 1000 AB  Amsterdam ", phone="020 123 4567")
    assert response.status_code == 302
    organisation = Organisation.objects.get(pk=cast.organisation.pk)
    assert (organisation.postal_address, organisation.phone) == ("Postbus 123, 1000 AB Amsterdam", "020 123 4567")
    event = AuditEvent.objects.filter(object_type="core.organisation").latest("pk")
    assert {"postal_address", "phone"} <= set(event.fields)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("phone", "bel ons", "Vul een telefoonnummer in"),
        ("postal_address", "Postbus 1, " + "x" * 200, "200"),
    ],
)
def test_a_letter_contact_that_cannot_be_used_is_refused_in_dutch(
    cast: Cast, client: Client, field: str, value: str, message: str
):
    client.force_login(cast.coordinator)
    response = _post(client, **{field: value})
    assert response.status_code == 422
    html = response.content.decode()
    assert f'id="id_{field}_error"' in html
    assert message in html
    assert getattr(Organisation.objects.get(pk=cast.organisation.pk), field) == ""
