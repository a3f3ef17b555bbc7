"""Issue 9's 'done means' in a real browser: a worker makes 60 cards for a balkonbingo, calls numbers on a
phone while a projector follows, hears them in Dutch, and checks a winning card."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.test_accessibility import DESKTOP, PHONE, _sign_in, _violations
from tests.conftest import Cast
from veerkracht.activities.models import Activity
from veerkracht.bingo.models import Game
from veerkracht.places.models import Place

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Records what the page asks the browser to say, instead of saying it.
SPEECH_STUB = """
window.spoken = [];
Object.defineProperty(window, "speechSynthesis", {
  value: { speak: (u) => window.spoken.push([u.text, u.lang]), cancel: () => {} },
});
window.SpeechSynthesisUtterance = function (text) { this.text = text; };
"""


@pytest.fixture
def balkonbingo(cast: Cast) -> Activity:
    courtyard = Place.objects.create(
        organisation=cast.organisation, neighbourhood=cast.north, name="Esdoornhof", kind="courtyard", indoor=False
    )
    starts = timezone.now() + timedelta(days=2)
    return Activity.objects.create(
        organisation=cast.organisation,
        title="Balkonbingo Esdoornhof",
        kind="balkonbingo",
        place=courtyard,
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        organiser=cast.professional,
    )


def test_a_worker_calls_numbers_on_a_phone_the_projector_follows_and_a_winner_is_checked(
    browser, live_server, cast: Cast, balkonbingo
):
    phone = browser.new_context(viewport=PHONE, bypass_csp=True, locale="nl-NL")
    projector = browser.new_context(viewport=DESKTOP, bypass_csp=True, locale="nl-NL")
    try:
        page = phone.new_page()
        page.add_init_script(SPEECH_STUB)
        _sign_in(page, live_server.url, cast.professional.username)
        page.goto(f"{live_server.url}/activiteiten/{balkonbingo.pk}/beheer/")
        page.click("text=Bingo: kaarten en omroepen")
        page.fill("#id_cards", "60")
        page.click("button >> text=Kaarten maken")
        page.wait_for_selector("text=Het spel is gemaakt met 60 kaarten.")
        game = Game.objects.get(activity=balkonbingo)
        assert game.cards.count() == 60

        page.check("#speak-numbers")
        for count in (1, 2, 3):
            page.click("button >> text=Trek het volgende getal")
            page.wait_for_selector(f"#caller-panel >> text={count} van 75 getrokken")
        drawn = list(game.draws.order_by("position").values_list("number", flat=True))
        assert len(drawn) == 3
        assert page.inner_text(".vk-bingo-number").replace("\xa0", " ") == f"{'BINGO'[(drawn[2] - 1) // 15]} {drawn[2]}"
        page.wait_for_function("window.spoken.length === 3")  # said once the new panel has settled
        spoken = page.evaluate("window.spoken")
        assert [text for text, _lang in spoken] == [f"{'BINGO'[(n - 1) // 15]} {n}" for n in drawn]
        assert {lang for _text, lang in spoken} == {"nl-NL"}

        screen = projector.new_page()
        _sign_in(screen, live_server.url, cast.coordinator.username)
        screen.goto(f"{live_server.url}/bingo/{game.pk}/")
        expect(screen.locator("#caller-panel >> text=3 van 75 getrokken")).to_be_visible()
        page.click("button >> text=Trek het volgende getal")
        screen.wait_for_selector("#caller-panel >> text=4 van 75 getrokken", timeout=10_000)  # it polls

        card = game.cards.get(index=0)
        page.click("text=Kaart controleren")
        page.fill("#id_card_code", card.code.lower())
        page.click("button >> text=Controleren")
        page.wait_for_selector(f"h2 >> text=Kaart {card.code}")
        assert _violations(page) == []
    finally:
        phone.close()
        projector.close()
