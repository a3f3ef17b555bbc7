"""A keyed write is done once: never half, never twice, even when an attempt is cut off or doubled."""

import threading
import time
from typing import Any
from unittest import mock

import pytest
from django.db import connections
from django.test import Client
from django.utils import timezone

from tests.conftest import Cast
from veerkracht.contacts.models import Contact
from veerkracht.contacts.services import contact_log
from veerkracht.core.models import IdempotencyRecord
from veerkracht.core.services import api_token_issue


def _post(client: Client, cast: Cast, raw: str, key: str) -> Any:
    body = {
        "resident_ids": [cast.resident_north.pk],
        "channel": "phone",
        "duration_minutes": 5,
        "started_at": timezone.now().isoformat(),
    }
    headers = {"Authorization": f"Bearer {raw}", "Idempotency-Key": key}
    return client.post("/api/v1/contacts", body, content_type="application/json", headers=headers)


def test_a_write_whose_answer_is_a_server_error_leaves_nothing_and_may_be_sent_again(cast: Cast):
    raw, _token = api_token_issue(user=cast.professional)
    client = Client(raise_request_exception=False)
    real = contact_log

    def saved_then_failed(**kwargs: Any) -> Any:
        real(**kwargs)  # the contact is written, then the request fails
        raise RuntimeError("after the write")

    with mock.patch("veerkracht.contacts.api.contact_log", saved_then_failed):
        assert _post(client, cast, raw, "k-1").status_code == 500
    assert not Contact.objects.exists()
    assert not IdempotencyRecord.objects.exists()
    assert _post(client, cast, raw, "k-1").status_code == 201
    assert Contact.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_requests_with_the_same_key_at_once_write_once_and_answer_alike(cast: Cast):
    raw, _token = api_token_issue(user=cast.professional)
    real = contact_log

    def slow(**kwargs: Any) -> Any:
        time.sleep(0.3)  # the second request arrives while the first is still writing
        return real(**kwargs)

    answers: list[Any] = []

    def send() -> None:
        try:
            answers.append(_post(Client(), cast, raw, "same-tap"))
        finally:
            connections.close_all()

    with mock.patch("veerkracht.contacts.api.contact_log", slow):
        threads = [threading.Thread(target=send) for _ in range(2)]
        for thread in threads:
            thread.start()
            time.sleep(0.05)
        for thread in threads:
            thread.join()
    assert [answer.status_code for answer in answers] == [201, 201]
    assert answers[0].json() == answers[1].json()
    assert Contact.objects.count() == 1
