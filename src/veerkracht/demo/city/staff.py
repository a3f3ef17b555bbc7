"""Wijkteams and the people who sign in: the demo logins and generated colleagues."""

import random
from collections.abc import Iterator
from dataclasses import replace

from veerkracht.demo.city import config as cal
from veerkracht.demo.city.names import COMPASS, ORIGINS, NamePools, ascii_slug
from veerkracht.demo.city.specs import City, StaffSpec, TeamSpec
from veerkracht.demo.logins import DEMO_LOGINS

MAX_NEIGHBOURHOODS_PER_TEAM = 4
# (job title, weight): most professionals are social workers; the glossary's other titles follow.
JOB_TITLE_WEIGHTS = (
    ("sociaal_werker", 0.35),
    ("buurtcoach", 0.20),
    ("opbouwwerker", 0.15),
    ("gebiedsmakelaar", 0.10),
    ("wijkmeester", 0.10),
    ("buurtsportcoach", 0.10),
)
# Chance that a resident with 0, 1, 2, 3+ vulnerability markers has an assigned worker.
CLIENT_CHANCE_BY_MARKERS = (0.0, 0.01, 0.06, 0.2)
STAFF_MIGRATION_SHARE = 0.2  # welfare work recruits from the neighbourhoods it serves


def plan_teams(city: City) -> list[TeamSpec]:
    """One wijkteam per district, split in parts of at most four neighbourhoods."""
    by_district: dict[int, list[int]] = {}
    for index, nbh in enumerate(city.neighbourhoods):
        by_district.setdefault(nbh.district_index, []).append(index)
    teams = []
    for district_index, members in by_district.items():
        name = city.districts[district_index].name
        parts = [
            members[start : start + MAX_NEIGHBOURHOODS_PER_TEAM]
            for start in range(0, len(members), MAX_NEIGHBOURHOODS_PER_TEAM)
        ]
        for number, part in enumerate(parts):
            label = name if len(parts) == 1 else f"{name} {_part_label(number)}"
            teams.append(TeamSpec(name=f"Wijkteam {label}", neighbourhood_indices=tuple(part)))
    return teams


def _part_label(number: int) -> str:
    return COMPASS[number] if number < len(COMPASS) else str(number + 1)


class StaffPlanner:
    """Draws the accounts: the demo logins first, then professionals, basisbaan workers, volunteers."""

    def __init__(self, rng: random.Random, city: City, pools: NamePools) -> None:
        self._rng = rng
        self._city = city
        self._pools = pools
        self._taken: set[str] = set(DEMO_LOGINS)
        self._domain = f"welzijn{ascii_slug(city.name)}.example"  # .example is reserved: no real mail

    def plan(self) -> list[StaffSpec]:
        """Every account of the organisation."""
        rng = self._rng
        city = self._city
        staff = self._demo_logins()
        population = [0] * len(city.teams)
        team_of = {nbh: team for team, spec in enumerate(city.teams) for nbh in spec.neighbourhood_indices}
        for resident in city.residents:
            population[team_of[resident.neighbourhood_index]] += 1
        for team in range(len(city.teams)):
            count = rng.randint(*cal.PROFESSIONALS_PER_TEAM) - (1 if team == 0 else 0)  # "worker" is one
            titles = rng.choices([t for t, _ in JOB_TITLE_WEIGHTS], [w for _, w in JOB_TITLE_WEIGHTS], k=count)
            staff += [self._colleague("professional", title, (team,)) for title in titles]
        residents = len(city.residents)
        for role, per in (("basisbaan", cal.RESIDENTS_PER_BASISBAAN), ("volunteer", cal.RESIDENTS_PER_VOLUNTEER)):
            teams = rng.choices(range(len(city.teams)), population, k=max(1, residents // per))
            staff += [self._colleague(role, "", (team,)) for team in teams]
        return staff

    def _demo_logins(self) -> list[StaffSpec]:
        resident_index = self._login_resident()
        logins = []
        for username, (role, _purpose) in DEMO_LOGINS.items():
            email = f"{username}@{self._domain}"
            if role == "resident" and resident_index is not None:
                person = self._city.residents[resident_index]
                first, last = person.first_name, _display_surname(person.surname_prefix, person.last_name)
                email = person.email
            else:
                first, last = self._name()
            in_first_team = role in {"professional", "basisbaan", "volunteer"} and self._city.teams
            logins.append(
                StaffSpec(
                    username=username,
                    first_name=first,
                    last_name=last,
                    email=email,
                    role=role,
                    job_title="buurtcoach" if role == "professional" else "",
                    team_indices=(0,) if in_first_team else (),
                    is_demo_login=True,
                    resident_index=resident_index if role == "resident" else None,
                )
            )
        return logins

    def _login_resident(self) -> int | None:
        """Someone the demo is about: 75+, living alone, in the first team's first neighbourhood."""
        if not self._city.residents:
            return None
        residents = self._city.residents
        home = self._city.teams[0].neighbourhood_indices[0] if self._city.teams else 0
        year = self._city.reference_year
        candidates = [index for index, person in enumerate(residents) if person.neighbourhood_index == home]
        older_alone = [i for i in candidates if year - residents[i].birth_year >= 75 and residents[i].lives_alone]
        adults = [i for i in candidates if year - residents[i].birth_year >= 18]
        for group in (older_alone, adults, candidates):
            if group:
                return group[0]
        return 0

    def _colleague(self, role: str, job_title: str, teams: tuple[int, ...]) -> StaffSpec:
        first, last = self._name()
        username = self._username(first, last)
        return StaffSpec(
            username=username,
            first_name=first,
            last_name=last,
            email=f"{username}@{self._domain}",
            role=role,
            job_title=job_title,
            team_indices=teams,
            is_demo_login=False,
        )

    def _name(self) -> tuple[str, str]:
        rng = self._rng
        origin = (
            rng.choices(ORIGINS, [o.weight for o in ORIGINS])[0].key if rng.random() < STAFF_MIGRATION_SHARE else None
        )
        birth_year = self._city.reference_year - rng.randint(20, 66)
        first = self._pools.first_name(rng, origin, rng.random() < 0.6, birth_year)
        prefix, surname = self._pools.surname(rng, origin)
        return first, _display_surname(prefix, surname)

    def _username(self, first: str, last: str) -> str:
        base = f"{ascii_slug(first)[:1]}.{ascii_slug(last)}"
        for candidate in _numbered(base):
            if candidate not in self._taken:
                self._taken.add(candidate)
                return candidate
        raise AssertionError("unreachable")


def assign_workers(rng: random.Random, city: City) -> None:
    """Make some residents clients: a professional of their wijkteam is assigned to them.

    Residents with several vulnerability markers are far more often a client than others.
    """
    team_of = {nbh: team for team, spec in enumerate(city.teams) for nbh in spec.neighbourhood_indices}
    professionals: dict[int, list[int]] = {}
    for index, spec in enumerate(city.staff):
        if spec.role == "professional":
            for team in spec.team_indices:
                professionals.setdefault(team, []).append(index)
    for index, person in enumerate(city.residents):
        markers = sum(
            (
                city.reference_year - person.birth_year >= 75,
                person.lives_alone,
                person.older_migrant,
                person.low_digital_skills,
                person.limited_mobility,
            )
        )
        chance = CLIENT_CHANCE_BY_MARKERS[min(markers, len(CLIENT_CHANCE_BY_MARKERS) - 1)]
        candidates = professionals.get(team_of[person.neighbourhood_index])
        if candidates and rng.random() < chance:
            city.residents[index] = replace(person, assigned_staff_index=rng.choice(candidates))


def _numbered(base: str) -> Iterator[str]:
    yield base
    number = 2
    while True:
        yield f"{base}{number}"
        number += 1


def _display_surname(prefix: str, surname: str) -> str:
    return f"{prefix} {surname}" if prefix else surname
