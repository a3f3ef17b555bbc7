"""The register's compiled reads see exactly what the register's queryset shows, role by role."""

import pytest

from tests.conftest import Cast
from tests.factories import ResidentFactory
from veerkracht.core.access import RegisterScope, register_scope
from veerkracht.people.selectors import ScopedRead, own_record, residents_visible_to


def _by_ids(residents, ids):
    return residents.filter(pk__in=ids).order_by("pk").values_list("pk")


@pytest.mark.parametrize(
    "role",
    ["coordinator", "professional", "other_professional", "basisbaan", "volunteer", "resident", "privacy_officer",
     "funder", "outsider_coordinator", "outsider_professional"],
)  # fmt: skip
def test_a_scoped_read_finds_what_the_register_shows(cast: Cast, role):
    user = getattr(cast, role)
    every = [cast.resident_north.pk, cast.resident_south.pk, cast.resident_outside.pk]
    read = ScopedRead(_by_ids, "ids")
    for ids in (every, every[:1], every[1:2], every[2:]):
        assert read(user, ids=ids) == list(_by_ids(residents_visible_to(user), ids))


def test_the_scope_follows_role_organisation_and_account(cast: Cast):
    assert register_scope(cast.coordinator) is RegisterScope.ORGANISATION
    assert register_scope(cast.professional) is RegisterScope.TEAMS
    assert {register_scope(cast.volunteer), register_scope(cast.basisbaan), register_scope(cast.funder)} == {
        RegisterScope.NONE
    }
    cast.coordinator.is_active = False
    assert register_scope(cast.coordinator) is RegisterScope.NONE
    assert ScopedRead(_by_ids, "ids")(cast.coordinator, ids=[cast.resident_north.pk]) == []


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
