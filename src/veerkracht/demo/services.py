"""Writes of the demo app: the whole demo city in one transaction, with bulk inserts."""

import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from datetime import time as clock
from typing import TypeVar

from django.contrib.auth.hashers import make_password
from django.db import models, transaction
from django.utils import timezone
from django.utils.text import slugify

from veerkracht.activities.models import Activity
from veerkracht.bingo.services import game_create
from veerkracht.contacts.models import Concern, ConcernEvent, Contact, ContactResident
from veerkracht.core.models import District, Neighbourhood, Organisation, Team, User
from veerkracht.demo.city import City, CityConfig, generate_city
from veerkracht.demo.city.history import History, plan_history
from veerkracht.demo.help import demo_help_write
from veerkracht.demo.insights import demo_insights_write
from veerkracht.demo.logins import DEMO_PASSWORD
from veerkracht.demo.programme import city_webinar, neighbourhood_programme, place_features
from veerkracht.demo.team import demo_team_write
from veerkracht.people.models import Building, Courtyard, Entrance, Household, Resident
from veerkracht.places.models import Place

# Rows per INSERT round trip; SQLite splits further by its limit on query parameters.
BATCH_SIZE = 2000
DEMO_BINGO_CARDS = 60  # issue 9: a worker prints 60 cards for the balkonbingo

ProgressCallback = Callable[[str, int, int], None]
"""Called as ``progress(stage, rows_written, rows_in_total)``; ``stage`` is a short English label."""

M = TypeVar("M", bound=models.Model)


@dataclass(frozen=True)
class DemoSummary:
    """What ``demo_city_build`` made."""

    organisation_id: int
    organisation_name: str
    city: str
    seed: int
    counts: dict[str, int]  # rows per kind of record, in the order they were written
    seconds: float


def demo_city_build(
    *, residents: int, seed: int, lockdown: date | None = None, progress: ProgressCallback | None = None
) -> DemoSummary:
    """Generate a demo city of ``residents`` people for ``seed`` and write it in one transaction.

    The city is generated before the transaction opens, so the database is locked only while
    rows are written. The demo logins share the published password :data:`DEMO_PASSWORD`;
    every other generated account has an unusable password.
    """
    started = time.monotonic()
    report = progress or _ignore
    report("generating", 0, 0)
    today = timezone.localdate()
    lockdown_days_ago = (today - lockdown).days if lockdown else CityConfig.lockdown_days_ago
    config = CityConfig(residents=residents, seed=seed, reference_year=today.year, lockdown_days_ago=lockdown_days_ago)
    city = generate_city(config)
    history = plan_history(random.Random(f"{seed}/history"), city, config)
    with transaction.atomic():
        writer = _CityWriter(city, history, report)
        organisation = writer.write()
        writer.counts |= demo_help_write(organisation, seed, residents)
        writer.counts |= demo_insights_write(organisation, seed)
        writer.counts |= demo_team_write(organisation, seed)
    return DemoSummary(
        organisation_id=organisation.pk,
        organisation_name=organisation.name,
        city=city.name,
        seed=seed,
        counts=writer.counts,
        seconds=time.monotonic() - started,
    )


def _ignore(stage: str, done: int, total: int) -> None:
    """The progress callback when the caller passes none."""


class _CityWriter:
    """Writes a generated city table by table, mapping list indices to the new database ids."""

    def __init__(self, city: City, history: History, progress: ProgressCallback) -> None:
        self.city = city
        self.history = history
        self.now = timezone.now()
        self.today = timezone.localdate()
        self.progress = progress
        self.counts: dict[str, int] = {}
        self.done = 0
        self.total = 1 + sum(
            len(rows)
            for rows in (
                city.districts,
                city.neighbourhoods,
                city.courtyards,
                city.buildings,
                city.entrances,
                city.households,
                city.residents,
                city.places,
                city.teams,
                city.staff,
                history.contacts,
                history.contacts,
                history.concerns,
            )
        )
        self.organisation = Organisation(name="", slug="", city=city.name)

    def write(self) -> Organisation:
        """Write everything; returns the new organisation."""
        self._organisation()
        districts = self._districts()
        neighbourhoods = self._neighbourhoods(districts)
        courtyards = self._courtyards(neighbourhoods)
        buildings = self._buildings(neighbourhoods, courtyards)
        entrances = self._entrances(buildings)
        households = self._households(neighbourhoods, buildings, entrances)
        teams = self._teams(neighbourhoods)
        staff, users = self._users(teams)
        self.staff_ids = staff
        self.coordinator_id = next(staff[i] for i, member in enumerate(self.city.staff) if member.role == "coordinator")
        residents = self._residents(neighbourhoods, households, users, staff)
        self._places(neighbourhoods)
        self._contacts(residents, staff)
        self._concerns(residents, staff)
        return self.organisation

    def _moment(self, days_ago: int, minute: int) -> datetime:
        """A time ``days_ago`` days before today, never in the future."""
        day = self.today - timedelta(days=days_ago)
        moment = timezone.make_aware(datetime.combine(day, clock(minute // 60, minute % 60)))
        return min(moment, self.now - timedelta(minutes=5))

    def _contacts(self, residents: list[int], staff: list[int]) -> None:
        org = self.organisation.pk
        specs = self.history.contacts
        rows = [
            Contact(
                organisation_id=org,
                worker_id=staff[spec.staff_index],
                started_at=self._moment(spec.days_ago, spec.minute_of_day),
                duration_minutes=spec.duration_minutes,
                channel=spec.channel,
                reached=spec.reached,
                language=spec.language,
                interpreter=spec.interpreter,
                initiative=spec.initiative,
                topics=list(spec.topics),
                note=spec.note,
            )
            for spec in specs
        ]
        ids = self._insert("contacts", Contact, rows)
        links = [
            ContactResident(contact_id=contact_id, resident_id=residents[index], started_at=row.started_at)
            for contact_id, row, spec in zip(ids, rows, specs, strict=True)
            for index in spec.resident_indices
        ]
        self._insert("contact participants", ContactResident, links)

    def _concerns(self, residents: list[int], staff: list[int]) -> None:
        org, specs = self.organisation.pk, self.history.concerns
        rows = []
        for spec in specs:
            final = spec.steps[-1][1] if spec.steps else "open"
            rows.append(
                Concern(
                    organisation_id=org,
                    resident_id=residents[spec.resident_index],
                    category=spec.category,
                    severity=spec.severity,
                    status=final,
                    description=spec.description,
                    raised_by_id=staff[spec.staff_index],
                    follow_up_by_id=staff[spec.staff_index],
                    due_on=self.today - timedelta(days=spec.due_days_ago),
                    referral_target=spec.referral_target,
                    created_at=self._moment(spec.days_ago, 600),
                    closed_at=self._moment(spec.steps[-1][0], 900) if final == "closed" else None,
                )
            )
        ids = self._insert("concerns", Concern, rows)
        events = []
        for concern_id, spec in zip(ids, specs, strict=True):
            worker, previous = staff[spec.staff_index], ""
            events.append(
                ConcernEvent(concern_id=concern_id, by_id=worker, status_to="open", at=self._moment(spec.days_ago, 600))
            )
            previous = "open"
            for days_ago, status in spec.steps:
                events.append(
                    ConcernEvent(
                        concern_id=concern_id,
                        by_id=worker,
                        status_from=previous,
                        status_to=status,
                        at=self._moment(days_ago, 900),
                    )
                )
                previous = status
        ConcernEvent.objects.bulk_create(events, batch_size=BATCH_SIZE)

    def _insert(self, label: str, model: type[M], objects: Sequence[M]) -> list[int]:
        """Bulk insert in batches and return the new primary keys in order."""
        for start in range(0, len(objects), BATCH_SIZE):
            batch = objects[start : start + BATCH_SIZE]
            model._default_manager.bulk_create(batch, batch_size=BATCH_SIZE)
            self.done += len(batch)
            self.progress(label, self.done, self.total)
        ids = [obj.pk for obj in objects]
        if objects and ids[-1] is None:
            raise RuntimeError("the database did not return the ids of bulk-inserted rows")
        self.counts[label] = len(objects)
        return ids

    def _organisation(self) -> None:
        name = f"Stichting Welzijn {self.city.name}"
        slug = base = slugify(f"welzijn {self.city.name}")
        number = 2
        while Organisation.objects.filter(slug=slug).exists():
            slug = f"{base}-{number}"
            number += 1
        self.organisation.name, self.organisation.slug = name, slug
        self.organisation.save()
        self.done += 1
        self.counts["organisations"] = 1

    def _districts(self) -> list[int]:
        org = self.organisation.pk
        rows = [District(organisation_id=org, code=spec.code, name=spec.name) for spec in self.city.districts]
        return self._insert("districts", District, rows)

    def _neighbourhoods(self, districts: list[int]) -> list[int]:
        org = self.organisation.pk
        rows = [
            Neighbourhood(
                organisation_id=org,
                district_id=districts[spec.district_index],
                code=spec.code,
                name=spec.name,
                affluence=spec.affluence,
                boundary=spec.boundary,
            )
            for spec in self.city.neighbourhoods
        ]
        return self._insert("neighbourhoods", Neighbourhood, rows)

    def _courtyards(self, neighbourhoods: list[int]) -> list[int]:
        org = self.organisation.pk
        rows = [
            Courtyard(
                organisation_id=org,
                neighbourhood_id=neighbourhoods[spec.neighbourhood_index],
                name=spec.name,
                x=spec.x,
                y=spec.y,
            )
            for spec in self.city.courtyards
        ]
        return self._insert("courtyards", Courtyard, rows)

    def _buildings(self, neighbourhoods: list[int], courtyards: list[int]) -> list[int]:
        org, city = self.organisation.pk, self.city.name
        rows = [
            Building(
                organisation_id=org,
                neighbourhood_id=neighbourhoods[spec.neighbourhood_index],
                kind=spec.kind,
                street=spec.street,
                house_number=spec.house_number,
                postcode=spec.postcode,
                city=city,
                floors=spec.floors,
                courtyard_id=None if spec.courtyard_index is None else courtyards[spec.courtyard_index],
                x=spec.x,
                y=spec.y,
            )
            for spec in self.city.buildings
        ]
        return self._insert("buildings", Building, rows)

    def _entrances(self, buildings: list[int]) -> list[int]:
        rows = [
            Entrance(building_id=buildings[spec.building_index], label=spec.label, x=spec.x, y=spec.y)
            for spec in self.city.entrances
        ]
        return self._insert("entrances", Entrance, rows)

    def _households(self, neighbourhoods: list[int], buildings: list[int], entrances: list[int]) -> list[int]:
        org, city = self.organisation.pk, self.city.name
        rows = [
            Household(
                organisation_id=org,
                neighbourhood_id=neighbourhoods[spec.neighbourhood_index],
                building_id=buildings[spec.building_index],
                entrance_id=None if spec.entrance_index is None else entrances[spec.entrance_index],
                street=spec.street,
                house_number=spec.house_number,
                house_number_suffix=spec.house_number_suffix,
                postcode=spec.postcode,
                city=city,
                floor=spec.floor,
                x=spec.x,
                y=spec.y,
            )
            for spec in self.city.households
        ]
        return self._insert("households", Household, rows)

    def _teams(self, neighbourhoods: list[int]) -> list[int]:
        org = self.organisation.pk
        teams = self._insert("teams", Team, [Team(organisation_id=org, name=spec.name) for spec in self.city.teams])
        through = Team.neighbourhoods.through
        links = [
            through(team_id=teams[team], neighbourhood_id=neighbourhoods[nbh])
            for team, spec in enumerate(self.city.teams)
            for nbh in spec.neighbourhood_indices
        ]
        through._default_manager.bulk_create(links, batch_size=BATCH_SIZE)
        return teams

    def _users(self, teams: list[int]) -> tuple[list[int], dict[int, int]]:
        """The accounts and their team memberships; returns their ids and {resident index: user id}."""
        org = self.organisation.pk
        demo_hash = make_password(DEMO_PASSWORD)  # Argon2 is slow on purpose: hash once, share it
        rows = [
            User(
                organisation_id=org,
                username=spec.username,
                first_name=spec.first_name,
                last_name=spec.last_name,
                email=spec.email,
                role=spec.role,
                job_title=spec.job_title,
                password=demo_hash if spec.is_demo_login else make_password(None),
            )
            for spec in self.city.staff
        ]
        users = self._insert("users", User, rows)
        through = Team.members.through
        memberships = [
            through(team_id=teams[team], user_id=users[index])
            for index, spec in enumerate(self.city.staff)
            for team in spec.team_indices
        ]
        through._default_manager.bulk_create(memberships, batch_size=BATCH_SIZE)
        return users, {
            spec.resident_index: users[index]
            for index, spec in enumerate(self.city.staff)
            if spec.resident_index is not None
        }

    def _residents(
        self, neighbourhoods: list[int], households: list[int], users: dict[int, int], staff: list[int]
    ) -> list[int]:
        org = self.organisation.pk
        today = timezone.localdate()
        rows = [
            Resident(
                organisation_id=org,
                neighbourhood_id=neighbourhoods[spec.neighbourhood_index],
                household_id=households[spec.household_index],
                user_id=users.get(index),
                first_name=spec.first_name,
                surname_prefix=spec.surname_prefix,
                last_name=spec.last_name,
                birth_year=spec.birth_year,
                phone=spec.phone,
                email=spec.email,
                languages=list(spec.languages),
                migration_background=spec.migration_background,
                lives_alone=spec.lives_alone,
                older_migrant=spec.older_migrant,
                low_digital_skills=spec.low_digital_skills,
                limited_mobility=spec.limited_mobility,
                informal_carer=spec.informal_carer,
                interpreter_needed=spec.interpreter_needed,
                key_figure_needed=spec.key_figure_needed,
                key_figure=spec.key_figure,
                preferred_channel=spec.preferred_channel,
                consent_given_on=None
                if spec.consent_days_ago is None
                else today - timedelta(days=spec.consent_days_ago),
                consent_contact=spec.consent_days_ago is not None,
                consent_sms=spec.consent_sms,
                consent_email=spec.consent_email,
                consent_help_exchange=spec.consent_help_exchange,
                consent_activities=spec.consent_activities,
                assigned_worker_id=None if spec.assigned_staff_index is None else staff[spec.assigned_staff_index],
                last_reached_at=self._last_reached(index),
            )
            for index, spec in enumerate(self.city.residents)
        ]
        return self._insert("residents", Resident, rows)

    def _last_reached(self, resident_index: int) -> datetime | None:
        last = self.history.last_reached.get(resident_index)
        return None if last is None else self._moment(*last)

    def _places(self, neighbourhoods: list[int]) -> None:
        org = self.organisation.pk
        rng = random.Random(f"{self.city.seed}/place-features")
        rows = [
            Place(
                organisation_id=org,
                neighbourhood_id=neighbourhoods[spec.neighbourhood_index],
                name=spec.name,
                kind=spec.kind,
                street_address=spec.street_address,
                indoor=spec.indoor,
                area_m2=spec.area_m2,
                normal_capacity=spec.normal_capacity,
                x=spec.x,
                y=spec.y,
                **place_features(rng, spec.kind, spec.indoor),
            )
            for spec in self.city.places
        ]
        ids = self._insert("places", Place, rows)
        self._programme(ids, neighbourhoods)

    def _programme(self, places: list[int], neighbourhoods: list[int]) -> None:
        """A few weeks of activities in every neighbourhood, organised by one of its professionals."""
        by_neighbourhood: dict[int, list[tuple[int, str, str]]] = {}
        for place_id, spec in zip(places, self.city.places, strict=True):
            by_neighbourhood.setdefault(spec.neighbourhood_index, []).append((place_id, spec.kind, spec.name))
        organisers = self._organisers()
        planned = [
            (plan, organisers.get(index, self.coordinator_id))
            for index, neighbourhood_places in sorted(by_neighbourhood.items())
            for plan in neighbourhood_programme(neighbourhood_places, self.today)
        ]
        planned.append((city_webinar(self.today), self.coordinator_id))
        rows = [
            Activity(
                organisation=self.organisation,
                title=plan.title,
                kind=plan.kind,
                description=plan.description,
                place_id=plan.place_id,
                starts_at=timezone.make_aware(plan.starts_at),
                ends_at=timezone.make_aware(plan.starts_at) + timedelta(hours=plan.hours),
                organiser_id=organiser,
                max_participants=plan.max_participants,
                online_link=plan.online_link,
                max_online=plan.max_online,
                target_groups=list(plan.target_groups),
                languages=["nl"],
            )
            for plan, organiser in planned
        ]
        self._insert("activities", Activity, rows)
        self._bingo_game(rows)

    def _bingo_game(self, activities: list[Activity]) -> None:
        """Sixty cards for the first balkonbingo, ready to print and call."""
        bingo = next((activity for activity in activities if activity.kind == "balkonbingo"), None)
        if bingo is not None:
            organiser = User.objects.get(pk=bingo.organiser_id)
            game_create(by=organiser, activity_id=bingo.pk, cards=DEMO_BINGO_CARDS, seed=self.city.seed)
            self.counts["bingo cards"] = DEMO_BINGO_CARDS

    def _organisers(self) -> dict[int, int]:
        """Neighbourhood index -> the first professional of the team covering it."""
        organisers: dict[int, int] = {}
        for team_index, team in enumerate(self.city.teams):
            staff = [
                i
                for i, member in enumerate(self.city.staff)
                if member.role == "professional" and team_index in member.team_indices
            ]
            for neighbourhood in team.neighbourhood_indices:
                if staff:
                    organisers[neighbourhood] = self.staff_ids[staff[0]]
        return organisers
