"""Reads of one resident see exactly what the register's queryset shows, role by role."""

import pytest

from tests.conftest import Cast
from tests.factories import ResidentFactory
from veerkracht.core.access import RegisterScope, register_scope
from veerkracht.core.exceptions import NotFound
from veerkracht.core.models import AuditAction
from veerkracht.people.selectors import own_record, resident_for, residents_visible_to


def _found(user, resident_id):
    try:
        return resident_for(user, resident_id, action=AuditAction.VIEW).pk
    except NotFound:
        return None


@pytest.mark.parametrize(
    "role",
    ["coordinator", "professional", "other_professional", "basisbaan", "volunteer", "resident", "privacy_officer",
     "funder", "outsider_coordinator", "outsider_professional"],
)  # fmt: skip
def test_one_resident_is_found_exactly_when_the_register_shows_it(cast: Cast, role):
    user = getattr(cast, role)
    visible = set(residents_visible_to(user).values_list("pk", flat=True))
    for resident in (cast.resident_north, cast.resident_south, cast.resident_outside):
        assert _found(user, resident.pk) == (resident.pk if resident.pk in visible else None)


def test_the_scope_follows_role_organisation_and_account(cast: Cast):
    assert register_scope(cast.coordinator) is RegisterScope.ORGANISATION
    assert register_scope(cast.professional) is RegisterScope.TEAMS
    assert {register_scope(cast.volunteer), register_scope(cast.basisbaan), register_scope(cast.funder)} == {
        RegisterScope.NONE
    }
    cast.coordinator.is_active = False
    assert register_scope(cast.coordinator) is RegisterScope.NONE
    assert _found(cast.coordinator, cast.resident_north.pk) is None


def test_a_resident_reads_only_their_own_record(cast: Cast):
    mine = ResidentFactory.create(
        household__building__neighbourhood=cast.north, user=cast.resident, first_name="Fatima"
    )
    own = own_record(cast.resident)
    assert own is not None
    assert (own.pk, own.first_name) == (mine.pk, "Fatima")
    assert own_record(cast.coordinator) is None  # a worker's account is no resident's record
    mine.erased_at = mine.created_at
    mine.save(update_fields=["erased_at"])
    assert own_record(cast.resident) is None
