"""Importing residents from the organisation's previous system (the documented default columns).

Each row is saved whole or not at all (its own savepoint); a bad row is reported with its line,
column and a Dutch reason and never stops the rows after it. A row with an ``extern_id`` already
known updates that resident (audited as a change, by field name) or changes nothing; a row
without one that matches a resident on name, year of birth and address is reported as a likely
duplicate and not imported twice. The address must be in the address register (core/bag.py):
the resident gets its real position and neighbourhood, never a made-up one.

Only the year of birth is kept (the register stores no more, by data minimisation); the date is
checked to exist.
"""

from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from veerkracht.core.audit import audit_record
from veerkracht.core.bag import AddressSource, FoundAddress
from veerkracht.core.models import AuditAction, Neighbourhood, Organisation, User
from veerkracht.onboarding import cells
from veerkracht.onboarding.locator import Locator, address_cells
from veerkracht.onboarding.reporting import Report, RowError, RowProblem, once_in_file, report_audit
from veerkracht.onboarding.tabular import Table
from veerkracht.people.models import Building, BuildingKind, Household, Resident
from veerkracht.people.selectors import RESIDENT
from veerkracht.people.vocabulary import LANGUAGES, MARKERS

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
MARKER_FIELDS = [marker for marker in MARKERS if marker != "aged_75_plus"]  # 75+ follows from the year of birth


@dataclass(frozen=True)
class _Row:
    extern_id: str
    values: dict[str, Any]  # the resident's fields
    postcode: str
    house_number: int
    suffix: str


class _Context:
    """What every row needs, read once: the locator, the vocabularies and the known residents."""

    def __init__(self, organisation: Organisation, sources: list[AddressSource] | None) -> None:
        self.organisation = organisation
        self.locator = Locator(organisation, sources)
        self.languages = cells.dutch_labels(LANGUAGES)
        self.markers = cells.dutch_labels([(name, MARKERS[name]) for name in MARKER_FIELDS])
        # Households and houses of the organisation by address, read once; a row's new ones join
        # only once the row is saved (``settle``), so a refused row leaves no stale entry behind.
        self.households = {
            (h.postcode, h.house_number, h.house_number_suffix): h
            for h in Household.objects.filter(organisation=organisation)
        }
        self.buildings = {(b.postcode, b.house_number): b for b in Building.objects.filter(organisation=organisation)}
        self.new_households: dict[tuple[str, int, str], Household] = {}
        self.new_buildings: dict[tuple[str, int], Building] = {}
        self.by_extern: dict[str, Resident] = {
            r.extern_id: r
            for r in Resident.objects.filter(organisation=organisation, erased_at=None).exclude(extern_id="")
        }

    def locate(self, row: _Row) -> tuple[FoundAddress, Neighbourhood]:
        return self.locator.locate(row.postcode, row.house_number, row.suffix)

    def settle(self, *, saved: bool) -> None:
        if saved:
            self.households.update(self.new_households)
            self.buildings.update(self.new_buildings)
        self.new_households.clear()
        self.new_buildings.clear()


def _parse(context: _Context, cells_of: dict[str, str]) -> _Row:
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
        **{name: name in markers for name in MARKER_FIELDS},
    }
    postcode, house_number, suffix = address_cells(cells_of)
    return _Row(cells.short(cells_of, "extern_id", 50), values, postcode, house_number, suffix)


def _household(context: _Context, row: _Row, found: FoundAddress, neighbourhood: Neighbourhood) -> Household:
    """The household at the address (made, with its house, at the register's position when new)."""
    key = (row.postcode, row.house_number, row.suffix)
    household = context.households.get(key) or context.new_households.get(key)
    if household is not None:
        return household
    building = context.buildings.get(key[:2]) or context.new_buildings.get(key[:2])
    organisation = context.organisation
    street, city = found.street or "?", found.city or organisation.city
    if building is None:
        building = Building.objects.create(
            organisation=organisation,
            neighbourhood=neighbourhood,
            kind=BuildingKind.HOUSE,
            street=street,
            house_number=row.house_number,
            postcode=row.postcode,
            city=city,
            x=found.x,
            y=found.y,
        )
        context.new_buildings[key[:2]] = building
    household = Household.objects.create(
        organisation=organisation,
        neighbourhood=neighbourhood,
        building=building,
        street=street,
        house_number=row.house_number,
        house_number_suffix=row.suffix,
        postcode=row.postcode,
        city=city,
        x=found.x,
        y=found.y,
    )
    context.new_households[key] = household
    return household


def _likely_duplicate(context: _Context, row: _Row) -> bool:
    return Resident.objects.filter(
        organisation=context.organisation,
        erased_at=None,
        first_name__iexact=row.values["first_name"],
        last_name__iexact=row.values["last_name"],
        birth_year=row.values["birth_year"],
        household__postcode=row.postcode,
        household__house_number=row.house_number,
        household__house_number_suffix=row.suffix,
    ).exists()


def _update(by: User | None, context: _Context, resident: Resident, row: _Row, dry_run: bool) -> bool:
    """Apply a known resident's changed row; False when nothing changed."""
    changed = [name for name, value in row.values.items() if getattr(resident, name) != value]
    household = resident.household
    if household is None or (household.postcode, household.house_number, household.house_number_suffix) != (
        row.postcode,
        row.house_number,
        row.suffix,
    ):
        found, neighbourhood = context.locate(row)
        changed.append("address")
        if not dry_run:
            resident.household, resident.neighbourhood = _household(context, row, found, neighbourhood), neighbourhood
    if not changed or dry_run:
        return bool(changed)
    for name in changed:
        if name in row.values:
            setattr(resident, name, row.values[name])
    resident.updated_at = timezone.now()
    resident.save()
    audit_record(
        action=AuditAction.UPDATE,
        actor=by,
        organisation=context.organisation,
        object_type=RESIDENT,
        object_id=resident.pk,
        fields=changed,
    )
    return True


def _create(by: User | None, context: _Context, row: _Row, dry_run: bool) -> None:
    found, neighbourhood = context.locate(row)
    if dry_run:
        return
    resident = Resident.objects.create(
        organisation=context.organisation,
        neighbourhood=neighbourhood,
        household=_household(context, row, found, neighbourhood),
        extern_id=row.extern_id,
        consent_given_on=timezone.localdate() if row.values["consent_sms"] or row.values["consent_email"] else None,
        **row.values,
    )
    if row.extern_id:
        context.by_extern[row.extern_id] = resident
    audit_record(
        action=AuditAction.CREATE,
        actor=by,
        organisation=context.organisation,
        object_type=RESIDENT,
        object_id=resident.pk,
        fields=sorted(row.values),
    )


BATCH = 500


def _import_row(
    by: User | None,
    context: _Context,
    report: Report,
    seen: set[str],
    number: int,
    cells_of: dict[str, str],
    dry_run: bool,
) -> None:
    report.rows += 1
    saved = False
    try:
        row = _parse(context, cells_of)
        once_in_file(seen, row.extern_id)
        with transaction.atomic():
            known = context.by_extern.get(row.extern_id) if row.extern_id else None
            if known is not None:
                if _update(by, context, known, row, dry_run):
                    report.updated += 1
                else:
                    report.unchanged += 1
            elif not row.extern_id and _likely_duplicate(context, row):
                report.duplicates.append(
                    RowProblem(number, "voornaam", "lijkt op een bewoner met dezelfde naam, geboortejaar en adres")
                )
            else:
                _create(by, context, row, dry_run)
                report.created += 1
        saved = True
    except RowError as error:
        report.problems.append(RowProblem(number, error.column, error.reason))
    except IntegrityError:
        report.problems.append(RowProblem(number, "extern_id", "kon niet worden opgeslagen (al in gebruik)"))
    finally:
        context.settle(saved=saved)


def residents_import(
    *,
    by: User | None,
    organisation: Organisation,
    table: Table,
    file_name: str,
    dry_run: bool = False,
    sources: list[AddressSource] | None = None,
) -> Report:
    """Import the file's residents; the report lists every refused row and likely duplicate."""
    report = Report("residents", file_name, dry_run)
    if report.lacks_columns(table.header, REQUIRED):
        return report
    context = _Context(organisation, sources)
    seen: set[str] = set()
    # Rows are committed in batches (one commit per row costs a disk flush each on SQLite); each
    # row is its own savepoint inside the batch, so a bad row still leaves nothing behind.
    for start in range(0, len(table.rows), BATCH):
        with transaction.atomic():
            for number, cells_of in table.rows[start : start + BATCH]:
                _import_row(by, context, report, seen, number, cells_of, dry_run)
    report_audit(report, organisation=organisation, by=by)
    return report
