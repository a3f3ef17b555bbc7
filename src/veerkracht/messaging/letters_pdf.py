"""One PDF per batch of letters: an A4 page per resident, the address where a window envelope shows it.

The address block starts 20 mm from the left and 46 mm from the top and stays within 24 mm of height
and 85 mm of width: inside the window of the Dutch window envelopes for A4 folded in three (EA5/6 and
C5/6, window about 15-20 mm from the left and 39-75 mm from the top) and of C5 (44-79 mm). The sender
block sits top right, outside every window. The text is set in the embedded DejaVu Sans of every PDF
(core/pdffonts.py): Turkish ğ, ş, ı and İ print as written, Arabic joined and right to left.
"""

import io
from dataclasses import dataclass

from django.conf import settings
from django.utils import dateformat, timezone, translation
from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen.canvas import Canvas

from veerkracht.core import pdffonts
from veerkracht.core.models import Organisation
from veerkracht.messaging.services import Letter, letter_words

PAGE_WIDTH, PAGE_HEIGHT = A4
LEFT = 20 * mm
ADDRESS_TOP = 46 * mm  # from the top of the sheet
ADDRESS_WIDTH = 85 * mm
ADDRESS_LINES = 5  # 5 × 4.6 mm fits the smallest window's 35 mm with room for the fold to shift
SIZE = 11.0
LEADING = 13.0
REGULAR, BOLD = pdffonts.REGULAR, pdffonts.BOLD


@dataclass(frozen=True)
class Signature:
    worker: str
    organisation: Organisation


def address_lines(letter: Letter) -> list[str]:
    """The resident's name and address as the post reads it: name, street and number, postcode and place."""
    resident = letter.recipient.resident
    household = resident.household
    if household is None:
        return [resident.full_name]
    suffix = f"-{household.house_number_suffix}" if household.house_number_suffix else ""
    street = f"{household.street} {household.house_number}{suffix}".strip()
    return [resident.full_name, street, f"{household.postcode}  {household.city}".strip()]


def _lines(canvas: Canvas, lines: list[str], x: float, top: float, *, font: str = REGULAR, rtl: bool = False) -> float:
    """Draw lines downwards from ``top`` (measured from the top of the page); returns where they end.

    The lines are logical text, each fitting the width; ``rtl`` sets them flush right, as Arabic reads."""
    canvas.setFont(font, SIZE)
    for line in lines:
        top += LEADING
        pdffonts.draw(canvas, x, PAGE_HEIGHT - top, pdffonts.visual(line), width=PAGE_WIDTH - 2 * x, rtl=rtl)
    return top


def _paragraphs(canvas: Canvas, text: str, top: float, *, font: str = REGULAR, rtl: bool = False) -> float:
    """Wrapped text across the page between the margins, as :func:`_lines` does for single lines."""
    canvas.setFont(font, SIZE)
    for line in pdffonts.wrap(text, font, SIZE, PAGE_WIDTH - 2 * LEFT):
        top += LEADING
        pdffonts.draw(canvas, LEFT, PAGE_HEIGHT - top, line, width=PAGE_WIDTH - 2 * LEFT, rtl=rtl)
    return top


def _page(canvas: Canvas, letter: Letter, signature: Signature) -> None:
    organisation = signature.organisation
    words = letter_words(letter, organisation)
    right = PAGE_WIDTH - 80 * mm
    _lines(canvas, [organisation.name], right, 12 * mm, font=BOLD)
    _lines(canvas, [organisation.postal_address, words.phone], right, 12 * mm + LEADING)
    # The address is written as the post reads it, left to right in the window, whatever the letter's language.
    address = [simpleSplit(line, REGULAR, SIZE, ADDRESS_WIDTH)[0] for line in address_lines(letter)]
    _lines(canvas, address[:ADDRESS_LINES], LEFT, ADDRESS_TOP - LEADING + SIZE)
    rtl = letter.rtl  # the letter itself reads as its language does: Arabic flush right
    with translation.override(letter.language):
        today = dateformat.format(timezone.localdate(), "j F Y")
    top = _lines(canvas, [today], LEFT, 95 * mm, rtl=rtl)
    if letter.subject:
        top = _paragraphs(canvas, letter.subject, top + LEADING, font=BOLD, rtl=rtl)
    top = _paragraphs(canvas, letter.text, top + LEADING, rtl=rtl)
    closing = "\n".join([words.kind_regards, signature.worker, organisation.name])
    top = _paragraphs(canvas, closing, top + LEADING, rtl=rtl)
    _paragraphs(canvas, words.respond, PAGE_HEIGHT - 30 * mm, font=BOLD, rtl=rtl)


def letters_pdf(letters: list[Letter], signature: Signature) -> bytes:
    """The batch as one PDF, a page per letter, each in its letter's language (the labels of the
    document itself in the organisation's)."""
    pdffonts.register()
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, invariant=True, lang="nl", initialFontName=REGULAR)
    canvas.setTitle(_("Letters"))
    canvas.setAuthor(signature.organisation.name)
    with translation.override(settings.LANGUAGE_CODE):
        for letter in letters:
            _page(canvas, letter, signature)
            canvas.showPage()
    canvas.save()
    return buffer.getvalue()
