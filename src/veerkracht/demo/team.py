"""The demo city's team: the basisbaan login's contract and last two weeks of hours, and volunteers' sign-ups.

The basisbaan login has 24 contract hours a week and a time sheet for each weekday of the last
two weeks (the older week approved, the last days waiting), so "Hours" and the payroll export
show something; two people signed up as volunteers, one of them halfway through the intake.
"""

import random
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from veerkracht.core.models import Neighbourhood, Organisation, User
from veerkracht.core.roles import Role
from veerkracht.team.models import (
    ApplicationStatus,
    Contract,
    EntryKind,
    SheetStatus,
    TimeEntry,
    TimeSheet,
    VolunteerApplication,
)

WORK = [
    (EntryKind.OUTREACH, "Portiekgesprekken"),
    (EntryKind.OTHER, "Flyers voor de balkonbingo rondbrengen"),
    (EntryKind.OUTREACH, "Intercombellen bij ouderen"),
    (EntryKind.OTHER, "Koffie schenken in het buurthuis"),
]


def _hours(organisation: Organisation, rng: random.Random) -> int:
    worker = User.objects.filter(organisation=organisation, username="basisbaan").first()
    coordinator = User.objects.filter(organisation=organisation, role=Role.COORDINATOR).order_by("pk").first()
    if worker is None:
        return 0
    Contract.objects.create(user=worker, hours_per_week=Decimal(24))
    today, now = timezone.localdate(), timezone.now()
    days = [today - timedelta(days=back) for back in range(14, 0, -1)]
    sheets = TimeSheet.objects.bulk_create(
        TimeSheet(
            organisation=organisation,
            worker=worker,
            day=day,
            status=SheetStatus.APPROVED if (today - day).days > 7 else SheetStatus.SUBMITTED,
            reviewed_by=coordinator if (today - day).days > 7 else None,
            reviewed_at=now if (today - day).days > 7 else None,
        )
        for day in days
        if day.weekday() < 4  # four days a week
    )
    entries = []
    for sheet in sheets:
        for kind, description in rng.sample(WORK, 2):
            entries.append(TimeEntry(sheet=sheet, kind=kind, description=description, minutes=rng.choice((120, 180))))
    TimeEntry.objects.bulk_create(entries)
    return len(sheets)


def _sign_ups(organisation: Organisation) -> int:
    neighbourhood = Neighbourhood.objects.filter(organisation=organisation).order_by("code").first()
    today = timezone.localdate()
    VolunteerApplication.objects.bulk_create(
        [
            VolunteerApplication(
                organisation=organisation,
                neighbourhood=neighbourhood,
                first_name="Joke",
                last_name="van Dam",
                email="joke.vandam@example.org",
                interests=["groceries", "company", "activities"],
                languages=["nl"],
                motivation="Ik ben net met pensioen en wil graag iets voor de buurt doen.",
            ),
            VolunteerApplication(
                organisation=organisation,
                neighbourhood=neighbourhood,
                first_name="Mehmet",
                last_name="Aydın",
                phone="0612398765",
                interests=["digital", "webinars"],
                languages=["nl", "tr"],
                status=ApplicationStatus.INTAKE,
                conversation_on=today - timedelta(days=6),
                reference_name="Buurtcoach Ilse",
                reference_checked_on=today - timedelta(days=4),
                vog_requested_on=today - timedelta(days=4),
            ),
        ]
    )
    return 2


def demo_team_write(organisation: Organisation, seed: int) -> dict[str, int]:
    """Write the basisbaan hours and the volunteers' sign-ups; returns the counts."""
    rng = random.Random(f"{seed}/team")
    return {"time sheets": _hours(organisation, rng), "volunteer sign-ups": _sign_ups(organisation)}
