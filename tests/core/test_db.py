"""core/db.py, the one module that writes SQL by hand: its answers match the ORM's."""

import pytest
from django.db import DataError, connection, transaction
from django.utils import timezone

from tests.conftest import Cast
from veerkracht.core.db import insert_copies_without_returning, insert_without_returning
from veerkracht.core.models import AuditAction, AuditEvent, AuditResult


def test_an_insert_without_returning_stores_what_the_orm_would(cast: Cast):
    at = timezone.now().replace(microsecond=0)
    before = AuditEvent.objects.count()
    made = [
        AuditEvent(
            at=at,
            organisation_id=cast.organisation.pk,
            actor_id=cast.professional.pk,
            action=AuditAction.VIEW,
            object_type="people.resident",
            object_id=str(n),
            fields=["email", "phone"],
            result=AuditResult.SUCCESS,
        )
        for n in range(3)
    ]
    insert_without_returning(made)
    insert_without_returning([])  # nothing to insert is not an error
    stored = list(AuditEvent.objects.order_by("pk")[before:])
    assert [
        (e.at, e.organisation_id, e.actor_id, e.action, e.object_id, e.fields, e.ip, e.ip_digest) for e in stored
    ] == [
        (at, cast.organisation.pk, cast.professional.pk, "view", str(n), ["email", "phone"], None, "") for n in range(3)
    ]
    assert all(e.pk is None for e in made)  # nothing was asked back


def test_copies_differ_only_in_the_one_column(cast: Cast):
    before = AuditEvent.objects.count()
    template = AuditEvent(
        organisation_id=cast.organisation.pk, action=AuditAction.LIST, result=AuditResult.SUCCESS, fields=["x"]
    )
    insert_copies_without_returning(template, "object_id", ["7", "8"])
    insert_copies_without_returning(template, "object_id", [])
    stored = list(AuditEvent.objects.order_by("pk")[before:].values_list("object_id", "action", "fields", "at"))
    assert [row[:3] for row in stored] == [("7", "list", ["x"]), ("8", "list", ["x"])]
    assert stored[0][3] == stored[1][3] is not None  # the model's default time, once for both


def test_copies_store_every_column_as_the_orm_would(cast: Cast):
    at = timezone.now().replace(microsecond=0)
    template = AuditEvent(
        at=at,
        organisation_id=cast.organisation.pk,
        actor_id=cast.professional.pk,
        action=AuditAction.LIST,
        object_type="people.resident",
        fields=["email"],
        result=AuditResult.SUCCESS,
        ip="192.0.2.7",
        ip_digest="abc",
    )
    insert_copies_without_returning(template, "object_id", ["12"])
    stored = AuditEvent.objects.get(object_id="12")
    assert (stored.at, stored.actor_id, stored.object_type, stored.fields, stored.ip, stored.ip_digest) == (
        at,
        cast.professional.pk,
        "people.resident",
        ["email"],
        "192.0.2.7",
        "abc",
    )


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite does not hold text to a column's length")
def test_a_copy_too_long_for_its_column_is_refused_not_cut(cast: Cast):
    template = AuditEvent(organisation_id=cast.organisation.pk, action=AuditAction.LIST, result=AuditResult.SUCCESS)
    with pytest.raises(DataError), transaction.atomic():
        insert_copies_without_returning(template, "object_id", ["9" * 41])  # the column holds 40
    assert not AuditEvent.objects.filter(object_id__startswith="9999").exists()
