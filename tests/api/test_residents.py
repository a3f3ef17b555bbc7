"""The resident register through the API: scope, audit, validation as 422 with the field."""

import pytest

from tests.conftest import Cast
from veerkracht.core.models import AuditAction, AuditEvent
from veerkracht.people.models import Resident

OUTSIDERS = [
    "other_professional",
    "basisbaan",
    "volunteer",
    "resident",
    "privacy_officer",
    "funder",
    "outsider_coordinator",
    "outsider_professional",
]


def _new_resident(cast: Cast, **overrides):
    body = {
        "first_name": "Kees",
        "last_name": "Bakker",
        "birth_year": 1939,
        "neighbourhood_id": cast.north.pk,
        "street": "Eikenlaan",
        "house_number": 12,
        "postcode": "3456ef",
        "languages": ["nl"],
        "lives_alone": True,
    }
    return {**body, **overrides}


def test_the_list_is_paginated_and_scoped(cast: Cast, api_as):
    response = api_as("professional").get("/residents", page_size=1)
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    assert [item["id"] for item in body["items"]] == [cast.resident_north.pk]
    assert body["items"][0]["markers"] == ["aged_75_plus"]


def test_the_list_filters_on_marker_and_neighbourhood(cast: Cast, api_as):
    api = api_as("coordinator")
    assert api.get("/residents", neighbourhood=cast.south.pk).json()["count"] == 1
    assert api.get("/residents", marker="lives_alone").json()["count"] == 0
    assert api.get("/residents", marker="nonsense").status_code == 422


def test_a_page_size_of_200_is_served(cast: Cast, api_as):
    assert api_as("coordinator").get("/residents", page_size=200).status_code == 200


@pytest.mark.parametrize("path", ["/residents", "/worklists/concerns", "/audit", "/timesheets", "/activities"])
def test_a_page_size_above_200_answers_422_naming_it(cast: Cast, api_as, path):
    response = api_as("coordinator").get(path, page_size=201)
    assert response.status_code == 422
    assert [error["loc"] for error in response.json()["detail"]] == [["query", "page_size"]]


@pytest.mark.parametrize("role", OUTSIDERS)
def test_outsiders_get_404_for_a_resident(cast: Cast, api_as, role):
    assert api_as(role).get(f"/residents/{cast.resident_north.pk}").status_code == 404


@pytest.mark.parametrize("role", ["basisbaan", "volunteer", "resident", "privacy_officer", "funder"])
def test_roles_without_the_register_get_404_for_the_list(cast: Cast, api_as, role):
    assert api_as(role).get("/residents").status_code == 404


def test_reading_a_resident_is_audited(cast: Cast, api_as):
    api_as("professional").get(f"/residents/{cast.resident_north.pk}")
    assert AuditEvent.objects.filter(
        actor=cast.professional, action=AuditAction.VIEW, object_id=str(cast.resident_north.pk)
    ).exists()


def test_registering_a_resident(cast: Cast, api_as):
    response = api_as("professional").post("/residents", _new_resident(cast))
    assert response.status_code == 201
    body = response.json()
    assert body["address"]["postcode"] == "3456 EF"
    assert set(body["markers"]) == {"aged_75_plus", "lives_alone"}
    assert Resident.objects.filter(pk=body["id"]).exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"postcode": "ABC"}, "postcode"),
        ({"birth_year": 1800}, "birth_year"),
        ({"languages": ["klingon"]}, "languages"),
        ({"preferred_channel": "pigeon"}, "preferred_channel"),
        ({"first_name": ""}, "first_name"),
        ({"email": "nope"}, "email"),
    ],
)
def test_bad_register_data_answers_422_naming_the_field(cast: Cast, api_as, overrides, field):
    response = api_as("professional").post("/residents", _new_resident(cast, **overrides))
    assert response.status_code == 422
    assert ["body", field] in [error["loc"] for error in response.json()["detail"]]
    assert not Resident.objects.filter(first_name="Kees").exists()


def test_registering_outside_the_teams_neighbourhoods_names_the_field(cast: Cast, api_as):
    response = api_as("professional").post("/residents", _new_resident(cast, neighbourhood_id=cast.south.pk))
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "neighbourhood_id"]


def test_the_same_idempotency_key_registers_once(cast: Cast, api_as):
    api = api_as("professional")
    first = api.post("/residents", _new_resident(cast), key="abc-1")
    second = api.post("/residents", _new_resident(cast), key="abc-1")
    assert first.status_code == second.status_code == 201
    assert first.json() == second.json()
    assert Resident.objects.filter(first_name="Kees").count() == 1


def test_a_patch_changes_only_what_is_sent(cast: Cast, api_as):
    response = api_as("professional").patch(f"/residents/{cast.resident_north.pk}", {"phone": "0101234567"})
    assert response.status_code == 200
    assert response.json()["phone"] == "0101234567"
    assert response.json()["last_name"] == cast.resident_north.last_name
    event = AuditEvent.objects.get(action=AuditAction.UPDATE, object_id=str(cast.resident_north.pk))
    assert event.fields == ["phone"]


def test_a_patch_moves_the_address(cast: Cast, api_as):
    response = api_as("professional").patch(
        f"/residents/{cast.resident_north.pk}", {"street": "Beukenlaan", "house_number": 4, "postcode": "1111AA"}
    )
    assert response.json()["address"]["street"] == "Beukenlaan"


def test_the_export_and_the_audit_log_show_the_reads(cast: Cast, api_as):
    api_as("professional").get(f"/residents/{cast.resident_north.pk}")
    export = api_as("coordinator").get(f"/residents/{cast.resident_north.pk}/export").json()
    assert export["resident"]["last_name"] == cast.resident_north.last_name
    assert any(read["who"] == cast.professional.display_name for read in export["access_log"])
    audit = api_as("privacy_officer").get("/audit", resident=cast.resident_north.pk).json()
    actions = {(item["actor_username"], item["action"]) for item in audit["items"]}
    assert {("pro", "view"), ("coord", "export")} <= actions


@pytest.mark.parametrize(("role", "status"), [("privacy_officer", 200), ("coordinator", 200), ("professional", 404)])
def test_the_audit_endpoint_is_for_the_privacy_officer_and_coordinators(cast: Cast, api_as, role, status):
    assert api_as(role).get("/audit").status_code == status


@pytest.mark.parametrize(
    ("role", "status"), [("coordinator", 200), ("professional", 404), ("outsider_coordinator", 404)]
)
def test_only_a_coordinator_of_the_organisation_may_erase(cast: Cast, api_as, role, status):
    response = api_as(role).post(f"/residents/{cast.resident_north.pk}/erase")
    assert response.status_code == status
    assert (Resident.objects.get(pk=cast.resident_north.pk).erased_at is not None) is (status == 200)
