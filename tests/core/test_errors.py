"""Not found, not allowed, an expired form and a failure: Dutch pages in the site's frame with a way back."""

import pytest
from django.test import Client

from tests.conftest import Cast


@pytest.fixture
def quiet_client() -> Client:
    """A client that shows the answer to a request that raised, as a browser would get it."""
    return Client(raise_request_exception=False)


def _assert_styled(body: str) -> None:
    assert 'class="utrecht-page-header vk-header"' in body  # the site's frame, not Django's plain page
    assert 'href="/"' in body  # a way back to the start page


def test_an_unknown_address_answers_a_dutch_404_page_with_a_way_back(cast: Cast, client):
    client.force_login(cast.professional)
    response = client.get("/bestaat-niet/")
    body = response.content.decode()
    assert response.status_code == 404
    assert "Pagina niet gevonden" in body
    assert "Not Found" not in body
    _assert_styled(body)


def test_the_404_page_offers_the_page_the_visitor_came_from(cast: Cast, client):
    client.force_login(cast.professional)
    response = client.get("/bestaat-niet/", headers={"Referer": "http://testserver/bewoners/"})
    assert 'href="http://testserver/bewoners/"' in response.content.decode()
    elsewhere = client.get("/bestaat-niet/", headers={"Referer": "https://evil.example/"})
    assert "evil.example" not in elsewhere.content.decode()


def test_a_resident_gets_the_404_page_in_their_browsers_language(cast: Cast, client):
    client.force_login(cast.resident)
    response = client.get("/bestaat-niet/", headers={"Accept-Language": "tr"})
    body = response.content.decode()
    assert response.status_code == 404
    assert 'lang="tr"' in body
    assert "Sayfa bulunamadı" in body


def test_staff_get_the_404_page_in_dutch_whatever_their_browser_says(cast: Cast, client):
    client.force_login(cast.coordinator)
    response = client.get("/bestaat-niet/", headers={"Accept-Language": "en"})
    assert "Pagina niet gevonden" in response.content.decode()


def test_an_expired_form_answers_a_dutch_403_that_says_to_reload(cast: Cast):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(cast.professional)
    response = browser.post("/meldingen/gelezen/", {}, headers={"Referer": "https://testserver/"})
    body = response.content.decode()
    assert response.status_code == 403
    assert "Dit formulier is verlopen" in body
    assert "CSRF cookie" not in body
    assert "Forbidden" not in body
    _assert_styled(body)


def test_a_failure_answers_a_dutch_500_page_without_details(db, quiet_client, settings):
    settings.ROOT_URLCONF = "tests.core.error_urls"
    response = quiet_client.get("/kapot/")
    body = response.content.decode()
    assert response.status_code == 500
    assert "Er ging iets mis" in body
    assert "a bug" not in body
    assert "RuntimeError" not in body
    _assert_styled(body)


def test_a_refusal_answers_a_dutch_403_page(cast: Cast, client, settings):
    settings.ROOT_URLCONF = "tests.core.error_urls"
    client.force_login(cast.volunteer)
    response = client.get("/verboden/")
    body = response.content.decode()
    assert response.status_code == 403
    assert "Geen toegang" in body
    assert "not for this role" not in body
    _assert_styled(body)


def test_favicon_ico_answers_an_icon(db, client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/x-icon"
    assert response.content[:4] == b"\x00\x00\x01\x00"  # the ICO header
