"""The API's contract: every operation documents its error answers, and the answers have those bodies."""

from typing import Any

import pytest
from django.test import Client
from pydantic import ValidationError

from tests.conftest import Cast
from veerkracht.api import api
from veerkracht.core.api_contract import DOCUMENTED_ERRORS, ErrorOut, ValidationErrorOut

METHODS = {"get", "put", "post", "delete", "patch"}
REQUIRED = {401, 403, 404, 409, 422, 429}

pytestmark = pytest.mark.django_db  # the middleware sets the organisation on PostgreSQL


def _document() -> dict[str, Any]:
    return Client().get("/api/v1/openapi.json").json()


def _operations(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method.upper(), path, operation)
        for path, item in document["paths"].items()
        for method, operation in item.items()
        if method in METHODS
    ]


def _resolve(document: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    reference = schema.get("$ref", "")
    name = reference.removeprefix("#/components/schemas/")
    return document["components"]["schemas"][name] if reference else schema


def test_every_operation_documents_every_error_answer_with_a_body():
    document = _document()
    operations = _operations(document)
    assert len(operations) >= 30
    assert REQUIRED <= DOCUMENTED_ERRORS
    missing = []
    for method, path, operation in operations:
        for status in sorted(DOCUMENTED_ERRORS):
            answer = operation["responses"].get(str(status), {})
            schema = answer.get("content", {}).get("application/json", {}).get("schema")
            if schema is None or "detail" not in _resolve(document, schema).get("properties", {}):
                missing.append(f"{method} {path} {status}")
    assert missing == []


def test_422_documents_the_field_list_and_the_rest_a_message():
    document = _document()
    answers = document["paths"]["/api/v1/residents"]["get"]["responses"]
    invalid = _resolve(document, answers["422"]["content"]["application/json"]["schema"])
    not_found = _resolve(document, answers["404"]["content"]["application/json"]["schema"])
    assert invalid["properties"]["detail"]["type"] == "array"
    assert not_found["properties"]["detail"]["type"] == "string"


def test_an_operation_keeps_its_own_documented_error_answer():
    """/auth/token documents its own 401/403/429; the common answers fill only the gaps."""
    answers = api.get_openapi_schema()["paths"]["/api/v1/auth/token"]["post"]["responses"]
    assert {200, 401, 403, 404, 409, 422, 429} <= set(answers)
    assert len({str(status) for status in answers}) == len(answers)  # no status twice (as int and as text)


def _body_is(model: type[ErrorOut] | type[ValidationErrorOut], body: Any) -> bool:
    try:
        model.model_validate(body, strict=True)
    except ValidationError:
        return False
    return True


def test_the_answers_have_the_documented_bodies(cast: Cast, api_as):
    api_client = api_as("professional")
    anonymous = Client().get("/api/v1/residents")
    assert anonymous.status_code == 401
    assert _body_is(ErrorOut, anonymous.json())
    not_found = api_client.get("/residents/999999999")
    assert not_found.status_code == 404
    assert _body_is(ErrorOut, not_found.json())
    invalid = api_client.get("/residents", page="nul")
    assert invalid.status_code == 422
    assert _body_is(ValidationErrorOut, invalid.json())
    nul = api_client.get("/residents", q="a\x00b")
    assert nul.status_code == 422
    assert _body_is(ValidationErrorOut, nul.json())


@pytest.mark.parametrize("body", [b"{not json", b"\xff\xfe"])
def test_a_body_that_is_not_json_answers_400_with_a_message(cast: Cast, api_as, body):
    api_client = api_as("professional")
    response = Client().generic(
        "POST", "/api/v1/contacts", body, content_type="application/json", headers=api_client.headers
    )
    assert response.status_code == 400
    assert _body_is(ErrorOut, response.json())
