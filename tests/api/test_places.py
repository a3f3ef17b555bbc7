"""Meeting places and the distancing rule through the API: a coordinator's, for their own organisation."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.conftest import Cast
from tests.factories import NeighbourhoodFactory
from veerkracht.activities.models import Activity
from veerkracht.core.models import AuditAction, AuditEvent, Organisation
from veerkracht.places.models import Place


@pytest.fixture
def park(cast: Cast) -> Place:
    return Place.objects.create(
        organisation=cast.organisation, neighbourhood=cast.north, name="Noorderpark", kind="park", indoor=False
    )


@pytest.fixture
def library_elsewhere(cast: Cast) -> Place:
    other = cast.outsider_coordinator.organisation
    assert other is not None
    return Place.objects.create(organisation=other, name="Bieb Elders", kind="library")


def _planned_at(place: Place, cast: Cast, *, registrations: int = 0) -> Activity:
    starts = timezone.now() + timedelta(days=2)
    activity = Activity.objects.create(
        organisation=cast.organisation,
        title="Wandeling",
        kind="walk",
        place=place,
        starts_at=starts,
        ends_at=starts + timedelta(hours=1),
        organiser=cast.professional,
        max_participants=50,
    )
    for number in range(registrations):
        activity.registrations.create(name=f"Buur {number}", phone=f"06123456{number:02d}", status="confirmed")
    return activity


def test_a_coordinator_changes_some_of_a_place_and_the_rest_stays(cast: Cast, api_as, park):
    response = api_as("coordinator").patch(
        f"/places/{park.pk}", {"seating": True, "area_m2": 300, "neighbourhood_id": None}
    )
    assert response.status_code == 200
    body = response.json()
    assert (body["seating"], body["area_m2"], body["neighbourhood_code"], body["name"]) == (
        True,
        300,
        None,
        "Noorderpark",
    )
    park.refresh_from_db()
    assert (park.seating, park.area_m2, park.neighbourhood_id, park.kind) == (True, 300, None, "park")
    event = AuditEvent.objects.get(action=AuditAction.UPDATE, object_type="places.place")
    assert event.fields == ["area_m2", "neighbourhood_id", "seating"]


def test_another_organisations_place_answers_404_and_stays(cast: Cast, api_as, library_elsewhere):
    api = api_as("coordinator")
    assert api.patch(f"/places/{library_elsewhere.pk}", {"name": "Van ons"}).status_code == 404
    assert api.delete(f"/places/{library_elsewhere.pk}").status_code == 404
    library_elsewhere.refresh_from_db()
    assert library_elsewhere.name == "Bieb Elders"


@pytest.mark.parametrize("role", ["professional", "basisbaan", "volunteer", "privacy_officer", "funder"])
def test_a_role_that_may_not_change_places_gets_404(cast: Cast, api_as, park, role):
    api = api_as(role)
    assert api.patch(f"/places/{park.pk}", {"name": "Anders"}).status_code == 404
    assert api.delete(f"/places/{park.pk}").status_code == 404
    assert Place.objects.filter(pk=park.pk, name="Noorderpark").exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"kind": "castle"}, "kind"),
        ({"name": None}, "name"),
        ({"name": ""}, "name"),
        ({"area_m2": -1}, "area_m2"),
        ({"outdoor_m2_per_person": 0}, "outdoor_m2_per_person"),
        ({"opening_hours": {"0": [["25:00", "17:00"]]}}, "opening_hours"),
    ],
)
def test_a_bad_change_answers_422_naming_the_field(cast: Cast, api_as, park, body, field):
    response = api_as("coordinator").patch(f"/places/{park.pk}", body)
    assert response.status_code == 422
    assert ["body", field] in [error["loc"] for error in response.json()["detail"]]


def test_a_neighbourhood_of_another_organisation_is_refused_on_its_field(cast: Cast, api_as, park):
    elsewhere = NeighbourhoodFactory.create(district__organisation=cast.outsider_coordinator.organisation)
    response = api_as("coordinator").patch(f"/places/{park.pk}", {"neighbourhood_id": elsewhere.pk})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "neighbourhood_id"]


def test_a_place_without_activities_is_removed_once(cast: Cast, api_as, park):
    api = api_as("coordinator")
    first = api.delete(f"/places/{park.pk}", key="weg")
    again = api.delete(f"/places/{park.pk}", key="weg")  # the same request sent twice: the same answer
    assert (first.status_code, again.status_code) == (204, 204)
    assert again["Idempotent-Replayed"] == "true"
    assert not Place.objects.filter(pk=park.pk).exists()
    assert AuditEvent.objects.filter(action=AuditAction.DELETE, object_id=str(park.pk)).count() == 1


def test_a_place_with_activities_stays_and_answers_409(cast: Cast, api_as, park):
    _planned_at(park, cast)
    response = api_as("coordinator").delete(f"/places/{park.pk}")
    assert response.status_code == 409
    assert isinstance(response.json()["detail"], str)
    assert Place.objects.filter(pk=park.pk).exists()


RULE = "/organisation/distancing-rule"


def test_a_coordinator_reads_and_sets_the_distancing_rule(cast: Cast, api_as, park):
    park.area_m2 = 100
    park.save()
    crowded = _planned_at(park, cast, registrations=20)
    api = api_as("coordinator")
    assert api.get(RULE).json() == {"distancing_rule": False, "indoor_m2_per_person": 5.0, "outdoor_m2_per_person": 5.0}
    body = {"distancing_rule": True, "indoor_m2_per_person": 4, "outdoor_m2_per_person": 10}
    response = api.put(RULE, body)
    assert response.status_code == 200
    assert response.json() == body | {"over_capacity_activity_ids": [crowded.pk]}  # 100 m² / 10 = 10 fit
    organisation = Organisation.objects.get(pk=cast.organisation.pk)
    assert (organisation.distancing_rule, organisation.outdoor_m2_per_person) == (True, 10.0)
    assert api.get(RULE).json()["outdoor_m2_per_person"] == 10.0


def test_the_rule_is_the_callers_own_organisations(cast: Cast, api_as):
    api_as("outsider_coordinator").put(
        RULE, {"distancing_rule": True, "indoor_m2_per_person": 2, "outdoor_m2_per_person": 2}
    )
    assert Organisation.objects.get(pk=cast.organisation.pk).distancing_rule is False
    assert api_as("coordinator").get(RULE).json()["distancing_rule"] is False


@pytest.mark.parametrize("role", ["professional", "basisbaan", "volunteer", "privacy_officer", "funder", "resident"])
def test_a_role_that_may_not_set_the_rule_gets_404(cast: Cast, api_as, role):
    api = api_as(role)
    assert api.get(RULE).status_code == 404
    body = {"distancing_rule": True, "indoor_m2_per_person": 4, "outdoor_m2_per_person": 4}
    assert api.put(RULE, body).status_code == 404
    assert Organisation.objects.get(pk=cast.organisation.pk).distancing_rule is False


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"distancing_rule": True, "indoor_m2_per_person": 0, "outdoor_m2_per_person": 5}, "indoor_m2_per_person"),
        ({"distancing_rule": True, "indoor_m2_per_person": 5, "outdoor_m2_per_person": 101}, "outdoor_m2_per_person"),
        ({"indoor_m2_per_person": 5, "outdoor_m2_per_person": 5}, "distancing_rule"),
    ],
)
def test_a_bad_rule_answers_422_naming_the_field(cast: Cast, api_as, body, field):
    response = api_as("coordinator").put(RULE, body)
    assert response.status_code == 422
    assert ["body", field] in [error["loc"] for error in response.json()["detail"]]
    assert Organisation.objects.get(pk=cast.organisation.pk).distancing_rule is False
