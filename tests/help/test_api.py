"""The help API: 201/202/422/404 as docs/architecture.md ("API conventions") says, and two helpers
accepting at the same moment."""

import threading
import urllib.error
import urllib.request
from datetime import timedelta

import pytest
from django.utils import timezone

from tests.conftest import Cast
from tests.factories import UserFactory
from veerkracht.core.services import api_token_issue
from veerkracht.help import services
from veerkracht.help.models import HelpRequest, Match, MatchStatus

pytestmark = pytest.mark.django_db


def _request_body(resident_id: int, **fields) -> dict:
    return {
        "resident_id": resident_id,
        "kind": "groceries",
        "last_day": str(timezone.localdate() + timedelta(days=4)),
    } | fields


def test_a_worker_enters_a_request_and_is_warned_when_nobody_offers_the_kind(api_as, neighbour):
    response = api_as("professional").post("/help/requests", _request_body(neighbour().pk, kind="transport"))
    assert response.status_code == 201
    body = response.json()
    assert (body["status"], body["kind"]) == ("open", "transport")
    assert body["warnings"] == ["Niemand biedt deze hulp nog aan."]


@pytest.mark.parametrize(
    ("fields", "field"),
    [({"kind": "juggling"}, "kind"), ({"last_day": None}, "last_day"), ({"weekday": 9}, "weekday")],
)
def test_bad_requests_answer_422_with_the_field(api_as, neighbour, fields, field):
    response = api_as("professional").post("/help/requests", _request_body(neighbour().pk, **fields))
    assert response.status_code == 422
    assert ["body", field] in [error["loc"] for error in response.json()["detail"]]
    assert not HelpRequest.objects.exists()


def test_a_resident_outside_scope_is_a_422_on_resident_id(api_as, cast: Cast):
    response = api_as("professional").post("/help/requests", _request_body(cast.resident_outside.pk))
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "resident_id"]


@pytest.mark.parametrize(("field", "value"), [("radius_m", 0), ("max_open_tasks", 0), ("moments", [21])])
def test_an_offer_with_radius_or_capacity_zero_is_a_422(api_as, cast: Cast, field, value):
    body = {"neighbourhood_id": cast.north.pk, "kinds": ["meal"], "radius_m": 700, "max_open_tasks": 2} | {field: value}
    response = api_as("volunteer").post("/help/offers", body)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", field]


def test_match_answers_202_and_the_task_tells_the_result(api_as, neighbour, helper, ask):
    ask(neighbour())
    helper()
    client = api_as("coordinator")
    queued = client.post("/help/match", {})
    assert queued.status_code == 202
    assert queued.json()["status"] == "queued"
    task = client.get(f"/help/match/{queued.json()['task_id']}").json()
    assert (task["status"], task["progress"], task["result"]["proposed"]) == ("done", 100, 1)
    assert client.get("/help/match/not-a-uuid").status_code == 404


def test_a_helper_lists_accepts_and_finishes_a_task(api_as, cast: Cast, neighbour, helper, ask):
    ask(neighbour(first_name="Joke"), description="Brood en melk")
    helper(user=cast.volunteer)
    services.match_run_start(by=cast.coordinator)
    client = api_as("volunteer")
    (task,) = client.get("/help/my-matches").json()
    assert (task["first_name"], task["phone"], task["status"]) == ("Joke", "", "proposed")
    accepted = client.post(f"/help/matches/{task['match_id']}/accept").json()
    assert (accepted["status"], accepted["phone"]) == ("accepted", "0612345678")
    done = client.post(f"/help/matches/{task['match_id']}/done", {"note": "Gebracht"})
    assert done.status_code == 200
    (finished,) = client.get("/help/my-matches").json()
    assert (finished["status"], finished["address"], finished["phone"]) == ("done", "", "")
    assert client.post(f"/help/matches/{task['match_id']}/done", {}).status_code == 422


def test_a_double_submitted_accept_with_one_key_writes_once(api_as, cast: Cast, neighbour, helper, ask):
    help_request = ask(neighbour())
    offer = helper(user=cast.volunteer)
    match = services.propose(
        help_request=help_request, offer=offer, run=None, distance_m=5, same_language=None, continuity=False, by=None
    )
    assert match is not None
    client = api_as("volunteer")
    first = client.post(f"/help/matches/{match.pk}/accept", key="tap-1")
    second = client.post(f"/help/matches/{match.pk}/accept", key="tap-1")
    assert first.status_code == second.status_code == 200
    assert help_request.events.filter(status="accepted").count() == 1


def _accept(url: str, token: str, results: list[int], barrier: threading.Barrier) -> None:
    request = urllib.request.Request(url, data=b"{}", method="POST")  # noqa: S310 - the test's own live server
    request.add_header("Authorization", f"Bearer {token}")
    request.add_header("Content-Type", "application/json")
    barrier.wait()
    try:
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
            results.append(response.status)
    except urllib.error.HTTPError as error:
        results.append(error.code)


@pytest.mark.django_db(transaction=True)
def test_two_helpers_accepting_the_same_request_at_the_same_moment_exactly_one_wins(
    live_server, cast: Cast, neighbour, helper, ask
):
    help_request = ask(neighbour())
    offers = [helper(user=UserFactory.create(volunteer=True, organisation=cast.organisation)) for _ in range(2)]
    for _round in range(5):
        matches = [
            services.propose(
                help_request=help_request,
                offer=offer,
                run=None,
                distance_m=5,
                same_language=None,
                continuity=False,
                by=None,
            )
            for offer in offers
        ]
        barrier, results = threading.Barrier(2), list[int]()
        threads = [
            threading.Thread(
                target=_accept,
                args=(
                    f"{live_server.url}/api/v1/help/matches/{match.pk}/accept",
                    api_token_issue(user=offer.helper)[0],
                    results,
                    barrier,
                ),
            )
            for match, offer in zip(matches, offers, strict=True)
            if match is not None
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert sorted(results) == [200, 422]
        assert Match.objects.filter(request=help_request, status=MatchStatus.ACCEPTED).count() == 1
        winner = Match.objects.get(request=help_request, status=MatchStatus.ACCEPTED)
        services.match_decline(by=winner.offer.helper, match_id=winner.pk)  # free it for the next round
        Match.objects.filter(request=help_request).exclude(status=MatchStatus.PROPOSED).delete()
