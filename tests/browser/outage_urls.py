"""The site's addresses plus one whose view meets a database outage (the 503 page's accessibility check)."""

from django.db import OperationalError
from django.http import HttpRequest, HttpResponse
from django.urls import path

from veerkracht.urls import urlpatterns as site


def _outage(request: HttpRequest) -> HttpResponse:
    raise OperationalError("the database went away")


urlpatterns = [*site, path("storing/", _outage)]
