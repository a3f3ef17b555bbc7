"""Least data for walkers: volunteers and basisbaan workers see the door, the kind of visit and,
with the resident's consent, the name; never why the door is on the list (open concerns,
vulnerability markers, weeks without contact) nor its priority. Planners still see why.
"""

from collections.abc import Callable

import pytest

from tests.conftest import Cast
from tests.outreach.conftest import walker
from veerkracht.contacts.services import concern_raise
from veerkracht.core.models import User
from veerkracht.outreach.models import OutreachRound, RoundStop
from veerkracht.outreach.presentation import reasons_of
from veerkracht.people.models import Resident

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_doors(cast: Cast, door: Callable[..., Resident]) -> tuple[Resident, Resident]:
    """One resident who consented to contact, one who did not; both alone, both with an open concern."""
    consented = door(dx=100, lives_alone=True, consent_contact=True, first_name="Instemmer")
    withheld = door(dx=150, lives_alone=True, consent_contact=False, first_name="Geheimhouder")
    for resident in (consented, withheld):
        concern_raise(by=cast.professional, resident_id=resident.pk, category="loneliness", severity=2)
    return consented, withheld


def _round_walked_by(user: User, start_round, centre) -> OutreachRound:
    return start_round(walkers=[walker(user, centre)])


def _reasons(round_: OutreachRound) -> set[str]:
    reasons = {reason for stop in RoundStop.objects.filter(round=round_) for reason in reasons_of(stop)}
    assert any("zorgsignaal" in reason or "kwetsba" in reason for reason in reasons), reasons
    return reasons


@pytest.mark.parametrize("role", ["volunteer", "basisbaan"])
def test_a_walker_sees_the_door_and_the_name_only_with_consent_never_why(
    cast: Cast, role: str, two_doors, start_round, centre, client, api_as
):
    consented, withheld = two_doors
    walking: User = getattr(cast, role)
    round_ = _round_walked_by(walking, start_round, centre)
    reasons = _reasons(round_)
    client.force_login(walking)
    stops = list(RoundStop.objects.filter(round=round_).order_by("position"))
    assert {stop.resident_id for stop in stops} >= {consented.pk, withheld.pk}
    pages = [
        client.get(f"/rondes/{round_.pk}/mijn-lijst/"),
        client.get(f"/rondes/{round_.pk}/afdrukken/"),
        *(client.get(f"/rondes/{round_.pk}/deuren/{stop.pk}/") for stop in stops),
    ]
    for page in pages:
        assert page.status_code == 200
        html = page.content.decode()
        assert "Waarom deze deur" not in html
        for reason in reasons:
            assert reason not in html
        assert withheld.full_name not in html
        assert consented.household is not None
        assert consented.household.street in html
    assert consented.full_name in pages[0].content.decode()
    api = api_as(role).get(f"/outreach/rounds/{round_.pk}").json()
    (own,) = api["walkers"]
    for stop in own["stops"]:
        assert (stop["reasons"], stop["priority"]) == ([], None)
        assert withheld.full_name not in stop["name"]
        assert stop["address"]
    assert {stop["name"] for stop in own["stops"]} >= {consented.full_name}


def test_a_planner_still_sees_why_each_door(cast: Cast, two_doors, start_round, centre, client, api_as):
    round_ = _round_walked_by(cast.volunteer, start_round, centre)
    reasons = _reasons(round_)
    client.force_login(cast.coordinator)
    html = client.get(f"/rondes/{round_.pk}/").content.decode()
    assert "Waarom deze deur" in html
    assert all(reason in html for reason in reasons)
    (own,) = api_as("coordinator").get(f"/outreach/rounds/{round_.pk}").json()["walkers"]
    assert all(stop["reasons"] and stop["priority"] for stop in own["stops"])
