"""The load test's users, made inside a demo city: ``python bench/load_users.py WORKERS RESIDENTS COORDINATORS``.

Run by ``bench/load.py`` in its own process (Django set up from the environment, as the tables'
owner); prints one JSON document on stdout: per user the username, role, the hex key of a TOTP
device (empty for residents) and the ids the scenario uses (residents a worker may see,
activities open for registration).
"""

import json
import os
import random
import sys
from typing import Any

PASSWORD = "load-test-password-42"  # noqa: S105 - a throw-away database's throw-away users
RESIDENTS_PER_WORKER = 200


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "veerkracht.settings")
    import django

    django.setup()


def make_users(workers: int, residents: int, coordinators: int) -> dict[str, Any]:
    """Create the users (one shared password hash: Argon2 is slow on purpose) and their TOTP devices."""
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from veerkracht.accounts.models import AuthenticatorApp
    from veerkracht.activities.models import Activity
    from veerkracht.core.models import Organisation, Team, User
    from veerkracht.core.roles import Role
    from veerkracht.people.models import Resident
    from veerkracht.people.selectors import residents_visible_to

    organisation = Organisation.objects.order_by("pk").first()
    assert organisation is not None, "load the demo city first"  # noqa: S101
    password = make_password(PASSWORD)
    rng = random.Random(7)  # noqa: S311 - a reproducible choice, not a secret
    teams = list(Team.objects.filter(organisation=organisation).order_by("pk"))
    free_residents = list(
        Resident.objects.filter(organisation=organisation, user__isnull=True, erased_at__isnull=True)
        .order_by("?")
        .values_list("pk", flat=True)[:residents]
    )
    activities = list(
        Activity.objects.filter(
            organisation=organisation, cancelled_at=None, starts_at__gt=timezone.now(), place__isnull=False
        ).values_list("pk", flat=True)[:200]
    )
    users: list[dict[str, Any]] = []

    def user(username: str, role: str) -> User:
        return User.objects.create(
            username=username, password=password, role=role, organisation=organisation, first_name="Load"
        )

    def device(person: User) -> str:
        app: AuthenticatorApp = AuthenticatorApp.objects.create(user=person, name="load", confirmed=True)
        return app.bin_key.hex()

    for number in range(workers):
        worker = user(f"load-worker-{number}", Role.PROFESSIONAL)
        teams[number % len(teams)].members.add(worker)
        visible = list(residents_visible_to(worker).values_list("pk", flat=True)[:5000])
        users.append(
            {
                "username": worker.username,
                "role": "worker",
                "key": device(worker),
                "residents": rng.sample(visible, min(RESIDENTS_PER_WORKER, len(visible))),
            }
        )
    for number, resident_id in enumerate(free_residents):
        person = user(f"load-resident-{number}", Role.RESIDENT)
        Resident.objects.filter(pk=resident_id).update(user=person)
        users.append({"username": person.username, "role": "resident", "key": "", "activities": activities})
    for number in range(coordinators):
        coordinator = user(f"load-coordinator-{number}", Role.COORDINATOR)
        users.append({"username": coordinator.username, "role": "coordinator", "key": device(coordinator)})
    return {"password": PASSWORD, "users": users, "activities": activities}


if __name__ == "__main__":
    _setup()
    workers, residents, coordinators = (int(value) for value in sys.argv[1:4])
    json.dump(make_users(workers, residents, coordinators), sys.stdout)
