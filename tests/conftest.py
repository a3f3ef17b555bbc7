"""The fixed cast every permission test reuses: one user per role, plus outsiders."""

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import dj_database_url
import pytest
import time_machine
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test import Client
from hypothesis import HealthCheck, settings

from tests.clock import AWKWARD_MOMENTS, moment_of_run
from tests.factories import NeighbourhoodFactory, OrganisationFactory, ResidentFactory, TeamFactory, UserFactory
from veerkracht.core import tenancy
from veerkracht.core.dbroles import ALL
from veerkracht.core.models import Neighbourhood, Organisation, Team, User
from veerkracht.core.services import api_token_issue
from veerkracht.people.models import Resident

_SUITE_CLOCK = pytest.StashKey[time_machine.travel]()

# The suite shares its machine (CI runs SQLite and PostgreSQL, helpers run beside it): a property
# is judged on its answers, never on how long one example took.
settings.register_profile("veerkracht", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("veerkracht")


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


# PostgreSQL with two roles, as in production (docs/adr/0017-row-level-security-everywhere.md):
# DATABASE_OWNER_URL's role creates and migrates the test database, then grants DATABASE_URL's
# role (neither superuser nor owner) what the application gets; the tests then run as that role.
_OWNER_URL = os.environ.get("DATABASE_OWNER_URL", "")


def _log_in_as(url: str) -> None:
    parsed = dj_database_url.parse(url)
    connection.close()
    connection.settings_dict.update(USER=parsed["USER"], PASSWORD=parsed["PASSWORD"])


def app_role_grant() -> None:
    """As the owner: what the application's role gets in production, and what the test harness needs."""
    app_role = dj_database_url.parse(os.environ["DATABASE_URL"])["USER"]
    call_command("db_grant_app_role", app_role, verbosity=0)
    with connection.cursor() as cursor:  # for the test harness only: transactional tests empty the
        # tables and fill the content types and permissions again (flush)
        cursor.execute(f'GRANT TRUNCATE ON ALL TABLES IN SCHEMA public TO "{app_role}"')
        cursor.execute(f'GRANT INSERT ON django_content_type, auth_permission TO "{app_role}"')


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings: None) -> None:
    if _OWNER_URL:
        _log_in_as(_OWNER_URL)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    if not _OWNER_URL:
        yield
        return
    with django_db_blocker.unblock():
        app_role_grant()
        _log_in_as(os.environ["DATABASE_URL"])
    yield
    with django_db_blocker.unblock():
        _log_in_as(_OWNER_URL)  # the owner removes the test database


@pytest.fixture
def owner_connection() -> Iterator[None]:
    """The test's Django connection logs in as the tables' owner (backups, restores); in a
    ``django_db(transaction=True)`` test, so that both roles see the same rows."""
    if not _OWNER_URL:
        yield
        return
    _log_in_as(_OWNER_URL)
    yield
    _log_in_as(os.environ["DATABASE_URL"])


@pytest.fixture
def as_owner() -> Callable[..., None]:
    """Run SQL as the tables' owner: what a person holding the database's keys could do.

    With two roles it is a connection of its own, so it sees committed rows only: use it in tests
    marked ``django_db(transaction=True)``.
    """

    def run(sql: str, *params: Any) -> None:
        if not (_OWNER_URL and connection.vendor == "postgresql"):
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
            return
        import psycopg

        owner = dj_database_url.parse(_OWNER_URL)
        with psycopg.connect(
            host=owner["HOST"],
            port=owner["PORT"] or 5432,
            user=owner["USER"],
            password=owner["PASSWORD"],
            dbname=connection.settings_dict["NAME"],
            autocommit=True,
        ) as other:
            other.execute(sql, params)

    return run


@pytest.fixture(autouse=True)
def _every_organisation(request: pytest.FixtureRequest) -> Iterator[None]:
    """On PostgreSQL a test's own code works for every organisation, as the task worker does between runs.

    Requests in the test are held to their organisation (or, anonymous, to none) by
    ``TenantMiddleware`` all the same; a new connection (a thread) starts with every organisation.
    """
    marker = request.node.get_closest_marker("django_db")
    uses = set(request.fixturenames) & {"db", "transactional_db", "live_server"}
    if not (marker or uses) or connection.vendor != "postgresql":
        yield
        return
    transactional = (marker is not None and marker.kwargs.get("transaction")) or uses - {"db"}
    request.getfixturevalue("transactional_db" if transactional else "db")
    tenancy.every_organisation_process()
    with tenancy.organisation_context(ALL):
        yield


@pytest.fixture
def cast(db: None) -> Cast:
    return cast_create()


def cast_create() -> Cast:
    """The cast's rows, for a fixture that holds database access (``cast``, or a module's own)."""
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


def pytest_configure(config: pytest.Config) -> None:
    """The clock is moved before collection too: a parameter computed from "now" is at the same moment."""
    config.stash[_SUITE_CLOCK] = time_machine.travel(moment_of_run(), tick=True)
    config.stash[_SUITE_CLOCK].start()


def pytest_unconfigure(config: pytest.Config) -> None:
    if _SUITE_CLOCK in config.stash:
        config.stash[_SUITE_CLOCK].stop()


_DATABASE_FIXTURES = {"db", "transactional_db", "live_server", "django_db_setup"}


@pytest.hookimpl(trylast=True)  # after pytest-django's own order (tests in a transaction first)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The long tests that run processes of their own (the benchmarks' smoke runs, ``prepare``) go
    first: at the end of the run they kept one worker busy for minutes while the other had nothing
    left. Only those without the database move, so pytest-django's order of the rest holds."""

    def long_and_apart(item: pytest.Item) -> bool:
        apart = item.get_closest_marker("real_clock") is not None and item.get_closest_marker("django_db") is None
        uses_database = bool(_DATABASE_FIXTURES & set(getattr(item, "fixturenames", ())))
        return (item.get_closest_marker("bench") is not None or apart) and not uses_database

    items.sort(key=lambda item: not long_and_apart(item))


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """A test marked ``clock`` runs at each awkward moment too (tests/clock.py)."""
    if metafunc.definition.get_closest_marker("clock") and "moment" in metafunc.fixturenames:
        moments = [moment_of_run().isoformat(), *AWKWARD_MOMENTS.values()]
        metafunc.parametrize("moment", moments, ids=["fixed", *AWKWARD_MOMENTS], indirect=True)


@pytest.fixture
def moment(request: pytest.FixtureRequest) -> str:
    """The moment this test starts at (ISO 8601)."""
    return str(getattr(request, "param", None) or moment_of_run().isoformat())


@pytest.fixture(autouse=True)
def _clock(request: pytest.FixtureRequest, moment: str) -> Any:
    """Every test runs at a fixed moment, and its clock ticks on from there (tests/clock.py)."""
    if request.node.get_closest_marker("real_clock"):
        # The suite's own clock stops too, so this test and the processes it starts share the wall clock.
        suite = request.config.stash[_SUITE_CLOCK]
        suite.stop()
        try:
            yield None
        finally:
            suite.start()
        return
    with time_machine.travel(moment, tick=True) as traveller:
        yield traveller


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    """Throttle counters live in the cache: every test starts without them."""
    cache.clear()


class ApiClient:
    """JSON in and out, with the caller's bearer token."""

    def __init__(self, client: Client, token: str) -> None:
        self.client, self.headers = client, {"Authorization": f"Bearer {token}"}

    def get(self, path: str, **params: Any) -> Any:
        return self.client.get(f"/api/v1{path}", params, headers=self.headers)

    def post(self, path: str, body: Any = None, key: str | None = None) -> Any:
        headers = {**self.headers, **({"Idempotency-Key": key} if key else {})}
        return self.client.post(f"/api/v1{path}", body or {}, content_type="application/json", headers=headers)

    def patch(self, path: str, body: Any) -> Any:
        return self.client.patch(f"/api/v1{path}", body, content_type="application/json", headers=self.headers)

    def put(self, path: str, body: Any, key: str | None = None) -> Any:
        headers = {**self.headers, **({"Idempotency-Key": key} if key else {})}
        return self.client.put(f"/api/v1{path}", body, content_type="application/json", headers=headers)

    def delete(self, path: str, key: str | None = None) -> Any:
        headers = {**self.headers, **({"Idempotency-Key": key} if key else {})}
        return self.client.delete(f"/api/v1{path}", headers=headers)


@pytest.fixture
def api_as(cast: Cast) -> Callable[[str], ApiClient]:
    def make(role: str) -> ApiClient:
        raw, _token = api_token_issue(user=getattr(cast, role))
        return ApiClient(Client(), raw)

    return make


@pytest.fixture(autouse=True, scope="session")
def _jinja2_templates_reach_the_test_client() -> Any:
    """``response.context`` and ``response.templates`` for pages drawn by Jinja2, as for Django's engine.

    Django's test set-up instruments its own engine only; this sends the same signal.
    """
    from django.template.backends import jinja2 as backend
    from django.test.signals import template_rendered

    original = backend.Template.render

    def render(self: Any, context: dict[str, Any] | None = None, request: Any = None) -> str:
        context = {} if context is None else context
        html = original(self, context, request)
        template_rendered.send(sender=self, template=self.template, context=context)
        return html

    backend.Template.render = render  # type: ignore[method-assign]
    yield
    backend.Template.render = original  # type: ignore[method-assign]
