"""Reads of messages and video calls, scoped to the user: a sender sees the messages of their scope."""

from django.db.models import Count, Q, QuerySet

from veerkracht.core.access import Capability, can, within_organisation
from veerkracht.core.exceptions import NotFound
from veerkracht.core.models import OutboundStatus, User
from veerkracht.messaging.models import Message, Recipient, VideoCall
from veerkracht.people.selectors import residents_visible_to


def messages_visible_to(user: User) -> QuerySet[Message]:
    """Messages of the organisation for senders: coordinators see all, professionals their own."""
    messages = within_organisation(Message.objects.all(), user)
    if not can(user, Capability.SEND_MESSAGES):
        return messages.none()
    if can(user, Capability.MANAGE_TEAMS):
        return messages
    return messages.filter(sent_by=user)


def message_list(user: User) -> QuerySet[Message]:
    """The user's visible messages, newest first, with counts per delivery state."""
    return (
        messages_visible_to(user)
        .select_related("sent_by", "activity")
        .annotate(
            recipient_count=Count("recipients"),
            left_out_count=Count("recipients", filter=Q(recipients__channel="")),
            failed_count=Count("recipients", filter=Q(recipients__outbound__status=OutboundStatus.FAILED)),
        )
        .order_by("-created_at", "-id")
    )


def sms_waiting_count(user: User) -> int:
    """SMS of the user's visible messages still in the queue (all of them wait when no provider is set)."""
    return Recipient.objects.filter(
        message__in=messages_visible_to(user), channel="sms", outbound__status=OutboundStatus.QUEUED
    ).count()


def message_for(user: User, message_id: int) -> Message:
    """One visible message; 404 otherwise."""
    message = messages_visible_to(user).select_related("sent_by", "activity", "task_run").filter(pk=message_id).first()
    if message is None:
        raise NotFound
    return message


def recipients_of(user: User, message: Message) -> QuerySet[Recipient]:
    """The message's recipients that are still in the user's scope (a resident may have moved)."""
    return (
        message.recipients.filter(resident__in=residents_visible_to(user))
        .select_related("resident", "resident__household", "outbound")
        .order_by("resident__last_name", "resident__first_name", "pk")
    )


def video_calls_visible_to(user: User) -> QuerySet[VideoCall]:
    """Video calls with residents in the user's scope, for those who hold them."""
    if not can(user, Capability.HOLD_VIDEO_CALLS):
        return VideoCall.objects.none()
    return within_organisation(VideoCall.objects.all(), user).filter(resident__in=residents_visible_to(user))


def video_call_for(user: User, call_id: int) -> VideoCall:
    """One video call in scope; 404 otherwise."""
    call = video_calls_visible_to(user).select_related("resident", "worker", "invitation").filter(pk=call_id).first()
    if call is None:
        raise NotFound
    return call
