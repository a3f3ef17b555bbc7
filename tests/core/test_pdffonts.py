"""The PDFs' font: registered from the placed DejaVu Sans, Arabic shaped and in visual order."""

import unicodedata

import pytest
from django.core.exceptions import ImproperlyConfigured
from reportlab.pdfbase import pdfmetrics

from tests.pdfcheck import ARABIC, TURKISH, missing_glyphs
from veerkracht.core import pdffonts


def test_dejavu_sans_carries_turkish_and_arabic_letters():
    pdffonts.register()
    assert not missing_glyphs(TURKISH + pdffonts.visual(ARABIC))


def test_arabic_is_joined_and_reversed_and_latin_is_left_alone():
    assert pdffonts.visual(TURKISH) == TURKISH
    shown = pdffonts.visual(ARABIC)
    assert all(unicodedata.name(char).startswith("ARABIC LETTER") or char == " " for char in shown)
    assert "FORM" in unicodedata.name(shown[-1])  # a joined (contextual) form, not the bare letter
    assert unicodedata.normalize("NFKC", shown)[::-1] == ARABIC  # read right to left, it is the text as typed


def test_the_direction_of_a_line_is_its_first_letter_with_one():
    assert pdffonts.starts_rtl("2026 " + ARABIC + " Veerkracht")
    assert not pdffonts.starts_rtl("Welkom " + ARABIC)
    assert pdffonts.is_rtl_language("ar")
    assert not pdffonts.is_rtl_language("tr")


def test_a_wrapped_arabic_text_keeps_its_first_words_on_the_first_line():
    pdffonts.register()
    text = " ".join([ARABIC] * 12)
    lines = pdffonts.wrap(text, pdffonts.REGULAR, 12, 150)
    assert len(lines) > 1
    first = unicodedata.normalize("NFKC", lines[0])[::-1]
    assert first.startswith(ARABIC)
    assert all(pdfmetrics.stringWidth(line, pdffonts.REGULAR, 12) <= 150 for line in lines)


def test_a_missing_font_file_says_to_place_the_assets(monkeypatch, tmp_path):
    monkeypatch.setattr(pdffonts, "FONT_DIR", tmp_path)
    monkeypatch.setattr(pdffonts, "FILES", {"VkTestMissing": "DejaVuSans.ttf"})
    with pytest.raises(ImproperlyConfigured, match="make assets"):
        pdffonts.register()
