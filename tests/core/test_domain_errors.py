"""Services and selectors raise domain errors (core/exceptions.py); pages and the API answer them."""

import importlib
import inspect

import pytest
from django.http import Http404, HttpResponse
from django.test import RequestFactory
from django.urls import reverse

from tests.conftest import Cast
from tests.core.test_origin import _service_like_modules
from veerkracht.core.errors import DomainErrorMiddleware
from veerkracht.core.exceptions import Conflict, NotFound
from veerkracht.help.selectors import help_request_for
from veerkracht.places.models import Place


def test_no_service_or_selector_raises_an_http_answer():
    """HTTP is the edge's business: a service says NotFound or Conflict, the edge says 404 or 409."""
    speaking_http = [
        name
        for name in _service_like_modules()
        if "Http404" in inspect.getsource(importlib.import_module(name))
        or "HttpError" in inspect.getsource(importlib.import_module(name))
    ]
    assert speaking_http == []


def test_a_page_answers_a_selectors_not_found_with_the_404_page(cast: Cast, client):
    """A help request outside the worker's neighbourhoods: the selector says NotFound, the page 404."""
    with pytest.raises(NotFound):
        help_request_for(cast.professional, 10**6)
    client.force_login(cast.professional)
    response = client.get(reverse("help:request", args=[10**6]))
    assert response.status_code == 404
    assert "Pagina niet gevonden" in response.content.decode()


def test_the_middleware_turns_a_conflict_into_a_409_page_with_the_services_message(cast: Cast):
    request = RequestFactory().post("/")
    request.user = cast.coordinator
    middleware = DomainErrorMiddleware(lambda _request: HttpResponse())
    response = middleware.process_exception(request, Conflict("Deze plek is in gebruik."))
    assert response is not None
    assert response.status_code == 409
    assert "Deze plek is in gebruik." in response.content.decode()
    with pytest.raises(Http404):
        middleware.process_exception(request, NotFound())
    assert middleware.process_exception(request, ValueError()) is None  # not ours: Django's 500


def test_the_api_answers_a_services_not_found_with_the_404_body(cast: Cast, api_as):
    """(A place in use answers 409 through Conflict: tests/api/test_places.py.)"""
    api = api_as("coordinator")
    elsewhere = Place.objects.create(
        organisation=cast.resident_outside.organisation, name="Elders", kind="community_centre"
    )
    for response in (api.delete(f"/places/{elsewhere.pk}"), api.patch(f"/places/{elsewhere.pk}", {"name": "X"})):
        assert (response.status_code, response.json()) == (404, {"detail": "Not found"})
    assert Place.objects.filter(pk=elsewhere.pk, name="Elders").exists()
