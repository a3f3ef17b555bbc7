"""``veerkracht demo``: builds the city in the database, with demo logins that work."""

import sys
from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Count
from django.utils import timezone

from veerkracht.core.models import District, Neighbourhood, Organisation, Team, User
from veerkracht.core.roles import Role
from veerkracht.demo.city import CityConfig, generate_city
from veerkracht.demo.logins import DEMO_LOGINS, DEMO_PASSWORD, DEMO_USERNAMES
from veerkracht.demo.management.commands.demo import demo_extra_missing
from veerkracht.demo.services import demo_city_build
from veerkracht.people.models import Building, Courtyard, Entrance, Household, Resident
from veerkracht.places.models import Place

pytestmark = pytest.mark.django_db


def run_demo(*args: str) -> str:
    out = StringIO()
    call_command("demo", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_the_command_builds_a_small_city() -> None:
    output = run_demo("--residents", "500", "--seed", "3")

    organisation = Organisation.objects.get()
    assert organisation.name == "Stichting Welzijn Veerstad"
    assert Resident.objects.count() == 500
    assert Resident.objects.exclude(organisation=organisation).count() == 0
    assert not Household.objects.annotate(n=Count("residents")).filter(n=0).exists()
    assert Building.objects.filter(kind="flat").exists()
    assert Building.objects.filter(kind="house").exists()
    assert Entrance.objects.exists()
    assert Courtyard.objects.exists()
    assert Place.objects.filter(kind="courtyard").count() == Courtyard.objects.count()
    assert District.objects.filter(code__startswith="WK0999").count() == District.objects.count() >= 2
    assert set(Neighbourhood.objects.values_list("affluence", flat=True)) == {"low", "middle", "high"}
    boundary = Neighbourhood.objects.first().boundary  # type: ignore[union-attr]
    assert boundary["type"] == "Polygon"
    assert len(boundary["coordinates"][0]) == 5
    # Every neighbourhood is covered by exactly one wijkteam.
    assert Neighbourhood.objects.annotate(n=Count("teams")).filter(n=1).count() == Neighbourhood.objects.count()
    assert "500  residents" in output
    assert DEMO_PASSWORD in output
    assert all(username in output for username in DEMO_USERNAMES)


def test_the_database_matches_the_generated_city() -> None:
    summary = demo_city_build(residents=700, seed=9)
    city = generate_city(CityConfig(residents=700, seed=9, reference_year=timezone.localdate().year))
    assert summary.counts["residents"] == len(city.residents) == Resident.objects.count()
    assert summary.counts["households"] == len(city.households) == Household.objects.count()
    assert summary.counts["users"] == len(city.staff) == User.objects.count()
    assert summary.seconds > 0
    first = city.residents[0]
    stored = Resident.objects.order_by("id").first()
    assert stored is not None
    assert (stored.first_name, stored.last_name, stored.birth_year, stored.languages) == (
        first.first_name,
        first.last_name,
        first.birth_year,
        list(first.languages),
    )
    assert stored.household is not None
    assert stored.household.address.startswith(f"{city.households[0].street} {city.households[0].house_number}")


def test_the_demo_logins_sign_in_with_the_published_password() -> None:
    run_demo("--residents", "500", "--seed", "3")

    for username, (role, _purpose) in DEMO_LOGINS.items():
        user = authenticate(username=username, password=DEMO_PASSWORD)
        assert isinstance(user, User), username
        assert user.role == role
        assert user.first_name
        assert user.last_name
        assert user.organisation == Organisation.objects.get()
        assert authenticate(username=username, password="wrong-password") is None

    worker = User.objects.get(username="worker")
    first_team = Team.objects.order_by("id").first()
    assert worker.job_title == "buurtcoach"
    assert list(worker.teams.all()) == [first_team]
    resident = Resident.objects.get(user__username="resident")
    assert first_team is not None
    assert first_team.neighbourhoods.filter(pk=resident.neighbourhood_id).exists()
    assert User.objects.get(username="resident").first_name == resident.first_name


def test_the_other_accounts_cannot_sign_in_and_each_belongs_to_a_team() -> None:
    run_demo("--residents", "500", "--seed", "3")

    others = User.objects.exclude(username__in=DEMO_USERNAMES)
    assert others.filter(role=Role.VOLUNTEER).count() == 500 // 160
    assert others.filter(role=Role.PROFESSIONAL).count() >= 2 * Team.objects.count()
    for user in others:
        assert not user.has_usable_password()
        assert user.teams.count() == 1
    assert authenticate(username=others.first().username, password=DEMO_PASSWORD) is None  # type: ignore[union-attr]


def test_register_fields_are_written() -> None:
    run_demo("--residents", "2000", "--seed", "4")

    today = timezone.localdate()
    consented = Resident.objects.filter(consent_given_on__isnull=False)
    assert consented.exists()
    assert not consented.filter(consent_given_on__gt=today).exists()
    assert consented.count() == Resident.objects.filter(consent_contact=True).count()
    clients = Resident.objects.filter(assigned_worker__isnull=False).select_related("assigned_worker")
    assert clients.exists()
    for client in clients:
        assert client.assigned_worker is not None
        assert client.assigned_worker.role == Role.PROFESSIONAL
        assert client.assigned_worker.teams.filter(neighbourhoods=client.neighbourhood_id).exists()
    assert Resident.objects.filter(interpreter_needed=True).exists()


def test_if_empty_skips_a_second_run() -> None:
    run_demo("--residents", "60", "--if-empty")
    residents = Resident.objects.count()

    output = run_demo("--residents", "60", "--if-empty")

    assert "not built again" in output
    assert Organisation.objects.count() == 1
    assert Resident.objects.count() == residents == 60


def test_a_second_run_without_if_empty_fails_with_one_clear_line() -> None:
    run_demo("--residents", "60")

    with pytest.raises(CommandError, match="already holds an organisation") as failure:
        run_demo("--residents", "60")

    assert "\n" not in str(failure.value)
    assert Organisation.objects.count() == 1


@pytest.mark.parametrize("bad", ["0", "-5", "many", "99999999"])
def test_a_bad_resident_count_is_refused(bad: str) -> None:
    with pytest.raises(CommandError, match="residents"):
        call_command("demo", "--residents", bad, stdout=StringIO(), stderr=StringIO())
    assert not Organisation.objects.exists()


@pytest.mark.parametrize("library", ["faker", "tqdm"])
def test_without_the_demo_extra_the_command_says_how_to_install_it(monkeypatch, library: str) -> None:
    """A production install leaves out the `demo` extra: the command loads and says so, in both languages."""
    monkeypatch.setitem(sys.modules, library, None)  # what importing a library that is not installed sees
    for name in [name for name in sys.modules if name.startswith(("veerkracht.demo.city", "veerkracht.demo.services"))]:
        monkeypatch.delitem(sys.modules, name)  # imported afresh, as in a process that never built a city
    monkeypatch.delitem(sys.modules, "veerkracht.demo.management.commands.demo")

    with pytest.raises(CommandError) as failure:
        run_demo("--residents", "60")

    assert "De demostad heeft de extra 'demo' nodig" in str(failure.value)
    assert "The demo city needs the 'demo' extra" in str(failure.value)
    assert ".[demo]" in str(failure.value)
    assert not Organisation.objects.exists()


def test_the_demo_extra_is_installed_where_the_tests_run() -> None:
    assert demo_extra_missing() == []
