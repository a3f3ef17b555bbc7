"""The dashboards' aggregate tables: one increment per logged contact or attendance, or a rebuild.

Contacts are counted per day and, in the same transaction, per month; attendances per activity
and attendees' neighbourhood in the groups of the bridging dashboard.
"""

from datetime import date
from typing import Any

from django.db import connection, transaction
from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce, TruncDate, TruncMonth
from django.utils import timezone

from veerkracht.activities.models import Activity, Attendance
from veerkracht.contacts.models import Contact, ContactResident
from veerkracht.insights.models import MIX_GROUPS, AttendanceMix, ContactDaily, ContactMonthly, mix_group
from veerkracht.people.models import Resident


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
    key: dict[str, Any] = {"organisation_id": organisation_id, "neighbourhood_id": neighbourhood_id, "channel": channel}
    added = {"contacts": F("contacts") + contacts, "minutes": F("minutes") + minutes, "reached": F("reached") + reached}
    # Inside the caller's transaction (logging a contact) without a savepoint of its own: a failure
    # here fails the whole write anyway, and two savepoints cost two round trips per contact.
    with transaction.atomic(savepoint=False):
        days: tuple[tuple[type[ContactDaily | ContactMonthly], dict[str, Any]], ...] = (
            (ContactDaily, {**key, "day": day}),
            (ContactMonthly, {**key, "month": day.replace(day=1)}),
        )
        for model, where in days:
            # The row exists after the day's (month's) first contact: one UPDATE. The first one
            # creates it, locked, so a second first contact at the same time waits for it.
            if not model.objects.filter(**where).update(**added):
                row, _created = model.objects.select_for_update().get_or_create(**where)
                model.objects.filter(pk=row.pk).update(**added)


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
    """Recount the daily and monthly tables of an organisation from its contacts; returns the daily rows.

    The counting and the writing both happen inside the database (INSERT ... SELECT): at 20
    million contacts the daily table has millions of rows, too many to pass through Python.
    """
    first_neighbourhood = Subquery(
        ContactResident.objects.filter(contact=OuterRef("pk")).order_by("pk").values("resident__neighbourhood_id")[:1]
    )
    days = (
        Contact.objects.filter(organisation_id=organisation_id)
        .annotate(
            owner=Value(organisation_id),
            area=first_neighbourhood,
            day=TruncDate("started_at", tzinfo=timezone.get_current_timezone()),
        )
        .values("owner", "area", "day", "channel")
        .annotate(n=Count("id"), t=Coalesce(Sum("duration_minutes"), 0), r=Count("id", filter=Q(reached=True)))
        .order_by()
    )
    with transaction.atomic():
        ContactDaily.objects.filter(organisation_id=organisation_id).delete()
        written = _insert(ContactDaily, ["organisation_id", "neighbourhood_id", "day"], days)
        months = (
            ContactDaily.objects.filter(organisation_id=organisation_id)
            .annotate(first=TruncMonth("day"))
            .values("organisation_id", "neighbourhood_id", "first", "channel")
            .annotate(n=Sum("contacts"), t=Sum("minutes"), r=Sum("reached"))
            .order_by()
        )
        ContactMonthly.objects.filter(organisation_id=organisation_id).delete()
        _insert(ContactMonthly, ["organisation_id", "neighbourhood_id", "month"], months)
    return written


def _insert(model: type[ContactDaily | ContactMonthly], key: list[str], rows: QuerySet[Any]) -> int:
    """INSERT the rows of a grouped query: its columns are ``key``, channel, contacts, minutes, reached.

    Django (5.2) selects the values and annotations in the order they were named.
    """
    select, params = rows.query.sql_with_params()
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(c) for c in [*key, "channel", "contacts", "minutes", "reached"])
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {table} ({columns}) {select}", params)
        return max(int(cursor.rowcount), 0)


def attendance_counted(activity: Activity, resident: Resident) -> None:
    """One known attendee more in the activity's mix."""
    day = timezone.localdate(activity.starts_at)
    column = mix_group(day.year - resident.birth_year, resident.migration_background)
    with transaction.atomic(savepoint=False):  # as in _add
        row, _created = AttendanceMix.objects.select_for_update().get_or_create(
            activity=activity,
            neighbourhood_id=resident.neighbourhood_id,
            defaults={
                "organisation_id": activity.organisation_id,
                "kind": activity.kind,
                "starts_on": day,
            },
        )
        AttendanceMix.objects.filter(pk=row.pk).update(**{column: F(column) + 1})


def attendance_mix_rebuild(organisation_id: int) -> int:
    """Recount the attendance mix of an organisation from its attendances; returns the rows written."""
    known = Attendance.objects.filter(activity__organisation_id=organisation_id, resident__isnull=False)
    attendances = known.values_list(
        "activity_id",
        "activity__kind",
        "activity__starts_at",
        "resident__neighbourhood_id",
        "resident__birth_year",
        "resident__migration_background",
    )
    mixes: dict[tuple[int, int], AttendanceMix] = {}
    for activity_id, kind, starts_at, neighbourhood_id, born, migrant in attendances.iterator(chunk_size=5000):
        day = timezone.localdate(starts_at)
        mix = mixes.get((activity_id, neighbourhood_id))
        if mix is None:
            mix = mixes[(activity_id, neighbourhood_id)] = AttendanceMix(
                organisation_id=organisation_id,
                activity_id=activity_id,
                neighbourhood_id=neighbourhood_id,
                kind=kind,
                starts_on=day,
                **dict.fromkeys(MIX_GROUPS, 0),
            )
        column = mix_group(day.year - born, migrant)
        setattr(mix, column, getattr(mix, column) + 1)
    with transaction.atomic():
        AttendanceMix.objects.filter(organisation_id=organisation_id).delete()
        AttendanceMix.objects.bulk_create(mixes.values(), batch_size=2000)
    return len(mixes)
