"""A signed-in resident's own registrations: their list, and one of them to cancel.

Only the registrations of the resident's own record (``people.own_record``), never anyone else's:
another registration answers 404.
"""

from django.db.models import QuerySet
from django.utils import timezone

from veerkracht.activities.models import Registration, RegistrationStatus
from veerkracht.core.exceptions import NotFound
from veerkracht.core.models import User
from veerkracht.core.roles import Role


def own_registrations(user: User) -> QuerySet[Registration]:
    """The resident's registrations for activities still to come (not cancelled), soonest first."""
    if not (user.is_active and user.role == Role.RESIDENT and user.organisation_id is not None):
        return Registration.objects.none()
    return (
        Registration.objects.filter(
            resident__user=user,
            resident__erased_at__isnull=True,
            activity__organisation_id=user.organisation_id,
            activity__ends_at__gte=timezone.now(),
        )
        .exclude(status=RegistrationStatus.CANCELLED)
        .select_related("activity", "activity__place")
        .order_by("activity__starts_at", "pk")
    )


def own_registration(user: User, registration_id: int) -> Registration:
    """One of the resident's own registrations that can still be cancelled; 404 otherwise."""
    found = own_registrations(user).filter(pk=registration_id, activity__starts_at__gt=timezone.now()).first()
    if found is None:
        raise NotFound
    return found
