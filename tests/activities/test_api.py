"""Places and activities through the API."""

from datetime import timedelta

import pytest

from tests.activities.conftest import soon
from tests.conftest import Cast
from veerkracht.activities.models import Activity, Registration
from veerkracht.contacts.models import Contact


def _activity_body(place, **overrides):
    starts = soon()
    body = {
        "title": "Plantsoenbingo",
        "kind": "plantsoenbingo",
        "place_id": place.pk if place else None,
        "starts_at": starts.isoformat(),
        "ends_at": (starts + timedelta(hours=2)).isoformat(),
        "max_participants": 2,
    }
    return {**body, **overrides}


def test_anyone_lists_places_with_their_safe_capacity(cast: Cast, client, park):
    cast.organisation.distancing_rule = True
    cast.organisation.save()
    body = client.get("/api/v1/places").json()
    assert body["count"] == 1
    assert body["items"][0]["safe_capacity"] == 40
    assert client.get(f"/api/v1/places/{park.pk}").json()["name"] == "Noorderpark"
    assert client.get("/api/v1/places/999999").status_code == 404


def test_a_coordinator_adds_a_place_and_bad_hours_are_a_field_error(cast: Cast, api_as):
    api = api_as("coordinator")
    body = {
        "name": "Bibliotheek Noord",
        "kind": "library",
        "neighbourhood_id": cast.north.pk,
        "area_m2": 300,
        "opening_hours": {"0": [["10:00", "17:00"]]},
    }
    assert api.post("/places", body).status_code == 201
    bad = api.post("/places", {**body, "opening_hours": {"0": [["17:00", "10:00"]]}})
    assert bad.status_code == 422
    assert bad.json()["detail"][0]["loc"] == ["body", "opening_hours"]
    assert api_as("professional").post("/places", body).status_code == 404


def test_planning_through_the_api_and_the_public_programme(cast: Cast, api_as, client, park):
    created = api_as("professional").post("/activities", _activity_body(park))
    assert created.status_code == 201
    assert created.json()["public_url"].endswith(f"/activiteiten/{created.json()['id']}/")
    programme = client.get("/api/v1/activities", {"kind": "plantsoenbingo", "neighbourhood": cast.north.code}).json()
    assert [item["id"] for item in programme["items"]] == [created.json()["id"]]
    assert client.get("/api/v1/activities", {"kind": "webinar"}).json()["count"] == 0


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"max_participants": 5000}, "max_participants"),
        ({"kind": "rave"}, "kind"),
        ({"ends_at": soon(days=1).isoformat()}, "ends_at"),
    ],
)
def test_bad_plans_answer_422_with_the_field(cast: Cast, api_as, park, overrides, field):
    cast.organisation.distancing_rule = True
    cast.organisation.save()
    response = api_as("professional").post("/activities", _activity_body(park, **overrides))
    assert response.status_code == 422
    assert ["body", field] in [error["loc"] for error in response.json()["detail"]]
    assert not Activity.objects.exists()


def test_public_registration_waitlist_and_cancellation_with_the_token(client, park, plan_at):
    activity = plan_at(park, max_participants=1)
    url = f"/api/v1/activities/{activity.pk}/registrations"
    first = client.post(url, {"name": "Ans", "phone": "0611111111", "consent": True}, content_type="application/json")
    second = client.post(url, {"name": "Bep", "phone": "0622222222", "consent": True}, content_type="application/json")
    assert (first.status_code, first.json()["status"], second.json()["status"]) == (201, "confirmed", "waitlisted")
    token = first.json()["cancel_url"].rstrip("/").rsplit("/", 1)[-1]
    assert client.delete(f"/api/v1/registrations/{first.json()['id']}?token=wrong").status_code == 404
    assert client.delete(f"/api/v1/registrations/{first.json()['id']}?token={token}").status_code == 204
    assert Registration.objects.get(pk=second.json()["id"]).status == "confirmed"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "Ans", "phone": "0611111111"}, "consent"),
        ({"name": "Ans", "phone": "abc", "consent": True}, "phone"),
        ({"resident_id": 1}, "resident_id"),
    ],
)
def test_bad_public_registrations_answer_422(client, park, plan_at, body, field):
    activity = plan_at(park)
    response = client.post(f"/api/v1/activities/{activity.pk}/registrations", body, content_type="application/json")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", field]


def test_a_flood_from_one_address_is_refused(client, park, plan_at, settings):
    settings.PUBLIC_REGISTRATIONS_PER_HOUR = 3
    activity = plan_at(park, max_participants=50)
    url = f"/api/v1/activities/{activity.pk}/registrations"
    answers = [
        client.post(
            url, {"name": "X", "phone": f"06{n:08d}", "consent": True}, content_type="application/json"
        ).status_code
        for n in range(5)
    ]
    assert answers == [201, 201, 201, 429, 429]
    assert Registration.objects.count() == 3


def test_a_worker_registers_a_resident_and_ticks_attendance(cast: Cast, api_as, park, plan_at):
    activity = plan_at(park)
    api = api_as("professional")
    created = api.post(f"/activities/{activity.pk}/registrations", {"resident_id": cast.resident_north.pk})
    assert created.json()["status"] == "confirmed"
    outsider = api_as("volunteer").post(f"/activities/{activity.pk}/attendance", {"registration_ids": []})
    assert outsider.status_code == 404  # the volunteer does not help at this activity
    activity.helpers.add(cast.volunteer)
    ticked = api_as("volunteer").post(
        f"/activities/{activity.pk}/attendance", {"registration_ids": [created.json()["id"]]}
    )
    assert ticked.json() == {"ticked": 1, "walk_ins": 0}
    assert Contact.objects.get().channel == "activity"
