"""Writes of activities: planning, registration with a waitlist, cancellation, attendance."""

import re
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from veerkracht.activities.counters import attendance_counted
from veerkracht.activities.models import (
    TRANSLATED_LANGUAGES,
    Activity,
    ActivityKind,
    ActivityText,
    Attendance,
    Mode,
    Registration,
    RegistrationStatus,
    TargetGroup,
)
from veerkracht.activities.online import notices_send, online_details_send, takes_part_online
from veerkracht.activities.selectors import seat_limit, with_organisation
from veerkracht.contacts.counters import contacts_counted
from veerkracht.contacts.models import Contact, ContactResident
from veerkracht.core.access import Capability, can, organisation_id_of, within_organisation
from veerkracht.core.audit import audit_record
from veerkracht.core.channels import Channel
from veerkracht.core.db import row_with_parents
from veerkracht.core.exceptions import NotFound
from veerkracht.core.models import AuditAction, Notification, User
from veerkracht.core.rows import unique_or_none
from veerkracht.core.tenancy import acting_for
from veerkracht.people.models import Resident
from veerkracht.people.reached import residents_reached
from veerkracht.people.selectors import own_record, residents_visible_to
from veerkracht.people.vocabulary import LANGUAGE_CODES
from veerkracht.places.capacity import is_open, place_safe_capacity
from veerkracht.places.models import Place

MAX_WEEKS = 52
PHONE = re.compile(r"^\+?[0-9]{9,15}$")


@dataclass(frozen=True)
class Translation:
    """An activity's title and description in a language besides Dutch, as entered."""

    title: str
    description: str = ""


@dataclass(frozen=True)
class ActivityPlan:
    title: str
    kind: str
    starts_at: datetime
    ends_at: datetime
    place_id: int | None = None
    description: str = ""
    max_participants: int | None = None
    max_online: int | None = None
    online_link: str = ""
    dial_in: str = ""
    dial_in_pin: str = ""
    registration_required: bool = True
    target_groups: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    helper_ids: list[int] = field(default_factory=list)
    weekly_until: date | None = None
    # By language (en, tr, ar); a language left out (or entered empty) has no translation.
    translations: dict[str, Translation] = field(default_factory=dict)


TITLE_MAX = Activity._meta.get_field("title").max_length or 150
DESCRIPTION_MAX = Activity._meta.get_field("description").max_length or 3000


def plan_translations_check(plan: ActivityPlan) -> dict[str, Translation]:
    """The translations to keep, stripped; empty ones left out. Errors name ``title_<language>`` or
    ``description_<language>``, as the form's fields are named."""
    kept = {}
    for language, translation_ in plan.translations.items():
        if language not in TRANSLATED_LANGUAGES:
            raise ValidationError({"translations": _("Translations are in English, Turkish or Arabic.")})
        title, description = translation_.title.strip(), translation_.description.strip()
        if not title and not description:
            continue
        if not title:
            raise ValidationError(
                {f"title_{language}": _("Enter the title in this language too, or leave the description empty.")}
            )
        if len(title) > TITLE_MAX:
            raise ValidationError(
                {f"title_{language}": _("A title has at most %(count)s characters.") % {"count": TITLE_MAX}}
            )
        if len(description) > DESCRIPTION_MAX:
            raise ValidationError(
                {
                    f"description_{language}": _("A description has at most %(count)s characters.")
                    % {"count": DESCRIPTION_MAX}
                }
            )
        kept[language] = Translation(title, description)
    return kept


def translations_save(activity: Activity, translations: dict[str, Translation]) -> None:
    """Make the activity's translations these: others removed, changed ones saved, the same ones left."""
    existing = {text.language: text for text in activity.texts.all()}
    activity.texts.filter(language__in=set(existing) - set(translations)).delete()
    for language, wanted in translations.items():
        text = existing.get(language)
        if text is not None and (text.title, text.description) == (wanted.title, wanted.description):
            continue
        text = text or ActivityText(activity=activity, language=language)
        text.title, text.description = wanted.title, wanted.description
        text.full_clean()
        text.save()


def plan_place(by: User, place_id: int | None) -> Place | None:
    if place_id is None:
        return None
    place = unique_or_none(within_organisation(Place.objects.select_related("organisation"), by).filter(pk=place_id))
    if place is None:
        raise ValidationError({"place_id": _("Choose a place of your own organisation.")})
    return place


def plan_times_check(plan: ActivityPlan, place: Place | None) -> None:
    if plan.ends_at <= plan.starts_at:
        raise ValidationError({"ends_at": _("An activity ends after it starts.")})
    if plan.starts_at < timezone.now():
        raise ValidationError({"starts_at": _("An activity is planned in the future.")})
    if place is not None and not is_open(place, plan.starts_at, plan.ends_at):
        raise ValidationError({"starts_at": _("The place is closed at that time.")})


def plan_capacity_check(plan: ActivityPlan, place: Place | None) -> None:
    if plan.dial_in_pin and not plan.dial_in:
        raise ValidationError({"dial_in_pin": _("A PIN goes with a dial-in number: give the number too.")})
    if plan.kind == ActivityKind.WEBINAR and place is not None:
        raise ValidationError({"place_id": _("A webinar is online only: leave the place empty and give the link.")})
    if place is None:
        if not plan.online_link:
            raise ValidationError({"online_link": _("An online activity needs a link.")})
        if plan.max_participants:
            raise ValidationError({"max_participants": _("An online activity has no places on site.")})
        return
    capacity = place_safe_capacity(place)
    if capacity is not None and plan.max_participants is not None and plan.max_participants > capacity:
        raise ValidationError(
            {
                "max_participants": _("At most %(capacity)s people fit in %(place)s under the rule in force.")
                % {"capacity": capacity, "place": place.name}
            }
        )
    if plan.max_online and not (plan.online_link or plan.dial_in):
        raise ValidationError({"max_online": _("Online places need a link or dial-in number.")})


def plan_lists_check(by: User, plan: ActivityPlan) -> list[User]:
    if plan.kind not in ActivityKind.values:
        raise ValidationError({"kind": _("Choose a kind from the list.")})
    if not set(plan.target_groups) <= set(TargetGroup.values):
        raise ValidationError({"target_groups": _("Choose target groups from the list.")})
    if not set(plan.languages) <= LANGUAGE_CODES:
        raise ValidationError({"languages": _("Choose languages from the list.")})
    helpers = list(within_organisation(User.objects.filter(pk__in=plan.helper_ids, is_active=True), by))
    if len(helpers) != len(set(plan.helper_ids)):
        raise ValidationError({"helper_ids": _("Choose helpers of your own organisation.")})
    return helpers


def _occurrences(plan: ActivityPlan) -> list[tuple[datetime, datetime]]:
    if plan.weekly_until is None:
        return [(plan.starts_at, plan.ends_at)]
    if plan.weekly_until < plan.starts_at.date() or plan.weekly_until > plan.starts_at.date() + timedelta(
        weeks=MAX_WEEKS
    ):
        raise ValidationError({"weekly_until": _("Repeat weekly for at most a year, ending after the first date.")})
    weeks = (plan.weekly_until - timezone.localtime(plan.starts_at).date()).days // 7
    return [(plan.starts_at + timedelta(weeks=week), plan.ends_at + timedelta(weeks=week)) for week in range(weeks + 1)]


@transaction.atomic
def activity_plan(*, by: User, plan: ActivityPlan) -> list[Activity]:
    """Plan an activity (every week until a date, if asked); never above the place's safe capacity."""
    if not can(by, Capability.PLAN_ACTIVITIES):
        raise ValidationError(_("You cannot plan activities."))
    place = plan_place(by, plan.place_id)
    plan_times_check(plan, place)
    plan_capacity_check(plan, place)
    helpers = plan_lists_check(by, plan)
    translations = plan_translations_check(plan)
    series = uuid.uuid4() if plan.weekly_until else None
    made = []
    for starts_at, ends_at in _occurrences(plan):
        activity = Activity(
            organisation_id=organisation_id_of(by),
            title=plan.title.strip(),
            kind=plan.kind,
            description=plan.description.strip(),
            place=place,
            starts_at=starts_at,
            ends_at=ends_at,
            series=series,
            organiser=by,
            target_groups=plan.target_groups,
            languages=plan.languages,
            registration_required=plan.registration_required,
            max_participants=plan.max_participants,
            max_online=plan.max_online,
            online_link=plan.online_link,
            dial_in=plan.dial_in,
            dial_in_pin=plan.dial_in_pin,
        )
        activity.full_clean()
        activity.save()
        activity.helpers.set(helpers)
        translations_save(activity, translations)
        made.append(activity)
    audit_record(action=AuditAction.CREATE, actor=by, object_type="activities.activity", object_id=made[0].pk)
    return made


def normalised_phone(text: str) -> str:
    """'06-12 34 56 78' → '0612345678'; a ValidationError when it cannot be a phone number."""
    compact = re.sub(r"[\s\-().]", "", text or "")
    if not PHONE.match(compact):
        raise ValidationError({"phone": _("Enter a phone number of 10 digits, such as 06 12345678.")})
    return compact


def _check_open_for_registration(activity: Activity, mode: str) -> None:
    if activity.cancelled_at is not None:
        raise ValidationError(_("This activity has been cancelled."))
    if not activity.registration_required:
        raise ValidationError(_("No registration needed: just come along."))
    if activity.starts_at <= timezone.now():
        raise ValidationError(_("Registration has closed: the activity has started."))
    if mode == Mode.ONLINE and not (activity.online_link or activity.dial_in):
        raise ValidationError({"mode": _("This activity cannot be followed online.")})
    if mode == Mode.ONSITE and activity.place_id is None:
        raise ValidationError({"mode": _("This activity is online only.")})


def _status_for(activity: Activity, mode: str) -> str:
    limit = seat_limit(activity, mode)
    confirmed = activity.registrations.filter(mode=mode, status=RegistrationStatus.CONFIRMED).count()
    return RegistrationStatus.CONFIRMED if limit is None or confirmed < limit else RegistrationStatus.WAITLISTED


def _locked(activity_id: int) -> Activity:
    """The activity row, locked until the transaction ends: counts and inserts cannot interleave.

    On PostgreSQL this is SELECT … FOR UPDATE; SQLite has no row locks, but its transactions start
    IMMEDIATE (settings.py), so a second writer waits for the first to commit.
    """
    activity = row_with_parents(Activity, parents=("place",), lock=True, pk=activity_id)
    if activity is None:
        raise NotFound
    return with_organisation(activity)


def registration_create(
    *,
    activity_id: int,
    mode: str = Mode.ONSITE,
    by: User | None = None,
    resident_id: int | None = None,
    name: str = "",
    phone: str = "",
    consent: bool = False,
) -> Registration:
    """Register a resident (by a worker) or a member of the public; confirmed or waitlisted, never overbooked."""
    if mode not in Mode.values:
        raise ValidationError({"mode": _("Choose on site or online.")})
    resident = _registrant(by, resident_id, name, consent)
    phone = normalised_phone(phone) if resident is None else ""
    organisation_id = unique_or_none(Activity.objects.filter(pk=activity_id).values_list("organisation_id", flat=True))
    try:
        with acting_for(organisation_id), transaction.atomic():
            activity = _locked(activity_id)
            _check_open_for_registration(activity, mode)
            registration = Registration.objects.create(
                language=translation.get_language() or settings.LANGUAGE_CODE,
                activity=activity,
                resident=resident,
                name=name.strip() if resident is None else resident.first_name,
                phone=phone,
                mode=mode,
                status=_status_for(activity, mode),
                registered_by=by,
                consent_at=timezone.now() if consent else None,
            )
            online_details_send(registration)
    except IntegrityError:
        field_name = "resident_id" if resident else "phone"
        raise ValidationError({field_name: _("Already registered for this activity.")}) from None
    if resident is not None and by is not None:
        audit_record(
            action=AuditAction.UPDATE,
            actor=by,
            object_type="people.resident",
            object_id=resident.pk,
            fields=["registrations"],
        )
    return registration


def _registrant(by: User | None, resident_id: int | None, name: str, consent: bool) -> Resident | None:
    """The resident to register (read for the first name the registration keeps), or None for the public."""
    own = own_record(by) if by is not None and resident_id is not None else None
    if own is not None and own.pk == resident_id:
        return own  # a signed-in resident registers themselves
    if by is not None and resident_id is not None:
        resident = unique_or_none(residents_visible_to(by).filter(pk=resident_id).only("first_name"))
        if resident is None:
            raise ValidationError({"resident_id": _("This resident is unknown or outside your neighbourhoods.")})
        return resident
    if not name.strip():
        raise ValidationError({"name": _("Enter your name.")})
    if not consent:
        raise ValidationError({"consent": _("We need your permission to keep your name and phone number.")})
    return None


def _tell_promoted(registration: Registration) -> None:
    """The person moved up from the waitlist hears it by their channel in their language (with the
    online details when they take part online), and the worker who registered them is told."""
    activity = registration.activity
    notices_send([registration], "waitlist_promotion")
    if takes_part_online(registration):
        registration.online_sent_at = timezone.now()
        registration.save(update_fields=["online_sent_at"])
    if registration.registered_by is not None:
        facts = {"title": activity.title, "name": registration.name}
        with translation.override(settings.LANGUAGE_CODE):
            text = _("%(name)s moved up from the waitlist for %(title)s.") % facts
        Notification.objects.create(
            user=registration.registered_by, link=f"/activiteiten/{activity.pk}/beheer/", text=text
        )


def registration_cancel(*, registration_id: int, by: User | None = None) -> Registration:
    """Cancel a registration; a freed place goes to the first on the waitlist, who is told."""
    activity_id = Registration.objects.values_list("activity_id", flat=True).get(pk=registration_id)
    organisation_id = unique_or_none(Activity.objects.filter(pk=activity_id).values_list("organisation_id", flat=True))
    with acting_for(organisation_id), transaction.atomic():
        return _registration_cancel(activity_id, registration_id, by)


def _registration_cancel(activity_id: int, registration_id: int, by: User | None) -> Registration:
    activity = _locked(activity_id)
    registration = activity.registrations.get(pk=registration_id)
    if registration.status == RegistrationStatus.CANCELLED:
        return registration
    freed = registration.status == RegistrationStatus.CONFIRMED
    registration.status, registration.cancelled_at = RegistrationStatus.CANCELLED, timezone.now()
    registration.save(update_fields=["status", "cancelled_at"])
    if freed and _status_for(activity, registration.mode) == RegistrationStatus.CONFIRMED:
        first = activity.registrations.filter(mode=registration.mode, status=RegistrationStatus.WAITLISTED).first()
        if first is not None:
            first.status, first.promoted_at = RegistrationStatus.CONFIRMED, timezone.now()
            first.save(update_fields=["status", "promoted_at"])
            _tell_promoted(first)
    return registration


def _attendance_contact(activity: Activity, resident: Resident, by: User, mode: str) -> None:
    """Taking part counts as reach: a contact of channel activity (or webinar when online)."""
    channel = Channel.WEBINAR if mode == Mode.ONLINE else Channel.ACTIVITY
    minutes = max(1, min(24 * 60, int((activity.ends_at - activity.starts_at).total_seconds() // 60)))
    started = min(activity.starts_at, timezone.now())
    contact = Contact.objects.create(
        organisation=activity.organisation,
        worker=by,
        started_at=started,
        duration_minutes=minutes,
        channel=channel,
        topics=["activities"],
    )
    ContactResident.objects.create(contact=contact, resident=resident, started_at=started)
    contacts_counted([(contact, resident.neighbourhood_id)])
    residents_reached([resident.pk], started)


@dataclass(frozen=True)
class AttendanceResult:
    ticked: int
    walk_ins: int


@transaction.atomic
def attendance_record(
    *, by: User, activity: Activity, registration_ids: list[int], walk_ins: list[str] | None = None
) -> AttendanceResult:
    """Tick who came and add walk-ins; ticking twice changes nothing."""
    registrations = activity.registrations.filter(pk__in=registration_ids, status=RegistrationStatus.CONFIRMED)
    if registrations.count() != len(set(registration_ids)):
        raise ValidationError({"registration_ids": _("Tick only confirmed registrations of this activity.")})
    ticked = 0
    for registration in registrations.select_related("resident"):
        if Attendance.objects.filter(registration=registration).exists():
            continue
        Attendance.objects.create(
            activity=activity,
            registration=registration,
            resident=registration.resident,
            mode=registration.mode,
            recorded_by=by,
        )
        if registration.resident is not None:
            _attendance_contact(activity, registration.resident, by, registration.mode)
            attendance_counted(activity, registration.resident)
        ticked += 1
    names = [name.strip() for name in walk_ins or [] if name.strip()]
    Attendance.objects.bulk_create(
        Attendance(activity=activity, walk_in_name=name[:150], recorded_by=by) for name in names
    )
    return AttendanceResult(ticked, len(names))


@transaction.atomic
def capacity_rule_set(*, by: User, distancing_rule: bool, indoor_m2: float, outdoor_m2: float) -> list[Activity]:
    """Change the rule of the day: future activities are held to it; organisers of those now over it are told."""
    if not can(by, Capability.SET_CAPACITY_RULE) or by.organisation is None:
        raise ValidationError(_("Only a coordinator sets the rule of the day."))
    if indoor_m2 <= 0 or outdoor_m2 <= 0:
        raise ValidationError({"indoor_m2_per_person": _("Enter a positive number of square metres.")})
    organisation = by.organisation
    organisation.distancing_rule, organisation.indoor_m2_per_person = distancing_rule, indoor_m2
    organisation.outdoor_m2_per_person = outdoor_m2
    organisation.save(update_fields=["distancing_rule", "indoor_m2_per_person", "outdoor_m2_per_person"])
    over = []
    future = Activity.objects.filter(organisation=organisation, starts_at__gt=timezone.now(), cancelled_at__isnull=True)
    for activity in future.exclude(place=None).select_related("place", "place__organisation", "organiser"):
        capacity = place_safe_capacity(activity.place) if activity.place else None
        if capacity is not None and activity.max_participants is not None and activity.max_participants > capacity:
            activity.max_participants = capacity
            activity.save(update_fields=["max_participants"])
        confirmed = activity.registrations.filter(mode=Mode.ONSITE, status=RegistrationStatus.CONFIRMED).count()
        if capacity is not None and confirmed > capacity:
            over.append(activity)
            Notification.objects.create(
                user=activity.organiser,
                link=f"/activiteiten/{activity.pk}/beheer/",
                text=_("%(title)s has %(count)s confirmed registrations; under the new rule %(capacity)s fit.")
                % {"title": activity.title, "count": confirmed, "capacity": capacity},
            )
    return over
