"""The demo city generator: deterministic, calibrated, and internally consistent."""

import itertools
import re
from collections import Counter, defaultdict

import pytest

from veerkracht.core.channels import Channel
from veerkracht.core.roles import JobTitle, Role
from veerkracht.demo.city import City, CityConfig, generate_city
from veerkracht.demo.city.names import TUSSENVOEGSELS, split_surname
from veerkracht.demo.city.specs import NeighbourhoodSpec
from veerkracht.demo.logins import DEMO_USERNAMES
from veerkracht.people.models import BuildingKind
from veerkracht.places.models import PlaceKind

YEAR = 2025


def build(residents: int, seed: int = 1) -> City:
    return generate_city(CityConfig(residents=residents, seed=seed, reference_year=YEAR))


@pytest.fixture(scope="module")
def city() -> City:
    return build(5000, seed=11)


def age(birth_year: int) -> int:
    return YEAR - birth_year


def share(flags: list[bool]) -> float:
    return sum(flags) / len(flags)


def inside(nbh: NeighbourhoodSpec, x: float, y: float) -> bool:
    """Ray casting against the GeoJSON ring itself, not the rectangle it was made from."""
    ring = nbh.boundary["coordinates"][0]
    hit = False
    for (x1, y1), (x2, y2) in itertools.pairwise(ring):
        if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
            hit = not hit
    return hit


# Determinism


def test_the_same_seed_gives_the_same_city() -> None:
    assert build(800, seed=5) == build(800, seed=5)


def test_another_seed_gives_another_city() -> None:
    first, second = build(800, seed=5), build(800, seed=6)
    assert [r.first_name for r in first.residents] != [r.first_name for r in second.residents]
    assert {b.street for b in first.buildings} != {b.street for b in second.buildings}
    assert [d.name for d in first.districts] != [d.name for d in second.districts]


@pytest.mark.parametrize("residents", [1, 3, 17, 500, 2345])
def test_the_city_has_exactly_the_residents_asked_for(residents: int) -> None:
    assert len(build(residents).residents) == residents


# Calibration (docs/architecture.md, "The demo city"): shares within sampling tolerance on 5,000 residents


def test_about_a_fifth_is_65_or_older(city: City) -> None:
    assert share([age(r.birth_year) >= 65 for r in city.residents]) == pytest.approx(0.20, abs=0.025)


def test_about_39_percent_of_households_are_one_person(city: City) -> None:
    sizes = Counter(r.household_index for r in city.residents)
    assert share([sizes[index] == 1 for index in range(len(city.households))]) == pytest.approx(0.39, abs=0.03)


def test_about_a_quarter_has_a_migration_background(city: City) -> None:
    assert share([r.migration_background for r in city.residents]) == pytest.approx(0.25, abs=0.04)


def test_about_one_in_ten_is_an_informal_carer(city: City) -> None:
    assert share([r.informal_carer for r in city.residents]) == pytest.approx(0.10, abs=0.02)
    assert not any(r.informal_carer for r in city.residents if age(r.birth_year) < 18)


def test_the_markers_follow_from_household_and_age(city: City) -> None:
    sizes = Counter(r.household_index for r in city.residents)
    for r in city.residents:
        assert r.lives_alone == (sizes[r.household_index] == 1)
        assert r.older_migrant == (r.migration_background and age(r.birth_year) >= 65)


def test_digital_skills_and_mobility_worsen_with_age(city: City) -> None:
    young = [r for r in city.residents if 18 <= age(r.birth_year) < 65]
    old = [r for r in city.residents if age(r.birth_year) >= 75]
    assert share([r.low_digital_skills for r in old]) > 3 * share([r.low_digital_skills for r in young])
    assert share([r.limited_mobility for r in old]) > 4 * share([r.limited_mobility for r in young])
    assert 0.15 < share([r.limited_mobility for r in old]) < 0.45


def test_almost_everyone_speaks_dutch_and_migrants_also_their_own_language(city: City) -> None:
    assert all(r.languages for r in city.residents)
    assert share(["nl" in r.languages for r in city.residents]) > 0.9
    migrants = [r for r in city.residents if r.migration_background]
    others = {"tr", "ar", "ber", "pap", "pl", "de", "en", "ti", "so", "srn", "id", "es"}
    assert share([bool(others & set(r.languages)) for r in migrants]) > 0.5
    older_migrants = [r for r in migrants if r.older_migrant]
    assert share(["nl" not in r.languages for r in older_migrants]) > 0.1  # some never learnt Dutch
    assert all(
        r.languages == ("nl",) or r.languages == ("nl", "en") for r in city.residents if not r.migration_background
    )


def test_register_fields_follow_from_languages_age_and_contact_details(city: City) -> None:
    assert all(re.fullmatch(r"[a-z]{2,3}", code) for r in city.residents for code in r.languages)
    for r in city.residents:
        assert r.interpreter_needed == ("nl" not in r.languages)
        assert not r.key_figure or r.key_figure_needed
        assert r.preferred_channel in {"", *Channel.values}
        if r.consent_days_ago is None:
            assert not any((r.consent_sms, r.consent_email, r.consent_help_exchange, r.consent_activities))
        else:
            assert 0 <= r.consent_days_ago <= 3 * 365
        assert r.phone or not r.consent_sms
        assert r.email or not r.consent_email
    assert any(r.key_figure for r in city.residents)
    assert not any(r.consent_days_ago is not None for r in city.residents if age(r.birth_year) < 16)


def test_clients_have_a_professional_of_their_own_wijkteam(city: City) -> None:
    team_of = {nbh: team for team, spec in enumerate(city.teams) for nbh in spec.neighbourhood_indices}
    clients = [r for r in city.residents if r.assigned_staff_index is not None]
    assert 0.005 < len(clients) / len(city.residents) < 0.05
    for r in clients:
        assert r.assigned_staff_index is not None
        worker = city.staff[r.assigned_staff_index]
        assert worker.role == Role.PROFESSIONAL
        assert team_of[r.neighbourhood_index] in worker.team_indices
    # Those with more vulnerability markers are more often a client.
    older_alone = [r for r in city.residents if age(r.birth_year) >= 75 and r.lives_alone]
    assert share([r.assigned_staff_index is not None for r in older_alone]) > 3 * len(clients) / len(city.residents)


def test_lower_affluence_means_more_flats_and_more_migration() -> None:
    city = build(20_000, seed=3)

    def by_level(level: str) -> tuple[float, float]:
        nbhs = {i for i, n in enumerate(city.neighbourhoods) if n.affluence == level}
        households = [h for h in city.households if h.neighbourhood_index in nbhs]
        residents = [r for r in city.residents if r.neighbourhood_index in nbhs]
        return (
            share([h.entrance_index is not None for h in households]),
            share([r.migration_background for r in residents]),
        )

    low, high = by_level("low"), by_level("high")
    assert low[0] > high[0] + 0.4
    assert low[1] > 2 * high[1]


# Consistency


def test_every_household_has_a_resident_of_its_neighbourhood(city: City) -> None:
    members = defaultdict(list)
    for r in city.residents:
        members[r.household_index].append(r)
    assert set(members) == set(range(len(city.households)))
    for index, household in enumerate(city.households):
        assert {r.neighbourhood_index for r in members[index]} == {household.neighbourhood_index}
        assert city.buildings[household.building_index].neighbourhood_index == household.neighbourhood_index


def test_every_coordinate_lies_inside_its_neighbourhood(city: City) -> None:
    nbhs = city.neighbourhoods
    for b in city.buildings:
        assert inside(nbhs[b.neighbourhood_index], b.x, b.y)
    for e in city.entrances:
        assert inside(nbhs[city.buildings[e.building_index].neighbourhood_index], e.x, e.y)
    for h in city.households:
        assert inside(nbhs[h.neighbourhood_index], h.x, h.y)
    for c in city.courtyards:
        assert inside(nbhs[c.neighbourhood_index], c.x, c.y)
    for p in city.places:
        assert inside(nbhs[p.neighbourhood_index], p.x, p.y)


def test_neighbourhoods_tile_without_overlap_on_the_rd_like_grid(city: City) -> None:
    rects = [n.rect for n in city.neighbourhoods]
    for i, a in enumerate(rects):
        assert 100_000 <= a.x0 < a.x1 <= 160_000
        assert 450_000 <= a.y0 < a.y1 <= 520_000
        for b in rects[i + 1 :]:
            assert a.x1 <= b.x0 or b.x1 <= a.x0 or a.y1 <= b.y0 or b.y1 <= a.y0


def test_cbs_style_codes(city: City) -> None:
    district_codes = [d.code for d in city.districts]
    assert all(re.fullmatch(r"WK0999\d\d", code) for code in district_codes)
    assert len(set(district_codes)) == len(district_codes)
    nbh_codes = [n.code for n in city.neighbourhoods]
    assert len(set(nbh_codes)) == len(nbh_codes)
    for n in city.neighbourhoods:
        assert re.fullmatch(r"BU0999\d{4}", n.code)
        assert n.code[2:8] == city.districts[n.district_index].code[2:]
    assert {n.affluence for n in city.neighbourhoods} == {"low", "middle", "high"}


def test_dutch_addresses_with_one_postcode_per_street(city: City) -> None:
    postcodes_of_street = defaultdict(set)
    addresses = set()
    for h in city.households:
        assert re.fullmatch(r"[1-9]\d{3} [A-Z]{2}", h.postcode)
        assert h.postcode[5:] not in {"SA", "SD", "SS"}
        assert int(h.postcode[:4]) == city.neighbourhoods[h.neighbourhood_index].postcode_digits
        postcodes_of_street[h.street].add(h.postcode)
        address = (h.street, h.house_number, h.house_number_suffix)
        assert address not in addresses
        addresses.add(address)
    assert all(len(codes) == 1 for codes in postcodes_of_street.values())
    assert any(h.house_number_suffix for h in city.households)
    assert any(not h.house_number_suffix for h in city.households)


def test_flats_have_entrances_and_courtyards_houses_do_not(city: City) -> None:
    entrances_of = defaultdict(list)
    for index, e in enumerate(city.entrances):
        entrances_of[e.building_index].append(index)
    kinds = {b.kind for b in city.buildings}
    assert kinds == {BuildingKind.FLAT.value, BuildingKind.HOUSE.value}
    for index, b in enumerate(city.buildings):
        if b.kind == "flat":
            assert 2 <= len(entrances_of[index]) <= 4
            assert b.floors >= 3
            assert b.courtyard_index is not None
            assert city.courtyards[b.courtyard_index].neighbourhood_index == b.neighbourhood_index
        else:
            assert not entrances_of[index]
            assert b.courtyard_index is None
    for h in city.households:
        building = city.buildings[h.building_index]
        if building.kind == "flat":
            assert h.entrance_index in entrances_of[h.building_index]
            assert 0 <= (h.floor or 0) < building.floors
        else:
            assert h.entrance_index is None
    blocks_per_courtyard = Counter(b.courtyard_index for b in city.buildings if b.courtyard_index is not None)
    assert set(blocks_per_courtyard.values()) <= {1, 2, 3, 4}
    assert max(blocks_per_courtyard.values()) >= 2


def test_places_are_plausible(city: City) -> None:
    kinds = Counter(p.kind for p in city.places)
    assert set(kinds) <= set(PlaceKind.values) - {"online"}
    assert kinds["library"] == len(city.districts)
    assert kinds["courtyard"] == len(city.courtyards)
    assert {p.neighbourhood_index for p in city.places if p.kind == "playground"} == set(
        range(len(city.neighbourhoods))
    )
    assert len({p.name for p in city.places}) == len(city.places)
    for p in city.places:
        assert p.indoor == (p.kind in {"community_centre", "library", "school", "place_of_worship"})
        assert p.area_m2 >= 100
        assert 10 <= p.normal_capacity <= p.area_m2
    parks = [p for p in city.places if p.kind == "park"]
    assert all(p.area_m2 > 5000 for p in parks)


def test_dutch_names_with_tussenvoegsels_apart(city: City) -> None:
    prefixes = Counter(r.surname_prefix for r in city.residents)
    assert set(prefixes) <= {"", *TUSSENVOEGSELS}
    assert prefixes["van"] + prefixes["de"] + prefixes["van der"] > 0.1 * len(city.residents)
    assert all(r.first_name and r.last_name and r.last_name[0].isupper() for r in city.residents)
    assert split_surname("van der Berg") == ("van der", "Berg")
    assert split_surname("Van Dijk") == ("van", "Dijk")
    assert split_surname("Goyaerts van Waderle") == ("", "Goyaerts van Waderle")
    # Children carry the surname of the household's head.
    heads: dict[int, tuple[str, str]] = {}
    for r in city.residents:
        heads.setdefault(r.household_index, (r.surname_prefix, r.last_name))
        if age(r.birth_year) < 12:
            assert (r.surname_prefix, r.last_name) == heads[r.household_index]


def test_contact_details_for_some_adults_only(city: City) -> None:
    adults = [r for r in city.residents if age(r.birth_year) >= 18]
    assert 0.4 < share([bool(r.phone) for r in adults]) < 0.9
    assert 0.1 < share([bool(r.email) for r in adults]) < 0.6
    assert not any(r.phone or r.email for r in city.residents if age(r.birth_year) < 16)
    assert all(re.fullmatch(r"06-\d{8}", r.phone) for r in city.residents if r.phone)
    assert all(re.fullmatch(r"[a-z0-9.]+@example\.(com|net|org)", r.email) for r in city.residents if r.email)


# Teams and accounts


def test_teams_cover_every_neighbourhood_once(city: City) -> None:
    covered = [nbh for team in city.teams for nbh in team.neighbourhood_indices]
    assert sorted(covered) == list(range(len(city.neighbourhoods)))
    assert all(1 <= len(team.neighbourhood_indices) <= 4 for team in city.teams)
    assert all(team.name.startswith("Wijkteam ") for team in city.teams)
    for team in city.teams:
        assert len({city.neighbourhoods[n].district_index for n in team.neighbourhood_indices}) == 1


def test_accounts_have_valid_roles_teams_and_unique_usernames(city: City) -> None:
    usernames = [s.username for s in city.staff]
    assert len(set(usernames)) == len(usernames)
    demo = {s.username: s for s in city.staff if s.is_demo_login}
    assert tuple(demo) == DEMO_USERNAMES
    assert demo["worker"].job_title == "buurtcoach"
    assert demo["worker"].team_indices == (0,)
    for s in city.staff:
        assert s.role in Role.values
        assert (s.job_title in JobTitle.values) if s.role == Role.PROFESSIONAL else s.job_title == ""
        if not s.is_demo_login:
            assert s.role in {Role.PROFESSIONAL, Role.BASISBAAN, Role.VOLUNTEER}
            assert len(s.team_indices) == 1
    roles = Counter(s.role for s in city.staff if not s.is_demo_login)
    assert roles[Role.VOLUNTEER] == pytest.approx(5000 / 160, abs=1)
    assert roles[Role.BASISBAAN] >= 1
    for team in range(len(city.teams)):
        pros = [s for s in city.staff if s.role == Role.PROFESSIONAL and team in s.team_indices]
        assert 3 <= len(pros) <= 5


def test_the_resident_login_is_an_older_resident_of_the_first_team(city: City) -> None:
    login = next(s for s in city.staff if s.username == "resident")
    assert login.resident_index is not None
    person = city.residents[login.resident_index]
    assert person.neighbourhood_index in city.teams[0].neighbourhood_indices
    assert age(person.birth_year) >= 75
    assert person.lives_alone
    assert login.first_name == person.first_name
    assert [s.resident_index for s in city.staff if s.resident_index is not None] == [login.resident_index]


def test_a_config_out_of_range_is_refused() -> None:
    with pytest.raises(ValueError, match="at least one resident"):
        CityConfig(residents=0, seed=1, reference_year=YEAR)
    with pytest.raises(ValueError, match="between 0 and 1"):
        CityConfig(residents=10, seed=1, reference_year=YEAR, share_65_plus=1.5)


def test_the_shares_are_configurable() -> None:
    config = CityConfig(residents=4000, seed=2, reference_year=YEAR, share_migration_background=0.5, share_65_plus=0.3)
    city = generate_city(config)
    assert share([r.migration_background for r in city.residents]) == pytest.approx(0.5, abs=0.06)
    assert share([age(r.birth_year) >= 65 for r in city.residents]) == pytest.approx(0.3, abs=0.03)
