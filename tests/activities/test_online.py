"""The online link, dial-in number and PIN reach those who take part online, and only them.

Right after registering, when moved up from the waitlist, in a reminder the day before; on their own
registration page; never on the public page, the poster or a calendar feed.
"""

from dataclasses import replace
from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone
from icalendar import Calendar

from tests.activities.conftest import soon
from tests.conftest import Cast
from veerkracht.activities.changes import activity_update
from veerkracht.activities.models import Registration
from veerkracht.activities.online import TEMPLATES, language_of, online_reminders_send
from veerkracht.activities.poster import where_lines
from veerkracht.activities.services import ActivityPlan, registration_cancel, registration_create
from veerkracht.contacts.models import CallTask
from veerkracht.core.models import Notification, OutboundMessage, TaskRun

LINK = "https://meet.example.org/veilig-thuis"


@pytest.fixture
def webinar(plan_at):
    return plan_at(
        None,
        title="Webinar veilig thuis",
        kind="webinar",
        max_participants=None,
        online_link=LINK,
        dial_in="020 123 4567",
        dial_in_pin="4321",
        max_online=1,
    )


@pytest.fixture
def hybrid(park, plan_at):
    return plan_at(park, title="Koffie in het park", online_link=LINK, dial_in="020 765 4321", max_online=5)


def _public(activity, name: str, phone: str, mode: str = "online") -> Registration:
    return registration_create(activity_id=activity.pk, name=name, phone=phone, consent=True, mode=mode)


def _sms_to(phone: str) -> list[str]:
    return list(OutboundMessage.objects.filter(channel="sms", to=phone).values_list("text", flat=True))


def test_a_webinar_registrant_gets_the_link_dial_in_and_pin_by_sms_at_once(webinar):
    registration = _public(webinar, "Ans", "0611111111")
    (text,) = _sms_to("0611111111")
    assert LINK in text
    assert "020 123 4567" in text
    assert "4321" in text
    assert "Ans" in text
    assert "Webinar veilig thuis" in text
    assert "Hallo Ans, u doet online mee" in text  # Dutch by default
    registration.refresh_from_db()
    assert registration.online_sent_at is not None
    assert TaskRun.objects.filter(kind="messaging.deliver").count() == 1


def test_an_on_site_registrant_of_a_hybrid_activity_gets_no_link(hybrid):
    _public(hybrid, "Bep", "0622222222", mode="onsite")
    assert _sms_to("0622222222") == []


def test_the_online_part_of_a_hybrid_activity_gets_the_link(hybrid):
    _public(hybrid, "Cor", "0633333333")
    (text,) = _sms_to("0633333333")
    assert LINK in text
    assert "020 765 4321" in text


def test_a_waitlisted_registrant_gets_the_link_only_when_promoted(webinar):
    first = _public(webinar, "Ans", "0611111111")
    waiting = _public(webinar, "Dirk", "0644444444")
    assert waiting.status == "waitlisted"
    assert _sms_to("0644444444") == []
    registration_cancel(registration_id=first.pk)
    (text,) = _sms_to("0644444444")
    assert "Goed nieuws, Dirk" in text
    assert LINK in text
    assert "4321" in text
    waiting.refresh_from_db()
    assert waiting.status == "confirmed"
    assert waiting.online_sent_at is not None


def test_the_registrant_hears_it_in_the_language_they_registered_in(webinar):
    from django.utils import translation

    with translation.override("tr"):
        _public(webinar, "Ayşe", "0655555555")
    (text,) = _sms_to("0655555555")
    assert text.startswith("Merhaba Ayşe")
    assert LINK in text


@pytest.mark.parametrize("language", ["nl", "tr", "ar"])
def test_every_template_has_a_text_in_dutch_turkish_and_arabic(language):
    from django.utils import translation

    for name, notice in TEMPLATES.items():
        with translation.override("en"):
            source = str(notice.opening)
        with translation.override(language):
            assert str(notice.opening) != source, (name, language)
            assert "{activity}" in str(notice.subject)
            assert "{first_name}" in str(notice.opening)


def test_a_resident_gets_it_by_e_mail_when_that_is_their_consent(cast: Cast, webinar):
    resident = cast.resident_north
    resident.consent_sms, resident.consent_email, resident.email = False, True, "ria@example.org"
    resident.languages = ["ar", "nl"]
    resident.save()
    registration_create(activity_id=webinar.pk, by=cast.professional, resident_id=resident.pk, mode="online")
    mail = OutboundMessage.objects.get(channel="email", to="ria@example.org")
    assert LINK in mail.text
    assert "4321" in mail.text
    assert mail.subject.endswith("Webinar veilig thuis")
    assert language_of(Registration.objects.get(resident=resident), "online_link") == "ar"


def test_a_resident_with_whatsapp_consent_who_prefers_the_app_gets_the_link_by_whatsapp(cast: Cast, webinar):
    """The rule of every sender (people/reach.py): consent to WhatsApp and "App / SMS" preferred."""
    resident = cast.resident_north
    resident.phone, resident.email = "06-23456789", "ria@example.org"
    resident.consent_sms = resident.consent_app = resident.consent_email = True
    resident.preferred_channel = "messaging"
    resident.save()
    registration_create(activity_id=webinar.pk, by=cast.professional, resident_id=resident.pk, mode="online")
    row = OutboundMessage.objects.get()
    assert (row.channel, row.to, row.subject) == ("app", "+31623456789", "")
    assert LINK in row.text
    assert "4321" in row.text


def test_a_resident_with_whatsapp_consent_only_gets_the_link_by_whatsapp(cast: Cast, webinar):
    resident = cast.resident_north
    resident.phone, resident.consent_app = "0623456789", True
    resident.consent_sms = resident.consent_email = False
    resident.save()
    registration_create(activity_id=webinar.pk, by=cast.professional, resident_id=resident.pk, mode="online")
    assert OutboundMessage.objects.get().channel == "app"
    assert not CallTask.objects.exists()


def test_a_resident_who_prefers_e_mail_gets_the_link_by_e_mail(cast: Cast, webinar):
    resident = cast.resident_north
    resident.phone, resident.email = "06-23456789", "ria@example.org"
    resident.consent_sms = resident.consent_app = resident.consent_email = True
    resident.preferred_channel = "email"
    resident.save()
    registration_create(activity_id=webinar.pk, by=cast.professional, resident_id=resident.pk, mode="online")
    row = OutboundMessage.objects.get()
    assert (row.channel, row.to) == ("email", "ria@example.org")
    assert row.subject.endswith("Webinar veilig thuis")
    assert LINK in row.text


def test_without_a_preference_sms_comes_before_whatsapp(cast: Cast, webinar):
    resident = cast.resident_north
    resident.phone, resident.preferred_channel = "0623456789", ""
    resident.consent_sms = resident.consent_app = True
    resident.save()
    registration_create(activity_id=webinar.pk, by=cast.professional, resident_id=resident.pk, mode="online")
    assert OutboundMessage.objects.get().channel == "sms"


def test_a_resident_reachable_only_by_letter_is_phoned_by_the_worker(cast: Cast, webinar):
    resident = cast.resident_north
    resident.consent_sms = resident.consent_email = False
    resident.consent_contact = True
    resident.save()
    registration_create(activity_id=webinar.pk, by=cast.professional, resident_id=resident.pk, mode="online")
    assert not OutboundMessage.objects.exists()
    task = CallTask.objects.get(worker=cast.professional)  # on the follow-up list, erased with the resident
    assert task.resident == resident
    assert task.due_on == timezone.localdate()
    assert "020 123 4567" in task.reason
    assert "4321" in task.reason
    assert not Notification.objects.filter(user=cast.professional, text__contains=resident.first_name).exists()


def test_the_reminder_goes_the_day_before_and_only_once(webinar):
    _public(webinar, "Ans", "0611111111")
    assert online_reminders_send() == 0  # three days ahead: not yet
    day_before = timezone.localtime(webinar.starts_at) - timedelta(days=1)
    with time_machine.travel(day_before.replace(hour=9), tick=False):
        assert online_reminders_send() == 1
        assert online_reminders_send() == 0
    texts = _sms_to("0611111111")
    assert len(texts) == 2
    assert texts[1].startswith("Hallo Ans, morgen is Webinar veilig thuis")
    assert LINK in texts[1]


def test_a_registration_on_the_day_before_is_not_reminded_again(plan_at):
    tomorrow = soon(days=1)
    webinar = plan_at(
        None, kind="webinar", max_participants=None, online_link=LINK, starts_at=tomorrow,
        ends_at=tomorrow + timedelta(hours=1),
    )  # fmt: skip
    _public(webinar, "Ans", "0611111111")
    assert online_reminders_send() == 0
    assert len(_sms_to("0611111111")) == 1


def test_a_cancelled_registration_or_activity_gets_no_reminder(webinar):
    registration = _public(webinar, "Ans", "0611111111")
    registration_cancel(registration_id=registration.pk)
    day_before = timezone.localtime(webinar.starts_at) - timedelta(days=1)
    with time_machine.travel(day_before.replace(hour=9), tick=False):
        assert online_reminders_send() == 0


def test_a_pin_needs_a_dial_in_number(plan_at):
    with pytest.raises(ValidationError) as error:
        plan_at(None, kind="webinar", max_participants=None, online_link=LINK, dial_in_pin="1234")
    assert "dial_in_pin" in error.value.message_dict


def test_the_link_is_on_the_registrants_own_page_once_confirmed(client, webinar):
    first = _public(webinar, "Ans", "0611111111")
    waiting = _public(webinar, "Dirk", "0644444444")
    page = client.get(f"/aanmelding/{first.cancel_token}/").content.decode()
    assert LINK in page
    assert "020 123 4567" in page
    assert "4321" in page
    waiting_page = client.get(f"/aanmelding/{waiting.cancel_token}/").content.decode()
    assert LINK not in waiting_page
    assert "4321" not in waiting_page


def test_the_link_is_on_a_residents_own_registrations(client, cast: Cast, webinar):
    resident = cast.resident_north
    resident.user = cast.resident
    resident.save()
    registration_create(activity_id=webinar.pk, by=cast.resident, resident_id=resident.pk, mode="online")
    client.force_login(cast.resident)
    page = client.get("/mijn-aanmeldingen/").content.decode()
    assert LINK in page
    assert "4321" in page


def test_the_public_page_poster_and_feeds_never_show_the_link(client, cast: Cast, webinar, hybrid):
    for activity in (webinar, hybrid):
        page = client.get(f"/activiteiten/{activity.pk}/").content.decode()
        assert LINK not in page
        assert activity.dial_in not in page
        assert all(LINK not in line and activity.dial_in not in line for line in where_lines(activity))
    ical = client.get(f"/agenda/{cast.organisation.slug}.ics").content
    calendar = Calendar.from_ical(ical)
    events = {str(event["SUMMARY"]): event for event in calendar.walk("VEVENT")}
    assert set(events) == {"Webinar veilig thuis", "Koffie in het park"}
    unfolded = ical.decode().replace("\r\n ", "")
    assert "meet.example.org" not in unfolded
    assert "123 4567" not in unfolded
    assert "765 4321" not in unfolded
    assert "4321" not in unfolded
    assert str(events["Webinar veilig thuis"]["LOCATION"]) == "Online"
    assert "de link krijgt u na aanmelding" in str(events["Koffie in het park"]["DESCRIPTION"])


def test_a_changed_link_reaches_who_already_had_the_old_one(cast: Cast, webinar):
    _public(webinar, "Ans", "0611111111")
    assert any(LINK in text for text in _sms_to("0611111111"))
    new_link = "https://meet.example.nl/nieuwe-kamer"
    fields = {name: getattr(webinar, name) for name in ("title", "kind", "starts_at", "ends_at", "max_participants")}
    plan = ActivityPlan(
        **fields, place_id=None, online_link=new_link, dial_in="020 123 4567", dial_in_pin="9876", max_online=1
    )
    activity_update(by=cast.professional, activity_id=webinar.pk, plan=plan)
    latest = _sms_to("0611111111")[-1]
    assert new_link in latest
    assert "9876" in latest
    # Nothing changed in the details: nobody is told again.
    sent = len(_sms_to("0611111111"))
    activity_update(by=cast.professional, activity_id=webinar.pk, plan=replace(plan, title="Webinar veilig wonen"))
    assert len(_sms_to("0611111111")) == sent


def test_the_public_json_api_never_carries_the_link_dial_in_number_or_pin(client, webinar, hybrid):
    """The programme and the public registration answer: anyone may read them, so they say only "online"."""
    secrets = (LINK, "meet.example.org", webinar.dial_in, "123 4567", "765 4321", webinar.dial_in_pin)
    answers = [
        client.get("/api/v1/activities"),
        client.get("/api/v1/activities", {"kind": "webinar"}),
        client.get("/api/v1/activities", {"page_size": 1}),
    ]
    programme = answers[0].json()
    assert {item["title"] for item in programme["items"]} >= {"Webinar veilig thuis", "Koffie in het park"}
    assert all(item["online"] for item in programme["items"] if item["id"] in (webinar.pk, hybrid.pk))
    registrants = [
        (webinar, "online", "Ans", "0611111111"),
        (webinar, "online", "Dirk", "0644444444"),
        (hybrid, "online", "Cor", "0633333333"),
        (hybrid, "onsite", "Bep", "0622222222"),
    ]
    for activity, mode, name, phone in registrants:
        # Confirmed, waitlisted (the webinar has one online seat), and both halves of a hybrid activity.
        body = {"name": name, "phone": phone, "consent": True, "mode": mode}
        registered = client.post(
            f"/api/v1/activities/{activity.pk}/registrations", body, content_type="application/json"
        )
        assert registered.status_code == 201
        answers.append(registered)
    assert [answer.json()["status"] for answer in answers[3:5]] == ["confirmed", "waitlisted"]
    for answer in answers:
        assert answer.status_code in (200, 201)
        raw = answer.content.decode()
        assert not [secret for secret in secrets if secret in raw], raw
        assert "online_link" not in raw
        assert "dial_in" not in raw
    # The registrant of the online part does get the link, by SMS: it is there to be kept out of the API.
    assert any(LINK in text for text in _sms_to("0611111111"))
