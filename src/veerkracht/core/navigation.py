"""The main menu per role, derived from the access policy, grouped by task.

A phone shows the groups behind one "Menu" button (a ``<details>``, so it works without script); a
wider screen shows the items in one bar. Both mark the page the person is on.
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from veerkracht.core.access import Capability, capabilities_of
from veerkracht.core.addresses import address
from veerkracht.core.models import User


@dataclass(frozen=True, eq=False)  # compared by identity: the label is translated only when drawn
class Group:
    """A task the menu is grouped by."""

    label: str | Promise


class Groups:
    OWN = Group(_("For me"))
    RESIDENTS = Group(_("Residents"))
    NEIGHBOURHOOD = Group(_("In the neighbourhood"))
    ORGANISATION = Group(_("Organisation"))
    FIGURES = Group(_("Figures and privacy"))
    ORDER = (OWN, RESIDENTS, NEIGHBOURHOOD, ORGANISATION, FIGURES)  # as a phone shows them


@dataclass(frozen=True)
class MenuItem:
    label: str | Promise
    capability: Capability
    url_name: str | None  # None: the part is planned but not built yet
    group: Group = Groups.OWN

    @property
    def url(self) -> str | None:
        return address(self.url_name) if self.url_name else None


MENU = (
    MenuItem(_("Start"), Capability.VIEW_ORGANISATION, "home"),
    MenuItem(_("Residents"), Capability.VIEW_RESIDENT_REGISTER, "people:list", Groups.RESIDENTS),
    MenuItem(_("Concerns"), Capability.VIEW_RESIDENT_REGISTER, "contacts:concerns", Groups.RESIDENTS),
    MenuItem(_("Out of sight"), Capability.VIEW_RESIDENT_REGISTER, "contacts:out_of_sight", Groups.RESIDENTS),
    MenuItem(_("Activities"), Capability.VIEW_OWN_PROFILE, "activities:public_list"),
    MenuItem(_("My registrations"), Capability.VIEW_OWN_PROFILE, "activities:own_registrations"),
    MenuItem(_("Ask for help"), Capability.ASK_HELP, "help:request_create"),
    MenuItem(_("My help requests"), Capability.ASK_HELP, "help:own_requests"),
    MenuItem(_("My help tasks"), Capability.OFFER_HELP, "help:my_tasks"),
    MenuItem(_("My data"), Capability.VIEW_OWN_PROFILE, "people:own_data"),
    MenuItem(_("My work"), Capability.REPORT_HOURS, "team:my_work"),
    MenuItem(_("Neighbour help"), Capability.MATCH_HELP, "help:board", Groups.NEIGHBOURHOOD),
    MenuItem(_("Activities"), Capability.HELP_AT_ACTIVITIES, "activities:manage_list", Groups.NEIGHBOURHOOD),
    MenuItem(_("Messages"), Capability.SEND_MESSAGES, "messaging:list", Groups.RESIDENTS),
    MenuItem(
        _("Distancing rule of the day"), Capability.SET_CAPACITY_RULE, "activities:capacity_rule", Groups.NEIGHBOURHOOD
    ),
    MenuItem(_("Outreach rounds"), Capability.WALK_OUTREACH, "outreach:rounds", Groups.RESIDENTS),
    MenuItem(_("Insights"), Capability.VIEW_AGGREGATES, "insights:dashboard", Groups.FIGURES),
    MenuItem(_("Weekly pulse"), Capability.ANSWER_PULSE, "insights:pulse"),
    MenuItem(_("Teams"), Capability.VIEW_ORGANISATION, "core:teams", Groups.ORGANISATION),
    MenuItem(_("Volunteers"), Capability.MANAGE_TEAMS, "team:applications", Groups.ORGANISATION),
    MenuItem(_("Hours"), Capability.MANAGE_TEAMS, "team:approvals", Groups.ORGANISATION),
    MenuItem(_("Accounts"), Capability.MANAGE_TEAMS, "team:accounts", Groups.ORGANISATION),
    MenuItem(_("Import"), Capability.MANAGE_TEAMS, "onboarding:import_start", Groups.ORGANISATION),
    MenuItem(_("Settings"), Capability.MANAGE_TEAMS, "onboarding:settings", Groups.ORGANISATION),
    MenuItem(_("Requests for access"), Capability.PRODUCE_INSPECTION, "people:inspection_requests", Groups.FIGURES),
    MenuItem(_("Audit log"), Capability.VIEW_AUDIT_LOG, "core:audit_log", Groups.FIGURES),
)


def menu_for(user: User) -> list[MenuItem]:
    """The menu items the user's role may use; the start page for everyone signed in."""
    allowed = capabilities_of(user)  # once, not per item: ``user`` is Django's lazy proxy
    items = [item for item in MENU if item.capability in allowed]
    if not any(item.url_name == "home" for item in items):
        items.insert(0, MenuItem(_("Start"), Capability.VIEW_ORGANISATION, "home"))
    return items


@dataclass(frozen=True)
class MenuGroup:
    label: str | Promise
    items: list[MenuItem]


def menu_groups(items: list[MenuItem]) -> list[MenuGroup]:
    """The items under their tasks, in the order of ``Groups.ORDER``; groups without items left out."""
    return [
        MenuGroup(group.label, [item for item in items if item.group is group])
        for group in Groups.ORDER
        if any(item.group is group for item in items)
    ]


def current_item(items: list[MenuItem], path: str) -> MenuItem | None:
    """The item the page at ``path`` belongs to: the one whose address is the longest start of it
    (a resident's page is under "Residents"); the start page only for itself."""
    best: MenuItem | None = None
    for item in items:
        url = item.url
        if not url or not (path == url or (url != "/" and path.startswith(url))):
            continue
        if best is None or len(url) > len(best.url or ""):
            best = item
    return best
