"""API endpoints of the core app: tokens and the caller's own profile."""

from datetime import datetime

from django.contrib.auth import authenticate
from django.http import HttpRequest
from django_otp import match_token, user_has_device
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError

from veerkracht.core import throttle
from veerkracht.core.access import Capability, request_user
from veerkracht.core.account_policy import second_factor_required
from veerkracht.core.api_contract import ErrorOut
from veerkracht.core.gate import require_capability
from veerkracht.core.models import ApiToken, User
from veerkracht.core.origin import client_ip
from veerkracht.core.pagination import PageQuery, listing, page_of
from veerkracht.core.selectors import audit_events_visible_to
from veerkracht.core.services import api_token_issue, api_token_revoke
from veerkracht.version import installed_version

router = Router(tags=["auth"])


class TokenIn(Schema):
    username: str
    password: str
    otp: str | None = None


class TokenOut(Schema):
    token: str
    expires_at: datetime


class OrganisationOut(Schema):
    id: int
    name: str


class MeOut(Schema):
    username: str
    name: str
    role: str
    job_title: str
    organisation: OrganisationOut | None


@router.post("/auth/token", auth=None, response={200: TokenOut, 401: ErrorOut, 403: ErrorOut, 429: ErrorOut})
def token_create(request: HttpRequest, payload: TokenIn) -> Status[dict[str, object]]:
    """Exchange a username, password and (when the user has one) a second-factor code for a token.

    A role that must use a second factor gets no token before it has set up an app (403
    ``second_factor_enrolment_required``: sign in on the website first), and then only with a
    code from it or a recovery code in ``otp``.
    """
    ip = client_ip(request)
    if throttle.too_many_failures(payload.username, ip):
        return Status(429, {"detail": "too_many_attempts"})
    user = authenticate(request, username=payload.username, password=payload.password)
    if not isinstance(user, User) or user.organisation_id is None:
        throttle.note_failure(payload.username, ip)
        return Status(401, {"detail": "invalid_credentials"})
    has_device = user_has_device(user)
    if not has_device and second_factor_required(user):
        return Status(403, {"detail": "second_factor_enrolment_required"})
    if has_device and (not payload.otp or match_token(user, payload.otp.strip().lower()) is None):
        throttle.note_failure(payload.username, ip)
        return Status(401, {"detail": "otp_required"})
    throttle.clear_failures(payload.username)
    raw, token = api_token_issue(user=user, after_second_factor=has_device)
    return Status(200, {"token": raw, "expires_at": token.expires_at})


@router.delete("/auth/token", response={204: None})
def token_delete(request: HttpRequest) -> Status[None]:
    """Revoke the token this request was made with."""
    token = request.auth  # type: ignore[attr-defined]
    if not isinstance(token, ApiToken):
        raise HttpError(401, "Unauthorized")
    api_token_revoke(token=token)
    return Status(204, None)


@router.get("/me", response=MeOut, tags=["me"])
def me(request: HttpRequest) -> dict[str, object]:
    """The caller's name, role and organisation."""
    user = request_user(request)
    organisation = user.organisation
    return {
        "username": user.username,
        "name": user.display_name,
        "role": user.role,
        "job_title": user.job_title,
        "organisation": {"id": organisation.pk, "name": organisation.name} if organisation else None,
    }


class VersionOut(Schema):
    version: str = Field(description="The installed release, as in CHANGELOG.md (e.g. 0.2.0)")


@router.get("/version", auth=None, response=VersionOut, tags=["version"])
def version(request: HttpRequest) -> dict[str, str]:
    """The release this server runs; no sign-in needed (the page footer shows it too)."""
    return {"version": installed_version()}


class AuditEventOut(Schema):
    id: int
    at: datetime
    actor_id: int | None
    actor_username: str | None
    action: str
    object_type: str
    object_id: str
    fields: list[str]
    result: str
    ip: str | None


COMPUTED = ("actor_username", "ip")


class AuditPage(Schema):
    items: list[AuditEventOut]
    count: int


class AuditQuery(PageQuery):
    resident: int | None = None
    action: str | None = Field(None, max_length=20)


@router.get("/audit", response=AuditPage, tags=["audit"])
def audit_list(request: HttpRequest, query: Query[AuditQuery]) -> dict[str, object]:
    """The organisation's audit log, newest first (privacy officer and coordinators)."""
    user = require_capability(request, Capability.VIEW_AUDIT_LOG)
    events = audit_events_visible_to(user)
    if query.resident is not None:
        events = events.filter(object_type="people.resident", object_id=str(query.resident))
    if query.action:
        events = events.filter(action=query.action)
    items, count = page_of(events, query)
    return listing(
        [
            {
                **{name: getattr(event, name) for name in AuditEventOut.model_fields if name not in COMPUTED},
                "actor_username": event.actor.username if event.actor else None,
                "ip": getattr(event, "kept_ip", None) or event.ip,  # annotated by the selector (ADR 18)
            }
            for event in items
        ],
        count,
    )
