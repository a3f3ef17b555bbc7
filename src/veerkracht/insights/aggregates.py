"""The daily contact aggregate: one increment per logged contact, or a rebuild from the contacts."""

from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Count, F, OuterRef, Q, Subquery, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from veerkracht.contacts.models import Contact, ContactResident
from veerkracht.insights.models import ContactDaily


def _add(
    organisation_id: int,
    neighbourhood_id: int | None,
    day: date,
    channel: str,
    *,
    contacts: int,
    minutes: int,
    reached: int,
) -> None:
    key: dict[str, Any] = {
        "organisation_id": organisation_id,
        "neighbourhood_id": neighbourhood_id,
        "day": day,
        "channel": channel,
    }
    with transaction.atomic():
        row, _created = ContactDaily.objects.select_for_update().get_or_create(**key)
        ContactDaily.objects.filter(pk=row.pk).update(
            contacts=F("contacts") + contacts, minutes=F("minutes") + minutes, reached=F("reached") + reached
        )


def contact_counted(contact: Contact, neighbourhood_id: int | None) -> None:
    """Add one contact to its day: the neighbourhood is that of its first resident."""
    day: date = timezone.localdate(contact.started_at)
    _add(
        contact.organisation_id, neighbourhood_id, day, contact.channel,
        contacts=1, minutes=contact.duration_minutes, reached=int(contact.reached),
    )  # fmt: skip


def contacts_counted(contacts: list[tuple[Contact, int | None]]) -> None:
    """Add a batch (a message to many residents) with one update per day, neighbourhood and channel."""
    totals: dict[tuple[int, int | None, date, str], list[int]] = {}
    for contact, neighbourhood_id in contacts:
        key = (contact.organisation_id, neighbourhood_id, timezone.localdate(contact.started_at), contact.channel)
        total = totals.setdefault(key, [0, 0, 0])
        total[0] += 1
        total[1] += contact.duration_minutes
        total[2] += int(contact.reached)
    for (organisation_id, neighbourhood_id, day, channel), (count, minutes, reached) in totals.items():
        _add(organisation_id, neighbourhood_id, day, channel, contacts=count, minutes=minutes, reached=reached)


def contact_now_reached(contact: Contact, neighbourhood_id: int | None) -> None:
    """An attempt turned into a contact (the resident answered): one more reached on its day."""
    day: date = timezone.localdate(contact.started_at)
    _add(contact.organisation_id, neighbourhood_id, day, contact.channel, contacts=0, minutes=0, reached=1)


def contact_daily_rebuild(organisation_id: int) -> int:
    """Recount the whole aggregate of an organisation from its contacts; returns the rows written."""
    first_neighbourhood = Subquery(
        ContactResident.objects.filter(contact=OuterRef("pk")).order_by("pk").values("resident__neighbourhood_id")[:1]
    )
    grouped = (
        Contact.objects.filter(organisation_id=organisation_id)
        .annotate(day=TruncDate("started_at", tzinfo=timezone.get_current_timezone()), area=first_neighbourhood)
        .values("day", "area", "channel")
        .annotate(count=Count("id"), total=Sum("duration_minutes"), reached_count=Count("id", filter=Q(reached=True)))
        .order_by()
    )
    rows = [
        ContactDaily(
            organisation_id=organisation_id,
            neighbourhood_id=row["area"],
            day=row["day"],
            channel=row["channel"],
            contacts=row["count"],
            minutes=row["total"] or 0,
            reached=row["reached_count"],
        )
        for row in grouped.iterator(chunk_size=5000)
    ]
    with transaction.atomic():
        ContactDaily.objects.filter(organisation_id=organisation_id).delete()
        ContactDaily.objects.bulk_create(rows, batch_size=2000)
    return len(rows)
