"""A keyed write is done once: never half, never twice, even when an attempt is cut off or doubled."""

import threading
import time
from datetime import timedelta
from typing import Any
from unittest import mock

import pytest
import time_machine
from django.db import connections
from django.test import Client
from django.utils import timezone

from tests.conftest import Cast
from veerkracht.contacts.models import Contact
from veerkracht.contacts.services import contact_log
from veerkracht.core.models import IdempotencyRecord
from veerkracht.core.services import api_token_issue
from veerkracht.people.retention import retention_apply, retention_apply_global


def _post(client: Client, cast: Cast, raw: str, key: str, started_at: str = "") -> Any:
    body = {
        "resident_ids": [cast.resident_north.pk],
        "channel": "phone",
        "duration_minutes": 5,
        "started_at": started_at or timezone.now().isoformat(),
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
    moment = timezone.now().isoformat()  # a retry sends what the first attempt sent

    def send() -> None:
        try:
            answers.append(_post(Client(), cast, raw, "same-tap", moment))
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


def _contact_body(cast: Cast, **overrides: Any) -> dict[str, Any]:
    body = {
        "resident_ids": [cast.resident_north.pk],
        "channel": "phone",
        "duration_minutes": 5,
        "started_at": timezone.now().isoformat(),
    }
    return {**body, **overrides}


def test_a_key_sent_again_with_another_body_answers_422_and_writes_nothing(cast: Cast, api_as):
    api = api_as("professional")
    assert api.post("/contacts", _contact_body(cast), key="k-2").status_code == 201
    other = api.post("/contacts", _contact_body(cast, duration_minutes=50), key="k-2")
    assert other.status_code == 422
    [error] = other.json()["detail"]  # the API's 422 shape, naming the header
    assert (error["loc"], error["type"]) == (["header", "Idempotency-Key"], "idempotency_key_reused")
    assert Contact.objects.count() == 1


def test_the_same_key_of_two_users_are_two_keys(cast: Cast, api_as):
    assert api_as("professional").post("/contacts", _contact_body(cast), key="k-3").status_code == 201
    answer = api_as("coordinator").post("/contacts", _contact_body(cast), key="k-3")
    assert answer.status_code == 201
    assert "Idempotent-Replayed" not in answer
    assert Contact.objects.count() == 2


def test_a_form_sent_again_with_other_details_gets_a_dutch_page(cast: Cast, client: Client):
    client.force_login(cast.professional)
    url = f"/bewoners/{cast.resident_north.pk}/contact/"
    assert client.post(url, {"channel": "phone", "duration_minutes": "5", "idempotency_key": "f-1"}).status_code < 400
    other = client.post(url, {"channel": "phone", "duration_minutes": "45", "idempotency_key": "f-1"})
    assert other.status_code == 422
    assert "al verstuurd met andere gegevens" in other.content.decode()
    assert Contact.objects.count() == 1


def test_a_stored_answer_is_sealed_and_carries_the_organisation(cast: Cast, api_as):
    note = "Mevrouw Bakker vertelde over haar zoon"
    answer = api_as("professional").post("/contacts", _contact_body(cast, note=note), key="geheime-sleutel")
    assert answer.status_code == 201
    record = IdempotencyRecord.objects.get()
    assert record.organisation_id == cast.organisation.pk
    assert "geheime-sleutel" not in record.key
    stored = bytes(record.body)
    assert note.encode() not in stored
    assert cast.resident_north.last_name.encode() not in stored
    assert b"phone" not in stored


def test_a_stored_answer_expires_after_24_hours_and_retention_removes_it(cast: Cast, api_as):
    api = api_as("professional")
    assert api.post("/contacts", _contact_body(cast), key="k-4").status_code == 201
    with time_machine.travel(timezone.now() + timedelta(hours=25)):
        later = api_as("professional").post("/contacts", _contact_body(cast), key="k-4")  # tokens live shorter
    assert later.status_code == 201
    assert "Idempotent-Replayed" not in later  # expired: the key is new again
    assert Contact.objects.count() == 2
    with time_machine.travel(timezone.now() + timedelta(hours=60)):
        retention_apply(organisation=cast.organisation, now=timezone.now(), dry_run=False)
        retention_apply_global(now=timezone.now(), dry_run=False)  # anonymous callers' keys too
    assert not IdempotencyRecord.objects.exists()
