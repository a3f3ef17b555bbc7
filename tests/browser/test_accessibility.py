"""WCAG 2.1 AA on the main pages: axe-core in headless Chromium, on a phone-sized screen and a desktop."""

import re
from datetime import time, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import AXE
from tests.conftest import Cast
from tests.factories import PASSWORD
from veerkracht.activities.models import Activity, Registration
from veerkracht.bingo.models import Draw, Game
from veerkracht.bingo.services import game_create, winner_record
from veerkracht.core.models import OutboundMessage
from veerkracht.help.models import Match
from veerkracht.help.services import help_offer_save, help_request_create, match_run_start
from veerkracht.insights.models import Survey
from veerkracht.messaging.services import Draft, message_send
from veerkracht.messaging.unsubscribe import unsubscribe_token
from veerkracht.messaging.videocalls import video_call_plan
from veerkracht.onboarding.uploads import import_upload_check, import_upload_create, import_upload_start
from veerkracht.outreach.models import OutreachRound
from veerkracht.outreach.services import WalkerPlan, round_start
from veerkracht.people.models import Resident
from veerkracht.places.models import Place
from veerkracht.team.services import SignUp, volunteer_sign_up
from veerkracht.team.timesheets import Entry, time_entry_add

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# True when the NL Design System component CSS is loaded (a page without it is not what users see).
STYLED = """[...document.styleSheets].some((sheet) => {
  try { return [...sheet.cssRules].some((rule) => (rule.selectorText || "").includes(".utrecht-button")); }
  catch (error) { return false; }
})"""
PHONE = {"width": 375, "height": 740}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
def place(cast: Cast) -> Place:
    return place_create(cast)


def place_create(cast: Cast) -> Place:
    """A mapped meeting place with its neighbourhood outlined, for the public place pages."""
    ring = [[120_000, 480_000], [120_600, 480_000], [120_600, 480_600], [120_000, 480_600], [120_000, 480_000]]
    cast.north.boundary = {"type": "Polygon", "coordinates": [ring]}
    cast.north.save(update_fields=["boundary"])
    return Place.objects.create(
        organisation=cast.organisation,
        neighbourhood=cast.north,
        name="Buurthuis De Linde",
        kind="community_centre",
        street_address="Lindelaan 4",
        area_m2=120,
        normal_capacity=80,
        x=120_250,
        y=480_300,
        step_free=True,
        hearing_loop=True,
        transit_distance_m=150,
        opening_hours={"0": [["09:00", "17:00"]], "2": [["09:00", "12:00"], ["13:00", "17:00"]]},
    )


@pytest.fixture
def activity(cast: Cast, place: Place) -> Activity:
    return activity_create(cast, place)


def activity_create(cast: Cast, place: Place) -> Activity:
    """A coffee morning at the community centre with a registered resident, a public registrant and a waitlist."""
    starts = timezone.localtime().replace(hour=10, minute=0, second=0, microsecond=0) + timedelta(days=7)
    while str(starts.weekday()) not in place.opening_hours:
        starts += timedelta(days=1)
    planned = Activity.objects.create(
        organisation=cast.organisation,
        title="Koffieochtend",
        kind="coffee_morning",
        place=place,
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        organiser=cast.professional,
        max_participants=2,
    )
    planned.helpers.add(cast.volunteer)
    Registration.objects.create(activity=planned, resident=cast.resident_north, name="Fatma", status="confirmed")
    Registration.objects.create(activity=planned, name="Ans", phone="0611111111", status="confirmed")
    Registration.objects.create(activity=planned, name="Bep", phone="0622222222", status="waitlisted")
    return planned


@pytest.fixture
def help_case(cast: Cast) -> Match:
    return help_case_create(cast)


def help_case_create(cast: Cast) -> Match:
    """The north resident's request, matched by a run to the volunteer, and a check-in for the coordinator."""
    Resident.objects.filter(pk=cast.resident_north.pk).update(consent_help_exchange=True, phone="0612345678")
    help_request_create(
        by=cast.coordinator,
        resident_id=cast.resident_north.pk,
        kind="groceries",
        last_day=timezone.localdate() + timedelta(days=5),
        description="Boodschappen",
    )
    home = cast.resident_north.household
    assert home is not None
    help_offer_save(
        by=cast.volunteer,
        neighbourhood_id=cast.north.pk,
        kinds=["groceries"],
        radius_m=2000,
        max_open_tasks=2,
        postcode=home.postcode,
        house_number=home.house_number,
    )
    match_run_start(by=cast.coordinator)
    return Match.objects.get()


def survey_create(cast: Cast) -> Survey:
    return Survey.objects.create(organisation=cast.organisation, title="Buurtpeiling", since=timezone.localdate())


@pytest.fixture
def game(cast: Cast, place: Place) -> Game:
    return game_with_winner(cast, place)


def game_with_winner(cast: Cast, place: Place) -> Game:
    """A balkonbingo game in which the first card has a full top row and has been recorded as a winner."""
    starts = timezone.now() + timedelta(days=2)
    bingo = Activity.objects.create(
        organisation=cast.organisation,
        title="Balkonbingo",
        kind="balkonbingo",
        place=place,
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        organiser=cast.professional,
    )
    bingo.helpers.add(cast.volunteer)
    made = game_create(by=cast.professional, activity_id=bingo.pk, cards=4)
    card = made.cards.get(index=0)
    for position, number in enumerate(card.numbers[0], start=1):
        Draw.objects.create(game=made, position=position, number=number, drawn_by=cast.professional)
    winner_record(by=cast.professional, game_id=made.pk, code=card.code, prize="Taart")
    return made


@pytest.fixture
def outreach_round(cast: Cast) -> OutreachRound:
    return outreach_round_start(cast)


def outreach_round_start(cast: Cast) -> OutreachRound:
    """Today's round in the north, walked by the professional from the north resident's address."""
    home = cast.resident_north.household
    assert home is not None
    start = WalkerPlan(cast.professional.pk, time(9), time(11), postcode=home.postcode, house_number=home.house_number)
    return round_start(
        by=cast.coordinator,
        neighbourhood_id=cast.north.pk,
        on=timezone.localdate(),
        kinds=["porch_talk"],
        walkers=[start],
    )


def channels_create(cast: Cast) -> dict[str, int]:
    """A letter and a video call for the north resident, a volunteer's sign-up, a basisbaan day to approve."""
    Resident.objects.filter(pk=cast.resident_north.pk).update(consent_contact=True)
    north = (cast.resident_north.pk,)
    message = message_send(
        by=cast.professional, draft=Draft(text="Hallo {first_name}", resident_ids=north), base_url="/"
    )
    call = video_call_plan(
        by=cast.professional,
        resident_id=cast.resident_north.pk,
        scheduled_at=timezone.now() + timedelta(hours=1),
        base_url="/",
    )
    sign_up = SignUp(first_name="Ans", last_name="Bos", phone="0612345678", interests=["walk"], consent=True)
    application = volunteer_sign_up(organisation=cast.organisation, sign_up=sign_up)
    day = timezone.localdate() - timedelta(days=1)
    time_entry_add(by=cast.basisbaan, day=day, entry=Entry(kind="outreach", minutes=90, description="Portieken"))
    cast.team_north.members.add(cast.volunteer, cast.coordinator)
    return {
        **_uploads(cast),
        "message": message.pk,
        "call": call.pk,
        "application": application.pk,
        "team": cast.team_north.pk,
        "member": cast.professional.pk,
    }


def _uploads(cast: Cast) -> dict[str, int]:
    """A sample residents file checked (its addresses are not in this organisation: every row refused), one imported."""
    content = (Path(__file__).resolve().parents[2] / "docs" / "examples" / "bewoners.csv").read_bytes()
    made = []
    for _ in range(2):
        upload = import_upload_create(by=cast.coordinator, kind="residents", file_name="bewoners.csv", content=content)
        made.append(import_upload_check(by=cast.coordinator, upload_id=upload.pk, mapping=upload.mapping).pk)
    import_upload_start(by=cast.coordinator, upload_id=made[1])
    return {"upload": made[0], "imported": made[1]}


def _violations(page: Any) -> list[str]:
    if not page.evaluate("typeof axe === 'object'"):  # once per document
        page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        WCAG_AA,
    )
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} — "
        + "; ".join(node["target"][0] for node in violation["nodes"][:3])
        for violation in result["violations"]
    ]


def _assert_dutch_styled_and_accessible(page: Any) -> None:
    # After a click the next page may still be loading its stylesheets on a busy machine.
    page.wait_for_load_state("load")
    assert page.get_attribute("html", "lang") == "nl"
    assert page.evaluate(STYLED), "the NL Design System stylesheets did not load"
    assert _violations(page) == []
    # Usable on a phone: nothing wider than the screen.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


REAUTHENTICATE = "/account/bevestigen/"


def _reauthenticate_if_asked(page: Any, response: Any, path: str) -> Any:
    """A sensitive page asks for the password again first; give it, and check the page itself."""
    if REAUTHENTICATE not in page.url or path.startswith(REAUTHENTICATE):
        return response
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation() as navigation:
        page.click("main button[type=submit]")
    assert REAUTHENTICATE not in page.url, "the password was not accepted"
    return navigation.value


def _menu(page: Any) -> Any:
    """The main menu, opened first on a phone, where its groups sit behind the "Menu" button."""
    # Whether the button shows follows from the stylesheets: a page still loading them showed it on
    # a desktop, which then hid it before the click.
    page.wait_for_load_state("load")
    menu = page.get_by_role("navigation", name="Hoofdmenu")
    toggle = menu.locator("summary")
    if toggle.is_visible() and menu.locator("details[open]").count() == 0:
        toggle.click()
    return menu


def _sign_in(page: Any, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/inloggen/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit] >> text=Inloggen")
    page.wait_for_url(f"{base_url}/")


def _sign_in_by_post(context: Any, base_url: str, username: str) -> None:
    """The sign-in form's own request, sent without drawing the form and the start page.

    The browser's context keeps the session cookie, as after ``_sign_in``, which the journeys use (the
    form is checked as a page of its own); drawing both pages in the browser took a second per page.
    """
    form = context.request.get(f"{base_url}/inloggen/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text())
    assert token, "the sign-in form has no CSRF token"
    fields = {"csrfmiddlewaretoken": token[1], "username": username, "password": PASSWORD, "next": ""}
    answer = context.request.post(f"{base_url}/inloggen/", form=fields, max_redirects=0)
    assert (answer.status, answer.headers.get("location")) == (302, "/"), "the sign-in did not lead to the start page"


def test_a_failed_login_form_is_accessible_and_dutch(browser, live_server, cast: Cast):
    context = browser.new_context(bypass_csp=True, viewport=PHONE)
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/inloggen/")
        page.fill("#id_username", "coord")
        page.fill("#id_password", "niet-het-goede-wachtwoord")
        page.click("button[type=submit] >> text=Inloggen")
        expect(page.locator("[role=alert]")).to_contain_text("niet juist")
        assert _violations(page) == []
    finally:
        context.close()


@pytest.mark.urls("tests.browser.outage_urls")
@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_page_for_a_database_outage_is_accessible_and_dutch(browser, live_server, viewport):
    context = browser.new_context(bypass_csp=True, viewport=viewport, locale="nl-NL")
    page = context.new_page()
    try:
        response = page.goto(f"{live_server.url}/storing/")
        assert response.status == 503
        expect(page.locator("h1")).to_contain_text("even niet bereikbaar")
        _assert_dutch_styled_and_accessible(page)
    finally:
        context.close()


@pytest.mark.urls("tests.browser.outage_urls")
@pytest.mark.parametrize(
    ("path", "status", "heading"),
    [("/bestaat-niet/", 404, "Pagina niet gevonden"), ("/kapot/", 500, "Er ging iets mis")],
    ids=["404", "500"],
)
def test_the_error_pages_are_accessible_dutch_and_lead_back(browser, live_server, path, status, heading):
    context = browser.new_context(bypass_csp=True, viewport=PHONE, locale="en-GB")
    page = context.new_page()
    try:
        response = page.goto(live_server.url + path)
        assert response.status == status
        expect(page.locator("h1")).to_contain_text(heading)
        _assert_dutch_styled_and_accessible(page)
        page.get_by_role("link", name="Naar de startpagina").click()
        assert page.url.endswith("/welkom/")
    finally:
        context.close()


def test_a_volunteer_accepts_a_task_on_a_phone(browser, live_server, cast: Cast, help_case):
    context = browser.new_context(bypass_csp=True, viewport=PHONE, locale="nl-NL")
    page = context.new_page()
    try:
        _sign_in(page, live_server.url, cast.volunteer.username)
        tasks = page.get_by_role("region", name="Mijn taken")  # the start page gathers every task
        expect(tasks).to_contain_text("voorstel: wacht op uw antwoord")
        expect(tasks).not_to_contain_text("U hebt nu geen taken", use_inner_text=True)
        _assert_dutch_styled_and_accessible(page)
        tasks.get_by_role("link", name="Boodschappen").click()
        assert "0612345678" not in page.content()  # no phone number before accepting
        page.get_by_role("button", name="Aannemen").click()
        accepted = page.get_by_role("status").filter(has_text="Het adres en telefoonnummer staan hieronder.")
        expect(accepted).to_be_visible()
        expect(page.get_by_role("link", name="0612345678")).to_be_visible()  # as promised, below it
        assert _violations(page) == []
        page.get_by_role("button", name="Gedaan").click()
        expect(page.locator("main")).to_contain_text(re.compile("De taak is afgerond|Deze taak is afgerond"))
        assert "0612345678" not in page.content()
    finally:
        context.close()


def test_a_resident_finds_and_cancels_a_registration_asks_for_help_and_sees_their_data_on_a_phone(
    browser, live_server, cast: Cast, activity, help_case
):
    Resident.objects.filter(pk=cast.resident_north.pk).update(user=cast.resident)
    context = browser.new_context(bypass_csp=True, viewport=PHONE, locale="nl-NL")
    page = context.new_page()
    try:
        _sign_in(page, live_server.url, cast.resident.username)
        page.get_by_role("main").get_by_role("link", name="Mijn aanmeldingen").click()
        expect(page.locator("main")).to_contain_text("Koffieochtend")
        _assert_dutch_styled_and_accessible(page)
        page.get_by_role("main").get_by_role("link", name="Annuleren").click()
        _assert_dutch_styled_and_accessible(page)
        page.get_by_role("button", name="Ja, annuleer mijn aanmelding").click()
        expect(page.locator("main")).to_contain_text("U bent voor geen enkele activiteit aangemeld.")
        assert activity.registrations.get(name="Bep").status == "confirmed"  # the waitlist moved up

        _menu(page).get_by_role("link", name="Activiteiten").click()
        page.get_by_role("link", name="Koffieochtend").click()
        page.get_by_role("button", name=f"Aanmelden als {cast.resident_north.first_name}").click()
        assert activity.registrations.filter(resident=cast.resident_north).exclude(status="cancelled").exists()

        _menu(page).get_by_role("link", name="Hulp vragen").click()
        _assert_dutch_styled_and_accessible(page)
        _menu(page).get_by_role("link", name="Mijn hulpvragen").click()
        expect(page.locator("main")).to_contain_text("Boodschappen")
        _assert_dutch_styled_and_accessible(page)
        _menu(page).get_by_role("link", name="Mijn gegevens").click()
        expect(page.locator("main")).to_contain_text(cast.team_north.name)
        _assert_dutch_styled_and_accessible(page)
    finally:
        context.close()


def test_enrolling_a_second_factor_at_first_sign_in_is_accessible_on_a_phone(
    browser, live_server, cast: Cast, settings
):
    from tests.accounts.conftest import code_of
    from veerkracht.accounts.models import AuthenticatorApp

    settings.TWO_FACTOR_REQUIRED = True
    context = browser.new_context(bypass_csp=True, viewport=PHONE, locale="nl-NL")
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/inloggen/")
        page.fill("#id_username", cast.coordinator.username)
        page.fill("#id_password", PASSWORD)
        page.click("button[type=submit] >> text=Inloggen")
        page.wait_for_url(f"{live_server.url}/account/tweestapsverificatie/")
        expect(page.get_by_role("img", name="QR-code om te scannen met uw authenticator-app")).to_be_visible()
        assert _violations(page) == []
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
        page.fill("#id_code", code_of(AuthenticatorApp.objects.get(user=cast.coordinator)))
        page.click("button[type=submit] >> text=Bevestigen")
        page.wait_for_url(f"{live_server.url}/account/herstelcodes/")
        assert page.locator(".vk-codes li").count() == 10
        assert _violations(page) == []
    finally:
        context.close()


def test_the_coordinator_changes_an_activity_and_then_cancels_it(browser, live_server, cast: Cast, activity):
    context = browser.new_context(bypass_csp=True, viewport=DESKTOP, locale="nl-NL")
    page = context.new_page()
    try:
        _sign_in(page, live_server.url, cast.coordinator.username)
        _menu(page).get_by_role("link", name="Activiteiten").click()
        page.get_by_role("main").get_by_role("link", name="Koffieochtend").first.click()
        page.get_by_role("link", name="Wijzigen").click()
        _assert_dutch_styled_and_accessible(page)
        page.get_by_label("Titel", exact=True).fill("Koffieochtend met taart")
        page.get_by_role("button", name="Wijzigingen opslaan").click()
        expect(page.locator("h1")).to_contain_text("Koffieochtend met taart")
        page.get_by_role("link", name="Activiteit afzeggen").click()
        expect(page.locator("main")).to_contain_text("3 mensen zijn aangemeld")
        _assert_dutch_styled_and_accessible(page)
        page.get_by_role("button", name="Ja, zeg de activiteit af").click()
        expect(page.locator("main")).to_contain_text("is afgezegd")
        activity.refresh_from_db()
        assert activity.cancelled_at is not None
        assert OutboundMessage.objects.filter(to="0611111111", text__contains="gaat niet door").exists()
    finally:
        context.close()


def test_a_resident_stops_email_with_the_link_from_a_newsletter_on_a_phone(browser, live_server, cast: Cast):
    Resident.objects.filter(pk=cast.resident_north.pk).update(consent_email=True)
    context = browser.new_context(bypass_csp=True, viewport=PHONE, locale="nl-NL")
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/afmelden/e-mail/{unsubscribe_token(cast.resident_north.pk)}/")
        _assert_dutch_styled_and_accessible(page)
        page.get_by_role("button", name="Stop met e-mail").click()
        expect(page.locator("main")).to_contain_text("U krijgt geen e-mail meer van")
        _assert_dutch_styled_and_accessible(page)
        assert Resident.objects.get(pk=cast.resident_north.pk).consent_email is False
    finally:
        context.close()
