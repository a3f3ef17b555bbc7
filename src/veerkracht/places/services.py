"""Writes of meeting places."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from veerkracht.core.access import Capability, can, organisation_id_of, within_organisation
from veerkracht.core.audit import audit_record
from veerkracht.core.models import AuditAction, Neighbourhood, User
from veerkracht.places.capacity import opening_hours_valid
from veerkracht.places.models import Place


@transaction.atomic
def place_create(*, by: User, neighbourhood_id: int | None, attributes: dict[str, Any]) -> Place:
    """Add a meeting place to the organisation (coordinators)."""
    if not can(by, Capability.SET_CAPACITY_RULE):
        raise ValidationError(_("Only a coordinator adds places."))
    neighbourhood = None
    if neighbourhood_id is not None:
        neighbourhood = within_organisation(Neighbourhood.objects.all(), by).filter(pk=neighbourhood_id).first()
        if neighbourhood is None:
            raise ValidationError({"neighbourhood_id": _("Choose a neighbourhood of your own organisation.")})
    if not opening_hours_valid(attributes.get("opening_hours", {})):
        raise ValidationError({"opening_hours": _('Give opening hours as {"0": [["09:00", "17:00"]]} per weekday.')})
    place = Place(organisation_id=organisation_id_of(by), neighbourhood=neighbourhood, **attributes)
    place.full_clean()
    place.save()
    audit_record(action=AuditAction.CREATE, actor=by, object_type="places.place", object_id=place.pk)
    return place
