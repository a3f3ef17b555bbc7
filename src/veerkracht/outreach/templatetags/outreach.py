"""The 'visit this door' button on a resident's page."""

from typing import Any

from django import template

from veerkracht.core.access import Capability, can
from veerkracht.core.models import User
from veerkracht.outreach.models import DoorFlag
from veerkracht.people.models import Resident

register = template.Library()


@register.inclusion_tag("outreach/_door_flag.html", takes_context=True)
def door_flag(context: dict[str, Any], resident: Resident) -> dict[str, Any]:
    """Flag (or unflag) the resident's door for the next round; nothing for users who do not plan rounds."""
    user = context["request"].user
    allowed = isinstance(user, User) and can(user, Capability.PLAN_OUTREACH)
    flag = DoorFlag.objects.filter(resident=resident, cleared_at__isnull=True).first() if allowed else None
    return {"allowed": allowed, "flag": flag, "resident": resident, "csrf_token": context.get("csrf_token")}
