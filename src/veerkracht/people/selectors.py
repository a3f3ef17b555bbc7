"""Reads of residents, always through the user's scope; every read is audited."""

from collections.abc import Callable
from typing import Any, Generic, TypeVar

from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest
from django.utils import timezone

from veerkracht.core.access import RegisterScope, neighbourhoods_in, register_scope
from veerkracht.core.audit import audit_record, audit_record_many
from veerkracht.core.compiled import CompiledRead, Key
from veerkracht.core.models import AuditAction, AuditResult, User
from veerkracht.core.roles import Role
from veerkracht.people.models import Resident
from veerkracht.people.vocabulary import marker_filter

T = TypeVar("T")

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
    """A scope's residents from the user's ids alone, so that a read can be compiled once per scope."""
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
    audit_record_many(
        action=AuditAction.LIST,
        actor=user,
        object_type=RESIDENT,
        object_ids=[resident.pk for resident in residents],
        request=request,
    )


def resident_for(user: User, resident_id: int, *, request: HttpRequest | None, action: AuditAction) -> Resident:
    """One resident in the user's scope, audited as ``action``; 404 (audited as refused) otherwise."""
    resident = _RESIDENT_IN_SCOPE.one(user, resident_id=resident_id)
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


class ScopedRead(Generic[T]):
    """A read of residents in the user's register scope, compiled once per scope.

    ``ScopedRead(shown, "resident_id")(user, resident_id=7)`` is
    ``list(shown(residents_visible_to(user), resident_id=7))``, for reads made on every request.
    """

    def __init__(self, shown: Callable[..., QuerySet[Any, T]], *names: str) -> None:
        def reading(scope: RegisterScope) -> Callable[..., QuerySet[Any, T]]:
            def read(organisation_id: int, user_id: int | None = None, **ids: Any) -> QuerySet[Any, T]:
                return shown(residents_in(scope, organisation_id=organisation_id, user_id=user_id), **ids)

            return read

        self._reads = {
            RegisterScope.ORGANISATION: CompiledRead(reading(RegisterScope.ORGANISATION), ("organisation_id", *names)),
            RegisterScope.TEAMS: CompiledRead(reading(RegisterScope.TEAMS), ("organisation_id", "user_id", *names)),
        }

    def __call__(self, user: User, **ids: Key) -> list[T]:
        scope = register_scope(user)
        if scope is RegisterScope.NONE or user.organisation_id is None:
            return []
        whose = {"user_id": user.pk} if scope is RegisterScope.TEAMS else {}
        return self._reads[scope](organisation_id=user.organisation_id, **whose, **ids)

    def one(self, user: User, **ids: Key) -> T | None:
        """The resident a read finds (at most one by its keys), or None."""
        found = self(user, **ids)
        return found[0] if found else None


# A resident's page and every contact logged there read the resident. The assigned worker is
# read when there is one (one resident in fifty in the demo city): joining that user for
# everyone cost more than the rare second query.
_RESIDENT_IN_SCOPE: ScopedRead[Resident] = ScopedRead(
    lambda residents, resident_id: residents.select_related("household", "neighbourhood").filter(pk=resident_id)[:1],
    "resident_id",
)


# A resident's own record, read on their activity pages and when they register: compiled once.
_OWN_RECORD = CompiledRead(
    lambda user_id: Resident.objects.filter(user_id=user_id, erased_at__isnull=True).only("first_name")[:1]
)


def own_record(user: User) -> Resident | None:
    """The signed-in resident's own record (read for the first name), or None for other accounts.

    One account, one record; the pages show the first name (all 35 columns cost twice the time).
    """
    if not (user.is_active and user.role == Role.RESIDENT):
        return None
    return _OWN_RECORD.one(user_id=user.pk)
