# ruff: noqa: F811 - the neighbour help fixtures are imported by name and used as arguments
"""The coordinator's help board through the API: who waits longest, who is idle, the check-ins to do."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.conftest import Cast
from tests.help.conftest import ask, helper, neighbour  # noqa: F401 - fixtures
from veerkracht.core.models import AuditAction, AuditEvent
from veerkracht.help import services
from veerkracht.help.models import CheckIn
from veerkracht.people.selectors import RESIDENT

NOT_MATCHERS = ["basisbaan", "volunteer", "resident", "privacy_officer", "funder"]


def _listed(resident_id: int) -> int:
    return AuditEvent.objects.filter(action=AuditAction.LIST, object_type=RESIDENT, object_id=str(resident_id)).count()


def test_the_requests_waiting_longest_come_first_and_are_audited(cast: Cast, api_as, neighbour, ask):
    older, newer = ask(neighbour()), ask(neighbour(dx=50))
    services.help_request_cancel(by=cast.professional, request_id=ask(neighbour(dx=90)).pk)
    older.created_at = timezone.now() - timedelta(days=3)
    older.save(update_fields=["created_at"])
    response = api_as("professional").get("/help/waiting", neighbourhood_id=cast.north.pk)
    assert response.status_code == 200
    body = response.json()
    assert [item["id"] for item in body["items"]] == [older.pk, newer.pk]  # the cancelled one waits no more
    assert body["count"] == 2
    assert _listed(older.resident_id) == 1


def test_waiting_requests_are_those_in_the_callers_scope(cast: Cast, api_as, neighbour, ask):
    ask(neighbour())
    assert api_as("other_professional").get("/help/waiting").json()["count"] == 0  # works in the south
    assert api_as("outsider_coordinator").get("/help/waiting").json()["count"] == 0


def test_a_neighbourhood_the_caller_does_not_cover_answers_404(cast: Cast, api_as):
    assert api_as("other_professional").get("/help/waiting", neighbourhood_id=cast.north.pk).status_code == 404
    assert api_as("outsider_coordinator").get("/help/idle-helpers", neighbourhood_id=cast.north.pk).status_code == 404


@pytest.mark.parametrize("path", ["/help/waiting", "/help/idle-helpers", "/help/check-ins"])
@pytest.mark.parametrize("role", NOT_MATCHERS)
def test_a_role_that_does_not_match_help_gets_404(cast: Cast, api_as, path, role):
    assert api_as(role).get(path).status_code == 404


@pytest.mark.parametrize("path", ["/help/waiting", "/help/idle-helpers", "/help/check-ins"])
@pytest.mark.parametrize("query", [{"page_size": 201}, {"page": 0}, {"neighbourhood_id": "noord"}])
def test_bad_paging_or_filters_answer_422_naming_the_parameter(cast: Cast, api_as, path, query):
    if "neighbourhood_id" in query and path == "/help/check-ins":
        return  # the check-ins take no neighbourhood: an unknown parameter is ignored
    response = api_as("coordinator").get(path, **query)
    assert response.status_code == 422
    assert [error["loc"] for error in response.json()["detail"]] == [["query", next(iter(query))]]


def test_idle_helpers_are_those_without_a_task_lately(cast: Cast, api_as, neighbour, helper, ask):
    busy, idle = helper(), helper(dx=300)
    services.helper_propose(by=cast.professional, request_id=ask(neighbour()).pk, offer_id=busy.pk)
    response = api_as("coordinator").get("/help/idle-helpers", neighbourhood_id=cast.north.pk)
    assert response.status_code == 200
    items = response.json()["items"]
    assert [(item["offer_id"], item["helper_id"]) for item in items] == [(idle.pk, idle.helper_id)]
    assert items[0]["helper_name"] == idle.helper.display_name
    assert items[0]["kinds"] == ["groceries"]
    assert api_as("outsider_coordinator").get("/help/idle-helpers").json()["count"] == 0


@pytest.fixture
def check_in(cast: Cast, neighbour, ask) -> CheckIn:
    """The professional's check-in after the first time the request was helped."""
    return CheckIn.objects.create(request=ask(neighbour()), worker=cast.professional, occasion=1)


def test_a_worker_lists_their_check_ins_and_records_one(cast: Cast, api_as, check_in):
    api = api_as("professional")
    listed = api.get("/help/check-ins").json()
    assert [(item["id"], item["resident_id"], item["occasion"]) for item in listed["items"]] == [
        (check_in.pk, check_in.request.resident_id, 1)
    ]
    assert _listed(check_in.request.resident_id) == 1
    response = api.post(f"/help/check-ins/{check_in.pk}/done", {"note": "Gaat goed"})
    assert response.status_code == 200
    assert response.json()["note"] == "Gaat goed"
    assert response.json()["done_at"] is not None
    assert api.get("/help/check-ins").json()["count"] == 0


def test_a_check_in_recorded_twice_keeps_the_first_answer(cast: Cast, api_as, check_in):
    api = api_as("professional")
    first = api.post(f"/help/check-ins/{check_in.pk}/done", {"note": "Gaat goed"})
    second = api.post(f"/help/check-ins/{check_in.pk}/done", {"note": "Toch niet"})
    assert second.json() == first.json()


@pytest.mark.parametrize("role", ["coordinator", "other_professional", "outsider_coordinator", "volunteer"])
def test_someone_elses_check_in_answers_404(cast: Cast, api_as, check_in, role):
    response = api_as(role).post(f"/help/check-ins/{check_in.pk}/done", {"note": "Gaat goed"})
    assert response.status_code == 404
    check_in.refresh_from_db()
    assert check_in.done_at is None


@pytest.mark.parametrize("role", ["coordinator", "other_professional", "outsider_coordinator"])
def test_other_workers_do_not_list_the_check_in(cast: Cast, api_as, check_in, role):
    assert api_as(role).get("/help/check-ins").json() == {"items": [], "count": 0}


def test_a_note_too_long_answers_422_naming_it(cast: Cast, api_as, check_in):
    response = api_as("professional").post(f"/help/check-ins/{check_in.pk}/done", {"note": "x" * 301})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "note"]
    check_in.refresh_from_db()
    assert check_in.done_at is None
