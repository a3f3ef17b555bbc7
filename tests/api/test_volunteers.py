"""A volunteer's sign-up through the API: the coordinator's list, the intake, activation or decline."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from tests.conftest import Cast
from veerkracht.core.roles import Role
from veerkracht.team.models import ApplicationStatus, VolunteerApplication
from veerkracht.team.services import SignUp, volunteer_sign_up

NOT_COORDINATORS = ["professional", "basisbaan", "volunteer", "resident", "privacy_officer", "funder"]


def _days_ago(days: int) -> str:
    return (timezone.localdate() - timedelta(days=days)).isoformat()


COMPLETE = {
    "conversation_on": _days_ago(10),
    "reference_name": "Piet Jansen, 0611111111",
    "reference_checked_on": _days_ago(9),
    "vog_requested_on": _days_ago(9),
    "vog_received_on": _days_ago(2),
}


@pytest.fixture
def application(cast: Cast) -> VolunteerApplication:
    sign_up = SignUp(
        first_name="Ans",
        last_name="Bos",
        email="ans@example.org",
        neighbourhood_id=cast.north.pk,
        interests=["groceries"],
        consent=True,
    )
    return volunteer_sign_up(organisation=cast.organisation, sign_up=sign_up)


def _path(application: VolunteerApplication, action: str = "") -> str:
    return f"/volunteers/applications/{application.pk}" + (f"/{action}" if action else "")


def test_a_coordinator_lists_and_reads_the_sign_ups(cast: Cast, api_as, application):
    api = api_as("coordinator")
    listed = api.get("/volunteers/applications", status="new").json()
    assert [(item["id"], item["status"]) for item in listed["items"]] == [(application.pk, "new")]
    assert api.get("/volunteers/applications", status="active").json()["count"] == 0
    read = api.get(_path(application)).json()
    assert (read["email"], read["interests"], read["intake_complete"]) == ("ans@example.org", ["groceries"], False)


def test_the_intake_moves_a_sign_up_into_intake_and_replaces_the_checklist(cast: Cast, api_as, application):
    api = api_as("coordinator")
    response = api.put(_path(application, "intake"), COMPLETE)
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["intake_complete"]) == ("intake", True)
    again = api.put(_path(application, "intake"), {"conversation_on": _days_ago(10)}).json()
    assert (again["reference_name"], again["vog_received_on"], again["intake_complete"]) == ("", None, False)


def test_activation_after_the_intake_makes_an_account_in_a_team(cast: Cast, api_as, application):
    api = api_as("coordinator")
    api.put(_path(application, "intake"), COMPLETE)
    response = api.post(_path(application, "activate"), {"team_id": cast.team_north.pk}, key="activeer")
    replay = api.post(_path(application, "activate"), {"team_id": cast.team_north.pk}, key="activeer")
    assert response.status_code == 200
    assert replay.json() == response.json()
    body = response.json()
    assert (body["application"]["status"], body["emailed"], body["password_link"]) == ("active", True, None)
    volunteer = cast.team_north.members.get(pk=body["user_id"])
    assert (volunteer.role, volunteer.first_name) == (Role.VOLUNTEER, "Ans")
    assert len(mail.outbox) == 1  # once, though sent twice


def test_activation_without_an_address_hands_the_link_to_the_coordinator(cast: Cast, api_as, application):
    VolunteerApplication.objects.filter(pk=application.pk).update(email="", phone="0612345678")
    api = api_as("coordinator")
    api.put(_path(application, "intake"), COMPLETE)
    body = api.post(_path(application, "activate"), {}).json()
    assert body["emailed"] is False
    assert "/wachtwoord-kiezen/" in body["password_link"]


def test_activation_before_the_intake_is_complete_answers_422(cast: Cast, api_as, application):
    response = api_as("coordinator").post(_path(application, "activate"), {})
    assert response.status_code == 422
    assert "intake" in response.json()["detail"][0]["msg"]
    application.refresh_from_db()
    assert (application.status, application.user_id) == (ApplicationStatus.NEW, None)


def test_a_team_of_another_organisation_is_refused_on_team_id(cast: Cast, api_as, application):
    api = api_as("coordinator")
    api.put(_path(application, "intake"), COMPLETE)
    elsewhere = cast.outsider_professional.teams.get()
    response = api.post(_path(application, "activate"), {"team_id": elsewhere.pk})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "team_id"]


def test_declining_ends_the_sign_up_with_the_note(cast: Cast, api_as, application):
    response = api_as("coordinator").post(_path(application, "decline"), {"note": "Verhuisd"})
    assert response.status_code == 200
    assert response.json()["status"] == "declined"
    assert "Verhuisd" in response.json()["intake_note"]


def test_another_organisations_coordinator_gets_404_everywhere(cast: Cast, api_as, application):
    api = api_as("outsider_coordinator")
    assert api.get("/volunteers/applications").json()["count"] == 0
    assert api.get(_path(application)).status_code == 404
    assert api.put(_path(application, "intake"), COMPLETE).status_code == 404
    assert api.post(_path(application, "activate"), {}).status_code == 404
    assert api.post(_path(application, "decline"), {}).status_code == 404
    application.refresh_from_db()
    assert (application.status, application.conversation_on) == (ApplicationStatus.NEW, None)


@pytest.mark.parametrize("role", NOT_COORDINATORS)
def test_a_role_that_does_not_manage_teams_gets_404(cast: Cast, api_as, application, role):
    api = api_as(role)
    assert api.get("/volunteers/applications").status_code == 404
    assert api.get(_path(application)).status_code == 404
    assert api.put(_path(application, "intake"), COMPLETE).status_code == 404
    assert api.post(_path(application, "decline"), {}).status_code == 404
    application.refresh_from_db()
    assert application.status == ApplicationStatus.NEW


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"conversation_on": (timezone.localdate() + timedelta(days=1)).isoformat()}, "conversation_on"),
        ({"conversation_on": "gisteren"}, "conversation_on"),
        ({"vog_received_on": _days_ago(1)}, "vog_requested_on"),  # received, never requested
        ({"vog_requested_on": _days_ago(1), "vog_received_on": _days_ago(5)}, "vog_received_on"),
        ({"reference_name": "x" * 201}, "reference_name"),
    ],
)
def test_a_bad_intake_answers_422_naming_the_field(cast: Cast, api_as, application, body, field):
    response = api_as("coordinator").put(_path(application, "intake"), body)
    assert response.status_code == 422
    assert ["body", field] in [error["loc"] for error in response.json()["detail"]]
    application.refresh_from_db()
    assert application.status == ApplicationStatus.NEW


def test_an_unknown_status_filter_answers_422(cast: Cast, api_as):
    response = api_as("coordinator").get("/volunteers/applications", status="hired")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "status"]
