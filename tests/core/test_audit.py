"""The audit log: written by one helper, never changed, logins and refusals included."""

import pytest
from django.db import connection, transaction
from django.db.utils import DatabaseError
from django.test.utils import CaptureQueriesContext

from tests.conftest import Cast
from tests.factories import PASSWORD
from veerkracht.core.audit import audit_record
from veerkracht.core.models import AuditAction, AuditAddress, AuditEvent, AuditResult
from veerkracht.core.origin import Origin, origin_set


def test_an_event_records_ids_and_field_names_only(cast: Cast):
    with origin_set(Origin(request_id="req-00000001", client_ip="192.0.2.7")):
        audit_record(
            action=AuditAction.UPDATE,
            actor=cast.professional,
            object_type="people.resident",
            object_id=cast.resident_north.pk,
            fields=["phone", "email"],
        )
    event = AuditEvent.objects.latest("pk")
    assert event.organisation == cast.organisation
    assert event.object_id == str(cast.resident_north.pk)
    assert event.fields == ["email", "phone"]
    assert event.address() == "192.0.2.7"
    assert cast.resident_north.last_name not in str(AuditEvent.objects.values_list())


def test_a_list_records_one_event_per_object_in_batches(cast: Cast, monkeypatch):
    from veerkracht.core import audit, db

    monkeypatch.setattr(db, "INSERT_BATCH", 2)  # five objects: three inserts
    before = AuditEvent.objects.count()
    with origin_set(Origin(request_id="req-00000009", client_ip="192.0.2.9")):
        audit.audit_record_many(
            action=AuditAction.LIST,
            actor=cast.professional,
            object_type="people.resident",
            object_ids=[5, 3, 8, 1, 13],
        )
    events = list(AuditEvent.objects.order_by("pk")[before:])
    assert sorted(event.object_id for event in events) == ["1", "13", "3", "5", "8"]
    assert {
        (
            e.organisation_id,
            e.actor_id,
            e.on_behalf_of_id,
            e.action,
            e.object_type,
            tuple(e.fields),
            e.result,
            e.address(),
        )
        for e in events
    } == {(cast.organisation.pk, cast.professional.pk, None, "list", "people.resident", (), "success", "192.0.2.9")}
    assert len({event.at for event in events}) == 1
    assert {event.request_id for event in events} == {"req-00000009"}


def test_an_event_cannot_be_changed_or_deleted(cast: Cast):
    audit_record(action=AuditAction.VIEW, actor=cast.coordinator)
    event = AuditEvent.objects.latest("pk")
    event.result = AuditResult.FAILED
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).update(result=AuditResult.FAILED)
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).delete()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the database trigger exists on PostgreSQL")
@pytest.mark.parametrize("statement", ["UPDATE core_auditevent SET result = 'failed'", "DELETE FROM core_auditevent"])
def test_postgresql_itself_refuses_to_change_audit_events(cast: Cast, statement):
    """The application's role lacks the privilege (db_grant_app_role); the owner meets the trigger."""
    audit_record(action=AuditAction.VIEW, actor=cast.coordinator)
    with (
        pytest.raises(DatabaseError, match=r"append-only|permission denied"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(statement)


def test_sign_in_and_sign_out_are_audited(cast: Cast, client):
    client.post("/inloggen/", {"username": "coord", "password": PASSWORD})
    client.post("/uitloggen/")
    actions = list(AuditEvent.objects.filter(actor=cast.coordinator).values_list("action", flat=True))
    assert actions == [AuditAction.LOGOUT, AuditAction.LOGIN]


def test_a_failed_sign_in_is_audited_against_the_account_without_the_attempt(cast: Cast, client):
    client.post("/inloggen/", {"username": "coord", "password": "wrong-guess-123"}, REMOTE_ADDR="198.51.100.4")
    event = AuditEvent.objects.get(action=AuditAction.LOGIN_FAILED)
    assert event.result == AuditResult.FAILED
    assert event.actor is None
    assert (event.object_type, event.object_id) == ("core.user", str(cast.coordinator.pk))
    assert event.organisation == cast.organisation
    assert "wrong-guess" not in str(AuditEvent.objects.values_list())


def test_a_failed_sign_in_for_an_unknown_account_is_audited_without_a_name(db, client):
    client.post("/inloggen/", {"username": "nobody-such", "password": "whatever-it-is"})
    event = AuditEvent.objects.get(action=AuditAction.LOGIN_FAILED)
    assert (event.object_type, event.object_id, event.organisation) == ("", "", None)


def test_an_event_with_an_address_is_two_inserts_and_stores_what_the_orm_reads(cast: Cast):
    """The address and the event, one INSERT each, without a transaction of their own."""
    origin = Origin(request_id="req-00000005", client_ip="2001:db8::5")
    with origin_set(origin), CaptureQueriesContext(connection) as captured:
        audit_record(action=AuditAction.VIEW, actor=cast.professional, object_type="people.resident")
    assert [query["sql"].split()[:3] for query in captured.captured_queries] == [
        ["INSERT", "INTO", '"core_auditaddress"'],
        ["INSERT", "INTO", '"core_auditevent"'],
    ]
    event = AuditEvent.objects.latest("pk")
    address = AuditAddress.objects.get(digest=event.ip_digest)
    assert (address.ip, address.organisation_id) == ("2001:db8::5", cast.organisation.pk)
    assert event.address() == "2001:db8::5"
