"""The one rule for the written channel a resident is reached by (people/reach.py), which every sender uses."""

import pytest
from django.utils import translation

from tests.factories import ResidentFactory
from veerkracht.people.models import Resident
from veerkracht.people.reach import LeftOutReason, Reach, reach_for

ALL = ("sms", "app", "email", "letter")


def _resident(**fields: object) -> Resident:
    defaults: dict[str, object] = {
        "phone": "",
        "email": "",
        "consent_sms": False,
        "consent_app": False,
        "consent_email": False,
        "consent_contact": False,
        "preferred_channel": "",
    }
    return ResidentFactory.create(**(defaults | fields))


@pytest.mark.parametrize(
    ("fields", "channels", "expected"),
    [
        ({"consent_sms": True, "phone": "06-12 34 56 78"}, ALL, Reach("sms", "+31612345678")),
        ({"consent_app": True, "phone": "0612345678"}, ALL, Reach("app", "+31612345678")),
        ({"consent_email": True, "email": " ria@example.org "}, ALL, Reach("email", "ria@example.org")),
        ({"consent_contact": True}, ALL, Reach("letter")),
        # Each channel by its own consent: WhatsApp consent is no SMS consent, nor the other way round.
        ({"consent_app": True, "phone": "0612345678"}, ("sms",), Reach(reason="no_consent")),
        ({"consent_sms": True, "phone": "0612345678"}, ("app",), Reach(reason="no_consent")),
        # Consent without the address: the reason names the channel.
        ({"consent_sms": True, "phone": "020 123 4567"}, ALL, Reach(reason="no_mobile")),
        ({"consent_app": True, "phone": "020 123 4567"}, ALL, Reach(reason="no_whatsapp_mobile")),
        ({"consent_email": True}, ALL, Reach(reason="no_email_address")),
        ({}, ALL, Reach(reason="no_consent")),
        # The first channel consented to decides the reason.
        ({"consent_app": True, "consent_email": True}, ("email", "app"), Reach(reason="no_email_address")),
        # A channel the sender cannot use is never taken, whatever the consent.
        ({"consent_contact": True}, ("sms", "app", "email"), Reach(reason="no_consent")),
    ],
)
@pytest.mark.django_db
def test_consent_and_address_decide(fields: dict[str, object], channels: tuple[str, ...], expected: Reach):
    assert reach_for(_resident(**fields), channels) == expected


@pytest.mark.django_db
def test_a_letter_needs_a_home_address():
    resident = _resident(consent_contact=True)
    resident.household = None  # as after erasure; not saved
    assert reach_for(resident, ALL) == Reach(reason="no_address")


@pytest.mark.parametrize(
    ("preferred", "expected"),
    [("", "sms"), ("messaging", "app"), ("email", "email"), ("home_visit", "sms"), ("phone", "sms")],
)
@pytest.mark.django_db
def test_the_preferred_channel_goes_first_among_those_the_sender_may_use(preferred: str, expected: str):
    resident = _resident(
        phone="0612345678",
        email="ria@example.org",
        consent_sms=True,
        consent_app=True,
        consent_email=True,
        consent_contact=True,
        preferred_channel=preferred,
    )
    assert reach_for(resident, ("sms", "app", "email", "letter")).channel == expected


@pytest.mark.django_db
def test_a_preference_the_sender_cannot_use_leaves_the_senders_order():
    resident = _resident(phone="0612345678", consent_sms=True, consent_app=True, preferred_channel="email")
    assert reach_for(resident, ("app", "sms")).channel == "app"
    assert reach_for(resident, ("sms", "app")).channel == "sms"


@pytest.mark.django_db
def test_a_preferred_channel_without_consent_is_passed_over():
    resident = _resident(phone="0612345678", consent_sms=True, preferred_channel="messaging")
    assert reach_for(resident, ("email", "app", "sms")).channel == "sms"


def test_every_reason_reads_in_dutch_and_names_its_channel():
    with translation.override("nl"):
        labels = {reason.value: str(reason.label) for reason in LeftOutReason}
    assert labels["no_mobile"] == "Toestemming voor sms, maar geen mobiel nummer"
    assert labels["no_whatsapp_mobile"] == "Toestemming voor WhatsApp, maar geen mobiel nummer"
    assert labels["no_email_address"] == "Toestemming voor e-mail, maar geen e-mailadres"
    assert labels["no_address"] == "Toestemming voor brieven, maar geen woonadres"
    assert all(len(value) <= 20 for value in labels)  # Recipient.left_out_reason
