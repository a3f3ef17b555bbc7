"""A volunteer signs up on the public page, the coordinator holds the intake and activates them."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.utils import timezone

from tests.conftest import Cast
from veerkracht.core.exceptions import NotFound
from veerkracht.core.models import Notification, User
from veerkracht.help.models import HelpOffer
from veerkracht.team.models import VolunteerApplication
from veerkracht.team.services import Intake, SignUp, application_intake_save, volunteer_activate, volunteer_sign_up

BASE = "https://veerkracht.example.nl/"


@pytest.fixture
def application(cast: Cast) -> VolunteerApplication:
    return volunteer_sign_up(
        organisation=cast.organisation,
        sign_up=SignUp(
            first_name="Joke",
            last_name="de Vries",
            email="joke@example.org",
            phone="06 12 34 56 78",
            neighbourhood_id=cast.north.pk,
            interests=["groceries", "activities"],
            languages=["nl", "tr"],
            consent=True,
        ),
    )


def _complete_intake(cast: Cast, application: VolunteerApplication) -> None:
    today = timezone.localdate()
    intake = Intake(
        conversation_on=today - timedelta(days=20),
        reference_name="Mevrouw Bakker, 06 11111111",
        reference_checked_on=today - timedelta(days=18),
        vog_requested_on=today - timedelta(days=18),
        vog_received_on=today - timedelta(days=2),
    )
    application_intake_save(by=cast.coordinator, application_id=application.pk, intake=intake)


def test_the_public_page_takes_a_sign_up_and_tells_the_coordinators(cast: Cast, client):
    page = client.get(f"/vrijwilliger-worden/{cast.organisation.slug}/")
    assert "Vrijwilliger worden" in page.content.decode()
    response = client.post(
        f"/vrijwilliger-worden/{cast.organisation.slug}/",
        {"first_name": "Ahmet", "last_name": "Kaya", "phone": "0687654321", "interests": ["walk"], "consent": "on"},
    )
    assert response.status_code == 200
    assert "Bedankt, Ahmet" in response.content.decode()
    application = VolunteerApplication.objects.get()
    assert (application.status, application.interests) == ("new", ["walk"])
    assert Notification.objects.get(user=cast.coordinator).link == f"/vrijwilligers/{application.pk}/"


def test_a_sign_up_needs_consent_and_a_way_to_reach_them(cast: Cast):
    with pytest.raises(ValidationError) as no_consent:
        volunteer_sign_up(organisation=cast.organisation, sign_up=SignUp(first_name="A", last_name="B", email="a@b.nl"))
    assert "consent" in no_consent.value.message_dict
    with pytest.raises(ValidationError) as unreachable:
        volunteer_sign_up(organisation=cast.organisation, sign_up=SignUp(first_name="A", last_name="B", consent=True))
    assert "email" in unreachable.value.message_dict


def test_the_api_sign_up_is_public_and_throttled(cast: Cast, client):
    body = {"organisation": cast.organisation.slug, "first_name": "Ans", "last_name": "Bos", "email": "ans@example.org"}
    with override_settings(PUBLIC_REGISTRATIONS_PER_HOUR=2):
        answers = [
            client.post("/api/v1/volunteers/signup", {**body, "consent": True}, content_type="application/json")
            for _ in range(3)
        ]
    assert [answer.status_code for answer in answers] == [201, 201, 429]
    assert answers[0].json()["status"] == "new"
    refused = client.post("/api/v1/volunteers/signup", body, content_type="application/json")
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["loc"] == ["body", "consent"]


def test_activation_waits_for_the_whole_intake(cast: Cast, application):
    with pytest.raises(ValidationError):
        volunteer_activate(by=cast.coordinator, application_id=application.pk, base_url=BASE)
    assert not User.objects.filter(first_name="Joke").exists()


def test_a_vog_cannot_arrive_before_it_was_requested(cast: Cast, application):
    today = timezone.localdate()
    with pytest.raises(ValidationError) as refused:
        application_intake_save(
            by=cast.coordinator,
            application_id=application.pk,
            intake=Intake(vog_requested_on=today, vog_received_on=today - timedelta(days=1)),
        )
    assert "vog_received_on" in refused.value.message_dict


def test_activation_makes_a_volunteer_account_in_a_team_with_an_offer_and_a_password_link(
    cast: Cast, application, client
):
    _complete_intake(cast, application)
    activation = volunteer_activate(
        by=cast.coordinator, application_id=application.pk, base_url=BASE, team_id=cast.team_north.pk
    )
    user = activation.user
    assert (user.role, user.username, user.is_active, user.has_usable_password()) == (
        "volunteer", "joke.de-vries", True, False
    )  # fmt: skip
    assert user in cast.team_north.members.all()
    assert HelpOffer.objects.get(helper=user).kinds == ["groceries"]
    (welcome,) = mail.outbox
    assert activation.link in welcome.body
    application.refresh_from_db()
    assert (application.status, application.user) == ("active", user)
    # The link sets a password once.
    path = re.sub(r"^https://[^/]+", "", activation.link)
    form = client.get(path, follow=True)
    assert form.status_code == 200
    new = {"new_password1": "een-lang-wachtwoord-42", "new_password2": "een-lang-wachtwoord-42"}
    assert client.post(form.redirect_chain[-1][0], new).status_code == 302
    user.refresh_from_db()
    assert user.check_password("een-lang-wachtwoord-42")
    assert "werkt niet meer" in client.get(path, follow=True).content.decode()


def test_the_coordinator_works_the_checklist_on_the_page(cast: Cast, application, client):
    client.force_login(cast.coordinator)
    page = client.get(f"/vrijwilligers/{application.pk}/")
    assert "Intakegesprek gehouden op" in page.content.decode()
    today = timezone.localdate().isoformat()
    fields = dict.fromkeys(("conversation_on", "reference_checked_on", "vog_requested_on", "vog_received_on"), today)
    assert client.post(f"/vrijwilligers/{application.pk}/", {**fields, "reference_name": "Buurman"}).status_code == 302
    activated = client.post(f"/vrijwilligers/{application.pk}/activeren/", {"team": cast.team_north.pk}, follow=True)
    assert "is actief" in activated.content.decode()
    assert VolunteerApplication.objects.get().status == "active"


def test_other_organisations_do_not_see_the_sign_up(cast: Cast, application, client):
    client.force_login(cast.outsider_coordinator)
    assert client.get(f"/vrijwilligers/{application.pk}/").status_code == 404
    with pytest.raises(NotFound):
        volunteer_activate(by=cast.outsider_coordinator, application_id=application.pk, base_url=BASE)
