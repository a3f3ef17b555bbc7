"""The audit hash chain: sealed in batches per organisation; any change, removal or insertion is found."""

from datetime import datetime, timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import timezone

from tests.conftest import Cast
from veerkracht.core.audit import audit_record
from veerkracht.core.auditchain import SEAL_DELAY, audit_seal, audit_verify
from veerkracht.core.models import AuditAction, AuditEvent, AuditSeal

pytestmark = pytest.mark.django_db


def later() -> datetime:
    """A moment when every event written so far is old enough to seal."""
    return timezone.now() + SEAL_DELAY + timedelta(seconds=1)


def _events(cast: Cast, count: int) -> None:
    for number in range(count):
        audit_record(action=AuditAction.VIEW, actor=cast.professional, object_type="people.resident", object_id=number)
    audit_record(action=AuditAction.VIEW, actor=cast.outsider_coordinator, object_type="people.resident", object_id=1)


def _tamper(sql: str, *params: int) -> None:
    """What a person with database access could do: bypass the append-only guard and change a row."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no deferred checks pending on the table
            cursor.execute("ALTER TABLE core_auditevent DISABLE TRIGGER USER")
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE core_auditevent ENABLE TRIGGER USER")


def test_each_organisation_gets_its_own_chain_and_verifies(cast: Cast):
    _events(cast, 5)
    assert audit_seal(now=later()) == 2
    assert audit_seal(now=later()) == 0  # nothing new
    _events(cast, 3)
    assert audit_seal(now=later()) == 2
    seals = AuditSeal.objects.filter(organisation=cast.organisation).order_by("sequence")
    assert [seal.events for seal in seals] == [5, 3]
    assert seals[1].previous_hash == seals[0].hash
    assert audit_verify() == []
    call_command("audit_verify")


def test_recent_events_wait_for_the_next_batch(cast: Cast):
    _events(cast, 2)
    assert audit_seal(now=timezone.now()) == 0


@pytest.mark.parametrize(
    "change",
    [
        "UPDATE core_auditevent SET object_id = '999' WHERE id = %s",
        "DELETE FROM core_auditevent WHERE id = %s",
    ],
)
def test_a_changed_or_removed_event_is_found(cast: Cast, change):
    _events(cast, 4)
    audit_seal(now=later())
    victim = AuditEvent.objects.filter(organisation=cast.organisation).order_by("id")[1].pk
    _tamper(change, victim)
    problems = audit_verify()
    assert len(problems) == 1
    assert f"organisation {cast.organisation.pk}, seal 1" in problems[0]
    with pytest.raises(CommandError, match="tampered"):
        call_command("audit_verify")


def test_a_changed_seal_breaks_the_chain_after_it(cast: Cast):
    _events(cast, 2)
    audit_seal(now=later())
    _events(cast, 2)
    audit_seal(now=later())
    first = AuditSeal.objects.get(organisation=cast.organisation, sequence=1)
    AuditSeal.objects.filter(pk=first.pk).update(hash="f" * 64)
    problems = audit_verify()
    assert any("seal 1" in problem for problem in problems)
    assert any("seal 2: the link" in problem for problem in problems)
