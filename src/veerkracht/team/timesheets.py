"""Writes of time sheets: a worker's hours per day (by entry, or a whole day at once) and their approval.

A worker keeps only their own sheet; never more than 24 hours on a day (decided under a row lock
on the day's sheet, so two phones saving at once cannot pass it together); an approved day no
longer changes. A coordinator approves or returns a day.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from veerkracht.activities.models import Activity
from veerkracht.core.access import Capability, can, organisation_id_of, within_organisation
from veerkracht.core.exceptions import NotFound
from veerkracht.core.models import User
from veerkracht.help.models import Match
from veerkracht.team.models import MINUTES_PER_DAY, EntryKind, SheetStatus, TimeEntry, TimeSheet

OLDEST_DAY = timedelta(days=62)  # last month and this one: what payroll still takes


@dataclass(frozen=True)
class Entry:
    """Hours on one thing; ``activity_id`` or ``match_id`` for those kinds, a description otherwise."""

    kind: str
    minutes: int
    activity_id: int | None = None
    match_id: int | None = None
    description: str = ""


def _worker(by: User, worker_id: int | None) -> User:
    if not can(by, Capability.REPORT_HOURS):
        raise ValidationError(_("Only basisbaan workers and volunteers keep a time sheet."))
    if worker_id is not None and worker_id != by.pk:
        raise ValidationError({"worker_id": _("You can only fill in your own time sheet.")})
    return by


def _check_day(day: date) -> None:
    today = timezone.localdate()
    if day > today:
        raise ValidationError({"day": _("You cannot fill in hours for a day still to come.")})
    if day < today - OLDEST_DAY:
        raise ValidationError({"day": _("This day is too long ago; ask your coordinator.")})


def _activities_of(by: User) -> Q:
    return Q(organiser=by) | Q(helpers=by)


def _entry(by: User, entry: Entry) -> TimeEntry:
    """A checked entry (not yet saved): the activity or help task must be the worker's own."""
    if entry.kind not in EntryKind.values:
        raise ValidationError({"kind": _("Choose what the hours were for.")})
    if not 1 <= entry.minutes <= MINUTES_PER_DAY:
        raise ValidationError({"minutes": _("Enter between a quarter of an hour and 24 hours.")})
    made = TimeEntry(kind=entry.kind, minutes=entry.minutes, description=entry.description.strip()[:200])
    if entry.kind == EntryKind.ACTIVITY:
        activities = within_organisation(Activity.objects.filter(_activities_of(by)), by).distinct()
        made.activity = activities.filter(pk=entry.activity_id or 0).first()
        if made.activity is None:
            raise ValidationError({"activity_id": _("Choose an activity you organised or helped at.")})
    elif entry.kind == EntryKind.HELP_TASK:
        made.match = Match.objects.filter(pk=entry.match_id or 0, offer__helper=by).first()
        if made.match is None:
            raise ValidationError({"match_id": _("Choose one of your own help tasks.")})
    elif not made.description:
        raise ValidationError({"description": _("Describe what you did.")})
    return made


def _open_sheet(by: User, day: date) -> TimeSheet:
    """The worker's sheet of the day, locked; created if new; refused once approved."""
    sheet, _created = TimeSheet.objects.select_for_update().get_or_create(
        worker=by, day=day, defaults={"organisation_id": organisation_id_of(by)}
    )
    if sheet.status == SheetStatus.APPROVED:
        raise ValidationError({"day": _("This day has been approved; ask your coordinator to change it.")})
    return sheet


def _check_total(sheet: TimeSheet) -> None:
    total = sheet.entries.aggregate(total=Sum("minutes"))["total"] or 0
    if total > MINUTES_PER_DAY:
        raise ValidationError({"entries": _("That makes more than 24 hours on one day.")})


def _resubmit(sheet: TimeSheet) -> None:
    sheet.status, sheet.updated_at = SheetStatus.SUBMITTED, timezone.now()
    sheet.save(update_fields=["status", "updated_at"])


@transaction.atomic
def time_entry_add(*, by: User, day: date, entry: Entry, worker_id: int | None = None) -> TimeSheet:
    """Add hours to the worker's own day; the day waits for approval again."""
    worker = _worker(by, worker_id)
    _check_day(day)
    made = _entry(worker, entry)
    sheet = _open_sheet(worker, day)
    made.sheet = sheet
    made.save()
    _check_total(sheet)
    _resubmit(sheet)
    return sheet


@transaction.atomic
def time_sheet_save(*, by: User, day: date, entries: list[Entry], worker_id: int | None = None) -> TimeSheet:
    """Replace the worker's own day with these entries (the API's whole-day write)."""
    worker = _worker(by, worker_id)
    _check_day(day)
    if not entries:
        raise ValidationError({"entries": _("Enter at least one line of hours.")})
    made = [_entry(worker, entry) for entry in entries]
    if sum(entry.minutes for entry in made) > MINUTES_PER_DAY:
        raise ValidationError({"entries": _("That makes more than 24 hours on one day.")})
    sheet = _open_sheet(worker, day)
    sheet.entries.all().delete()
    for entry in made:
        entry.sheet = sheet
    TimeEntry.objects.bulk_create(made)
    _resubmit(sheet)
    return sheet


@transaction.atomic
def time_entry_remove(*, by: User, entry_id: int) -> TimeSheet:
    """Take a line off one's own day, before it is approved."""
    entry = TimeEntry.objects.select_related("sheet").filter(pk=entry_id, sheet__worker=by).first()
    if entry is None:
        raise NotFound
    sheet = _open_sheet(by, entry.sheet.day)
    entry.delete()
    if not sheet.entries.exists():
        sheet.delete()
    else:
        _resubmit(sheet)
    return sheet


@transaction.atomic
def time_sheet_review(*, by: User, sheet_id: int, approve: bool, note: str = "") -> TimeSheet:
    """A coordinator approves a day, or returns it with a note for a change."""
    if not can(by, Capability.MANAGE_TEAMS):
        raise NotFound
    sheet = within_organisation(TimeSheet.objects.select_for_update(), by).filter(pk=sheet_id).first()
    if sheet is None:
        raise NotFound
    if not approve and not note.strip():
        raise ValidationError({"note": _("Say what should change.")})
    sheet.status = SheetStatus.APPROVED if approve else SheetStatus.RETURNED
    sheet.reviewed_by, sheet.reviewed_at, sheet.review_note = by, timezone.now(), note.strip()[:300]
    sheet.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_note"])
    return sheet
