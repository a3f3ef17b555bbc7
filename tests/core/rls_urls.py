"""A probe for the row-level security test: raw SQL, with no filter at all, inside a real request."""

from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.urls import path

from veerkracht.core.api_auth import optional_bearer_user

PROBE = "SELECT DISTINCT organisation_id FROM {table} ORDER BY 1"  # deliberately unscoped


def probe(request: HttpRequest, table: str) -> JsonResponse:
    optional_bearer_user(request)  # an API caller: the token decides the organisation
    with connection.cursor() as cursor:
        cursor.execute(PROBE.format(table=connection.ops.quote_name(table)))
        return JsonResponse({"organisations": [row[0] for row in cursor.fetchall()]})


urlpatterns = [path("probe/<str:table>/", probe)]
