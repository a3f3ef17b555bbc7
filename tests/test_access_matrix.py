"""The access matrix: every page and every API read, for every role, has an expected answer.

Adding a URL pattern or an API operation without adding it here fails
``test_every_url_and_api_read_is_in_the_matrix``.
"""

from datetime import time, timedelta
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from tests.conftest import Cast
from veerkracht.activities.models import Activity, Registration
from veerkracht.api import api
from veerkracht.bingo.models import Draw, Game
from veerkracht.bingo.services import game_create
from veerkracht.contacts.models import Concern
from veerkracht.contacts.services import concern_raise
from veerkracht.core.services import api_token_issue
from veerkracht.help.models import CheckIn
from veerkracht.help.services import help_offer_save, help_request_create, match_accept, match_run_start, propose
from veerkracht.insights.models import Survey
from veerkracht.messaging.services import Draft, message_send
from veerkracht.messaging.videocalls import video_call_plan
from veerkracht.onboarding.uploads import import_upload_create
from veerkracht.outreach.models import OutreachRound, RoundStop
from veerkracht.outreach.services import WalkerPlan, round_start
from veerkracht.people.models import Resident
from veerkracht.places.models import Place
from veerkracht.team.services import Intake, SignUp, application_intake_save, volunteer_sign_up
from veerkracht.team.timesheets import Entry, time_entry_add

ROLES = [
    "anonymous",
    "resident",
    "volunteer",
    "basisbaan",
    "other_professional",
    "professional",
    "outsider_coordinator",
    "coordinator",
    "privacy_officer",
    "funder",
]
LOGIN = 302  # anonymous visitors are sent to the login page
REGISTER = {"professional": 200, "coordinator": 200}  # the resident register: the rest 404 (north resident)
ERASE = {"coordinator": 200}
AUDIT = {"coordinator": 200, "outsider_coordinator": 200, "privacy_officer": 200}
TEAMS = {"professional": 200, "other_professional": 200, "coordinator": 200, "outsider_coordinator": 200}
WORKLISTS = {"professional": 200, "other_professional": 200, "coordinator": 200, "outsider_coordinator": 200}
EVERYONE = dict.fromkeys(ROLES[1:], 200)
PLANNERS = {**WORKLISTS, "basisbaan": 200}
HELPERS = {**PLANNERS, "volunteer": 200}
MANAGERS = {"professional": 200, "other_professional": 200, "coordinator": 200, "volunteer": 200}  # volunteer helps
COORDINATORS = {"coordinator": 200, "outsider_coordinator": 200}
HELP_ORGANISATION = {"professional": 200, "other_professional": 200, "coordinator": 200}  # help matchers of org A
OFFERERS = {"volunteer": 200, "basisbaan": 200, "resident": 200}
AGGREGATES = {**WORKLISTS, "funder": 200}  # dashboards: coordinators, professionals (their teams), the funder
PULSE = {**WORKLISTS, "basisbaan": 200}  # the workers' weekly check-in
AGGREGATES_HERE = {key: 200 for key in AGGREGATES if key != "outsider_coordinator"}
WALKERS = {**WORKLISTS, "basisbaan": 200, "volunteer": 200}  # everyone who may walk a round of their organisation
ROUND = {"professional": 200, "coordinator": 200}  # planners of the north round
ROUND_AND_WALKER = {**ROUND, "volunteer": 200}  # ... and the volunteer who walks it
WORKERS_WITH_HOURS = {"volunteer": 200, "basisbaan": 200}


def _row(allowed: dict[str, int], anonymous: int = LOGIN) -> dict[str, int]:
    return {role: allowed.get(role, 404) for role in ROLES[1:]} | {"anonymous": anonymous}


# url name -> expected status per role for a GET
PAGES: dict[str, dict[str, int]] = {
    "home": _row(EVERYONE),
    "public_home": dict.fromkeys(ROLES, 200),
    "favicon": dict.fromkeys(ROLES, 200),
    "login": dict.fromkeys(ROLES[1:], 302) | {"anonymous": 200},
    "healthz": dict.fromkeys(ROLES, 200),
    "readyz": dict.fromkeys(ROLES, 200),
    # Sign-in security: the second step needs a pending sign-in, the sensitive pages the password again.
    "accounts:verify": dict.fromkeys(ROLES, 302),
    "accounts:security": _row(EVERYONE),
    "accounts:reauthenticate": _row(EVERYONE),
    "accounts:enrol": dict.fromkeys(ROLES, 302),
    "accounts:recovery_codes": dict.fromkeys(ROLES, 302),
    "accounts:email": dict.fromkeys(ROLES, 302),
    "accounts:password": dict.fromkeys(ROLES, 302),
    # A forgotten password: open to everyone (signed-in users too); a made-up link says it no longer works.
    "accounts:password_reset": dict.fromkeys(ROLES, 200),
    "accounts:password_reset_done": dict.fromkeys(ROLES, 200),
    "accounts:password_reset_confirm": dict.fromkeys(ROLES, 200),
    "core:teams": _row(TEAMS),
    "core:audit_log": _row(AUDIT),
    "people:list": _row(WORKLISTS),
    "contacts:follow_ups": _row(WORKLISTS),
    "people:create": _row(WORKLISTS),
    "people:address_not_found": _row(WORKLISTS),
    "people:detail": _row(REGISTER),
    "people:edit": _row(REGISTER),
    "contacts:timeline": _row(REGISTER),
    "people:export": _row({**REGISTER, "privacy_officer": 200}),  # the privacy officer answers requests for access
    "people:inspection_requests": _row({**AUDIT, "privacy_officer": 200, "coordinator": 200}),
    "people:erase": _row(ERASE),
    "contacts:raise": _row(REGISTER),
    "contacts:concern": _row(REGISTER),
    "contacts:concerns": _row(WORKLISTS),
    "contacts:out_of_sight": _row(WORKLISTS),
    "activities:public_list": dict.fromkeys(ROLES, 200),
    "activities:public_detail": dict.fromkeys(ROLES, 200),
    "activities:public_registration": dict.fromkeys(ROLES, 200),
    "activities:manage_list": _row(HELPERS),
    "activities:plan": _row(PLANNERS),
    "activities:manage": _row(MANAGERS),
    "activities:edit": _row({"coordinator": 200, "professional": 200}),  # the organiser or a coordinator
    "activities:cancel": _row({"coordinator": 200, "professional": 200}),
    "activities:capacity_rule": _row(COORDINATORS),
    "feeds:poster": dict.fromkeys(ROLES, 200),
    "feeds:organisation": dict.fromkeys(ROLES, 200),
    "feeds:neighbourhood": dict.fromkeys(ROLES, 200),
    "feeds:place": dict.fromkeys(ROLES, 200),
    "places:list": dict.fromkeys(ROLES, 200),
    "places:detail": dict.fromkeys(ROLES, 200),
    "help:board": _row(WORKLISTS),
    "help:run": _row(HELP_ORGANISATION),
    "help:request_create": _row({**REGISTER, "resident": 200}),
    "help:request": _row(REGISTER),
    "help:own_requests": _row({"resident": 200}),
    "activities:own_registrations": _row({"resident": 200}),
    "activities:own_cancel": _row({}),  # the registration is a member of the public's: nobody else's to cancel
    "people:own_data": _row({}),  # the cast's resident account has no record (tests/people/test_own_data.py)
    "help:my_tasks": _row(OFFERERS),
    "help:offer": _row(OFFERERS),
    "help:task": _row({"volunteer": 200}),
    "insights:dashboard": _row(AGGREGATES),
    "insights:export": _row(AGGREGATES),
    "insights:quarterly": _row(AGGREGATES),
    "insights:surveys": _row(AGGREGATES),
    "insights:pulse": _row(PULSE),
    "insights:survey_paper": _row({key: 200 for key in PULSE if key != "outsider_coordinator"}),
    "insights:survey_public": dict.fromkeys(ROLES, 200),
    "bingo:games": _row(MANAGERS),
    "bingo:caller": _row(MANAGERS),
    "bingo:board": _row(MANAGERS),
    "bingo:cards_pdf": _row(MANAGERS),
    "bingo:check": _row(MANAGERS),
    "outreach:rounds": _row(WALKERS),
    "outreach:plan": _row(WORKLISTS),
    "outreach:candidates": _row(WORKLISTS),
    "outreach:priorities": _row(COORDINATORS),
    "outreach:round": _row(ROUND),
    "outreach:progress": _row(ROUND),
    "outreach:print": _row(ROUND_AND_WALKER),
    "outreach:walk": _row({"volunteer": 200}),
    "outreach:door": _row(ROUND_AND_WALKER),
    "messaging:list": _row(WORKLISTS),
    "messaging:compose": _row(WORKLISTS),
    "messaging:hint": _row(WORKLISTS),
    "messaging:detail": _row(REGISTER),  # the professional's message: theirs and the coordinator's to see
    "messaging:letters": _row(REGISTER),
    # The cast's organisation has no postal address yet: back to the letters page (the PDF: test_letters.py).
    "messaging:letters_pdf": _row(dict.fromkeys(REGISTER, 302)),
    "messaging:video_call_plan": _row(REGISTER),
    "messaging:video_call": _row(REGISTER),
    "team:signup_index": dict.fromkeys(ROLES, 200),
    "team:signup": dict.fromkeys(ROLES, 200),
    "team:set_password": dict.fromkeys(ROLES, 200),  # an invalid link says so
    "team:applications": _row(COORDINATORS),
    "team:application": _row({"coordinator": 200}),
    "team:team": _row(REGISTER),  # team north: its member and the coordinator
    # Disabling the north professional's account: their coordinator only, after the password again.
    "team:member_disable_confirm": _row({"coordinator": 302}),
    "team:accounts": _row(COORDINATORS),  # each their own organisation's accounts
    "team:account_disable_confirm": _row({"coordinator": 302}),  # the north professional's, as above
    "team:my_work": _row(WORKERS_WITH_HOURS),
    "team:approvals": _row(COORDINATORS),
    "team:month": _row(COORDINATORS),
    "team:month_csv": _row(COORDINATORS),
    "team:month_xlsx": _row(COORDINATORS),
    "onboarding:accept": dict.fromkeys(ROLES, 404),  # a made-up invitation link says it no longer works
    "messaging:email_unsubscribe": dict.fromkeys(ROLES, 404),  # a made-up link withdraws nobody's consent
    "onboarding:resident_accept": dict.fromkeys(ROLES, 404),  # a made-up link says, in Dutch, it no longer works
    "onboarding:resident_invite": _row(REGISTER),  # workers who may message the north resident
    "onboarding:invite": _row(COORDINATORS),  # each their own organisation's colleagues
    "onboarding:member": _row({"coordinator": 200}),  # the north professional's role and teams
    "onboarding:import_start": _row(COORDINATORS),  # each their own organisation's imports
    # A file the coordinator of the organisation uploaded: theirs alone.
    "onboarding:import_columns": _row({"coordinator": 200}),
    "onboarding:import_status": _row({"coordinator": 200}),
    "onboarding:import_progress": _row({"coordinator": 200}),
    "onboarding:settings": _row(COORDINATORS),  # each their own organisation's settings
    # The platform administrator's screen: only a Django superuser, of whom the cast has none; the
    # screen is not advertised, so a visitor gets 404 too rather than the login page.
    "onboarding:platform": _row({}, anonymous=404),
}
# Reached by POST only, covered by their own tests; a GET answers 405 or 404 for everyone.
# The SMS providers' callbacks: the secret token in their address is the rule (tests/messaging/test_providers.py).
PROVIDER_CALLBACKS = {"messaging:provider_report", "messaging:provider_inbound"}
POST_ONLY = {
    "logout",
    "accounts:second_factor_remove",
    "accounts:recovery_codes_renew",
    "accounts:sign_out_everywhere",
    "contacts:log",
    "contacts:call_task_done",
    "set_language",
    "activities:register_resident",
    "activities:attendance",
    "activities:cancel_registration",
    "core:notifications_read",
    "help:match",
    "help:propose",
    "help:cancel",
    "help:check_in_done",
    "help:accept",
    "help:decline",
    "help:done",
    "bingo:draw",
    "bingo:close",
    "outreach:flag",
    "messaging:answered",
    "messaging:delivery_report",
    "messaging:video_call_start",
    "messaging:video_call_complete",
    "messaging:video_call_cancel",
    "team:activate",
    "team:decline",
    "team:member_disable",
    "team:member_enable",
    "team:account_disable",
    "team:account_enable",
    "team:away_add",
    "team:away_remove",
    "team:hours_add",
    "team:entry_remove",
    "team:review",
    "team:contract",
    "onboarding:revoke",
    "onboarding:resident_withdraw",
    "onboarding:member_end",
    "onboarding:import_run",
    "onboarding:geography_upload",
    "team:team_create",
    "team:team_neighbourhoods",
    "team:team_email",
}
NOT_PAGES = {"api"}  # the API namespace is covered by API_READS below

API_READS: dict[str, dict[str, int]] = {
    "/api/v1/me": _row(EVERYONE, anonymous=401),
    "/api/v1/version": dict.fromkeys(ROLES, 200),
    "/api/v1/residents": _row(WORKLISTS, anonymous=401),
    "/api/v1/residents/{resident_id}": _row(REGISTER, anonymous=401),
    "/api/v1/residents/{resident_id}/timeline": _row(REGISTER, anonymous=401),
    "/api/v1/residents/{resident_id}/contacts": _row(REGISTER, anonymous=401),
    "/api/v1/residents/{resident_id}/export": _row(REGISTER, anonymous=401),
    "/api/v1/worklists/concerns": _row(WORKLISTS, anonymous=401),
    "/api/v1/worklists/out-of-sight": _row(WORKLISTS, anonymous=401),
    "/api/v1/audit": _row(AUDIT, anonymous=401),
    "/api/v1/places": dict.fromkeys(ROLES, 200),
    "/api/v1/places/{place_id}": dict.fromkeys(ROLES, 200),
    "/api/v1/activities": dict.fromkeys(ROLES, 200),
    "/api/v1/help/requests": _row({**WORKLISTS, "resident": 200}, anonymous=401),
    "/api/v1/help/match/{task_id}": _row(HELP_ORGANISATION, anonymous=401),
    "/api/v1/help/my-matches": _row(OFFERERS, anonymous=401),
    "/api/v1/insights/channel-mix": _row(AGGREGATES, anonymous=401),
    "/api/v1/insights/reach": _row(AGGREGATES, anonymous=401),
    "/api/v1/insights/bridging": _row(AGGREGATES, anonymous=401),
    "/api/v1/insights/pulse": _row(AGGREGATES, anonymous=401),
    "/api/v1/insights/help": _row(AGGREGATES, anonymous=401),
    "/api/v1/insights/survey/{survey_id}/results": _row(AGGREGATES_HERE, anonymous=401),
    "/api/v1/bingo/games/{game_id}": _row(MANAGERS, anonymous=401),
    "/api/v1/bingo/games/{game_id}/cards.pdf": _row(MANAGERS, anonymous=401),
    "/api/v1/bingo/games/{game_id}/check/{card_code}": _row(MANAGERS, anonymous=401),
    "/api/v1/outreach/rounds/{round_id}": _row(ROUND_AND_WALKER, anonymous=401),
    "/api/v1/messages": _row(WORKLISTS, anonymous=401),  # senders: their own, coordinators all
    "/api/v1/messages/{message_id}": _row(REGISTER, anonymous=401),
    "/api/v1/timesheets": _row({**WORKERS_WITH_HOURS, **COORDINATORS}, anonymous=401),
    # The north professional's contacts: workers of the organisation see those with residents in their scope.
    "/api/v1/workers/{worker_id}/contacts": _row(HELP_ORGANISATION, anonymous=401),
    "/api/v1/organisation/distancing-rule": _row(COORDINATORS, anonymous=401),
    "/api/v1/help/waiting": _row(WORKLISTS, anonymous=401),
    "/api/v1/help/idle-helpers": _row(WORKLISTS, anonymous=401),
    "/api/v1/help/check-ins": _row(WORKLISTS, anonymous=401),  # each their own
    "/api/v1/volunteers/applications": _row(COORDINATORS, anonymous=401),
    "/api/v1/volunteers/applications/{application_id}": _row({"coordinator": 200}, anonymous=401),
    "/api/v1/teams": _row(TEAMS, anonymous=401),
    "/api/v1/teams/{team_id}": _row(REGISTER, anonymous=401),  # team north: its member and the coordinator
    "/api/v1/users": _row(COORDINATORS, anonymous=401),  # each their own organisation's accounts
    "/api/v1/users/{user_id}": _row({"coordinator": 200}, anonymous=401),  # the north professional's account
    "/api/v1/openapi.json": dict.fromkeys(ROLES, 200),
    "/api/v1/docs": dict.fromkeys(ROLES, 200),
}


def _names(resolver: URLResolver, namespace: str = "") -> set[str]:
    names = set()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            names |= _names(entry, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            names.add(f"{namespace}{entry.name}")
    return names


def _api_reads() -> set[str]:
    paths = api.get_openapi_schema()["paths"]
    return {path for path, operations in paths.items() if "get" in operations} | {
        "/api/v1/openapi.json",
        "/api/v1/docs",
    }


def test_every_url_and_api_read_is_in_the_matrix():
    pages = {name for name in _names(get_resolver()) if not name.startswith("api:")}
    assert pages - set(PAGES) - POST_ONLY - PROVIDER_CALLBACKS == set()
    assert _api_reads() - set(API_READS) == set()


@pytest.fixture
def concern(cast: Cast) -> Concern:
    return concern_raise(by=cast.professional, resident_id=cast.resident_north.pk, category="health", severity=2)


@pytest.fixture
def activity(cast: Cast) -> Activity:
    """A park bingo organised by the professional, with the volunteer helping and one public registration."""
    place = Place.objects.create(
        organisation=cast.organisation,
        neighbourhood=cast.north,
        name="Noorderpark",
        kind="park",
        indoor=False,
        area_m2=400,
    )
    starts = timezone.now() + timedelta(days=3)
    planned = Activity.objects.create(
        organisation=cast.organisation,
        title="Plantsoenbingo",
        kind="plantsoenbingo",
        place=place,
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        organiser=cast.professional,
        max_participants=40,
    )
    planned.helpers.add(cast.volunteer)
    Registration.objects.create(activity=planned, name="Ans", phone="0612345678", status="confirmed")
    return planned


_HELP_ARGS = {
    "help:run": ("run_id",),
    "help:request": ("request_id",),
    "help:task": ("match_id",),
    "insights:survey_paper": ("survey_id",),
    "insights:survey_public": ("token",),
}


@pytest.fixture
def help_case(cast: Cast) -> dict[str, Any]:
    """A request for the north resident, taken by the volunteer, and a matching run of org A."""
    Resident.objects.filter(pk=cast.resident_north.pk).update(consent_help_exchange=True)
    help_request = help_request_create(
        by=cast.professional,
        resident_id=cast.resident_north.pk,
        kind="groceries",
        last_day=timezone.localdate() + timedelta(days=3),
    )
    offer = help_offer_save(
        by=cast.volunteer, neighbourhood_id=cast.north.pk, kinds=["groceries"], radius_m=900, max_open_tasks=2
    )
    match = propose(
        help_request=help_request, offer=offer, run=None, distance_m=10, same_language=None, continuity=False, by=None
    )
    assert match is not None
    match_accept(by=cast.volunteer, match_id=match.pk)
    check_in = CheckIn.objects.create(request=help_request, worker=cast.professional, occasion=1)
    run = match_run_start(by=cast.coordinator)
    survey = Survey.objects.create(organisation=cast.organisation, title="Buurtpeiling", since=timezone.localdate())
    return {
        "request_id": help_request.pk,
        "match_id": match.pk,
        "run_id": run.pk,
        "task_id": run.pk,
        "survey_id": survey.pk,
        "token": survey.token,
        "check_in_id": check_in.pk,
    }


@pytest.fixture
def game(cast: Cast, activity: Activity) -> Game:
    """A bingo game of the park bingo in which the first card's top row has been drawn."""
    made = game_create(by=cast.professional, activity_id=activity.pk, cards=2)
    for position, number in enumerate(made.cards.get(index=0).numbers[0], start=1):
        Draw.objects.create(game=made, position=position, number=number, drawn_by=cast.professional)
    return made


@pytest.fixture
def outreach_round(cast: Cast) -> OutreachRound:
    """Today's round in the north, planned by the coordinator, walked by the volunteer from the resident's door."""
    home = cast.resident_north.household
    assert home is not None
    start = WalkerPlan(cast.volunteer.pk, time(9), time(11), postcode=home.postcode, house_number=home.house_number)
    return round_start(
        by=cast.coordinator,
        neighbourhood_id=cast.north.pk,
        on=timezone.localdate(),
        kinds=["porch_talk"],
        walkers=[start],
    )


def _outreach_arguments(name: str, planned: OutreachRound) -> dict[str, Any]:
    if name in ("outreach:round", "outreach:progress", "outreach:print", "outreach:walk"):
        return {"round_id": planned.pk}
    if name == "outreach:door":
        return {"round_id": planned.pk, "stop_id": RoundStop.objects.get(round=planned).pk}
    return {}


@pytest.fixture
def channels_case(cast: Cast) -> dict[str, Any]:
    """A message and a video call of the professional to the north resident, a sign-up through its intake,
    a basisbaan day."""
    message = message_send(
        by=cast.professional, draft=Draft(text="Hallo", resident_ids=(cast.resident_north.pk,)), base_url="http://x/"
    )
    call = video_call_plan(
        by=cast.professional,
        resident_id=cast.resident_north.pk,
        scheduled_at=timezone.now() + timedelta(hours=1),
        base_url="http://x/",
    )
    application = volunteer_sign_up(
        organisation=cast.organisation,
        sign_up=SignUp(first_name="Ans", last_name="Bos", phone="0612345678", consent=True),
    )
    yesterday = timezone.localdate() - timedelta(days=1)
    intake = Intake(
        conversation_on=yesterday, reference_checked_on=yesterday, vog_requested_on=yesterday, vog_received_on=yesterday
    )
    application_intake_save(by=cast.coordinator, application_id=application.pk, intake=intake)
    sheet = time_entry_add(
        by=cast.basisbaan,
        day=timezone.localdate() - timedelta(days=1),
        entry=Entry(kind="other", minutes=60, description="Flyers"),
    )
    upload = import_upload_create(
        by=cast.coordinator, kind="residents", file_name="bewoners.csv", content=b"voornaam;achternaam\nAnna;Bos\n"
    )
    return {
        "upload_id": upload.pk,
        "message_id": message.pk,
        "call_id": call.pk,
        "application_id": application.pk,
        "sheet_id": sheet.pk,
        "team_id": cast.team_north.pk,
    }


_CHANNELS_ARGS = {
    "messaging:detail": ("message_id",),
    "messaging:letters": ("message_id",),
    "messaging:letters_pdf": ("message_id",),
    "messaging:video_call": ("call_id",),
    "team:application": ("application_id",),
    "team:team": ("team_id",),
    "onboarding:import_columns": ("upload_id",),
    "onboarding:import_status": ("upload_id",),
    "onboarding:import_progress": ("upload_id",),
}


def _channels_path(name: str, cast: Cast, case: dict[str, Any]) -> str | None:
    if name in _CHANNELS_ARGS:
        return reverse(name, kwargs={key: case[key] for key in _CHANNELS_ARGS[name]})
    if name == "messaging:video_call_plan":
        return reverse(name, kwargs={"resident_id": cast.resident_north.pk})
    if name == "team:signup":
        return reverse(name, kwargs={"org_slug": cast.organisation.slug})
    if name == "team:member_disable_confirm":
        return reverse(name, kwargs={"team_id": cast.team_north.pk, "user_id": cast.professional.pk})
    if name == "team:account_disable_confirm":
        return reverse(name, kwargs={"user_id": cast.professional.pk})
    if name == "onboarding:resident_invite":
        return reverse(name, kwargs={"resident_id": cast.resident_north.pk})
    if name in ("onboarding:accept", "onboarding:resident_accept", "messaging:email_unsubscribe"):
        return reverse(name, kwargs={"token": "verzonnen"})
    if name == "onboarding:member":
        return reverse(name, kwargs={"user_id": cast.professional.pk})
    if name in ("team:set_password", "accounts:password_reset_confirm"):
        return reverse(name, kwargs={"uidb64": "MQ", "token": "abc-123"})
    return None


def _path(
    name: str,
    cast: Cast,
    concern: Concern,
    activity: Activity,
    help_case: dict[str, Any],
    game: Game,
    planned: OutreachRound,
    channels_case: dict[str, Any],
) -> str:
    if name.startswith("outreach:"):
        return reverse(name, kwargs=_outreach_arguments(name, planned))
    special = _channels_path(name, cast, channels_case)
    if special is not None:
        return special
    if name == "help:request_create":
        return reverse(name) + f"?resident={cast.resident_north.pk}"
    arguments: dict[str, Any] = {key: help_case[key] for key in _HELP_ARGS.get(name, ())}
    if name == "insights:export":
        return reverse(name, kwargs={"name": "channel_mix", "fmt": "csv"})
    if name == "insights:quarterly":
        return reverse(name) + "?quarter=2026-Q1"  # a quarter that has begun on the suite's clock
    if name.startswith("bingo:"):
        arguments = {"activity_id": activity.pk} if name == "bingo:games" else {"game_id": game.pk}
    if name == "activities:own_cancel":
        arguments["registration_id"] = activity.registrations.get().pk
    if name in (
        "activities:public_detail",
        "activities:manage",
        "activities:edit",
        "activities:cancel",
        "feeds:poster",
    ):
        arguments["activity_id"] = activity.pk
    if name == "feeds:organisation":
        arguments["org_slug"] = cast.organisation.slug
    if name == "feeds:neighbourhood":
        arguments["neighbourhood_code"] = cast.north.code
    if name == "activities:public_registration":
        arguments["token"] = activity.registrations.get().cancel_token
    listed = (
        "people:list",
        "people:create",
        "people:address_not_found",
        "people:own_data",
        "people:inspection_requests",
    )
    if (name.startswith("people:") and name not in listed) or name in ("contacts:raise", "contacts:timeline"):
        arguments["resident_id"] = cast.resident_north.pk
    if name == "contacts:concern":
        arguments["concern_id"] = concern.pk
    if name in ("places:detail", "feeds:place"):
        arguments["place_id"] = activity.place_id
    return reverse(name, kwargs=arguments)


@pytest.mark.parametrize("role", ROLES)
def test_pages_answer_as_the_matrix_says(
    cast: Cast, concern, activity, help_case, game, outreach_round, channels_case, client, role
):
    if role != "anonymous":
        client.force_login(getattr(cast, role))
    answers = {
        name: client.get(
            _path(name, cast, concern, activity, help_case, game, outreach_round, channels_case)
        ).status_code
        for name in PAGES
    }
    assert answers == {name: expected[role] for name, expected in PAGES.items()}


@pytest.mark.parametrize("role", ROLES)
def test_api_reads_answer_as_the_matrix_says(
    cast: Cast, activity, help_case, game, outreach_round, channels_case, client, role
):
    headers = {}
    if role != "anonymous":
        raw, _token = api_token_issue(user=getattr(cast, role))
        headers = {"Authorization": f"Bearer {raw}"}
    answers = {
        path: client.get(
            path.format(
                resident_id=cast.resident_north.pk,
                place_id=activity.place_id,
                task_id=help_case["task_id"],
                survey_id=help_case["survey_id"],
                game_id=game.pk,
                card_code=game.cards.get(index=0).code,
                round_id=outreach_round.pk,
                message_id=channels_case["message_id"],
                worker_id=cast.professional.pk,
                application_id=channels_case["application_id"],
                team_id=channels_case["team_id"],
                user_id=cast.professional.pk,
            ),
            headers=headers,
        ).status_code
        for path in API_READS
    }
    assert answers == {path: expected[role] for path, expected in API_READS.items()}


CAN_WRITE = {"professional", "coordinator"}
IN_SCOPE_ELSEWHERE = {"other_professional", "outsider_coordinator"}  # may write, but not about this resident


def _write_row(success: int, out_of_scope: int) -> dict[str, int]:
    row = dict.fromkeys(ROLES, 404)
    row |= dict.fromkeys(CAN_WRITE, success) | dict.fromkeys(IN_SCOPE_ELSEWHERE, out_of_scope)
    return row | {"anonymous": 401}


# (method, path) -> expected status per role, with a valid body about the north resident
API_WRITES: dict[tuple[str, str], dict[str, int]] = {
    ("post", "/api/v1/residents"): _write_row(201, 422),
    ("patch", "/api/v1/residents/{resident_id}"): _write_row(200, 404),
    ("post", "/api/v1/residents/{resident_id}/erase"): dict.fromkeys(ROLES, 404)
    | {"coordinator": 200, "anonymous": 401},
    ("post", "/api/v1/contacts"): _write_row(201, 422),
    ("post", "/api/v1/concerns"): _write_row(201, 422),
    ("patch", "/api/v1/concerns/{concern_id}"): _write_row(200, 404),
    ("delete", "/api/v1/auth/token"): dict.fromkeys(ROLES, 204) | {"anonymous": 401},
    ("post", "/api/v1/places"): dict.fromkeys(ROLES, 404) | dict.fromkeys(COORDINATORS, 201) | {"anonymous": 401},
    # Planners of another organisation may plan, but not at this organisation's park.
    ("post", "/api/v1/activities"): dict.fromkeys(ROLES, 404)
    | dict.fromkeys(PLANNERS, 201)
    | {"outsider_coordinator": 422, "anonymous": 401},
    # Anyone may register with name, phone and consent: the public registration.
    ("post", "/api/v1/activities/{activity_id}/registrations"): dict.fromkeys(ROLES, 201),
    ("delete", "/api/v1/registrations/{registration_id}"): dict.fromkeys(ROLES, 404)
    | dict.fromkeys(MANAGERS, 204)
    | {"anonymous": 401},
    ("post", "/api/v1/activities/{activity_id}/attendance"): dict.fromkeys(ROLES, 404)
    | dict.fromkeys(MANAGERS, 200)
    | {"anonymous": 401},
    # Workers in scope enter requests; a resident only for themselves (the north resident is not them).
    ("post", "/api/v1/help/requests"): _write_row(201, 422) | {"resident": 422},
    # Helpers write their own offer; a worker has none of their own to write (helper_id is theirs).
    ("post", "/api/v1/help/offers"): _write_row(422, 422) | dict.fromkeys(OFFERERS, 201),
    ("post", "/api/v1/help/match"): dict.fromkeys(ROLES, 404) | dict.fromkeys(WORKLISTS, 202) | {"anonymous": 401},
    ("post", "/api/v1/help/matches/{match_id}/accept"): dict.fromkeys(ROLES, 404)
    | {"volunteer": 200, "anonymous": 401},
    ("post", "/api/v1/help/matches/{match_id}/decline"): dict.fromkeys(ROLES, 404)
    | {"volunteer": 200, "anonymous": 401},
    ("post", "/api/v1/help/matches/{match_id}/done"): _write_row(200, 404) | {"volunteer": 200},
    # Helpers at other activities may run bingo, but not at this one: the activity in the body is refused.
    ("post", "/api/v1/bingo/games"): dict.fromkeys(ROLES, 404)
    | dict.fromkeys(MANAGERS, 201)
    | {"basisbaan": 422, "outsider_coordinator": 422, "anonymous": 401},
    ("post", "/api/v1/bingo/games/{game_id}/draw"): dict.fromkeys(ROLES, 404)
    | dict.fromkeys(MANAGERS, 201)
    | {"anonymous": 401},
    ("post", "/api/v1/bingo/games/{game_id}/winners"): dict.fromkeys(ROLES, 404)
    | dict.fromkeys(MANAGERS, 201)
    | {"anonymous": 401},
    ("post", "/api/v1/bingo/games/{game_id}/close"): dict.fromkeys(ROLES, 404)
    | dict.fromkeys(MANAGERS, 200)
    | {"anonymous": 401},
    # Planners of the north (tomorrow: today's round has its only resident already); others plan elsewhere.
    ("post", "/api/v1/outreach/rounds"): _write_row(202, 422),
    # The planners of the round and its walker tick a door.
    ("post", "/api/v1/outreach/rounds/{round_id}/visits/{stop_id}"): _write_row(201, 404) | {"volunteer": 201},
    # Senders write about residents in scope; elsewhere the resident in the body is refused.
    ("post", "/api/v1/messages"): _write_row(201, 422),
    ("post", "/api/v1/video-calls"): _write_row(201, 422),
    ("post", "/api/v1/video-calls/{call_id}/complete"): _write_row(200, 404),
    # Anyone may sign up as a volunteer: the public sign-up.
    ("post", "/api/v1/volunteers/signup"): dict.fromkeys(ROLES, 201),
    ("post", "/api/v1/timesheets"): dict.fromkeys(ROLES, 404)
    | dict.fromkeys(WORKERS_WITH_HOURS, 201)
    | {"anonymous": 401},
    ("post", "/api/v1/timesheets/{sheet_id}/approve"): dict.fromkeys(ROLES, 404)
    | {"coordinator": 200, "anonymous": 401},
    ("post", "/api/v1/timesheets/{sheet_id}/return"): dict.fromkeys(ROLES, 404)
    | {"coordinator": 200, "anonymous": 401},
    # The park's coordinator changes it; it has an activity, so it cannot be removed (409).
    ("patch", "/api/v1/places/{place_id}"): dict.fromkeys(ROLES, 404) | {"coordinator": 200, "anonymous": 401},
    ("delete", "/api/v1/places/{place_id}"): dict.fromkeys(ROLES, 404) | {"coordinator": 409, "anonymous": 401},
    ("put", "/api/v1/organisation/distancing-rule"): dict.fromkeys(ROLES, 404)
    | dict.fromkeys(COORDINATORS, 200)
    | {"anonymous": 401},
    # The check-in is the professional's, who entered the request.
    ("post", "/api/v1/help/check-ins/{check_in_id}/done"): dict.fromkeys(ROLES, 404)
    | {"professional": 200, "anonymous": 401},
    ("put", "/api/v1/volunteers/applications/{application_id}/intake"): dict.fromkeys(ROLES, 404)
    | {"coordinator": 200, "anonymous": 401},
    ("post", "/api/v1/volunteers/applications/{application_id}/activate"): dict.fromkeys(ROLES, 404)
    | {"coordinator": 200, "anonymous": 401},
    ("post", "/api/v1/volunteers/applications/{application_id}/decline"): dict.fromkeys(ROLES, 404)
    | {"coordinator": 200, "anonymous": 401},
}
SIGN_IN = {("post", "/api/v1/auth/token")}  # anonymous by design; covered by tests/api/test_auth.py


def _bodies(cast: Cast, activity: Activity, game: Game) -> dict[tuple[str, str], dict[str, Any]]:
    from django.utils import timezone

    north = cast.resident_north.pk
    return {
        ("post", "/api/v1/residents"): {
            "first_name": "Els",
            "last_name": "Smit",
            "birth_year": 1950,
            "neighbourhood_id": cast.north.pk,
            "street": "Esdoornlaan",
            "house_number": 2,
            "postcode": "1234AB",
        },
        ("patch", "/api/v1/residents/{resident_id}"): {"phone": "0612345678"},
        ("post", "/api/v1/residents/{resident_id}/erase"): {},
        ("post", "/api/v1/contacts"): {
            "resident_ids": [north],
            "channel": "phone",
            "duration_minutes": 5,
            "started_at": timezone.now().isoformat(),
        },
        ("post", "/api/v1/concerns"): {"resident_id": north, "category": "food", "severity": 1},
        ("patch", "/api/v1/concerns/{concern_id}"): {"status": "in_progress"},
        ("delete", "/api/v1/auth/token"): {},
        ("post", "/api/v1/places"): {"name": "Bieb", "kind": "library", "neighbourhood_id": None},
        ("post", "/api/v1/activities"): {
            "title": "Wandeling",
            "kind": "walk",
            "place_id": activity.place_id,
            "max_participants": 10,
            "starts_at": (timezone.now() + timedelta(days=2)).isoformat(),
            "ends_at": (timezone.now() + timedelta(days=2, hours=1)).isoformat(),
        },
        ("post", "/api/v1/activities/{activity_id}/registrations"): {
            "name": "Buur",
            "phone": "0687654321",
            "consent": True,
        },
        ("delete", "/api/v1/registrations/{registration_id}"): {},
        ("post", "/api/v1/activities/{activity_id}/attendance"): {"registration_ids": [], "walk_ins": ["Kees"]},
        ("post", "/api/v1/help/requests"): {
            "resident_id": north,
            "kind": "meal",
            "last_day": (timezone.localdate() + timedelta(days=5)).isoformat(),
        },
        ("post", "/api/v1/help/offers"): {
            "neighbourhood_id": cast.north.pk,
            "kinds": ["walk"],
            "radius_m": 800,
            "max_open_tasks": 1,
        },
        ("post", "/api/v1/help/match"): {},
        ("post", "/api/v1/help/matches/{match_id}/accept"): {},
        ("post", "/api/v1/help/matches/{match_id}/decline"): {},
        ("post", "/api/v1/help/matches/{match_id}/done"): {"note": "Gedaan"},
        ("post", "/api/v1/bingo/games"): {"activity_id": activity.pk, "cards": 10},
        ("post", "/api/v1/bingo/games/{game_id}/draw"): {},
        ("post", "/api/v1/bingo/games/{game_id}/winners"): {
            "card_code": game.cards.get(index=0).code,
            "prize": "Taart",
        },
        ("post", "/api/v1/bingo/games/{game_id}/close"): {},
        ("post", "/api/v1/outreach/rounds"): {
            "neighbourhood_id": cast.north.pk,
            "date": (timezone.localdate() + timedelta(days=1)).isoformat(),
            "kinds": ["porch_talk", "intercom"],
            "walkers": [
                {
                    "worker_id": cast.volunteer.pk,
                    "starts": "10:00",
                    "ends": "12:00",
                    "postcode": cast.resident_north.household.postcode,  # type: ignore[union-attr]
                    "house_number": cast.resident_north.household.house_number,  # type: ignore[union-attr]
                }
            ],
        },
        ("post", "/api/v1/outreach/rounds/{round_id}/visits/{stop_id}"): {"outcome": "not_home"},
        ("post", "/api/v1/messages"): {"resident_ids": [north], "text": "Hallo {first_name}"},
        ("post", "/api/v1/video-calls"): {
            "resident_id": north,
            "scheduled_at": (timezone.now() + timedelta(hours=1)).isoformat(),
        },
        ("post", "/api/v1/video-calls/{call_id}/complete"): {"duration_minutes": 5},
        ("post", "/api/v1/volunteers/signup"): {
            "organisation": cast.organisation.slug,
            "first_name": "Ans",
            "last_name": "Bos",
            "email": "ans@example.org",
            "consent": True,
        },
        ("post", "/api/v1/timesheets"): {
            "day": (timezone.localdate() - timedelta(days=2)).isoformat(),
            "entries": [{"kind": "other", "hours": 1.5, "description": "Flyers rondbrengen"}],
        },
        ("post", "/api/v1/timesheets/{sheet_id}/approve"): {},
        ("post", "/api/v1/timesheets/{sheet_id}/return"): {"note": "Welke dag?"},
        ("patch", "/api/v1/places/{place_id}"): {"seating": True, "area_m2": 500},
        ("delete", "/api/v1/places/{place_id}"): {},
        ("put", "/api/v1/organisation/distancing-rule"): {
            "distancing_rule": True,
            "indoor_m2_per_person": 4,
            "outdoor_m2_per_person": 6,
        },
        ("post", "/api/v1/help/check-ins/{check_in_id}/done"): {"note": "Gaat goed"},
        ("put", "/api/v1/volunteers/applications/{application_id}/intake"): {
            "conversation_on": (timezone.localdate() - timedelta(days=3)).isoformat(),
            "reference_name": "Piet, 0611111111",
        },
        ("post", "/api/v1/volunteers/applications/{application_id}/activate"): {"team_id": cast.team_north.pk},
        ("post", "/api/v1/volunteers/applications/{application_id}/decline"): {"note": "Verhuisd"},
    }


def test_every_api_write_is_in_the_matrix():
    paths = api.get_openapi_schema()["paths"]
    writes = {(method, path) for path, operations in paths.items() for method in operations if method != "get"}
    assert writes - set(API_WRITES) - SIGN_IN == set()


@pytest.mark.parametrize("operation", list(API_WRITES), ids=lambda operation: " ".join(operation))
@pytest.mark.parametrize("role", ROLES)
def test_api_writes_answer_as_the_matrix_says(
    cast: Cast, concern, activity, help_case, game, outreach_round, channels_case, client, role, operation
):
    method, path = operation
    headers = {}
    if role != "anonymous":
        raw, _token = api_token_issue(user=getattr(cast, role))
        headers = {"Authorization": f"Bearer {raw}"}
    url = path.format(
        resident_id=cast.resident_north.pk,
        concern_id=concern.pk,
        activity_id=activity.pk,
        registration_id=activity.registrations.get().pk,
        place_id=activity.place_id,
        match_id=help_case["match_id"],
        game_id=game.pk,
        round_id=outreach_round.pk,
        stop_id=RoundStop.objects.get(round=outreach_round).pk,
        call_id=channels_case["call_id"],
        sheet_id=channels_case["sheet_id"],
        check_in_id=help_case["check_in_id"],
        application_id=channels_case["application_id"],
    )
    send = getattr(client, method)
    response = send(url, _bodies(cast, activity, game)[operation], content_type="application/json", headers=headers)
    assert response.status_code == API_WRITES[operation][role], response.content
