"""Video calls: an unguessable room on the configured Jitsi Meet, the link sent, a contact on completion."""

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.utils import timezone

from tests.conftest import Cast
from veerkracht.contacts.models import CallTask, Contact
from veerkracht.contacts.services import call_task_done
from veerkracht.core.models import OutboundMessage
from veerkracht.messaging.backends import memory
from veerkracht.messaging.models import VideoCall
from veerkracht.messaging.videocalls import (
    room_url,
    video_call_cancel,
    video_call_complete,
    video_call_plan,
    video_call_reminders_send,
    video_call_start,
)

BASE = "https://veerkracht.example.nl/"


def _plan(cast: Cast, resident, by=None) -> VideoCall:
    return video_call_plan(
        by=by or cast.professional,
        resident_id=resident.pk,
        scheduled_at=timezone.now() + timedelta(hours=2),
        base_url=BASE,
    )


@override_settings(VIDEO_CALL_BASE_URL="https://meet.welzijn.example/")
def test_a_video_call_gets_an_unguessable_room_and_the_link_goes_out_by_sms(cast: Cast, block):
    call = _plan(cast, block["sms"])
    other = _plan(cast, block["sms"])
    assert call.room != other.room
    assert len(call.room) >= len("veerkracht-") + 22  # 16 random bytes
    assert room_url(call) == f"https://meet.welzijn.example/{call.room}"
    sms = memory.outbox[0]
    assert sms.to == "+31612345678"
    assert room_url(call) in sms.text
    assert call.invitation is not None
    assert call.invitation.recipients.get().channel == "sms"


def test_without_consent_the_call_is_made_but_no_link_is_sent(cast: Cast, block):
    call = _plan(cast, block["none"])
    assert call.invitation is not None
    assert call.invitation.recipients.get().left_out_reason == "no_consent"
    assert memory.outbox == []


def test_a_held_video_call_is_a_contact_with_its_duration(cast: Cast, block):
    call = _plan(cast, block["letter"])
    video_call_start(by=cast.professional, call_id=call.pk)
    VideoCall.objects.filter(pk=call.pk).update(started_at=timezone.now() - timedelta(minutes=24, seconds=10))
    done = video_call_complete(by=cast.professional, call_id=call.pk)
    assert (done.status, done.duration_minutes) == ("completed", 25)
    contact = Contact.objects.get(channel="video_call")
    assert (contact.duration_minutes, contact.reached, contact.worker) == (25, True, cast.professional)
    assert list(contact.residents.all()) == [block["letter"]]
    block["letter"].refresh_from_db()
    assert block["letter"].last_reached_at is not None
    # Completing again changes nothing.
    assert video_call_complete(by=cast.professional, call_id=call.pk).contact_id == contact.pk
    assert Contact.objects.filter(channel="video_call").count() == 1


def test_a_duration_can_be_entered_for_a_call_not_started_here(cast: Cast, block):
    call = _plan(cast, block["letter"])
    with pytest.raises(ValidationError):
        video_call_complete(by=cast.professional, call_id=call.pk)
    assert video_call_complete(by=cast.professional, call_id=call.pk, duration_minutes=10).duration_minutes == 10


def test_calls_outside_scope_are_refused(cast: Cast, block):
    with pytest.raises(ValidationError):
        _plan(cast, block["sms"], by=cast.other_professional)
    call = _plan(cast, block["sms"])
    from veerkracht.core.exceptions import NotFound

    with pytest.raises(NotFound):
        video_call_complete(by=cast.other_professional, call_id=call.pk, duration_minutes=5)


@override_settings(VIDEO_CALL_BASE_URL="")
def test_without_a_video_service_no_call_is_planned(cast: Cast, block):
    with pytest.raises(ValidationError):
        _plan(cast, block["sms"])
    assert not VideoCall.objects.exists()


def _tomorrow_at(hour: int):
    return (timezone.localtime() + timedelta(days=1)).replace(hour=hour, minute=0, second=0, microsecond=0)


def _plan_at(cast: Cast, resident, when) -> VideoCall:
    return video_call_plan(by=cast.professional, resident_id=resident.pk, scheduled_at=when, base_url=BASE)


def test_the_reminder_goes_by_the_residents_channel_the_day_before_and_once(cast: Cast, block):
    in_two_days = _tomorrow_at(11) + timedelta(days=1)
    by_sms = _plan_at(cast, block["sms"], in_two_days)
    by_mail = _plan_at(cast, block["email"], in_two_days)
    sent_before = OutboundMessage.objects.count()
    assert video_call_reminders_send() == 0  # not tomorrow yet
    with time_machine.travel(timezone.localtime() + timedelta(days=1), tick=False):
        assert video_call_reminders_send() == 2
        assert video_call_reminders_send() == 0
    reminders = {row.to: row for row in OutboundMessage.objects.order_by("pk")[sent_before:]}
    assert sorted(reminders) == ["+31612345678", "gerrit@example.org"]
    sms = reminders["+31612345678"]
    assert sms.text.startswith("Hallo Annie, morgen bellen we u")
    assert room_url(by_sms) in sms.text
    mail = reminders["gerrit@example.org"]
    assert room_url(by_mail) in mail.text
    assert mail.subject.startswith("Herinnering: beeldgesprek op")


def test_a_cancelled_call_gets_no_reminder(cast: Cast, block):
    call = _plan_at(cast, block["sms"], _tomorrow_at(15))
    video_call_cancel(by=cast.professional, call_id=call.pk)
    assert video_call_reminders_send() == 0


def test_a_letter_resident_is_phoned_by_the_worker_instead(cast: Cast, block, client):
    when = _tomorrow_at(10) + timedelta(days=2)
    call = _plan_at(cast, block["letter"], when)
    assert memory.outbox == []
    task = CallTask.objects.get()
    assert call.call_task == task
    assert (task.worker, task.resident, task.due_on) == (
        cast.professional,
        block["letter"],
        when.date() - timedelta(days=1),
    )
    assert task.reason.startswith("Beeldgesprek op")
    with time_machine.travel(when - timedelta(days=1), tick=False):
        assert video_call_reminders_send() == 0  # the worker's call is the reminder
    client.force_login(cast.professional)
    page = client.get("/werklijsten/opvolgen/").content.decode()
    assert "Te bellen" in page
    assert block["letter"].first_name in page
    assert task.reason in page
    client.post(f"/werklijsten/opvolgen/bellen/{task.pk}/gedaan/")
    task.refresh_from_db()
    assert task.done_at is not None
    assert block["letter"].first_name not in client.get("/werklijsten/opvolgen/").content.decode()


def test_a_colleague_cannot_tick_off_anothers_call(cast: Cast, block):
    _plan_at(cast, block["letter"], _tomorrow_at(10))
    task = CallTask.objects.get()
    assert task.due_on == timezone.localdate()  # the day before is today
    with pytest.raises(ValidationError):
        call_task_done(by=cast.other_professional, task_id=task.pk)
    assert CallTask.objects.get().done_at is None


def test_a_resident_with_sms_gets_no_call_task(cast: Cast, block):
    call = _plan_at(cast, block["sms"], _tomorrow_at(10))
    assert call.call_task is None
    assert not CallTask.objects.exists()


@pytest.mark.parametrize(
    ("languages", "invitation", "reminder", "subject"),
    [
        (
            ["tr", "nl"],
            "Merhaba Annie, {when} tarihinde sizi görüntülü arayacağız. O zaman bu bağlantıya dokunun: ",
            "Merhaba Annie, yarın {when} tarihinde sizi görüntülü arayacağız. O zaman bu bağlantıya dokunun: ",
            "Hatırlatma: {when} tarihinde görüntülü görüşme",
        ),
        (
            ["ar"],
            "مرحبًا Annie، سنتصل بك بالفيديو يوم {when}. اضغط على هذا الرابط في ذلك الوقت: ",
            "مرحبًا Annie، سنتصل بك غدًا بالفيديو يوم {when}. اضغط على هذا الرابط في ذلك الوقت: ",
            "تذكير: مكالمة فيديو يوم {when}",
        ),
    ],
)
def test_a_turkish_or_arabic_resident_gets_invitation_and_reminder_in_their_language(
    cast: Cast, block, languages: list[str], invitation: str, reminder: str, subject: str
):
    from veerkracht.messaging.wording import when_text

    resident = block["sms"]
    resident.languages = languages
    resident.email, resident.consent_email = "annie@example.org", True
    resident.save()
    when = _tomorrow_at(11) + timedelta(days=1)
    call = _plan_at(cast, resident, when)
    local_when = when_text(when, languages[0])  # the day, month and "at" in their language too
    assert local_when != when_text(when)
    (sms,) = OutboundMessage.objects.all()
    assert sms.text == invitation.format(when=local_when) + room_url(call)
    with time_machine.travel(timezone.localtime() + timedelta(days=1), tick=False):
        resident.preferred_channel = "email"
        resident.save()
        assert video_call_reminders_send() == 1
    mail = OutboundMessage.objects.order_by("-pk").first()
    assert mail is not None
    assert mail.channel == "email"
    assert mail.subject == subject.format(when=local_when)
    assert mail.text == reminder.format(when=local_when) + room_url(call)


def test_a_resident_who_consented_to_whatsapp_only_gets_the_link_by_whatsapp_not_a_call(cast: Cast, block):
    resident = block["none"]  # a mobile number, no consent yet
    resident.consent_app = True
    resident.save()
    call = _plan(cast, resident)
    (row,) = OutboundMessage.objects.all()
    assert (row.channel, row.to) == ("app", "+31611111111")
    assert room_url(call) in row.text
    assert call.call_task is None
