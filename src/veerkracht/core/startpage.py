"""What the start pages show besides their fixed links: invitations and reminders kept by higher layers.

Core cannot import the apps above it; an app whose invitation depends on its data (an open
survey) registers a source here when it is ready, and the start page asks every source. The
same goes for a signed-in person's reminders (follow-ups due today).
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from veerkracht.core.models import User
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


@dataclass(frozen=True)
class Reminder:
    """A block on a signed-in person's start page: a heading, lines to act on, and the whole list."""

    heading: str
    url: str
    link_text: str
    lines: list[tuple[str, str, str]] = field(default_factory=list)  # (text, url, detail)
    empty_text: str = ""


ReminderSource = Callable[[User], Reminder | None]
reminder_sources: Registry[ReminderSource] = Registry("source of start-page reminders")


def register_reminders(name: str, source: ReminderSource) -> None:
    """Add a source of start-page reminders; a second source under the same name is refused."""
    reminder_sources.register(name, source)


def reminders_for(user: User) -> list[Reminder]:
    """Every source's reminder for the user (a source answers None when it has none for them)."""
    return [reminder for source in reminder_sources.values() if (reminder := source(user)) is not None]
