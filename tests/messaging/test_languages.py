"""A ready-made template goes out in the resident's language where a text exists, else in Dutch."""

from django.core import mail

from tests.conftest import Cast
from tests.messaging.test_yes_no import BASE, coffee_morning
from veerkracht.messaging.audience import Segment
from veerkracht.messaging.backends import memory
from veerkracht.messaging.languages import language_for, template_in
from veerkracht.messaging.services import Draft, message_send
from veerkracht.people.models import Resident


def _speak(resident: Resident, *languages: str) -> None:
    Resident.objects.filter(pk=resident.pk).update(languages=list(languages))
    resident.refresh_from_db()


def test_every_template_exists_in_dutch_english_turkish_and_arabic():
    from veerkracht.messaging.wording import TEMPLATES

    for name in TEMPLATES:
        for language in ("nl", "en", "tr", "ar"):
            assert template_in(name, language) is not None, (name, language)
    assert template_in("check_in", "pl") is None


def test_the_first_of_the_residents_languages_with_a_text_is_chosen(block):
    _speak(block["sms"], "pl", "tr", "en")
    assert language_for(block["sms"], "check_in") == "tr"  # no Polish text: the next language
    _speak(block["sms"], "pl")
    assert language_for(block["sms"], "check_in") == "nl"  # none of theirs: Dutch


def test_an_invitation_goes_out_in_turkish_arabic_english_or_dutch(cast: Cast, flats, block):
    coffee = coffee_morning(cast)
    _speak(block["sms"], "tr")
    _speak(block["sms_b"], "ar", "nl")
    _speak(block["young"], "pl")
    _speak(block["email"], "en")
    draft = Draft(
        template="activity_invitation",
        channels=("sms", "email"),
        segment=Segment(building_id=flats.pk),
        activity_id=coffee.pk,
    )
    message_send(by=cast.coordinator, draft=draft, base_url=BASE)
    texts = {sms.to: sms.text for sms in memory.outbox}
    assert texts["+31612345678"].startswith("Merhaba Annie, ")
    assert "Koffie online etkinliğine davetlisiniz" in texts["+31612345678"]
    assert texts["+31687654321"].startswith("مرحبًا Wim، أنت مدعو إلى Koffie online يوم ")
    assert texts["+31622222222"].startswith("Hallo Sanne, u bent welkom bij Koffie online op ")  # Polish: Dutch
    (email,) = mail.outbox
    assert (email.subject, email.body.split(" on ")[0]) == (
        "Invitation: Koffie online",
        "Hello Gerrit, you are welcome at Koffie online",
    )


def test_the_preview_counts_who_gets_their_own_language_and_who_dutch(cast: Cast, client, flats, block):
    _speak(block["sms"], "tr")
    _speak(block["email"], "ar")
    client.force_login(cast.coordinator)
    page = client.post(
        "/berichten/nieuw/",
        {"building": "1234AB 12", "template": "check_in", "channels": ["sms", "email"], "action": "preview"},
    ).content.decode()
    # Reached by SMS or e-mail: Annie (Turkish), Gerrit (Arabic), Wim, Sanne (Dutch).
    assert "Per sms of e-mail in hun eigen taal (Engels, Turks of Arabisch): 2. In het Nederlands: 2." in page


def test_the_stop_confirmation_follows_the_same_rule(cast: Cast, block):
    """The first of the resident's languages with the text, else Dutch."""
    from veerkracht.messaging.replies import reply_record

    _speak(block["sms"], "tr", "en")
    _speak(block["sms_b"], "pl")
    _speak(block["young"], "pl", "ar")
    for resident in (block["sms"], block["sms_b"], block["young"]):
        message_send(by=cast.coordinator, draft=Draft(text="Hallo", resident_ids=(resident.pk,)), base_url=BASE)
    organisation = cast.coordinator.organisation
    assert organisation is not None
    reply_record(sender="+31612345678", text="Stop")
    assert (
        memory.outbox[-1].text
        == f"Artık {organisation.name} kuruluşundan SMS almayacaksınız. Yeniden almak için bizi arayın."
    )
    reply_record(sender="+31687654321", text="STOP")
    assert memory.outbox[-1].text.startswith("U krijgt geen sms meer van ")
    reply_record(sender="+31622222222", text="توقف")
    assert memory.outbox[-1].text.startswith(f"لن تصلك بعد الآن رسائل نصية من {organisation.name}.")


def test_the_video_call_wordings_exist_in_dutch_english_turkish_and_arabic():
    from veerkracht.messaging.wording import OWN_WORDINGS

    for name in OWN_WORDINGS:
        for language in ("nl", "en", "tr", "ar"):
            assert template_in(name, language) is not None, (name, language)


def test_an_invitation_names_the_activity_in_the_language_of_the_template(cast: Cast, flats, block):
    """A Turkish text names the Turkish title the coordinator entered; where there is none (Arabic here), or
    the text is Dutch, the Dutch title."""
    from veerkracht.activities.models import ActivityText

    coffee = coffee_morning(cast)
    ActivityText.objects.create(activity=coffee, language="tr", title="Çevrimiçi kahve")
    _speak(block["sms"], "tr")
    _speak(block["sms_b"], "ar")
    _speak(block["young"], "pl", "tr")  # Polish has no text: Turkish, the next of theirs
    draft = Draft(
        template="activity_invitation", channels=("sms",), segment=Segment(building_id=flats.pk), activity_id=coffee.pk
    )
    message_send(by=cast.coordinator, draft=draft, base_url=BASE)
    texts = {sms.to: sms.text for sms in memory.outbox}
    assert texts["+31612345678"].startswith("Merhaba Annie, ")
    assert "Çevrimiçi kahve etkinliğine davetlisiniz" in texts["+31612345678"]
    assert "Çevrimiçi kahve etkinliğine davetlisiniz" in texts["+31622222222"]
    assert texts["+31687654321"].startswith("مرحبًا Wim، أنت مدعو إلى Koffie online يوم ")  # no Arabic title
    assert "Koffie online" not in texts["+31612345678"]


def test_a_yes_confirmation_names_the_activity_in_the_residents_language(cast: Cast, flats, block):
    from veerkracht.activities.models import ActivityText
    from veerkracht.messaging.replies import reply_record

    coffee = coffee_morning(cast)
    ActivityText.objects.create(activity=coffee, language="tr", title="Çevrimiçi kahve")
    _speak(block["sms"], "tr")
    draft = Draft(
        template="activity_invitation",
        channels=("sms",),
        resident_ids=(block["sms"].pk,),
        activity_id=coffee.pk,
        ask_yes_no=True,
    )
    message_send(by=cast.coordinator, draft=draft, base_url=BASE)
    reply_record(sender="+31612345678", text="Evet")
    assert "Çevrimiçi kahve" in memory.outbox[-1].text
