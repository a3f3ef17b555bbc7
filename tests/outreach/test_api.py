"""The outreach API: a round started (202), read while and after planning, doors ticked once."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.conftest import Cast
from veerkracht.contacts.models import Contact
from veerkracht.outreach.models import RoundStop, Visit
from veerkracht.people.models import Resident

pytestmark = pytest.mark.django_db


def _body(cast: Cast, centre, **changes):
    walker = {"worker_id": cast.volunteer.pk, "starts": "09:30", "ends": "11:30", "place_id": centre.pk}
    body = {
        "neighbourhood_id": cast.north.pk,
        "date": timezone.localdate().isoformat(),
        "kinds": ["porch_talk", "intercom"],
        "walkers": [walker | changes.pop("walker", {})],
    }
    return body | changes


def test_a_round_is_started_planned_and_read_by_its_planner_and_its_walker(cast: Cast, centre, door, api_as):
    door(dx=150)
    started = api_as("coordinator").post("/outreach/rounds", _body(cast, centre))
    assert started.status_code == 202, started.content
    assert started.json()["status"] == "queued"
    round_id = started.json()["round_id"]
    read = api_as("coordinator").get(f"/outreach/rounds/{round_id}").json()
    assert (read["status"], read["progress"], read["problem"]) == ("planned", 100, "")
    assert read["task_id"] == started.json()["task_id"]
    (walker,) = read["walkers"]
    assert walker["start"] == "Buurthuis De Linde"
    assert [stop["position"] for stop in walker["stops"]] == [1, 2]
    assert all(stop["reasons"] for stop in walker["stops"])
    assert "nooit bereikt (+52)" in {reason for stop in walker["stops"] for reason in stop["reasons"]}
    (as_walker,) = api_as("volunteer").get(f"/outreach/rounds/{round_id}").json()["walkers"]
    assert [stop["id"] for stop in as_walker["stops"]] == [stop["id"] for stop in walker["stops"]]
    assert api_as("basisbaan").get(f"/outreach/rounds/{round_id}").status_code == 404
    assert api_as("outsider_coordinator").get(f"/outreach/rounds/{round_id}").status_code == 404


def test_a_walker_without_a_start_point_answers_422_in_dutch(cast: Cast, centre, api_as):
    response = api_as("coordinator").post("/outreach/rounds", _body(cast, centre, walker={"place_id": None}))
    assert response.status_code == 422
    (error,) = response.json()["detail"]
    assert error["loc"] == ["body", "walkers"]
    assert error["msg"].startswith(f"Waar begint {cast.volunteer.display_name}?")


def test_hours_too_short_and_no_candidates_answer_422_in_dutch(cast: Cast, centre, api_as):
    short = api_as("coordinator").post("/outreach/rounds", _body(cast, centre, walker={"ends": "09:32"}))
    assert short.json()["detail"][0]["msg"] == "De uren van de lopers zijn te kort voor zelfs één deur."
    Resident.objects.filter(pk=cast.resident_south.pk).update(birth_year=1990, last_reached_at=timezone.now())
    nobody = api_as("coordinator").post("/outreach/rounds", _body(cast, centre, neighbourhood_id=cast.south.pk))
    assert nobody.status_code == 422
    assert nobody.json()["detail"][0]["loc"] == ["body", "neighbourhood_id"]
    past = api_as("coordinator").post(
        "/outreach/rounds", _body(cast, centre, date=(timezone.localdate() - timedelta(days=1)).isoformat())
    )
    assert past.json()["detail"][0]["loc"] == ["body", "date"]
    bad_kind = api_as("coordinator").post("/outreach/rounds", _body(cast, centre, kinds=["phone"]))
    assert bad_kind.status_code == 422


def test_a_door_is_ticked_once_a_double_tap_replays_and_a_second_phone_hears_who_was_first(cast: Cast, centre, api_as):
    round_id = api_as("coordinator").post("/outreach/rounds", _body(cast, centre)).json()["round_id"]
    stop = RoundStop.objects.get(round_id=round_id)
    path = f"/outreach/rounds/{round_id}/visits/{stop.pk}"
    volunteer = api_as("volunteer")
    body = {"outcome": "talked", "channel": "intercom", "note": "Gaat goed"}
    first = volunteer.post(path, body, key="tap-1")
    assert first.status_code == 201, first.content
    again = volunteer.post(path, body, key="tap-1")
    assert (again.status_code, again.json()) == (201, first.json())
    other_phone = api_as("coordinator").post(path, {"outcome": "not_home"}, key="tap-2")
    assert other_phone.status_code == 422
    assert other_phone.json()["detail"][0]["loc"] == ["body", "outcome"]
    assert other_phone.json()["detail"][0]["msg"].startswith("Deze deur is al afgevinkt: gesproken, door")
    assert Visit.objects.count() == Contact.objects.count() == 1
    assert first.json()["contact_id"] == Contact.objects.get().pk


def test_a_stop_of_another_round_answers_404(cast: Cast, centre, door, api_as):
    round_id = api_as("coordinator").post("/outreach/rounds", _body(cast, centre)).json()["round_id"]
    stop = RoundStop.objects.get(round_id=round_id)
    assert (
        api_as("coordinator")
        .post(f"/outreach/rounds/{round_id + 1}/visits/{stop.pk}", {"outcome": "not_home"})
        .status_code
        == 404
    )
    assert (
        api_as("other_professional")
        .post(f"/outreach/rounds/{round_id}/visits/{stop.pk}", {"outcome": "not_home"})
        .status_code
        == 404
    )
