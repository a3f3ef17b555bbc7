"""The strict Content-Security-Policy in a real browser: no page breaks it, and htmx still works under it."""

from typing import Any

import pytest

from tests.browser.test_accessibility import PHONE, _sign_in, game, place  # noqa: F401 - fixtures
from tests.conftest import Cast
from veerkracht.contacts.models import Contact

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _refusals(page: Any) -> list[str]:
    """Collect what the browser refused under the policy (it reports each refusal on the console)."""
    refused: list[str] = []
    page.on(
        "console", lambda message: refused.append(message.text) if "Content Security Policy" in message.text else None
    )
    return refused


def test_htmx_logs_a_contact_with_the_policy_enforced(browser, live_server, cast: Cast):
    context = browser.new_context(viewport=PHONE)  # the policy is enforced: no bypass
    page = context.new_page()
    refused = _refusals(page)
    try:
        _sign_in(page, live_server.url, cast.professional.username)
        page.goto(f"{live_server.url}/bewoners/{cast.resident_north.pk}/")
        page.click("label >> text=Telefoon")
        page.click("label >> text=15 min")
        page.click("button >> text=Contact opslaan")
        page.wait_for_selector("#contact-panel >> text=Het contactmoment is opgeslagen.")
        assert Contact.objects.get().channel == "phone"
        assert page.evaluate("document.querySelectorAll('style').length") == 0
        assert refused == []
    finally:
        context.close()


@pytest.mark.parametrize(
    ("role", "path"),
    [
        (None, "/plekken/{place}/"),
        (None, "/api/v1/docs"),
        ("professional", "/bingo/{game}/"),
        ("coordinator", "/"),
        ("coordinator", "/audit/"),
    ],
)
def test_pages_break_no_rule_of_the_policy(browser, live_server, cast: Cast, place, game, role, path):  # noqa: F811
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    refused = _refusals(page)
    try:
        if role:
            _sign_in(page, live_server.url, getattr(cast, role).username)
        response = page.goto(live_server.url + path.format(place=place.pk, game=game.pk))
        assert response.status == 200
        page.wait_for_load_state("networkidle")
        assert refused == []
    finally:
        context.close()
