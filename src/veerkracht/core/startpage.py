"""What the public start page offers besides its fixed links: invitations kept by higher layers.

Core cannot import the apps above it; an app whose invitation depends on its data (an open
survey) registers a source here when it is ready, and the start page asks every source.
"""

from collections.abc import Callable
from dataclasses import dataclass

from veerkracht.core.registry import Registry


@dataclass(frozen=True)
class PublicInvitation:
    """A link on the public start page, with one sentence on what it is."""

    label: str
    url: str
    text: str = ""


InvitationSource = Callable[[], list[PublicInvitation]]
sources: Registry[InvitationSource] = Registry("source of public invitations")


def register_public_invitations(name: str, source: InvitationSource) -> None:
    """Add a source of invitations; a second source under the same name is refused."""
    sources.register(name, source)


def public_invitations() -> list[PublicInvitation]:
    """Every registered source's invitations, in the order the sources registered."""
    return [invitation for source in sources.values() for invitation in source()]
