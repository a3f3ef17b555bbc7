"""The fixed cast every permission test reuses: one user per role, plus outsiders."""

from dataclasses import dataclass

import pytest

from tests.factories import NeighbourhoodFactory, OrganisationFactory, ResidentFactory, TeamFactory, UserFactory
from veerkracht.core.models import Neighbourhood, Organisation, Team, User
from veerkracht.people.models import Resident


@dataclass
class Cast:
    organisation: Organisation
    north: Neighbourhood  # covered by team_north
    south: Neighbourhood  # covered by team_south
    team_north: Team
    team_south: Team
    coordinator: User
    professional: User  # in team_north
    other_professional: User  # in team_south
    basisbaan: User
    volunteer: User
    resident: User
    privacy_officer: User
    funder: User
    outsider_coordinator: User  # coordinator of another organisation
    outsider_professional: User
    resident_north: Resident
    resident_south: Resident
    resident_outside: Resident  # lives in the other organisation

    def everyone(self) -> dict[str, User]:
        return {
            name: getattr(self, name)
            for name in (
                "coordinator",
                "professional",
                "other_professional",
                "basisbaan",
                "volunteer",
                "resident",
                "privacy_officer",
                "funder",
                "outsider_coordinator",
                "outsider_professional",
            )
        }


@pytest.fixture
def cast(db: None) -> Cast:
    organisation = OrganisationFactory(name="Stichting Welzijn Veerstad")
    north = NeighbourhoodFactory(district__organisation=organisation, name="Noorderhof", affluence="low")
    south = NeighbourhoodFactory(district=north.district, name="Zuiderpark", affluence="high")
    member = {"organisation": organisation}
    professional = UserFactory(professional=True, username="pro", **member)
    other_professional = UserFactory(professional=True, username="pro_south", **member)
    team_north = TeamFactory(organisation=organisation, neighbourhoods=[north], members=[professional])
    team_south = TeamFactory(organisation=organisation, neighbourhoods=[south], members=[other_professional])
    other = OrganisationFactory(name="Welzijn Elders")
    outside = NeighbourhoodFactory(district__organisation=other)
    outsider_professional = UserFactory(professional=True, organisation=other, username="pro_elsewhere")
    TeamFactory(organisation=other, neighbourhoods=[outside], members=[outsider_professional])
    return Cast(
        organisation=organisation,
        north=north,
        south=south,
        team_north=team_north,
        team_south=team_south,
        coordinator=UserFactory(coordinator=True, username="coord", **member),
        professional=professional,
        other_professional=other_professional,
        basisbaan=UserFactory(basisbaan=True, username="bb", **member),
        volunteer=UserFactory(volunteer=True, username="vol", **member),
        resident=UserFactory(resident=True, username="res", **member),
        privacy_officer=UserFactory(privacy_officer=True, username="fg", **member),
        funder=UserFactory(funder=True, username="gemeente", **member),
        outsider_coordinator=UserFactory(coordinator=True, organisation=other, username="coord_elsewhere"),
        outsider_professional=outsider_professional,
        resident_north=ResidentFactory(household__building__neighbourhood=north),
        resident_south=ResidentFactory(household__building__neighbourhood=south),
        resident_outside=ResidentFactory(household__building__neighbourhood=outside),
    )
