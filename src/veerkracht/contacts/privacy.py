"""The contact log's part in a resident's export and erasure."""

from typing import Any

from veerkracht.contacts.models import Concern, ConcernEvent, Contact
from veerkracht.people.models import Resident


def contacts_export(resident: Resident) -> dict[str, Any]:
    """Every contact and concern about the resident, with the concerns' history."""
    contacts = Contact.objects.filter(participants__resident=resident).select_related("worker").order_by("started_at")
    concerns = Concern.objects.filter(resident=resident).prefetch_related("history").order_by("created_at")
    return {
        "contacts": [
            {
                "started_at": contact.started_at,
                "duration_minutes": contact.duration_minutes,
                "channel": contact.channel,
                "reached": contact.reached,
                "worker": contact.worker.display_name,
                "language": contact.language,
                "interpreter": contact.interpreter,
                "initiative": contact.initiative,
                "topics": contact.topics,
                "note": contact.note,
                "follow_up_on": contact.follow_up_on,
            }
            for contact in contacts
        ],
        "concerns": [
            {
                "category": concern.category,
                "severity": concern.severity,
                "status": concern.status,
                "description": concern.description,
                "referral_target": concern.referral_target,
                "due_on": concern.due_on,
                "raised_at": concern.created_at,
                "closed_at": concern.closed_at,
                "history": [
                    {"at": event.at, "from": event.status_from, "to": event.status_to, "note": event.note}
                    for event in concern.history.all()
                ],
            }
            for concern in concerns
        ],
    }


def contacts_erase(resident: Resident) -> None:
    """Empty every note about the resident; times, channels and categories stay for the counts."""
    Contact.objects.filter(participants__resident=resident).update(note="")
    concerns = Concern.objects.filter(resident=resident)
    ConcernEvent.objects.filter(concern__in=concerns).update(note="")
    concerns.update(description="", referral_target="")
