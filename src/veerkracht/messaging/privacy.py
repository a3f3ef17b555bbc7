"""Messages' part in a resident's export and erasure."""

from typing import Any

from django.db.models import Count, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from veerkracht.core.models import OutboundMessage, OutboundStatus
from veerkracht.messaging.models import Message, Recipient, VideoCall
from veerkracht.people.models import Resident
from veerkracht.people.registry import PersonalData, shown


def messaging_export(resident: Resident) -> dict[str, list[dict[str, Any]]]:
    """The messages sent to the resident (the text they got) and their video calls."""
    recipients = Recipient.objects.filter(resident=resident).select_related("message", "outbound").order_by("pk")
    calls = VideoCall.objects.filter(resident=resident).select_related("worker").order_by("scheduled_at")
    return {
        _("Messages"): [
            {
                _("Sent on"): shown(recipient.message.created_at),
                _("Channel"): recipient.get_channel_display() or "—",
                _("Not sent because"): recipient.get_left_out_reason_display() or "—",
                _("To"): shown(recipient.outbound.to if recipient.outbound else ""),
                _("Text"): recipient.outbound.text if recipient.outbound else recipient.message.text,
                _("Delivery"): recipient.outbound.get_status_display() if recipient.outbound else "—",
                _("Answered on"): shown(recipient.answered_at),
                _("Reply"): recipient.reply or "—",
                _("What the reply did"): recipient.get_reply_outcome_display() or "—",
            }
            for recipient in recipients
        ],
        _("Video calls"): [
            {
                _("When"): shown(call.scheduled_at),
                _("With"): call.worker.display_name,
                _("Status"): call.get_status_display(),
                _("Duration (minutes)"): shown(call.duration_minutes),
            }
            for call in calls
        ],
    }


def messaging_erase(resident: Resident) -> None:
    """Remove the addresses and texts sent to the resident; that a message went stays for the counts.

    A message written to this resident alone is personal as a whole, so its own text goes too.
    """
    outbound = OutboundMessage.objects.filter(recipient__resident=resident)
    # What is still waiting is not sent any more: the address it would go to is gone.
    outbound.filter(status=OutboundStatus.QUEUED).update(status=OutboundStatus.FAILED, next_attempt_at=None)
    outbound.update(to="", text="", subject="", provider_id="", last_error="", unsubscribe_url="")
    Recipient.objects.filter(resident=resident).update(reply="")
    only_to_them = (
        Message.objects.filter(recipients__resident=resident)
        .annotate(others=Count("recipients", filter=~Q(recipients__resident=resident)))
        .filter(others=0)
        .values_list("pk", flat=True)
    )
    Message.objects.filter(pk__in=list(only_to_them)).update(text="", subject="")


PERSONAL_DATA = PersonalData(
    name="messages",
    heading=gettext_lazy("Messages and video calls"),
    models=(Recipient, VideoCall, Message, OutboundMessage),
    export=messaging_export,
    erase=messaging_erase,
)
