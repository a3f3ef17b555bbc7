"""What the public start page offers besides its fixed links: invitations kept by higher layers.

Core cannot import the apps above it; an app whose invitation depends on its data (an open
survey) registers a source here when it is ready, and the start page asks every source.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class PublicInvitation:
    """A link on the public start page, with one sentence on what it is."""

    label: str
    url: str
    text: str = ""


InvitationSource = Callable[[], list[PublicInvitation]]
_SOURCES: dict[str, InvitationSource] = {}


def register_public_invitations(name: str, source: InvitationSource) -> None:
    """Add a source of invitations; a second source under the same name is a mistake."""
    if name in _SOURCES and _SOURCES[name] is not source:
        raise ValueError(f"public invitations {name!r} registered twice")
    _SOURCES[name] = source


def public_invitations() -> list[PublicInvitation]:
    """Every registered source's invitations, in the order the sources registered."""
    return [invitation for source in _SOURCES.values() for invitation in source()]
