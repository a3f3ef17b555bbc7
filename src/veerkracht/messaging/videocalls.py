"""Video call appointments: a room on the organisation's Jitsi Meet, the link sent, a contact on completion."""

import math
import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from veerkracht.contacts.models import MAX_DURATION_MINUTES
from veerkracht.contacts.services import contact_log
from veerkracht.core.access import Capability, can, organisation_id_of
from veerkracht.core.channels import Channel
from veerkracht.core.models import User
from veerkracht.messaging.models import SendChannel, VideoCall, VideoCallStatus
from veerkracht.messaging.selectors import video_call_for
from veerkracht.messaging.services import Draft, message_send
from veerkracht.messaging.wording import VIDEO_CALL, when_text, wording_texts
from veerkracht.people.selectors import residents_visible_to

ROOM_BYTES = 16  # 128 random bits: a room nobody finds without the link
FURTHEST_AHEAD = timedelta(days=92)


def room_url(call: VideoCall) -> str:
    """The meeting link of a call on the configured Jitsi Meet."""
    return f"{settings.VIDEO_CALL_BASE_URL.rstrip('/')}/{call.room}"


def _check_when(scheduled_at: datetime) -> None:
    now = timezone.now()
    if scheduled_at < now - timedelta(hours=1):
        raise ValidationError({"scheduled_at": _("Plan the call from now on.")})
    if scheduled_at > now + FURTHEST_AHEAD:
        raise ValidationError({"scheduled_at": _("Plan the call within the next three months.")})


@transaction.atomic
def video_call_plan(*, by: User, resident_id: int, scheduled_at: datetime, base_url: str) -> VideoCall:
    """Make an appointment with a resident in scope and send them the link by SMS or e-mail (their consent)."""
    if not can(by, Capability.HOLD_VIDEO_CALLS):
        raise ValidationError(_("You cannot hold video calls."))
    if not settings.VIDEO_CALL_BASE_URL:
        raise ValidationError(_("No video service has been configured (VIDEO_CALL_BASE_URL)."))
    resident = residents_visible_to(by).filter(pk=resident_id).first()
    if resident is None:
        raise ValidationError({"resident_id": _("This resident is unknown or outside your neighbourhoods.")})
    _check_when(scheduled_at)
    call = VideoCall.objects.create(
        organisation_id=organisation_id_of(by),
        resident=resident,
        worker=by,
        scheduled_at=scheduled_at,
        room="veerkracht-" + secrets.token_urlsafe(ROOM_BYTES),
    )
    subject, text = wording_texts(VIDEO_CALL)
    draft = Draft(
        text=text,
        subject=subject,
        channels=(SendChannel.SMS, SendChannel.EMAIL),
        resident_ids=(resident.pk,),
    )
    facts = {"when": when_text(scheduled_at), "link": room_url(call)}
    call.invitation = message_send(by=by, draft=draft, base_url=base_url, facts=facts)
    call.save(update_fields=["invitation"])
    return call


@transaction.atomic
def video_call_start(*, by: User, call_id: int) -> VideoCall:
    """The worker opens the room: the call's duration is counted from now."""
    call = video_call_for(by, call_id)
    if call.status == VideoCallStatus.PLANNED:
        call.status, call.started_at = VideoCallStatus.STARTED, timezone.now()
        call.save(update_fields=["status", "started_at"])
    return call


def _duration(call: VideoCall, now: datetime, duration_minutes: int | None) -> int:
    if duration_minutes is None:
        if call.started_at is None:
            raise ValidationError({"duration_minutes": _("Enter how long the call took.")})
        duration_minutes = max(1, math.ceil((now - call.started_at).total_seconds() / 60))
    if not 1 <= duration_minutes <= MAX_DURATION_MINUTES:
        raise ValidationError({"duration_minutes": _("Enter a duration between 1 and 1440 minutes.")})
    return duration_minutes


@transaction.atomic
def video_call_complete(*, by: User, call_id: int, duration_minutes: int | None = None) -> VideoCall:
    """End the call: a Contact of channel video_call with its duration goes into the resident's log."""
    call = video_call_for(by, call_id)
    if call.status == VideoCallStatus.COMPLETED:
        return call
    if call.status == VideoCallStatus.CANCELLED:
        raise ValidationError(_("This call was cancelled."))
    now = timezone.now()
    minutes = _duration(call, now, duration_minutes)
    call.contact = contact_log(
        by=by,
        resident_ids=[call.resident_id],
        channel=Channel.VIDEO_CALL,
        started_at=now - timedelta(minutes=minutes),
        duration_minutes=minutes,
    )
    call.status, call.ended_at, call.duration_minutes = VideoCallStatus.COMPLETED, now, minutes
    call.save(update_fields=["contact", "status", "ended_at", "duration_minutes"])
    return call


@transaction.atomic
def video_call_cancel(*, by: User, call_id: int) -> VideoCall:
    """Cancel a call that has not been held."""
    call = video_call_for(by, call_id)
    if call.status == VideoCallStatus.COMPLETED:
        raise ValidationError(_("A call that was held cannot be cancelled."))
    call.status = VideoCallStatus.CANCELLED
    call.save(update_fields=["status"])
    return call
