"""A balkonbingo in the cast's northern neighbourhood, organised by the professional, with registrations."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tests.conftest import Cast
from tests.factories import ResidentFactory
from veerkracht.activities.models import Activity, Registration
from veerkracht.bingo.models import Draw, Game
from veerkracht.engines.bingo import BALLS
from veerkracht.places.models import Place

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


@pytest.fixture
def courtyard(cast: Cast) -> Place:
    return Place.objects.create(
        organisation=cast.organisation,
        neighbourhood=cast.north,
        name="Binnenplaats Esdoornhof",
        kind="courtyard",
        indoor=False,
        area_m2=300,
    )


@pytest.fixture
def make_activity(cast: Cast, courtyard: Place):
    def make(**fields) -> Activity:
        starts = datetime(2030, 6, 15, 14, 0, tzinfo=AMSTERDAM)  # a Saturday
        defaults = {
            "organisation": cast.organisation,
            "title": "Balkonbingo Esdoornhof",
            "kind": "balkonbingo",
            "place": courtyard,
            "starts_at": starts,
            "ends_at": starts + timedelta(hours=2),
            "organiser": cast.professional,
            "max_participants": 40,
        }
        activity = Activity.objects.create(**{**defaults, **fields})
        activity.helpers.add(cast.volunteer)
        return activity

    return make


@pytest.fixture
def balkonbingo(make_activity) -> Activity:
    return make_activity()


@pytest.fixture
def registered(cast: Cast, balkonbingo: Activity) -> list[Registration]:
    """Two residents registered (confirmed), a public registrant, and one cancelled registration."""
    neighbour = ResidentFactory.create(household__building__neighbourhood=cast.north)
    cancelled = ResidentFactory.create(household__building__neighbourhood=cast.north)
    made = [
        Registration.objects.create(activity=balkonbingo, resident=cast.resident_north, status="confirmed"),
        Registration.objects.create(activity=balkonbingo, resident=neighbour, status="confirmed"),
        Registration.objects.create(activity=balkonbingo, name="Ans", phone="0612345678", status="confirmed"),
    ]
    Registration.objects.create(activity=balkonbingo, resident=cancelled, status="cancelled")
    return made


def draw_numbers(game: Game, numbers, by) -> None:
    """Store draws as if called, without the random order: a test decides which numbers are out."""
    start = game.draws.count()
    Draw.objects.bulk_create(
        Draw(game=game, position=start + offset, number=number, drawn_by=by)
        for offset, number in enumerate(numbers, start=1)
    )


def all_numbers() -> range:
    return range(1, BALLS + 1)
