"""Letters for residents without SMS or e-mail: every placeholder filled, signed by the worker."""

import dataclasses
import io
import unicodedata

import pytest
from django.core.management import CommandError, call_command
from pypdf import PdfReader
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics

from tests.conftest import Cast
from tests.messaging.conftest import live_in
from tests.messaging.test_yes_no import BASE, coffee_morning
from tests.pdfcheck import assert_prints
from veerkracht.core import pdffonts
from veerkracht.messaging import services
from veerkracht.messaging.models import Message, Recipient
from veerkracht.messaging.services import Draft, message_send
from veerkracht.people.models import Building, Household, Resident


def test_a_letter_has_its_subject_filled_in_and_is_signed_by_the_worker(cast: Cast, client, block):
    coffee = coffee_morning(cast)
    draft = Draft(
        subject="Uitnodiging: {activity}",
        text="Beste {first_name}, komt u naar {activity} op {when}?",
        channels=("letter",),
        resident_ids=(block["letter"].pk,),
        activity_id=coffee.pk,
    )
    message = message_send(by=cast.coordinator, draft=draft, base_url=BASE)
    client.force_login(cast.coordinator)
    page = client.get(f"/berichten/{message.pk}/brieven/").content.decode()
    assert "Uitnodiging: Koffie online" in page
    assert "Beste Truus, komt u naar Koffie online op " in page
    assert "{" not in page.split("<main", 1)[-1]  # nothing left unfilled
    assert f"Met vriendelijke groet,<br>{cast.coordinator.display_name}<br>{cast.organisation.name}" in page
    coffee.delete()  # the letter can no longer say what it was about: it is held back, with the reason
    page = client.get(f"/berichten/{message.pk}/brieven/").content.decode()
    assert "wordt niet afgedrukt: activity, when is niet meer in te vullen" in page
    assert "Uitnodiging: {activity}" not in page


def _letter_to_truus(cast: Cast, block) -> int:
    coffee = coffee_morning(cast)
    draft = Draft(
        subject="Uitnodiging: {activity}",
        text="Beste {first_name},\nkomt u naar {activity} op {when}? Bel ons gerust.",
        channels=("letter",),
        resident_ids=(block["letter"].pk,),
        activity_id=coffee.pk,
    )
    return message_send(by=cast.coordinator, draft=draft, base_url=BASE).pk


def _set_contact(cast: Cast) -> None:
    call_command(
        "organisation",
        "contact",
        "--slug",
        cast.organisation.slug,
        "--address",
        "Postbus 12, 1000 AB Amsterdam",
        "--phone",
        "020 123 4567",
        stdout=io.StringIO(),
    )


def test_the_pdf_has_a_page_per_letter_with_the_address_in_the_envelope_window(cast: Cast, client, block):
    _set_contact(cast)
    Resident.objects.filter(pk=block["letter"].pk).update(first_name="Gülşen")  # Turkish letters print too
    message_id = _letter_to_truus(cast, block)
    client.force_login(cast.coordinator)
    response = client.get(f"/berichten/{message_id}/brieven.pdf")
    assert response["Content-Type"] == "application/pdf"
    (page,) = PdfReader(io.BytesIO(response.content)).pages
    placed: dict[str, tuple[float, float]] = {}

    def where(text: str, cm: object, tm: list[float], *_: object) -> None:
        placed.setdefault(text.strip(), (tm[4], tm[5]))

    text = page.extract_text(visitor_text=where)
    resident = Resident.objects.select_related("household").get(pk=block["letter"].pk)
    x, y = placed[resident.full_name]
    from_top_mm = (A4[1] - y) / mm
    assert 15 <= x / mm <= 25  # the window starts 15-20 mm from the left
    assert 46 <= from_top_mm <= 70  # and runs from 39-44 mm to 74-79 mm from the top
    assert "Uitnodiging: Koffie online" in text
    assert "Beste Gülşen," in text
    assert "Met vriendelijke groet," in text
    assert cast.coordinator.display_name in text
    words = " ".join(text.split())  # the line wraps
    assert "Geen internet? Bel ons op 020 123 4567 of schrijf naar Postbus 12, 1000 AB Amsterdam." in words
    assert "{" not in text
    assert_prints(response.content, "Beste Gülşen,")  # DejaVu Sans, embedded, with the ş


def test_without_the_organisations_address_the_pdf_is_refused_with_the_reason(cast: Cast, client, block):
    message_id = _letter_to_truus(cast, block)
    client.force_login(cast.coordinator)
    response = client.get(f"/berichten/{message_id}/brieven.pdf", follow=True)
    assert response.redirect_chain[-1][0] == f"/berichten/{message_id}/brieven/"
    assert "Brieven hebben eerst het postadres en telefoonnummer van de organisatie nodig." in response.content.decode()


def test_the_contact_command_refuses_a_phone_number_nobody_can_call(cast: Cast):
    with pytest.raises(CommandError, match=r"telefoonnummer|phone number"):
        call_command(
            "organisation", "contact", "--slug", cast.organisation.slug, "--address", "Postbus 1", "--phone", "bel ons"
        )
    cast.organisation.refresh_from_db()
    assert cast.organisation.phone == ""


def _invitation_letter(cast: Cast, block, languages: list[str]) -> int:
    """The ready-made invitation, by letter, to Truus who reads ``languages``."""
    Resident.objects.filter(pk=block["letter"].pk).update(languages=languages)
    coffee = coffee_morning(cast)
    draft = Draft(
        template="activity_invitation", channels=("letter",), resident_ids=(block["letter"].pk,), activity_id=coffee.pk
    )
    return message_send(by=cast.coordinator, draft=draft, base_url=BASE).pk


def _placed(page) -> tuple[str, dict[str, tuple[float, float]]]:
    """The page's text and where each run of it starts (x, y in points)."""
    placed: dict[str, tuple[float, float]] = {}

    def where(text: str, cm: object, tm: list[float], *_: object) -> None:
        placed.setdefault(text.strip(), (tm[4], tm[5]))

    return page.extract_text(visitor_text=where), placed


def test_an_arabic_reader_gets_the_letter_in_arabic_right_to_left_with_the_address_in_the_window(
    cast: Cast, client, block
):
    _set_contact(cast)
    message_id = _invitation_letter(cast, block, ["ar", "nl"])
    client.force_login(cast.coordinator)
    pdf = client.get(f"/berichten/{message_id}/brieven.pdf").content
    # (the tanween of مرحبًا is left out: reportlab cannot place a mark over its letter)
    assert_prints(pdf, "دعوة", "مرحبا", "Truus", "مع أطيب التحيات", "Koffie online", "ليس لديك إنترنت؟")
    (page,) = PdfReader(io.BytesIO(pdf)).pages
    text, placed = _placed(page)
    assert "Uitnodiging" not in text
    assert "{" not in text
    resident = Resident.objects.get(pk=block["letter"].pk)
    x, y = placed[resident.full_name]  # the address stays left to right in the window
    assert 15 <= x / mm <= 25
    assert 46 <= (A4[1] - y) / mm <= 70
    (greeting,) = [(key, at) for key, at in placed.items() if "التحيات" in unicodedata.normalize("NFKC", key)]
    width = pdfmetrics.stringWidth(greeting[0], pdffonts.REGULAR, 11)
    assert A4[0] - 20 * mm - (greeting[1][0] + width) < 1  # flush right against the right margin
    words = " ".join(text.split())
    assert "020 123 4567" in words  # the phone number whole in the Arabic sentence, not 4567 123 020
    assert "4567 123 020" not in words


def test_a_turkish_reader_gets_turkish_and_a_dutch_reader_dutch(cast: Cast, client, block):
    _set_contact(cast)
    client.force_login(cast.coordinator)
    turkish = _invitation_letter(cast, block, ["tr"])
    text = PdfReader(io.BytesIO(client.get(f"/berichten/{turkish}/brieven.pdf").content)).pages[0].extract_text()
    assert "Davet: Koffie online" in text
    assert "Saygılarımızla," in text
    assert "İnternetiniz yok mu?" in " ".join(text.split())
    page = client.get(f"/berichten/{turkish}/brieven/").content.decode()
    assert 'lang="tr" dir="ltr"' in page
    assert "Davet: Koffie online" in page
    dutch = _invitation_letter(cast, block, ["ber"])  # Tamazight: no texts in it, so Dutch
    text = PdfReader(io.BytesIO(client.get(f"/berichten/{dutch}/brieven.pdf").content)).pages[0].extract_text()
    assert "Uitnodiging: Koffie online" in text
    assert "Met vriendelijke groet," in text


def test_words_the_writer_typed_are_printed_as_typed_whatever_the_readers_language(cast: Cast, client, block):
    _set_contact(cast)
    Resident.objects.filter(pk=block["letter"].pk).update(languages=["ar"])
    message_id = _letter_to_truus(cast, block)
    client.force_login(cast.coordinator)
    text = PdfReader(io.BytesIO(client.get(f"/berichten/{message_id}/brieven.pdf").content)).pages[0].extract_text()
    assert "Beste Truus," in text


def test_a_batch_prints_a_page_per_resident_each_with_its_own_address_and_without_held_back_letters(
    cast: Cast, client, block, flats: Building, monkeypatch: pytest.MonkeyPatch
):
    _set_contact(cast)
    readers = [
        block["letter"],
        live_in(flats, "A", first_name="Hennie", consent_contact=True),
        live_in(flats, "B", first_name="Lies", consent_contact=True),
        live_in(flats, "B", first_name="Piet", consent_contact=True),
    ]
    for suffix, reader in zip(("1", "2", "3", "4"), readers, strict=True):
        Household.objects.filter(pk=reader.household_id).update(house_number_suffix=suffix)
    draft = Draft(
        subject="Buurtkoffie",
        text="Beste {first_name}, komt u koffie drinken?",
        channels=("letter",),
        resident_ids=tuple(reader.pk for reader in readers),
    )
    message_id = message_send(by=cast.coordinator, draft=draft, base_url=BASE).pk
    held_back = readers[2]  # Lies: her letter cannot be filled in, so it is held back (as when an activity went)
    letter_of = services.letter_of

    def one_unfillable(message: Message, recipient: Recipient, base_url: str) -> services.Letter:
        letter = letter_of(message, recipient, base_url)
        if recipient.resident_id != held_back.pk:
            return letter
        return dataclasses.replace(letter, text="Beste {first_name}, komt u naar {activity}?", unfilled=("activity",))

    monkeypatch.setattr(services, "letter_of", one_unfillable)
    client.force_login(cast.coordinator)
    response = client.get(f"/berichten/{message_id}/brieven.pdf")
    assert response["Content-Type"] == "application/pdf"
    pages = PdfReader(io.BytesIO(response.content)).pages
    printed = [reader for reader in readers if reader.pk != held_back.pk]
    assert len(pages) == len(printed) == 3  # one PDF, a page per resident whose letter could be filled
    on_pages = [_placed(page) for page in pages]
    for reader in printed:
        (text, placed), *more = [(text, placed) for text, placed in on_pages if reader.full_name in placed]
        assert more == []  # one page each
        resident = Resident.objects.select_related("household").get(pk=reader.pk)
        assert resident.household is not None
        street = f"Esdoornlaan 12-{resident.household.house_number_suffix}"
        for line in (resident.full_name, street):  # the page's own resident, in the envelope window
            x, y = placed[line]
            assert 15 <= x / mm <= 25
            assert 46 <= (A4[1] - y) / mm <= 70
        assert f"Beste {reader.first_name}, komt u koffie drinken?" in text
        others = [other for other in readers if other.pk != reader.pk]
        assert not any(other.full_name in text for other in others)
    everything = " ".join(page.extract_text() for page in pages)
    assert held_back.full_name not in everything
    assert "{" not in everything
