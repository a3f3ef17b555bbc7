"""The activity pages: the public registration flow and the organiser's pages."""

from datetime import timedelta

from django.db import connection
from django.utils import timezone

from tests.conftest import Cast
from veerkracht.activities.models import Registration


def _in_two_months() -> str:
    return (timezone.localdate() + timedelta(days=60)).isoformat()


def test_the_public_flow_register_see_status_cancel(client, park, plan_at):
    activity = plan_at(park, max_participants=1)
    response = client.post(
        f"/activiteiten/{activity.pk}/", {"name": "Ans", "phone": "06 1111 1111", "consent": "on", "mode": "onsite"}
    )
    registration = Registration.objects.get()
    assert response["Location"] == f"/aanmelding/{registration.cancel_token}/"
    assert "U heeft een plaats." in client.get(response["Location"]).content.decode()
    client.post(response["Location"])
    registration.refresh_from_db()
    assert registration.status == "cancelled"


def test_the_programme_shows_each_activity_with_a_bounded_number_of_queries(
    client, park, plan_at, django_assert_max_num_queries
):
    from datetime import timedelta

    from tests.activities.conftest import soon

    for day in range(6):
        plan_at(
            park, title=f"Bingo {day}", starts_at=soon(days=2 + day), ends_at=soon(days=2 + day) + timedelta(hours=1)
        )
    plan_at(None, title="Webinar", kind="webinar", max_participants=None, online_link="https://meet.example/x")
    # The activities and their count, the languages the organisations offer; on PostgreSQL also
    # the organisation setting cleared and put back.
    bound = 5 if connection.vendor == "postgresql" else 3
    with django_assert_max_num_queries(bound):
        html = client.get("/activiteiten/").content.decode()
    assert all(f"Bingo {day}" in html for day in range(6))
    assert html.count("Noorderpark") == 6
    assert "Webinar" in html


def test_a_public_registration_without_consent_shows_a_dutch_error(client, park, plan_at):
    activity = plan_at(park)
    response = client.post(f"/activiteiten/{activity.pk}/", {"name": "Ans", "phone": "0611111111", "mode": "onsite"})
    assert response.status_code == 200
    assert "Dit veld is verplicht." in response.content.decode()
    assert not Registration.objects.exists()


def test_a_resident_registers_with_one_button(cast: Cast, client, park, plan_at):
    activity = plan_at(park)
    cast.resident_north.user = cast.resident
    cast.resident_north.save()
    client.force_login(cast.resident)
    page = client.get(f"/activiteiten/{activity.pk}/").content.decode()
    assert f"Aanmelden als {cast.resident_north.first_name}" in page
    client.post(f"/activiteiten/{activity.pk}/", {"self": "1"})
    assert Registration.objects.get().resident == cast.resident_north


def test_the_organiser_plans_ticks_and_the_helper_sees_first_names_only(cast: Cast, client, park):
    client.force_login(cast.professional)
    response = client.post(
        "/activiteiten/nieuw/",
        {
            "title": "Plantsoenbingo",
            "kind": "plantsoenbingo",
            "place": park.pk,
            "starts_at": f"{_in_two_months()}T14:00",
            "ends_at": f"{_in_two_months()}T16:00",
            "max_participants": "40",
            "registration_required": "on",
            "helpers": [cast.volunteer.pk],
        },
    )
    activity = park.activities.get()
    assert response["Location"] == f"/activiteiten/{activity.pk}/beheer/"
    client.post(
        "/activiteiten/aanmelden-bewoner/",
        {"activity_id": activity.pk, "resident_id": cast.resident_north.pk, "mode": "onsite"},
    )
    registration = Registration.objects.get()
    client.force_login(cast.volunteer)
    page = client.get(f"/activiteiten/{activity.pk}/beheer/").content.decode()
    assert cast.resident_north.first_name in page
    assert cast.resident_north.last_name not in page
    client.post(f"/activiteiten/{activity.pk}/aanwezigheid/", {"came": [registration.pk], "walk_ins": "Kees\nMien"})
    assert activity.attendances.count() == 3


def test_a_plan_over_the_safe_capacity_is_a_field_error(cast: Cast, client, park):
    cast.organisation.distancing_rule = True
    cast.organisation.save()
    client.force_login(cast.professional)
    response = client.post(
        "/activiteiten/nieuw/",
        {
            "title": "Te groot",
            "kind": "plantsoenbingo",
            "place": park.pk,
            "starts_at": f"{_in_two_months()}T14:00",
            "ends_at": f"{_in_two_months()}T16:00",
            "max_participants": "41",
            "registration_required": "on",
        },
    )
    assert response.status_code == 200
    assert "ten hoogste 40" in " ".join(response.context["form"].errors["max_participants"])


def test_the_coordinator_sets_the_rule_of_the_day(cast: Cast, client):
    client.force_login(cast.coordinator)
    client.post(
        "/organisatie/afstandsregel/",
        {"distancing_rule": "on", "indoor_m2_per_person": "5", "outdoor_m2_per_person": "10"},
    )
    cast.organisation.refresh_from_db()
    assert cast.organisation.distancing_rule
    assert cast.organisation.outdoor_m2_per_person == 10
