"""Office roles' days in a real browser at desktop size, by clicking from the start page: the privacy
officer answers a request for access, the funder reads the dashboard and downloads the quarterly report, the
coordinator registers a resident, plans, and gives an activity a title in English and Arabic."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.test_accessibility import (  # noqa: F401 - activity and place are fixtures
    DESKTOP,
    _assert_dutch_styled_and_accessible,
    _menu,
    _sign_in,
    _violations,
    activity,
    place,
)
from tests.conftest import Cast
from tests.factories import UserFactory
from veerkracht.contacts.services import contact_log
from veerkracht.core.models import AuditAction, AuditEvent

ARABIC_TITLE = "صباح القهوة"  # coffee morning

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_privacy_officer_finds_a_residents_reads_and_produces_the_inspection(browser, live_server, cast: Cast):
    resident = cast.resident_north
    contact_log(
        by=cast.professional, resident_ids=[resident.pk], channel="porch_talk", started_at=timezone.now(),
        duration_minutes=10,
    )  # fmt: skip
    context = browser.new_context(bypass_csp=True, viewport=DESKTOP, locale="nl-NL")
    page = context.new_page()
    try:
        _sign_in(page, live_server.url, cast.privacy_officer.username)
        page.get_by_role("main").get_by_role("link", name="Een inzageverzoek beantwoorden").click()
        page.get_by_label("Naam, adres of postcode").fill(resident.last_name)
        page.get_by_role("button", name="Zoeken").click()
        _assert_dutch_styled_and_accessible(page)
        page.get_by_role("link", name="Wie dit dossier inzag").click()
        rows = page.inner_text("table")
        assert f"Bewoner {resident.full_name}" in rows
        assert cast.professional.display_name in rows
        _assert_dutch_styled_and_accessible(page)
        page.go_back()
        page.get_by_role("link", name="Inzageoverzicht maken").click()
        expect(page.locator("h1")).to_contain_text("Alles wat we over deze bewoner vastleggen")
        expect(page.locator("main")).to_contain_text("Portiekgesprek")
        _assert_dutch_styled_and_accessible(page)
        assert AuditEvent.objects.filter(actor=cast.privacy_officer, action=AuditAction.EXPORT).exists()
    finally:
        context.close()


def test_the_funder_opens_the_dashboard_and_downloads_the_quarterly_report(browser, live_server, cast: Cast):
    context = browser.new_context(bypass_csp=True, viewport=DESKTOP, locale="nl-NL", accept_downloads=True)
    page = context.new_page()
    try:
        _sign_in(page, live_server.url, cast.funder.username)
        page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Inzicht").click()
        expect(page.locator("main")).to_contain_text("Zo leest u de tabellen")
        _assert_dutch_styled_and_accessible(page)
        with page.expect_response(lambda response: "kwartaalrapportage.pdf" in response.url) as answer:
            page.get_by_role("button", name="Kwartaalrapportage downloaden (pdf)").click()
        response = answer.value
        assert response.status == 200
        assert response.headers["content-type"] == "application/pdf"
    finally:
        context.close()


def test_the_coordinator_registers_a_resident_by_name_and_narrows_the_long_helper_list(
    browser, live_server, cast: Cast, request: pytest.FixtureRequest
):
    coffee = request.getfixturevalue("activity")  # the coffee morning of the accessibility check
    for number in range(20):  # a long list: more helpers than one reads through
        UserFactory.create(volunteer=True, organisation=cast.organisation, first_name=f"Helper{number:02}")
    UserFactory.create(volunteer=True, organisation=cast.organisation, first_name="Joke", last_name="Zwaluw")
    south = cast.resident_south
    context = browser.new_context(bypass_csp=True, viewport=DESKTOP, locale="nl-NL")
    page = context.new_page()
    try:
        _sign_in(page, live_server.url, cast.coordinator.username)
        _menu(page).get_by_role("link", name="Activiteiten").click()
        page.get_by_role("main").get_by_role("link", name="Koffieochtend").first.click()
        page.wait_for_load_state()  # htmx listens to the field once the page has loaded (a busy machine is slow)
        expect(page.locator("main")).not_to_contain_text("Bewonersnummer", use_inner_text=True)
        page.get_by_label("Zoek de bewoner op naam").fill(south.last_name)  # htmx asks while typing
        choice = page.get_by_label(f"{south.full_name} · {south.birth_year} · Zuiderpark")
        choice.wait_for()
        assert choice.is_checked()  # the only one found
        _assert_dutch_styled_and_accessible(page)
        page.get_by_role("button", name="Aanmelden", exact=True).click()
        expect(page.get_by_role("status").filter(has_text="Aangemeld")).to_be_visible()
        assert coffee.registrations.filter(resident=south).exists()

        _menu(page).get_by_role("link", name="Activiteiten").click()
        page.get_by_role("link", name="Activiteit plannen").click()
        page.get_by_label("Typ om de lijst te verkorten (Helpers)").fill("zwaluw")
        helpers = page.locator("fieldset:has(legend:text('Helpers')) .vk-choice:visible")
        assert helpers.count() == 1
        expect(helpers).to_contain_text("Joke Zwaluw · Vrijwilliger")
        _assert_dutch_styled_and_accessible(page)

        # The coffee morning's title in English and Arabic, for visitors who read the pages in them.
        _menu(page).get_by_role("link", name="Activiteiten").click()
        page.get_by_role("main").get_by_role("link", name="Koffieochtend").first.click()
        page.get_by_role("link", name="Wijzigen", exact=True).click()
        page.get_by_role("group", name="In het Engels").get_by_label("Titel").fill("Coffee morning")
        arabic = page.get_by_role("group", name="In het Arabisch").get_by_label("Titel")
        assert (arabic.get_attribute("lang"), arabic.get_attribute("dir")) == ("ar", "rtl")
        arabic.fill(ARABIC_TITLE)
        _assert_dutch_styled_and_accessible(page)
        page.get_by_role("button", name="Wijzigingen opslaan").click()
        expect(page.get_by_role("status").filter(has_text="gewijzigd")).to_be_visible()
        assert dict(coffee.texts.values_list("language", "title")) == {"en": "Coffee morning", "ar": ARABIC_TITLE}
        # The poster with the Arabic title under the Dutch one, fetched as the link names it.
        link = page.get_by_role("link", name="Poster (pdf) met de titel ook in het Arabisch")
        poster = context.request.get(live_server.url + str(link.get_attribute("href")))
        assert (poster.status, poster.headers["content-type"]) == (200, "application/pdf")
        page.get_by_role("link", name="Openbare pagina").click()
        page.select_option("#language", "ar")  # the language switch at the foot of every page
        page.get_by_role("button", name="Wisselen").click()
        heading = page.get_by_role("heading", level=1)
        expect(heading).to_have_text(ARABIC_TITLE)
        assert (heading.get_attribute("lang"), heading.get_attribute("dir")) == ("ar", "rtl")
        assert page.get_attribute("html", "dir") == "rtl"
        assert _violations(page) == []
    finally:
        context.close()
