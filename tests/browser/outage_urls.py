"""The site's addresses plus one whose view meets a database outage and one with a bug (the 503 and 500 pages)."""

from django.db import OperationalError
from django.http import HttpRequest, HttpResponse
from django.urls import path

from veerkracht.urls import handler403, handler404, handler500  # noqa: F401 - Django reads them here
from veerkracht.urls import urlpatterns as site


def _outage(request: HttpRequest) -> HttpResponse:
    raise OperationalError("the database went away")


def _broken(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a bug")


urlpatterns = [*site, path("storing/", _outage), path("kapot/", _broken)]
