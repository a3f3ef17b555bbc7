"""The JSON API under /api/v1/: assembles the apps' routers and answers errors with the bodies of core/api_contract."""

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError, InterfaceError, OperationalError
from django.http import Http404, HttpRequest, HttpResponse
from ninja.errors import AuthenticationError, HttpError, ValidationError

from veerkracht.activities.api import router as activities_router
from veerkracht.activities.models import TRANSLATED_LANGUAGES
from veerkracht.bingo.api import router as bingo_router
from veerkracht.contacts.api import router as contacts_router
from veerkracht.core.api import router as core_router
from veerkracht.core.api_auth import BearerToken
from veerkracht.core.api_contract import ContractAPI
from veerkracht.core.exceptions import Conflict, NotFound
from veerkracht.core.unavailable import unavailable_response
from veerkracht.help.api import router as help_router
from veerkracht.insights.api import router as insights_router
from veerkracht.messaging.api import router as messaging_router
from veerkracht.outreach.api import router as outreach_router
from veerkracht.people.api import router as people_router
from veerkracht.team.api import router as team_router
from veerkracht.team.api_teams import router as teams_router

api = ContractAPI(
    title="Veerkracht API",
    version="1",
    description="The JSON API of Veerkracht. Authenticate with `POST /api/v1/auth/token`, then send "
    "`Authorization: Bearer <token>`.",
    auth=BearerToken(),
    urls_namespace="api",
)
api.add_router("/", core_router)
api.add_router("/", people_router)
api.add_router("/", contacts_router)
api.add_router("/", activities_router)
api.add_router("/", help_router)
api.add_router("/", insights_router)
api.add_router("/", bingo_router)
api.add_router("/", outreach_router)
api.add_router("/", messaging_router)
api.add_router("/", team_router)
api.add_router("/", teams_router)

# Services name model fields; the API names the body fields that reference them.
FIELD_ALIASES = {
    "assigned_worker": "assigned_worker_id",
    "neighbourhood": "neighbourhood_id",
    "follow_up_by": "follow_up_by_id",
    "helper": "helper_id",
    "team": "team_id",
} | {  # an activity's translations (activities/services.py): the form's field names, the API's nesting
    f"{name}_{language}": f"translations.{language}.{name}"
    for language in TRANSLATED_LANGUAGES
    for name in ("title", "description")
}


def _field_loc(loc: list[Any]) -> list[Any]:
    """["body", "payload", "x"] → ["body", "x"]: clients should not need our parameter names."""
    if len(loc) >= 3 and loc[0] == "body" and loc[1] == "payload":
        return [loc[0], *loc[2:]]
    return list(loc)


@api.exception_handler(ValidationError)
def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    detail = [
        {"loc": _field_loc(list(error.get("loc", []))), "msg": error.get("msg", ""), "type": error.get("type", "")}
        for error in exc.errors
    ]
    return api.create_response(request, {"detail": detail}, status=422)


@api.exception_handler(DjangoValidationError)
def service_validation_error(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
    """A service refused the input: 422 naming the field, with the (translated) message."""
    errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    detail = [
        {"loc": ["body", *FIELD_ALIASES.get(field, field).split(".")], "msg": message, "type": "value_error"}
        for field, messages in errors.items()
        for message in messages
    ]
    return api.create_response(request, {"detail": detail}, status=422)


@api.exception_handler(OverflowError)
@api.exception_handler(DataError)
def out_of_range(request: HttpRequest, exc: Exception) -> HttpResponse:
    """A number too big for the database (found by the fuzzer): bad input, 422, not a server error."""
    detail = [{"loc": ["body"], "msg": "a number is out of range", "type": "value_error"}]
    return api.create_response(request, {"detail": detail}, status=422)


@api.exception_handler(AuthenticationError)
def authentication_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return api.create_response(request, {"detail": "Unauthorized"}, status=401)


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, {"detail": "Not found"}, status=404)


@api.exception_handler(NotFound)
def out_of_scope(request: HttpRequest, exc: NotFound) -> HttpResponse:
    """A service or selector found nothing the caller may see: the same 404 as any other."""
    return not_found(request, Http404())


@api.exception_handler(Conflict)
def conflict(request: HttpRequest, exc: Conflict) -> HttpResponse:
    """The record's state refuses the work (a place still in use, a closed game): 409 with the service's message."""
    return api.create_response(request, {"detail": str(exc) or "Conflict"}, status=409)


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc)}, status=exc.status_code)


@api.exception_handler(OperationalError)
@api.exception_handler(InterfaceError)
def database_unavailable(request: HttpRequest, exc: Exception) -> HttpResponse:
    """The database is restarting or unreachable: 503 with Retry-After, never a traceback (core.unavailable)."""
    return unavailable_response(request, exc)
