"""The activities a person helps at or organises, on their start page under "My tasks" (issue 23)."""

from datetime import timedelta

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from veerkracht.activities.models import Activity
from veerkracht.core.access import Capability, can, within_organisation
from veerkracht.core.models import User
from veerkracht.core.startpage import Reminder

START_PAGE_LINES = 5
AHEAD = timedelta(days=14)


def start_page_reminder(user: User) -> Reminder | None:
    """The coming two weeks' activities where the person is organiser or helper; nothing when there are none."""
    if not can(user, Capability.HELP_AT_ACTIVITIES):
        return None
    now = timezone.now()
    mine = within_organisation(Activity.objects.filter(Q(helpers=user) | Q(organiser=user)), user)
    coming = list(
        mine.filter(cancelled_at__isnull=True, ends_at__gt=now, starts_at__lt=now + AHEAD)
        .distinct()
        .select_related("place")
        .order_by("starts_at", "pk")[:START_PAGE_LINES]
    )
    if not coming:
        return None
    return Reminder(
        heading=_("Activities I help at"),
        url=reverse("team:my_work") if can(user, Capability.REPORT_HOURS) else reverse("activities:manage_list"),
        link_text=_("All my activities"),
        lines=[
            (
                activity.title,
                reverse("activities:manage", args=[activity.pk]),
                f"{date_format(timezone.localtime(activity.starts_at), 'l j F H:i')}"
                f" · {activity.place.name if activity.place else _('online')}",
            )
            for activity in coming
        ],
    )
