"""The rounds a person walks today or later, on their start page under "My tasks" (issue 23)."""

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from veerkracht.core.access import Capability, can, organisation_id_of
from veerkracht.core.models import User
from veerkracht.core.startpage import Reminder
from veerkracht.outreach.models import RoundStatus, RoundWalker

START_PAGE_LINES = 5


def start_page_reminder(user: User) -> Reminder | None:
    """Planned rounds from today on with the doors still to knock on; nothing when there are none."""
    if not can(user, Capability.WALK_OUTREACH):
        return None
    walkers = (
        RoundWalker.objects.filter(
            worker=user,
            round__organisation_id=organisation_id_of(user),
            round__status=RoundStatus.PLANNED,
            round__date__gte=timezone.localdate(),
        )
        .select_related("round__neighbourhood")
        .annotate(doors_left=Count("stops", filter=Q(stops__visit__isnull=True)))
        .order_by("round__date", "starts_at")[:START_PAGE_LINES]
    )
    lines = [
        (
            _("Round in %(neighbourhood)s") % {"neighbourhood": walker.round.neighbourhood.name},
            reverse("outreach:walk", args=[walker.round_id]),
            f"{date_format(timezone.localtime(walker.starts_at), 'l j F H:i')}"
            f"–{date_format(timezone.localtime(walker.ends_at), 'H:i')} · "
            + ngettext("%(count)d door to go", "%(count)d doors to go", walker.doors_left)
            % {"count": walker.doors_left},
        )
        for walker in walkers
        if walker.doors_left
    ]
    if not lines:
        return None
    return Reminder(
        heading=_("Outreach rounds"), url=reverse("outreach:rounds"), link_text=_("All my rounds"), lines=lines
    )
