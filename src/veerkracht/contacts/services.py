"""Writes of the contact log and of concerns: one function per use case, each in a transaction."""

from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from veerkracht.contacts.counters import contact_now_reached, contacts_counted
from veerkracht.contacts.models import (
    MAX_DURATION_MINUTES,
    CallTask,
    Concern,
    ConcernEvent,
    ConcernStatus,
    Contact,
    ContactResident,
    Initiative,
)
from veerkracht.contacts.selectors import concerns_visible_to
from veerkracht.contacts.vocabulary import TOPIC_CODES
from veerkracht.core.access import organisation_id_of
from veerkracht.core.audit import audit_record, audit_record_many
from veerkracht.core.channels import Channel
from veerkracht.core.exceptions import NotFound
from veerkracht.core.models import AuditAction, User
from veerkracht.core.roles import Role
from veerkracht.people.models import Resident
from veerkracht.people.reached import residents_reached
from veerkracht.people.selectors import RESIDENT, residents_in_scope, residents_visible_to
from veerkracht.people.vocabulary import LANGUAGE_CODES

CLOCK_SKEW = timedelta(minutes=5)  # a phone's clock may run a little ahead
OLDEST_BACKDATING = timedelta(days=366)


def _residents_in_scope(by: User, resident_ids: list[int], within: QuerySet[Resident] | None = None) -> list[Resident]:
    """The residents, all in the caller's register scope, or in ``within`` (a task's residents).

    Read for their id and neighbourhood, which is all a contact or a concern needs of them.
    """
    wanted = sorted(set(resident_ids))
    if not wanted:
        raise ValidationError({"resident_ids": _("Choose at least one resident.")})
    if within is None:
        found = sorted(residents_in_scope(by, wanted), key=lambda resident: resident.pk)
    else:
        scope = within.filter(organisation_id=organisation_id_of(by), pk__in=wanted, erased_at__isnull=True)
        found = list(scope.only("neighbourhood"))
    if len(found) != len(wanted):
        raise ValidationError({"resident_ids": _("One or more residents are unknown or outside your neighbourhoods.")})
    return found


def _check_contact(
    *, started_at: datetime, duration_minutes: int, channel: str, initiative: str, language: str, topics: list[str]
) -> None:
    now = timezone.now()
    if started_at > now + CLOCK_SKEW:
        raise ValidationError({"started_at": _("A contact cannot start in the future.")})
    if started_at < now - OLDEST_BACKDATING:
        raise ValidationError({"started_at": _("A contact can be recorded up to a year back.")})
    if not 0 <= duration_minutes <= MAX_DURATION_MINUTES:
        raise ValidationError({"duration_minutes": _("Enter a duration between 0 and 1440 minutes (24 hours).")})
    if channel not in Channel.values:
        raise ValidationError({"channel": _("Choose a channel from the list.")})
    if initiative not in Initiative.values:
        raise ValidationError({"initiative": _("Choose who took the initiative.")})
    if language and language not in LANGUAGE_CODES:
        raise ValidationError({"language": _("Choose a language from the list.")})
    if not set(topics) <= TOPIC_CODES:
        raise ValidationError({"topics": _("Choose topics from the list.")})


def _mark_reached(resident_ids: list[int], started_at: datetime) -> None:
    """Move 'last reached' forward only: a back-dated contact never makes it older."""
    residents_reached(resident_ids, started_at)


@transaction.atomic
def contact_log(
    *,
    by: User,
    resident_ids: list[int],
    channel: str,
    started_at: datetime,
    duration_minutes: int,
    reached: bool = True,
    language: str = "",
    interpreter: bool = False,
    initiative: str = Initiative.WORKER,
    topics: list[str] | None = None,
    note: str = "",
    follow_up_on: date | None = None,
    within: QuerySet[Resident] | None = None,
) -> Contact:
    """Record a contact (or an attempt, with ``reached=False``) with residents in the worker's scope.

    ``within`` replaces the register scope for workers who reach residents through a task (a
    volunteer on an outreach round): the residents of that task only.
    """
    topics = sorted(set(topics or []))
    residents = _residents_in_scope(by, resident_ids, within)
    _check_contact(
        started_at=started_at,
        duration_minutes=duration_minutes,
        channel=channel,
        initiative=initiative,
        language=language,
        topics=topics,
    )
    contact = Contact(
        organisation_id=organisation_id_of(by),
        worker=by,
        started_at=started_at,
        duration_minutes=duration_minutes,
        channel=channel,
        reached=reached,
        language=language,
        interpreter=interpreter,
        initiative=initiative,
        topics=topics,
        note=note.strip(),
        follow_up_on=follow_up_on,
    )
    # _check_contact has checked every constraint of the table, with the user's words, and the
    # organisation and worker are the caller's own: asking the database again costs 11 queries.
    contact.full_clean(exclude=["organisation", "worker"], validate_constraints=False)
    contact.save()
    ContactResident.objects.bulk_create(
        ContactResident(contact=contact, resident=resident, started_at=started_at) for resident in residents
    )
    if reached:
        _mark_reached([resident.pk for resident in residents], started_at)
    contacts_counted([(contact, residents[0].neighbourhood_id if residents else None)])
    for resident in residents:
        audit_record(
            action=AuditAction.UPDATE,
            actor=by,
            object_type=RESIDENT,
            object_id=resident.pk,
            fields=["contacts"],
        )
    return contact


def _check_follower(by: User, follower: User | None) -> None:
    if follower is not None and (
        follower.organisation_id != by.organisation_id or follower.role not in (Role.PROFESSIONAL, Role.COORDINATOR)
    ):
        raise ValidationError({"follow_up_by": _("Choose a worker of your own organisation.")})


@transaction.atomic
def concern_raise(
    *,
    by: User,
    resident_id: int,
    category: str,
    severity: int,
    description: str = "",
    follow_up_by: User | None = None,
    due_on: date | None = None,
    referral_target: str = "",
    within: QuerySet[Resident] | None = None,
) -> Concern:
    """Raise a concern about a resident in scope (or in ``within``, as for ``contact_log``); it is
    followed up by the given worker (or the raiser)."""
    (resident,) = _residents_in_scope(by, [resident_id], within)
    _check_follower(by, follow_up_by)
    concern = Concern(
        organisation_id=organisation_id_of(by),
        resident=resident,
        category=category,
        severity=severity,
        description=description.strip(),
        raised_by=by,
        follow_up_by=follow_up_by or by,
        due_on=due_on,
        referral_target=referral_target.strip(),
    )
    concern.full_clean()
    concern.save()
    ConcernEvent.objects.create(concern=concern, by=by, status_to=ConcernStatus.OPEN)
    audit_record(
        action=AuditAction.UPDATE,
        actor=by,
        object_type=RESIDENT,
        object_id=resident.pk,
        fields=["concerns"],
    )
    return concern


@transaction.atomic
def concern_update(
    *,
    by: User,
    concern_id: int,
    status: str | None = None,
    follow_up_by: User | None = None,
    due_on: date | None = None,
    referral_target: str | None = None,
    note: str = "",
) -> Concern:
    """Change a concern's status or follow-up; every change is kept in its history."""
    concern = concerns_visible_to(by).select_for_update().filter(pk=concern_id).first()
    if concern is None:
        raise NotFound
    _check_follower(by, follow_up_by)
    previous = concern.status
    if status is not None:
        if status not in ConcernStatus.values:
            raise ValidationError({"status": _("Choose a status from the list.")})
        concern.status = status
        concern.closed_at = timezone.now() if status == ConcernStatus.CLOSED else None
    if follow_up_by is not None:
        concern.follow_up_by = follow_up_by
    if due_on is not None:
        concern.due_on = due_on
    if referral_target is not None:
        concern.referral_target = referral_target.strip()
    concern.full_clean()
    concern.save()
    ConcernEvent.objects.create(
        concern=concern, by=by, status_from=previous, status_to=concern.status, note=note.strip()
    )
    audit_record(
        action=AuditAction.UPDATE,
        actor=by,
        object_type="contacts.concern",
        object_id=concern.pk,
        fields=["status"] if previous != concern.status else ["follow_up"],
    )
    return concern


def contact_attempts_log(
    *, by: User, residents: list[Resident], channel: str, started_at: datetime
) -> dict[int, Contact]:
    """One unanswered contact (``reached=False``) per resident, in bulk: a message sent to many.

    The residents were chosen through the sender's scope. Nothing moves 'last reached': a
    newsletter must not empty the out-of-sight list; a resident's answer does that later.
    """
    if channel not in Channel.values:
        raise ValidationError({"channel": _("Choose a channel from the list.")})
    organisation_id = organisation_id_of(by)
    contacts = Contact.objects.bulk_create(
        Contact(
            organisation_id=organisation_id,
            worker=by,
            started_at=started_at,
            duration_minutes=0,
            channel=channel,
            reached=False,
        )
        for _resident in residents
    )
    ContactResident.objects.bulk_create(
        ContactResident(contact=contact, resident=resident, started_at=started_at)
        for contact, resident in zip(contacts, residents, strict=True)
    )
    contacts_counted(
        [(contact, resident.neighbourhood_id) for contact, resident in zip(contacts, residents, strict=True)]
    )
    audit_record_many(
        action=AuditAction.UPDATE,
        actor=by,
        object_type=RESIDENT,
        object_ids=[resident.pk for resident in residents],
    )
    return {resident.pk: contact for contact, resident in zip(contacts, residents, strict=True)}


@transaction.atomic
def contact_answered(*, by: User, contact_id: int, at: datetime | None = None) -> Contact:
    """The resident answered a message: the attempt becomes a contact, and they count as reached."""
    contact = Contact.objects.select_for_update().get(pk=contact_id, organisation_id=organisation_id_of(by))
    if not contact.reached:
        contact.reached = True
        contact.initiative = Initiative.RESIDENT
        contact.save(update_fields=["reached", "initiative"])
        resident_ids = list(contact.participants.order_by("pk").values_list("resident_id", flat=True))
        _mark_reached(resident_ids, at or timezone.now())
        first = Resident.objects.filter(pk__in=resident_ids[:1]).values_list("neighbourhood_id", flat=True).first()
        contact_now_reached(contact, first)
    return contact


@transaction.atomic
def call_task_create(*, by: User, resident_id: int, due_on: date, reason: str) -> CallTask:
    """Put a phone call to a resident in scope on the worker's own follow-up list."""
    resident = residents_visible_to(by).filter(pk=resident_id).only("pk").first()
    if resident is None:
        raise ValidationError({"resident_id": _("This resident is unknown or outside your neighbourhoods.")})
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the call is needed.")})
    task = CallTask(
        organisation_id=organisation_id_of(by), worker=by, resident=resident, due_on=due_on, reason=reason.strip()
    )
    task.full_clean()
    task.save()
    return task


@transaction.atomic
def call_task_done(*, by: User, task_id: int) -> CallTask:
    """The worker made the call: it leaves their list. Ticking it off twice changes nothing."""
    task = CallTask.objects.filter(pk=task_id, worker=by, resident__in=residents_visible_to(by)).first()
    if task is None:
        raise ValidationError(_("This phone call is not on your list."))
    if task.done_at is None:
        task.done_at = timezone.now()
        task.save(update_fields=["done_at"])
    return task
