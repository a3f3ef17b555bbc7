"""'My tasks' on the start page: help proposals and tasks, activities one helps at, rounds to walk and
follow-ups, gathered from the apps that give the work (issue 23)."""

from datetime import time, timedelta

from django.test import Client
from django.utils import timezone

from tests.conftest import Cast
from veerkracht.activities.models import Activity
from veerkracht.contacts.services import contact_log
from veerkracht.core.models import AuditAction, AuditEvent
from veerkracht.help.models import Match
from veerkracht.help.services import help_offer_save, help_request_create, match_run_start
from veerkracht.outreach.services import WalkerPlan, round_start
from veerkracht.people.models import Resident
from veerkracht.places.models import Place

NOTHING = "U hebt nu geen taken."


def _my_tasks(client: Client) -> str:
    html = client.get("/").content.decode()
    assert 'id="tasks-heading"' in html
    return html.split('id="tasks-heading"')[1]


def _help_proposal(cast: Cast) -> Match:
    Resident.objects.filter(pk=cast.resident_north.pk).update(consent_help_exchange=True, phone="0612345678")
    help_request_create(
        by=cast.coordinator, resident_id=cast.resident_north.pk, kind="groceries",
        last_day=timezone.localdate() + timedelta(days=5), description="Boodschappen",
    )  # fmt: skip
    home = cast.resident_north.household
    assert home is not None
    help_offer_save(
        by=cast.volunteer, neighbourhood_id=cast.north.pk, kinds=["groceries"], radius_m=2000, max_open_tasks=2,
        postcode=home.postcode, house_number=home.house_number,
    )  # fmt: skip
    match_run_start(by=cast.coordinator)
    return Match.objects.get()


def _activity_helped_by(cast: Cast, helper) -> Activity:
    place = Place.objects.create(
        organisation=cast.organisation, neighbourhood=cast.north, name="Buurthuis De Linde", kind="community_centre"
    )
    starts = timezone.now() + timedelta(days=2)
    activity = Activity.objects.create(
        organisation=cast.organisation, title="Koffieochtend", kind="coffee_morning", place=place,
        starts_at=starts, ends_at=starts + timedelta(hours=2), organiser=cast.professional,
    )  # fmt: skip
    activity.helpers.add(helper)
    return activity


def test_a_volunteer_with_a_proposal_an_activity_and_a_round_sees_all_three_and_no_empty_promise(
    cast: Cast, client: Client
):
    match = _help_proposal(cast)
    activity = _activity_helped_by(cast, cast.volunteer)
    home = cast.resident_north.household
    assert home is not None
    round_ = round_start(
        by=cast.coordinator, neighbourhood_id=cast.north.pk, on=timezone.localdate() + timedelta(days=1),
        kinds=["porch_talk"],
        walkers=[WalkerPlan(cast.volunteer.pk, time(9), time(11), postcode=home.postcode,
                            house_number=home.house_number)],
    )  # fmt: skip
    client.force_login(cast.volunteer)
    tasks = _my_tasks(client)
    assert NOTHING not in tasks
    assert f'href="/mijn-hulp/{match.pk}/"' in tasks
    assert "voorstel: wacht op uw antwoord" in tasks
    assert f'href="/activiteiten/{activity.pk}/beheer/"' in tasks
    assert "Buurthuis De Linde" in tasks
    assert f'href="/rondes/{round_.pk}/mijn-lijst/"' in tasks
    assert "nog 1 deur" in tasks
    # The start page names no resident: the kind of help and the moment, not who or where.
    assert cast.resident_north.first_name not in tasks
    assert not AuditEvent.objects.filter(actor=cast.volunteer, action=AuditAction.VIEW).exists()


def test_a_worker_sees_follow_ups_and_activities_under_my_tasks(cast: Cast, client: Client):
    contact_log(
        by=cast.professional, resident_ids=[cast.resident_north.pk], channel="phone",
        started_at=timezone.now() - timedelta(days=2), duration_minutes=5, follow_up_on=timezone.localdate(),
    )  # fmt: skip
    _activity_helped_by(cast, cast.other_professional)  # organised by the professional
    client.force_login(cast.professional)
    tasks = _my_tasks(client)
    assert "Terugbellen en opvolgen" in tasks
    assert cast.resident_north.full_name in tasks
    assert "Activiteiten waar ik help" in tasks
    assert "Koffieochtend" in tasks
    assert NOTHING not in tasks


def test_a_volunteer_without_work_is_told_so_plainly(cast: Cast, client: Client):
    client.force_login(cast.volunteer)
    assert NOTHING in _my_tasks(client)


def test_finished_rounds_and_declined_proposals_leave_the_list(cast: Cast, client: Client):
    match = _help_proposal(cast)
    Match.objects.filter(pk=match.pk).update(status="declined")
    client.force_login(cast.volunteer)
    tasks = _my_tasks(client)
    assert "/mijn-hulp/" not in tasks.split("Mijn werk")[0]
    assert NOTHING in tasks
