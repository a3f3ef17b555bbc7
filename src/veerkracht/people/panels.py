"""The panels that apps above people add to a resident's page (the contact log, registering for an activity).

People draws the page but may not import those apps (docs/layers.md): each registers its panel
from its ``AppConfig.ready``, with the template to include and what that template needs.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from veerkracht.core.models import User
from veerkracht.core.registry import Registry
from veerkracht.people.models import Resident


@dataclass(frozen=True)
class ResidentPanel:
    """A template included in the resident's page, and the context it reads (for the signed-in user)."""

    template: str
    context: Callable[[User, Resident], dict[str, Any]]


resident_panels: Registry[ResidentPanel] = Registry("panel of the resident's page")


def resident_panels_context(user: User, resident: Resident) -> dict[str, Any]:
    """What the page needs to draw every panel: their templates, in order, and their context."""
    context: dict[str, Any] = {"resident_panels": [panel.template for panel in resident_panels.values()]}
    for panel in resident_panels.values():
        context.update(panel.context(user, resident))
    return context
