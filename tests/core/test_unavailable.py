"""A database outage answers a clean 503, writes nothing half, and the next request works again.

The outage is simulated by making the connection's cursor fail the way a restarted PostgreSQL
makes it fail (Django wraps the driver's error into its ``OperationalError``). On PostgreSQL a
second test cuts the app's real connection with ``pg_terminate_backend``.
"""

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from unittest import mock

import pytest
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.test import Client
from django.utils import timezone

from tests.conftest import Cast
from veerkracht.contacts.models import Contact
from veerkracht.core.services import api_token_issue


def _driver_error() -> type[Exception]:
    if connection.vendor == "postgresql":
        import psycopg

        return psycopg.OperationalError
    return sqlite3.OperationalError


@contextmanager
def database_down() -> Iterator[None]:
    """Every new cursor fails as on a dead connection, through Django's error wrapper (as in an outage)."""
    wrapper = connections[DEFAULT_DB_ALIAS]
    error = _driver_error()("server closed the connection unexpectedly")
    with mock.patch.object(wrapper, "create_cursor", side_effect=error):
        yield


def _contact(cast: Cast) -> dict[str, Any]:
    started = timezone.now().isoformat()
    return {"resident_ids": [cast.resident_north.pk], "channel": "phone", "duration_minutes": 5, "started_at": started}


def _assert_clean_503(response: Any) -> None:
    assert response.status_code == 503
    assert response["Retry-After"].isdigit()
    body = response.content.decode()
    assert "Traceback" not in body
    assert "OperationalError" not in body
    assert "server closed" not in body


@pytest.fixture
def quiet_client() -> Client:
    """A client that shows the answer to a request that raised, as a browser would get it."""
    return Client(raise_request_exception=False)


def test_a_page_answers_503_in_dutch_when_the_database_is_down(cast: Cast, quiet_client):
    quiet_client.force_login(cast.professional)
    with database_down():
        response = quiet_client.get("/bewoners/")  # the session is read in a middleware: the 500 handler's path
    _assert_clean_503(response)
    assert "even niet bereikbaar" in response.content.decode()
    assert 'lang="en"' in response.content.decode()  # the language switch is there, without the database
    assert "Content-Security-Policy" in response


def test_the_outage_is_logged_as_one_line_without_a_traceback(cast: Cast, quiet_client, caplog):
    quiet_client.force_login(cast.professional)
    with database_down():
        quiet_client.get("/bewoners/")
    logged = [(record.name, record.levelname, record.exc_info) for record in caplog.records]
    assert ("veerkracht.core.unavailable", "WARNING", None) in logged
    assert all(exc_info is None for _name, _level, exc_info in logged)


def test_a_public_page_whose_view_meets_the_outage_answers_503(db, client):
    with database_down():
        response = client.get("/plekken/")  # anonymous: the first query is in the view
    _assert_clean_503(response)
    assert response["Content-Type"].startswith("text/html")


def test_the_api_answers_503_json_with_a_detail(cast: Cast, client):
    raw, _token = api_token_issue(user=cast.professional)
    with database_down():
        response = client.get("/api/v1/residents", headers={"Authorization": f"Bearer {raw}"})
    _assert_clean_503(response)
    assert set(response.json()) == {"detail"}


def test_an_api_write_during_the_outage_answers_503_json(cast: Cast, quiet_client):
    raw, _token = api_token_issue(user=cast.professional)
    with database_down():
        response = quiet_client.post(
            "/api/v1/contacts",
            _contact(cast),
            content_type="application/json",
            headers={"Authorization": f"Bearer {raw}", "Idempotency-Key": "outage-1"},
        )
    _assert_clean_503(response)
    assert response.json()["detail"]


@pytest.mark.django_db(transaction=True)
def test_the_broken_connection_is_closed_and_the_next_request_works(cast: Cast, quiet_client):
    quiet_client.force_login(cast.professional)
    assert quiet_client.get("/bewoners/").status_code == 200
    with database_down():
        _assert_clean_503(quiet_client.get("/bewoners/"))
        assert connection.connection is None  # discarded, not kept for the next request
    assert quiet_client.get("/bewoners/").status_code == 200


@pytest.mark.django_db(transaction=True)
def test_a_write_cut_off_by_the_outage_leaves_nothing_behind(cast: Cast, quiet_client):
    raw, _token = api_token_issue(user=cast.professional)
    body = _contact(cast)
    headers = {"Authorization": f"Bearer {raw}", "Idempotency-Key": "cut-off-1"}
    real_create = connections[DEFAULT_DB_ALIAS].create_cursor
    calls = {"n": 0}

    def fail_midway(*args: Any, **kwargs: Any) -> Any:
        calls["n"] += 1
        if calls["n"] > 6:  # some statements of the write succeed, then the database goes away
            raise _driver_error()("terminating connection due to administrator command")
        return real_create(*args, **kwargs)

    with mock.patch.object(connections[DEFAULT_DB_ALIAS], "create_cursor", side_effect=fail_midway):
        response = quiet_client.post("/api/v1/contacts", body, content_type="application/json", headers=headers)
    assert response.status_code == 503
    assert not Contact.objects.exists()
    # Nothing of the attempt stayed, not even its claim on the key: the retry with the same key runs.
    retried = quiet_client.post("/api/v1/contacts", body, content_type="application/json", headers=headers)
    assert retried.status_code == 201
    assert Contact.objects.get().residents.count() == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="cuts a real PostgreSQL connection")
@pytest.mark.django_db(transaction=True)
def test_a_connection_terminated_by_postgresql_is_replaced_without_a_restart(cast: Cast, quiet_client):
    quiet_client.force_login(cast.professional)
    assert quiet_client.get("/bewoners/").status_code == 200
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    _terminate(pid)
    first = quiet_client.get("/bewoners/")
    if first.status_code != 200:  # the request that meets the dead connection may already get a new one
        _assert_clean_503(first)
    assert quiet_client.get("/bewoners/").status_code == 200


def _terminate(pid: int) -> None:
    """From a second connection: a role may end its own backends without being a superuser."""
    other = connections.create_connection(DEFAULT_DB_ALIAS)
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
            if not cursor.fetchone()[0]:
                pytest.skip("this role may not end the backend")
    finally:
        other.close()
