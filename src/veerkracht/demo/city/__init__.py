"""The demo city generator: a fictional Dutch city as plain data, the same for the same seed.

No Django here (ruff bans it in this package): :func:`generate_city` returns a :class:`City` of
dataclasses, and ``veerkracht.demo.services`` writes it to the database.
"""

import random

from veerkracht.demo.city.config import CityConfig
from veerkracht.demo.city.geography import plan_geography
from veerkracht.demo.city.housing import NeighbourhoodBuilder, NeighbourhoodLayout, flat_chances
from veerkracht.demo.city.names import NamePools, StreetNamer
from veerkracht.demo.city.people import HouseholdPlan, HouseholdPlanner, ResidentMaker
from veerkracht.demo.city.places import PlaceMaker
from veerkracht.demo.city.specs import City
from veerkracht.demo.city.staff import StaffPlanner, assign_workers, plan_teams

__all__ = ["City", "CityConfig", "generate_city"]


def generate_city(config: CityConfig) -> City:
    """Generate the whole city for ``config``; equal configs give equal cities."""

    def stream(topic: str) -> random.Random:
        # One generator per topic, so a change in one part leaves the others as they were.
        return random.Random(f"{config.seed}/{topic}")

    geography = plan_geography(stream("geography"), config)
    city = City(
        name=config.city_name,
        municipality_code=config.municipality_code,
        seed=config.seed,
        reference_year=config.reference_year,
        districts=geography.districts,
        neighbourhoods=geography.neighbourhoods,
    )
    pools = NamePools(config.seed)
    namer = StreetNamer(stream("streets"))

    mix: dict[str, float] = dict.fromkeys(config.affluence_shares, 0.0)
    for nbh, population in zip(city.neighbourhoods, geography.populations, strict=True):
        mix[nbh.affluence] += population / config.residents
    planner = HouseholdPlanner(stream("households"), config, mix)
    builder = NeighbourhoodBuilder(
        stream("housing"), city, namer, flat_chances(config.flat_share_by_affluence, config.household_type_shares)
    )
    layouts: list[NeighbourhoodLayout] = []
    placed: list[HouseholdPlan] = []  # placed[i] is the plan of city.households[i]
    for index, nbh in enumerate(city.neighbourhoods):
        plans = planner.plan(nbh.affluence, geography.populations[index])
        layout, ordered = builder.build(index, geography.themes[index], plans)
        layouts.append(layout)
        placed += ordered

    maker = ResidentMaker(stream("residents"), config, pools, placed)
    for index, plan in enumerate(placed):
        city.residents += maker.residents(plan, index, city.households[index].neighbourhood_index)

    places = PlaceMaker(stream("places"), city, namer)
    for index, layout in enumerate(layouts):
        places.add(index, geography.themes[index], layout)

    city.teams = plan_teams(city)
    city.staff = StaffPlanner(stream("staff"), city, pools).plan()
    assign_workers(stream("clients"), city)
    return city
