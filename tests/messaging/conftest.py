"""The test SMS gateway, and residents of one block of flats with different consents."""

from collections.abc import Iterator
from typing import Any

import pytest
from django.test import override_settings

from tests.conftest import Cast
from tests.factories import BuildingFactory, HouseholdFactory, ResidentFactory
from tests.messaging.gateway import KEY, Gateway, GatewayServer
from veerkracht.messaging.backends import memory
from veerkracht.people.models import Building, Entrance, Resident


@pytest.fixture
def gateway() -> Iterator[Gateway]:
    """A running test gateway; the app sends SMS to it, retrying fast (10 ms back-off, 0.5 s timeout)."""
    made = Gateway()
    with (
        GatewayServer(made),
        override_settings(
            SMS_BACKEND="gateway",
            SMS_GATEWAY_URL=made.url,
            SMS_GATEWAY_KEY=KEY,
            SMS_GATEWAY_TIMEOUT_S=0.5,
            MESSAGE_RETRY_BACKOFF_MS=50,
            MESSAGE_SEND_ATTEMPTS=4,
        ),
    ):
        yield made


@pytest.fixture(autouse=True)
def _empty_sms_outbox() -> None:
    memory.outbox.clear()


@pytest.fixture
def flats(cast: Cast) -> Building:
    """A block of flats in the north with two entrances."""
    building = BuildingFactory.create(
        neighbourhood=cast.north, kind="flat", street="Esdoornlaan", house_number=12, postcode="1234 AB"
    )
    Entrance.objects.create(building=building, label="A", x=0, y=0)
    Entrance.objects.create(building=building, label="B", x=0, y=0)
    return building


def live_in(building: Building, entrance: str = "A", **fields: Any) -> Resident:
    household = HouseholdFactory.create(building=building, entrance=building.entrances.get(label=entrance))
    return ResidentFactory.create(household=household, **fields)


@pytest.fixture
def block(flats: Building) -> dict[str, Resident]:
    """Residents of the flats: 75+ with SMS consent, 75+ with e-mail, 75+ with neither, a young one with SMS."""
    return {
        "sms": live_in(flats, first_name="Annie", birth_year=1940, phone="06-12345678", consent_sms=True),
        "sms_b": live_in(flats, "B", first_name="Wim", birth_year=1945, phone="0687654321", consent_sms=True),
        "email": live_in(flats, first_name="Gerrit", birth_year=1938, email="gerrit@example.org", consent_email=True),
        "letter": live_in(flats, first_name="Truus", birth_year=1942, consent_contact=True),
        "none": live_in(flats, first_name="Kees", birth_year=1944, phone="0611111111"),
        "landline": live_in(flats, first_name="Bep", birth_year=1939, phone="0101234567", consent_sms=True),
        "young": live_in(flats, first_name="Sanne", birth_year=1995, phone="0622222222", consent_sms=True),
    }
