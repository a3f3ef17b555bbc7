"""Counting contacts as they are logged: the reporting app above contacts registers its counter here.

Contacts may not import insights (docs/layers.md). Insights registers a :class:`ContactCounter`
from its ``AppConfig.ready``; contacts, and activities (a contact for each known attendee), call
it inside the transaction that saves the contacts, so the day's figures never disagree with the log.
"""

from collections.abc import Callable
from dataclasses import dataclass

from veerkracht.contacts.models import Contact
from veerkracht.core.registry import Registry

# A contact with the neighbourhood of its first resident (None when it has none).
Counted = tuple[Contact, int | None]


@dataclass(frozen=True)
class ContactCounter:
    logged: Callable[[list[Counted]], None]  # new contacts (and attempts)
    now_reached: Callable[[Contact, int | None], None]  # an attempt that became a contact


contact_counters: Registry[ContactCounter] = Registry("contact counter")


def contacts_counted(contacts: list[Counted]) -> None:
    """Tell every counter of new contacts."""
    for counter in contact_counters.values():
        counter.logged(contacts)


def contact_now_reached(contact: Contact, neighbourhood_id: int | None) -> None:
    """Tell every counter that an attempt turned into a contact (the resident answered)."""
    for counter in contact_counters.values():
        counter.now_reached(contact, neighbourhood_id)
