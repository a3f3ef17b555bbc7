# ruff: noqa: F811 - the access matrix's fixtures are imported by name and used as arguments
"""The API fuzzed against its own OpenAPI document (schemathesis), authenticated as each role.

Every operation gets a few generated requests with made-up path ids and a few with the ids of
real records of the cast, so the fuzzer also reaches past the 404s. Three properties must hold for
every answer: no 5xx, its status is documented (core/api_contract adds the error answers to every
operation), and it matches the schema documented for that status.
The number of examples is bounded and the generation derandomised, so the suite stays fast and
a failure reproduces.
"""

from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

from tests.conftest import Cast
from tests.test_access_matrix import (  # noqa: F401 - fixtures
    ROLES,
    activity,
    channels_case,
    concern,
    game,
    help_case,
    outreach_round,
)
from veerkracht.activities.models import Activity
from veerkracht.bingo.models import Game
from veerkracht.contacts.models import Concern
from veerkracht.core.services import api_token_issue
from veerkracht.outreach.models import OutreachRound, RoundStop

EXAMPLES = 3
CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]
SCHEMA = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
OPERATIONS = [result.ok() for result in SCHEMA.get_all_operations()]  # type: ignore[union-attr]


def _real_ids(
    cast: Cast,
    planned: Activity,
    raised: Concern,
    help_ids: dict[str, Any],
    made: Game,
    walked: OutreachRound,
    channel_ids: dict[str, Any],
) -> dict:
    return {
        "survey_id": help_ids["survey_id"],
        "round_id": walked.pk,
        "stop_id": RoundStop.objects.filter(round=walked).values_list("pk", flat=True).first(),
        "message_id": channel_ids["message_id"],
        "call_id": channel_ids["call_id"],
        "sheet_id": channel_ids["sheet_id"],
        "resident_id": cast.resident_north.pk,
        "activity_id": planned.pk,
        "registration_id": planned.registrations.get().pk,
        "place_id": planned.place_id,
        "concern_id": raised.pk,
        "task_id": str(help_ids["task_id"]),
        "match_id": help_ids["match_id"],
        "game_id": made.pk,
        "card_code": made.cards.get(index=0).code,
        "worker_id": cast.professional.pk,
        "check_in_id": help_ids["check_in_id"],
        "application_id": channel_ids["application_id"],
        "team_id": channel_ids["team_id"],
        "user_id": cast.professional.pk,
    }


def _fuzz(operation: Any, headers: dict[str, str], path_parameters: dict[str, Any] | None) -> None:
    @given(case=operation.as_strategy(path_parameters=path_parameters))
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def run(case: Any) -> None:
        case.call_and_validate(headers=headers, checks=CHECKS)

    run()


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """As Django's test client does: the WSGI handler must not close the test's database connection."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def test_the_document_lists_every_operation():
    assert len(OPERATIONS) >= 30


@pytest.mark.parametrize("role", ROLES)
def test_no_operation_answers_5xx_or_breaks_its_schema(
    cast: Cast,
    activity,
    concern,
    help_case,
    game,
    outreach_round,
    channels_case,
    role,
):
    real = _real_ids(cast, activity, concern, help_case, game, outreach_round, channels_case)
    for operation in OPERATIONS:
        headers = {}
        if role != "anonymous":  # a fresh token each time: one operation revokes its own
            raw, _token = api_token_issue(user=getattr(cast, role))
            headers = {"Authorization": f"Bearer {raw}"}
        names = {parameter.name for parameter in operation.path_parameters}
        _fuzz(operation, headers, None)
        if names:
            _fuzz(operation, headers, {name: real[name] for name in names})
