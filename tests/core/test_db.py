"""core/db.py, the one module that writes SQL by hand: its answers match the ORM's."""

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
