"""A coordinator gives a team its neighbourhoods out of a city's 520, on a phone: per wijk, with the filter box.

The filter narrows the list as one types and says how many match; a whole wijk is ticked at once;
the choice is saved; the page passes axe with the list folded, filtered and saved. Without
JavaScript the same checkboxes are in the page (tests/onboarding/test_team_neighbourhoods_of_a_city.py).
"""

import pytest
from playwright.sync_api import expect

from tests.browser.test_accessibility import PHONE, _assert_dutch_styled_and_accessible, _menu, _sign_in
from tests.conftest import Cast
from tests.onboarding.test_team_neighbourhoods_of_a_city import PER_DISTRICT, city  # noqa: F401 - a fixture
from veerkracht.core.models import Neighbourhood

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_coordinator_finds_and_ticks_neighbourhoods_of_a_city(browser, live_server, cast: Cast, city):  # noqa: F811
    context = browser.new_context(bypass_csp=True, viewport=PHONE, locale="nl-NL")
    page = context.new_page()
    try:
        _sign_in(page, live_server.url, cast.coordinator.username)
        _menu(page).get_by_role("link", name="Teams").click()
        page.get_by_role("link", name=cast.team_south.name).click()
        _assert_dutch_styled_and_accessible(page)
        boxes = page.locator("input[name=neighbourhoods]")
        assert boxes.count() > 500
        own_wijk = Neighbourhood.objects.filter(district_id=cast.south.district_id).count()
        assert page.locator("input[name=neighbourhoods]:visible").count() == own_wijk  # only its wijk is open

        page.get_by_label("Zoek een buurt of wijk").fill("buurt 03-05")
        status = page.locator("#coverage-filter-count")
        status.filter(has_text="1 buurten gevonden.").wait_for()
        assert page.locator("input[name=neighbourhoods]:visible").count() == 1
        page.get_by_label("Buurt 03-05").check()
        _assert_dutch_styled_and_accessible(page)

        page.get_by_label("Zoek een buurt of wijk").fill("WK034407")  # a wijk by its CBS code
        page.locator("details[data-coverage-district][open]").filter(has_text="Wijk 07").wait_for()
        assert page.locator("input[name=neighbourhoods]:visible").count() == PER_DISTRICT
        page.get_by_label("Alle buurten van Wijk 07").check()
        assert page.locator("details[open] input[name=neighbourhoods]:checked").count() == PER_DISTRICT

        page.get_by_label("Zoek een buurt of wijk").fill("geen buurt heet zo")
        status.filter(has_text="Geen buurt gevonden.").wait_for()
        page.get_by_label("Zoek een buurt of wijk").press("Enter")  # does not submit a half-made choice
        expect(page.get_by_label("Zoek een buurt of wijk")).to_be_visible()
        page.get_by_label("Zoek een buurt of wijk").fill("")

        page.get_by_role("button", name="Buurten opslaan").click()
        expect(page.get_by_text("De buurten van het team zijn opgeslagen.")).to_be_visible()
        codes = set(cast.team_south.neighbourhoods.values_list("code", flat=True))
        assert codes == {cast.south.code, "BU03440305"} | {f"BU034407{n:02d}" for n in range(PER_DISTRICT)}
        expect(page.get_by_text(f"{PER_DISTRICT} van {PER_DISTRICT} gekozen")).to_be_visible()
        _assert_dutch_styled_and_accessible(page)
    finally:
        context.close()
