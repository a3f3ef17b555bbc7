"""The daily contact aggregate: one increment per logged contact, or a rebuild from the contacts."""

from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Count, F, OuterRef, Q, Subquery, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from veerkracht.contacts.models import Contact, ContactResident
from veerkracht.insights.models import ContactDaily


def contact_counted(contact: Contact, neighbourhood_id: int | None) -> None:
    """Add one contact to its day: the neighbourhood is that of its first resident."""
    day: date = timezone.localdate(contact.started_at)
    key: dict[str, Any] = {
        "organisation_id": contact.organisation_id,
        "neighbourhood_id": neighbourhood_id,
        "day": day,
        "channel": contact.channel,
    }
    with transaction.atomic():
        row, _created = ContactDaily.objects.select_for_update().get_or_create(**key)
        ContactDaily.objects.filter(pk=row.pk).update(
            contacts=F("contacts") + 1,
            minutes=F("minutes") + contact.duration_minutes,
            reached=F("reached") + int(contact.reached),
        )


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
