"""Outreach fixtures: residents at known doors in the north, a community centre to start from, a round."""

from collections.abc import Callable
from datetime import time
from typing import Any

import pytest
from django.utils import timezone

from tests.conftest import Cast
from tests.factories import ResidentFactory
from veerkracht.core.models import TaskStatus, User
from veerkracht.outreach import services
from veerkracht.outreach.models import OutreachRound
from veerkracht.people.models import Resident
from veerkracht.places.models import Place

X, Y = 125000.0, 485000.0  # where the factories put every building


@pytest.fixture
def door(cast: Cast) -> Callable[..., Resident]:
    """A resident in the north living ``dx`` metres east of the community centre."""

    def make(dx: float = 100.0, **fields: Any) -> Resident:
        return ResidentFactory.create(
            household__building__neighbourhood=cast.north, household__building__x=X + dx, household__x=X + dx, **fields
        )

    return make


@pytest.fixture
def centre(cast: Cast) -> Place:
    return Place.objects.create(
        organisation=cast.organisation,
        neighbourhood=cast.north,
        name="Buurthuis De Linde",
        kind="community_centre",
        x=X,
        y=Y,
    )


def walker(
    user: User, place: Place | None, starts: str = "09:00", ends: str = "11:00", **fields: Any
) -> services.WalkerPlan:
    return services.WalkerPlan(
        worker_id=user.pk,
        starts=time.fromisoformat(starts),
        ends=time.fromisoformat(ends),
        place_id=place.pk if place else None,
        **fields,
    )


@pytest.fixture
def start_round(cast: Cast, centre: Place) -> Callable[..., OutreachRound]:
    """Start (and, in tests, at once plan) a round in the north; the professional walks two hours."""

    def make(walkers: list[services.WalkerPlan] | None = None, by: User | None = None, **fields: Any) -> OutreachRound:
        fields.setdefault("kinds", ["porch_talk", "intercom"])
        round_ = services.round_start(
            by=by or cast.coordinator,
            neighbourhood_id=fields.pop("neighbourhood_id", cast.north.pk),
            on=fields.pop("on", timezone.localdate()),
            walkers=walkers if walkers is not None else [walker(cast.professional, centre)],
            **fields,
        )
        assert round_.run is not None
        assert round_.run.status == TaskStatus.DONE, round_.run.error
        return round_

    return make
