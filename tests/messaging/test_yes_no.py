"""JA or NEE by SMS to an invitation that asked for it: registers or cancels, noted and confirmed."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests.conftest import Cast
from veerkracht.activities.models import Activity, Registration, RegistrationStatus
from veerkracht.activities.services import registration_create
from veerkracht.core.models import OutboundMessage
from veerkracht.messaging.backends import memory
from veerkracht.messaging.models import Message, Recipient
from veerkracht.messaging.replies import reply_record
from veerkracht.messaging.services import Draft, message_send
from veerkracht.messaging.yes_no import yes_no
from veerkracht.people.models import Resident

BASE = "https://veerkracht.example.nl/"


def coffee_morning(cast: Cast) -> Activity:
    """A coffee morning online (no place needed), with room for one."""
    starts = timezone.now() + timedelta(days=3)
    return Activity.objects.create(
        organisation=cast.organisation,
        title="Koffie online",
        kind="webinar",
        online_link="https://meet.example.org/koffie",
        starts_at=starts,
        ends_at=starts + timedelta(hours=1),
        organiser=cast.coordinator,
        max_online=1,
    )


@pytest.fixture
def coffee(cast: Cast) -> Activity:
    return coffee_morning(cast)


def _invite(cast: Cast, resident: Resident, activity: Activity, *, ask: bool = True) -> Message:
    draft = Draft(
        text="Hallo {first_name}, komt u naar {activity} op {when}?",
        channels=("sms",),
        resident_ids=(resident.pk,),
        activity_id=activity.pk,
        ask_yes_no=ask,
    )
    return message_send(by=cast.coordinator, draft=draft, base_url=BASE)


def _registration(activity: Activity, resident: Resident) -> Registration | None:
    return activity.registrations.filter(resident=resident).exclude(status=RegistrationStatus.CANCELLED).first()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        *[("JA", True), ("ja!", True), (" Yes. ", True), ("Evet", True), ("نعم", True)],
        *[("NEE", False), ("hayır", False), ("HAYIR", False), ("لا", False)],
        *[("Ja, maar ik kom later", None), ("misschien", None), ("", None)],
    ],
)
def test_only_a_yes_or_no_alone_counts(text, expected):
    assert yes_no(text) is expected


def test_the_sms_asks_the_question_and_ja_registers_the_resident_with_a_confirmation(cast: Cast, block, coffee):
    message = _invite(cast, block["sms"], coffee)
    (sms,) = memory.outbox
    assert sms.text.endswith("\nAntwoord JA om u aan te melden of NEE als u niet kunt komen.")
    reply_record(sender="+31612345678", text="Ja")
    registration = _registration(coffee, block["sms"])
    assert registration is not None
    assert (registration.status, registration.mode, registration.registered_by) == (
        "confirmed",
        "online",
        cast.coordinator,
    )
    assert Recipient.objects.get(message=message).reply_outcome == "registered"
    assert memory.outbox[-1].text.startswith("U bent aangemeld voor Koffie online op ")


def test_ja_when_the_activity_is_full_puts_the_resident_on_the_waitlist(cast: Cast, block, coffee):
    registration_create(activity_id=coffee.pk, mode="online", by=cast.coordinator, resident_id=block["sms_b"].pk)
    message = _invite(cast, block["sms"], coffee)
    reply_record(sender="+31612345678", text="JA")
    registration = _registration(coffee, block["sms"])
    assert registration is not None
    assert registration.status == RegistrationStatus.WAITLISTED
    assert Recipient.objects.get(message=message).reply_outcome == "waitlisted"
    assert "wachtlijst" in memory.outbox[-1].text


def test_nee_cancels_and_the_freed_place_goes_to_the_waitlist(cast: Cast, block, coffee):
    registration_create(activity_id=coffee.pk, mode="online", by=cast.coordinator, resident_id=block["sms"].pk)
    waiting = registration_create(
        activity_id=coffee.pk, mode="online", by=cast.coordinator, resident_id=block["sms_b"].pk
    )
    message = _invite(cast, block["sms"], coffee)
    reply_record(sender="0612345678", text="Nee.")
    assert _registration(coffee, block["sms"]) is None
    waiting.refresh_from_db()
    assert waiting.status == RegistrationStatus.CONFIRMED
    assert Recipient.objects.get(message=message).reply_outcome == "cancelled"
    assert OutboundMessage.objects.filter(to="+31612345678", text__startswith="U bent niet meer aangemeld").exists()


def test_a_yes_to_a_message_that_did_not_ask_registers_nobody(cast: Cast, block, coffee):
    message = _invite(cast, block["sms"], coffee, ask=False)
    assert "JA" not in memory.outbox[0].text
    reply_record(sender="+31612345678", text="JA")
    assert _registration(coffee, block["sms"]) is None
    recipient = Recipient.objects.get(message=message)
    assert (recipient.reply, recipient.reply_outcome) == ("JA", "")


def test_asking_for_ja_or_nee_needs_an_activity_that_takes_registrations(cast: Cast, block, coffee):
    draft = Draft(text="Hallo", channels=("sms",), resident_ids=(block["sms"].pk,), ask_yes_no=True)
    with pytest.raises(ValidationError) as raised:
        message_send(by=cast.coordinator, draft=draft, base_url=BASE)
    assert set(raised.value.message_dict) == {"ask_yes_no"}
    Activity.objects.filter(pk=coffee.pk).update(registration_required=False)
    with pytest.raises(ValidationError):
        _invite(cast, block["sms"], coffee)
    assert not Message.objects.exists()


def test_the_compose_page_offers_the_question_and_the_preview_shows_it(cast: Cast, client, block, coffee):
    client.force_login(cast.coordinator)
    page = client.post(
        f"/berichten/nieuw/?resident={block['sms'].pk}",
        {"activity": coffee.pk, "text": "Komt u, {first_name}?", "channels": ["sms"], "ask_yes_no": "on"}
        | {"action": "preview"},
    ).content.decode()
    assert "Vraag per sms om JA of NEE" in page
    assert "Antwoord JA om u aan te melden of NEE als u niet kunt komen." in page


def test_the_confirmation_is_in_the_residents_language(cast: Cast, block, coffee):
    Resident.objects.filter(pk=block["sms"].pk).update(languages=["tr", "nl"])
    _invite(cast, block["sms"], coffee)
    reply_record(sender="+31612345678", text="JA")  # the asked word: it says nothing of the language
    confirmation = memory.outbox[-1].text
    assert "Koffie online etkinliğine kaydınız yapıldı. Görüşmek üzere!" in confirmation
    assert " saat " in confirmation  # the date in Turkish too, not "om"


def test_a_reply_in_arabic_is_answered_in_arabic_and_a_resident_without_texts_in_dutch(cast: Cast, block, coffee):
    registration_create(activity_id=coffee.pk, mode="online", by=cast.coordinator, resident_id=block["sms"].pk)
    _invite(cast, block["sms"], coffee)
    reply_record(sender="+31612345678", text="لا")  # no, in Arabic, from a resident with no languages recorded
    assert memory.outbox[-1].text == "لم تعد مسجّلًا في Koffie online. شكرًا لإخبارنا."
    Resident.objects.filter(pk=block["sms_b"].pk).update(languages=["ber"])
    _invite(cast, block["sms_b"], coffee)
    reply_record(sender="+31687654321", text="JA")
    assert memory.outbox[-1].text.startswith("U bent aangemeld voor Koffie online op ")
