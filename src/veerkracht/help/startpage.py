"""A helper's open help tasks on their start page, under "My tasks" (issue 23)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from veerkracht.core.access import Capability, can
from veerkracht.core.models import User
from veerkracht.core.startpage import Reminder
from veerkracht.help.models import OPEN_MATCH, HelpRequest, MatchStatus, Recurrence
from veerkracht.help.selectors import matches_of_helper
from veerkracht.help.vocabulary import describe_when

START_PAGE_LINES = 5


def start_page_reminder(user: User) -> Reminder | None:
    """Proposals to answer and tasks running; nothing for someone without any. No resident's name or
    address: the start page shows the kind and the moment, the task's own page the rest (and audits it)."""
    if not can(user, Capability.OFFER_HELP):
        return None
    running = list(
        matches_of_helper(user)
        .filter(status__in=OPEN_MATCH)
        .select_related(None)
        .select_related("request")[:START_PAGE_LINES]
    )
    if not running:
        return None
    return Reminder(
        heading=_("Neighbour help"),
        url=reverse("help:my_tasks"),
        link_text=_("All my help tasks"),
        lines=[
            (
                str(match.request.get_kind_display()),
                reverse("help:task", args=[match.pk]),
                f"{_('proposal: waiting for your answer') if match.status == MatchStatus.PROPOSED else _('accepted')}"
                f" · {_when(match.request)}",
            )
            for match in running
        ],
    )


def _when(help_request: HelpRequest) -> str:
    return describe_when(
        weekly=help_request.recurrence == Recurrence.WEEKLY,
        first_day=help_request.first_day,
        last_day=help_request.last_day,
        weekday=help_request.weekday,
        part=help_request.part_of_day,
    )
