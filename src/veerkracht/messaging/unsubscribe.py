"""One-click unsubscribe from e-mail (RFC 8058): a signed link in every bulk e-mail withdraws the consent.

A bulk e-mail carries ``List-Unsubscribe: <https://…/afmelden/e-mail/<token>/>`` and
``List-Unsubscribe-Post: List-Unsubscribe=One-Click``. The mail program POSTs to the link without
cookies or a login; the token, signed with SECRET_KEY, names the resident, so nobody can withdraw
another's consent by guessing. A GET (a link opened in a browser, or a mail scanner checking it)
only shows the button: it never withdraws anything, as RFC 8058 §3 asks. The withdrawal is audited.
"""

from django.core import signing
from django.db import transaction
from django.urls import reverse

from veerkracht.core.audit import audit_record
from veerkracht.core.dbroles import ALL
from veerkracht.core.models import AuditAction, Organisation
from veerkracht.core.tenancy import organisation_context
from veerkracht.people.models import Resident
from veerkracht.people.selectors import RESIDENT

SALT = "veerkracht.messaging.unsubscribe"


def unsubscribe_token(resident_id: int) -> str:
    """The signed token of one resident's unsubscribe link; it does not expire (old e-mails keep working)."""
    return signing.dumps(resident_id, salt=SALT)


def unsubscribe_url(base_url: str, resident_id: int) -> str:
    """The absolute link for the List-Unsubscribe header."""
    path = reverse("messaging:email_unsubscribe", kwargs={"token": unsubscribe_token(resident_id)})
    return base_url.rstrip("/") + path


def _resident_id(token: str) -> int | None:
    try:
        value = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    return value if isinstance(value, int) else None


def unsubscribe_organisation(token: str) -> Organisation | None:
    """The organisation whose e-mail the link stops (its name is shown on the page); None for a bad token."""
    resident_id = _resident_id(token)
    if resident_id is None:
        return None
    with organisation_context(ALL):  # the signature is the proof; the resident may be of any organisation
        resident = Resident.objects.select_related("organisation").filter(pk=resident_id).first()
    return resident.organisation if resident is not None else None


@transaction.atomic
def email_consent_withdraw(*, token: str) -> Organisation | None:
    """Withdraw the e-mail consent of the resident the token names; None for a bad token or an erased resident.

    Safe twice: a second click changes nothing and records nothing.
    """
    organisation = unsubscribe_organisation(token)
    resident_id = _resident_id(token)
    if organisation is None or resident_id is None:
        return None
    with organisation_context(organisation.pk):
        withdrawn = Resident.objects.filter(pk=resident_id, consent_email=True).update(consent_email=False)
        if withdrawn:
            audit_record(
                action=AuditAction.UPDATE,
                actor=None,  # the resident themselves, by the link in their e-mail
                object_type=RESIDENT,
                object_id=resident_id,
                fields=["consent_email"],
                organisation=organisation,
            )
    return organisation
