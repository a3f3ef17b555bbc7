"""Onboarding's part in a resident's export and erasure: the invitations to an account of their own."""

from typing import Any

from django.utils.translation import get_language_info, gettext_lazy
from django.utils.translation import gettext as _

from veerkracht.core.models import OutboundMessage, OutboundStatus
from veerkracht.onboarding.models import ResidentInvitation
from veerkracht.people.models import Resident
from veerkracht.people.registry import PersonalData, shown


def _status(invitation: ResidentInvitation) -> str:
    if invitation.used_at is not None:
        return _("accepted")
    if invitation.revoked_at is not None:
        return _("withdrawn")
    return _("open") if invitation.usable() else _("expired")


def onboarding_export(resident: Resident) -> dict[str, list[dict[str, Any]]]:
    """The invitations sent to the resident: when, how, in which language, and what became of them."""
    invitations = ResidentInvitation.objects.filter(resident=resident).select_related("outbound").order_by("created_at")
    return {
        _("Invitations to an account of your own"): [
            {
                _("Sent on"): shown(invitation.created_at),
                _("Channel"): invitation.get_channel_display(),
                _("To"): shown(invitation.outbound.to if invitation.outbound else ""),
                _("Language"): str(get_language_info(invitation.language)["name_translated"]),
                _("Status"): _status(invitation),
                _("Accepted on"): shown(invitation.used_at),
            }
            for invitation in invitations
        ],
    }


def onboarding_erase(resident: Resident) -> None:
    """The invitations go, and the address and text of the messages that carried them."""
    invitations = ResidentInvitation.objects.filter(resident=resident)
    outbound = OutboundMessage.objects.filter(pk__in=invitations.values("outbound_id"))
    # What is still waiting is not sent any more: the address it would go to is gone.
    outbound.filter(status=OutboundStatus.QUEUED).update(status=OutboundStatus.FAILED, next_attempt_at=None)
    outbound.update(to="", text="", subject="", provider_id="", last_error="")
    invitations.delete()


PERSONAL_DATA = PersonalData(
    name="own_account",
    heading=gettext_lazy("Own account"),
    models=(ResidentInvitation,),
    export=onboarding_export,
    erase=onboarding_erase,
)
