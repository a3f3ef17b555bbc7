"""Every kind of personal record has its own term: a dry run counts, the real run deletes or anonymises
what passed it and leaves what did not, and a term set in the settings is obeyed."""

import uuid
from datetime import datetime, timedelta
from io import StringIO

import time_machine
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from tests.conftest import Cast
from veerkracht.activities.models import Activity, Attendance, Registration
from veerkracht.contacts.models import CallTask
from veerkracht.core.audit import audit_record
from veerkracht.core.auditchain import audit_seal, audit_verify
from veerkracht.core.models import (
    AuditAction,
    AuditAddress,
    AuditEvent,
    IdempotencyRecord,
    Notification,
    OutboundMessage,
    TaskRun,
)
from veerkracht.core.origin import Origin, origin_set
from veerkracht.people.retention import retention_apply, retention_apply_global
from veerkracht.places.models import Place
from veerkracht.team.models import VolunteerApplication

DAY = timedelta(days=1)


def _activity(cast: Cast, ago: timedelta) -> Activity:
    place = Place.objects.get_or_create(organisation=cast.organisation, name="Buurthuis", kind="community_centre")[0]
    starts = timezone.now() - ago
    return Activity.objects.create(
        organisation=cast.organisation, title="Koffie", kind="coffee_morning", place=place,
        starts_at=starts, ends_at=starts + timedelta(hours=1), organiser=cast.professional,
    )  # fmt: skip


def _run(cast: Cast, *, dry_run: bool) -> dict[str, int]:
    now = timezone.now()
    counts = dict(retention_apply(organisation=cast.organisation, now=now, dry_run=dry_run).counts)
    for name, count in retention_apply_global(now=now, dry_run=dry_run).items():
        counts[name] = counts.get(name, 0) + count
    return counts


def test_public_registrations_lose_name_and_phone_three_months_after_the_activity(cast: Cast):
    old, recent = _activity(cast, 100 * DAY), _activity(cast, 30 * DAY)
    for activity in (old, recent):
        Registration.objects.create(activity=activity, name="Publiek Persoon", phone="0600000001", status="confirmed")
        Attendance.objects.create(activity=activity, walk_in_name="Inloper Iemand", recorded_by=cast.professional)
    assert _run(cast, dry_run=True)["aanmeldingen voor activiteiten (naam, telefoon)"] == 1
    assert Registration.objects.filter(name="Publiek Persoon").count() == 2
    counts = _run(cast, dry_run=False)
    assert (counts["aanmeldingen voor activiteiten (naam, telefoon)"], counts["namen van inlopers"]) == (1, 1)
    assert list(Registration.objects.filter(name="Publiek Persoon").values_list("activity", flat=True)) == [recent.pk]
    assert Registration.objects.filter(activity=old, name="(gewist)", phone="-").count() == 1  # the place stays
    assert list(Attendance.objects.exclude(walk_in_name="").values_list("activity", flat=True)) == [recent.pk]


def test_declined_volunteer_applications_go_after_their_term_and_others_stay(cast: Cast):
    def apply(status: str, ago: timedelta) -> VolunteerApplication:
        return VolunteerApplication.objects.create(
            organisation=cast.organisation, first_name="Vera", last_name="Vrijwillig", phone="0600000003",
            status=status, created_at=timezone.now() - ago,
        )  # fmt: skip

    old_declined, new_declined, old_active = (
        apply("declined", 200 * DAY),
        apply("declined", 10 * DAY),
        apply("new", 400 * DAY),
    )
    _run(cast, dry_run=False)
    assert set(VolunteerApplication.objects.values_list("pk", flat=True)) == {new_declined.pk, old_active.pk}
    assert not VolunteerApplication.objects.filter(pk=old_declined.pk).exists()


def test_outbound_messages_and_delivery_reports_are_emptied_and_a_queued_one_is_left(cast: Cast):
    def message(status: str, ago: timedelta) -> OutboundMessage:
        return OutboundMessage.objects.create(
            organisation=cast.organisation, channel="sms", to="0612345678", text="Tot morgen!", status=status,
            provider_id="gw-1", last_error="", created_at=timezone.now() - ago,
            unsubscribe_url="https://veerkracht.example/afmelden/e-mail/signed-resident-id/",
        )  # fmt: skip

    old, fresh, waiting = message("delivered", 100 * DAY), message("delivered", 5 * DAY), message("queued", 100 * DAY)
    assert _run(cast, dry_run=False)["verstuurde berichten en afleverrapporten"] == 1
    old.refresh_from_db()
    # The unsubscribe link names the resident (signed, not encrypted): it goes with the address.
    assert (old.to, old.text, old.provider_id, old.unsubscribe_url, old.status) == ("", "", "", "", "delivered")
    assert OutboundMessage.objects.filter(pk__in=[fresh.pk, waiting.pk], to="0612345678").count() == 2


def test_task_runs_and_the_queue_s_rows_go_after_their_term(cast: Cast):
    now = timezone.now()
    old = TaskRun.objects.create(
        organisation=cast.organisation, kind="help.match", status="done", created_at=now - 100 * DAY
    )
    fresh = TaskRun.objects.create(organisation=cast.organisation, kind="help.match", status="done", created_at=now)
    running = TaskRun.objects.create(
        organisation=cast.organisation, kind="help.match", status="running", created_at=now - 100 * DAY
    )
    for finished in (now - 100 * DAY, now):
        DBTaskResult.objects.create(
            id=uuid.uuid4(), status="SUCCESSFUL", enqueued_at=finished, finished_at=finished, args_kwargs={},
            task_path="x.y", worker_ids=[], queue_name="default", backend_name="default", run_after=finished,
            return_value=None, exception_class_path="", traceback="",
        )  # fmt: skip
    counts = _run(cast, dry_run=False)
    assert (counts["achtergrondtaken"], counts["resultaten van de takenwachtrij"]) == (1, 1)
    assert set(TaskRun.objects.values_list("pk", flat=True)) == {fresh.pk, running.pk}
    assert not TaskRun.objects.filter(pk=old.pk).exists()
    assert DBTaskResult.objects.count() == 1


def test_idempotency_records_sessions_and_read_notifications_go(cast: Cast):
    now = timezone.now()
    IdempotencyRecord.objects.create(scope="u1", key="k-old", method="POST", path="/x", created_at=now - 2 * DAY)
    IdempotencyRecord.objects.create(scope="u1", key="k-new", method="POST", path="/x", created_at=now)
    Session.objects.create(session_key="old" * 8, session_data="x", expire_date=now - DAY)
    Session.objects.create(session_key="new" * 8, session_data="x", expire_date=now + DAY)
    Notification.objects.create(user=cast.professional, text="oud", read_at=now - 100 * DAY)
    Notification.objects.create(user=cast.professional, text="ongelezen")
    counts = _run(cast, dry_run=False)
    assert (counts["idempotentiesleutels"], counts["verlopen sessies"], counts["gelezen meldingen"]) == (1, 1, 1)
    assert list(IdempotencyRecord.objects.values_list("key", flat=True)) == ["k-new"]
    assert list(Session.objects.values_list("session_key", flat=True)) == ["new" * 8]
    assert list(Notification.objects.values_list("text", flat=True)) == ["ongelezen"]


def test_phone_calls_to_make_go_after_the_contact_term_once_done_or_long_due(cast: Cast):
    """The organisation's contact term (2 years here): a call ticked off or due longer ago goes; an open
    call, a recent one and one ticked off lately stay."""
    long_ago, lately = timezone.now() - 800 * DAY, timezone.now() - 30 * DAY

    def call(due: timedelta, done_at: datetime | None) -> CallTask:
        return CallTask.objects.create(
            organisation=cast.organisation, worker=cast.professional, resident=cast.resident_north,
            due_on=(timezone.now() - due).date(), reason="Bellen over het videogesprek", done_at=done_at,
        )  # fmt: skip

    done_long_ago, never_made = call(900 * DAY, long_ago), call(900 * DAY, None)
    kept = {call(900 * DAY, lately).pk, call(10 * DAY, None).pk, call(40 * DAY, lately).pk}
    name = "te bellen, afgevinkt of gepland vóór de contacttermijn"
    assert _run(cast, dry_run=True)[name] == 2
    assert CallTask.objects.filter(pk__in=[done_long_ago.pk, never_made.pk]).count() == 2
    _run(cast, dry_run=False)
    assert set(CallTask.objects.values_list("pk", flat=True)) == kept
    assert _run(cast, dry_run=True)[name] == 0


@override_settings(RETENTION_PUBLIC_REGISTRATION_DAYS=10, RETENTION_IDEMPOTENCY_HOURS=100)
def test_each_term_is_set_in_the_settings(cast: Cast):
    Registration.objects.create(
        activity=_activity(cast, 30 * DAY), name="Publiek", phone="0600000002", status="confirmed"
    )
    IdempotencyRecord.objects.create(scope="u", key="k", method="POST", path="/x", created_at=timezone.now() - 2 * DAY)
    counts = _run(cast, dry_run=True)
    assert (counts["aanmeldingen voor activiteiten (naam, telefoon)"], counts["idempotentiesleutels"]) == (1, 0)


def test_the_dry_run_lists_every_kind_in_dutch_and_changes_nothing(cast: Cast):
    Registration.objects.create(
        activity=_activity(cast, 100 * DAY), name="Publiek", phone="0600000002", status="confirmed"
    )
    out = StringIO()
    call_command("retention", "--dry-run", stdout=out)
    text = out.getvalue()
    for name in (
        "bewoners", "contactnotities", "zorgsignalen", "aanmeldingen voor activiteiten (naam, telefoon) 1",
        "namen van inlopers", "afgewezen vrijwilligersaanmeldingen", "verstuurde berichten en afleverrapporten",
        "achtergrondtaken", "gelezen meldingen", "resultaten van de takenwachtrij", "idempotentiesleutels",
        "verlopen sessies", "IP-adressen in het auditlog",
    ):  # fmt: skip
        assert name in text, name
    assert Registration.objects.filter(name="Publiek").exists()
    call_command("retention", stdout=StringIO())
    assert not Registration.objects.filter(name="Publiek").exists()


def test_audit_ip_addresses_expire_and_the_sealed_chain_still_verifies(cast: Cast):
    now = timezone.now()
    with (
        time_machine.travel(now - 200 * DAY, tick=False),
        origin_set(Origin(request_id="req-00000200", client_ip="192.0.2.200")),
    ):
        audit_record(action=AuditAction.LOGIN, actor=cast.professional)
    with origin_set(Origin(request_id="req-00000201", client_ip="192.0.2.201")):
        audit_record(action=AuditAction.LOGIN, actor=cast.professional)
    assert audit_seal(now + timedelta(minutes=5))
    assert _run(cast, dry_run=False)["IP-adressen in het auditlog"] == 1
    events = AuditEvent.objects.filter(actor=cast.professional).order_by("at")
    assert [event.address() for event in events] == [None, "192.0.2.201"]
    assert all(event.ip_digest for event in events)  # the events keep their sealed digest
    assert audit_verify() == []


def test_a_changed_ip_address_is_found_by_the_verification(cast: Cast):
    with origin_set(Origin(request_id="req-00000005", client_ip="192.0.2.5")):
        audit_record(action=AuditAction.LOGIN, actor=cast.professional)
    assert audit_seal(timezone.now() + timedelta(minutes=5))
    AuditAddress.objects.update(ip="192.0.2.6")
    assert audit_verify() != []
