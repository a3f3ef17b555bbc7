"""Logs are JSON lines with the request's ids and timing, and never carry what people typed."""

import io
import json
import logging
from typing import Any

import pytest

from tests import test_access_matrix as matrix
from tests.conftest import Cast
from veerkracht.core.logformat import JsonFormatter
from veerkracht.core.services import api_token_issue
from veerkracht.outreach.models import RoundStop

# The access matrix's fixtures and request bodies: one body for every write of the API.
activity, channels_case, concern = matrix.activity, matrix.channels_case, matrix.concern
game, help_case, outreach_round = matrix.game, matrix.help_case, matrix.outreach_round
API_WRITES, ROLES = matrix.API_WRITES, matrix.ROLES

MARKER = "Zq7MARKERxv"
FREE_TEXT = {"note", "text", "description", "title", "name", "first_name", "last_name", "prize", "walk_ins"}


@pytest.fixture
def log_lines():
    """Every line any logger writes, at every level, formatted as production formats it."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    try:
        yield lambda: [line for line in stream.getvalue().splitlines() if line]
    finally:
        root.removeHandler(handler)
        root.setLevel(old_level)


def _marked(value: Any, key: str = "", *, everything: bool) -> Any:
    if isinstance(value, dict):
        return {name: _marked(item, name, everything=everything) for name, item in value.items()}
    if isinstance(value, list):
        return [_marked(item, key, everything=everything) for item in value]
    if isinstance(value, str) and (everything or key in FREE_TEXT):
        return f"{value} {MARKER}" if not everything else MARKER
    return value


def _allowed_role(operation: tuple[str, str]) -> str | None:
    for role in ROLES:
        if role != "anonymous" and 200 <= API_WRITES[operation][role] < 300:
            return role
    return None


def test_a_marker_sent_through_every_api_write_is_in_no_log_line(cast: Cast, request, client, log_lines):
    """Each write twice: free text marked (accepted), then every string replaced (mostly refused,
    which takes the error paths). The marker reaches the database and no log line."""
    concern, activity, game, outreach_round = (
        request.getfixturevalue(name) for name in ("concern", "activity", "game", "outreach_round")
    )
    help_case, channels_case = request.getfixturevalue("help_case"), request.getfixturevalue("channels_case")
    accepted = 0
    stop_id = RoundStop.objects.get(round=outreach_round).pk  # erasing the resident (a write below) removes it
    # Erasing the resident goes last: the writes about them are refused after it.
    for operation in sorted(API_WRITES, key=lambda operation: operation[1].endswith("/erase")):
        role = _allowed_role(operation)
        if role is None:
            continue
        method, path = operation
        raw, _token = api_token_issue(user=getattr(cast, role))
        url = path.format(
            resident_id=cast.resident_north.pk,
            concern_id=concern.pk,
            activity_id=activity.pk,
            registration_id=activity.registrations.first().pk,
            place_id=activity.place_id,
            match_id=help_case["match_id"],
            game_id=game.pk,
            round_id=outreach_round.pk,
            stop_id=stop_id,
            call_id=channels_case["call_id"],
            sheet_id=channels_case["sheet_id"],
            check_in_id=help_case["check_in_id"],
            application_id=channels_case["application_id"],
            team_id=channels_case["team_id"],
            worker_id=cast.professional.pk,
        )
        body = matrix._bodies(cast, activity, game)[operation]
        for everything in (False, True):
            response = getattr(client, method)(
                url,
                _marked(body, everything=everything),
                content_type="application/json",
                headers={"Authorization": f"Bearer {raw}"},
            )
            assert response.status_code < 500, (operation, response.content)
            accepted += not everything and response.status_code < 300
    assert accepted >= 20  # most writes took the marked text

    lines = log_lines()
    requests = [json.loads(line) for line in lines if json.loads(line)["logger"] == "veerkracht.request"]
    assert len(requests) >= 2 * accepted
    for line in lines:
        assert MARKER not in line
    for request in requests:
        assert set(request) >= {"request_id", "user_id", "organisation_id", "method", "route", "status", "duration_ms"}
    assert {request["user_id"] for request in requests} - {None}
    assert cast.organisation.pk in {request["organisation_id"] for request in requests}


def test_a_request_line_carries_ids_and_timing_and_the_request_id_travels(cast: Cast, client, log_lines):
    client.force_login(cast.professional)
    response = client.get(f"/bewoners/{cast.resident_north.pk}/?q={MARKER}", headers={"X-Request-ID": "proxy-id-12345"})
    assert response["X-Request-ID"] == "proxy-id-12345"
    lines = [json.loads(line) for line in log_lines()]
    line = next(line for line in lines if line["logger"] == "veerkracht.request")
    assert line["request_id"] == "proxy-id-12345"
    assert line["user_id"] == cast.professional.pk
    assert line["organisation_id"] == cast.organisation.pk
    assert line["route"] == "bewoners/<int:resident_id>/"  # the pattern, without values
    assert line["status"] == 200
    assert isinstance(line["duration_ms"], float)
    assert all(MARKER not in json.dumps(line) for line in lines)  # the query string is never logged


def test_a_request_id_that_is_not_a_plain_token_is_replaced(db, client):
    response = client.get("/inloggen/", headers={"X-Request-ID": "<script>"})
    assert response["X-Request-ID"] != "<script>"
    assert len(response["X-Request-ID"]) == 32


def test_an_exception_is_logged_without_its_message(log_lines):
    try:
        raise ValueError(MARKER)
    except ValueError:
        logging.getLogger("veerkracht.test").exception("failed")
    (line,) = [json.loads(line) for line in log_lines()]
    assert line["exc_type"] == "ValueError"
    assert "test_log_privacy.py" in line["traceback"]
    assert MARKER not in json.dumps(line)
