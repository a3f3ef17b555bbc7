"""Video call appointments: a room on the organisation's Jitsi Meet, the link sent, a contact on completion."""

import logging
import math
import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from veerkracht.contacts.models import MAX_DURATION_MINUTES, CallTask
from veerkracht.contacts.services import call_task_create, contact_log
from veerkracht.core.access import Capability, can, organisation_id_of
from veerkracht.core.channels import Channel
from veerkracht.core.models import User
from veerkracht.messaging.audience import channel_for
from veerkracht.messaging.models import Message, SendChannel, VideoCall, VideoCallStatus
from veerkracht.messaging.selectors import video_call_for
from veerkracht.messaging.services import Draft, message_send
from veerkracht.messaging.wording import when_text
from veerkracht.people.models import Resident
from veerkracht.people.selectors import residents_visible_to

logger = logging.getLogger(__name__)
# A link is tapped: SMS, WhatsApp or e-mail (the rule of every sender, people/reach.py), never a letter.
BY_MESSAGE = (SendChannel.SMS, SendChannel.APP, SendChannel.EMAIL)

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
    call.invitation = _send(call, "video_call", base_url=base_url)
    call.call_task = _phone_call_instead(call, resident)
    call.save(update_fields=["invitation", "call_task"])
    return call


def _send(call: VideoCall, wording: str, *, base_url: str) -> Message:
    """The invitation or reminder with the room's link, by SMS, WhatsApp or e-mail as the resident consented,
    in their language where the wording has a text in it (messaging/languages.py), else in Dutch."""
    draft = Draft(template=wording, channels=BY_MESSAGE, resident_ids=(call.resident_id,))
    facts = {"when": when_text(call.scheduled_at), "link": room_url(call)}
    return message_send(by=call.worker, draft=draft, base_url=base_url, facts=facts, moment=call.scheduled_at)


def _phone_call_instead(call: VideoCall, resident: Resident) -> CallTask | None:
    """A resident reachable only by letter is phoned by the worker the day before (a letter comes too late)."""
    if channel_for(resident, list(BY_MESSAGE)).channel or not channel_for(resident, [SendChannel.LETTER]).channel:
        return None
    day_before = timezone.localtime(call.scheduled_at).date() - timedelta(days=1)
    with translation.override(settings.LANGUAGE_CODE):
        reason = _("Video call on %(when)s: phone to remind them and to explain how to join.") % {
            "when": when_text(call.scheduled_at)
        }
    return call_task_create(
        by=call.worker, resident_id=resident.pk, due_on=max(day_before, timezone.localdate()), reason=reason
    )


def reminders_due() -> list[VideoCall]:
    """Planned calls of tomorrow (Amsterdam time) not yet reminded."""
    tomorrow = timezone.localdate() + timedelta(days=1)
    calls = VideoCall.objects.filter(
        status=VideoCallStatus.PLANNED, reminded_at__isnull=True, scheduled_at__date=tomorrow
    )
    return list(calls.select_related("worker", "resident").order_by("pk"))


def video_call_reminders_send(base_url: str = "") -> int:
    """The daily job: each call's reminder once (claimed row by row, so two workers never both send).

    A resident with a phone-call task gets no message: the worker's call is the reminder. A call
    whose worker can no longer reach the resident (left the team) is skipped, without a log of who.
    """
    sent = 0
    for call in reminders_due():
        with transaction.atomic():
            if not VideoCall.objects.filter(pk=call.pk, reminded_at__isnull=True).update(reminded_at=timezone.now()):
                continue
            if call.call_task_id is not None or not call.worker.is_active:
                continue
            try:
                with transaction.atomic():
                    _send(call, "video_call_reminder", base_url=base_url or settings.SMS_PUBLIC_URL)
            except ValidationError:
                logger.info("video call %s: reminder not sent (resident out of the worker's scope)", call.pk)
                continue
            sent += 1
    return sent


def reminders_job() -> None:
    video_call_reminders_send()


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
