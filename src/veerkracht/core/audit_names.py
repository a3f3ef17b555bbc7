"""What an audit event is about, in words: "Bewoner Fatma Yilmaz" instead of "people.resident 4716".

The audit log lives in core and cannot know the apps above it, so each app that audits its
records registers how to name them (in ``AppConfig.ready``), as Open-Forms' registries do.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.utils.functional import Promise

from veerkracht.core.models import AuditEvent, User
from veerkracht.core.registry import Registry

Namer = Callable[[User, list[str]], dict[str, str]]  # (reader, object ids) → id → name


@dataclass(frozen=True)
class Kind:
    label: str | Promise  # "Bewoner"
    names: Namer


_KINDS: Registry[Kind] = Registry("audit record kind")


def register(object_type: str, label: str | Promise, names: Namer) -> None:
    """Name the records of ``object_type`` ('people.resident') in the audit log; a second time is refused."""
    _KINDS.register(object_type, Kind(label, names))


def described(user: User, events: Iterable[AuditEvent]) -> dict[int, str]:
    """Event id → what it is about in words, one query per kind of record on the page."""
    events = list(events)
    wanted: dict[str, list[str]] = {}
    for event in events:
        if event.object_type in _KINDS and event.object_id:
            wanted.setdefault(event.object_type, []).append(event.object_id)
    names = {kind: _KINDS[kind].names(user, ids) for kind, ids in wanted.items()}
    return {event.pk: _describe(event, names.get(event.object_type, {})) for event in events}


def name_of(user: User, object_type: str, object_id: str) -> str:
    """One record's name ("Fatma Yilmaz"), or its id when its kind names nothing."""
    kind = _KINDS.get(object_type)
    return kind.names(user, [object_id]).get(object_id, object_id) if kind else object_id


def _describe(event: AuditEvent, names: dict[str, str]) -> str:
    kind = _KINDS.get(event.object_type)
    if kind is None:
        return f"{event.object_type} {event.object_id}".strip()
    return f"{kind.label} {names.get(event.object_id, event.object_id)}"
