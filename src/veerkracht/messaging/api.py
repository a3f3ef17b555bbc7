"""API of messages to residents and video calls."""

from datetime import datetime
from typing import Any
from uuid import UUID

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from veerkracht.core.access import Capability
from veerkracht.core.gate import require_capability
from veerkracht.core.pagination import PageQuery, listing, page_of
from veerkracht.core.windows import PlannedMoment
from veerkracht.engines.plain_language import plain_language_check
from veerkracht.messaging import selectors, services, videocalls
from veerkracht.messaging.audience import Segment
from veerkracht.messaging.models import Message, SendChannel, VideoCall
from veerkracht.people.selectors import audit_residents_listed

router = Router(tags=["messages"])


class SegmentIn(Schema):
    neighbourhood_id: int | None = None
    building_id: int | None = None
    entrance_id: int | None = None
    marker: str = Field("", max_length=30, description="aged_75_plus, lives_alone, older_migrant, …")
    activity_id: int | None = Field(None, description="the registrants of this activity")


class MessageIn(Schema):
    resident_ids: list[int] = Field(default_factory=list, max_length=5000)
    segment: SegmentIn | None = None
    template: str = Field("", max_length=30, description="activity_invitation, activity_reminder, check_in")
    text: str = Field("", max_length=600, description="placeholders: {first_name}, {activity}, {when}, …")
    subject: str = Field("", max_length=150)
    channels: list[SendChannel] = Field(
        default_factory=lambda: list(SendChannel),
        description="in order of preference; each resident's own preferred channel goes first",
    )
    activity_id: int | None = Field(None, description="the activity whose details the text mentions")
    ask_yes_no: bool = Field(
        False, description="the SMS asks for JA or NEE: JA registers for the activity, NEE cancels"
    )
    team_id: int | None = Field(
        None, description="sent on behalf of one of your teams: e-mail answers go to its address"
    )


class RecipientOut(Schema):
    resident_id: int
    channel: str
    left_out_reason: str
    status: str  # queued, sending, sent, delivered, failed; letter; left_out
    attempts: int
    sent_at: datetime | None
    delivered_at: datetime | None
    answered_at: datetime | None


class MessageOut(Schema):
    id: int
    created_at: datetime
    subject: str
    text: str
    channels: list[str]
    segment: dict[str, Any]
    task_id: UUID | None
    task_status: str | None
    counts: dict[str, int]
    plain_language_hints: list[str]
    recipients: list[RecipientOut]


class MessageSummaryOut(Schema):
    """A message without its recipients: the list names no resident (so it reads none)."""

    id: int
    created_at: datetime
    subject: str
    text: str
    channels: list[str]
    sent_by_id: int
    activity_id: int | None
    recipient_count: int
    left_out_count: int
    failed_count: int


class MessagePage(Schema):
    items: list[MessageSummaryOut]
    count: int


class VideoCallIn(Schema):
    resident_id: int
    scheduled_at: PlannedMoment


class VideoCallDoneIn(Schema):
    duration_minutes: int | None = Field(None, ge=1, le=1440, description="empty: counted from the start")


class VideoCallOut(Schema):
    id: int
    resident_id: int
    scheduled_at: datetime
    status: str
    link: str
    invitation_message_id: int | None
    duration_minutes: int | None
    contact_id: int | None


def _hints(text: str) -> list[str]:
    report = plain_language_check(text)
    return [f"{sentence.words} words: {sentence.text}" for sentence in report.long_sentences] + [
        f"long word: {word}" for word in report.long_words
    ]


def _recipient_status(recipient: Any) -> str:
    if recipient.outbound is not None:
        return str(recipient.outbound.status)
    return "letter" if recipient.channel == SendChannel.LETTER else "left_out"


def message_out(message: Message, recipients: list[Any]) -> dict[str, Any]:
    counts: dict[str, int] = {}
    for recipient in recipients:
        key = recipient.channel or "left_out"
        counts[key] = counts.get(key, 0) + 1
    run = message.task_run
    return {
        "id": message.pk,
        "created_at": message.created_at,
        "subject": message.subject,
        "text": message.text,
        "channels": message.channels,
        "segment": message.segment,
        "task_id": run.pk if run else None,
        "task_status": run.status if run else None,
        "counts": counts,
        "plain_language_hints": _hints(message.text),
        "recipients": [
            {
                "resident_id": r.resident_id,
                "channel": r.channel,
                "left_out_reason": r.left_out_reason,
                "status": _recipient_status(r),
                "attempts": r.outbound.attempts if r.outbound else 0,
                "sent_at": r.outbound.sent_at if r.outbound else None,
                "delivered_at": r.outbound.delivered_at if r.outbound else None,
                "answered_at": r.answered_at,
            }
            for r in recipients
        ],
    }


@router.post("/messages", response={201: MessageOut})
def messages_create(request: HttpRequest, payload: MessageIn) -> Status[dict[str, Any]]:
    """Send to residents (``resident_ids``) or a segment, each by the first channel they consented to.

    Residents without consent for any chosen channel are never sent to: they are listed as left out.
    Delivery runs in the background; ``GET /messages/{id}`` shows it per recipient.
    """
    user = require_capability(request, Capability.SEND_MESSAGES)
    segment = Segment(**payload.segment.dict()) if payload.segment else None
    draft = services.Draft(
        text=payload.text,
        template=payload.template,
        subject=payload.subject,
        channels=tuple(str(channel) for channel in payload.channels),
        resident_ids=tuple(payload.resident_ids),
        segment=segment,
        activity_id=payload.activity_id,
        ask_yes_no=payload.ask_yes_no,
        team_id=payload.team_id,
    )
    message = services.message_send(by=user, draft=draft, base_url=request.build_absolute_uri("/"))
    message.refresh_from_db()
    recipients = list(selectors.recipients_of(user, message))
    return Status(201, message_out(message, recipients))


@router.get("/messages", response=MessagePage)
def messages_list(request: HttpRequest, query: Query[PageQuery]) -> dict[str, Any]:
    """Messages the caller may see, newest first: coordinators the organisation's, professionals their own."""
    user = require_capability(request, Capability.SEND_MESSAGES)
    items, count = page_of(selectors.message_list(user), query)
    return listing(
        [{name: getattr(message, name) for name in MessageSummaryOut.model_fields} for message in items], count
    )


@router.get("/messages/{message_id}", response=MessageOut)
def messages_read(request: HttpRequest, message_id: int) -> dict[str, Any]:
    """A message with the delivery per recipient."""
    user = require_capability(request, Capability.SEND_MESSAGES)
    message = selectors.message_for(user, message_id)
    recipients = list(selectors.recipients_of(user, message))
    audit_residents_listed(user, [recipient.resident for recipient in recipients])
    return message_out(message, recipients)


def video_call_out(call: VideoCall) -> dict[str, Any]:
    return {
        "id": call.pk,
        "resident_id": call.resident_id,
        "scheduled_at": call.scheduled_at,
        "status": call.status,
        "link": videocalls.room_url(call),
        "invitation_message_id": call.invitation_id,
        "duration_minutes": call.duration_minutes,
        "contact_id": call.contact_id,
    }


@router.post("/video-calls", response={201: VideoCallOut}, tags=["video calls"])
def video_calls_create(request: HttpRequest, payload: VideoCallIn) -> Status[dict[str, Any]]:
    """Plan a video call with a resident in scope; the link goes out by their SMS or e-mail consent."""
    user = require_capability(request, Capability.HOLD_VIDEO_CALLS)
    call = videocalls.video_call_plan(by=user, base_url=request.build_absolute_uri("/"), **payload.dict())
    return Status(201, video_call_out(call))


@router.post("/video-calls/{call_id}/complete", response=VideoCallOut, tags=["video calls"])
def video_calls_complete(request: HttpRequest, call_id: int, payload: VideoCallDoneIn) -> dict[str, Any]:
    """End a call: a Contact of channel video_call with its duration goes into the resident's log."""
    user = require_capability(request, Capability.HOLD_VIDEO_CALLS)
    call = videocalls.video_call_complete(by=user, call_id=call_id, duration_minutes=payload.duration_minutes)
    return video_call_out(call)
