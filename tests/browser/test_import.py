"""Issue 22: a coordinator imports the sample residents file in the browser, on a phone-sized screen.

Upload docs/examples/bewoners.csv, keep the columns chosen from its headers, check every row, import,
and read the result; every page on the way passes the accessibility check.
"""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.test_accessibility import PHONE, _assert_dutch_styled_and_accessible, _menu, _sign_in
from tests.conftest import Cast
from veerkracht.core.models import Organisation
from veerkracht.onboarding.address_file import addresses_load
from veerkracht.onboarding.geography import geography_import, read_geojson
from veerkracht.onboarding.models import ImportUpload
from veerkracht.onboarding.tabular import read_path
from veerkracht.people.models import Resident

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"


@pytest.fixture
def veerstad(cast: Cast) -> Cast:
    """The cast's organisation in the sample municipality, with its neighbourhoods and address file."""
    Organisation.objects.filter(pk=cast.organisation.pk).update(municipality_code="GM9999")
    cast.organisation.refresh_from_db()
    geojson = read_geojson((EXAMPLES / "buurten.geojson").read_bytes())
    geography_import(by=None, organisation=cast.organisation, collections=[geojson], file_name="buurten.geojson")
    table = read_path(EXAMPLES / "adressen.csv")
    addresses_load(by=None, organisation=cast.organisation, table=table, file_name="adressen.csv")
    return cast


def test_a_coordinator_imports_the_sample_residents_in_the_browser(browser, live_server, veerstad: Cast):
    context = browser.new_context(bypass_csp=True, viewport=PHONE, locale="nl-NL")
    page = context.new_page()
    try:
        _sign_in(page, live_server.url, veerstad.coordinator.username)
        _menu(page).get_by_role("link", name="Importeren").click()
        _assert_dutch_styled_and_accessible(page)
        page.get_by_label("Bewoners").check()
        page.set_input_files("#id_file", str(EXAMPLES / "bewoners.csv"))
        page.get_by_role("button", name="Uploaden en kolommen kiezen").click()

        assert "kolommen/" in page.url
        expect(page.locator("main")).to_contain_text("20 rijen onder de kopregel")
        expect(page.locator("main")).to_contain_text("de Vries")  # the preview of the first rows
        assert page.get_by_label("geboortedatum", exact=True).input_value() == "geboortedatum"
        _assert_dutch_styled_and_accessible(page)
        page.get_by_role("button", name="Elke rij controleren").click()

        main = page.inner_text("main")
        assert "nieuw, wordt toegevoegd: 20" in main
        assert "geweigerde rijen: 0" in main
        assert not Resident.objects.filter(extern_id__startswith="B-").exists()
        _assert_dutch_styled_and_accessible(page)
        page.get_by_role("button", name="Nu importeren").click()

        main = page.inner_text("main")
        assert "Resultaat van de import" in main
        assert "toegevoegd: 20" in main
        _assert_dutch_styled_and_accessible(page)
        assert Resident.objects.filter(organisation=veerstad.organisation, extern_id__startswith="B-").count() == 20
        assert bytes(ImportUpload.objects.get().content) == b""
    finally:
        context.close()
