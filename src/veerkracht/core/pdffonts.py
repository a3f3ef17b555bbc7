"""The one typeface of every PDF (posters, bingo cards, letters, the quarterly report), embedded.

reportlab's standard Helvetica has no Turkish ı, ş, ğ, İ nor any Arabic letter: they print as ■.
DejaVu Sans carries Latin Extended and Arabic with its presentation forms. The TTF files come from the
npm package ``dejavu-fonts-ttf`` (pinned in package.json, Bitstream Vera licence with DejaVu's public
domain changes, licence copied beside them) and are placed in ``static/vendor/fonts/dejavu`` by
``make assets`` (scripts/build-assets.mjs), like the other front-end packages.

reportlab draws glyphs one after the other, left to right, without shaping. Arabic text therefore goes
through :func:`visual` first: arabic-reshaper picks each letter's joined form (initial, medial, final)
and python-bidi puts the line in the order it is seen, right to left, numbers and Latin words kept as
they read.
"""

import re
import unicodedata
from pathlib import Path

import arabic_reshaper
from bidi import get_display
from django.core.exceptions import ImproperlyConfigured
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from veerkracht.core.text_language import is_rtl_language as is_rtl_language  # for the PDFs' callers

FONT_DIR = Path(__file__).resolve().parent.parent / "static" / "vendor" / "fonts" / "dejavu"
REGULAR = "VkSans"
BOLD = "VkSans-Bold"
ITALIC = "VkSans-Oblique"
FILES = {REGULAR: "DejaVuSans.ttf", BOLD: "DejaVuSans-Bold.ttf", ITALIC: "DejaVuSans-Oblique.ttf"}
# The marks and isolates that steer the bidi algorithm: they have no glyph, so they leave before drawing.
BIDI_CONTROLS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")
FSI, PDI = "\u2068", "\u2069"


def register() -> None:
    """Make the fonts known to reportlab (once per process); a missing file is a deployment error."""
    known = pdfmetrics.getRegisteredFontNames()
    for name, filename in FILES.items():
        if name in known:
            continue
        path = FONT_DIR / filename
        if not path.exists():
            raise ImproperlyConfigured(f"PDF font {path} is missing: run `make assets` (npm ci and the asset build).")
        pdfmetrics.registerFont(TTFont(name, str(path)))
    pdfmetrics.registerFontFamily(REGULAR, normal=REGULAR, bold=BOLD, italic=ITALIC, boldItalic=BOLD)


def has_rtl(text: str) -> bool:
    """Whether the text holds a right-to-left letter (Arabic, Hebrew, ...)."""
    return any(unicodedata.bidirectional(char) in ("R", "AL") for char in text)


def starts_rtl(text: str) -> bool:
    """Whether a line reads right to left: its first letter with a direction is a right-to-left one."""
    for char in text:
        direction = unicodedata.bidirectional(char)
        if direction in ("R", "AL"):
            return True
        if direction == "L":
            return False
    return False


def isolate(value: object) -> str:
    """A value set into a sentence (a phone number, an address, a name) kept whole in its own direction:
    "020 123 4567" in an Arabic sentence would otherwise print as "4567 123 020"."""
    return f"{FSI}{value}{PDI}"


def _drawable(line: str) -> str:
    return BIDI_CONTROLS.sub("", line)


def visual(text: str) -> str:
    """One line as reportlab must draw it: Arabic joined and in visual order; other text unchanged."""
    if not has_rtl(text):
        return _drawable(text)
    return _drawable(str(get_display(arabic_reshaper.reshape(text))))


def wrap(text: str, font: str, size: float, width: float) -> list[str]:
    """The text's lines that fit ``width``, each ready to draw (see :func:`visual`).

    Arabic is shaped before measuring (the joined forms have other widths) and put in visual order per
    line after breaking, so the first words stay on the first line.
    """
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        shaped = arabic_reshaper.reshape(paragraph) if has_rtl(paragraph) else paragraph
        split = simpleSplit(shaped, font, size, width) or [""]
        lines.extend(_drawable(str(get_display(line)) if has_rtl(line) else line) for line in split)
    return lines


def draw(canvas: Canvas, x: float, y: float, line: str, *, width: float, rtl: bool) -> None:
    """Draw one line (already :func:`visual`) from ``x``; a right-to-left one (``rtl``, from :func:`starts_rtl`
    on the text it came from) is set flush right against ``x + width``."""
    if rtl:
        canvas.drawRightString(x + width, y, line)
    else:
        canvas.drawString(x, y, line)
