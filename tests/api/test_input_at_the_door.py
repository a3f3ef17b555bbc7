"""Input held at the door (issue 20, "answers that crash"): 422 naming the field, never a 500."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from tests.activities.conftest import park, soon  # noqa: F401 - fixture
from tests.conftest import Cast
from veerkracht.activities.models import Activity
from veerkracht.contacts.models import Contact
from veerkracht.people.models import Resident


def _locs(response) -> list[list]:
    return [error["loc"] for error in response.json()["detail"]]


@pytest.mark.parametrize("field", ["languages", "first_name", "lives_alone", "preferred_channel"])
def test_null_for_a_field_that_cannot_be_empty_answers_422_naming_it(cast: Cast, api_as, field):
    response = api_as("professional").patch(f"/residents/{cast.resident_north.pk}", {field: None})
    assert response.status_code == 422
    assert ["body", field] in _locs(response)


def test_null_empties_a_field_that_may_be_empty(cast: Cast, api_as):
    api = api_as("professional")
    assert api.patch(f"/residents/{cast.resident_north.pk}", {"consent_given_on": None}).status_code == 200
    assert Resident.objects.get(pk=cast.resident_north.pk).consent_given_on is None


def test_an_activity_in_the_year_9999_answers_422_naming_the_field(cast: Cast, api_as, park):  # noqa: F811
    body = {
        "title": "Plantsoenbingo",
        "kind": "plantsoenbingo",
        "place_id": park.pk,
        "starts_at": "9999-12-31T10:00:00+01:00",
        "ends_at": "9999-12-31T12:00:00+01:00",
        "max_participants": 2,
    }
    response = api_as("professional").post("/activities", body)
    assert response.status_code == 422
    assert {("body", "starts_at"), ("body", "ends_at")} <= {tuple(loc) for loc in _locs(response)}
    assert not Activity.objects.exists()


def test_an_activity_in_the_year_9999_is_a_dutch_field_error_in_the_form(cast: Cast, client, park):  # noqa: F811
    client.force_login(cast.professional)
    form = {
        "title": "Bingo",
        "kind": "plantsoenbingo",
        "place": park.pk,
        "starts_at": "9999-12-31T14:00",
        "ends_at": "9999-12-31T16:00",
        "max_participants": "10",
        "registration_required": "on",
    }
    response = client.post("/activiteiten/nieuw/", form)
    assert response.status_code == 200
    assert "hoogstens 5 jaar vooruit" in " ".join(response.context["form"].errors["starts_at"])
    assert not Activity.objects.exists()


def test_a_contact_decades_ago_or_a_consent_ahead_answers_422(cast: Cast, api_as):
    api = api_as("professional")
    body = {"resident_ids": [cast.resident_north.pk], "channel": "phone", "duration_minutes": 5}
    response = api.post("/contacts", {**body, "started_at": "1901-01-01T10:00:00+01:00"})
    assert ["body", "started_at"] in _locs(response)
    assert not Contact.objects.exists()
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = api.patch(f"/residents/{cast.resident_north.pk}", {"consent_given_on": tomorrow})
    assert response.status_code == 422
    assert ["body", "consent_given_on"] in _locs(response)


def test_a_consent_given_in_the_future_is_a_dutch_field_error(cast: Cast, client):
    client.force_login(cast.professional)
    resident = cast.resident_north
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    page = client.get(f"/bewoners/{resident.pk}/wijzigen/")
    form = {name: value for name, value in page.context["form"].initial.items() if value not in (None, "")}
    form |= {"consent_given_on": tomorrow, "neighbourhood": cast.north.pk}
    response = client.post(f"/bewoners/{resident.pk}/wijzigen/", form)
    assert "Deze datum ligt in de toekomst." in response.context["form"].errors["consent_given_on"]


@pytest.mark.parametrize("quarter", ["9999-Q4", "0000-Q1", "1000-Q2"])
def test_a_quarter_out_of_reach_is_a_dutch_message_not_a_500(cast: Cast, quarter):
    client = Client(raise_request_exception=False)
    client.force_login(cast.coordinator)
    response = client.get(f"/inzicht/kwartaalrapportage.pdf?quarter={quarter}", follow=True)
    assert response.status_code == 200
    assert "Kies een kwartaal tussen" in response.content.decode()


def test_a_nul_character_answers_422_naming_the_field(cast: Cast, api_as):
    api = api_as("professional")
    response = api.patch(f"/residents/{cast.resident_north.pk}", {"key_figure": "a\x00b"})
    assert response.status_code == 422
    assert _locs(response) == [["body", "key_figure"]]
    assert api.get("/residents", q="\x00").status_code == 422


def test_a_nul_character_in_a_form_is_a_dutch_field_error(cast: Cast, client):
    client.force_login(cast.professional)
    url = f"/bewoners/{cast.resident_north.pk}/contact/"
    response = client.post(url, {"channel": "phone", "duration_minutes": "5", "note": "a\x00b"}, HTTP_HX_REQUEST="true")
    assert "Null-tekens zijn niet toegestaan." in " ".join(response.context["contact_form"].errors["note"])
    assert not Contact.objects.exists()


def test_a_date_in_its_window_is_accepted(cast: Cast, api_as, park):  # noqa: F811
    starts = soon(days=365 * 4)
    body = {
        "title": "Over vier jaar",
        "kind": "plantsoenbingo",
        "place_id": park.pk,
        "starts_at": starts.isoformat(),
        "ends_at": (starts + timedelta(hours=2)).isoformat(),
        "max_participants": 2,
    }
    assert api_as("professional").post("/activities", body).status_code == 201


@pytest.mark.parametrize("month", ["2026-13", "9999-12", "0000-01"])
def test_a_month_that_is_none_or_out_of_reach_answers_422_naming_it(cast: Cast, api_as, month):
    response = api_as("coordinator").get("/timesheets", month=month)
    assert response.status_code == 422
    assert ["query", "month"] in _locs(response)
