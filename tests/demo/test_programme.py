"""The demo city has a programme to show: coffee mornings, a plantsoenbingo for 40, a balkonbingo with its
cards, a webinar."""

from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from veerkracht.activities.models import Activity
from veerkracht.bingo.models import Game
from veerkracht.demo.programme import city_webinar, neighbourhood_programme, opening_hours_of
from veerkracht.places.capacity import is_open
from veerkracht.places.models import Place


@pytest.mark.django_db
def test_every_neighbourhood_gets_activities_at_its_own_places():
    call_command("demo", "--residents=1500", "--seed=2", stdout=StringIO())
    bingo = (
        Activity.objects.filter(kind="plantsoenbingo", starts_at__gte=timezone.now()).select_related("place").first()
    )
    assert bingo is not None
    assert bingo.max_participants == 40
    assert bingo.place is not None
    assert not bingo.place.indoor
    assert Activity.objects.filter(kind="webinar", place=None).exclude(online_link="").count() == 1
    for activity in Activity.objects.exclude(place=None).select_related("place"):
        assert activity.place is not None
        assert is_open(activity.place, activity.starts_at, activity.ends_at)
        assert activity.organiser.role in ("professional", "coordinator")
    assert Place.objects.filter(kind="community_centre", step_free=True).exists()
    balkonbingo = Activity.objects.filter(kind="balkonbingo", place__kind="courtyard").first()
    assert balkonbingo is not None
    game = Game.objects.get()  # one game, for the first balkonbingo, with its cards ready to print
    assert game.card_count == game.cards.count() == 60
    assert game.activity.kind == "balkonbingo"


@pytest.mark.parametrize("weekday", range(7))
def test_the_programme_never_plans_an_activity_when_its_place_is_closed(weekday: int):
    today = date(2026, 11, 30) + timedelta(days=weekday)  # Monday 30 November to Sunday 6 December
    places = [(1, "community_centre", "Buurthuis"), (2, "courtyard", "Binnenplaats"), (3, "park", "Park")]
    for plan in [*neighbourhood_programme(places, today), city_webinar(today)]:
        if plan.place_id is None:
            continue
        kind = {place_id: kind for place_id, kind, _name in places}[plan.place_id]
        place = Place(kind=kind, opening_hours=opening_hours_of(kind))
        starts_at = timezone.make_aware(plan.starts_at)
        assert is_open(place, starts_at, starts_at + timedelta(hours=plan.hours)), (plan.title, starts_at)
        assert plan.starts_at.date() > today
