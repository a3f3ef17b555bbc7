"""A park and a community centre in the cast's northern neighbourhood, and a way to plan there."""

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from tests.conftest import Cast
from veerkracht.activities.models import Activity
from veerkracht.activities.services import ActivityPlan, activity_plan
from veerkracht.places.models import Place


@pytest.fixture
def park(cast: Cast) -> Place:
    return Place.objects.create(
        organisation=cast.organisation,
        neighbourhood=cast.north,
        name="Noorderpark",
        kind="park",
        indoor=False,
        area_m2=400,
        outdoor_m2_per_person=10,
    )


@pytest.fixture
def centre(cast: Cast) -> Place:
    return Place.objects.create(
        organisation=cast.organisation,
        neighbourhood=cast.north,
        name="Buurthuis De Linde",
        kind="community_centre",
        indoor=True,
        area_m2=100,
        normal_capacity=80,
        opening_hours={str(day): [["09:00", "22:00"]] for day in range(7)},
    )


def soon(days: int = 3, hour: int = 14) -> datetime:
    moment = timezone.localtime() + timedelta(days=days)
    return moment.replace(hour=hour, minute=0, second=0, microsecond=0)


@pytest.fixture
def plan_at(cast: Cast):
    def plan(place: Place | None, **overrides) -> Activity:
        starts = soon()
        fields = {
            "title": "Plantsoenbingo",
            "kind": "plantsoenbingo",
            "starts_at": starts,
            "ends_at": starts + timedelta(hours=2),
            "place_id": place.pk if place else None,
            "max_participants": 3,
        }
        return activity_plan(by=cast.professional, plan=ActivityPlan(**{**fields, **overrides}))[0]

    return plan
