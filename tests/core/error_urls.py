"""The site's addresses and error handlers, plus one view that fails (the styled 500 page)."""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.urls import path

from veerkracht.urls import handler403, handler404, handler500  # noqa: F401 - Django reads them from here
from veerkracht.urls import urlpatterns as site


def _broken(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a bug")


def _forbidden(request: HttpRequest) -> HttpResponse:
    raise PermissionDenied("not for this role")


urlpatterns = [*site, path("kapot/", _broken), path("verboden/", _forbidden)]
