"""Importing residents: default columns, idempotent re-import by extern_id, duplicates, bad rows, audit."""

from io import BytesIO, StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from openpyxl import Workbook

from tests.conftest import Cast
from veerkracht.core.models import AuditAction, AuditEvent
from veerkracht.onboarding.models import ImportRun
from veerkracht.onboarding.residents_import import COLUMNS, residents_import
from veerkracht.onboarding.tabular import read_table
from veerkracht.people.models import Resident

HEADER = ";".join(COLUMNS) + "\n"
ANNA = "A-1;Anna;Jansen;03-04-1941;1091AB;12;;;06 12345678;anna@voorbeeld.nl;nl, Turks;woont alleen;ja;nee\n"
BERT = "A-2;Bert;de Boer;1950-07-01;1091 AB;14;B;;;;;;nee;nee\n"


def _import(cast: Cast, text: str, dry_run: bool = False, encoding: str = "utf-8"):
    table = read_table(text.encode(encoding))
    return residents_import(
        by=cast.coordinator, organisation=cast.organisation, table=table, file_name="bewoners.csv", dry_run=dry_run
    )


def test_residents_are_imported_at_their_real_position_and_neighbourhood(register: Cast):
    report = _import(register, HEADER + ANNA + BERT)
    assert (report.created, report.problems, report.duplicates) == (2, [], [])
    anna = Resident.objects.get(extern_id="A-1")
    assert (anna.first_name, anna.last_name, anna.birth_year) == ("Anna", "Jansen", 1941)
    assert anna.neighbourhood == register.south
    assert anna.household is not None
    assert (anna.household.x, anna.household.y, anna.household.address_not_found) == (121500.0, 487500.0, False)
    assert anna.household.address == "Wijttenbachstraat 12, 1091 AB Amsterdam"
    assert anna.languages == ["nl", "tr"]
    assert anna.lives_alone
    assert (anna.consent_sms, anna.consent_email, anna.phone) == (True, False, "0612345678")
    bert = Resident.objects.get(extern_id="A-2")
    assert bert.household is not None
    assert bert.household.house_number_suffix == "b"


def test_reimporting_the_same_file_changes_nothing(register: Cast):
    _import(register, HEADER + ANNA + BERT)
    events = AuditEvent.objects.filter(object_type="people.resident").count()
    again = _import(register, HEADER + ANNA + BERT)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert Resident.objects.filter(organisation=register.organisation, extern_id__startswith="A-").count() == 2
    assert AuditEvent.objects.filter(object_type="people.resident").count() == events


def test_a_changed_row_updates_the_resident_audited_by_field(register: Cast):
    _import(register, HEADER + ANNA)
    moved = ANNA.replace("1091AB;12;", "1091AB;16;").replace("06 12345678", "0687654321")
    report = _import(register, HEADER + moved)
    assert (report.updated, report.created) == (1, 0)
    anna = Resident.objects.get(extern_id="A-1")
    assert anna.phone == "0687654321"
    assert anna.household is not None
    assert anna.household.house_number == 16
    event = AuditEvent.objects.get(object_type="people.resident", object_id=str(anna.pk), action=AuditAction.UPDATE)
    assert event.fields == ["address", "phone"]
    assert event.actor == register.coordinator


def test_a_row_without_extern_id_matching_a_resident_is_a_likely_duplicate(register: Cast):
    _import(register, HEADER + ANNA)
    report = _import(register, HEADER + ANNA.replace("A-1;", ";", 1))
    assert report.created == 0
    [duplicate] = report.duplicates
    assert duplicate.row == 2
    assert Resident.objects.filter(first_name="Anna", last_name="Jansen").count() == 1


@pytest.mark.parametrize(
    ("row", "column", "reason"),
    [
        (ANNA.replace("03-04-1941", "31-02-1950"), "geboortedatum", "geboortedatum 31-02-1950 bestaat niet"),
        (ANNA.replace("03-04-1941", "gisteren"), "geboortedatum", "geen datum"),
        (ANNA.replace("03-04-1941", "01-01-2999"), "geboortedatum", "kan niet kloppen"),
        (ANNA.replace("1091AB;12", "1234 XY;12"), "postcode", "postcode 1234 XY huisnummer 12 niet gevonden"),
        (ANNA.replace("1091AB;12", "1234;12"), "postcode", "geen Nederlandse postcode"),
        (ANNA.replace("1091AB;12", "1091AB;99"), "postcode", "ligt in geen buurt"),
        (ANNA.replace("1091AB;12", "1091AB;twaalf"), "huisnummer", "geen geldig getal"),
        (ANNA.replace("Anna;", ";"), "voornaam", "voornaam ontbreekt"),
        (ANNA.replace("anna@voorbeeld.nl", "anna-at-voorbeeld"), "email", "geen e-mailadres"),
        (ANNA.replace("06 12345678", "12"), "telefoon", "geen telefoonnummer"),
        (ANNA.replace("nl, Turks", "Klingon"), "talen", "Klingon is onbekend"),
        (ANNA.replace("woont alleen", "rijk"), "kenmerken", "rijk is onbekend"),
        (ANNA.replace(";ja;nee", ";misschien;nee"), "toestemming_sms", "geen ja of nee"),
    ],
)
def test_bad_rows_are_reported_with_row_column_and_reason_and_never_stop_the_good_ones(
    register: Cast, row, column, reason
):
    report = _import(register, HEADER + row + BERT)
    assert report.created == 1
    [problem] = report.problems
    assert (problem.row, problem.column) == (2, column)
    assert reason in problem.reason
    assert not Resident.objects.filter(extern_id="A-1").exists()  # never half-saved
    assert Resident.objects.filter(extern_id="A-2").exists()


def test_the_same_extern_id_twice_in_a_file_refuses_the_second(register: Cast):
    report = _import(register, HEADER + ANNA + ANNA)
    assert report.created == 1
    assert report.problems[0].row == 3
    assert "twee keer" in report.problems[0].reason


def test_a_file_without_the_required_columns_imports_nothing(register: Cast):
    report = _import(register, "naam;adres\nAnna;Dam 1\n")
    assert report.problems[0].row == 1
    assert "voornaam" in report.problems[0].column


def test_a_dry_run_reports_everything_and_saves_nothing(register: Cast):
    report = _import(register, HEADER + ANNA + BERT.replace("1950-07-01", "1950-13-01"), dry_run=True)
    assert (report.created, len(report.problems)) == (1, 1)
    assert not Resident.objects.filter(extern_id__startswith="A-").exists()
    assert ImportRun.objects.get(pk=report.run_id).dry_run


@pytest.mark.parametrize("encoding", ["utf-8-sig", "cp1252"])
def test_windows_1252_and_bom_files_keep_their_accents(register: Cast, encoding):
    _import(register, HEADER + ANNA.replace("Anna;Jansen", "Zoë;Çelik"), encoding=encoding)
    assert Resident.objects.get(extern_id="A-1").full_name == "Zoë Çelik"


def test_an_xlsx_file_with_the_default_columns(register: Cast):
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(list(COLUMNS))
    sheet.append(["A-9", "Cor", "Smit", "12-12-1939", "1091AB", 16, "", "", "", "", "", "", "nee", "nee"])
    buffer = BytesIO()
    book.save(buffer)
    report = residents_import(
        by=None, organisation=register.organisation, table=read_table(buffer.getvalue()), file_name="b.xlsx"
    )
    assert (report.created, report.problems) == (1, [])
    assert Resident.objects.get(extern_id="A-9").birth_year == 1939


def test_the_import_is_audited_with_counts_and_file_name_only(register: Cast):
    report = _import(register, HEADER + ANNA + BERT.replace("1091 AB;14", "1091 AB;15"))
    run = ImportRun.objects.get(pk=report.run_id)
    assert (run.kind, run.file_name, run.by, run.rows, run.created, run.refused) == (
        "residents",
        "bewoners.csv",
        register.coordinator,
        2,
        1,
        1,
    )
    event = AuditEvent.objects.get(object_type="onboarding.importrun", object_id=str(run.pk))
    assert event.actor == register.coordinator
    assert "Jansen" not in str(event.fields)


def test_the_command_imports_and_prints_the_dutch_report(register: Cast, tmp_path: Path):
    path = tmp_path / "bewoners.csv"
    path.write_text(HEADER + ANNA + ANNA.replace("A-1", "A-3").replace("03-04-1941", "31-02-1950"), encoding="utf-8")
    out = StringIO()
    call_command(
        "import", "residents", str(path), "--organisation", register.organisation.slug, "--dry-run", stdout=out
    )
    text = out.getvalue()
    assert "Proefimport" in text
    assert "rij 3, kolom geboortedatum: geboortedatum 31-02-1950 bestaat niet" in text
    assert not Resident.objects.filter(extern_id="A-1").exists()
    call_command("import", "residents", str(path), "--organisation", register.organisation.slug, stdout=StringIO())
    assert Resident.objects.filter(extern_id="A-1").exists()
