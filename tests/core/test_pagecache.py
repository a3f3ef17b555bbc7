"""Pages kept briefly per session: the dashboard drawn once a minute per session, never for anyone else."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.template import Context, Template, engines
from django.test import Client, RequestFactory, override_settings
from django.utils import timezone, translation

from tests.conftest import Cast
from veerkracht.core.pagecache import cached_per_session

pytestmark = pytest.mark.django_db

KEPT = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "pages": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "test-pages"},
}


def _counting_view() -> tuple[list[int], object]:
    drawn: list[int] = []

    @cached_per_session(60)
    def view(request: HttpRequest) -> HttpResponse:
        drawn.append(1)
        return HttpResponse(f"drawn {len(drawn)} for {request.user.pk}")

    return drawn, view


def _request(client: Client, path: str = "/inzicht/") -> HttpRequest:
    """A request carrying the client's session and user, as the middleware would make it."""
    from django.contrib.auth import get_user
    from django.contrib.messages.storage.fallback import FallbackStorage

    request = RequestFactory().get(path)
    request.session = client.session
    request.user = get_user(request)
    request._messages = FallbackStorage(request)  # type: ignore[attr-defined]
    return request


@override_settings(CACHES=KEPT)
def test_the_same_session_gets_the_kept_page_and_another_user_never_does(cast: Cast):
    drawn, view = _counting_view()
    coordinator, funder = Client(), Client()
    coordinator.force_login(cast.coordinator)
    funder.force_login(cast.funder)
    first = view(_request(coordinator))  # type: ignore[operator]
    again = view(_request(coordinator))  # type: ignore[operator]
    other = view(_request(funder))  # type: ignore[operator]
    assert first.content == again.content == f"drawn 1 for {cast.coordinator.pk}".encode()
    assert other.content == f"drawn 2 for {cast.funder.pk}".encode()
    assert len(drawn) == 2


@override_settings(CACHES=KEPT)
def test_another_query_or_a_page_with_messages_is_drawn_afresh(cast: Cast):
    drawn, view = _counting_view()
    client = Client()
    client.force_login(cast.coordinator)
    view(_request(client))  # type: ignore[operator]
    view(_request(client, "/inzicht/?buurt=1"))  # type: ignore[operator]
    flashed = _request(client)
    messages.success(flashed, "Saved.")
    view(flashed)  # type: ignore[operator]
    assert len(drawn) == 3


@override_settings(CACHES=KEPT)
def test_a_new_session_of_the_same_user_draws_its_own_page(cast: Cast):
    drawn, view = _counting_view()
    first, second = Client(), Client()
    first.force_login(cast.coordinator)
    second.force_login(cast.coordinator)
    view(_request(first))  # type: ignore[operator]
    view(_request(second))  # type: ignore[operator]
    assert len(drawn) == 2


@override_settings(CACHES=KEPT)
def test_the_dashboard_is_kept_but_still_refused_to_a_role_without_aggregates(cast: Cast):
    client = Client()
    client.force_login(cast.coordinator)
    assert client.get("/inzicht/").status_code == 200
    cast.coordinator.role = "volunteer"
    cast.coordinator.save(update_fields=["role"])
    assert client.get("/inzicht/").status_code in (403, 404)


@pytest.mark.parametrize("language", ["nl", "en", "ar"])
def test_dates_formatted_once_read_as_the_date_filter_in_each_language_and_zone(language):
    moment = datetime(2026, 3, 3, 13, 5, tzinfo=UTC)
    source = "{{ m|date_once('D j M H:i') }}|{{ m|date_once('c') }}|{{ n|date_once('H:i') }}"
    once = engines["jinja2"].from_string(source)
    django = Template("{{ m|date:'D j M H:i' }}|{{ m|date:'c' }}|{{ n|date:'H:i' }}")
    context = Context({"m": moment, "n": None})
    for zone in ("Europe/Amsterdam", "UTC", "Europe/Amsterdam"):
        with translation.override(language), timezone.override(ZoneInfo(zone)):
            assert once.render({"m": moment, "n": None}) == django.render(context)
