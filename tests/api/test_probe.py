# ruff: noqa: F811 - the access matrix's fixtures are imported by name and used as arguments
"""Every field of every write sent as null, a date far out, a NUL or a huge number: never a 500.

The fuzzer (test_fuzz.py) draws a few examples per operation; this probe is exhaustive over the
fields instead, for the inputs that once crashed (issue 20: ``"languages": null``, 9999-12-31).
"""

from typing import Any

import pytest
from django.test import Client

from tests.api.test_fuzz import _real_ids
from tests.conftest import Cast
from tests.test_access_matrix import (  # noqa: F401 - fixtures
    activity,
    channels_case,
    concern,
    game,
    help_case,
    outreach_round,
)
from veerkracht.core.services import api_token_issue

FAR = {"date": "9999-12-31", "date-time": "9999-12-31T23:00:00+01:00"}
ODD = ["a\x00b", "2026-13", "0000-01", "-1", "9" * 30, "9999-Q4"]  # for every query parameter
LONG_AGO = {"date": "0001-01-01", "date-time": "0001-01-01T00:00:00+00:00"}


def _resolve(document: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def _formats(document: dict[str, Any], schema: dict[str, Any]) -> set[str]:
    schema = _resolve(document, schema)
    found = {schema.get("format", ""), schema.get("type", "")}
    for option in schema.get("anyOf", []):
        found |= _formats(document, option)
    return found


def _probes(document: dict[str, Any], body: dict[str, Any]) -> list[dict[str, Any]]:
    """One body per field and kind of bad value."""
    probes: list[dict[str, Any]] = []
    for name, schema in _resolve(document, body).get("properties", {}).items():
        kinds = _formats(document, schema)
        probes.append({name: None})
        probes += [
            {name: values[kind]} for values in (FAR, LONG_AGO) for kind in ("date", "date-time") if kind in kinds
        ]
        if "string" in kinds:
            probes.append({name: "a\x00b"})
        if "integer" in kinds:
            probes.append({name: 10**30})
    return probes


def _writes(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method, path, operation["requestBody"]["content"]["application/json"]["schema"])
        for path, operations in document["paths"].items()
        for method, operation in operations.items()
        if method in ("post", "put", "patch")
        and "application/json" in operation.get("requestBody", {}).get("content", {})
    ]


@pytest.mark.parametrize("role", ["coordinator", "professional"])
def test_no_write_answers_5xx_to_null_far_dates_or_nul(
    cast: Cast, activity, concern, help_case, game, outreach_round, channels_case, role
):
    real = _real_ids(cast, activity, concern, help_case, game, outreach_round, channels_case)
    client = Client(raise_request_exception=False)
    document = client.get("/api/v1/openapi.json").json()
    failures = []
    for method, path, body in _writes(document):
        url = path.format(**{name: real.get(name, 1) for name in real})
        for probe in _probes(document, body):
            raw, _token = api_token_issue(user=getattr(cast, role))  # one operation revokes its own
            headers = {"Authorization": f"Bearer {raw}"}
            response = getattr(client, method)(url, probe, content_type="application/json", headers=headers)
            if response.status_code >= 500:
                failures.append((method, path, probe, response.status_code))
    assert failures == [], "\n".join(map(str, failures))


def test_no_read_answers_5xx_to_far_dates_or_nul_in_its_query(cast: Cast):
    client = Client(raise_request_exception=False)
    raw, _token = api_token_issue(user=cast.coordinator)
    headers = {"Authorization": f"Bearer {raw}"}
    document = client.get("/api/v1/openapi.json").json()
    failures = []
    for path, operations in document["paths"].items():
        if "get" not in operations or "{" in path:
            continue
        for parameter in operations["get"].get("parameters", []):
            kinds = _formats(document, parameter.get("schema", {}))
            values = [FAR[kind] for kind in ("date", "date-time") if kind in kinds] + ODD
            for value in values:
                response = client.get(path, {parameter["name"]: value}, headers=headers)
                if response.status_code >= 500:
                    failures.append((path, parameter["name"], value, response.status_code))
    assert failures == [], "\n".join(map(str, failures))
