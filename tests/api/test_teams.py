"""Teams and accounts through the API, to read: each sees their own teams, a coordinator the accounts."""

import pytest
from django.utils import timezone

from tests.conftest import Cast
from tests.factories import UserFactory
from veerkracht.team.services import unavailability_add


def test_a_professional_sees_their_own_team(cast: Cast, api_as):
    body = api_as("professional").get("/teams").json()
    assert [(team["id"], team["member_count"]) for team in body["items"]] == [(cast.team_north.pk, 1)]
    assert body["items"][0]["neighbourhoods"] == [{"id": cast.north.pk, "code": cast.north.code, "name": "Noorderhof"}]


def test_a_coordinator_sees_every_team_of_the_organisation(cast: Cast, api_as):
    body = api_as("coordinator").get("/teams", page_size=1)
    assert body.status_code == 200
    assert body.json()["count"] == 2
    assert len(body.json()["items"]) == 1


def test_a_team_shows_its_members_load_and_who_is_away(cast: Cast, api_as):
    today = timezone.localdate()
    unavailability_add(by=cast.professional, user_id=cast.professional.pk, starts_on=today, ends_on=today)
    blocked = UserFactory.create(professional=True, organisation=cast.organisation, is_active=False)
    cast.team_north.members.add(blocked)
    member = api_as("professional").get(f"/teams/{cast.team_north.pk}").json()["members"]
    assert [(row["id"], row["away_until"], row["open_help_tasks"]) for row in member] == [
        (cast.professional.pk, today.isoformat(), 0)
    ]
    coordinator_sees = api_as("coordinator").get(f"/teams/{cast.team_north.pk}").json()["members"]
    assert {row["id"]: row["is_active"] for row in coordinator_sees} == {cast.professional.pk: True, blocked.pk: False}


@pytest.mark.parametrize("role", ["other_professional", "outsider_coordinator"])
def test_a_team_one_does_not_see_answers_404(cast: Cast, api_as, role):
    assert api_as(role).get(f"/teams/{cast.team_north.pk}").status_code == 404


@pytest.mark.parametrize("role", ["basisbaan", "volunteer", "resident", "privacy_officer", "funder"])
def test_a_role_without_the_organisation_view_gets_404(cast: Cast, api_as, role):
    assert api_as(role).get("/teams").status_code == 404
    assert api_as(role).get(f"/teams/{cast.team_north.pk}").status_code == 404
    assert api_as(role).get("/users").status_code == 404
    assert api_as(role).get(f"/users/{cast.professional.pk}").status_code == 404


def test_a_coordinator_lists_the_accounts_they_manage(cast: Cast, api_as):
    body = api_as("coordinator").get("/users", page_size=200).json()
    listed = {item["username"]: item for item in body["items"]}
    assert set(listed) == {"pro", "pro_south", "bb", "vol"}  # workers; not themselves, residents, other roles
    assert listed["pro"]["team_ids"] == [cast.team_north.pk]
    assert listed["pro"]["role"] == "professional"
    other = api_as("outsider_coordinator").get("/users").json()
    assert {item["username"] for item in other["items"]} == {"pro_elsewhere"}


def test_a_professional_may_not_list_accounts(cast: Cast, api_as):
    assert api_as("professional").get("/users").status_code == 404


@pytest.mark.parametrize("path", ["/teams", "/users"])
@pytest.mark.parametrize("query", [{"page_size": 201}, {"page": "een"}])
def test_bad_paging_answers_422_naming_the_parameter(cast: Cast, api_as, path, query):
    response = api_as("coordinator").get(path, **query)
    assert response.status_code == 422
    assert [error["loc"] for error in response.json()["detail"]] == [["query", next(iter(query))]]


def test_a_team_id_that_is_not_a_number_answers_422(cast: Cast, api_as):
    response = api_as("coordinator").get("/teams/noord")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["path", "team_id"]


def test_a_coordinator_reads_one_account_they_manage_as_the_list_shows_it(cast: Cast, api_as):
    coordinator = api_as("coordinator")
    listed = {item["id"]: item for item in coordinator.get("/users", page_size=200).json()["items"]}
    response = coordinator.get(f"/users/{cast.professional.pk}")
    assert response.status_code == 200
    assert response.json() == listed[cast.professional.pk]
    assert response.json()["team_ids"] == [cast.team_north.pk]


@pytest.mark.parametrize(
    ("role", "account"),
    [
        ("outsider_coordinator", "professional"),  # another organisation's account
        ("coordinator", "coordinator"),  # their own: not an account they manage
        ("coordinator", "resident"),  # a resident's account: not a worker's
        ("professional", "volunteer"),  # a professional manages no accounts
    ],
)
def test_an_account_outside_what_the_caller_manages_answers_404(cast: Cast, api_as, role, account):
    response = api_as(role).get(f"/users/{getattr(cast, account).pk}")
    assert (response.status_code, response.json()) == (404, {"detail": "Not found"})


def test_reading_an_account_documents_every_answer(client, db):
    operation = client.get("/api/v1/openapi.json").json()["paths"]["/api/v1/users/{user_id}"]["get"]
    assert {"200", "401", "403", "404", "422", "429"} <= {str(status) for status in operation["responses"]}
    assert client.get("/api/v1/users/1").status_code == 401
