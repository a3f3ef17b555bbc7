"""Contacts, concerns and worklists through the API."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.conftest import Cast
from veerkracht.contacts.models import Concern, Contact
from veerkracht.core.models import AuditAction, AuditEvent


def _contact(cast: Cast, **overrides):
    body = {
        "resident_ids": [cast.resident_north.pk],
        "channel": "video_call",
        "duration_minutes": 20,
        "started_at": (timezone.now() - timedelta(hours=1)).isoformat(),
    }
    return {**body, **overrides}


def test_logging_a_contact(cast: Cast, api_as):
    response = api_as("professional").post("/contacts", _contact(cast, topics=["loneliness"], note="Goed gesprek"))
    assert response.status_code == 201
    body = response.json()
    assert (body["channel"], body["reached"], body["resident_ids"]) == ("video_call", True, [cast.resident_north.pk])


def test_a_time_without_offset_is_dutch_time(cast: Cast, api_as):
    local = timezone.localtime() - timedelta(hours=2)
    response = api_as("professional").post("/contacts", _contact(cast, started_at=local.strftime("%Y-%m-%dT%H:%M:%S")))
    assert response.status_code == 201
    assert Contact.objects.get().started_at == local.replace(microsecond=0)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"started_at": (timezone.now() + timedelta(days=1)).isoformat()}, "started_at"),
        ({"duration_minutes": 1441}, "duration_minutes"),
        ({"duration_minutes": -1}, "duration_minutes"),
        ({"channel": "telepathy"}, "channel"),
        ({"initiative": "neighbour"}, "initiative"),
        ({"resident_ids": []}, "resident_ids"),
        ({"started_at": "yesterday"}, "started_at"),
    ],
)
def test_a_bad_contact_answers_422_naming_the_field(cast: Cast, api_as, overrides, field):
    response = api_as("professional").post("/contacts", _contact(cast, **overrides))
    assert response.status_code == 422
    assert ["body", field] in [error["loc"] for error in response.json()["detail"]]
    assert not Contact.objects.exists()


def test_a_resident_outside_scope_answers_422_on_resident_ids(cast: Cast, api_as):
    response = api_as("professional").post("/contacts", _contact(cast, resident_ids=[cast.resident_south.pk]))
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "resident_ids"]


def test_a_double_tap_with_the_same_key_writes_once(cast: Cast, api_as):
    api = api_as("professional")
    tap = _contact(cast)  # a double tap sends the same body twice
    first = api.post("/contacts", tap, key="tap")
    second = api.post("/contacts", tap, key="tap")
    assert first.json() == second.json()
    assert Contact.objects.count() == 1


def test_the_same_key_for_another_request_is_refused(cast: Cast, api_as):
    api = api_as("professional")
    api.post("/contacts", _contact(cast), key="reuse")
    response = api.post(
        "/concerns",
        {"resident_id": cast.resident_north.pk, "category": "money", "severity": 1},
        key="reuse",
    )
    assert response.status_code == 422
    assert not Concern.objects.exists()


def test_a_residents_contacts_are_listed_newest_first_and_the_read_audited(cast: Cast, api_as):
    api = api_as("professional")
    older = api.post("/contacts", _contact(cast, started_at=(timezone.now() - timedelta(days=2)).isoformat())).json()
    newer = api.post("/contacts", _contact(cast)).json()
    views = AuditEvent.objects.filter(
        actor=cast.professional, action=AuditAction.VIEW, object_id=str(cast.resident_north.pk)
    )
    before = views.count()
    body = api.get(f"/residents/{cast.resident_north.pk}/contacts").json()
    assert [item["id"] for item in body["items"]] == [newer["id"], older["id"]]
    assert body["count"] == 2
    assert views.count() == before + 1


@pytest.mark.parametrize("role", ["other_professional", "volunteer", "outsider_coordinator", "outsider_professional"])
def test_a_residents_contacts_outside_scope_answer_404(cast: Cast, api_as, role):
    api_as("professional").post("/contacts", _contact(cast))
    assert api_as(role).get(f"/residents/{cast.resident_north.pk}/contacts").status_code == 404


def test_a_workers_contacts_are_listed_newest_first_and_the_residents_audited(cast: Cast, api_as):
    api = api_as("professional")
    older = api.post("/contacts", _contact(cast, started_at=(timezone.now() - timedelta(days=2)).isoformat())).json()
    newer = api.post("/contacts", _contact(cast)).json()
    api_as("coordinator").post("/contacts", _contact(cast))  # someone else's
    listed_before = AuditEvent.objects.filter(action=AuditAction.LIST, object_id=str(cast.resident_north.pk)).count()
    response = api_as("coordinator").get(f"/workers/{cast.professional.pk}/contacts", page_size=1)
    assert response.status_code == 200
    body = response.json()
    assert (body["count"], [item["id"] for item in body["items"]]) == (2, [newer["id"]])
    second_page = api.get(f"/workers/{cast.professional.pk}/contacts", page=2, page_size=1).json()
    assert [item["id"] for item in second_page["items"]] == [older["id"]]
    listed = AuditEvent.objects.filter(action=AuditAction.LIST, object_id=str(cast.resident_north.pk)).count()
    assert listed == listed_before + 2


def test_another_workers_contacts_show_only_residents_in_the_callers_scope(cast: Cast, api_as):
    api_as("coordinator").post("/contacts", _contact(cast))  # about the north resident
    south = api_as("coordinator").post("/contacts", _contact(cast, resident_ids=[cast.resident_south.pk])).json()
    body = api_as("other_professional").get(f"/workers/{cast.coordinator.pk}/contacts").json()
    assert [item["id"] for item in body["items"]] == [south["id"]]


@pytest.mark.parametrize("role", ["outsider_coordinator", "basisbaan", "volunteer", "resident", "funder"])
def test_a_workers_contacts_answer_404_outside_the_organisation_or_the_register(cast: Cast, api_as, role):
    api_as("professional").post("/contacts", _contact(cast))
    assert api_as(role).get(f"/workers/{cast.professional.pk}/contacts").status_code == 404


def test_a_worker_of_another_organisation_answers_404(cast: Cast, api_as):
    assert api_as("coordinator").get(f"/workers/{cast.outsider_professional.pk}/contacts").status_code == 404


@pytest.mark.parametrize("query", [{"page_size": 201}, {"page": 0}])
def test_bad_paging_of_a_workers_contacts_answers_422(cast: Cast, api_as, query):
    response = api_as("professional").get(f"/workers/{cast.professional.pk}/contacts", **query)
    assert response.status_code == 422
    assert [error["loc"] for error in response.json()["detail"]] == [["query", next(iter(query))]]


def test_the_timeline_lists_contacts_and_concerns_newest_first(cast: Cast, api_as):
    api = api_as("professional")
    api.post("/contacts", _contact(cast, started_at=(timezone.now() - timedelta(days=3)).isoformat()))
    api.post("/concerns", {"resident_id": cast.resident_north.pk, "category": "health", "severity": 2})
    timeline = api.get(f"/residents/{cast.resident_north.pk}/timeline").json()
    assert [entry["kind"] for entry in timeline] == ["concern", "contact"]


def test_the_timeline_pages_back_through_older_entries(cast: Cast, api_as):
    api = api_as("professional")
    for days_ago in range(5):
        api.post("/contacts", _contact(cast, started_at=(timezone.now() - timedelta(days=days_ago + 1)).isoformat()))
    url = f"/residents/{cast.resident_north.pk}/timeline"
    pages = [api.get(url, page=number, page_size=2).json() for number in (1, 2, 3, 4)]
    assert [len(page) for page in pages] == [2, 2, 1, 0]
    moments = [entry["at"] for page in pages for entry in page]
    assert moments == sorted(moments, reverse=True)
    assert len(set(moments)) == 5
    assert len(api.get(url).json()) == 5  # one page of 50 by default


@pytest.mark.parametrize(("field", "value"), [("page", 0), ("page", 101), ("page_size", 0), ("page_size", 101)])
def test_a_timeline_page_out_of_range_is_refused_on_its_field(cast: Cast, api_as, field, value):
    response = api_as("professional").get(f"/residents/{cast.resident_north.pk}/timeline", **{field: value})
    assert response.status_code == 422
    assert field in response.json()["detail"][0]["loc"]


def test_concerns_move_through_their_statuses_and_show_on_worklists(cast: Cast, api_as):
    api = api_as("professional")
    due = (timezone.localdate() - timedelta(days=1)).isoformat()
    created = api.post(
        "/concerns", {"resident_id": cast.resident_north.pk, "category": "housing", "severity": 3, "due_on": due}
    ).json()
    assert created["overdue"] is True
    worklist = api.get("/worklists/concerns").json()
    assert [item["id"] for item in worklist["items"]] == [created["id"]]
    assert api_as("coordinator").get("/worklists/concerns", scope="team").json()["count"] == 1
    closed = api.patch(f"/concerns/{created['id']}", {"status": "closed", "note": "Verhuisd"}).json()
    assert closed["status"] == "closed"
    assert closed["closed_at"] is not None
    assert api.get("/worklists/concerns").json()["count"] == 0


def test_a_concern_of_another_team_answers_404(cast: Cast, api_as):
    created = (
        api_as("professional")
        .post("/concerns", {"resident_id": cast.resident_north.pk, "category": "food", "severity": 1})
        .json()
    )
    assert api_as("other_professional").patch(f"/concerns/{created['id']}", {"status": "closed"}).status_code == 404
    assert api_as("volunteer").patch(f"/concerns/{created['id']}", {"status": "closed"}).status_code == 404


def test_a_bad_concern_answers_422(cast: Cast, api_as):
    response = api_as("professional").post(
        "/concerns", {"resident_id": cast.resident_north.pk, "category": "food", "severity": 5}
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "severity"]


def test_the_out_of_sight_worklist_by_neighbourhood_code(cast: Cast, api_as):
    api = api_as("professional")
    body = api.get("/worklists/out-of-sight", neighbourhood=cast.north.code, days=30).json()
    assert [item["id"] for item in body["items"]] == [cast.resident_north.pk]
    assert body["items"][0]["days_since_contact"] is None
    api.post("/contacts", _contact(cast))
    assert api.get("/worklists/out-of-sight", neighbourhood=cast.north.code).json()["count"] == 0
    assert api.get("/worklists/out-of-sight", neighbourhood=cast.south.code).status_code == 404
    assert api.get("/worklists/out-of-sight", days=0).status_code == 422
