"""Issue 10's 'done means', in a real browser on a phone-sized screen.

A volunteer signs up and the coordinator activates them, approves a basisbaan day, sends an SMS
invitation for a webinar to the consenting 75+ residents of one block of flats (captured by the
test gateway), and a professional holds a video call that lands in the contact log as video_call.
"""

import re
from collections.abc import Iterator
from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.test_accessibility import PHONE, _menu, _sign_in, _violations
from tests.conftest import Cast
from tests.messaging.conftest import live_in
from tests.messaging.gateway import KEY, Gateway, GatewayServer
from veerkracht.activities.models import Activity
from veerkracht.contacts.models import Contact
from veerkracht.people.models import Building, Entrance
from veerkracht.team.models import TimeSheet, VolunteerApplication
from veerkracht.team.timesheets import Entry, time_entry_add

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def gateway() -> Iterator[Gateway]:
    made = Gateway()
    with (
        GatewayServer(made),
        override_settings(
            SMS_BACKEND="gateway", SMS_GATEWAY_URL=made.url, SMS_GATEWAY_KEY=KEY, SMS_GATEWAY_TIMEOUT_S=2
        ),
    ):
        yield made


@pytest.fixture
def flats(cast: Cast) -> Building:
    from tests.factories import BuildingFactory

    building = BuildingFactory.create(
        neighbourhood=cast.north, kind="flat", street="Esdoornlaan", house_number=12, postcode="1234 AB"
    )
    Entrance.objects.create(building=building, label="A", x=0, y=0)
    live_in(building, first_name="Annie", birth_year=1940, phone="0612345678", consent_sms=True)
    live_in(building, first_name="Wim", birth_year=1946, phone="0687654321", consent_sms=True)
    live_in(building, first_name="Kees", birth_year=1944, phone="0611111111")  # no consent
    live_in(building, first_name="Sanne", birth_year=1996, phone="0622222222", consent_sms=True)  # not 75+
    return building


@pytest.fixture
def webinar(cast: Cast) -> Activity:
    starts = timezone.now() + timedelta(days=6)
    return Activity.objects.create(
        organisation=cast.organisation,
        title="Webinar veilig beeldbellen",
        kind="webinar",
        online_link="https://meet.example.org/webinar",
        starts_at=starts,
        ends_at=starts + timedelta(hours=1),
        organiser=cast.coordinator,
        max_online=100,
    )


def _volunteer_signs_up(page, base: str, cast: Cast) -> None:
    page.goto(f"{base}/vrijwilliger-worden/{cast.organisation.slug}/")
    page.fill("#id_first_name", "Joke")
    page.fill("#id_last_name", "de Vries")
    page.fill("#id_phone", "0612121212")
    page.click("label >> text=Boodschappen")
    page.click("label >> text=Ik geef toestemming")
    page.click("button >> text=Aanmelden")
    expect(page.locator("text=Bedankt, Joke")).to_be_visible()


def _coordinator_activates(page, base: str) -> None:
    _menu(page).get_by_role("link", name="Vrijwilligers").click()
    page.click("text=Joke de Vries")
    today = timezone.localdate().isoformat()
    for field in ("conversation_on", "reference_checked_on", "vog_requested_on", "vog_received_on"):
        page.fill(f"#id_{field}", today)
    page.fill("#id_reference_name", "Buurvrouw Bakker")
    page.click("button >> text=Intake opslaan")
    page.click("button >> text=Vrijwilliger activeren")
    expect(page.locator("text=De vrijwilliger is actief")).to_be_visible()
    assert _violations(page) == []


def _coordinator_approves(page, base: str, cast: Cast) -> None:
    _menu(page).get_by_role("link", name="Uren", exact=True).click()
    page.get_by_role("button", name=re.compile(f"^Goedkeuren.*{cast.basisbaan.last_name}")).click()
    expect(page.locator("text=Goedgekeurd.")).to_be_visible()


def _coordinator_invites(page, base: str, webinar: Activity) -> None:
    page.goto(f"{base}/berichten/nieuw/")
    page.fill("#id_building", "1234 AB 12")
    page.select_option("#id_marker", "aged_75_plus")
    page.select_option("#id_activity", str(webinar.pk))
    page.select_option("#id_template", "activity_invitation")
    page.uncheck("#id_channels_1")
    page.uncheck("#id_channels_2")
    page.click("button >> text=Voorbeeld")
    expect(page.locator("#preview-heading")).to_be_visible()
    expect(page.locator("li >> text=Sms: 2")).to_be_visible()
    expect(page.locator("text=Geen toestemming voor een van de gekozen kanalen")).to_be_visible()
    assert _violations(page) == []
    page.click("button >> text=Versturen naar 2 bewoners")
    page.wait_for_selector("h2 >> text=Aflevering per ontvanger")


def test_the_coordinator_and_a_professional_do_issue_10_on_a_phone(
    browser, live_server, cast: Cast, flats, webinar, gateway: Gateway
):
    time_entry_add(
        by=cast.basisbaan,
        day=timezone.localdate() - timedelta(days=1),
        entry=Entry(kind="outreach", minutes=180, description="Portiekgesprekken Esdoornlaan"),
    )
    context = browser.new_context(viewport=PHONE, bypass_csp=True, locale="nl-NL")
    page = context.new_page()
    base = live_server.url
    try:
        _volunteer_signs_up(page, base, cast)
        _sign_in(page, base, cast.coordinator.username)
        _coordinator_activates(page, base)
        assert VolunteerApplication.objects.get().status == "active"
        _coordinator_approves(page, base, cast)
        assert TimeSheet.objects.get(worker=cast.basisbaan).status == "approved"
        _coordinator_invites(page, base, webinar)
        assert sorted(gateway.phones()) == ["+31612345678", "+31687654321"]
        assert all(f"/activiteiten/{webinar.pk}/" in sent["text"] for sent in gateway.sent.values())

        context.clear_cookies()
        _sign_in(page, base, cast.professional.username)
        page.goto(f"{base}/bewoners/{cast.resident_north.pk}/")
        page.click("text=Beeldbellen >> nth=0")
        when = (timezone.localtime() + timedelta(minutes=10)).strftime("%Y-%m-%dT%H:%M")
        page.fill("#id_scheduled_at", when)
        page.click("button >> text=Plannen en link versturen")
        expect(page.locator("text=https://meet.jit.si/veerkracht-")).to_be_visible()
        page.fill("#id_duration_minutes", "20")
        page.click("button >> text=Gesprek beëindigen en vastleggen")
        page.wait_for_selector("text=Het beeldgesprek staat in het contactlogboek.")
        page.wait_for_selector(".vk-timeline >> text=Beeldbellen")  # the logbook as drawn, on a busy machine too
        contact = Contact.objects.get(channel="video_call")
        assert (contact.duration_minutes, contact.worker) == (20, cast.professional)
    finally:
        context.close()
