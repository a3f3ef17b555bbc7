"""Going live from an empty database, in a real browser (issue 22).

The "Done means" of issue 22, by clicking from the start page (only the first address is typed):
a platform administrator creates the organisation on the administration screen; its first
coordinator opens the one-time link, chooses a password and enrols the second factor, changes the
organisation's settings, uploads the sample CBS neighbourhood file, imports the sample address,
residents and volunteers files, gives a new team its neighbourhoods and invites a worker. The
worker accepts, enrols the second factor and signs in, finds an imported resident on the map in
the right neighbourhood at the address file's position, asks neighbour help for her and matches it
with an imported volunteer (the distance between their real addresses), and plans an outreach round
whose doors are the imported residents' real positions. Every page on the way is checked with axe.
"""

import csv
import math
import re
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from playwright.sync_api import expect

from tests.accounts.conftest import code_of
from tests.browser.test_accessibility import DESKTOP, _violations
from veerkracht.accounts.models import AuthenticatorApp
from veerkracht.core.models import Neighbourhood, Organisation, Team, User
from veerkracht.help.models import Match
from veerkracht.outreach.models import RoundStop, RoundWalker
from veerkracht.people.models import Resident

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"
ADMIN_PASSWORD = "platform-beheer-wachtwoord-lang"
COORDINATOR_PASSWORD = "coordinator-wachtwoord-heel-lang"
WORKER_PASSWORD = "buurtwerker-wachtwoord-heel-lang"
# The sample neighbourhood Havenkwartier is the square x 150000-151000, y 460000-461000 (RD New).
HAVENKWARTIER = ("BU99990101", 150_000.0, 460_000.0, 1000.0)


def _address_file() -> dict[tuple[str, str], tuple[float, float]]:
    """The sample address file's positions by (postcode, house number), read as the test's own truth."""
    with (EXAMPLES / "adressen.csv").open(encoding="utf-8") as file:
        rows = csv.DictReader(file, delimiter=";")
        return {(row["postcode"], row["huisnummer"]): (float(row["x"]), float(row["y"])) for row in rows}


def _accessible(page: Any) -> None:
    assert page.get_attribute("html", "lang") == "nl"
    assert _violations(page) == []


def _menu(page: Any, name: str) -> None:
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name=name, exact=True).click()


def _sign_in(page: Any, base: str, username: str, password: str) -> None:
    page.goto(f"{base}/inloggen/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit] >> text=Inloggen")


def _accept_and_enrol(browser: Any, base: str, link: str, email: str, password: str) -> Any:
    """Open the one-time link, choose a password, sign in and enrol the authenticator app."""
    context = browser.new_context(bypass_csp=True, viewport=DESKTOP, locale="nl-NL")
    page = context.new_page()
    page.goto(link)
    _accessible(page)
    if not page.input_value("#id_first_name"):  # the first coordinator's invitation has no name yet
        page.fill("#id_first_name", "Fatima")
        page.fill("#id_last_name", "El Amrani")
    page.fill("#id_password", password)
    page.fill("#id_password_again", password)
    page.click("button >> text=Mijn account aanmaken")
    page.wait_for_url(f"{base}/inloggen/")
    page.fill("#id_username", email)
    page.fill("#id_password", password)
    page.click("button[type=submit] >> text=Inloggen")
    page.wait_for_url(f"{base}/account/tweestapsverificatie/")
    _accessible(page)
    page.fill("#id_code", code_of(AuthenticatorApp.objects.get(user__username=email)))
    page.click("button[type=submit] >> text=Bevestigen")
    page.wait_for_url(f"{base}/account/herstelcodes/")
    _accessible(page)
    page.click("text=Ik heb ze bewaard, verder")
    page.wait_for_url(f"{base}/")
    _accessible(page)
    return page


def _administrator_creates_the_organisation(browser: Any, base: str) -> str:
    User.objects.create_superuser(username="beheer@platform.example", password=ADMIN_PASSWORD)
    context = browser.new_context(bypass_csp=True, viewport=DESKTOP, locale="nl-NL")
    page = context.new_page()
    try:
        _sign_in(page, base, "beheer@platform.example", ADMIN_PASSWORD)
        # A platform administrator must use a second factor too: the first sign-in enrols it.
        page.wait_for_url(f"{base}/account/tweestapsverificatie/")
        _accessible(page)
        page.fill("#id_code", code_of(AuthenticatorApp.objects.get(user__username="beheer@platform.example")))
        page.click("button[type=submit] >> text=Bevestigen")
        page.wait_for_url(f"{base}/account/herstelcodes/")
        page.click("text=Ik heb ze bewaard, verder")
        page.wait_for_url(f"{base}/")
        _accessible(page)
        page.click("text=Naar het platformbeheer")
        page.wait_for_url(f"{base}/beheer/organisaties/")
        _accessible(page)
        page.fill("#id_name", "Stichting Welzijn Veerstad")
        page.fill("#id_slug", "welzijn-veerstad")
        page.fill("#id_municipality_code", "GM9999")  # the sample file's municipality
        page.fill("#id_city", "Veerstad")
        page.fill("#id_coordinator_email", "fatima@veerstad.example")
        page.click("button >> text=Organisatie aanmaken")
        link = page.inner_text("[data-testid=one-time-link]").strip()
        _accessible(page)
        expect(page.locator("table")).to_contain_text("Stichting Welzijn Veerstad")
        return link
    finally:
        context.close()


def _coordinator_changes_the_settings(page: Any) -> None:
    _menu(page, "Instellingen")
    _accessible(page)
    page.fill("#id_out_of_sight_days", "45")
    page.fill("#id_sms_sender", "Veerstad")
    page.fill("#id_privacy_officer_name", "Mr. A. Jansen")
    page.fill("#id_privacy_officer_email", "fg@veerstad.example")
    page.uncheck("label >> text=العربية")
    page.click("button >> text=Instellingen opslaan")
    expect(page.locator("text=De instellingen zijn opgeslagen.")).to_be_visible()
    organisation = Organisation.objects.get(slug="welzijn-veerstad")
    assert (organisation.out_of_sight_days, organisation.sms_sender) == (45, "Veerstad")
    assert "ar" not in organisation.public_languages


def _coordinator_uploads_the_neighbourhoods(page: Any) -> None:
    page.set_input_files("#id_file", str(EXAMPLES / "buurten.geojson"))
    page.click("button >> text=Buurten uploaden")
    expect(page.locator("text=Import van buurten.geojson")).to_be_visible()
    _accessible(page)
    assert Neighbourhood.objects.filter(organisation__slug="welzijn-veerstad", code=HAVENKWARTIER[0]).exists()


def _coordinator_imports(page: Any, kind: str, file_name: str, rows: int) -> None:
    """Upload, keep the columns read from the headers, check every row, import and read the result."""
    _menu(page, "Importeren")
    _accessible(page)
    page.get_by_label(kind, exact=True).check()
    page.set_input_files("#id_file", str(EXAMPLES / file_name))
    page.get_by_role("button", name="Uploaden en kolommen kiezen").click()
    expect(page.locator("main")).to_contain_text(f"{rows} rijen onder de kopregel")
    _accessible(page)
    page.get_by_role("button", name="Elke rij controleren").click()
    main = page.inner_text("main")
    assert f"nieuw, wordt toegevoegd: {rows}" in main
    assert "geweigerde rijen: 0" in main
    _accessible(page)
    page.get_by_role("button", name="Nu importeren").click()
    main = page.inner_text("main")
    assert "Resultaat van de import" in main
    assert f"toegevoegd: {rows}" in main
    _accessible(page)


def _coordinator_gives_a_team_its_neighbourhoods(page: Any, base: str) -> Team:
    _menu(page, "Teams")
    page.fill("#id_name", "Team Havenkwartier")
    page.click("button >> text=Team aanmaken")
    team = Team.objects.get(name="Team Havenkwartier")
    page.wait_for_url(f"{base}/teams/{team.pk}/")
    _accessible(page)
    page.get_by_label("Zoek een buurt of wijk").fill("haven")  # the filter box over the wijken
    page.get_by_label("Havenkwartier").check()
    page.click("button >> text=Buurten opslaan")
    expect(page.locator("text=De buurten van het team zijn opgeslagen.")).to_be_visible()
    assert [n.code for n in team.neighbourhoods.all()] == [HAVENKWARTIER[0]]
    return team


def _coordinator_invites_a_worker(page: Any, team: Team) -> str:
    _menu(page, "Gebruikers")
    _accessible(page)
    page.get_by_role("link", name="Collega uitnodigen").click()
    _accessible(page)
    page.fill("#id_first_name", "Joris")
    page.fill("#id_last_name", "de Vries")
    page.fill("#id_email", "joris@veerstad.example")
    page.select_option("#id_role", "professional")
    page.select_option("#id_job_title", "buurtcoach")
    page.select_option("#id_team", str(team.pk))
    page.click("button >> text=Uitnodiging versturen")
    expect(page.get_by_role("status").filter(has_text="Joris de Vries heeft een uitnodiging")).to_be_visible()
    match = re.search(r"(https?://\S+/uitnodiging/\S+/)", str(mail.outbox[-1].body))
    assert match
    return match.group(1)


def _number(page: Any, selector: str, attribute: str) -> float:
    return float(page.get_attribute(selector, attribute))


def _worker_finds_the_resident_on_the_map(page: Any, addresses: dict[tuple[str, str], tuple[float, float]]) -> None:
    """Anna de Vries (B-1001, 3011 AB 1) is marked where the address file puts her, in Havenkwartier."""
    _menu(page, "Bewoners")
    _accessible(page)
    page.fill("input[name=q]", "Anna")
    page.get_by_role("button", name="Zoeken").click()
    page.get_by_role("link", name="Anna de Vries").click()
    _accessible(page)
    code, min_x, min_y, side = HAVENKWARTIER
    figure = page.locator("figure.vk-home-map")
    assert figure.get_attribute("data-neighbourhood") == code
    expect(figure).to_contain_text("Havenkwartier (BU99990101)")
    # Where the marker sits inside the drawn outline, as fractions of the square's sides.
    outline = figure.locator("path").get_attribute("d")
    corners = [tuple(map(float, pair.split())) for pair in re.findall(r"[\d.]+ [\d.]+", outline)]
    left, right = min(x for x, _ in corners), max(x for x, _ in corners)
    top, bottom = min(y for _, y in corners), max(y for _, y in corners)
    marker = figure.locator("circle")
    cx, cy = float(marker.get_attribute("cx")), float(marker.get_attribute("cy"))
    x, y = addresses[("3011 AB", "1")]
    assert (cx - left) / (right - left) == pytest.approx((x - min_x) / side, abs=0.002)
    assert (bottom - cy) / (bottom - top) == pytest.approx((y - min_y) / side, abs=0.002)


def _worker_asks_help_and_matches(page: Any, addresses: dict[tuple[str, str], tuple[float, float]]) -> None:
    """Record Anna's consent, ask groceries for her, match: Rob Hendriks (V-01, 3011 AB 2) is proposed."""
    page.get_by_role("link", name="Wijzigen", exact=True).click()
    _accessible(page)
    page.get_by_label("Burenhulp", exact=True).check()
    page.get_by_role("button", name="Opslaan", exact=True).click()
    page.get_by_role("link", name="Burenhulp vragen").click()
    _accessible(page)
    page.get_by_label("Boodschappen", exact=True).check()
    page.get_by_role("button", name="Hulpvraag opslaan").click()
    _accessible(page)
    _menu(page, "Burenhulp")
    _accessible(page)
    page.get_by_role("button", name="Nu koppelen").click()
    proposal = page.get_by_role("row", name=re.compile("Anna de Vries"))
    expect(proposal).to_contain_text("Rob Hendriks")
    _accessible(page)
    match = Match.objects.get(request__resident__extern_id="B-1001")
    expected = math.dist(addresses[("3011 AB", "1")], addresses[("3011 AB", "2")])
    assert match.offer.helper.last_name == "Hendriks"
    assert match.distance_m == pytest.approx(expected, abs=1)
    expect(proposal).to_contain_text(f"{round(expected)} m")


def _worker_plans_a_round(page: Any, base: str, addresses: dict[tuple[str, str], tuple[float, float]]) -> None:
    """A round in Havenkwartier from a volunteer's address (only in the address file): real doors."""
    _menu(page, "Portiekrondes")
    _accessible(page)
    page.get_by_role("link", name="Ronde plannen").click()
    _accessible(page)
    page.select_option("#id_neighbourhood", label="Havenkwartier")
    joris = page.locator("#id_walkers-0-worker option", has_text="Joris de Vries").get_attribute("value")
    page.select_option("#id_walkers-0-worker", joris)
    page.fill("#id_walkers-0-starts", "10:00")
    page.fill("#id_walkers-0-ends", "12:00")
    page.fill("#id_walkers-0-postcode", "3011 AB")
    page.fill("#id_walkers-0-house_number", "2")
    page.click("button[type=submit] >> text=Ronde plannen")
    page.wait_for_selector("text=Lijsten afdrukken (A4)")
    expect(page.locator(".vk-round-map__svg")).to_be_visible()
    _accessible(page)
    walker = RoundWalker.objects.get()
    assert (walker.x, walker.y) == addresses[("3011 AB", "2")]  # the start: only the address file knows it
    stops = list(RoundStop.objects.select_related("resident__household"))
    assert stops
    for stop in stops:
        household = stop.resident.household
        assert household is not None
        assert (stop.x, stop.y) == addresses[(household.postcode, str(household.house_number))]
        assert stop.resident.neighbourhood.code == HAVENKWARTIER[0]


def test_an_organisation_goes_live_from_an_empty_database(browser, live_server, settings):
    settings.TWO_FACTOR_REQUIRED = True
    assert not Organisation.objects.exists()
    base = live_server.url
    addresses = _address_file()
    link = _administrator_creates_the_organisation(browser, base)
    coordinator = _accept_and_enrol(browser, base, link, "fatima@veerstad.example", COORDINATOR_PASSWORD)
    try:
        _coordinator_changes_the_settings(coordinator)
        _coordinator_uploads_the_neighbourhoods(coordinator)
        _coordinator_imports(coordinator, "Adressenbestand (BAG)", "adressen.csv", len(addresses))
        _coordinator_imports(coordinator, "Bewoners", "bewoners.csv", 20)
        _coordinator_imports(coordinator, "Vrijwilligers", "vrijwilligers.csv", 4)
        team = _coordinator_gives_a_team_its_neighbourhoods(coordinator, base)
        invitation = _coordinator_invites_a_worker(coordinator, team)
    finally:
        coordinator.context.close()
    imported = Resident.objects.filter(extern_id__startswith="B-").select_related("household")
    assert all(resident.household and not resident.household.address_not_found for resident in imported)
    worker = _accept_and_enrol(browser, base, invitation, "joris@veerstad.example", WORKER_PASSWORD)
    try:
        expect(worker.locator("text=Team Havenkwartier")).to_be_visible()
        assert User.objects.get(username="joris@veerstad.example").teams.get() == team
        _worker_finds_the_resident_on_the_map(worker, addresses)
        _worker_asks_help_and_matches(worker, addresses)
        _worker_plans_a_round(worker, base, addresses)
    finally:
        worker.context.close()
