"""Writes of meeting places: coordinators add, change and remove their organisation's places."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from veerkracht.core.access import Capability, can, organisation_id_of, within_organisation
from veerkracht.core.audit import audit_record
from veerkracht.core.exceptions import Conflict, NotFound
from veerkracht.core.models import AuditAction, Neighbourhood, User
from veerkracht.places.capacity import opening_hours_valid
from veerkracht.places.models import Place

PLACE = "places.place"


class PlaceInUseError(Conflict):
    """The place has activities: they keep their place (past ones are part of the reports), so it stays."""


def _neighbourhood(by: User, neighbourhood_id: int | None) -> Neighbourhood | None:
    if neighbourhood_id is None:
        return None
    neighbourhood = within_organisation(Neighbourhood.objects.all(), by).filter(pk=neighbourhood_id).first()
    if neighbourhood is None:
        raise ValidationError({"neighbourhood_id": _("Choose a neighbourhood of your own organisation.")})
    return neighbourhood


def _check_opening_hours(opening_hours: Any) -> None:
    if not opening_hours_valid(opening_hours):
        raise ValidationError({"opening_hours": _('Give opening hours as {"0": [["09:00", "17:00"]]} per weekday.')})


def _own_place(by: User, place_id: int) -> Place:
    """A place of the coordinator's organisation, locked for the change; NotFound otherwise."""
    if not can(by, Capability.SET_CAPACITY_RULE):
        raise NotFound
    place = within_organisation(Place.objects.select_for_update(), by).filter(pk=place_id).first()
    if place is None:
        raise NotFound
    return place


@transaction.atomic
def place_create(*, by: User, neighbourhood_id: int | None, attributes: dict[str, Any]) -> Place:
    """Add a meeting place to the organisation (coordinators)."""
    if not can(by, Capability.SET_CAPACITY_RULE):
        raise ValidationError(_("Only a coordinator adds places."))
    neighbourhood = _neighbourhood(by, neighbourhood_id)
    _check_opening_hours(attributes.get("opening_hours", {}))
    place = Place(organisation_id=organisation_id_of(by), neighbourhood=neighbourhood, **attributes)
    place.full_clean()
    place.save()
    audit_record(action=AuditAction.CREATE, actor=by, object_type=PLACE, object_id=place.pk)
    return place


@transaction.atomic
def place_update(*, by: User, place_id: int, changes: dict[str, Any]) -> Place:
    """Change some of a place's details (coordinators of its organisation); the rest stays as it is.

    ``changes`` holds model fields, and ``neighbourhood_id`` for the neighbourhood (None: none).
    Raises ``NotFound`` for a place outside the coordinator's organisation.
    """
    place = _own_place(by, place_id)
    fields = sorted(changes)
    changes = dict(changes)
    if "neighbourhood_id" in changes:
        place.neighbourhood = _neighbourhood(by, changes.pop("neighbourhood_id"))
    if "opening_hours" in changes:
        _check_opening_hours(changes["opening_hours"])
    for name, value in changes.items():
        setattr(place, name, value)
    place.full_clean()
    place.save()
    audit_record(action=AuditAction.UPDATE, actor=by, object_type=PLACE, object_id=place.pk, fields=fields)
    return place


@transaction.atomic
def place_delete(*, by: User, place_id: int) -> None:
    """Remove a place that has no activities (coordinators of its organisation).

    Raises ``NotFound`` outside the organisation and ``PlaceInUseError`` (a Conflict) when activities use it.
    """
    place = _own_place(by, place_id)
    if place.activities.exists():
        raise PlaceInUseError(_("Activities are planned or were held here, so this place stays."))
    place.delete()
    audit_record(action=AuditAction.DELETE, actor=by, object_type=PLACE, object_id=place_id)
