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

# Committed rows: the tampering is done as the tables' owner, on a connection of its own (as_owner).
pytestmark = pytest.mark.django_db(transaction=True)


def later() -> datetime:
    """A moment when every event written so far is old enough to seal."""
    return timezone.now() + SEAL_DELAY + timedelta(seconds=1)


def _events(cast: Cast, count: int) -> None:
    for number in range(count):
        audit_record(action=AuditAction.VIEW, actor=cast.professional, object_type="people.resident", object_id=number)
    audit_record(action=AuditAction.VIEW, actor=cast.outsider_coordinator, object_type="people.resident", object_id=1)


def _tamper(as_owner, sql: str, *params: int) -> None:
    """What the tables' owner could do: bypass the append-only guard and change a row."""
    if connection.vendor == "postgresql":
        as_owner("SET CONSTRAINTS ALL IMMEDIATE")  # no deferred checks pending on the table
        as_owner("ALTER TABLE core_auditevent DISABLE TRIGGER USER")
    as_owner(sql, *params)
    if connection.vendor == "postgresql":
        as_owner("ALTER TABLE core_auditevent ENABLE TRIGGER USER")


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
def test_a_changed_or_removed_event_is_found(cast: Cast, change, as_owner):
    _events(cast, 4)
    audit_seal(now=later())
    victim = AuditEvent.objects.filter(organisation=cast.organisation).order_by("id")[1].pk
    _tamper(as_owner, change, victim)
    problems = audit_verify()
    assert len(problems) == 1
    assert f"organisation {cast.organisation.pk}, seal 1" in problems[0]
    with pytest.raises(CommandError, match="tampered"):
        call_command("audit_verify")


def test_a_changed_seal_breaks_the_chain_after_it(cast: Cast, as_owner):
    _events(cast, 2)
    audit_seal(now=later())
    _events(cast, 2)
    audit_seal(now=later())
    first = AuditSeal.objects.get(organisation=cast.organisation, sequence=1)
    as_owner("UPDATE core_auditseal SET hash = %s WHERE id = %s", "f" * 64, first.pk)
    problems = audit_verify()
    assert any("seal 1" in problem for problem in problems)
    assert any("seal 2: the link" in problem for problem in problems)


def test_a_chain_rewritten_by_the_owner_fails_its_signatures(cast: Cast, as_owner):
    """The owner changes an event and recomputes every hash of the chain: without AUDIT_SEAL_KEY the
    seals cannot be signed again, so audit_verify still finds the rewrite."""
    from veerkracht.core.auditchain import GENESIS, _digest
    from veerkracht.core.auditchain import _events as sealed_events

    _events(cast, 3)
    audit_seal(now=later())
    victim = AuditEvent.objects.filter(organisation=cast.organisation).order_by("id").first()
    assert victim is not None
    _tamper(as_owner, "UPDATE core_auditevent SET object_id = '999' WHERE id = %s", victim.pk)
    seal = AuditSeal.objects.get(organisation=cast.organisation, sequence=1)
    rewritten, _count = _digest(GENESIS, sealed_events(cast.organisation.pk, 0, seal.last_event_id))
    as_owner("UPDATE core_auditseal SET hash = %s WHERE id = %s", rewritten, seal.pk)
    problems = audit_verify()
    assert problems == [
        f"organisation {cast.organisation.pk}, seal 1: the signature does not match "
        "(the chain was rewritten, or another key)"
    ]
    with pytest.raises(CommandError, match="tampered"):
        call_command("audit_verify")


def test_seals_made_with_another_key_do_not_verify(cast: Cast, settings):
    _events(cast, 2)
    audit_seal(now=later())
    assert audit_verify() == []
    settings.AUDIT_SEAL_KEY = "another-key-that-the-sealer-did-not-use"
    assert all("signature does not match" in problem for problem in audit_verify())
    assert audit_verify()
