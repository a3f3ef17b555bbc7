"""The contact log's part in a resident's export and erasure."""

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from veerkracht.contacts.models import CallTask, Concern, ConcernEvent, Contact, ContactResident
from veerkracht.people.models import Resident
from veerkracht.people.registry import PersonalData, shown


def contacts_export(resident: Resident) -> dict[str, list[dict[str, Any]]]:
    """Every contact and concern about the resident, with the concerns' history."""
    contacts = Contact.objects.filter(participants__resident=resident).select_related("worker").order_by("started_at")
    concerns = Concern.objects.filter(resident=resident).prefetch_related("history").order_by("created_at")
    calls = CallTask.objects.filter(resident=resident).select_related("worker").order_by("due_on", "pk")
    return {
        _("Contacts"): [
            {
                _("Start"): shown(contact.started_at),
                _("Duration (minutes)"): shown(contact.duration_minutes),
                _("Channel"): contact.get_channel_display(),
                _("Reached"): shown(contact.reached),
                _("Worker"): contact.worker.display_name,
                _("Interpreter"): shown(contact.interpreter),
                _("Note"): shown(contact.note),
                _("Follow up on"): shown(contact.follow_up_on),
            }
            for contact in contacts
        ],
        _("Concerns"): [
            {
                _("Category"): concern.get_category_display(),
                _("Severity"): shown(concern.severity),
                _("Status"): concern.get_status_display(),
                _("Description"): shown(concern.description),
                _("Referred to"): shown(concern.referral_target),
                _("Raised on"): shown(concern.created_at),
                _("Closed on"): shown(concern.closed_at),
                _("History"): "; ".join(
                    f"{shown(event.at)} {event.get_status_to_display()} {event.note}".strip()
                    for event in concern.history.all()
                ),
            }
            for concern in concerns
        ],
        _("Phone calls to make"): [
            {
                _("Call on"): shown(call.due_on),
                _("Worker"): call.worker.display_name,
                _("Reason"): shown(call.reason),
                _("Done on"): shown(call.done_at),
            }
            for call in calls
        ],
    }


def contacts_erase(resident: Resident) -> None:
    """Empty every note about the resident; times, channels and categories stay for the counts."""
    Contact.objects.filter(participants__resident=resident).update(note="")
    concerns = Concern.objects.filter(resident=resident)
    ConcernEvent.objects.filter(concern__in=concerns).update(note="")
    concerns.update(description="", referral_target="")
    CallTask.objects.filter(resident=resident).update(reason="")


PERSONAL_DATA = PersonalData(
    name="contact_log",
    heading=gettext_lazy("Contacts and concerns"),
    models=(Contact, ContactResident, Concern, ConcernEvent, CallTask),
    export=contacts_export,
    erase=contacts_erase,
)
