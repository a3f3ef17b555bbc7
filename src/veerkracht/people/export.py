"""Everything the organisation holds on one resident (AVG art. 15), as one document."""

from typing import Any

from django.db.models import Field
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from veerkracht.core import text_language
from veerkracht.core.models import AuditEvent, Organisation, User
from veerkracht.core.public_languages import site_languages
from veerkracht.people.models import Resident
from veerkracht.people.registry import registered, shown
from veerkracht.people.selectors import RESIDENT, resident_for_inspection
from veerkracht.people.services import EDITABLE
from veerkracht.people.vocabulary import LANGUAGES


def _register_data(resident: Resident) -> dict[str, Any]:
    data: dict[str, Any] = {name: getattr(resident, name) for name in EDITABLE if name != "assigned_worker"}
    data["assigned_worker"] = resident.assigned_worker.display_name if resident.assigned_worker else None
    data["neighbourhood"] = {"code": resident.neighbourhood.code, "name": resident.neighbourhood.name}
    household = resident.household
    data["address"] = household.address if household else None
    data["floor"] = household.floor if household else None
    data["registered_at"] = resident.created_at
    data["last_reached_at"] = resident.last_reached_at
    return data


def _register_readable(resident: Resident) -> dict[str, Any]:
    """The register data under Dutch field names, choices and languages in words, not codes."""
    names = dict(LANGUAGES)
    readable: dict[str, Any] = {}
    for name in EDITABLE:
        field = Resident._meta.get_field(name)
        label = field.verbose_name if isinstance(field, Field) else name
        value = getattr(resident, name)
        if name == "assigned_worker":
            value = value.display_name if value else None
        elif name == "languages":
            value = ", ".join(str(names.get(code, code)) for code in value)
        elif name == "preferred_channel":
            value = resident.get_preferred_channel_display()
        readable[str(label)] = shown(value)
    household = resident.household
    readable[_("Neighbourhood")] = resident.neighbourhood.name
    readable[_("Address")] = shown(household.address if household else None)
    readable[_("Registered on")] = shown(resident.created_at)
    readable[_("Last reached")] = shown(resident.last_reached_at)
    return readable


def _reads_of(resident: Resident) -> list[dict[str, Any]]:
    """Who read or changed the record, when and how (NEN 7513 style)."""
    events = AuditEvent.objects.filter(object_type=RESIDENT, object_id=str(resident.pk)).select_related("actor")
    return [
        {
            "at": event.at,
            "who": event.actor.display_name if event.actor else None,
            "role": event.actor.get_role_display() if event.actor else None,
            "action": event.get_action_display(),
            "result": event.get_result_display(),
        }
        for event in events.order_by("at", "id")
    ]


def privacy_officer_of(organisation: Organisation) -> dict[str, str]:
    """Whom the resident may ask about their data, as the organisation's settings name them."""
    return {
        "name": organisation.privacy_officer_name,
        "email": organisation.privacy_officer_email,
        "phone": organisation.privacy_officer_phone,
    }


def resident_export(*, by: User, resident_id: int, language: str = "") -> dict[str, Any]:
    """The export document: register data, every app's section, and the log of who read it.

    Its labels and values are in ``language`` when given (one of the site's), else in the resident's
    own where the application has texts in it, else Dutch (core/text_language.py); a label the
    catalogue lacks in that language is Dutch."""
    resident = resident_for_inspection(by, resident_id)
    wanted = [language] if language in site_languages() else resident.languages or []
    chosen = text_language.language_for(wanted)
    with translation.override(chosen):
        return {"language": chosen, **_document(by, resident)}


def _document(by: User, resident: Resident) -> dict[str, Any]:
    organisation = resident.neighbourhood.organisation
    document: dict[str, Any] = {
        "organisation": organisation.name,
        "privacy_officer": privacy_officer_of(organisation),
        "exported_at": timezone.now(),
        "exported_by": by.display_name,
        "resident": _register_data(resident),
        "register": _register_readable(resident),
    }
    document["sections"] = [
        {"name": declaration.name, "heading": str(declaration.heading), "tables": tables}
        for declaration in registered()
        if (tables := declaration.export(resident))
    ]
    document["access_log"] = _reads_of(resident)
    return document
