"""Neighbour help's part in a resident's export and erasure.

Erasure withdraws the resident's open requests first: a request must not be matched again, and a
helper who was proposed or had accepted the task is told it has ended (in the app and by e-mail,
without any detail of the resident), so nobody turns up at a door that expects no one.
"""

from typing import Any

from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from veerkracht.core.models import Notification, User
from veerkracht.help.models import (
    ACTIVE_REQUEST,
    CheckIn,
    HelpGiven,
    HelpRequest,
    Match,
    MatchStatus,
    RequestEvent,
    RequestStatus,
)
from veerkracht.people.models import Resident
from veerkracht.people.registry import PersonalData, shown

LIVE_MATCH = (MatchStatus.PROPOSED, MatchStatus.ACCEPTED)


def help_export(resident: Resident) -> dict[str, list[dict[str, Any]]]:
    requests = HelpRequest.objects.filter(resident=resident).prefetch_related("events", "check_ins").order_by("pk")
    given = HelpGiven.objects.filter(resident=resident).select_related("match__offer__helper").order_by("given_on")
    return {
        _("Help requests"): [
            {
                _("Kind of help"): request.get_kind_display(),
                _("How often"): request.get_recurrence_display(),
                _("From"): shown(request.first_day),
                _("Until"): shown(request.last_day),
                _("Short description"): shown(request.description),
                _("Status"): request.get_status_display(),
                _("Entered on"): shown(request.created_at),
                _("History"): "; ".join(
                    f"{shown(event.at)} {event.get_status_display()} {event.note}".strip()
                    for event in request.events.all()
                ),
                _("Check-ins"): "; ".join(
                    f"{shown(check_in.done_at)} {check_in.note}".strip() for check_in in request.check_ins.all()
                ),
            }
            for request in requests
        ],
        _("Help given"): [
            {
                _("Date"): shown(occasion.given_on),
                _("Kind of help"): occasion.get_kind_display(),
                _("Helper"): occasion.match.offer.helper.display_name,
                _("Short note"): shown(occasion.note),
            }
            for occasion in given
        ],
    }


def _tell_helper(helper: User, link: str) -> None:
    text = _("A neighbour help task of yours has ended: the request was withdrawn. You need not do anything.")
    Notification.objects.create(user=helper, text=text, link=link)
    if helper.email:
        transaction.on_commit(
            lambda: send_mail(_("Veerkracht: neighbour help withdrawn"), text, None, [helper.email], fail_silently=True)
        )


def _withdraw_open_requests(resident: Resident) -> None:
    now = timezone.now()
    open_requests = HelpRequest.objects.filter(resident=resident, status__in=ACTIVE_REQUEST).select_for_update()
    for request in open_requests:
        live = Match.objects.filter(request=request, status__in=LIVE_MATCH).select_related("offer__helper")
        for match in live:
            _tell_helper(match.offer.helper, reverse("help:task", args=[match.pk]))
        live.update(status=MatchStatus.CANCELLED, closed_at=now)
        request.status, request.status_changed_at = RequestStatus.CANCELLED, now
        request.save(update_fields=["status", "status_changed_at"])
        RequestEvent.objects.create(request=request, status=RequestStatus.CANCELLED, by=None)


def help_erase(resident: Resident) -> None:
    """Withdraw open requests and empty every text about the resident; kinds, dates and counts stay."""
    _withdraw_open_requests(resident)
    requests = HelpRequest.objects.filter(resident=resident)
    RequestEvent.objects.filter(request__in=requests).update(note="")
    CheckIn.objects.filter(request__in=requests).update(note="")
    HelpGiven.objects.filter(resident=resident).update(note="")
    requests.update(description="")


PERSONAL_DATA = PersonalData(
    name="help",
    heading=gettext_lazy("Neighbour help"),
    models=(HelpRequest, RequestEvent, Match, HelpGiven, CheckIn),
    export=help_export,
    erase=help_erase,
)
