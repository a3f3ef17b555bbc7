"""Sending a message: each resident by the channel they consented to; the rest left out, never sent."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests.conftest import Cast
from tests.messaging.gateway import Gateway
from veerkracht.activities.models import Activity, Registration
from veerkracht.contacts.models import Contact
from veerkracht.contacts.selectors import out_of_sight
from veerkracht.core.exceptions import NotFound
from veerkracht.core.models import AuditAction, AuditEvent, OutboundMessage
from veerkracht.messaging.audience import Segment
from veerkracht.messaging.backends import memory
from veerkracht.messaging.models import Message, Recipient
from veerkracht.messaging.services import Draft, message_prepare, message_send, recipient_mark_answered
from veerkracht.people.models import Building, Resident
from veerkracht.people.services import resident_erase

BASE = "https://veerkracht.example.nl/"


@pytest.fixture
def webinar(cast: Cast) -> Activity:
    starts = timezone.now() + timedelta(days=5)
    return Activity.objects.create(
        organisation=cast.organisation,
        title="Webinar: veilig beeldbellen",
        kind="webinar",
        online_link="https://meet.example.org/webinar",
        starts_at=starts,
        ends_at=starts + timedelta(hours=1),
        organiser=cast.coordinator,
        max_online=100,
    )


def _send(by, **fields) -> Message:
    return message_send(by=by, draft=Draft(**fields), base_url=BASE)


def test_an_sms_invitation_for_a_webinar_reaches_the_consenting_75_plus_of_one_building(
    cast: Cast, flats: Building, block, webinar, gateway: Gateway
):
    message = _send(
        cast.coordinator,
        template="activity_invitation",
        activity_id=webinar.pk,
        channels=("sms",),
        segment=Segment(building_id=flats.pk, marker="aged_75_plus"),
    )
    assert sorted(gateway.phones()) == ["+31612345678", "+31687654321"]
    texts = sorted(sent["text"] for sent in gateway.sent.values())
    assert texts[0].startswith("Hallo Annie, u bent welkom bij Webinar: veilig beeldbellen op ")
    assert texts[0].endswith(f"Meld u hier aan: https://veerkracht.example.nl/activiteiten/{webinar.pk}/")
    recipients = {r.resident.first_name: r for r in message.recipients.select_related("resident", "outbound")}
    assert "Sanne" not in recipients  # younger than 75
    assert {name: r.left_out_reason for name, r in recipients.items() if not r.channel} == {
        "Gerrit": "no_consent",  # e-mail only, and only SMS was chosen
        "Truus": "no_consent",
        "Kees": "no_consent",
        "Bep": "no_mobile",  # consents to SMS but has a landline
    }
    assert {getattr(recipients[name].outbound, "status", None) for name in ("Annie", "Wim")} == {"sent"}
    message.refresh_from_db()
    assert getattr(message.task_run, "status", None) == "done"


def test_each_resident_gets_the_first_channel_they_consented_to(cast: Cast, flats, block):
    message = _send(
        cast.coordinator, subject="Nieuws", text="Hallo {first_name}.", segment=Segment(building_id=flats.pk)
    )
    channels = {r.resident.first_name: r.channel or r.left_out_reason for r in message.recipients.all()}
    assert channels == {
        "Annie": "sms",
        "Wim": "sms",
        "Sanne": "sms",
        "Gerrit": "email",
        "Truus": "letter",
        "Kees": "no_consent",
        "Bep": "no_mobile",
    }
    (email,) = mail.outbox
    assert email.to == ["gerrit@example.org"]
    assert email.body.startswith("Hallo Gerrit.\n\n-- \nGeen e-mail meer van ons? Afmelden: https://")  # bulk
    assert sorted(sms.text for sms in memory.outbox) == ["Hallo Annie.", "Hallo Sanne.", "Hallo Wim."]


def test_a_resident_without_consent_is_never_sent_anything(cast: Cast, block):
    message = _send(cast.professional, text="Hallo", resident_ids=(block["none"].pk,))
    (recipient,) = message.recipients.all()
    assert (recipient.channel, recipient.left_out_reason, recipient.outbound) == ("", "no_consent", None)
    assert OutboundMessage.objects.count() == 0
    assert memory.outbox == []
    assert message.task_run is None


def test_a_segment_of_nobody_is_refused_with_the_field_named(cast: Cast, flats, block):
    with pytest.raises(ValidationError) as refused:
        _send(cast.coordinator, text="Hallo", segment=Segment(building_id=flats.pk, marker="older_migrant"))
    assert "segment" in refused.value.message_dict
    with pytest.raises(ValidationError) as empty:
        _send(cast.coordinator, text="Hallo", segment=Segment())
    assert "segment" in empty.value.message_dict
    assert not Recipient.objects.exists()


def test_residents_outside_scope_are_refused(cast: Cast, block):
    with pytest.raises(ValidationError) as refused:
        _send(cast.other_professional, text="Hallo", resident_ids=(block["sms"].pk,))
    assert "resident_ids" in refused.value.message_dict
    with pytest.raises(ValidationError):
        _send(cast.volunteer, text="Hallo", resident_ids=(block["sms"].pk,))


def test_unknown_placeholders_and_activity_details_without_an_activity_are_refused(cast: Cast, block):
    with pytest.raises(ValidationError) as unknown:
        _send(cast.coordinator, text="Hallo {voornaam}", resident_ids=(block["sms"].pk,))
    assert "text" in unknown.value.message_dict
    with pytest.raises(ValidationError) as no_activity:
        _send(cast.coordinator, text="Tot {when}", resident_ids=(block["sms"].pk,))
    assert "activity_id" in no_activity.value.message_dict


def test_a_message_is_an_unanswered_contact_and_keeps_residents_on_the_out_of_sight_list(cast: Cast, flats, block):
    annie = block["sms"]
    before = set(out_of_sight(cast.coordinator).values_list("pk", flat=True))
    assert annie.pk in before
    _send(cast.coordinator, subject="Nieuwsbrief", text="Nieuwsbrief", segment=Segment(building_id=flats.pk))
    contact = Contact.objects.get(participants__resident=annie)
    assert (contact.channel, contact.reached, contact.duration_minutes) == ("messaging", False, 0)
    assert Contact.objects.get(participants__resident=block["email"]).channel == "email"
    assert not Contact.objects.filter(participants__resident__in=[block["letter"], block["none"]]).exists()
    annie.refresh_from_db()
    assert annie.last_reached_at is None
    assert set(out_of_sight(cast.coordinator).values_list("pk", flat=True)) == before
    assert AuditEvent.objects.filter(action=AuditAction.UPDATE, object_id=str(annie.pk)).exists()


def test_an_answer_makes_the_contact_count_as_reach(cast: Cast, block):
    message = _send(cast.professional, text="Hoe gaat het?", resident_ids=(block["sms"].pk,))
    recipient = message.recipients.get()
    recipient_mark_answered(by=cast.professional, recipient_id=recipient.pk)
    recipient.refresh_from_db()
    assert recipient.answered_at is not None
    contact = Contact.objects.get(participants__resident=block["sms"])
    assert (contact.reached, contact.initiative) == (True, "resident")
    annie = Resident.objects.get(pk=block["sms"].pk)
    assert annie.last_reached_at is not None
    assert annie.pk not in set(out_of_sight(cast.coordinator).values_list("pk", flat=True))


def test_another_team_cannot_mark_an_answer(cast: Cast, block):
    message = _send(cast.professional, text="Hoe gaat het?", resident_ids=(block["sms"].pk,))
    with pytest.raises(NotFound):
        recipient_mark_answered(by=cast.other_professional, recipient_id=message.recipients.get().pk)


def test_the_registrants_of_an_activity_form_a_segment(cast: Cast, block, webinar):
    Registration.objects.create(activity=webinar, resident=block["email"], status="confirmed", mode="online")
    Registration.objects.create(activity=webinar, resident=block["none"], status="cancelled", mode="online")
    prepared = message_prepare(
        by=cast.coordinator,
        draft=Draft(
            subject="{activity}",
            text="Tot {when}: {link}",
            activity_id=webinar.pk,
            segment=Segment(activity_id=webinar.pk),
        ),
    )
    assert [planned.resident.first_name for planned in prepared.planned] == ["Gerrit"]


def test_erasing_a_resident_removes_what_was_sent_to_them(cast: Cast, block):
    _send(cast.coordinator, text="Hallo {first_name}", resident_ids=(block["sms"].pk,))
    resident_erase(by=cast.coordinator, resident=block["sms"])
    row = OutboundMessage.objects.get()
    assert (row.to, row.text) == ("", "")
