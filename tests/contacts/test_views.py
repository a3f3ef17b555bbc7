"""Pages of the contact log, concerns and worklists."""

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.conftest import Cast
from tests.factories import ResidentFactory
from veerkracht.contacts.models import Concern, Contact
from veerkracht.contacts.services import concern_raise


def test_logging_a_video_call_takes_three_choices_and_redraws_only_the_panel(cast: Cast, client):
    client.force_login(cast.professional)
    # The three taps: channel, duration, save. Everything else is defaulted.
    response = client.post(
        reverse("contacts:log", args=[cast.resident_north.pk]),
        {"channel": "video_call", "duration_minutes": "15", "idempotency_key": "tap-1"},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<section id="contact-panel"')
    assert "Beeldbellen" in html
    contact = Contact.objects.get()
    assert (contact.channel, contact.duration_minutes, contact.reached, contact.worker) == (
        "video_call",
        15,
        True,
        cast.professional,
    )


def test_a_double_tap_saves_one_contact(cast: Cast, client):
    client.force_login(cast.professional)
    data = {"channel": "phone", "duration_minutes": "5", "idempotency_key": "same-key"}
    url = reverse("contacts:log", args=[cast.resident_north.pk])
    first = client.post(url, data, HTTP_HX_REQUEST="true")
    second = client.post(url, data, HTTP_HX_REQUEST="true")
    assert Contact.objects.count() == 1
    assert second.content == first.content
    assert second["Idempotent-Replayed"] == "true"


def test_a_contact_in_the_future_is_a_field_error_in_the_panel(cast: Cast, client):
    client.force_login(cast.professional)
    response = client.post(
        reverse("contacts:log", args=[cast.resident_north.pk]),
        {"channel": "phone", "duration_minutes": "5", "started_at": "2999-01-01T10:00"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert "started_at" in response.context["contact_form"].errors
    assert not Contact.objects.exists()


def test_without_htmx_the_form_redirects_back_to_the_resident(cast: Cast, client):
    client.force_login(cast.professional)
    response = client.post(
        reverse("contacts:log", args=[cast.resident_north.pk]), {"channel": "walk", "duration_minutes": "30"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("people:detail", args=[cast.resident_north.pk])


@pytest.mark.parametrize("role", ["volunteer", "basisbaan", "other_professional", "outsider_coordinator", "resident"])
def test_logging_for_a_resident_outside_scope_answers_404(cast: Cast, client, role):
    client.force_login(getattr(cast, role))
    response = client.post(
        reverse("contacts:log", args=[cast.resident_north.pk]), {"channel": "phone", "duration_minutes": "5"}
    )
    assert response.status_code == 404
    assert not Contact.objects.exists()


def test_a_raised_concern_appears_on_the_team_worklist(cast: Cast, client):
    client.force_login(cast.professional)
    response = client.post(
        reverse("contacts:raise", args=[cast.resident_north.pk]),
        {"category": "loneliness", "severity": "3", "description": "Komt de deur niet meer uit"},
    )
    concern = Concern.objects.get()
    assert response["Location"] == reverse("contacts:concern", args=[concern.pk])
    client.force_login(cast.coordinator)
    worklist = client.get(reverse("contacts:concerns"), {"scope": "team"})
    assert concern in worklist.context["page"].object_list


def test_a_concern_page_updates_the_status(cast: Cast, client):
    concern = concern_raise(by=cast.professional, resident_id=cast.resident_north.pk, category="housing", severity=2)
    client.force_login(cast.professional)
    client.post(reverse("contacts:concern", args=[concern.pk]), {"status": "in_progress", "note": "Gebeld"})
    concern.refresh_from_db()
    assert concern.status == "in_progress"


@pytest.mark.parametrize(
    ("role", "status"), [("professional", 200), ("coordinator", 200), ("other_professional", 404), ("volunteer", 404)]
)
def test_a_concern_page_follows_the_access_policy(cast: Cast, client, role, status):
    concern = concern_raise(by=cast.professional, resident_id=cast.resident_north.pk, category="housing", severity=2)
    client.force_login(getattr(cast, role))
    assert client.get(reverse("contacts:concern", args=[concern.pk])).status_code == status


@pytest.mark.parametrize("url_name", ["contacts:concerns", "contacts:out_of_sight"])
@pytest.mark.parametrize(
    ("role", "status"),
    [("professional", 200), ("coordinator", 200), ("volunteer", 404), ("privacy_officer", 404), ("funder", 404)],
)
def test_worklists_follow_the_access_policy(cast: Cast, client, url_name, role, status):
    client.force_login(getattr(cast, role))
    assert client.get(reverse(url_name)).status_code == status


def test_the_out_of_sight_page_shows_addresses_with_a_bounded_number_of_queries(
    cast: Cast, client, django_assert_max_num_queries
):
    from tests.factories import ResidentFactory

    # Born in 1950: 75 or older, a marker; never reached. Their households come in one query.
    ResidentFactory.create_batch(30, household__building__neighbourhood=cast.north)
    client.force_login(cast.professional)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("contacts:out_of_sight"))
    shown = response.context["page"].object_list
    assert len(shown) == 31  # the 30 and the cast's own resident in the north
    assert all(resident.household.street in response.content.decode() for resident in shown)


def test_the_out_of_sight_page_takes_the_organisations_term_and_filters(cast: Cast, client):
    cast.organisation.out_of_sight_days = 45
    cast.organisation.save()
    cast.resident_north.lives_alone = True
    cast.resident_north.save()
    client.force_login(cast.professional)
    response = client.get(reverse("contacts:out_of_sight"))
    assert response.context["days"] == 45
    assert cast.resident_north in response.context["page"].object_list
    bad = client.get(reverse("contacts:out_of_sight"), {"days": "-3"})
    assert bad.status_code == 200
    assert bad.context["form"].errors["days"]


def test_the_fresh_form_starts_on_the_residents_preferred_channel(cast: Cast, client):
    import re

    client.force_login(cast.professional)
    resident = cast.resident_north
    url = reverse("people:detail", args=[resident.pk])
    for channel in ("home_visit", "email", ""):
        resident.preferred_channel = channel
        resident.save(update_fields=["preferred_channel"])
        checked = re.findall(r'name="channel" value="([a-z_]+)"[^>]*checked', client.get(url).content.decode())
        assert checked == ([channel] if channel else [])
        saved = client.post(
            reverse("contacts:log", args=[resident.pk]),
            {"channel": "phone", "duration_minutes": "5"},
            HTTP_HX_REQUEST="true",
        ).content.decode()
        assert "Het contactmoment is opgeslagen." in saved
        assert re.findall(r'name="channel" value="([a-z_]+)"[^>]*checked', saved) == checked


def test_the_out_of_sight_list_says_why_shows_the_age_and_filters_by_marker(cast: Cast, client):
    this_year = timezone.localdate().year
    alone = cast.resident_north
    alone.lives_alone, alone.birth_year = True, this_year - 62
    alone.save()
    old = ResidentFactory.create(household__building__neighbourhood=cast.north, birth_year=this_year - 81)
    client.force_login(cast.professional)
    page = client.get(reverse("contacts:out_of_sight")).content.decode()
    line = page.split(alone.full_name)[1].split("</li>")[0]
    assert "62 jaar" in line
    assert ">woont alleen</span>" in line
    assert ">75+</span>" in page.split(old.full_name)[1].split("</li>")[0]
    only_alone = client.get(reverse("contacts:out_of_sight"), {"marker": "lives_alone"}).content.decode()
    assert alone.full_name in only_alone
    assert old.full_name not in only_alone
    assert client.get(reverse("contacts:out_of_sight"), {"marker": "nonsense"}).status_code == 200
