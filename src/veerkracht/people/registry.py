"""The register of personal data about residents: each app declares what it holds and how it goes.

Each app that stores data about residents declares one :class:`PersonalData` in its own
``privacy.py`` and registers it in its ``AppConfig.ready``: the models it covers, an export
section (AVG art. 15) and an erasure step (AVG art. 17). The people app needs no knowledge of
contacts, help or outreach, and a test walks every model that references a resident and fails
when no declaration covers it, so a new table cannot be forgotten.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db.models import Model
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from veerkracht.core.registry import Registry
from veerkracht.people.models import Resident

# An export section: a list of titled tables, each row a mapping of Dutch column heading to value.
ExportSection = Callable[[Resident], dict[str, list[dict[str, Any]]]]
ErasureStep = Callable[[Resident], None]


@dataclass(frozen=True)
class PersonalData:
    """What one app holds about residents, and how it is exported and erased."""

    name: str  # the section's key in the export document
    heading: str | Promise  # the section's Dutch heading
    models: tuple[type[Model], ...]  # every model of the app that holds data about a resident
    export: ExportSection
    erase: ErasureStep


_registered: Registry[PersonalData] = Registry("personal data section")


def register(declaration: PersonalData) -> None:
    """Add an app's declaration; a second one with the same name, or for a model already covered, is refused."""
    claimed = {model: other.name for other in _registered.values() for model in other.models}
    for model in declaration.models:
        if model in claimed:
            raise ImproperlyConfigured(f"{model._meta.label} is already covered by {claimed[model]!r}")
    _registered.register(declaration.name, declaration)


def registered() -> tuple[PersonalData, ...]:
    """Every declaration, in the order the apps registered them."""
    return tuple(_registered.values())


def covered_models() -> set[type[Model]]:
    return {model for declaration in _registered.values() for model in declaration.models}


def shown(value: object) -> object:
    """A value as a reader of the export sees it: dates in Dutch notation, yes/no, nothing as a dash."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%d-%m-%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d-%m-%Y")
    return value
