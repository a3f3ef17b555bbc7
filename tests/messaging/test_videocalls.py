"""Video calls: an unguessable room on the configured Jitsi Meet, the link sent, a contact on completion."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.utils import timezone

from tests.conftest import Cast
from veerkracht.contacts.models import Contact
from veerkracht.messaging.backends import memory
from veerkracht.messaging.models import VideoCall
from veerkracht.messaging.videocalls import room_url, video_call_complete, video_call_plan, video_call_start

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
