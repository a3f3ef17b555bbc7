"""The activity poster: one A4 page in Dutch, in large type, with a QR code to the registration page.

With a language (``?taal=en|tr|ar``) whose translation the coordinator entered, the title in that language
is printed under the Dutch one, right to left for Arabic; the rest stays Dutch, the language of the street.

Drawn with reportlab in DejaVu Sans, embedded (core/pdffonts.py), so a Turkish or Arabic title prints as
written, an Arabic one joined and right to left; the QR code is drawn module by module from segno's
matrix, so no image library is involved.
"""

import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

import segno
from django.utils import dateformat, timezone, translation
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from veerkracht.activities.models import Activity
from veerkracht.core import pdffonts
from veerkracht.places.models import Place

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 42.0  # 1.5 cm
CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN
LABEL_WIDTH = 160.0  # the column of "Wanneer", "Waar", ...: "Toegankelijk" is 144 pt wide in DejaVu Sans Bold
VALUE_WIDTH = CONTENT_WIDTH - LABEL_WIDTH
REGULAR = pdffonts.REGULAR
BOLD = pdffonts.BOLD
TITLE_SIZES = (40.0, 36.0)  # the smaller one when the title needs more lines
TITLE_MAX_LINES = 4
TRANSLATED_TITLE_MAX_LINES = 3
HEADING_SIZE = 28.0
BODY_SIZE = 20.0
URL_SIZE = 18.0  # also the organisation's name at the foot: nothing on the poster is smaller
FOOTER_Y = 18.0
LEADING = 1.2
QR_SIZE = 180.0
QR_BORDER = 4  # the quiet zone, in modules
ACCENT = (0.0, 0.30, 0.50)  # dark blue: high contrast on white

REGISTER_TEXT = ("Aanmelden", "Scan de code met de camera van uw telefoon, of ga naar het adres hieronder.")
WALK_IN_TEXT = ("Vrije inloop", "Aanmelden is niet nodig. Meer weten? Scan de code of ga naar het adres hieronder.")
KIND_NL = {
    "balkonbingo": "Balkonbingo",
    "plantsoenbingo": "Plantsoenbingo",
    "park_sports": "Sporten in het park",
    "walk": "Buurtwandeling",
    "speelspot": "Speelspot",
    "coffee_morning": "Koffieochtend",
    "language_cafe": "Taalcafé",
    "webinar": "Webinar",
    "other": "Activiteit",
}
TARGET_GROUP_NL = {
    "children": "kinderen",
    "youth": "jongeren",
    "adults": "volwassenen",
    "seniors": "senioren",
    "older_migrants": "oudere migranten",
    "everyone": "iedereen",
}
ACCESSIBILITY_NL = (
    ("step_free", "drempelvrij"),
    ("hearing_loop", "ringleiding"),
    ("accessible_toilet", "toegankelijk toilet"),
    ("seating", "zitplaatsen"),
)


def activity_poster(activity: Activity, registration_url: str, *, language: str = "nl", compress: bool = True) -> bytes:
    """The poster of an activity as a one-page A4 PDF.

    ``registration_url`` is the absolute URL of the public activity page: encoded in the QR code and printed
    under it. ``language``: the title is also printed in it, when the activity has a translation there. The
    output is deterministic (reportlab's ``invariant``); ``compress=False`` leaves the page content readable,
    for tests.
    """
    pdffonts.register()
    buffer = io.BytesIO()
    canvas = Canvas(
        buffer, pagesize=A4, invariant=True, pageCompression=int(compress), lang="nl", initialFontName=REGULAR
    )
    translated = translated_title(activity, language)
    canvas.setTitle(f"{activity.title} · {translated}" if translated else activity.title)
    canvas.setAuthor(activity.organisation.name)
    canvas.setSubject(kind_label(activity.kind))
    bottom = _draw_registration(canvas, activity, registration_url)
    _draw_details(canvas, activity, translated, language, floor=bottom + BODY_SIZE)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def translated_title(activity: Activity, language: str) -> str:
    """The activity's title in ``language`` ("" in Dutch or when it has none there)."""
    words = activity.text_in(language, with_description=False)
    return words.title if language != "nl" and words.title_language == language else ""


def kind_label(kind: str) -> str:
    """The Dutch name of an activity kind."""
    return KIND_NL.get(kind, KIND_NL["other"])


def when_lines(starts_at: datetime, ends_at: datetime) -> list[str]:
    """Date and time in Dutch, Amsterdam time: ``["Zaterdag 14 juni 2025", "14:00 – 16:00 uur"]``."""
    start = timezone.localtime(starts_at, AMSTERDAM)
    end = timezone.localtime(ends_at, AMSTERDAM)
    with translation.override("nl"):
        start_day = _capitalised(dateformat.format(start, "l j F Y"))
        end_day = dateformat.format(end, "l j F Y")
    if end.date() == start.date():
        return [start_day, f"{start:%H:%M} – {end:%H:%M} uur"]
    return [start_day, f"{start:%H:%M} uur", f"tot {end_day} {end:%H:%M} uur"]


def where_lines(activity: Activity) -> list[str]:
    """The place name and address, or "Online"; a hybrid activity also says it can be followed online."""
    place = activity.place
    if place is None:
        return ["Online"]
    lines = [place.name, *address_lines(place, activity.organisation.city)]
    if activity.online_link or activity.dial_in:
        lines.append("Ook online te volgen")  # the link and dial-in go only to those registered
    return lines


def address_lines(place: Place, city: str) -> list[str]:
    """Street, and postcode with the municipality, leaving out what is unknown."""
    lines = [place.street_address] if place.street_address else []
    if place.postcode:
        lines.append(f"{place.postcode} {city}".strip())
    return lines


def accessibility_text(place: Place | None) -> str:
    """The place's accessibility features as a Dutch list, or "" when it has none or there is no place."""
    features = [label for field, label in ACCESSIBILITY_NL if place is not None and getattr(place, field)]
    return _capitalised(", ".join(features))


def target_group_text(target_groups: Sequence[str]) -> str:
    """For whom, in Dutch: "Senioren en oudere migranten"."""
    names = [TARGET_GROUP_NL[group] for group in target_groups if group in TARGET_GROUP_NL]
    if len(names) < 2:
        return _capitalised("".join(names))
    return _capitalised(f"{', '.join(names[:-1])} en {names[-1]}")


def qr_matrix(data: str) -> tuple[bytearray, ...]:
    """The modules of the poster's QR code for ``data`` (1 is dark), without the quiet zone."""
    return tuple(segno.make_qr(data, error="m").matrix)


def qr_runs(matrix: Sequence[bytearray]) -> Iterator[tuple[int, int, int]]:
    """The dark modules as horizontal runs ``(column, row, length)``, row 0 at the top."""
    for row, modules in enumerate(matrix):
        column = 0
        while column < len(modules):
            start = column
            while column < len(modules) and modules[column]:
                column += 1
            if column > start:
                yield start, row, column - start
            column += 1


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def _wrapped(text: str, font: str, size: float, width: float) -> list[str]:
    """Lines that fit ``width``, ready to draw; a word longer than a line (a URL) is broken where it must."""
    lines: list[str] = []
    for line in pdffonts.wrap(text, font, size, width):
        while len(line) > 1 and stringWidth(line, font, size) > width:
            cut = len(line) - 1
            while cut > 1 and stringWidth(line[:cut], font, size) > width:
                cut -= 1
            lines.append(line[:cut])
            line = line[cut:]
        lines.append(line)
    return lines


def _title_lines(
    title: str, sizes: Sequence[float] = TITLE_SIZES, max_lines: int = TITLE_MAX_LINES
) -> tuple[float, list[str]]:
    """The title's size and lines: 40 pt, 36 pt when that needs too many lines, cut off with "…" if still."""
    for size in sizes:
        lines = _wrapped(title, BOLD, size, CONTENT_WIDTH)
        if len(lines) <= max_lines:
            return size, lines
    lines = lines[:max_lines]
    lines[-1] = _wrapped(lines[-1], BOLD, size, CONTENT_WIDTH - stringWidth("…", BOLD, size))[0].rstrip() + "…"
    return size, lines


@dataclass
class _Cursor:
    """Writes downwards from the top of the page and never below ``floor``."""

    canvas: Canvas
    y: float
    floor: float

    def line(self, text: str, *, font: str, size: float, x: float = MARGIN, rtl: bool = False) -> bool:
        """One line (wrapped, so in visual order); ``rtl`` sets it flush right within the content."""
        if self.y - size * LEADING < self.floor:
            return False
        self.y -= size * LEADING
        self.canvas.setFont(font, size)
        pdffonts.draw(self.canvas, x, self.y, text, width=PAGE_WIDTH - MARGIN - x, rtl=rtl)
        return True

    def field(self, label: str, lines: Sequence[str]) -> None:
        """A bold label in the left column with its wrapped lines beside it."""
        top = self.y
        wrapped = [
            (part, pdffonts.starts_rtl(line))
            for line in lines
            for part in _wrapped(line, REGULAR, BODY_SIZE, VALUE_WIDTH)
        ]
        if not wrapped or not self.line(label, font=BOLD, size=BODY_SIZE):
            return
        self.y = top
        for text, rtl in wrapped:
            self.line(text, font=REGULAR, size=BODY_SIZE, x=MARGIN + LABEL_WIDTH, rtl=rtl)
        self.y -= BODY_SIZE * 0.6


def _draw_details(canvas: Canvas, activity: Activity, translated: str, language: str, *, floor: float) -> None:
    """The top of the poster: kind, title (and its translation), when, where, accessibility and for whom."""
    canvas.setFillColorRGB(*ACCENT)
    canvas.rect(0, PAGE_HEIGHT - 20, PAGE_WIDTH, 20, stroke=0, fill=1)
    cursor = _Cursor(canvas, PAGE_HEIGHT - MARGIN, floor)
    cursor.line(kind_label(activity.kind).upper(), font=BOLD, size=BODY_SIZE)
    canvas.setFillColorRGB(0, 0, 0)
    cursor.y -= 8
    size, title = _title_lines(activity.title)
    for text in title:
        cursor.line(text, font=BOLD, size=size, rtl=pdffonts.starts_rtl(activity.title))
    if translated:
        cursor.y -= 6
        size, lines = _title_lines(translated, (HEADING_SIZE,), TRANSLATED_TITLE_MAX_LINES)
        for text in lines:
            cursor.line(text, font=BOLD, size=size, rtl=pdffonts.is_rtl_language(language))
    cursor.y -= 20
    cursor.field("Wanneer", when_lines(activity.starts_at, activity.ends_at))
    cursor.field("Waar", where_lines(activity))
    cursor.field("Toegankelijk", [accessibility_text(activity.place)] if activity.place else [])
    cursor.field("Voor wie", [target_group_text(activity.target_groups)] if activity.target_groups else [])


def _draw_registration(canvas: Canvas, activity: Activity, registration_url: str) -> float:
    """The bottom of the poster: "Aanmelden" (or "Vrije inloop") beside the QR code, the URL under it and the
    organisation at the foot. Returns the height the block reaches up to."""
    canvas.setFont(REGULAR, URL_SIZE)
    canvas.drawCentredString(
        PAGE_WIDTH / 2, FOOTER_Y, _wrapped(activity.organisation.name, REGULAR, URL_SIZE, CONTENT_WIDTH)[0]
    )  # centred, so the same for either direction
    url_lines = _wrapped(registration_url, REGULAR, URL_SIZE, CONTENT_WIDTH)
    for index, text in enumerate(reversed(url_lines)):
        canvas.drawCentredString(PAGE_WIDTH / 2, MARGIN + index * URL_SIZE * LEADING, text)
    qr_bottom = MARGIN + len(url_lines) * URL_SIZE * LEADING - URL_SIZE / 2
    qr_top = qr_bottom + QR_SIZE
    _draw_qr(canvas, qr_matrix(registration_url), x=PAGE_WIDTH - MARGIN - QR_SIZE, y=qr_bottom)
    heading, hint = REGISTER_TEXT if activity.registration_required else WALK_IN_TEXT
    cursor = _Cursor(canvas, qr_top - QR_SIZE / 10, qr_bottom)
    cursor.line(heading, font=BOLD, size=HEADING_SIZE)
    cursor.y -= 6
    for text in _wrapped(hint, REGULAR, BODY_SIZE, CONTENT_WIDTH - QR_SIZE):
        cursor.line(text, font=REGULAR, size=BODY_SIZE)
    return qr_top


def _draw_qr(canvas: Canvas, matrix: Sequence[bytearray], *, x: float, y: float) -> None:
    """The QR code in a square of QR_SIZE points with its lower left corner at (x, y), quiet zone included.

    Drawn in module units (one module is 1 × 1, row 0 at the top), so each run is a ``column row length 1 re``.
    """
    size = len(matrix)
    scale = QR_SIZE / (size + 2 * QR_BORDER)
    canvas.saveState()
    canvas.setFillColorRGB(0, 0, 0)
    canvas.translate(x + QR_BORDER * scale, y + QR_BORDER * scale)
    canvas.scale(scale, scale)
    for column, row, length in qr_runs(matrix):
        canvas.rect(column, size - 1 - row, length, 1, stroke=0, fill=1)
    canvas.restoreState()
