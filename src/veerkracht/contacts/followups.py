"""The "terugbellen / opvolgen" worklist: follow-up dates a worker set on their own contacts.

A follow-up is done as soon as anyone reaches the resident again after that contact (a later
contact in the log): the worker need not tick anything off, and a colleague's call counts too.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Exists, OuterRef, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from veerkracht.contacts.models import CallTask, ContactResident
from veerkracht.core.access import Capability, can
from veerkracht.core.models import User
from veerkracht.core.startpage import Reminder
from veerkracht.people.selectors import residents_visible_to

AHEAD_DAYS = 7  # the list also shows the coming week, so a worker can plan
START_PAGE_LINES = 5


@dataclass(frozen=True)
class FollowUp:
    """One resident to call back or visit, from one of the worker's contacts."""

    resident_id: int
    name: str
    neighbourhood: str
    due_on: date
    channel: str  # how the last contact went, in words
    note: str
    overdue: bool


def open_follow_ups(user: User, *, until: date | None = None) -> QuerySet[ContactResident]:
    """The user's contacts with a follow-up date up to ``until`` that nobody has followed up yet."""
    until = until or timezone.localdate() + timedelta(days=AHEAD_DAYS)
    later = ContactResident.objects.filter(resident=OuterRef("resident"), started_at__gt=OuterRef("started_at"))
    links = ContactResident.objects.filter(
        contact__worker=user,
        contact__follow_up_on__isnull=False,
        contact__follow_up_on__lte=until,
        resident__in=residents_visible_to(user),
    )
    links = links.annotate(done=Exists(later)).filter(done=False)
    return links.select_related("contact", "resident", "resident__neighbourhood").order_by(
        "contact__follow_up_on", "resident__last_name", "id"
    )


def follow_ups_of(user: User, *, until: date | None = None, limit: int | None = None) -> list[FollowUp]:
    """The open follow-ups as lines of the worklist, overdue first."""
    today = timezone.localdate()
    links = open_follow_ups(user, until=until)
    return [
        FollowUp(
            resident_id=link.resident_id,
            name=link.resident.full_name,
            neighbourhood=link.resident.neighbourhood.name,
            due_on=link.contact.follow_up_on or today,
            channel=str(link.contact.get_channel_display()),
            note=link.contact.note[:120],
            overdue=(link.contact.follow_up_on or today) < today,
        )
        for link in (links[:limit] if limit else links)
    ]


def start_page_reminder(user: User) -> Reminder | None:
    """Today's and overdue follow-ups on the start page of whoever keeps the register."""
    if not can(user, Capability.VIEW_RESIDENT_REGISTER):
        return None
    lines = follow_ups_of(user, until=timezone.localdate(), limit=START_PAGE_LINES)
    return Reminder(
        heading=_("Call back and follow up"),
        url=reverse("contacts:follow_ups"),
        link_text=_("All follow-ups, also the coming week"),
        lines=[(line.name, reverse("people:detail", args=[line.resident_id]), _detail(line)) for line in lines],
        empty_text=_("Nothing to follow up today."),
    )


def _detail(line: FollowUp) -> str:
    when = _("overdue since %(day)s") % {"day": date_format(line.due_on, "j F")} if line.overdue else _("today")
    return f"{when} · {line.neighbourhood}"


def open_call_tasks(user: User, *, until: date | None = None) -> list[CallTask]:
    """The phone calls the user still has to make (``call_tasks``), due up to ``until``, soonest first."""
    until = until or timezone.localdate() + timedelta(days=AHEAD_DAYS)
    tasks = CallTask.objects.filter(
        worker=user, done_at__isnull=True, due_on__lte=until, resident__in=residents_visible_to(user)
    )
    return list(tasks.select_related("resident", "resident__neighbourhood").order_by("due_on", "pk"))
