"""The new lists read a fixed number of queries, however many rows a page holds (no query per row)."""

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.conftest import Cast
from tests.factories import TeamFactory, UserFactory
from veerkracht.contacts.services import contact_log


def _queries(call: Callable[[], object]) -> int:
    with CaptureQueriesContext(connection) as captured:
        call()
    return len(captured)


def _accounts(cast: Cast, count: int) -> None:
    for _ in range(count):
        team = TeamFactory.create(organisation=cast.organisation, neighbourhoods=[cast.north])
        team.members.add(UserFactory.create(volunteer=True, organisation=cast.organisation))


def _contacts(cast: Cast, count: int) -> None:
    for hours in range(count):
        contact_log(
            by=cast.professional,
            resident_ids=[cast.resident_north.pk],
            channel="phone",
            started_at=timezone.now() - timedelta(hours=hours + 1),
            duration_minutes=5,
        )


@pytest.mark.parametrize(
    ("path", "add"),
    [("/users", _accounts), ("/teams", _accounts), ("/workers/{worker}/contacts", _contacts)],
)
def test_a_longer_page_reads_no_more_queries(cast: Cast, api_as, path, add):
    api = api_as("coordinator")
    url = path.format(worker=cast.professional.pk)
    add(cast, 1)
    api.get(url)  # the first request warms per-process caches
    few = _queries(lambda: api.get(url))
    add(cast, 8)
    many = _queries(lambda: api.get(url))
    assert api.get(url).json()["count"] >= 9
    assert many == few
