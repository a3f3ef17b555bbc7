"""Issue 3's 'done means', in a real browser on a phone-sized screen."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.test_accessibility import PHONE, _menu, _sign_in, _violations
from tests.conftest import Cast
from veerkracht.contacts.models import Concern, Contact
from veerkracht.contacts.services import contact_log
from veerkracht.core.models import AuditAction, AuditEvent, User
from veerkracht.messaging.backends import memory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_worker_logs_a_video_call_in_three_taps_and_raises_a_concern(browser, live_server, cast: Cast):
    context = browser.new_context(viewport=PHONE, bypass_csp=True)
    page = context.new_page()
    try:
        _sign_in(page, live_server.url, cast.professional.username)
        _menu(page).get_by_role("link", name="Bewoners", exact=True).click()
        page.fill("#id_q", cast.resident_north.last_name)
        page.click("button >> text=Zoeken")
        page.click(f"text={cast.resident_north.full_name}")
        # The three taps: channel, duration, save. htmx redraws only the panel.
        page.click("label >> text=Beeldbellen")
        page.click("label >> text=15 min")
        page.click("button >> text=Contact opslaan")
        page.wait_for_selector("#contact-panel >> text=Het contactmoment is opgeslagen.")
        expect(page.locator("#contact-panel .vk-timeline >> text=Beeldbellen")).to_be_visible()
        assert _violations(page) == []
        contact = Contact.objects.get()
        assert (contact.channel, contact.duration_minutes, contact.worker) == ("video_call", 15, cast.professional)

        page.click("text=Zorgsignaal melden")
        page.select_option("#id_category", "loneliness")
        page.click("label >> text=3 · hoog")
        page.fill("#id_description", "Komt de deur niet meer uit")
        page.click("button >> text=Zorgsignaal melden")
        page.wait_for_url(re.compile(r"/zorgsignalen/\d+/$"))
        page.goto(f"{live_server.url}/werklijsten/zorgsignalen/?scope=team")
        expect(page.locator(f"table >> text={cast.resident_north.full_name}")).to_be_visible()
        assert Concern.objects.get().severity == 3
    finally:
        context.close()


def test_a_guessing_volunteer_gets_404_and_the_privacy_officer_sees_both_reads(browser, live_server, cast: Cast):
    resident_url = f"{live_server.url}/bewoners/{cast.resident_north.pk}/"
    context = browser.new_context(viewport=PHONE, bypass_csp=True)
    page = context.new_page()
    try:
        _sign_in(page, live_server.url, cast.professional.username)
        assert page.goto(resident_url).status == 200
        context.clear_cookies()
        _sign_in(page, live_server.url, cast.volunteer.username)
        assert page.goto(resident_url).status == 404
        api = page.request.get(f"{live_server.url}/api/v1/residents/{cast.resident_north.pk}")
        assert api.status == 401  # the API wants a token, never a session
        context.clear_cookies()
        _sign_in(page, live_server.url, cast.privacy_officer.username)
        page.goto(f"{live_server.url}/audit/?object_id={cast.resident_north.pk}")
        rows = page.inner_text("table")
        assert cast.professional.display_name in rows
        assert "Ingezien" in rows
        assert cast.volunteer.display_name in rows
        assert "Toegang geweigerd" in rows
        assert AuditEvent.objects.filter(actor=cast.volunteer, action=AuditAction.ACCESS_DENIED).exists()
        refusals = page.goto(f"{live_server.url}/audit/?action=access_denied")
        assert refusals.status == 200
        expect(page.locator("table")).to_contain_text(cast.volunteer.display_name)
    finally:
        context.close()


def test_a_worker_finds_todays_follow_up_on_the_start_page_and_works_the_list(browser, live_server, cast: Cast):
    contact_log(
        by=cast.professional, resident_ids=[cast.resident_north.pk], channel="phone",
        started_at=timezone.now() - timedelta(days=3), duration_minutes=5,
        follow_up_on=timezone.localdate() - timedelta(days=1), note="Terugbellen over de huur",
    )  # fmt: skip
    context = browser.new_context(viewport=PHONE, bypass_csp=True, locale="nl-NL")
    page = context.new_page()
    try:
        _sign_in(page, live_server.url, cast.professional.username)
        expect(page.locator("main")).to_contain_text(cast.resident_north.full_name)
        page.get_by_role("link", name="Alle opvolgingen, ook die van de komende week").click()
        expect(page.locator("main")).to_contain_text("te laat")
        assert _violations(page) == []
        page.get_by_role("main").get_by_role("link", name=cast.resident_north.full_name).click()
        page.click("label >> text=Telefoon")
        page.click("label >> text=15 min")
        page.click("button >> text=Contact opslaan")
        page.wait_for_selector("#contact-panel >> text=Het contactmoment is opgeslagen.")
        page.goto(f"{live_server.url}/werklijsten/opvolgen/")
        expect(page.locator("main")).not_to_contain_text(
            cast.resident_north.full_name, use_inner_text=True
        )  # followed up: off the list
    finally:
        context.close()


def test_a_worker_invites_a_resident_who_makes_an_account_and_lands_on_their_turkish_start_page(
    browser, live_server, cast: Cast
):
    resident = cast.resident_north
    resident.phone, resident.consent_sms, resident.languages = "06-12 34 56 78", True, ["tr", "nl"]
    resident.save()
    memory.outbox.clear()
    context = browser.new_context(viewport=PHONE, bypass_csp=True, locale="nl-NL")
    page = context.new_page()
    try:
        _sign_in(page, live_server.url, cast.professional.username)
        _menu(page).get_by_role("link", name="Bewoners", exact=True).click()
        page.fill("#id_q", resident.last_name)
        page.click("button >> text=Zoeken")
        page.click(f"text={resident.full_name}")
        page.click("text=Uitnodigen voor een eigen account")
        expect(page.locator("main")).to_contain_text("per sms naar 0612345678")  # the channel, from consent and number
        assert page.input_value("#id_language") == "tr"  # the resident's own language first
        assert _violations(page) == []
        page.click("button >> text=Uitnodiging versturen")
        page.wait_for_selector("text=De uitnodiging is per sms verstuurd. De link werkt één keer, 7 dagen lang.")
        page.locator("#own-account-heading").wait_for()  # back on the resident page, the panel shown
        link = re.search(r"https?://\S+/eigen-account/\S+/", memory.outbox[-1].text)
        assert link
    finally:
        context.close()
    # The resident opens the link from the SMS on their own phone.
    context = browser.new_context(viewport=PHONE, bypass_csp=True, locale="nl-NL")
    page = context.new_page()
    try:
        page.goto(link.group(0))
        assert page.get_attribute("html", "lang") == "tr"
        expect(page.locator("main")).to_contain_text("0612345678")
        assert _violations(page) == []
        page.fill("#id_password", "een-lang-wachtwoord-voor-mij")
        page.fill("#id_password_again", "een-lang-wachtwoord-voor-mij")
        page.check("#id_agree")
        page.click("button >> text=Hesabımı oluştur")
        page.wait_for_url(f"{live_server.url}/")
        assert page.get_attribute("html", "lang") == "tr"
        expect(page.locator("main")).to_contain_text("Hoş geldiniz!")
        assert _violations(page) == []
        resident.refresh_from_db()
        assert resident.user == User.objects.get(username="0612345678", language="tr")
    finally:
        context.close()


def test_on_a_phone_the_menu_is_one_button_over_groups_marks_the_page_and_a_save_shows_in_view(
    browser, live_server, cast: Cast
):
    context = browser.new_context(viewport=PHONE, bypass_csp=True, locale="nl-NL")
    page = context.new_page()
    try:
        _sign_in(page, live_server.url, cast.coordinator.username)  # the longest menu
        assert page.locator("main h1").bounding_box()["y"] < PHONE["height"] / 2  # the day starts in view
        expect(page.get_by_role("link", name="Afstandsregel van de dag")).not_to_be_visible()
        assert _violations(page) == []
        menu = _menu(page)
        expect(menu.get_by_text("Bewoners", exact=True).first).to_be_visible()  # a group's name
        expect(menu.get_by_role("link", name="Burenhulp")).to_be_visible()
        start = menu.locator('a[aria-current="page"]:visible')
        assert start.inner_text() == "Start"
        assert start.evaluate("(link) => getComputedStyle(link).fontWeight") == "700"
        assert _violations(page) == []  # opened too
        menu.get_by_role("link", name="Bewoners", exact=True).click()
        page.get_by_role("main").get_by_role("link", name=cast.resident_north.full_name).click()
        assert "Menu · Bewoners" in page.locator("nav summary").inner_text()  # where you are, closed
        page.get_by_role("link", name="Wijzigen", exact=True).click()
        page.get_by_role("button", name="Opslaan").click()
        confirmation = page.get_by_role("status").filter(has_text="De wijzigingen zijn opgeslagen.")
        # The page's script moves the focus once it runs, which on a busy machine is after the load event.
        page.wait_for_function("() => document.activeElement?.getAttribute('role') === 'status'", timeout=10_000)
        assert confirmation.evaluate("(box) => box === document.activeElement")
        box = confirmation.bounding_box()
        assert box["y"] >= 0
        assert box["y"] + box["height"] <= PHONE["height"]
        assert _violations(page) == []
    finally:
        context.close()
