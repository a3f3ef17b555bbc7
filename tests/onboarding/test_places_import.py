"""Importing meeting places: default columns, real positions, idempotent by extern_id, bad rows."""

import pytest

from tests.conftest import Cast
from veerkracht.core.models import AuditAction, AuditEvent
from veerkracht.onboarding.places_import import COLUMNS, places_import
from veerkracht.onboarding.tabular import read_table
from veerkracht.places.models import Place

HEADER = ";".join(COLUMNS) + "\n"
BUURTHUIS = "P-1;Buurthuis De Wijttenbach;Buurthuis;1091AB;12;;;120;;ja\n"
PLEIN = "P-2;Pleintje;plein;1091AB;16;;;;400;nee\n"


def _import(cast: Cast, text: str, dry_run: bool = False):
    return places_import(
        by=cast.coordinator,
        organisation=cast.organisation,
        table=read_table(text.encode()),
        file_name="plekken.csv",
        dry_run=dry_run,
    )


def test_places_are_imported_at_their_real_position(register: Cast):
    report = _import(register, HEADER + BUURTHUIS + PLEIN)
    assert (report.created, report.problems) == (2, [])
    house = Place.objects.get(extern_id="P-1")
    assert (house.kind, house.indoor, house.area_m2, house.step_free) == ("community_centre", True, 120, True)
    assert (house.x, house.y, house.neighbourhood) == (121500.0, 487500.0, register.south)
    assert house.street_address == "Wijttenbachstraat 12, Amsterdam"
    square = Place.objects.get(extern_id="P-2")
    assert (square.kind, square.indoor, square.area_m2) == ("square", False, 400)


def test_reimport_changes_nothing_and_a_change_is_audited(register: Cast):
    _import(register, HEADER + BUURTHUIS)
    assert _import(register, HEADER + BUURTHUIS).unchanged == 1
    report = _import(register, HEADER + BUURTHUIS.replace(";120;", ";150;"))
    assert report.updated == 1
    place = Place.objects.get(extern_id="P-1")
    event = AuditEvent.objects.get(object_type="places.place", object_id=str(place.pk), action=AuditAction.UPDATE)
    assert event.fields == ["area_m2"]


@pytest.mark.parametrize(
    ("row", "column", "reason"),
    [
        (BUURTHUIS.replace("Buurthuis;", "Kasteel;"), "soort", "Kasteel is onbekend"),
        (BUURTHUIS.replace(";120;", ";veel;"), "oppervlakte_m2", "geen geldig getal"),
        (BUURTHUIS.replace("1091AB;12", "1091AB;13"), "postcode", "niet gevonden"),
        (BUURTHUIS.replace(";ja\n", ";soms\n"), "rolstoeltoegankelijk", "geen ja of nee"),
    ],
)
def test_bad_rows_are_reported_and_the_good_ones_saved(register: Cast, row, column, reason):
    report = _import(register, HEADER + row + PLEIN)
    assert report.created == 1
    [problem] = report.problems
    assert (problem.row, problem.column) == (2, column)
    assert reason in problem.reason
    assert not Place.objects.filter(extern_id="P-1").exists()
