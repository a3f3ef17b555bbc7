"""Loading the organisation's address file: postcode;huisnummer;huisletter;toevoeging;straat;woonplaats;x;y (RD New).

Positions are stored as they come, in RD New (EPSG:28992) metres, the coordinate system of every
position in Veerkracht; points outside the Netherlands' RD range are refused as a likely
swap of x and y or WGS84 degrees.
"""

from django.db import transaction

from veerkracht.core.bag import suffix_key
from veerkracht.core.models import Organisation, RegisteredAddress, User
from veerkracht.onboarding import cells
from veerkracht.onboarding.reporting import Progress, Report, RowError, RowProblem, counted, report_audit
from veerkracht.onboarding.tabular import Table

COLUMNS = ("postcode", "huisnummer", "huisletter", "toevoeging", "straat", "woonplaats", "x", "y")
REQUIRED = ("postcode", "huisnummer", "straat", "woonplaats", "x", "y")
# The Netherlands within the RD New grid, with a margin: x 10-280 km, y 300-625 km (Kadaster).
# Degrees (WGS84) or swapped columns fall outside it.
RD_X, RD_Y = (10_000.0, 280_000.0), (300_000.0, 625_000.0)
BATCH = 2000


def _address(organisation: Organisation, row: dict[str, str]) -> RegisteredAddress:
    x, y = cells.decimal_number(row, "x"), cells.decimal_number(row, "y")
    assert x is not None  # noqa: S101 - required above
    assert y is not None  # noqa: S101
    if not (RD_X[0] < x < RD_X[1]):
        raise RowError("x", f"x {row['x']} ligt niet in Nederland (RD New, meters)")
    if not (RD_Y[0] < y < RD_Y[1]):
        raise RowError("y", f"y {row['y']} ligt niet in Nederland (RD New, meters)")
    letter = cells.short(row, "huisletter", 1).upper()
    if letter and not letter.isalpha():
        raise RowError("huisletter", f"huisletter {letter} is geen letter")
    addition = cells.short(row, "toevoeging", 4)
    return RegisteredAddress(
        organisation=organisation,
        postcode=cells.postcode(row),
        house_number=cells.whole_number(row, "huisnummer", minimum=1) or 0,
        house_letter=letter,
        addition=addition,
        suffix=suffix_key(letter, addition),
        street=cells.required(row, "straat")[:100],
        city=cells.required(row, "woonplaats")[:100],
        x=x,
        y=y,
    )


def addresses_load(
    *,
    by: User | None,
    organisation: Organisation,
    table: Table,
    file_name: str,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> Report:
    """Add (or correct) the file's addresses; bad rows are reported and skipped, the good ones saved."""
    report = Report("addresses", file_name, dry_run)
    missing = [column for column in REQUIRED if column not in table.header]
    if missing:
        report.problems.append(RowProblem(1, ", ".join(missing), "kolom ontbreekt in de kopregel"))
        return report
    good: dict[tuple[str, int, str], RegisteredAddress] = {}
    for number, row in counted(table.rows, progress):
        report.rows += 1
        try:
            address = _address(organisation, row)
        except RowError as error:
            report.problems.append(RowProblem(number, error.column, error.reason))
            continue
        good[(address.postcode, address.house_number, address.suffix)] = address
    existing = set(
        RegisteredAddress.objects.filter(organisation=organisation).values_list("postcode", "house_number", "suffix")
    )
    report.created = sum(1 for key in good if key not in existing)
    report.updated = len(good) - report.created
    if not dry_run:
        with transaction.atomic():
            rows = list(good.values())
            for start in range(0, len(rows), BATCH):
                RegisteredAddress.objects.bulk_create(
                    rows[start : start + BATCH],
                    update_conflicts=True,
                    unique_fields=["organisation", "postcode", "house_number", "suffix"],
                    update_fields=["house_letter", "addition", "street", "city", "x", "y"],
                )
    report_audit(report, organisation=organisation, by=by)
    return report
