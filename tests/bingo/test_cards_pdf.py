"""The printed cards: two per A4 page, each with its code, the activity's name and its Dutch date."""

import io
import re

from pypdf import PdfReader

from tests.conftest import Cast
from tests.pdfcheck import ARABIC, TURKISH, assert_prints
from veerkracht.bingo.cards_pdf import cards_pdf
from veerkracht.bingo.services import game_create


def _pages(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def test_two_cards_on_each_a4_page_with_code_name_and_dutch_date(cast: Cast, balkonbingo):
    game = game_create(by=cast.professional, activity_id=balkonbingo.pk, cards=5)
    cards = list(game.cards.order_by("index"))
    pdf = cards_pdf(balkonbingo, cards)
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 3
    assert [round(float(side)) for side in reader.pages[0].mediabox[2:]] == [595, 842]
    pages = _pages(pdf)
    for number, text in enumerate(pages):
        on_page = cards[2 * number : 2 * number + 2]
        assert text.count("Balkonbingo Esdoornhof") == len(on_page)
        assert text.count("Zaterdag 15 juni 2030") == len(on_page)
        assert text.count("14:00 – 16:00 uur") == len(on_page)
        assert re.findall(r"Kaart (\w{4})", text) == [card.code for card in on_page]
        assert text.count("B\nI\nN\nG\nO") == len(on_page)


def test_every_number_of_a_card_is_printed(cast: Cast, balkonbingo):
    game = game_create(by=cast.professional, activity_id=balkonbingo.pk, cards=1)
    card = game.cards.get()
    text = _pages(cards_pdf(balkonbingo, [card]))[0]
    printed = [int(number) for number in re.findall(r"\b\d{1,2}\b", text.split(f"Kaart {card.code}")[1])]
    assert printed == [number for row in card.numbers for number in row if number]
    assert "GRATIS" in text


def test_the_type_is_large_and_the_same_game_prints_the_same_bytes(cast: Cast, balkonbingo):
    game = game_create(by=cast.professional, activity_id=balkonbingo.pk, cards=2)
    cards = list(game.cards.order_by("index"))
    sizes: list[float] = []
    page = PdfReader(io.BytesIO(cards_pdf(balkonbingo, cards))).pages[0]
    page.extract_text(
        visitor_text=lambda text, cm, tm, font, size: sizes.append(size * tm[0]) if text.strip() else None
    )
    assert min(sizes) >= 16
    assert cards_pdf(balkonbingo, cards) == cards_pdf(balkonbingo, cards)


def test_turkish_and_arabic_titles_print_in_an_embedded_font(cast: Cast, balkonbingo):
    game = game_create(by=cast.professional, activity_id=balkonbingo.pk, cards=2)
    cards = list(game.cards.order_by("index"))
    balkonbingo.title = f"Bingo {TURKISH}"
    assert_prints(cards_pdf(balkonbingo, cards), TURKISH, "Kaart", "GRATIS")
    balkonbingo.title = f"{ARABIC} بينغو"
    assert_prints(cards_pdf(balkonbingo, cards), ARABIC, "بينغو", "Zaterdag 15 juni 2030")
