"""Writes of the team: a volunteer signs up, the coordinator's intake and activation, absence, contracts."""

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.text import slugify
from django.utils.translation import gettext as _

from veerkracht.core.access import Capability, can, organisation_id_of, within_organisation
from veerkracht.core.audit import audit_record
from veerkracht.core.exceptions import NotFound
from veerkracht.core.models import AuditAction, Neighbourhood, Notification, Organisation, Team, User
from veerkracht.core.roles import Role
from veerkracht.core.tenancy import acting_for
from veerkracht.help.services import help_offer_save
from veerkracht.help.vocabulary import ALL_MOMENTS, HelpKind
from veerkracht.people.vocabulary import LANGUAGE_CODES
from veerkracht.team.models import ApplicationStatus, Contract, Unavailability, VolunteerApplication
from veerkracht.team.vocabulary import INTEREST_CODES

APPLICATION = "team.volunteerapplication"
PHONE = re.compile(r"^\+?[0-9]{9,15}$")


@dataclass(frozen=True)
class SignUp:
    """What a would-be volunteer fills in on the public page."""

    first_name: str
    last_name: str
    email: str = ""
    phone: str = ""
    neighbourhood_id: int | None = None
    interests: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    availability: int = 0
    motivation: str = ""
    consent: bool = False


def _check_sign_up(organisation: Organisation, sign_up: SignUp) -> Neighbourhood | None:
    if not sign_up.consent:
        raise ValidationError({"consent": _("We need your permission to keep your details for the intake.")})
    if not (sign_up.email.strip() or sign_up.phone.strip()):
        raise ValidationError({"email": _("Give an e-mail address or a phone number, so we can reach you.")})
    if sign_up.phone and not PHONE.match(re.sub(r"[\s\-().]", "", sign_up.phone)):
        raise ValidationError({"phone": _("Enter a phone number of 10 digits, such as 06 12345678.")})
    if not set(sign_up.interests) <= INTEREST_CODES:
        raise ValidationError({"interests": _("Choose from the list.")})
    if not set(sign_up.languages) <= LANGUAGE_CODES:
        raise ValidationError({"languages": _("Choose languages from the list.")})
    if not 0 <= sign_up.availability <= ALL_MOMENTS:
        raise ValidationError({"availability": _("Choose moments from the list.")})
    if sign_up.neighbourhood_id is None:
        return None
    neighbourhood = Neighbourhood.objects.filter(organisation=organisation, pk=sign_up.neighbourhood_id).first()
    if neighbourhood is None:
        raise ValidationError({"neighbourhood_id": _("Choose a neighbourhood from the list.")})
    return neighbourhood


@transaction.atomic
def volunteer_sign_up(*, organisation: Organisation, sign_up: SignUp) -> VolunteerApplication:
    """A would-be volunteer signs up (public, throttled by the caller); the coordinators are told."""
    with acting_for(organisation.pk):  # row-level security: the application is the organisation's
        return _volunteer_sign_up(organisation, sign_up)


def _volunteer_sign_up(organisation: Organisation, sign_up: SignUp) -> VolunteerApplication:
    neighbourhood = _check_sign_up(organisation, sign_up)
    application = VolunteerApplication(
        organisation=organisation,
        neighbourhood=neighbourhood,
        first_name=sign_up.first_name.strip(),
        last_name=sign_up.last_name.strip(),
        email=sign_up.email.strip().lower(),
        phone=re.sub(r"[\s\-().]", "", sign_up.phone),
        interests=sorted(set(sign_up.interests)),
        languages=sorted(set(sign_up.languages)),
        availability=sign_up.availability,
        motivation=sign_up.motivation.strip(),
    )
    application.full_clean()
    application.save()
    link = reverse("team:application", kwargs={"application_id": application.pk})
    text = _("New volunteer sign-up: %(name)s.") % {"name": application}
    coordinators = User.objects.filter(organisation=organisation, role=Role.COORDINATOR, is_active=True)
    Notification.objects.bulk_create(Notification(user=user, text=text, link=link) for user in coordinators)
    return application


def application_for(by: User, application_id: int) -> VolunteerApplication:
    """A sign-up of the coordinator's organisation, locked for the change; NotFound otherwise."""
    if not can(by, Capability.MANAGE_TEAMS):
        raise NotFound
    found = within_organisation(VolunteerApplication.objects.select_for_update(), by).filter(pk=application_id).first()
    if found is None:
        raise NotFound
    return found


@dataclass(frozen=True)
class Intake:
    conversation_on: date | None = None
    reference_name: str = ""
    reference_checked_on: date | None = None
    vog_requested_on: date | None = None
    vog_received_on: date | None = None
    intake_note: str = ""


@transaction.atomic
def application_intake_save(*, by: User, application_id: int, intake: Intake) -> VolunteerApplication:
    """Record the intake checklist: conversation, reference, VOG requested and received, with dates."""
    application = application_for(by, application_id)
    today = timezone.localdate()
    dates = {"conversation_on", "reference_checked_on", "vog_requested_on", "vog_received_on"}
    for name in dates:
        moment = getattr(intake, name)
        if moment is not None and moment > today:
            raise ValidationError({name: _("This date lies in the future.")})
    if intake.vog_received_on and not intake.vog_requested_on:
        raise ValidationError({"vog_requested_on": _("Enter when the VOG was requested.")})
    if intake.vog_received_on and intake.vog_requested_on and intake.vog_received_on < intake.vog_requested_on:
        raise ValidationError({"vog_received_on": _("The VOG cannot arrive before it was requested.")})
    for name, value in intake.__dict__.items():
        setattr(application, name, value.strip() if isinstance(value, str) else value)
    if application.status == ApplicationStatus.NEW:
        application.status = ApplicationStatus.INTAKE
    application.full_clean()
    application.save()
    return application


def _username(application: VolunteerApplication) -> str:
    base = f"{slugify(application.first_name)}.{slugify(application.last_name)}".strip(".")[:100] or "vrijwilliger"
    candidate, number = base, 1
    while User.objects.filter(username=candidate).exists():
        number += 1
        candidate = f"{base}{number}"
    return candidate


def _volunteer_user(application: VolunteerApplication) -> User:
    """The application's account: re-activated when it exists, created without a password otherwise."""
    if application.user is not None:
        application.user.is_active = True
        application.user.save(update_fields=["is_active"])
        return application.user
    user = User(
        organisation_id=application.organisation_id,
        username=_username(application),
        first_name=application.first_name,
        last_name=application.last_name,
        email=application.email,
        role=Role.VOLUNTEER,
    )
    user.set_unusable_password()
    user.save()
    return user


def _offer_help(by: User, application: VolunteerApplication, user: User) -> None:
    """Volunteers who chose kinds of neighbour help can be matched from their first day."""
    kinds = [interest for interest in application.interests if interest in HelpKind.values]
    if kinds and application.neighbourhood_id is not None:
        help_offer_save(
            by=by,
            helper_id=user.pk,
            neighbourhood_id=application.neighbourhood_id,
            kinds=kinds,
            radius_m=1500,
            max_open_tasks=2,
            availability=application.availability or ALL_MOMENTS,
            languages=application.languages,
        )


def password_link(user: User, base_url: str) -> str:
    """A one-time link to choose a password (Django's password-reset token: it expires and works once)."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    path = reverse("team:set_password", kwargs={"uidb64": uid, "token": default_token_generator.make_token(user)})
    return base_url.rstrip("/") + path


@dataclass(frozen=True)
class Activation:
    user: User
    link: str  # to choose a password; e-mailed when there is an address, else handed over by the coordinator
    emailed: bool


@transaction.atomic
def volunteer_activate(*, by: User, application_id: int, base_url: str, team_id: int | None = None) -> Activation:
    """Activate a volunteer whose intake is complete: an account, a team, an offer of help, a password link."""
    application = application_for(by, application_id)
    if not application.intake_complete:
        raise ValidationError(_("Complete the intake first: conversation, reference and VOG received."))
    team = None
    if team_id is not None:
        team = within_organisation(Team.objects.all(), by).filter(pk=team_id).first()
        if team is None:
            raise ValidationError({"team": _("Choose a team of your own organisation.")})
    user = _volunteer_user(application)
    if team is not None:
        team.members.add(user)
    application.user, application.status = user, ApplicationStatus.ACTIVE
    application.activated_at, application.activated_by = timezone.now(), by
    application.save(update_fields=["user", "status", "activated_at", "activated_by"])
    _offer_help(by, application, user)
    audit_record(action=AuditAction.CREATE, actor=by, object_type="core.user", object_id=user.pk)
    link = password_link(user, base_url)
    if user.email:
        text = _("Welcome as a volunteer at %(organisation)s. Choose your password here: %(link)s") % {
            "organisation": application.organisation.name,
            "link": link,
        }
        send_mail(_("Welcome as a volunteer"), text, None, [user.email])
    return Activation(user, link, emailed=bool(user.email))


@transaction.atomic
def application_decline(*, by: User, application_id: int, note: str = "") -> VolunteerApplication:
    """Decline a sign-up (or end a volunteer's work): their account, if any, is switched off."""
    application = application_for(by, application_id)
    application.status = ApplicationStatus.DECLINED
    application.intake_note = (application.intake_note + "\n" + note.strip()).strip()[:2000]
    application.save(update_fields=["status", "intake_note"])
    if application.user is not None:
        User.objects.filter(pk=application.user.pk).update(is_active=False)
    return application


def _member(by: User, user_id: int) -> User:
    """The user themselves, or (a coordinator) any active member of the organisation."""
    if user_id == by.pk:
        return by
    member = None
    if can(by, Capability.MANAGE_TEAMS):
        member = within_organisation(User.objects.filter(is_active=True), by).filter(pk=user_id).first()
    if member is None:
        raise ValidationError({"user_id": _("You can only enter this for yourself.")})
    return member


@transaction.atomic
def unavailability_add(*, by: User, user_id: int, starts_on: date, ends_on: date, note: str = "") -> Unavailability:
    """Someone is away from one date until another: oneself, or (a coordinator) a member of the team."""
    member = _member(by, user_id)
    if ends_on < starts_on:
        raise ValidationError({"ends_on": _("The last day cannot be before the first day.")})
    if ends_on < timezone.localdate():
        raise ValidationError({"ends_on": _("The last day has already passed.")})
    return Unavailability.objects.create(
        organisation_id=organisation_id_of(by),
        user=member,
        starts_on=starts_on,
        ends_on=ends_on,
        note=note.strip()[:100],
        created_by=by,
    )


@transaction.atomic
def unavailability_remove(*, by: User, unavailability_id: int) -> None:
    """Take back a period of absence (one's own, or any as a coordinator)."""
    period = within_organisation(Unavailability.objects.all(), by).filter(pk=unavailability_id).first()
    if period is None or (period.user_id != by.pk and not can(by, Capability.MANAGE_TEAMS)):
        raise NotFound
    period.delete()


@transaction.atomic
def contract_set(*, by: User, user_id: int, hours_per_week: Decimal) -> Contract:
    """A coordinator records a basisbaan worker's contract hours per week."""
    if not can(by, Capability.MANAGE_TEAMS):
        raise ValidationError(_("Only a coordinator records contracts."))
    worker = within_organisation(User.objects.filter(role=Role.BASISBAAN), by).filter(pk=user_id).first()
    if worker is None:
        raise ValidationError({"user_id": _("Choose a basisbaan worker of your own organisation.")})
    if not Decimal(0) < hours_per_week <= Decimal(40):
        raise ValidationError({"hours_per_week": _("Enter between 0.5 and 40 hours a week.")})
    contract, _created = Contract.objects.update_or_create(user=worker, defaults={"hours_per_week": hours_per_week})
    return contract
