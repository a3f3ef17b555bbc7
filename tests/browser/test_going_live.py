"""Going live from an empty database, in a real browser (issue 22).

A platform administrator creates the organisation on the administration screen; its first
coordinator opens the one-time link, chooses a password and enrols the second factor, changes the
organisation's settings, uploads the sample CBS neighbourhood file, gives a new team its
neighbourhoods and invites a worker, who accepts, enrols the second factor and signs in. Every new
page on the way is checked with axe.
"""

import re
from pathlib import Path
from typing import Any

import pytest
from django.core import mail

from tests.accounts.conftest import code_of
from tests.browser.test_accessibility import DESKTOP, _violations
from veerkracht.accounts.models import AuthenticatorApp
from veerkracht.core.models import Neighbourhood, Organisation, Team, User

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "examples" / "buurten.geojson"
ADMIN_PASSWORD = "platform-beheer-wachtwoord-lang"
COORDINATOR_PASSWORD = "coordinator-wachtwoord-heel-lang"
WORKER_PASSWORD = "buurtwerker-wachtwoord-heel-lang"


def _accessible(page: Any) -> None:
    assert page.get_attribute("html", "lang") == "nl"
    assert _violations(page) == []


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
    _sign_in(page, base, email, password)
    page.wait_for_url(f"{base}/account/tweestapsverificatie/")
    page.fill("#id_code", code_of(AuthenticatorApp.objects.get(user__username=email)))
    page.click("button[type=submit] >> text=Bevestigen")
    page.wait_for_url(f"{base}/account/herstelcodes/")
    page.click("text=Ik heb ze bewaard, verder")
    page.wait_for_url(f"{base}/")
    return page


def _administrator_creates_the_organisation(browser: Any, base: str) -> str:
    User.objects.create_superuser(username="beheer@platform.example", password=ADMIN_PASSWORD)
    context = browser.new_context(bypass_csp=True, viewport=DESKTOP, locale="nl-NL")
    page = context.new_page()
    try:
        _sign_in(page, base, "beheer@platform.example", ADMIN_PASSWORD)
        page.wait_for_url(f"{base}/")
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
        assert "Stichting Welzijn Veerstad" in page.inner_text("table")
        return link
    finally:
        context.close()


def _coordinator_changes_the_settings(page: Any, base: str) -> None:
    page.goto(f"{base}/organisatie/instellingen/")
    _accessible(page)
    page.fill("#id_out_of_sight_days", "45")
    page.fill("#id_sms_sender", "Veerstad")
    page.fill("#id_privacy_officer_name", "Mr. A. Jansen")
    page.fill("#id_privacy_officer_email", "fg@veerstad.example")
    page.uncheck("label >> text=العربية")
    page.click("button >> text=Instellingen opslaan")
    assert page.is_visible("text=De instellingen zijn opgeslagen.")
    organisation = Organisation.objects.get(slug="welzijn-veerstad")
    assert (organisation.out_of_sight_days, organisation.sms_sender) == (45, "Veerstad")
    assert "ar" not in organisation.public_languages


def _coordinator_uploads_the_neighbourhoods(page: Any) -> None:
    page.set_input_files("#id_file", str(EXAMPLE))
    page.click("button >> text=Buurten uploaden")
    assert page.is_visible("text=Import van buurten.geojson")
    _accessible(page)
    assert Neighbourhood.objects.filter(organisation__slug="welzijn-veerstad", code__startswith="BU").exists()


def _coordinator_gives_a_team_its_neighbourhoods(page: Any, base: str) -> Team:
    page.goto(f"{base}/teams/")
    page.fill("#id_name", "Team Havenkwartier")
    page.click("button >> text=Team aanmaken")
    team = Team.objects.get(name="Team Havenkwartier")
    page.wait_for_url(f"{base}/teams/{team.pk}/")
    _accessible(page)
    first = Neighbourhood.objects.filter(organisation=team.organisation).order_by("name").first()
    assert first is not None
    page.check(f"label >> text={first.name}")
    page.click("button >> text=Buurten opslaan")
    assert page.is_visible("text=De buurten van het team zijn opgeslagen.")
    assert list(team.neighbourhoods.all()) == [first]
    return team


def _coordinator_invites_a_worker(page: Any, base: str, team: Team) -> str:
    page.goto(f"{base}/gebruikers/uitnodigen/")
    page.fill("#id_first_name", "Joris")
    page.fill("#id_last_name", "de Vries")
    page.fill("#id_email", "joris@veerstad.example")
    page.select_option("#id_role", "professional")
    page.select_option("#id_job_title", "buurtcoach")
    page.select_option("#id_team", str(team.pk))
    page.click("button >> text=Uitnodiging versturen")
    assert page.is_visible("text=Joris de Vries")
    match = re.search(r"(https?://\S+/uitnodiging/\S+/)", str(mail.outbox[-1].body))
    assert match
    return match.group(1)


def test_an_organisation_goes_live_from_an_empty_database(browser, live_server, settings):
    settings.TWO_FACTOR_REQUIRED = True
    assert not Organisation.objects.exists()
    base = live_server.url
    link = _administrator_creates_the_organisation(browser, base)
    coordinator = _accept_and_enrol(browser, base, link, "fatima@veerstad.example", COORDINATOR_PASSWORD)
    try:
        _coordinator_changes_the_settings(coordinator, base)
        _coordinator_uploads_the_neighbourhoods(coordinator)
        team = _coordinator_gives_a_team_its_neighbourhoods(coordinator, base)
        invitation = _coordinator_invites_a_worker(coordinator, base, team)
    finally:
        coordinator.context.close()
    worker = _accept_and_enrol(browser, base, invitation, "joris@veerstad.example", WORKER_PASSWORD)
    try:
        assert worker.is_visible("text=Team Havenkwartier")
        assert User.objects.get(username="joris@veerstad.example").teams.get() == team
    finally:
        worker.context.close()
