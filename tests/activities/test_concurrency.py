"""No overbooking, ever: 200 simultaneous registrations for 30 places, over real HTTP connections.

The live server handles requests in threads with their own database connections, against a file
database on SQLite (WAL, immediate transactions) or PostgreSQL (row lock on the activity).
"""

import json
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from tests.conftest import Cast
from veerkracht.activities.models import Registration

pytestmark = pytest.mark.django_db(transaction=True)

REQUESTS, PLACES, THREADS = 200, 30, 10  # the live server queues at most 10 waiting connections


def _register(url: str, number: int) -> str:
    body = json.dumps({"name": f"Buur {number}", "phone": f"06{number:08d}", "consent": True}).encode()
    # The test's own live server on http://localhost: no other scheme can reach here.
    request = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json"}, method="POST")  # noqa: S310
    with urllib.request.urlopen(request, timeout=120) as response:  # noqa: S310
        return str(json.load(response)["status"])


def test_two_hundred_simultaneous_registrations_for_thirty_places(live_server, cast: Cast, park, plan_at, settings):
    settings.PUBLIC_REGISTRATIONS_PER_HOUR = 10 * REQUESTS  # they all come from 127.0.0.1
    if connection.vendor == "sqlite":
        assert "memory" not in str(connection.settings_dict["NAME"])
    activity = plan_at(park, max_participants=PLACES)
    url = f"{live_server.url}/api/v1/activities/{activity.pk}/registrations"
    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        statuses = list(pool.map(lambda number: _register(url, number), range(REQUESTS)))
    assert statuses.count("confirmed") == PLACES
    assert statuses.count("waitlisted") == REQUESTS - PLACES
    stored = Registration.objects.filter(activity=activity)
    assert stored.filter(status="confirmed").count() == PLACES
    assert stored.count() == REQUESTS
