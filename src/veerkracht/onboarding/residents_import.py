"""Importing residents from the organisation's previous system (the documented default columns).

A bad row is reported with its line, column and a Dutch reason and never stops the rows after it,
and no row is ever half saved. A row with an ``extern_id`` already known updates that resident
(audited as a change, by field name) or changes nothing; a row without one that matches a
resident on name, year of birth and address is reported as a likely duplicate and not imported
twice. The address must be in the address register (core/bag.py): the resident gets its real
position and neighbourhood, never a made-up one.

Rows are read and checked one by one, then the batch's new residents (with their new houses
and households) are inserted together and audited in one insert (``residents_new``): a query per
table per batch instead of four per row. Should the database refuse the batch (a constraint no
check here foresaw), it is taken back and its rows are saved one by one, each on its own, so a
bad row still costs only itself.

Only the year of birth is kept (the register stores no more, by data minimisation); the date is
checked to exist.
"""

from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from veerkracht.core.audit import audit_record
from veerkracht.core.bag import AddressSource
from veerkracht.core.models import AuditAction, Organisation, User
from veerkracht.onboarding import cells
from veerkracht.onboarding.locator import address_cells
from veerkracht.onboarding.reporting import Progress, Report, RowError, RowProblem, once_in_file, report_audit
from veerkracht.onboarding.residents_batch import Context, Row, household_for, residents_new
from veerkracht.onboarding.tabular import Table
from veerkracht.people.counters import residents_written
from veerkracht.people.models import Resident
from veerkracht.people.selectors import RESIDENT

COLUMNS = (
    "extern_id",
    "voornaam",
    "achternaam",
    "geboortedatum",
    "postcode",
    "huisnummer",
    "huisletter",
    "toevoeging",
    "telefoon",
    "email",
    "talen",
    "kenmerken",
    "toestemming_sms",
    "toestemming_email",
)
REQUIRED = ("voornaam", "achternaam", "geboortedatum", "postcode", "huisnummer")
BATCH = 500
DUPLICATE = "lijkt op een bewoner met dezelfde naam, geboortejaar en adres"


def _parse(context: Context, cells_of: dict[str, str]) -> Row:
    birth = cells.day(cells_of, "geboortedatum")
    assert birth is not None  # noqa: S101 - required
    today = timezone.localdate()
    if not 1900 <= birth.year <= today.year or birth > today:
        raise RowError("geboortedatum", f"geboortedatum {cells_of['geboortedatum']} kan niet kloppen")
    email = cells_of.get("email", "").strip().lower()
    if email and ("@" not in email or "." not in email.rsplit("@", 1)[-1]):
        raise RowError("email", f"email {email} is geen e-mailadres")
    phone = "".join(ch for ch in cells_of.get("telefoon", "") if ch.isdigit() or ch == "+")
    if phone and not 9 <= len(phone.lstrip("+")) <= 15:
        raise RowError("telefoon", f"telefoon {cells_of['telefoon']} is geen telefoonnummer")
    markers = set(cells.codes(cells_of, "kenmerken", context.markers))
    values: dict[str, Any] = {
        "first_name": cells.required(cells_of, "voornaam")[:100],
        "last_name": cells.required(cells_of, "achternaam")[:100],
        "birth_year": birth.year,
        "phone": phone,
        "email": email,
        "languages": cells.codes(cells_of, "talen", context.languages),
        "consent_sms": cells.yes_no(cells_of, "toestemming_sms"),
        "consent_email": cells.yes_no(cells_of, "toestemming_email"),
        **{name: name in markers for name in context.marker_fields},
    }
    postcode, house_number, suffix = address_cells(cells_of)
    return Row(0, cells.short(cells_of, "extern_id", 50), values, postcode, house_number, suffix)


def _changes(context: Context, resident: Resident, row: Row) -> list[str]:
    changed = [name for name, value in row.values.items() if getattr(resident, name) != value]
    household = resident.household
    if household is None or (household.postcode, household.house_number, household.house_number_suffix) != (
        row.postcode,
        row.house_number,
        row.suffix,
    ):
        context.locate(row)  # a new address must be found too, in a dry run as well
        changed.append("address")
    return changed


def _update(by: User | None, context: Context, resident: Resident, row: Row, changed: list[str]) -> None:
    """Apply a known resident's changed row, in its own savepoint."""
    saved = False
    try:
        with transaction.atomic():
            if "address" in changed:
                found, neighbourhood = context.locate(row)
                resident.household = household_for(context, row, found, neighbourhood)
                resident.neighbourhood = neighbourhood
            for name in changed:
                if name in row.values:
                    setattr(resident, name, row.values[name])
            resident.updated_at = timezone.now()
            with residents_written([resident.pk]):  # the reach counts follow (people/counters.py)
                resident.save()
            audit_record(
                action=AuditAction.UPDATE,
                actor=by,
                organisation=context.organisation,
                object_type=RESIDENT,
                object_id=resident.pk,
                fields=changed,
            )
        saved = True
    finally:
        context.settle(saved=saved)


class _Batch:
    """One batch of rows: each checked on its own; the new residents saved together at the end."""

    def __init__(self, by: User | None, context: Context, report: Report, seen: set[str], dry_run: bool) -> None:
        self.by, self.context, self.report, self.seen, self.dry_run = by, context, report, seen, dry_run
        self.new: list[Row] = []

    def refuse(self, number: int, column: str, reason: str) -> None:
        self.report.problems.append(RowProblem(number, column, reason))

    def take(self, number: int, cells_of: dict[str, str]) -> None:
        self.report.rows += 1
        try:
            row = _parse(self.context, cells_of)._replace(number=number)
            once_in_file(self.seen, row.extern_id)
            known = self.context.by_extern.get(row.extern_id) if row.extern_id else None
            if known is not None:
                self._known(known, row)
            elif not row.extern_id and self.context.is_duplicate(row):
                self.report.duplicates.append(RowProblem(number, "voornaam", DUPLICATE))
            else:
                found, neighbourhood = self.context.locate(row)
                self.new.append(row._replace(found=found, neighbourhood=neighbourhood))
                self.context.note(row)  # a second such row in the file is then a likely duplicate
        except RowError as error:
            self.refuse(number, error.column, error.reason)
        except IntegrityError:
            self.refuse(number, "extern_id", "kon niet worden opgeslagen (al in gebruik)")

    def _known(self, resident: Resident, row: Row) -> None:
        changed = _changes(self.context, resident, row)
        if not changed:
            self.report.unchanged += 1
            return
        if not self.dry_run:
            _update(self.by, self.context, resident, row, changed)
        self.report.updated += 1

    def save(self) -> None:
        """Insert the batch's new residents together; should the database refuse, each row on its own."""
        if self.dry_run or not self.new:
            self.report.created += len(self.new)
            return
        try:
            with transaction.atomic():
                residents_new(self.by, self.context, self.new)
            self.report.created += len(self.new)
            return
        except IntegrityError:
            pass
        for row in self.new:
            try:
                with transaction.atomic():
                    residents_new(self.by, self.context, [row])
                self.report.created += 1
            except IntegrityError:
                self.refuse(row.number, "extern_id", "kon niet worden opgeslagen (al in gebruik)")


def residents_import(
    *,
    by: User | None,
    organisation: Organisation,
    table: Table,
    file_name: str,
    dry_run: bool = False,
    sources: list[AddressSource] | None = None,
    progress: Progress | None = None,
) -> Report:
    """Import the file's residents; the report lists every refused row and likely duplicate.

    ``progress`` is told the percentage done after each batch.
    """
    report = Report("residents", file_name, dry_run)
    if report.lacks_columns(table.header, REQUIRED):
        return report
    context = Context(organisation, sources)
    seen: set[str] = set()
    # One commit per batch: a commit per row costs a disk flush each on SQLite.
    for start in range(0, len(table.rows), BATCH):
        with transaction.atomic():
            batch = _Batch(by, context, report, seen, dry_run)
            for number, cells_of in table.rows[start : start + BATCH]:
                batch.take(number, cells_of)
            batch.save()
        if progress is not None:
            progress(min(len(table.rows), start + BATCH) * 100 // len(table.rows))
    report.problems.sort(key=lambda problem: problem.row)
    report_audit(report, organisation=organisation, by=by)
    return report
