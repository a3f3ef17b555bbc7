"""Issue 8's 'done means': a round on the demo city planned, printed and worked through on a phone."""

import pytest
from playwright.sync_api import expect

from tests.browser.test_accessibility import PHONE, _menu, _violations
from veerkracht.contacts.models import Concern, Contact
from veerkracht.core.access import neighbourhoods_covered_by
from veerkracht.core.models import User
from veerkracht.demo.logins import DEMO_PASSWORD
from veerkracht.demo.services import demo_city_build
from veerkracht.outreach.models import OutreachRound, RoundStop, Visit
from veerkracht.places.models import Place

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _tick(page, outcome: str, channel: str | None = None) -> None:
    page.get_by_role("link", name="Deze deur afvinken").click()
    page.get_by_label(outcome, exact=True).check()
    if channel:
        page.get_by_label(channel, exact=True).check()
    if outcome.startswith("Gesproken, zorgsignaal"):
        page.click("summary >> text=Zorgsignaal: waarover, hoe ernstig")
        page.select_option("#id_category", "loneliness")
        page.get_by_label("2 · middel").check()
        page.fill("#id_note", "Voelt zich alleen sinds de verhuizing van de buren")
    page.get_by_role("button", name="Opslaan").click()
    page.wait_for_selector("text=Opgeslagen:")


def test_the_demo_worker_plans_prints_and_walks_a_round_on_a_phone(browser, live_server):
    demo_city_build(residents=700, seed=9)
    worker = User.objects.get(username="worker")
    neighbourhood = neighbourhoods_covered_by(worker).order_by("name").first()
    start = Place.objects.filter(neighbourhood=neighbourhood, x__isnull=False).order_by("name").first()
    assert neighbourhood is not None
    assert start is not None
    context = browser.new_context(viewport=PHONE, bypass_csp=True, locale="nl-NL")
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/inloggen/")
        page.fill("#id_username", "worker")
        page.fill("#id_password", DEMO_PASSWORD)
        page.click("button[type=submit] >> text=Inloggen")
        _menu(page).get_by_role("link", name="Portiekrondes").click()
        page.get_by_role("link", name="Ronde plannen").click()
        page.select_option("#id_neighbourhood", str(neighbourhood.pk))
        walkers = page.locator("#id_walkers-0-worker option")
        everyone = walkers.count()
        page.get_by_label("Typ om de lijst te verkorten (Loper)").first.fill(worker.last_name)  # a long list
        assert 1 <= page.locator("#id_walkers-0-worker option:not([hidden]):not([value=''])").count() < everyone
        page.select_option("#id_walkers-0-worker", str(worker.pk))
        page.fill("#id_walkers-0-starts", "10:00")
        page.fill("#id_walkers-0-ends", "12:00")
        page.select_option("#id_walkers-0-place", str(start.pk))
        page.click("button[type=submit] >> text=Ronde plannen")
        page.wait_for_selector("text=Lijsten afdrukken (A4)")
        round_ = OutreachRound.objects.get()
        stops = RoundStop.objects.filter(round=round_).count()
        assert stops >= 3
        expect(page.locator(".vk-round-map__svg")).to_be_visible()
        # The neighbourhood is light with the routes on it, not a black square (issue 23).
        area_fill = page.locator(".vk-round-map__area").evaluate("(area) => getComputedStyle(area).fill")
        assert area_fill not in ("rgb(0, 0, 0)", "black")
        expect(page.get_by_text("Waarom deze deur").first).to_be_visible()
        assert _violations(page) == []

        page.get_by_role("link", name="Lijsten afdrukken (A4)").click()
        page.emulate_media(media="print")
        assert page.locator(".vk-header").is_hidden()
        pdf = page.pdf(format="A4")
        assert pdf.startswith(b"%PDF")
        page.emulate_media(media="screen")

        page.goto(f"{live_server.url}/rondes/{round_.pk}/mijn-lijst/")
        expect(page.get_by_text(f"0 van {stops} deuren gedaan.")).to_be_visible()
        _tick(page, "Niet thuis")
        _tick(page, "Gesproken", "Portiekgesprek")
        _tick(page, "Gesproken, zorgsignaal gemeld", "Intercomgesprek")
        expect(page.get_by_text(f"3 van {stops} deuren gedaan.")).to_be_visible()
        assert _violations(page) == []
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    finally:
        context.close()
    ticked = Contact.objects.filter(
        worker=worker, channel__in=["porch_talk", "intercom"], created_at__gte=round_.created_at
    )
    assert sorted(ticked.values_list("reached", flat=True)) == [False, True, True]
    assert Visit.objects.count() == 3
    concern = Concern.objects.get(raised_by=worker, created_at__gte=round_.created_at)
    assert (concern.category, concern.severity, concern.follow_up_by) == ("loneliness", 2, worker)
