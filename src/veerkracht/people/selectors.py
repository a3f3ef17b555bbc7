"""Reads of residents, always through the user's scope; every read is audited."""

from collections.abc import Sequence

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from veerkracht.core.access import Capability, RegisterScope, can, neighbourhoods_in, register_scope
from veerkracht.core.audit import audit_record, audit_record_many
from veerkracht.core.db import in_register_scope, row_with_parents
from veerkracht.core.exceptions import NotFound
from veerkracht.core.models import AuditAction, AuditResult, User
from veerkracht.core.roles import Role
from veerkracht.core.rows import unique_or_none
from veerkracht.people.models import Resident
from veerkracht.people.vocabulary import marker_filter

RESIDENT = "people.resident"
# Read with a resident: the address and neighbourhood, and the district the page names beside the
# map. The assigned worker is read when there is one (one resident in fifty in the demo city):
# joining that user for everyone costs more than the rare second query.
RESIDENT_PARENTS = ("household", "neighbourhood", "neighbourhood__district")
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


PICKER_LIMIT = 10


def resident_picker(user: User, q: str) -> list[Resident]:
    """Residents in the user's scope matching a name (or street, postcode), at most ``PICKER_LIMIT``, to
    pick one by name instead of by number; each one shown is a read (audited). Fewer than two letters
    find nothing: a picker is not a way to page through the register."""
    if len(q.strip()) < 2:
        return []
    found = list(resident_search(user, q=q)[:PICKER_LIMIT])
    audit_residents_listed(user, found)
    return found


def audit_residents_listed(user: User, residents: list[Resident]) -> None:
    """A list that shows residents is a read of each of them."""
    audit_resident_ids_listed(user, [resident.pk for resident in residents])


def audit_resident_ids_listed(user: User, resident_ids: list[int]) -> None:
    """As ``audit_residents_listed``, for a list that names residents by id (a contact's participants)."""
    audit_record_many(action=AuditAction.LIST, actor=user, object_type=RESIDENT, object_ids=resident_ids)


def resident_names(user: User, ids: list[str]) -> dict[str, str]:
    """Names of the organisation's residents by id, for the audit log (an erased one says so)."""
    numbers = [int(pk) for pk in ids if pk.isdigit()]
    if user.organisation_id is None:
        return {}
    residents = Resident.objects.filter(organisation_id=user.organisation_id, pk__in=numbers)
    rows = residents.values_list("pk", "first_name", "surname_prefix", "last_name", "erased_at")
    return {
        str(pk): _("(erased)") if erased else " ".join(part for part in (first, prefix, last) if part)
        for pk, first, prefix, last, erased in rows
    }


def residents_for_inspection(user: User) -> QuerySet[Resident]:
    """Whose inspection (AVG art. 15) the user may produce: the residents of the register they see,
    and for whoever answers the organisation's requests for access (the privacy officer, who has
    no register) every resident of the organisation."""
    if can(user, Capability.PRODUCE_INSPECTION) and user.organisation_id is not None:
        return residents_in(RegisterScope.ORGANISATION, organisation_id=user.organisation_id, user_id=user.pk)
    return residents_visible_to(user)


def inspection_search(user: User, q: str) -> QuerySet[Resident]:
    """Residents whose inspection the user may produce, found by name, street or postcode."""
    found = residents_for_inspection(user).select_related("household", "neighbourhood").filter(_text_filter(q))
    return found.order_by("last_name", "first_name", "id")


def resident_for_inspection(user: User, resident_id: int) -> Resident:
    """One resident whose inspection the user may produce, audited as an export; 404 otherwise."""
    residents = residents_for_inspection(user).select_related(*RESIDENT_PARENTS).filter(pk=resident_id)
    return _audited(unique_or_none(residents), user, resident_id, AuditAction.EXPORT)


def resident_for(user: User, resident_id: int, *, action: AuditAction) -> Resident:
    """One resident in the user's scope, audited as ``action``; 404 (audited as refused) otherwise.

    The scope is that of ``residents_visible_to``, read by the statement ``core/db.py`` keeps for
    this read of every resident's page and every contact logged (checked against it there).
    """
    found = residents_in_scope(user, [resident_id], parents=RESIDENT_PARENTS)
    return _audited(found[0] if found else None, user, resident_id, action)


def residents_in_scope(user: User, resident_ids: Sequence[int], *, parents: Sequence[str] = ()) -> list[Resident]:
    """Those of the residents that ``residents_visible_to`` holds, with ``parents`` (unaudited: for
    a check, not to show them), in no particular order; read by ``core/db.py``'s statement."""
    scope = register_scope(user)
    if scope is RegisterScope.NONE or user.organisation_id is None:
        return []
    return in_register_scope(
        Resident,
        resident_ids,
        parents=parents,
        organisation_id=user.organisation_id,
        team_member_id=None if scope is RegisterScope.ORGANISATION else user.pk,
    )


def _audited(resident: Resident | None, user: User, resident_id: int, action: AuditAction) -> Resident:
    """The resident read, audited as ``action``; NotFound (audited as refused) when there is none."""
    if resident is None:
        audit_record(
            action=action,
            actor=user,
            result=AuditResult.DENIED,
            object_type=RESIDENT,
            object_id=resident_id,
        )
        raise NotFound
    audit_record(action=action, actor=user, object_type=RESIDENT, object_id=resident.pk)
    return resident


def own_record(user: User) -> Resident | None:
    """The signed-in resident's own record (the pages show the first name), or None for other accounts.

    One account, one record (the link is one-to-one); read on every activity page a resident opens,
    by core/db.py's statement.
    """
    if not (user.is_active and user.role == Role.RESIDENT):
        return None
    return row_with_parents(Resident, user=user.pk, erased_at=None)
