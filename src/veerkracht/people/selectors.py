"""Reads of residents, always through the user's scope; every read is audited."""

from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest
from django.utils import timezone

from veerkracht.core.access import RegisterScope, neighbourhoods_in, register_scope
from veerkracht.core.audit import audit_record, audit_record_many
from veerkracht.core.models import AuditAction, AuditResult, User
from veerkracht.core.roles import Role
from veerkracht.people.models import Resident
from veerkracht.people.vocabulary import marker_filter

RESIDENT = "people.resident"
# What a line of a list of residents shows: the name, the address and the neighbourhood's name.
LISTED_RESIDENT = ("first_name", "surname_prefix", "last_name", "household", "neighbourhood__name")


def residents_visible_to(user: User) -> QuerySet[Resident]:
    """The resident register as far as the user may see it; empty for roles without the register.

    Coordinators see their organisation, professionals their teams' neighbourhoods. Volunteers
    and basisbaan workers never see the register, only task-scoped data elsewhere.
    """
    scope = register_scope(user)
    if scope is RegisterScope.NONE or user.organisation_id is None:
        return Resident.objects.none()
    return residents_in(scope, organisation_id=user.organisation_id, user_id=user.pk)


def residents_in(scope: RegisterScope, *, organisation_id: int, user_id: int | None) -> QuerySet[Resident]:
    """A scope's residents from the user's ids alone."""
    covered = neighbourhoods_in(scope, organisation_id=organisation_id, user_id=user_id)
    return Resident.objects.filter(organisation_id=organisation_id, neighbourhood__in=covered, erased_at__isnull=True)


def _normalised_postcode(text: str) -> str:
    compact = text.replace(" ", "").upper()
    return f"{compact[:4]} {compact[4:]}" if len(compact) == 6 and compact[:4].isdigit() else ""


def _text_filter(q: str) -> Q:
    """Name, street (with house number) or postcode, in any order of words."""
    postcode = _normalised_postcode(q)
    if postcode:
        return Q(household__postcode=postcode)
    combined = Q()
    for word in q.split()[:5]:
        if word.isdigit():
            combined &= Q(household__house_number=int(word))
            continue
        combined &= (
            Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(household__street__icontains=word)
            | Q(household__postcode__istartswith=word)
        )
    return combined


def resident_search(
    user: User, *, q: str = "", neighbourhood_id: int | None = None, marker: str = ""
) -> QuerySet[Resident]:
    """Residents in scope matching a text, a neighbourhood and a marker; ordered by name."""
    residents = residents_visible_to(user).select_related("household", "neighbourhood")
    if q.strip():
        residents = residents.filter(_text_filter(q.strip()))
    if neighbourhood_id is not None:
        residents = residents.filter(neighbourhood_id=neighbourhood_id)
    if marker:
        residents = residents.filter(marker_filter(marker, this_year=timezone.localdate().year))
    return residents.order_by("last_name", "first_name", "id")


def audit_residents_listed(user: User, residents: list[Resident], request: HttpRequest | None) -> None:
    """A list that shows residents is a read of each of them."""
    audit_resident_ids_listed(user, [resident.pk for resident in residents], request)


def audit_resident_ids_listed(user: User, resident_ids: list[int], request: HttpRequest | None) -> None:
    """As ``audit_residents_listed``, for a list that names residents by id (a contact's participants)."""
    audit_record_many(
        action=AuditAction.LIST, actor=user, object_type=RESIDENT, object_ids=resident_ids, request=request
    )


def resident_for(user: User, resident_id: int, *, request: HttpRequest | None, action: AuditAction) -> Resident:
    """One resident in the user's scope, audited as ``action``; 404 (audited as refused) otherwise."""
    # The assigned worker is read when there is one (one resident in fifty in the demo city):
    # joining that user for everyone costs more than the rare second query.
    resident = residents_visible_to(user).select_related("household", "neighbourhood").filter(pk=resident_id).first()
    if resident is None:
        audit_record(
            action=action,
            actor=user,
            result=AuditResult.DENIED,
            object_type=RESIDENT,
            object_id=resident_id,
            request=request,
        )
        raise Http404
    audit_record(action=action, actor=user, object_type=RESIDENT, object_id=resident.pk, request=request)
    return resident


def own_record(user: User) -> Resident | None:
    """The signed-in resident's own record (read for the first name), or None for other accounts.

    One account, one record; the pages show only the first name, so only that column is read.
    """
    if not (user.is_active and user.role == Role.RESIDENT):
        return None
    return Resident.objects.filter(user_id=user.pk, erased_at__isnull=True).only("first_name").first()
