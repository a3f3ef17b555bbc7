"""The main menu per role, derived from the access policy."""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from veerkracht.core.access import Capability, can
from veerkracht.core.addresses import address
from veerkracht.core.models import User


@dataclass(frozen=True)
class MenuItem:
    label: str | Promise
    capability: Capability
    url_name: str | None  # None: the part is planned but not built yet

    @property
    def url(self) -> str | None:
        return address(self.url_name) if self.url_name else None


MENU = (
    MenuItem(_("Start"), Capability.VIEW_ORGANISATION, "home"),
    MenuItem(_("Residents"), Capability.VIEW_RESIDENT_REGISTER, "people:list"),
    MenuItem(_("Concerns"), Capability.VIEW_RESIDENT_REGISTER, "contacts:concerns"),
    MenuItem(_("Out of sight"), Capability.VIEW_RESIDENT_REGISTER, "contacts:out_of_sight"),
    MenuItem(_("Activities"), Capability.VIEW_OWN_PROFILE, "activities:public_list"),
    MenuItem(_("My registrations"), Capability.VIEW_OWN_PROFILE, "activities:own_registrations"),
    MenuItem(_("Ask for help"), Capability.ASK_HELP, "help:request_create"),
    MenuItem(_("My help requests"), Capability.ASK_HELP, "help:own_requests"),
    MenuItem(_("My help tasks"), Capability.OFFER_HELP, "help:my_tasks"),
    MenuItem(_("My data"), Capability.VIEW_OWN_PROFILE, "people:own_data"),
    MenuItem(_("My work"), Capability.REPORT_HOURS, "team:my_work"),
    MenuItem(_("Neighbour help"), Capability.MATCH_HELP, "help:board"),
    MenuItem(_("Activities"), Capability.HELP_AT_ACTIVITIES, "activities:manage_list"),
    MenuItem(_("Messages"), Capability.SEND_MESSAGES, "messaging:list"),
    MenuItem(_("Distancing rule of the day"), Capability.SET_CAPACITY_RULE, "activities:capacity_rule"),
    MenuItem(_("Outreach rounds"), Capability.WALK_OUTREACH, "outreach:rounds"),
    MenuItem(_("Insights"), Capability.VIEW_AGGREGATES, "insights:dashboard"),
    MenuItem(_("Weekly pulse"), Capability.ANSWER_PULSE, "insights:pulse"),
    MenuItem(_("Teams"), Capability.VIEW_ORGANISATION, "core:teams"),
    MenuItem(_("Volunteers"), Capability.MANAGE_TEAMS, "team:applications"),
    MenuItem(_("Hours"), Capability.MANAGE_TEAMS, "team:approvals"),
    MenuItem(_("Accounts"), Capability.MANAGE_TEAMS, "team:accounts"),
    MenuItem(_("Import"), Capability.MANAGE_TEAMS, "onboarding:import_start"),
    MenuItem(_("Settings"), Capability.MANAGE_TEAMS, "onboarding:settings"),
    MenuItem(_("Requests for access"), Capability.PRODUCE_INSPECTION, "people:inspection_requests"),
    MenuItem(_("Audit log"), Capability.VIEW_AUDIT_LOG, "core:audit_log"),
)


def menu_for(user: User) -> list[MenuItem]:
    """The menu items the user's role may use; the start page for everyone signed in."""
    items = [item for item in MENU if can(user, item.capability)]
    if not any(item.url_name == "home" for item in items):
        items.insert(0, MenuItem(_("Start"), Capability.VIEW_ORGANISATION, "home"))
    return items
