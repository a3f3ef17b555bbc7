"""Messages' part in a resident's export and erasure."""

from typing import Any

from veerkracht.core.models import OutboundMessage
from veerkracht.messaging.models import Recipient, VideoCall
from veerkracht.people.models import Resident


def messaging_export(resident: Resident) -> dict[str, Any]:
    """The messages sent to the resident (the text they got) and their video calls."""
    recipients = Recipient.objects.filter(resident=resident).select_related("message", "outbound").order_by("pk")
    calls = VideoCall.objects.filter(resident=resident).order_by("scheduled_at")
    return {
        "messages": [
            {
                "sent_at": recipient.message.created_at,
                "channel": recipient.channel,
                "left_out_reason": recipient.left_out_reason,
                "to": recipient.outbound.to if recipient.outbound else "",
                "text": recipient.outbound.text if recipient.outbound else recipient.message.text,
                "status": recipient.outbound.status if recipient.outbound else "",
                "answered_at": recipient.answered_at,
            }
            for recipient in recipients
        ],
        "video_calls": [
            {"scheduled_at": call.scheduled_at, "status": call.status, "duration_minutes": call.duration_minutes}
            for call in calls
        ],
    }


def messaging_erase(resident: Resident) -> None:
    """Remove the addresses and personal texts sent to the resident; that a message went stays for the counts."""
    OutboundMessage.objects.filter(recipient__resident=resident).update(to="", text="", subject="")
