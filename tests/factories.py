"""factory_boy factories for test data; traits name the roles."""

from typing import Any

import factory
from factory.django import DjangoModelFactory

from veerkracht.core.models import District, Neighbourhood, Organisation, Team, User
from veerkracht.core.roles import JobTitle, Role
from veerkracht.people.models import Building, BuildingKind, Household, Resident

PASSWORD = "a-long-test-password"


class OrganisationFactory(DjangoModelFactory[Organisation]):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Stichting Welzijn {n}")
    slug = factory.Sequence(lambda n: f"welzijn-{n}")
    city = "Veerstad"


class DistrictFactory(DjangoModelFactory[District]):
    class Meta:
        model = District

    organisation = factory.SubFactory(OrganisationFactory)
    code = factory.Sequence(lambda n: f"WK{n:06d}")
    name = factory.Sequence(lambda n: f"Wijk {n}")


class NeighbourhoodFactory(DjangoModelFactory[Neighbourhood]):
    class Meta:
        model = Neighbourhood

    district = factory.SubFactory(DistrictFactory)
    organisation = factory.SelfAttribute("district.organisation")
    code = factory.Sequence(lambda n: f"BU{n:08d}")
    name = factory.Sequence(lambda n: f"Buurt {n}")
    affluence = "middle"


class UserFactory(DjangoModelFactory[User]):
    class Meta:
        model = User
        skip_postgeneration_save = True

    organisation = factory.SubFactory(OrganisationFactory)
    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Sam"
    last_name = factory.Sequence(lambda n: f"Jansen{n}")
    role = Role.VOLUNTEER
    password = factory.django.Password(PASSWORD)

    class Params:
        coordinator = factory.Trait(role=Role.COORDINATOR)
        professional = factory.Trait(role=Role.PROFESSIONAL, job_title=JobTitle.BUURTCOACH)
        basisbaan = factory.Trait(role=Role.BASISBAAN)
        volunteer = factory.Trait(role=Role.VOLUNTEER)
        resident = factory.Trait(role=Role.RESIDENT)
        privacy_officer = factory.Trait(role=Role.PRIVACY_OFFICER)
        funder = factory.Trait(role=Role.FUNDER)


class TeamFactory(DjangoModelFactory[Team]):
    class Meta:
        model = Team
        skip_postgeneration_save = True

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Wijkteam {n}")

    @factory.post_generation
    def neighbourhoods(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create and extracted:
            self.neighbourhoods.set(extracted)

    @factory.post_generation
    def members(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create and extracted:
            self.members.set(extracted)


class BuildingFactory(DjangoModelFactory[Building]):
    class Meta:
        model = Building

    neighbourhood = factory.SubFactory(NeighbourhoodFactory)
    organisation = factory.SelfAttribute("neighbourhood.organisation")
    kind = BuildingKind.HOUSE
    street = "Lindelaan"
    house_number = factory.Sequence(lambda n: n + 1)
    postcode = "1234 AB"
    city = "Veerstad"
    x = 125000.0
    y = 485000.0


class HouseholdFactory(DjangoModelFactory[Household]):
    class Meta:
        model = Household

    building = factory.SubFactory(BuildingFactory)
    neighbourhood = factory.SelfAttribute("building.neighbourhood")
    organisation = factory.SelfAttribute("building.organisation")
    street = factory.SelfAttribute("building.street")
    house_number = factory.SelfAttribute("building.house_number")
    postcode = factory.SelfAttribute("building.postcode")
    city = factory.SelfAttribute("building.city")
    x = factory.SelfAttribute("building.x")
    y = factory.SelfAttribute("building.y")


class ResidentFactory(DjangoModelFactory[Resident]):
    class Meta:
        model = Resident

    household = factory.SubFactory(HouseholdFactory)
    neighbourhood = factory.SelfAttribute("household.neighbourhood")
    organisation = factory.SelfAttribute("household.organisation")
    first_name = "Fatma"
    last_name = factory.Sequence(lambda n: f"Yilmaz{n}")
    birth_year = 1950
