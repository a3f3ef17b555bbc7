"""Maps, matching and rounds use an address's real position, from the address register when only it knows it."""

from datetime import time

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from tests.conftest import Cast
from tests.factories import ResidentFactory
from veerkracht.help.services import help_offer_save
from veerkracht.outreach.models import RoundWalker
from veerkracht.outreach.services import WalkerPlan, round_start
from veerkracht.outreach.vocabulary import VisitKind
from veerkracht.people.addresses import address_position, household_at

pytestmark = pytest.mark.django_db


def test_an_address_only_the_register_knows_has_its_position(register: Cast):
    found = address_position(register.organisation.pk, "1091 AB", 14, "B")
    assert found is not None
    assert (found.street, found.x, found.y) == ("Wijttenbachstraat", 121520.0, 487520.0)
    assert address_position(register.organisation.pk, "1091 AB", 13) is None


def test_a_stand_in_household_is_no_position(register: Cast):
    """A household whose address was found nowhere sits at the centre: it must not pass as a real position."""
    household = household_at(
        neighbourhood=register.south,
        street="Nergensstraat",
        house_number=7,
        house_number_suffix="",
        postcode="1091 ZZ",
        city="Amsterdam",
        floor=None,
    )
    assert household.address_not_found
    assert address_position(register.organisation.pk, "1091 ZZ", 7) is None


def test_a_volunteers_home_comes_from_the_address_register(register: Cast):
    offer = help_offer_save(
        by=register.volunteer,
        neighbourhood_id=register.south.pk,
        kinds=["walk"],
        radius_m=500,
        max_open_tasks=1,
        postcode="1091ab",
        house_number=16,
    )
    assert (offer.x, offer.y) == (121540.0, 487540.0)


def test_a_volunteers_home_found_nowhere_is_refused_not_placed_at_the_centre(register: Cast):
    with pytest.raises(ValidationError) as refused:
        help_offer_save(
            by=register.volunteer,
            neighbourhood_id=register.south.pk,
            kinds=["walk"],
            radius_m=500,
            max_open_tasks=1,
            postcode="1091 AB",
            house_number=13,
        )
    assert "postcode" in refused.value.message_dict


def test_a_round_starts_at_an_address_only_the_register_knows(register: Cast):
    ResidentFactory.create(
        household__building__neighbourhood=register.south,
        household__x=121500.0,
        household__y=487500.0,
        lives_alone=True,
    )
    plan = WalkerPlan(register.coordinator.pk, time(10), time(12), postcode="1091 AB", house_number=16)
    round_start(
        by=register.coordinator,
        neighbourhood_id=register.south.pk,
        on=timezone.localdate(),
        kinds=[VisitKind.PORCH_TALK],
        walkers=[plan],
    )
    walker = RoundWalker.objects.get()
    assert (walker.x, walker.y) == (121540.0, 487540.0)
    assert walker.start_label == "Wijttenbachstraat 16, 1091 AB"


def _home_map(client: Client, resident_id: int) -> str:
    html = client.get(f"/bewoners/{resident_id}/").content.decode()
    start = html.index('<figure class="vk-map vk-home-map"')
    return html[start : html.index("</figure>", start)]


def test_the_residents_page_marks_the_home_where_the_register_puts_it(register: Cast, client: Client):
    household = household_at(
        neighbourhood=register.south,
        street="Wijttenbachstraat",
        house_number=12,
        house_number_suffix="",
        postcode="1091 AB",
        city="Amsterdam",
        floor=None,
    )
    resident = ResidentFactory.create(household=household, neighbourhood=register.south)
    client.force_login(register.coordinator)
    drawn = _home_map(client, resident.pk)
    assert f'data-neighbourhood="{register.south.code}"' in drawn
    assert f"({register.south.code})" in drawn
    # The home (121500, 487500) is the middle of the square 121000-122000 × 487000-488000, which is
    # drawn with an even margin in a viewBox of 1000 × 1000: the marker sits at its middle.
    assert 'viewBox="0 0 1000 1000"' in drawn
    assert 'cx="500"' in drawn
    assert 'cy="500"' in drawn


def test_a_home_whose_address_was_not_found_gets_no_marker(register: Cast, client: Client):
    household = household_at(
        neighbourhood=register.south,
        street="Nergensstraat",
        house_number=7,
        house_number_suffix="",
        postcode="1091 ZZ",
        city="Amsterdam",
        floor=None,
    )
    resident = ResidentFactory.create(household=household, neighbourhood=register.south)
    client.force_login(register.coordinator)
    drawn = _home_map(client, resident.pk)
    assert "<circle" not in drawn
    assert "niet gevonden" in drawn
