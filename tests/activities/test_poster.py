"""The activity poster: one A4 page, Dutch, large type, a QR code that encodes the registration URL."""

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import segno
from django.utils import timezone
from reportlab.pdfbase.pdfmetrics import stringWidth

from tests.conftest import Cast
from tests.pdfcheck import ARABIC, TURKISH, assert_prints, text_of
from veerkracht.activities.models import Activity
from veerkracht.activities.poster import (
    BODY_SIZE,
    BOLD,
    LABEL_WIDTH,
    TITLE_MAX_LINES,
    _title_lines,
    accessibility_text,
    activity_poster,
    target_group_text,
    when_lines,
)
from veerkracht.core import pdffonts
from veerkracht.places.models import Place

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
URL = "http://testserver/activiteiten/7/"


def _place(cast: Cast, **fields) -> Place:
    defaults = {"name": "Noorderpark", "kind": "park", "indoor": False, "area_m2": 400}
    return Place.objects.create(organisation=cast.organisation, neighbourhood=cast.north, **{**defaults, **fields})


def _activity(cast: Cast, **fields) -> Activity:
    starts_at = datetime(timezone.now().year + 1, 6, 15, 14, 0, tzinfo=AMSTERDAM)
    defaults = {
        "organisation": cast.organisation,
        "title": "Bingo in het park",
        "kind": "plantsoenbingo",
        "starts_at": starts_at,
        "ends_at": starts_at + timedelta(hours=2),
        "organiser": cast.professional,
        "max_participants": 40,
        "target_groups": ["seniors", "everyone"],
    }
    if "place" not in fields:
        defaults["place"] = _place(cast, street_address="Parkweg 1", postcode="1234 AB", step_free=True, seating=True)
    return Activity.objects.create(**{**defaults, **fields})


def _pdf_string(text: str) -> bytes:
    """How reportlab writes a plain-ASCII line of text in an uncompressed page."""
    return b"(" + text.encode("ascii") + b") Tj"


def _qr_from_page(pdf: bytes, size: int) -> list[list[int]]:
    """The QR matrix read back from the module runs drawn on the page (``column row length 1 re``)."""
    matrix = [[0] * size for _ in range(size)]
    for column, y, length in re.findall(rb"\bn (\d+) (\d+) (\d+) 1 re f", pdf):
        for offset in range(int(length)):
            matrix[size - 1 - int(y)][int(column) + offset] = 1
    return matrix


@pytest.fixture
def activity(cast: Cast) -> Activity:
    return _activity(cast)


def test_the_poster_is_one_a4_page(activity):
    pdf = activity_poster(activity, URL, compress=False)
    assert pdf.startswith(b"%PDF")
    assert len(re.findall(rb"/Type /Page\b(?!s)", pdf)) == 1
    assert re.search(rb"/MediaBox \[ 0 0 595\.27\d* 841\.88\d* \]", pdf)


def test_the_poster_shows_the_activity_in_dutch(activity):
    pdf = activity_poster(activity, URL, compress=False)
    for text in (
        "Bingo in het park",
        "PLANTSOENBINGO",
        when_lines(activity.starts_at, activity.ends_at)[0],
        "Noorderpark",
        "Parkweg 1",
        "1234 AB Veerstad",
        "Drempelvrij, zitplaatsen",
        "Senioren en iedereen",
        "Aanmelden",
        URL,
    ):
        assert _pdf_string(text) in pdf, text


def _text_sizes(pdf: bytes) -> dict[bytes, float]:
    """Each line of text on the page with the font size it is drawn in."""
    sizes: dict[bytes, float] = {}
    size = 0.0
    for match in re.finditer(rb"/F[\d+]+ (\d+(?:\.\d+)?) Tf|\((.*?)\) Tj", pdf):
        if match.group(1):
            size = float(match.group(1))
        else:
            sizes[match.group(2)] = size
    return sizes


def test_the_type_is_large(activity):
    sizes = _text_sizes(activity_poster(activity, URL, compress=False))
    assert min(sizes.values()) >= 18
    assert sizes[b"Bingo in het park"] >= 36


def test_the_qr_code_encodes_the_registration_url(activity):
    pdf = activity_poster(activity, URL, compress=False)
    expected = [list(row) for row in segno.make_qr(URL, error="m").matrix]
    assert _qr_from_page(pdf, len(expected)) == expected
    assert _pdf_string(URL) in pdf


def test_a_walk_in_activity_says_vrije_inloop(cast: Cast):
    pdf = activity_poster(_activity(cast, registration_required=False), URL, compress=False)
    assert _pdf_string("Vrije inloop") in pdf
    assert _pdf_string("Aanmelden") not in pdf


def test_an_online_activity_says_online(cast: Cast):
    webinar = _activity(cast, kind="webinar", place=None, online_link="https://meet.example.org/koffie")
    pdf = activity_poster(webinar, URL, compress=False)
    assert _pdf_string("Online") in pdf
    assert b"meet.example.org" not in pdf


def test_a_long_title_and_url_still_fit_on_one_page(cast: Cast):
    long = _activity(cast, title="Koffieochtend met buurtgenoten en een verhaal " * 3)
    long_url = "https://veerkracht.gemeente-veerstad.example.nl/activiteiten/1234567890/?bron=poster&taal=nl"
    pdf = activity_poster(long, long_url, compress=False)
    assert len(re.findall(rb"/Type /Page\b(?!s)", pdf)) == 1
    size, lines = _title_lines(long.title)
    assert size >= 36
    assert len(lines) <= TITLE_MAX_LINES
    assert lines[-1].endswith("…")


def test_a_turkish_title_prints_its_own_letters_in_an_embedded_font(cast: Cast):
    pdf = activity_poster(_activity(cast, title=f"Kahve sabahı · {TURKISH}"), URL)
    assert_prints(pdf, "Kahve sabahı", TURKISH, "Aanmelden", "Noorderpark")


def test_an_arabic_title_prints_joined_and_right_to_left(cast: Cast):
    pdf = activity_poster(_activity(cast, title=f"{ARABIC} في المقهى"), URL)
    assert_prints(pdf, ARABIC, "في المقهى", "Aanmelden")
    assert "Wanneer" in text_of(pdf)


def test_the_compressed_poster_is_small_and_the_same_every_time(activity):
    pdf = activity_poster(activity, URL)
    assert pdf.startswith(b"%PDF")
    assert len(pdf) < 60_000  # two embedded subsets of DejaVu Sans are most of it
    assert activity_poster(activity, URL) == pdf


def test_date_and_time_are_dutch_in_amsterdam_time():
    starts_at = datetime(2030, 1, 5, 9, 30, tzinfo=ZoneInfo("UTC"))  # a Saturday in winter: UTC+1
    assert when_lines(starts_at, starts_at + timedelta(hours=2)) == ["Zaterdag 5 januari 2030", "10:30 – 12:30 uur"]
    assert when_lines(starts_at, starts_at + timedelta(days=1)) == [
        "Zaterdag 5 januari 2030",
        "10:30 uur",
        "tot zondag 6 januari 2030 10:30 uur",
    ]


def test_accessibility_and_target_groups_read_as_dutch_lists(cast: Cast):
    place = _place(cast, step_free=True, hearing_loop=True, accessible_toilet=True, seating=True)
    assert accessibility_text(place) == "Drempelvrij, ringleiding, toegankelijk toilet, zitplaatsen"
    assert accessibility_text(_place(cast)) == ""
    assert accessibility_text(None) == ""
    assert target_group_text(["children", "youth", "older_migrants"]) == "Kinderen, jongeren en oudere migranten"
    assert target_group_text(["seniors"]) == "Senioren"
    assert target_group_text([]) == ""


def test_every_label_fits_its_column():
    pdffonts.register()
    for label in ("Wanneer", "Waar", "Toegankelijk", "Voor wie"):
        assert stringWidth(label, BOLD, BODY_SIZE) < LABEL_WIDTH - 8, label
