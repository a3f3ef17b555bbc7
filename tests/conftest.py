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
    organisation = OrganisationFactory.create(name="Stichting Welzijn Veerstad")
    north = NeighbourhoodFactory.create(district__organisation=organisation, name="Noorderhof", affluence="low")
    south = NeighbourhoodFactory.create(district=north.district, name="Zuiderpark", affluence="high")
    member = {"organisation": organisation}
    professional = UserFactory.create(professional=True, username="pro", **member)
    other_professional = UserFactory.create(professional=True, username="pro_south", **member)
    team_north = TeamFactory.create(organisation=organisation, neighbourhoods=[north], members=[professional])
    team_south = TeamFactory.create(organisation=organisation, neighbourhoods=[south], members=[other_professional])
    other = OrganisationFactory.create(name="Welzijn Elders")
    outside = NeighbourhoodFactory.create(district__organisation=other)
    outsider_professional = UserFactory.create(professional=True, organisation=other, username="pro_elsewhere")
    TeamFactory.create(organisation=other, neighbourhoods=[outside], members=[outsider_professional])
    return Cast(
        organisation=organisation,
        north=north,
        south=south,
        team_north=team_north,
        team_south=team_south,
        coordinator=UserFactory.create(coordinator=True, username="coord", **member),
        professional=professional,
        other_professional=other_professional,
        basisbaan=UserFactory.create(basisbaan=True, username="bb", **member),
        volunteer=UserFactory.create(volunteer=True, username="vol", **member),
        resident=UserFactory.create(resident=True, username="res", **member),
        privacy_officer=UserFactory.create(privacy_officer=True, username="fg", **member),
        funder=UserFactory.create(funder=True, username="gemeente", **member),
        outsider_coordinator=UserFactory.create(coordinator=True, organisation=other, username="coord_elsewhere"),
        outsider_professional=outsider_professional,
        resident_north=ResidentFactory.create(household__building__neighbourhood=north),
        resident_south=ResidentFactory.create(household__building__neighbourhood=south),
        resident_outside=ResidentFactory.create(household__building__neighbourhood=outside),
    )
