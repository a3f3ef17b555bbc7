"""An API client per role of the cast, signed in with a real bearer token."""

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from tests.conftest import Cast
from veerkracht.core.services import api_token_issue


class ApiClient:
    """JSON in and out, with the caller's bearer token."""

    def __init__(self, client: Client, token: str) -> None:
        self.client, self.headers = client, {"Authorization": f"Bearer {token}"}

    def get(self, path: str, **params: Any) -> Any:
        return self.client.get(f"/api/v1{path}", params, headers=self.headers)

    def post(self, path: str, body: Any = None, key: str | None = None) -> Any:
        headers = {**self.headers, **({"Idempotency-Key": key} if key else {})}
        return self.client.post(f"/api/v1{path}", body or {}, content_type="application/json", headers=headers)

    def patch(self, path: str, body: Any) -> Any:
        return self.client.patch(f"/api/v1{path}", body, content_type="application/json", headers=self.headers)


@pytest.fixture
def api_as(cast: Cast) -> Callable[[str], ApiClient]:
    def make(role: str) -> ApiClient:
        raw, _token = api_token_issue(user=getattr(cast, role))
        return ApiClient(Client(), raw)

    return make
