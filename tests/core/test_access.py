"""The access policy, role by role, on the fixed cast."""

import pytest

from tests.conftest import Cast
from veerkracht.core.access import Capability, can, neighbourhoods_covered_by, teams_visible_to, within_organisation
from veerkracht.core.models import Neighbourhood
from veerkracht.people.models import Resident

REGISTER = Capability.VIEW_RESIDENT_REGISTER


@pytest.mark.parametrize(
    ("role", "may_see_register"),
    [
        ("coordinator", True),
        ("professional", True),
        ("basisbaan", False),
        ("volunteer", False),
        ("resident", False),
        ("privacy_officer", False),
        ("funder", False),
    ],
)
def test_only_coordinators_and_professionals_see_the_resident_register(cast: Cast, role, may_see_register):
    assert can(getattr(cast, role), REGISTER) is may_see_register


def test_only_coordinators_and_the_privacy_officer_read_the_audit_log(cast: Cast):
    readers = {name for name, user in cast.everyone().items() if can(user, Capability.VIEW_AUDIT_LOG)}
    assert readers == {"coordinator", "privacy_officer", "outsider_coordinator"}


def test_a_disabled_account_can_do_nothing(cast: Cast):
    cast.coordinator.is_active = False
    assert not can(cast.coordinator, Capability.VIEW_ORGANISATION)
    assert not neighbourhoods_covered_by(cast.coordinator).exists()


def test_a_professional_covers_only_their_teams_neighbourhoods(cast: Cast):
    assert list(neighbourhoods_covered_by(cast.professional)) == [cast.north]
    assert list(neighbourhoods_covered_by(cast.other_professional)) == [cast.south]


def test_a_coordinator_covers_every_neighbourhood_of_their_own_organisation_only(cast: Cast):
    assert set(neighbourhoods_covered_by(cast.coordinator)) == {cast.north, cast.south}
    assert cast.resident_outside.neighbourhood not in neighbourhoods_covered_by(cast.coordinator)


@pytest.mark.parametrize("role", ["basisbaan", "volunteer", "resident", "privacy_officer", "funder"])
def test_roles_without_the_register_cover_no_neighbourhood(cast: Cast, role):
    assert not neighbourhoods_covered_by(getattr(cast, role)).exists()


def test_teams_visible_to_a_professional_are_their_own(cast: Cast):
    assert list(teams_visible_to(cast.professional)) == [cast.team_north]
    assert set(teams_visible_to(cast.coordinator)) == {cast.team_north, cast.team_south}
    assert not teams_visible_to(cast.outsider_coordinator).filter(organisation=cast.organisation).exists()


def test_within_organisation_never_crosses_tenants(cast: Cast):
    residents = within_organisation(Resident.objects.all(), cast.outsider_coordinator)
    assert list(residents) == [cast.resident_outside]
    neighbourhoods = within_organisation(Neighbourhood.objects.all(), cast.coordinator)
    assert set(neighbourhoods) == {cast.north, cast.south}
