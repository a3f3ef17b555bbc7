"""Neighbour help fixtures: residents who consent, helpers with offers near them."""

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from tests.conftest import Cast
from tests.factories import ResidentFactory, UserFactory
from veerkracht.core.models import User
from veerkracht.help.models import HelpOffer, HelpRequest
from veerkracht.help.services import help_offer_save, help_request_create
from veerkracht.people.models import Resident

X, Y = 125000.0, 485000.0  # where the factories put every building


@pytest.fixture
def neighbour(cast: Cast) -> Callable[..., Resident]:
    """A resident in the north who consents to neighbour help, ``dx`` metres east of the others."""

    def make(dx: float = 0.0, **fields: Any) -> Resident:
        fields.setdefault("consent_help_exchange", True)
        fields.setdefault("phone", "0612345678")
        return ResidentFactory.create(
            household__building__neighbourhood=cast.north, household__building__x=X + dx, household__x=X + dx, **fields
        )

    return make


@pytest.fixture
def helper(cast: Cast) -> Callable[..., HelpOffer]:
    """A volunteer of the organisation with an offer, living ``dx`` metres east of the residents."""

    def make(dx: float = 100.0, kinds: tuple[str, ...] = ("groceries",), **fields: Any) -> HelpOffer:
        user = fields.pop("user", None) or UserFactory.create(volunteer=True, organisation=cast.organisation)
        offer = help_offer_save(
            by=user,
            neighbourhood_id=cast.north.pk,
            kinds=list(kinds),
            radius_m=fields.pop("radius_m", 1000),
            max_open_tasks=fields.pop("max_open_tasks", 2),
            **fields,
        )
        HelpOffer.objects.filter(pk=offer.pk).update(x=X + dx, y=Y)
        offer.refresh_from_db()
        return offer

    return make


@pytest.fixture
def ask(cast: Cast) -> Callable[..., HelpRequest]:
    """A one-off request entered by the professional, useful for the next week."""

    def make(resident: Resident, kind: str = "groceries", by: User | None = None, **fields: Any) -> HelpRequest:
        if fields.get("recurrence") != "weekly":
            fields.setdefault("last_day", timezone.localdate() + timedelta(days=7))
        return help_request_create(by=by or cast.professional, resident_id=resident.pk, kind=kind, **fields)

    return make
