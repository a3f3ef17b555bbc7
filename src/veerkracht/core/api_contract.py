"""The error answers of the JSON API: one body shape per kind, documented on every operation.

The exception handlers in ``veerkracht/api.py`` and the middleware that answers API requests
early (NUL characters, idempotency keys, database outages) all answer with these bodies. An
operation cannot know which of them a request meets first (no token: 401 before its own code
runs), so every operation documents all of them; generated clients then read an error answer
instead of raising on an undocumented status. They are added to the OpenAPI document here, in
one place, so that a new router cannot forget them (tests/api/test_contract.py walks the document).
"""

from typing import Any

from ninja import NinjaAPI, Schema
from ninja.openapi.schema import OpenAPISchema


class ErrorOut(Schema):
    detail: str


class FieldErrorOut(Schema):
    loc: list[str | int]
    msg: str
    type: str


class ValidationErrorOut(Schema):
    """422: each entry names the offending field, e.g. ``["body", "birth_year"]`` or ``["query", "page_size"]``."""

    detail: list[FieldErrorOut]


ERROR_ANSWERS: dict[int, tuple[type[Schema], str]] = {
    400: (ErrorOut, "The body could not be parsed as JSON."),
    401: (ErrorOut, "No valid token, or wrong credentials."),
    403: (ErrorOut, "Refused until the caller has done something first (e.g. set up a second factor)."),
    404: (ErrorOut, "Not found, or outside what the caller may see (never 403, so outsiders learn nothing)."),
    409: (ErrorOut, "Conflicts with the record's state, or with an earlier request under the same Idempotency-Key."),
    422: (ValidationErrorOut, "The input was refused; each entry names the field."),
    429: (ErrorOut, "Too many attempts; try again later."),
    503: (ErrorOut, "The database is briefly unavailable; try again after Retry-After seconds."),
}
DOCUMENTED_ERRORS = frozenset(ERROR_ANSWERS)
_REF = "#/components/schemas/{model}"
_METHODS = frozenset({"get", "put", "post", "delete", "options", "head", "patch", "trace"})


def _component_schemas() -> dict[str, dict[str, Any]]:
    components: dict[str, dict[str, Any]] = {}
    for model in {model for model, _description in ERROR_ANSWERS.values()}:
        schema = model.model_json_schema(ref_template=_REF)
        components.update(schema.pop("$defs", {}))
        components[model.__name__] = schema
    return components


def add_error_answers(document: dict[str, Any]) -> dict[str, Any]:
    """Document every error answer on every operation that does not document it itself."""
    components = document.setdefault("components", {}).setdefault("schemas", {})
    for name, schema in _component_schemas().items():
        components.setdefault(name, schema)
    for path_item in document.get("paths", {}).values():
        for method, operation in path_item.items():
            if method not in _METHODS:
                continue
            responses = operation.setdefault("responses", {})
            for status, (model, description) in ERROR_ANSWERS.items():
                if status in responses or str(status) in responses:  # ninja keys its own by int
                    continue
                responses[status] = {
                    "description": description,
                    "content": {"application/json": {"schema": {"$ref": _REF.format(model=model.__name__)}}},
                }
    return document


class ContractAPI(NinjaAPI):
    """NinjaAPI whose OpenAPI document lists the error answers (the extension point ninja's maintainer names)."""

    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> OpenAPISchema:
        document = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        add_error_answers(document)
        return document
