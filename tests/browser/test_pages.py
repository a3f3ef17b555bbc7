"""WCAG 2.1 AA on every page of the shell, for every role that reaches it: axe-core in headless
Chromium, on a phone-sized screen and a desktop (the checks themselves: test_accessibility.py).

The pages only show what is there, so the rows they show are made once for this module, with its
own live server, instead of once per page and emptied again after each (on PostgreSQL that was
half of each page's seconds: 83 tables truncated and the content types made again). Each page is
still opened in a browser context of its own, after a sign-in of its own; the rows are removed
when the module's last page is done, as a transactional test removes them.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.test.utils import modify_settings
from pytest_django.live_server_helper import LiveServer

from tests.browser.test_accessibility import (
    DESKTOP,
    PHONE,
    _assert_dutch_styled_and_accessible,
    _reauthenticate_if_asked,
    _sign_in_by_post,
    activity_create,
    channels_create,
    game_with_winner,
    help_case_create,
    outreach_round_start,
    place_create,
    survey_create,
)
from tests.clock import moment_of_run
from tests.conftest import Cast, cast_create
from veerkracht.core import tenancy
from veerkracht.core.dbroles import ALL
from veerkracht.messaging.unsubscribe import unsubscribe_token
from veerkracht.outreach.models import RoundStop

# The marker has pytest-django make the test database and run these pages with the other browser
# tests, after the tests in a transaction; the rows are this module's (``shown``), so the marker's
# per-test handling is replaced below (``_django_db_marker``, ``_every_organisation``).
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# (who signs in, which page) — every page of the shell that a role can reach.
PAGES = [
    (None, "/welkom/"),  # the public start page
    (None, "/inloggen/"),
    (None, "/wachtwoord-vergeten/"),
    (None, "/wachtwoord-vergeten/verstuurd/"),
    (None, "/wachtwoord-herstellen/MQ/abc-123/"),  # a link that no longer works
    ("coordinator", "/"),
    ("coordinator", "/teams/"),
    ("coordinator", "/audit/"),
    ("coordinator", "/gebruikers/uitnodigen/"),
    ("coordinator", "/gebruikers/{member}/wijzigen/"),
    ("coordinator", "/beheer/import/"),
    ("coordinator", "/beheer/import/{upload}/kolommen/"),
    ("coordinator", "/beheer/import/{upload}/"),  # the check: every refused row
    ("coordinator", "/beheer/import/{imported}/"),  # the result
    ("coordinator", "/organisatie/instellingen/"),
    ("professional", "/"),
    ("basisbaan", "/"),
    ("volunteer", "/"),
    ("resident", "/"),
    ("resident", "/mijn-aanmeldingen/"),
    ("resident", "/mijn-hulpvragen/"),
    ("privacy_officer", "/"),
    ("privacy_officer", "/audit/?action=login"),
    ("privacy_officer", "/audit/?resident={resident}"),
    ("privacy_officer", "/bewoners/inzageverzoeken/?q=Yilmaz"),
    ("privacy_officer", "/bewoners/{resident}/inzage/"),
    ("funder", "/"),
    ("professional", "/bewoners/"),
    ("professional", "/bewoners/?q=Fatma"),
    ("professional", "/bewoners/nieuw/"),
    ("professional", "/bewoners/{resident}/"),
    ("professional", "/bewoners/{resident}/tijdlijn/"),
    ("professional", "/bewoners/{resident}/wijzigen/"),
    ("professional", "/bewoners/{resident}/zorgsignaal/"),
    ("professional", "/werklijsten/zorgsignalen/"),
    ("professional", "/werklijsten/uit-beeld/"),
    ("professional", "/werklijsten/opvolgen/"),
    ("professional", "/bewoners/adres-niet-gevonden/"),
    ("coordinator", "/bewoners/{resident}/inzage/"),
    ("coordinator", "/bewoners/{resident}/wissen/"),
    (None, "/plekken/"),
    (None, "/plekken/{place}/"),
    (None, "/activiteiten/"),
    (None, "/activiteiten/{activity}/"),
    (None, "/aanmelding/{token}/"),
    ("professional", "/activiteiten/beheer/"),
    ("professional", "/activiteiten/nieuw/"),
    ("professional", "/activiteiten/{activity}/beheer/"),
    ("volunteer", "/activiteiten/{activity}/beheer/"),
    ("coordinator", "/activiteiten/{activity}/wijzigen/"),
    ("coordinator", "/activiteiten/{activity}/afzeggen/"),
    ("coordinator", "/organisatie/afstandsregel/"),
    ("coordinator", "/burenhulp/"),
    ("professional", "/burenhulp/hulpvragen/nieuw/?resident={resident}"),
    ("professional", "/burenhulp/hulpvragen/{help_request}/"),
    ("volunteer", "/mijn-hulp/"),
    ("volunteer", "/mijn-hulp/aanbod/"),
    ("volunteer", "/mijn-hulp/{match}/"),
    ("coordinator", "/inzicht/"),
    ("funder", "/inzicht/"),
    ("professional", "/inzicht/puls/"),
    ("coordinator", "/inzicht/peilingen/"),
    (None, "/peiling/{survey}/"),
    ("professional", "/activiteiten/{bingo}/bingo/"),
    ("professional", "/bingo/{game}/"),
    ("volunteer", "/bingo/{game}/"),
    ("professional", "/bingo/{game}/controleren/?card_code={card}"),
    ("professional", "/bingo/{game}/controleren/?card_code=A1B2"),
    ("coordinator", "/rondes/"),
    ("volunteer", "/rondes/"),
    ("coordinator", "/rondes/nieuw/"),
    ("coordinator", "/rondes/kandidaten/"),
    ("coordinator", "/rondes/prioriteiten/"),
    ("coordinator", "/rondes/{round}/"),
    ("coordinator", "/rondes/{round}/afdrukken/"),
    ("professional", "/rondes/{round}/mijn-lijst/"),
    ("professional", "/rondes/{round}/deuren/{stop}/"),
    ("volunteer", "/account/"),
    ("coordinator", "/account/bevestigen/?next=/account/"),
    (None, "/vrijwilliger-worden/{org}/"),
    (None, "/wachtwoord-kiezen/MQ/abc-123/"),
    ("coordinator", "/vrijwilligers/"),
    ("coordinator", "/vrijwilligers/{application}/"),
    ("coordinator", "/teams/{team}/"),
    ("coordinator", "/teams/{team}/leden/{member}/blokkeren/"),  # after the password again
    ("coordinator", "/gebruikers/"),
    ("coordinator", "/gebruikers/{member}/blokkeren/"),  # after the password again
    ("coordinator", "/uren/"),
    ("coordinator", "/uren/maand/"),
    ("basisbaan", "/mijn-werk/"),
    ("professional", "/berichten/"),
    ("professional", "/berichten/nieuw/"),
    ("professional", "/berichten/nieuw/?resident={resident}"),
    ("professional", "/berichten/{message}/"),
    ("professional", "/berichten/{message}/brieven/"),
    ("professional", "/bewoners/{resident}/beeldbellen/"),
    ("professional", "/beeldbellen/{call}/"),
    (None, "/afmelden/e-mail/{unsubscribe}/"),  # the link in a bulk e-mail
]


@dataclass
class Shown:
    """The module's live server, its cast and the values for the pages' placeholders."""

    url: str
    cast: Cast
    values: dict[str, Any]


def _shown_rows() -> tuple[Cast, dict[str, Any]]:
    cast = cast_create()
    place = place_create(cast)
    activity = activity_create(cast, place)
    help_case = help_case_create(cast)
    game = game_with_winner(cast, place)
    outreach_round = outreach_round_start(cast)
    values = {
        "resident": cast.resident_north.pk,
        "place": activity.place_id,
        "activity": activity.pk,
        "token": activity.registrations.get(name="Ans").cancel_token,
        "help_request": help_case.request_id,
        "match": help_case.pk,
        "survey": survey_create(cast).token,
        "bingo": game.activity_id,
        "game": game.pk,
        "card": game.cards.get(index=0).code,
        "round": outreach_round.pk,
        "stop": RoundStop.objects.get(round=outreach_round).pk,
        "org": cast.organisation.slug,
        "unsubscribe": unsubscribe_token(cast.resident_north.pk),
        **channels_create(cast),
    }
    return cast, values


@pytest.fixture(scope="module")
def shown(browser: Any, django_db_setup: None, django_db_blocker: Any) -> Iterator[Shown]:
    """The rows every page shows, committed once, at the suite's moment (tests/clock.py), as the
    ``cast`` of a transactional test would be; then a flush, as after a transactional test."""
    with django_db_blocker.unblock():
        with time_machine.travel(moment_of_run(), tick=True):
            if connection.vendor == "postgresql":  # as tests/conftest.py's _every_organisation
                tenancy.every_organisation_process()
                with tenancy.organisation_context(ALL):
                    cast, values = _shown_rows()
            else:
                cast, values = _shown_rows()
        server = LiveServer("localhost")
        try:
            with modify_settings(ALLOWED_HOSTS={"append": "localhost"}):  # as pytest-django's live_server
                yield Shown(url=server.url, cast=cast, values=values)
        finally:
            server.stop()
            call_command("flush", verbosity=0, interactive=False, reset_sequences=False, inhibit_post_migrate=False)


@pytest.fixture(autouse=True)
def _django_db_marker(django_db_blocker: Any) -> Iterator[None]:
    """Instead of pytest-django's own (same name), which would empty every table after each page
    (``transaction=True``): the rows are ``shown``'s, emptied once after the module. Database access
    for the live server's thread while a page is checked."""
    with django_db_blocker.unblock():
        yield


@pytest.fixture(autouse=True)
def _every_organisation() -> None:
    """Instead of tests/conftest.py's (same name), which would empty the database after each page:
    the test's own code reads nothing, and ``shown`` made the rows for every organisation."""


@pytest.mark.parametrize(("role", "path"), PAGES)
def test_page_has_no_accessibility_violations(browser, shown: Shown, role, path):
    """On a phone, then on a desktop: the same page, drawn again at the wider screen (the server's
    answer does not depend on the screen; the layout and what axe checks of it do)."""
    context = browser.new_context(bypass_csp=True, viewport=PHONE, locale="nl-NL")
    page = context.new_page()
    try:
        if role:
            _sign_in_by_post(context, shown.url, getattr(shown.cast, role).username)
        url = path.format(**shown.values)
        response = _reauthenticate_if_asked(page, page.goto(shown.url + url), path)
        assert response.status == 200
        _assert_dutch_styled_and_accessible(page)
        page.set_viewport_size(DESKTOP)
        _assert_dutch_styled_and_accessible(page)
    finally:
        context.close()
