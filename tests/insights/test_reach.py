"""Today's reach counts: counted at the day's first read, then kept as residents change, always
equal to counting again from scratch."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
from django.utils import timezone

from tests.conftest import Cast
from tests.factories import ResidentFactory
from veerkracht.contacts.services import contact_log
from veerkracht.insights import selectors
from veerkracht.insights.models import ReachDaily
from veerkracht.insights.reach import reach_count, reach_forget
from veerkracht.people.counters import register_counters, residents_written
from veerkracht.people.models import Resident
from veerkracht.people.services import Address, resident_erase, resident_register, resident_update

# Reach counted per day: also run at every awkward moment (tests/clock.py).
pytestmark = [pytest.mark.django_db, pytest.mark.clock]


def _kept(cast: Cast) -> dict[tuple[object, ...], tuple[int, int]]:
    rows = ReachDaily.objects.filter(organisation=cast.organisation).values_list(
        "neighbourhood_id", "day", "window", "group", "residents", "reached"
    )
    return {row[:4]: row[4:] for row in rows if row[4:] != (0, 0)}


def _log(cast: Cast, resident_id: int, days_ago: int = 0) -> None:
    contact_log(
        by=cast.coordinator,
        resident_ids=[resident_id],
        channel="phone",
        started_at=timezone.now() - timedelta(days=days_ago),
        duration_minutes=5,
    )


def test_counts_kept_through_the_day_equal_a_count_from_scratch(cast: Cast):
    north = [ResidentFactory.create(household__building__neighbourhood=cast.north) for _ in range(4)]
    selectors.reach(selectors.scope_of(cast.coordinator), 30)  # the day's first read counts
    assert ReachDaily.objects.filter(day=timezone.localdate()).exists()

    _log(cast, north[0].pk)  # reached today: in every window
    _log(cast, north[1].pk, days_ago=60)  # in the 90-day window only
    _log(cast, north[1].pk, days_ago=70)  # older than what counts already: nothing moves
    newcomer = resident_register(
        by=cast.coordinator,
        neighbourhood=cast.south,
        address=Address(street="Dorpsstraat", house_number=3, postcode="1234 AB", city="Veerstad"),
        attributes={"first_name": "Nieuw", "last_name": "Bewoner", "birth_year": 1950, "lives_alone": True},
    )
    _log(cast, newcomer.pk)
    # A marker and a move, through the service that changes the register.
    resident_update(by=cast.coordinator, resident=north[2], changes={"lives_alone": True}, neighbourhood=cast.south)
    resident_erase(by=cast.coordinator, resident=north[3])
    kept = _kept(cast)

    reach_forget(cast.organisation.pk)
    reach_count(cast.organisation, timezone.localdate())
    assert _kept(cast) == kept
    south = (cast.south.pk, timezone.localdate(), 30, "lives_alone")
    assert kept[south][1] == 1  # the newcomer, reached today


def test_the_reach_table_reads_todays_counts(cast: Cast, api_as):
    for _ in range(22):
        ResidentFactory.create(household__building__neighbourhood=cast.north, lives_alone=True)
    client = api_as("coordinator")
    before = {t["name"]: t for t in client.get("/insights/reach", days=30).json()["tables"]}
    assert before["reach_lives_alone"]["rows"][0]["cells"]["bereikt"]["count"] == 0
    for resident in Resident.objects.filter(lives_alone=True).order_by("pk")[:11]:
        _log(cast, resident.pk)
    after = {t["name"]: t for t in client.get("/insights/reach", days=30).json()["tables"]}
    assert after["reach_lives_alone"]["rows"][0]["cells"]["bereikt"]["count"] == 11


def test_only_the_published_windows_are_answered(api_as):
    """Windows a day apart would publish a single day's reach by subtraction."""
    client = api_as("coordinator")
    assert client.get("/insights/reach", days=90).status_code == 200
    assert client.get("/insights/reach", days=31).status_code == 422


def test_one_target_group_is_shown_on_request(api_as, client, cast: Cast):
    tables = api_as("coordinator").get("/insights/reach", group="lives_alone").json()["tables"]
    assert [t["name"] for t in tables] == ["reach_lives_alone", "out_of_sight"]
    assert api_as("coordinator").get("/insights/reach", group="rich").status_code == 422
    client.force_login(cast.coordinator)
    page = client.get("/inzicht/", {"group": "older_migrant"}).content.decode()
    assert "oudere migrant" in page.lower() or "older migrant" in page.lower()
    assert "Bereik in 30 dagen: iedereen" not in page


def test_the_workers_daily_job_counts_each_organisation_once(cast: Cast):
    from veerkracht.core.daily import jobs
    from veerkracht.insights.reach import counted_today

    ResidentFactory.create(household__building__neighbourhood=cast.north)
    jobs["insights: today's reach"]()
    assert counted_today(cast.organisation.pk, timezone.localdate())
    rows = ReachDaily.objects.count()
    jobs["insights: today's reach"]()
    assert ReachDaily.objects.count() == rows


def test_a_register_write_that_fails_takes_its_count_with_it(cast: Cast):
    """The counts move inside the writing transaction: a write rolled back leaves them as they were."""
    resident = ResidentFactory.create(household__building__neighbourhood=cast.north)
    selectors.reach(selectors.scope_of(cast.coordinator), 30)
    kept, during = _kept(cast), {}

    def move_then_fail() -> None:
        with transaction.atomic():
            with residents_written([resident.pk]):
                Resident.objects.filter(pk=resident.pk).update(neighbourhood=cast.south)
            during.update(_kept(cast))
            raise RuntimeError("the rest of the write fails")

    with pytest.raises(RuntimeError):
        move_then_fail()
    assert during != kept  # counted with the write ...
    assert _kept(cast) == kept  # ... and gone with it


def test_residents_reach_the_counts_by_the_registry_only():
    """One mechanism: no model signal of Resident moves a count (people/counters.py, docs/layers.md)."""
    for signal in (pre_save, post_save, pre_delete, post_delete):
        assert not signal.has_listeners(Resident)
    assert "insights: reach" in register_counters
