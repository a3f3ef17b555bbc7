"""Writes of going live: a new organisation with its first coordinator, staff invitations, role and team changes.

Every write takes the acting user (None for a platform administrator on the command line) and is
audited with ids and field names only.
"""

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email, validate_slug
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from veerkracht.accounts import services as account_services
from veerkracht.core.access import MANAGED_ACCOUNT_ROLES, Capability, accounts_manageable_by, can, within_organisation
from veerkracht.core.audit import audit_record
from veerkracht.core.db import next_id
from veerkracht.core.exceptions import NotFound
from veerkracht.core.models import AuditAction, Organisation, Team, User
from veerkracht.core.roles import JobTitle, Role
from veerkracht.core.tenancy import acting_for, organisation_context
from veerkracht.onboarding.models import Invitation
from veerkracht.onboarding.organisation_settings import CONTACT_PHONE

INVITATION_DAYS = 7
INVITATION = "onboarding.invitation"
# The roles a coordinator may invite: everyone who works for the organisation, not residents or the funder.
INVITABLE_ROLES = (Role.COORDINATOR, Role.PROFESSIONAL, Role.BASISBAAN, Role.VOLUNTEER, Role.PRIVACY_OFFICER)
MUNICIPALITY_CODE = re.compile(r"^GM[0-9]{4}$")


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_link(token: str, base_url: str) -> str:
    return base_url.rstrip("/") + reverse("onboarding:accept", kwargs={"token": token})


@dataclass(frozen=True)
class Issued:
    """A new invitation and its secret, which exists only here: it is shown or mailed once."""

    invitation: Invitation
    token: str

    def link(self, base_url: str) -> str:
        return invitation_link(self.token, base_url)


def _issue(invitation: Invitation) -> Issued:
    token = secrets.token_urlsafe(32)
    invitation.digest = _digest(token)
    invitation.expires_at = timezone.now() + timedelta(days=INVITATION_DAYS)
    invitation.full_clean(exclude=["organisation", "team", "created_by", "user"])
    invitation.save()
    return Issued(invitation, token)


def _check_email_free(email: str) -> str:
    email = email.strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError({"email": _("Enter a valid e-mail address.")}) from None
    if User.objects.filter(username__iexact=email).exists() or User.objects.filter(email__iexact=email).exists():
        raise ValidationError({"email": _("There is already an account with this e-mail address.")})
    return email


@transaction.atomic
def organisation_create(
    *,
    by: User | None,
    name: str,
    slug: str,
    municipality_code: str,
    city: str = "",
    coordinator_email: str = "",
) -> Issued:
    """A new organisation and a one-time invitation for its first coordinator (a platform administrator's act)."""
    if by is not None and not by.is_superuser:
        raise ValidationError(_("Only a platform administrator creates organisations."))
    name, slug, code = name.strip(), slug.strip().lower(), municipality_code.strip().upper()
    if not name:
        raise ValidationError({"name": _("Enter the organisation's name.")})
    try:
        validate_slug(slug)
    except ValidationError:
        raise ValidationError({"slug": _("Use only lower-case letters, digits and hyphens.")}) from None
    if Organisation.objects.filter(slug=slug).exists():
        raise ValidationError({"slug": _("This short name is already in use.")})
    if not MUNICIPALITY_CODE.match(code):
        raise ValidationError({"municipality_code": _("Enter the CBS municipality code, such as GM0363.")})
    email = _check_email_free(coordinator_email) if coordinator_email.strip() else ""
    # Written for the new organisation itself: a platform administrator's request has none set.
    new_id = next_id(Organisation)
    with organisation_context(new_id):
        return _organisation_create(by, new_id, name=name, slug=slug, city=city.strip() or code, code=code, email=email)


def _organisation_create(
    by: User | None, new_id: int | None, *, name: str, slug: str, city: str, code: str, email: str
) -> Issued:
    organisation = Organisation.objects.create(id=new_id, name=name, slug=slug, city=city, municipality_code=code)
    audit_record(
        action=AuditAction.CREATE,
        actor=by,
        organisation=organisation,
        object_type="core.organisation",
        object_id=organisation.pk,
        fields=["name", "slug", "municipality_code"],
    )
    issued = _issue(Invitation(organisation=organisation, role=Role.COORDINATOR, email=email, created_by=by))
    _audit_invitation(by, issued.invitation)
    return issued


@transaction.atomic
def organisation_contact_set(*, by: User | None, slug: str, postal_address: str, phone: str) -> Organisation:
    """The postal address and phone number every letter gives residents without internet (an administrator's act)."""
    if by is not None and not by.is_superuser:
        raise ValidationError(_("Only a platform administrator creates organisations."))
    organisation = Organisation.objects.filter(slug=slug.strip().lower()).first()
    if organisation is None:
        raise ValidationError({"slug": _("No organisation has this short name.")})
    postal_address, phone = " ".join(postal_address.split()), phone.strip()
    if not postal_address or len(postal_address) > 200:
        raise ValidationError({"postal_address": _("Enter the postal address, e.g. Postbus 123, 1000 AB Amsterdam.")})
    if not CONTACT_PHONE.match(phone):
        raise ValidationError({"phone": _("Enter a phone number residents can call, such as 020 123 4567.")})
    organisation.postal_address, organisation.phone = postal_address, phone
    # An administrator's command runs for no organisation; row-level security lets only the
    # organisation's own context change its row.
    with organisation_context(organisation.pk):
        organisation.save(update_fields=["postal_address", "phone"])
        audit_record(
            action=AuditAction.UPDATE,
            actor=by,
            organisation=organisation,
            object_type="core.organisation",
            object_id=organisation.pk,
            fields=["phone", "postal_address"],
        )
    return organisation


def _audit_invitation(by: User | None, invitation: Invitation) -> None:
    fields = ["email", "role"] + (["team"] if invitation.team_id else [])
    audit_record(
        action=AuditAction.CREATE,
        actor=by,
        organisation=invitation.organisation,
        object_type=INVITATION,
        object_id=invitation.pk,
        fields=fields,
    )


@dataclass(frozen=True)
class StaffInvite:
    """What a coordinator fills in to invite a colleague."""

    email: str
    first_name: str
    last_name: str
    role: str
    team_id: int | None = None
    job_title: str = ""


@transaction.atomic
def invitation_create(*, by: User, invite: StaffInvite, base_url: str) -> Issued:
    """A coordinator invites a colleague by e-mail; the link works once, for seven days."""
    if not can(by, Capability.MANAGE_TEAMS) or by.role != Role.COORDINATOR or by.organisation is None:
        raise ValidationError(_("Only a coordinator invites colleagues."))
    organisation = by.organisation
    email = _check_email_free(invite.email)
    if Invitation.objects.filter(
        email__iexact=email, used_at=None, revoked_at=None, expires_at__gt=timezone.now()
    ).exists():
        raise ValidationError({"email": _("This address already has an open invitation.")})
    if not (invite.first_name.strip() and invite.last_name.strip()):
        raise ValidationError({"first_name": _("Enter the first name and the surname.")})
    if invite.role not in INVITABLE_ROLES:
        raise ValidationError({"role": _("Choose a role from the list.")})
    job_title = invite.job_title if invite.role == Role.PROFESSIONAL else ""
    if job_title and job_title not in JobTitle.values:
        raise ValidationError({"job_title": _("Choose a job title from the list.")})
    team = None
    if invite.team_id is not None:
        team = within_organisation(Team.objects.all(), by).filter(pk=invite.team_id).first()
        if team is None:
            raise ValidationError({"team": _("Choose a team of your own organisation.")})
    invitation = Invitation(
        organisation=organisation,
        email=email,
        first_name=invite.first_name.strip(),
        last_name=invite.last_name.strip(),
        role=invite.role,
        job_title=job_title,
        team=team,
        created_by=by,
    )
    issued = _issue(invitation)
    _audit_invitation(by, invitation)
    text = _(
        "%(name)s invites you to Veerkracht at %(organisation)s. Choose your password with this link "
        "(it works once, for %(days)d days): %(link)s"
    ) % {
        "name": by.display_name,
        "organisation": organisation.name,
        "days": INVITATION_DAYS,
        "link": issued.link(base_url),
    }
    send_mail(_("Your invitation to Veerkracht"), text, None, [email])
    return issued


def invitation_by_token(token: str) -> Invitation | None:
    """The invitation of a link, while it can still be used; None otherwise (used, expired, revoked, unknown)."""
    invitation = Invitation.objects.select_related("organisation").filter(digest=_digest(token)).first()
    return invitation if invitation is not None and invitation.usable() else None


@dataclass(frozen=True)
class Acceptance:
    """What the invited person fills in: their name (prefilled), e-mail when not yet known, and a password."""

    first_name: str
    last_name: str
    email: str
    password: str


@transaction.atomic
def invitation_accept(*, token: str, acceptance: Acceptance) -> User:
    """Use the link: the account is made with its role and team; its login name is the e-mail address.

    Nobody is signed in: the next sign-in asks for the second factor (and enrols it the first
    time) where the role needs one.
    """
    invitation = Invitation.objects.select_for_update().filter(digest=_digest(token)).first()
    if invitation is None or not invitation.usable():
        raise ValidationError(_("This link no longer works: it has been used or has expired."))
    # Nobody is signed in; the new account, its team and the audit belong to the invitation's
    # organisation, which row-level security only lets that organisation's own context write.
    with acting_for(invitation.organisation_id):
        return _accepted(invitation, acceptance)


def _accepted(invitation: Invitation, acceptance: Acceptance) -> User:
    email = invitation.email or _check_email_free(acceptance.email)
    if invitation.email and User.objects.filter(username__iexact=email).exists():
        raise ValidationError({"email": _("There is already an account with this e-mail address.")})
    first_name = acceptance.first_name.strip() or invitation.first_name
    last_name = acceptance.last_name.strip() or invitation.last_name
    if not (first_name and last_name):
        raise ValidationError({"first_name": _("Enter your first name and surname.")})
    user = User(
        organisation_id=invitation.organisation_id,
        username=email,
        email=email,
        first_name=first_name,
        last_name=last_name,
        role=invitation.role,
        job_title=invitation.job_title,
    )
    try:
        validate_password(acceptance.password, user)
    except ValidationError as error:
        raise ValidationError({"password": error.messages}) from None
    user.set_password(acceptance.password)
    user.save()
    if invitation.team_id is not None:
        invitation.team.members.add(user)  # type: ignore[union-attr]
    invitation.used_at, invitation.user = timezone.now(), user
    invitation.save(update_fields=["used_at", "user"])
    audit_record(
        action=AuditAction.UPDATE,
        actor=user,
        organisation=invitation.organisation,
        object_type=INVITATION,
        object_id=invitation.pk,
        fields=["used_at"],
    )
    audit_record(
        action=AuditAction.CREATE,
        actor=user,
        organisation=invitation.organisation,
        object_type="core.user",
        object_id=user.pk,
        fields=["password", "role", "teams"],
    )
    return user


@transaction.atomic
def invitation_revoke(*, by: User, invitation_id: int) -> None:
    """Take back an open invitation: its link stops working."""
    if not can(by, Capability.MANAGE_TEAMS) or by.role != Role.COORDINATOR:
        raise NotFound
    invitation = within_organisation(Invitation.objects.select_for_update(), by).filter(pk=invitation_id).first()
    if invitation is None:
        raise NotFound
    if invitation.used_at is None and invitation.revoked_at is None:
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
        audit_record(
            action=AuditAction.UPDATE,
            actor=by,
            object_type=INVITATION,
            object_id=invitation.pk,
            fields=["revoked_at"],
        )


@dataclass(frozen=True)
class MemberChange:
    role: str
    team_ids: frozenset[int]
    job_title: str = ""


@transaction.atomic
def member_change(*, by: User, user_id: int, change: MemberChange) -> User:
    """A coordinator changes a colleague's role and teams; only what changed is audited (by field name)."""
    member = accounts_manageable_by(by).select_for_update().filter(pk=user_id).first()
    if member is None:
        raise NotFound
    if change.role not in MANAGED_ACCOUNT_ROLES:
        raise ValidationError({"role": _("Choose a role from the list.")})
    job_title = change.job_title if change.role == Role.PROFESSIONAL else ""
    if change.role == Role.PROFESSIONAL and not job_title:
        job_title = member.job_title or JobTitle.SOCIAL_WORKER
    if job_title not in ("", *JobTitle.values):
        raise ValidationError({"job_title": _("Choose a job title from the list.")})
    teams = list(within_organisation(Team.objects.all(), by).filter(pk__in=change.team_ids))
    if len(teams) != len(change.team_ids):
        raise ValidationError({"teams": _("Choose teams of your own organisation.")})
    changed = []
    if (member.role, member.job_title) != (change.role, job_title):
        changed += [
            name
            for name, old, new in (("role", member.role, change.role), ("job_title", member.job_title, job_title))
            if old != new
        ]
        member.role, member.job_title = change.role, job_title
        member.save(update_fields=["role", "job_title"])
    if set(member.teams.values_list("pk", flat=True)) != set(change.team_ids):
        member.teams.set(teams)
        changed.append("teams")
    if changed:
        audit_record(
            action=AuditAction.UPDATE,
            actor=by,
            object_type="core.user",
            object_id=member.pk,
            fields=changed,
        )
    return member


@transaction.atomic
def member_end(*, by: User, user_id: int) -> User:
    """End a colleague's account: blocked (sessions and tokens end) and out of every team. Both audited."""
    member = accounts_manageable_by(by).select_for_update().filter(pk=user_id).first()
    if member is None:
        raise NotFound
    account_services.user_disable(user=member, by=by)
    if member.teams.exists():
        member.teams.clear()
        audit_record(
            action=AuditAction.UPDATE,
            actor=by,
            object_type="core.user",
            object_id=member.pk,
            fields=["teams"],
        )
    return member
