"""The import in the browser: upload, column mapping with a preview, dry run, import in the background, result."""

from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.urls import reverse
from openpyxl import Workbook

from tests.conftest import Cast
from veerkracht.core.models import AuditEvent, TaskRun
from veerkracht.onboarding.models import ImportRun, ImportUpload, UploadStatus
from veerkracht.onboarding.residents_import import COLUMNS
from veerkracht.people.models import Resident

START = reverse("onboarding:import_start")
HEADER = ";".join(COLUMNS) + "\n"
ANNA = "A-1;Anna;Jansen;03-04-1941;1091AB;12;;;06 12345678;anna@voorbeeld.nl;nl, Turks;woont alleen;ja;nee\n"
BERT = "A-2;Bert;de Boer;1950-07-01;1091 AB;14;B;;;;;;nee;nee\n"
BAD_DATE = "A-3;Cor;Smit;31-02-1950;1091AB;16;;;;;;;nee;nee\n"
NOT_FOUND = "A-4;Dirk;Bos;01-01-1950;1234XY;1;;;;;;;nee;nee\n"


def _upload(client: Client, content: bytes, name: str = "bewoners.csv", kind: str = "residents"):
    return client.post(START, {"kind": kind, "file": SimpleUploadedFile(name, content)})


def _upload_id(response) -> int:
    assert response.status_code == 302, response.content.decode()[:2000]
    return int(response["Location"].rstrip("/").split("/")[-2])


def _mapping(upload: ImportUpload, **chosen: str) -> dict[str, str]:
    mapping = dict(upload.mapping) | chosen
    return {f"column_{index}": mapping[column] for index, column in enumerate(upload.mapping)}


@pytest.fixture
def coordinator(register: Cast, client: Client) -> Client:
    client.force_login(register.coordinator)
    return client


def test_a_file_with_the_default_headers_is_mapped_checked_and_imported(register: Cast, coordinator: Client):
    upload_id = _upload_id(_upload(coordinator, (HEADER + ANNA + BERT + BAD_DATE + NOT_FOUND).encode()))
    upload = ImportUpload.objects.get(pk=upload_id)
    assert upload.mapping == {column: column for column in COLUMNS}
    page = coordinator.get(reverse("onboarding:import_columns", args=[upload_id])).content.decode()
    assert "Jansen" in page  # the preview of the first rows
    checked = coordinator.post(reverse("onboarding:import_columns", args=[upload_id]), _mapping(upload))
    assert checked["Location"] == reverse("onboarding:import_status", args=[upload_id])
    report = coordinator.get(checked["Location"]).content.decode()
    assert "geboortedatum 31-02-1950 bestaat niet" in report
    assert "postcode 1234 XY huisnummer 1 niet gevonden" in report
    assert not Resident.objects.filter(extern_id__startswith="A-").exists()  # a dry run saves nothing
    coordinator.post(reverse("onboarding:import_run", args=[upload_id]))
    upload.refresh_from_db()
    assert upload.status == UploadStatus.DONE
    assert bytes(upload.content) == b""  # the file is gone once imported
    assert set(Resident.objects.filter(extern_id__startswith="A-").values_list("extern_id", flat=True)) == {
        "A-1",
        "A-2",
    }
    result = coordinator.get(reverse("onboarding:import_status", args=[upload_id])).content.decode()
    assert "Resultaat van de import" in result
    run = upload.run
    assert run is not None
    assert (run.file_name, run.rows, run.created, run.refused, run.dry_run) == ("bewoners.csv", 4, 2, 2, False)
    assert run.by == register.coordinator


def test_columns_with_other_headers_are_mapped_by_hand(register: Cast, coordinator: Client):
    text = "Nummer;Naam;Familienaam;Geboren;PC;Nr\nX-1;Anna;Jansen;03-04-1941;1091AB;12\n"
    upload_id = _upload_id(_upload(coordinator, text.encode("cp1252")))
    upload = ImportUpload.objects.get(pk=upload_id)
    assert set(upload.mapping.values()) == {""}
    url = reverse("onboarding:import_columns", args=[upload_id])
    assert "onbekend" in coordinator.get(url).content.decode()
    refused = coordinator.post(url, _mapping(upload))
    assert refused.status_code == 200
    assert "voornaam, achternaam, geboortedatum, postcode, huisnummer" in refused.content.decode()
    chosen = {
        "nummer": "extern_id",
        "naam": "voornaam",
        "familienaam": "achternaam",
        "geboren": "geboortedatum",
        "pc": "postcode",
        "nr": "huisnummer",
    }
    twice = coordinator.post(url, _mapping(upload, **(chosen | {"nummer": "voornaam"})))
    assert "meer dan eens" in twice.content.decode()
    coordinator.post(url, _mapping(upload, **chosen))
    coordinator.post(reverse("onboarding:import_run", args=[upload_id]))
    assert Resident.objects.get(extern_id="X-1").last_name == "Jansen"


def test_an_excel_file_is_imported(register: Cast, coordinator: Client):
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(list(COLUMNS))
    sheet.append(ANNA.strip().split(";"))
    out = BytesIO()
    book.save(out)
    upload_id = _upload_id(_upload(coordinator, out.getvalue(), name="Bewoners.XLSX"))
    upload = ImportUpload.objects.get(pk=upload_id)
    coordinator.post(reverse("onboarding:import_columns", args=[upload_id]), _mapping(upload))
    coordinator.post(reverse("onboarding:import_run", args=[upload_id]))
    assert Resident.objects.filter(extern_id="A-1").exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("bewoners.pdf", b"%PDF-1.4", "Kies een CSV-bestand (.csv) of een Excel-bestand (.xlsx)."),
        ("bewoners.csv", b"", "Het bestand is leeg."),
        ("bewoners.csv", b"  \r\n", "Het bestand is leeg."),
        ("bewoners.csv", HEADER.encode(), "Het bestand heeft geen rijen onder de kopregel."),
        ("bewoners.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00IHDR", "Dit is geen CSV- of Excel-bestand"),
        ("bewoners.xlsx", b"PK\x03\x04 kapot", "geen leesbaar Excel-bestand"),
        ("bewoners.csv", b"a;b\n" + b"x" * 200_000 + b";y\n", "kon niet als CSV of Excel worden gelezen"),
        ("bewoners.csv", ";".join(f"k{i}" for i in range(101)).encode() + b"\n1\n", "meer dan 100 kolommen"),
    ],
)
def test_a_bad_file_gets_a_dutch_message(register: Cast, coordinator: Client, name, content, message):
    response = _upload(coordinator, content, name=name)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ImportUpload.objects.exists()


def test_a_file_over_the_limit_is_refused(register: Cast, coordinator: Client):
    with override_settings(IMPORT_UPLOAD_MAX_BYTES=1024):
        response = _upload(coordinator, (HEADER + ANNA * 20).encode())
    assert "groter dan 1 MB" in response.content.decode()


def test_a_double_submit_imports_once(register: Cast, coordinator: Client):
    upload_id = _upload_id(_upload(coordinator, (HEADER + ANNA).encode()))
    upload = ImportUpload.objects.get(pk=upload_id)
    coordinator.post(reverse("onboarding:import_columns", args=[upload_id]), _mapping(upload))
    run_url = reverse("onboarding:import_run", args=[upload_id])
    coordinator.post(run_url, {"idempotency_key": "same-key-twice"})
    coordinator.post(run_url, {"idempotency_key": "same-key-twice"})
    coordinator.post(run_url, {"idempotency_key": "another-key"})  # a second tab: the upload is imported already
    assert TaskRun.objects.filter(params__upload=upload_id, params__dry_run=False).count() == 1
    assert ImportRun.objects.filter(kind="residents", dry_run=False).count() == 1


def test_the_upload_is_audited_without_its_contents(register: Cast, coordinator: Client):
    upload_id = _upload_id(_upload(coordinator, (HEADER + ANNA).encode()))
    event = AuditEvent.objects.get(object_type="onboarding.importupload", object_id=str(upload_id))
    assert event.actor == register.coordinator
    assert event.fields == ["file_name", "kind", "size"]
    assert "Jansen" not in str(list(AuditEvent.objects.values_list("fields", flat=True)))


def test_the_progress_fragment_polls_while_working_and_refreshes_when_done(register: Cast, coordinator: Client):
    upload_id = _upload_id(_upload(coordinator, (HEADER + ANNA).encode()))
    upload = ImportUpload.objects.get(pk=upload_id)
    coordinator.post(reverse("onboarding:import_columns", args=[upload_id]), _mapping(upload))
    url = reverse("onboarding:import_progress", args=[upload_id])
    assert coordinator.get(url)["HX-Refresh"] == "true"  # the dry run is done (an immediate backend)
    upload.refresh_from_db()
    ImportUpload.objects.filter(pk=upload_id).update(status=UploadStatus.CHECKING)
    assert upload.check_task is not None
    TaskRun.objects.filter(pk=upload.check_task.pk).update(status="running", progress=40)
    polling = coordinator.get(url)
    assert "HX-Refresh" not in polling
    assert 'hx-trigger="every 1s"' in polling.content.decode()
    assert 'value="40"' in polling.content.decode()


@pytest.mark.parametrize("role", ["professional", "basisbaan", "volunteer", "resident", "privacy_officer", "funder"])
def test_only_coordinators_reach_the_import(register: Cast, client: Client, role):
    client.force_login(getattr(register, role))
    assert client.get(START).status_code == 404
    assert _upload(client, (HEADER + ANNA).encode()).status_code == 404


def test_a_coordinator_of_another_organisation_gets_404(register: Cast, coordinator: Client, client: Client):
    upload_id = _upload_id(_upload(coordinator, (HEADER + ANNA).encode()))
    outsider = Client()
    outsider.force_login(register.outsider_coordinator)
    for name in ("import_columns", "import_status", "import_progress"):
        assert outsider.get(reverse(f"onboarding:{name}", args=[upload_id])).status_code == 404
    assert outsider.post(reverse("onboarding:import_run", args=[upload_id])).status_code == 404


def test_an_import_that_failed_says_so_and_can_be_tried_again(register: Cast, coordinator: Client, monkeypatch):
    from veerkracht.onboarding import importers

    upload_id = _upload_id(_upload(coordinator, (HEADER + ANNA).encode()))
    upload = ImportUpload.objects.get(pk=upload_id)
    coordinator.post(reverse("onboarding:import_columns", args=[upload_id]), _mapping(upload))
    working = importers.IMPORTERS["residents"]

    def broken(**kwargs):
        raise RuntimeError("the database went odd")

    monkeypatch.setitem(importers.IMPORTERS, "residents", broken)
    coordinator.post(reverse("onboarding:import_run", args=[upload_id]))
    page = coordinator.get(reverse("onboarding:import_status", args=[upload_id])).content.decode()
    assert "Het werk is gestopt door een fout" in page
    assert "De import opnieuw proberen" in page
    monkeypatch.setitem(importers.IMPORTERS, "residents", working)
    coordinator.post(reverse("onboarding:import_run", args=[upload_id]))
    assert ImportUpload.objects.get(pk=upload_id).status == UploadStatus.DONE
    assert Resident.objects.filter(extern_id="A-1").exists()
