"""Reading generated PDFs back: the text as a reader's tool extracts it, the fonts, and missing glyphs."""

import io
import unicodedata
from typing import Any

import arabic_reshaper
from pypdf import PdfReader
from reportlab.pdfbase import pdfmetrics

from veerkracht.core import pdffonts

TURKISH = "Işık Şenol Ğ İstanbul"  # dotless ı, Ş, Ğ and dotted İ: the letters Helvetica lacks
ARABIC = "مرحبا بكم"  # "welcome"


def text_of(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def fonts_of(pdf: bytes) -> dict[str, bool]:
    """Each font a page uses, by base name without the subset tag, and whether its file is embedded."""
    fonts: dict[str, bool] = {}
    for page in PdfReader(io.BytesIO(pdf)).pages:
        resources: Any = page["/Resources"]  # pypdf types the page's entries as any PDF object
        for ref in resources["/Font"].values():
            font = ref.get_object()
            descriptor = font.get("/FontDescriptor")
            embedded = descriptor is not None and "/FontFile2" in descriptor.get_object()
            fonts[str(font["/BaseFont"]).lstrip("/").split("+")[-1]] = embedded
    return fonts


def missing_glyphs(text: str) -> set[str]:
    """The characters of ``text`` that DejaVu Sans has no glyph for: they would print as a box."""
    pdffonts.register()
    cmap = pdfmetrics.getFont(pdffonts.REGULAR).face.charToGlyph
    return {char for char in text if not char.isspace() and ord(char) not in cmap}


def reads_as(extracted: str, logical: str) -> bool:
    """Whether Arabic ``logical`` text is in ``extracted`` as printed: joined forms, right to left.

    pypdf reads a right-to-left run back into reading order, so letters drawn in typing order (unshaped,
    left to right) would come out reversed; the joined forms (initial, medial, final) prove the shaping,
    and folding them back (NFKC) must give the text as typed."""
    shaped = arabic_reshaper.reshape(logical)
    return shaped != logical and shaped in extracted and logical in unicodedata.normalize("NFKC", extracted)


def assert_prints(pdf: bytes, *texts: str) -> None:
    """Every font DejaVu Sans and embedded, each text present with the right letters, no box for any."""
    fonts = fonts_of(pdf)
    assert fonts
    assert all(name.startswith("DejaVuSans") and embedded for name, embedded in fonts.items()), fonts
    extracted = text_of(pdf)
    assert not missing_glyphs(extracted)
    assert "■" not in extracted
    for text in texts:
        if pdffonts.has_rtl(text):
            assert reads_as(extracted, text), (text, extracted)
        else:  # word by word: a line may break between them
            assert all(word in extracted for word in text.split()), (text, extracted)
