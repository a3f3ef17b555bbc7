"""Residents' own accounts: a worker invites a resident by SMS or e-mail, the resident chooses a password.

The link is made as a staff invitation's (``services._issue``'s rules): a random secret of which
only the SHA-256 digest is stored, working once, for ``INVITATION_DAYS`` days. The message goes
through the outbox (``core/outbox.py``), in the language the worker chose for the resident; that
language becomes the language of the resident's own pages. Every step is audited with field names
only: sent (by whom; ``phone`` or ``email`` names the channel), accepted, withdrawn.
"""

import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from veerkracht.core.access import Capability, can
from veerkracht.core.audit import audit_record
from veerkracht.core.db import rows_with_parents
from veerkracht.core.exceptions import NotFound
from veerkracht.core.models import AuditAction, Organisation, OutboundMessage, OutboundStatus, User
from veerkracht.core.outbox import outbox_deliver_start
from veerkracht.core.phones import mobile_e164
from veerkracht.core.public_languages import offered_by
from veerkracht.core.roles import Role
from veerkracht.core.services import token_digest
from veerkracht.core.tenancy import acting_for
from veerkracht.onboarding.models import ResidentChannel, ResidentInvitation
from veerkracht.onboarding.services import INVITATION_DAYS
from veerkracht.people.models import Resident
from veerkracht.people.reach import LeftOutReason, SendChannel, reach_for
from veerkracht.people.selectors import residents_visible_to

RESIDENT_INVITATION = "onboarding.residentinvitation"
# The link's path in a message, so that it can be struck out of the outbox once it no longer works.
_LINK_IN_TEXT = re.compile(r"/eigen-account/[A-Za-z0-9_\-]+/")


def mobile_number(phone: str) -> str:
    """'06-12 34 56 78' → '0612345678' (the resident's login name); '' for a landline or a foreign number.

    The national form of the one rule for mobile numbers (core/phones.py): '+31612345678' → '0612345678'.
    """
    e164 = mobile_e164(phone)
    return "0" + e164.removeprefix("+31") if e164 else ""


@dataclass(frozen=True)
class Route:
    """How a resident would be invited: the channel and the address, or why they cannot be."""

    channel: str = ""
    to: str = ""
    refusal: str = ""


def route_for(resident: Resident) -> Route:
    """SMS or e-mail by the rule of every sender (people/reach.py: consent, preferred channel, address).

    The login name is the mobile number or the e-mail address, so WhatsApp and letters do not carry
    an invitation. The reason for a refusal is Dutch (the worker's language) and says what to do about it.
    """
    if resident.user_id is not None:
        return Route(refusal=_("%(name)s already has an account of their own.") % {"name": resident.full_name})
    reach = reach_for(resident, (SendChannel.SMS, SendChannel.EMAIL))
    if reach.channel:
        channel = ResidentChannel.SMS if reach.channel == SendChannel.SMS else ResidentChannel.EMAIL
        to = mobile_number(reach.to) if channel == ResidentChannel.SMS else reach.to.lower()
        if User.objects.filter(username__iexact=to).exists():
            return Route(refusal=_("There is already an account with the login name %(to)s.") % {"to": to})
        return Route(channel=channel, to=to)
    if reach.reason == LeftOutReason.NO_CONSENT:
        return Route(
            refusal=_(
                "The resident has not consented to SMS or e-mail, so the invitation cannot be sent. "
                "Ask for consent first and record it under Change."
            )
        )
    return Route(
        refusal=_(
            "There is no mobile number with consent to SMS and no e-mail address with consent to e-mail. "
            "Record the phone number or e-mail address under Change."
        )
    )


def invitation_languages(resident: Resident) -> list[str]:
    """The languages an invitation can be in: those the organisation offers residents, Dutch first."""
    return list(offered_by(resident.organisation))


def default_language(resident: Resident) -> str:
    """The first language the resident speaks that is offered, else Dutch."""
    offered = invitation_languages(resident)
    return next((code for code in resident.languages or [] if code in offered), settings.LANGUAGE_CODE)


def open_invitation(resident: Resident) -> ResidentInvitation | None:
    """The resident's newest invitation whose link still works, if any.

    Asked on every resident's page: read by core/db.py's statement (the few unused ones; their
    expiry is compared here).
    """
    now = timezone.now()
    unused = rows_with_parents(ResidentInvitation, resident=resident.pk, used_at=None, revoked_at=None)
    working = [invitation for invitation in unused if invitation.expires_at > now]
    return max(working, key=lambda invitation: (invitation.created_at, invitation.pk), default=None)


def _in_scope(by: User, resident_id: int) -> Resident:
    """The resident, locked, when the worker may invite them; ``NotFound`` (a 404) otherwise."""
    if not can(by, Capability.SEND_MESSAGES):
        raise NotFound
    # Locks the resident alone (not the organisation joined for its name): two sends at once make one invitation.
    visible = residents_visible_to(by).select_for_update(of=("self",)).select_related("organisation")
    resident = visible.filter(pk=resident_id).first()
    if resident is None:
        raise NotFound
    return resident


def _texts(resident: Resident, organisation: Organisation, language: str, link: str) -> tuple[str, str]:
    """Subject and text in ``language``; in Dutch when the catalogue has no text in it."""
    facts = {"first_name": resident.first_name, "organisation": organisation.name, "days": INVITATION_DAYS}
    with translation.override(language):
        subject = _("Your own account at %(organisation)s") % facts
        text = (
            _(
                "Hello %(first_name)s, %(organisation)s invites you to make your own account in Veerkracht. "
                "Choose your password with this link; it works once, for %(days)d days:"
            )
            % facts
        )
    with translation.override("en"):
        untranslated = _("Your own account at %(organisation)s") % facts
    if language not in ("en", settings.LANGUAGE_CODE) and subject == untranslated:
        return _texts(resident, organisation, settings.LANGUAGE_CODE, link)
    return subject, f"{text} {link}"


def _strike_link(invitation: ResidentInvitation) -> None:
    """Take the link out of the message's text in the outbox once it no longer works (used, withdrawn, replaced)."""
    if invitation.outbound_id is None:
        return
    outbound = OutboundMessage.objects.filter(pk=invitation.outbound_id).first()
    if outbound is not None and _LINK_IN_TEXT.search(outbound.text):
        outbound.text = _LINK_IN_TEXT.sub("/eigen-account/…/", outbound.text)
        outbound.save(update_fields=["text"])


def _revoke(invitation: ResidentInvitation) -> None:
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    # A message still waiting (no provider yet, or in back-off) is not sent any more: its link is struck
    # out below and would reach the resident broken (as privacy.onboarding_erase does).
    if invitation.outbound_id is not None:
        waiting = OutboundMessage.objects.filter(pk=invitation.outbound_id, status=OutboundStatus.QUEUED)
        waiting.update(status=OutboundStatus.FAILED, next_attempt_at=None)
    _strike_link(invitation)


@dataclass(frozen=True)
class Sent:
    invitation: ResidentInvitation
    token: str
    to: str


@transaction.atomic
def resident_invite(
    *,
    by: User,
    resident_id: int,
    language: str,
    base_url: str,
    again: bool = False,
) -> Sent:
    """Send the resident a link to make their own account; ``again`` replaces an open invitation.

    Refused (ValidationError, in Dutch) without consent or an address for SMS or e-mail, when the
    resident already has an account, or when an invitation is open and ``again`` is not asked.
    """
    resident = _in_scope(by, resident_id)
    route = route_for(resident)
    if route.refusal:
        raise ValidationError(route.refusal)
    if language not in invitation_languages(resident):
        raise ValidationError({"language": _("Choose a language from the list.")})
    pending = open_invitation(resident)
    if pending is not None and not again:
        raise ValidationError(_("An invitation has already been sent; send it again or withdraw it."))
    if pending is not None:
        _revoke(pending)
    token = secrets.token_urlsafe(32)
    invitation = ResidentInvitation.objects.create(
        organisation=resident.organisation,
        resident=resident,
        channel=route.channel,
        language=language,
        digest=token_digest(token),
        created_by=by,
        expires_at=timezone.now() + timedelta(days=INVITATION_DAYS),
    )
    link = base_url.rstrip("/") + reverse("onboarding:resident_accept", kwargs={"token": token})
    subject, text = _texts(resident, resident.organisation, language, link)
    outbound = OutboundMessage.objects.create(
        organisation=resident.organisation,
        channel=route.channel,
        to=route.to,
        subject=subject if route.channel == ResidentChannel.EMAIL else "",
        text=text,
    )
    invitation.outbound = outbound
    invitation.save(update_fields=["outbound"])
    outbox_deliver_start(organisation=resident.organisation, by=by, outbound_ids=[outbound.pk])
    audit_record(
        action=AuditAction.CREATE,
        actor=by,
        object_type=RESIDENT_INVITATION,
        object_id=invitation.pk,
        fields=["phone" if route.channel == ResidentChannel.SMS else "email", "language"],
    )
    return Sent(invitation, token, route.to)


@transaction.atomic
def resident_invitation_withdraw(*, by: User, resident_id: int) -> bool:
    """Withdraw the resident's open invitation: its link stops working. False when none was open."""
    resident = _in_scope(by, resident_id)
    pending = open_invitation(resident)
    if pending is None:
        return False
    _revoke(pending)
    audit_record(
        action=AuditAction.UPDATE,
        actor=by,
        object_type=RESIDENT_INVITATION,
        object_id=pending.pk,
        fields=["revoked_at"],
    )
    return True


def resident_invitation_by_token(token: str) -> ResidentInvitation | None:
    """The invitation of a link, whether or not it still works; None for a link that never was one."""
    if not token or len(token) > 100:
        return None
    return ResidentInvitation.objects.select_related("organisation").filter(digest=token_digest(token)).first()


@transaction.atomic
def resident_invitation_accept(*, token: str, password: str) -> User:
    """Use the link: the resident's account is made, linked to their record, in the invitation's language.

    The invitation is locked first, so a second submit (a double tap) finds it used and makes nothing.
    """
    found = resident_invitation_by_token(token)
    if found is None:
        raise ValidationError(_("This link no longer works: it has been used, withdrawn or has expired."))
    with acting_for(found.organisation_id):
        return _accept(found.pk, password)


def _accept(invitation_id: int, password: str) -> User:
    invitation = ResidentInvitation.objects.select_for_update().get(pk=invitation_id)
    resident = Resident.objects.select_for_update().filter(pk=invitation.resident_id, erased_at=None).first()
    if not invitation.usable() or resident is None or resident.user_id is not None:
        raise ValidationError(_("This link no longer works: it has been used, withdrawn or has expired."))
    login = _login_name(resident, invitation.channel)
    user = User(
        organisation_id=invitation.organisation_id,
        username=login,
        email=resident.email.strip().lower() if invitation.channel == ResidentChannel.EMAIL else "",
        first_name=resident.first_name,
        last_name=" ".join(part for part in (resident.surname_prefix, resident.last_name) if part),
        role=Role.RESIDENT,
        language=invitation.language,
    )
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise ValidationError({"password": error.messages}) from None
    user.set_password(password)
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:  # the login name was taken since the invitation went out
        raise ValidationError(_("There is already an account with the login name %(to)s.") % {"to": login}) from None
    resident.user = user
    resident.save(update_fields=["user"])
    invitation.used_at, invitation.user = timezone.now(), user
    invitation.save(update_fields=["used_at", "user"])
    _strike_link(invitation)
    audit_record(
        action=AuditAction.UPDATE,
        actor=user,
        organisation=invitation.organisation,
        object_type=RESIDENT_INVITATION,
        object_id=invitation.pk,
        fields=["used_at"],
    )
    audit_record(
        action=AuditAction.CREATE,
        actor=user,
        organisation=invitation.organisation,
        object_type="core.user",
        object_id=user.pk,
        fields=["language", "password", "resident", "role"],
    )
    return user


def _address(resident: Resident, channel: str) -> str:
    """The address a link by ``channel`` goes to, which is also the login name: a mobile number or e-mail."""
    return mobile_number(resident.phone) if channel == ResidentChannel.SMS else resident.email.strip().lower()


def _login_name(resident: Resident, channel: str) -> str:
    login = _address(resident, channel)
    if not login:  # the address was removed after the link went out
        raise ValidationError(_("This link no longer works: it has been used, withdrawn or has expired."))
    return login


def login_name_for(invitation: ResidentInvitation) -> str:
    """The login name the accept page announces (read acting for the invitation's organisation)."""
    with acting_for(invitation.organisation_id):
        resident = Resident.objects.filter(pk=invitation.resident_id).only("phone", "email").first()
    return _address(resident, invitation.channel) if resident is not None else ""


def expired_invitations(organisation: Organisation, now: datetime) -> QuerySet[ResidentInvitation]:
    """Invitations past their seven days (used, withdrawn or not): nothing needs them any more."""
    return ResidentInvitation.objects.filter(organisation=organisation, expires_at__lt=now)
