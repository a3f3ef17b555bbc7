"""Tenant isolation in the database: PostgreSQL's row-level security, keyed on the request's organisation.

A forgotten filter must return nothing of another organisation: these tests run raw SQL without
any filter inside requests, API calls and background runs of organisation A.
"""

import pytest
from django.db import DatabaseError, connection, transaction

from tests.conftest import Cast
from veerkracht.contacts.services import concern_raise
from veerkracht.core.services import api_token_issue
from veerkracht.core.tasks import register, task_run_queue
from veerkracht.core.tenancy import organisation_context

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row-level security is a PostgreSQL feature; on SQLite the application's scoping (tested "
        "everywhere else) is the only isolation",
    ),
]
TABLES = ["people_resident", "people_household", "contacts_concern", "core_auditevent"]


@pytest.fixture(autouse=True)
def _bound_role(db):
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper OR rolbypassrls FROM pg_roles WHERE rolname = current_user")
        if cursor.fetchone()[0]:
            pytest.skip("superusers bypass row-level security: run as a role that is not one, as CI does")


@pytest.fixture
def both(cast: Cast) -> Cast:
    """Data of both organisations in every probed table (a concern and audit events each)."""
    concern_raise(by=cast.professional, resident_id=cast.resident_north.pk, category="health", severity=2)
    concern_raise(by=cast.outsider_coordinator, resident_id=cast.resident_outside.pk, category="health", severity=2)
    return cast


def _organisations(table: str) -> set[int]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT DISTINCT organisation_id FROM {table}")  # noqa: S608 - fixed names
        return {row[0] for row in cursor.fetchall()}


def test_work_for_every_organisation_sees_every_organisation(both: Cast):
    """The test's own code, like the task worker between runs, works with ``ALL`` (tests/conftest.py)."""
    other = both.outsider_coordinator.organisation_id
    assert {both.organisation.pk, other} <= _organisations("people_resident")


@pytest.mark.urls("tests.core.rls_urls")
@pytest.mark.parametrize("table", TABLES)
def test_raw_sql_in_a_request_of_organisation_a_finds_no_rows_of_b(both: Cast, client, table):
    client.force_login(both.coordinator)
    seen = client.get(f"/probe/{table}/").json()["organisations"]
    assert seen == [both.organisation.pk]


@pytest.mark.urls("tests.core.rls_urls")
def test_raw_sql_in_an_api_call_finds_only_the_tokens_organisation(both: Cast, client):
    raw, _token = api_token_issue(user=both.outsider_coordinator)
    seen = client.get("/probe/people_resident/", headers={"Authorization": f"Bearer {raw}"}).json()
    assert seen["organisations"] == [both.outsider_coordinator.organisation_id]


@pytest.mark.urls("tests.core.rls_urls")
def test_the_setting_is_cleared_when_the_request_ends(both: Cast, client):
    client.force_login(both.coordinator)
    with organisation_context(None):  # as a web server's connection starts
        client.get("/probe/people_resident/")
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_setting('veerkracht.organisation', true)")
            assert cursor.fetchone()[0] in ("", None)


@register("rls_probe")
def _probe_body(run, report):
    return {"organisations": sorted(_organisations("people_resident"))}


def test_a_background_run_sees_only_its_organisation(both: Cast):
    run = task_run_queue(kind="rls_probe", organisation=both.organisation, by=both.coordinator, params={})
    assert run.result == {"organisations": [both.organisation.pk]}


def test_a_row_of_another_organisation_cannot_be_written(both: Cast):
    other = both.resident_outside
    with organisation_context(both.organisation.pk):
        with connection.cursor() as cursor:
            cursor.execute("UPDATE people_resident SET first_name = 'X' WHERE id = %s", [other.pk])
            assert cursor.rowcount == 0
        with (
            pytest.raises(DatabaseError, match="row-level security"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(
                "UPDATE people_resident SET organisation_id = %s WHERE id = %s",
                [other.organisation_id, both.resident_north.pk],
            )


def test_every_isolated_table_forces_its_policies_on_the_owner_too(db):
    with connection.cursor() as cursor:
        cursor.execute("SELECT relname FROM pg_class WHERE relrowsecurity AND relforcerowsecurity ORDER BY relname")
        forced = {row[0] for row in cursor.fetchall()}
        cursor.execute("SELECT tablename, policyname, roles::text[] FROM pg_policies WHERE policyname = 'tenant'")
        tenant = {row[0]: row[2] for row in cursor.fetchall()}
    assert set(TABLES) <= forced
    assert all(roles == ["public"] for roles in tenant.values())  # the app role's only policy


def test_events_outside_the_set_organisation_are_appended_without_being_read_back(cast: Cast):
    """PostgreSQL checks a row that INSERT ... RETURNING hands back against the read policy; an
    append-only log must not ask for it back. Here, as for the application's own role at sign-in,
    the policy hides the new row: a failed sign-in has no organisation."""
    from veerkracht.core.audit import audit_record
    from veerkracht.core.models import AuditAction, AuditResult

    with organisation_context(cast.organisation.pk):
        audit_record(action=AuditAction.LOGIN_FAILED, actor=None, result=AuditResult.FAILED)
        audit_record(action=AuditAction.VIEW, actor=cast.outsider_coordinator)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM core_auditevent WHERE organisation_id IS NULL")
        assert cursor.fetchone()[0] >= 1
