"""The printable bingo cards: two cards on each A4 page, in large type, to cut along the dashed line.

Drawn with reportlab in the embedded DejaVu Sans of every PDF (core/pdffonts.py), like the activity
poster, so Turkish and Arabic titles print as written (Arabic joined, right to left); no images, and the
same bytes for the same game.
"""

import io
from collections.abc import Sequence

from reportlab.lib.pagesizes import A4
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from veerkracht.activities.models import Activity
from veerkracht.activities.poster import ACCENT, BOLD, REGULAR, when_lines
from veerkracht.bingo.models import Card
from veerkracht.core import pdffonts

PAGE_WIDTH, PAGE_HEIGHT = A4
HALF = PAGE_HEIGHT / 2
MARGIN = 36.0
CARDS_PER_PAGE = 2
TITLE_SIZE = 22.0
DATE_SIZE = 16.0  # the smallest type on the card: older eyes read it at arm's length
CODE_SIZE = 28.0
NUMBER_SIZE = 30.0
FREE_SIZE = 16.0
CELL_WIDTH = 84.0
CELL_HEIGHT = 44.0
HEADER = "BINGO"
FREE_TEXT = "GRATIS"


def cards_pdf(activity: Activity, cards: Sequence[Card]) -> bytes:
    """The cards of a game, two per A4 page, each with its code and the activity's name and date."""
    pdffonts.register()
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, invariant=True, lang="nl", initialFontName=REGULAR)
    canvas.setTitle(f"Bingokaarten · {activity.title}")
    canvas.setAuthor(activity.organisation.name)
    when = " · ".join(when_lines(activity.starts_at, activity.ends_at)[:2])
    for start in range(0, len(cards), CARDS_PER_PAGE):
        for slot, card in enumerate(cards[start : start + CARDS_PER_PAGE]):
            _draw_card(canvas, card, title=activity.title, when=when, top=PAGE_HEIGHT - slot * HALF)
        _draw_cut_line(canvas)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _fitted(text: str, font: str, size: float, width: float) -> str:
    """The text on one line of ``width``, ready to draw, cut off with "…" when it is longer."""
    if stringWidth(pdffonts.visual(text), font, size) <= width:
        return pdffonts.visual(text)
    while text and stringWidth(pdffonts.visual(text + "…"), font, size) > width:
        text = text[:-1]
    return pdffonts.visual(text.rstrip() + "…")


def _draw_card(canvas: Canvas, card: Card, *, title: str, when: str, top: float) -> None:
    """One card in the half page below ``top``: title, date, code, then the 5 × 5 grid under B I N G O."""
    width = PAGE_WIDTH - 2 * MARGIN
    y = top - MARGIN - TITLE_SIZE
    canvas.setFillColorRGB(0, 0, 0)
    canvas.setFont(BOLD, TITLE_SIZE)
    pdffonts.draw(
        canvas, MARGIN, y, _fitted(title, BOLD, TITLE_SIZE, width), width=width, rtl=pdffonts.starts_rtl(title)
    )
    y -= DATE_SIZE * 1.4
    canvas.setFont(REGULAR, DATE_SIZE)
    canvas.drawString(MARGIN, y, _fitted(when, REGULAR, DATE_SIZE, width))
    y -= CODE_SIZE * 1.2
    canvas.setFont(BOLD, CODE_SIZE)
    canvas.drawString(MARGIN, y, f"Kaart {card.code}")
    _draw_grid(canvas, card.numbers, top=y - 12)


def _draw_grid(canvas: Canvas, numbers: Sequence[Sequence[int]], *, top: float) -> None:
    """The header row B I N G O on the accent colour, then the five rows of numbers."""
    left = (PAGE_WIDTH - len(HEADER) * CELL_WIDTH) / 2
    canvas.setFillColorRGB(*ACCENT)
    canvas.rect(left, top - CELL_HEIGHT, len(HEADER) * CELL_WIDTH, CELL_HEIGHT, stroke=0, fill=1)
    canvas.setFillColorRGB(1, 1, 1)
    canvas.setFont(BOLD, NUMBER_SIZE)
    for column, letter in enumerate(HEADER):
        _centred(canvas, letter, left + column * CELL_WIDTH, top - CELL_HEIGHT, NUMBER_SIZE)
    canvas.setFillColorRGB(0, 0, 0)
    canvas.setLineWidth(1.5)
    for row, values in enumerate(numbers):
        bottom = top - (row + 2) * CELL_HEIGHT
        for column, number in enumerate(values):
            canvas.rect(left + column * CELL_WIDTH, bottom, CELL_WIDTH, CELL_HEIGHT, stroke=1, fill=0)
            size = FREE_SIZE if number == 0 else NUMBER_SIZE
            canvas.setFont(BOLD, size)
            _centred(canvas, FREE_TEXT if number == 0 else str(number), left + column * CELL_WIDTH, bottom, size)


def _centred(canvas: Canvas, text: str, left: float, bottom: float, size: float) -> None:
    """Text centred in the cell whose lower left corner is (left, bottom)."""
    canvas.drawCentredString(left + CELL_WIDTH / 2, bottom + (CELL_HEIGHT - size * 0.7) / 2, text)


def _draw_cut_line(canvas: Canvas) -> None:
    canvas.saveState()
    canvas.setStrokeColorRGB(0.45, 0.45, 0.45)
    canvas.setDash(6, 4)
    canvas.line(MARGIN / 2, HALF, PAGE_WIDTH - MARGIN / 2, HALF)
    canvas.restoreState()
