"""Importing meeting places, with the default columns ``COLUMNS``.

A place with ``oppervlakte_m2`` is indoor with that floor area; one with only ``buiten_m2`` is an
outdoor place of that area (a place keeps one area: with both, the indoor one counts for its
capacity). Idempotent by ``extern_id``; every create and change is audited by field name.
"""

from typing import Any

from django.db import IntegrityError, transaction
from django.utils import translation

from veerkracht.core.audit import audit_record
from veerkracht.core.bag import AddressSource
from veerkracht.core.models import AuditAction, Organisation, User
from veerkracht.onboarding import cells
from veerkracht.onboarding.locator import Locator, address_cells
from veerkracht.onboarding.reporting import (
    Progress,
    Report,
    RowError,
    RowProblem,
    counted,
    once_in_file,
    report_audit,
)
from veerkracht.onboarding.tabular import Table
from veerkracht.places.models import Place, PlaceKind

COLUMNS = (
    "extern_id",
    "naam",
    "soort",
    "postcode",
    "huisnummer",
    "huisletter",
    "toevoeging",
    "oppervlakte_m2",
    "buiten_m2",
    "rolstoeltoegankelijk",
)
REQUIRED = ("naam", "soort", "postcode", "huisnummer")
PLACE = "places.place"


def _kinds() -> dict[str, str]:
    with translation.override("nl"):
        return {code: str(label) for code, label in PlaceKind.choices if code != PlaceKind.ONLINE}


def _values(locator: Locator, kinds: dict[str, str], row: dict[str, str]) -> dict[str, Any]:
    name = cells.short(row, "naam", 150) or cells.required(row, "naam")
    [kind] = cells.codes(row, "soort", kinds) or [""]
    if not kind:
        raise RowError("soort", "soort ontbreekt")
    indoor_area = cells.whole_number(row, "oppervlakte_m2", minimum=1, optional=True)
    outdoor_area = cells.whole_number(row, "buiten_m2", minimum=1, optional=True)
    postcode, number, suffix = address_cells(row)
    found, neighbourhood = locator.locate(postcode, number, suffix)
    addition = f"-{found.suffix}" if found.suffix else ""
    return {
        "name": name,
        "kind": kind,
        "neighbourhood": neighbourhood,
        "street_address": f"{found.street} {number}{addition}, {found.city}"[:200],
        "postcode": postcode,
        "indoor": indoor_area is not None or outdoor_area is None,
        "area_m2": indoor_area if indoor_area is not None else outdoor_area,
        "x": found.x,
        "y": found.y,
        "step_free": cells.yes_no(row, "rolstoeltoegankelijk"),
    }


def places_import(
    *,
    by: User | None,
    organisation: Organisation,
    table: Table,
    file_name: str,
    dry_run: bool = False,
    sources: list[AddressSource] | None = None,
    progress: Progress | None = None,
) -> Report:
    report = Report("places", file_name, dry_run)
    if report.lacks_columns(table.header, REQUIRED):
        return report
    locator, kinds = Locator(organisation, sources), _kinds()
    known = {p.extern_id: p for p in Place.objects.filter(organisation=organisation).exclude(extern_id="")}
    seen: set[str] = set()
    for number, row in counted(table.rows, progress):
        report.rows += 1
        try:
            extern_id = cells.short(row, "extern_id", 50)
            once_in_file(seen, extern_id)
            values = _values(locator, kinds, row)
            place = known.get(extern_id) if extern_id else None
            if place is None:
                if not dry_run:
                    with transaction.atomic():
                        place = Place.objects.create(organisation=organisation, extern_id=extern_id, **values)
                        audit_record(
                            action=AuditAction.CREATE,
                            actor=by,
                            organisation=organisation,
                            object_type=PLACE,
                            object_id=place.pk,
                            fields=sorted(values),
                        )
                        if extern_id:
                            known[extern_id] = place
                report.created += 1
                continue
            changed = sorted(name for name, value in values.items() if getattr(place, name) != value)
            if not changed:
                report.unchanged += 1
                continue
            report.updated += 1
            if not dry_run:
                with transaction.atomic():
                    for name in changed:
                        setattr(place, name, values[name])
                    place.save(update_fields=changed)
                    audit_record(
                        action=AuditAction.UPDATE,
                        actor=by,
                        organisation=organisation,
                        object_type=PLACE,
                        object_id=place.pk,
                        fields=changed,
                    )
        except RowError as error:
            report.problems.append(RowProblem(number, error.column, error.reason))
        except IntegrityError:
            report.problems.append(RowProblem(number, "extern_id", "kon niet worden opgeslagen"))
    report_audit(report, organisation=organisation, by=by)
    return report
