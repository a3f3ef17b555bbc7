"""The coordinator's settings of their organisation: name, terms, SMS sender, privacy officer, public languages,
and the postal address and phone number its letters give.

Retention terms are bounded by the platform's maxima (RETENTION_*_YEARS_MAX, docs/adr/0023): an
organisation may keep records for less time, never for longer.
"""

import re
from dataclasses import asdict, dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from veerkracht.core.access import Capability, can
from veerkracht.core.audit import audit_record
from veerkracht.core.channels import SENDER_MAX, sender_valid
from veerkracht.core.models import AuditAction, Organisation, User
from veerkracht.core.public_languages import site_languages

OUT_OF_SIGHT_DAYS = (1, 730)  # as the database's check constraint
SMS_SENDER_MAX = SENDER_MAX
POSTAL_ADDRESS_MAX = 200
CONTACT_PHONE = re.compile(r"^\+?[0-9][0-9 \-]{8,18}$")  # a number residents can call: 020 123 4567


@dataclass(frozen=True)
class OrganisationSettings:
    name: str
    out_of_sight_days: int
    retention_contact_years: int
    retention_concern_years: int
    sms_sender: str
    privacy_officer_name: str
    privacy_officer_email: str
    privacy_officer_phone: str
    public_languages: list[str]
    postal_address: str = ""  # on every letter, with the phone: how residents without internet respond
    phone: str = ""

    @classmethod
    def of(cls, organisation: Organisation) -> "OrganisationSettings":
        """The settings as they are now, to fill the form."""
        return cls(**{name: getattr(organisation, name) for name in cls.__dataclass_fields__})


def sms_sender_valid(sender: str) -> bool:
    """A sender the providers accept (core's rule), with at least one letter: an organisation
    sends under its name, and all digits would read as a phone number that does not answer."""
    return sender_valid(sender) and any(character.isalpha() for character in sender)


def _term_errors(new: OrganisationSettings) -> dict[str, str]:
    errors: dict[str, str] = {}
    low, high = OUT_OF_SIGHT_DAYS
    if not low <= new.out_of_sight_days <= high:
        errors["out_of_sight_days"] = _("Choose between %(low)d and %(high)d days.") % {"low": low, "high": high}
    for field, maximum in (
        ("retention_contact_years", settings.RETENTION_CONTACT_YEARS_MAX),
        ("retention_concern_years", settings.RETENTION_CONCERN_YEARS_MAX),
    ):
        if not 1 <= getattr(new, field) <= maximum:
            errors[field] = _("Choose between 1 and %(maximum)d years: the platform keeps nothing longer.") % {
                "maximum": maximum
            }
    return errors


def _errors(new: OrganisationSettings) -> dict[str, str]:
    errors = _term_errors(new)
    if not new.name.strip():
        errors["name"] = _("Enter the organisation's name.")
    if new.sms_sender and not sms_sender_valid(new.sms_sender):
        errors["sms_sender"] = _("Use at most 11 letters, digits or spaces, with at least one letter (no accents).")
    if new.privacy_officer_email:
        try:
            validate_email(new.privacy_officer_email)
        except ValidationError:
            errors["privacy_officer_email"] = _("Enter a valid e-mail address.")
    if len(new.postal_address) > POSTAL_ADDRESS_MAX:
        errors["postal_address"] = _("The postal address is longer than 200 characters.")
    if new.phone and not CONTACT_PHONE.match(new.phone):
        errors["phone"] = _("Enter a phone number residents can call, such as 020 123 4567.")
    if set(new.public_languages) - set(site_languages()):
        errors["public_languages"] = _("Choose from the languages offered.")
    return errors


def _normalised(new: OrganisationSettings) -> OrganisationSettings:
    languages = [code for code in site_languages() if code in {*new.public_languages, settings.LANGUAGE_CODE}]
    return OrganisationSettings(
        **{
            **asdict(new),
            "name": new.name.strip(),
            "sms_sender": new.sms_sender.strip(),
            "privacy_officer_name": new.privacy_officer_name.strip(),
            "privacy_officer_email": new.privacy_officer_email.strip().lower(),
            "privacy_officer_phone": new.privacy_officer_phone.strip(),
            "postal_address": " ".join(new.postal_address.split()),
            "phone": new.phone.strip(),
            "public_languages": languages,
        }
    )


@transaction.atomic
def organisation_settings_change(*, by: User, new: OrganisationSettings) -> list[str]:
    """Save the coordinator's organisation settings; audits the names of the changed fields (never values)."""
    if by.organisation_id is None or not can(by, Capability.MANAGE_TEAMS):
        raise PermissionDenied
    new = _normalised(new)
    if errors := _errors(new):
        raise ValidationError(errors)
    organisation = Organisation.objects.select_for_update().get(pk=by.organisation_id)
    changed = [name for name, value in asdict(new).items() if getattr(organisation, name) != value]
    if not changed:
        return []
    for name in changed:
        setattr(organisation, name, getattr(new, name))
    organisation.save(update_fields=changed)
    audit_record(
        action=AuditAction.UPDATE,
        actor=by,
        organisation=organisation,
        object_type="core.organisation",
        object_id=organisation.pk,
        fields=changed,
    )
    return changed
