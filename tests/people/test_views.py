"""The resident register pages: scope, audit, forms."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.conftest import Cast
from veerkracht.core.models import AuditAction, AuditEvent, AuditResult
from veerkracht.people.models import Resident

RESIDENT_PAGES = ["people:detail", "contacts:timeline", "people:edit", "people:export"]


def _audit(resident: Resident, action: str, result: str = AuditResult.SUCCESS):
    return AuditEvent.objects.filter(
        object_type="people.resident", object_id=str(resident.pk), action=action, result=result
    )


@pytest.mark.parametrize("page", RESIDENT_PAGES)
@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("coordinator", 200),
        ("professional", 200),
        ("other_professional", 404),
        ("basisbaan", 404),
        ("volunteer", 404),
        ("resident", 404),
        ("privacy_officer", 404),
        ("funder", 404),
        ("outsider_coordinator", 404),
        ("outsider_professional", 404),
    ],
)
def test_a_residents_pages_follow_the_access_policy(cast: Cast, client, page, role, status):
    client.force_login(getattr(cast, role))
    assert client.get(reverse(page, args=[cast.resident_north.pk])).status_code == status


def test_a_volunteer_who_guesses_a_resident_url_gets_404_and_it_is_audited(cast: Cast, client):
    client.force_login(cast.volunteer)
    assert client.get(reverse("people:detail", args=[cast.resident_north.pk])).status_code == 404
    refused = AuditEvent.objects.get(action=AuditAction.ACCESS_DENIED)
    assert refused.actor == cast.volunteer
    assert (refused.object_type, refused.object_id) == ("people.resident", str(cast.resident_north.pk))


def test_an_outside_professional_guessing_a_resident_is_refused_and_audited(cast: Cast, client):
    client.force_login(cast.other_professional)
    assert client.get(reverse("people:detail", args=[cast.resident_north.pk])).status_code == 404
    assert _audit(cast.resident_north, AuditAction.VIEW, AuditResult.DENIED).get().actor == cast.other_professional


def test_viewing_a_resident_is_audited(cast: Cast, client):
    client.force_login(cast.professional)
    client.get(reverse("people:detail", args=[cast.resident_north.pk]), REMOTE_ADDR="203.0.113.9")
    event = _audit(cast.resident_north, AuditAction.VIEW).get()
    assert (event.actor, event.address()) == (cast.professional, "203.0.113.9")


def test_the_list_shows_only_the_scope_and_audits_each_resident_shown(cast: Cast, client):
    client.force_login(cast.professional)
    html = client.get(reverse("people:list")).content.decode()
    assert cast.resident_north.last_name in html
    assert cast.resident_south.last_name not in html
    assert _audit(cast.resident_north, AuditAction.LIST).count() == 1
    assert not _audit(cast.resident_south, AuditAction.LIST).exists()


@pytest.mark.parametrize("query", ["Fatma", "lindelaan", "1234ab", "1234 AB"])
def test_search_by_name_street_or_postcode(cast: Cast, client, query):
    client.force_login(cast.coordinator)
    page = client.get(reverse("people:list"), {"q": query}).context["page"]
    assert cast.resident_north in page.object_list


def test_search_narrows_by_neighbourhood_and_marker(cast: Cast, client):
    cast.resident_south.lives_alone = True
    cast.resident_south.save()
    client.force_login(cast.coordinator)
    page = client.get(reverse("people:list"), {"marker": "lives_alone"}).context["page"]
    assert list(page.object_list) == [cast.resident_south]
    page = client.get(reverse("people:list"), {"neighbourhood": cast.north.pk}).context["page"]
    assert list(page.object_list) == [cast.resident_north]


def test_the_list_page_queries_are_bounded(cast: Cast, client, django_assert_max_num_queries):
    from tests.factories import ResidentFactory

    ResidentFactory.create_batch(30, household__building__neighbourhood=cast.north)
    client.force_login(cast.coordinator)
    with django_assert_max_num_queries(12):
        client.get(reverse("people:list"))


def _form(cast: Cast, **overrides) -> dict:
    data = {
        "first_name": "Anouk",
        "last_name": "de Vries",
        "birth_year": "1944",
        "neighbourhood": str(cast.north.pk),
        "street": "Kastanjelaan",
        "house_number": "7",
        "postcode": "2345cd",
        "phone": "06 12345678",
        "languages": ["nl", "pap"],
        "lives_alone": "on",
        "consent_given_on": (timezone.localdate() - timedelta(days=30)).isoformat(),
        "consent_contact": "on",
    }
    return {**data, **overrides}


def test_a_worker_registers_a_resident(cast: Cast, client):
    client.force_login(cast.professional)
    response = client.post(reverse("people:create"), _form(cast))
    resident = Resident.objects.get(first_name="Anouk")
    assert response.status_code == 302
    assert response["Location"] == reverse("people:detail", args=[resident.pk])
    assert resident.household is not None
    assert resident.household.postcode == "2345 CD"
    assert resident.languages == ["nl", "pap"]
    assert resident.lives_alone
    assert resident.consent_contact
    assert _audit(resident, AuditAction.CREATE).exists()


def test_a_double_submit_registers_once(cast: Cast, client):
    client.force_login(cast.professional)
    data = _form(cast, idempotency_key="k-123")
    first = client.post(reverse("people:create"), data)
    second = client.post(reverse("people:create"), data)
    assert Resident.objects.filter(first_name="Anouk").count() == 1
    assert second.status_code == first.status_code == 302
    assert second["Location"] == first["Location"]


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"postcode": "12345"}, "postcode", "Nederlandse postcode"),
        ({"birth_year": "2999"}, "birth_year", ""),
        ({"last_name": ""}, "last_name", "Dit veld is verplicht"),
        ({"email": "not-an-address"}, "email", "e-mailadres"),
    ],
)
def test_bad_input_gives_a_dutch_field_error_and_saves_nothing(cast: Cast, client, overrides, field, message):
    client.force_login(cast.professional)
    response = client.post(reverse("people:create"), _form(cast, **overrides))
    assert response.status_code == 200
    assert response.context["form"].errors[field]
    assert message in " ".join(response.context["form"].errors[field])
    assert not Resident.objects.filter(first_name="Anouk").exists()


def test_registering_in_a_neighbourhood_outside_the_team_is_refused(cast: Cast, client):
    client.force_login(cast.professional)
    response = client.post(reverse("people:create"), _form(cast, neighbourhood=str(cast.south.pk)))
    assert response.status_code == 200
    assert "neighbourhood" in response.context["form"].errors
    assert not Resident.objects.filter(first_name="Anouk").exists()


def test_an_edit_audits_the_changed_field_names_only(cast: Cast, client):
    client.force_login(cast.professional)
    resident = cast.resident_north
    data = _form(
        cast, first_name=resident.first_name, last_name=resident.last_name, birth_year=str(resident.birth_year)
    )
    household = resident.household
    assert household is not None
    data |= {"street": "Lindelaan", "house_number": str(household.house_number), "postcode": "1234 AB"}
    data["phone"] = "0201234567"
    client.post(reverse("people:edit", args=[resident.pk]), data)
    resident.refresh_from_db()
    assert resident.phone == "0201234567"
    event = _audit(resident, AuditAction.UPDATE).get()
    assert "phone" in event.fields
    assert "0201234567" not in str(AuditEvent.objects.values_list())


def test_the_export_lists_who_read_the_record(cast: Cast, client):
    client.force_login(cast.professional)
    client.get(reverse("people:detail", args=[cast.resident_north.pk]))
    client.force_login(cast.coordinator)
    response = client.get(reverse("people:export", args=[cast.resident_north.pk]), {"format": "json"})
    document = response.json()
    assert response["Content-Disposition"].startswith("attachment")
    assert document["resident"]["first_name"] == cast.resident_north.first_name
    readers = {(read["who"], read["action"]) for read in document["access_log"]}
    assert (cast.professional.display_name, "Ingezien") in readers
    assert _audit(cast.resident_north, AuditAction.EXPORT).exists()


def test_the_readable_export_page_renders(cast: Cast, client):
    client.force_login(cast.coordinator)
    html = client.get(reverse("people:export", args=[cast.resident_north.pk])).content.decode()
    assert "Wie dit dossier heeft ingezien of gewijzigd" in html


@pytest.mark.parametrize(("role", "status"), [("coordinator", 200), ("professional", 404), ("privacy_officer", 404)])
def test_only_coordinators_may_erase(cast: Cast, client, role, status):
    client.force_login(getattr(cast, role))
    assert client.get(reverse("people:erase", args=[cast.resident_north.pk])).status_code == status


def _log_contacts(cast: Cast, count: int) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from veerkracht.contacts.services import contact_log

    start = timezone.now() - timedelta(days=count)
    for day in range(count):
        contact_log(
            by=cast.professional,
            resident_ids=[cast.resident_north.pk],
            channel="phone",
            started_at=start + timedelta(days=day),
            duration_minutes=day + 1,  # tells the entries apart: "<day + 1> min"
        )


def test_the_residents_page_shows_the_latest_entries_and_links_to_the_older_ones(cast: Cast, client):
    from veerkracht.contacts.selectors import TIMELINE_PAGE_SIZE

    _log_contacts(cast, TIMELINE_PAGE_SIZE + 5)
    client.force_login(cast.professional)
    page = client.get(reverse("people:detail", args=[cast.resident_north.pk])).content.decode()
    assert page.count('class="vk-timeline__item"') == TIMELINE_PAGE_SIZE
    assert _shows_minutes(page, TIMELINE_PAGE_SIZE + 5)
    assert not _shows_minutes(page, 5)
    older = reverse("contacts:timeline", args=[cast.resident_north.pk]) + "?pagina=2"
    assert older in page

    second = client.get(older).content.decode()
    assert second.count('class="vk-timeline__item"') == 5
    assert all(_shows_minutes(second, minutes) for minutes in range(1, 6))
    assert 'rel="prev"' in second
    assert 'rel="next"' not in second


def _shows_minutes(page: str, minutes: int) -> bool:
    """Whether the timeline (not the contact form's durations) lists a contact of that many minutes."""
    timeline = page[page.index('<ol class="vk-timeline"') :]
    return re.search(rf"(?<!\d){minutes} min", timeline[: timeline.index("</ol>")]) is not None


def test_a_resident_with_few_entries_has_no_link_to_older_ones(cast: Cast, client):
    _log_contacts(cast, 3)
    client.force_login(cast.professional)
    page = client.get(reverse("people:detail", args=[cast.resident_north.pk])).content.decode()
    assert page.count('class="vk-timeline__item"') == 3
    assert reverse("contacts:timeline", args=[cast.resident_north.pk]) not in page


@pytest.mark.parametrize("number", ["0", "-1", "abc", "9999999", "", "²", "1.5"])
def test_a_timeline_page_number_that_makes_no_sense_shows_the_first_page(cast: Cast, client, number):
    _log_contacts(cast, 2)
    client.force_login(cast.professional)
    response = client.get(reverse("contacts:timeline", args=[cast.resident_north.pk]), {"pagina": number})
    assert response.status_code == 200
    assert response.content.decode().count('class="vk-timeline__item"') == 2


def test_a_timeline_page_past_the_end_says_there_is_nothing_older(cast: Cast, client):
    _log_contacts(cast, 2)
    client.force_login(cast.professional)
    response = client.get(reverse("contacts:timeline", args=[cast.resident_north.pk]), {"pagina": "3"})
    assert "vk-timeline__item" not in response.content.decode()
    assert "Er zijn geen oudere items." in response.content.decode()


def test_a_timeline_page_is_an_audited_view(cast: Cast, client):
    client.force_login(cast.professional)
    client.get(reverse("contacts:timeline", args=[cast.resident_north.pk]))
    assert _audit(cast.resident_north, AuditAction.VIEW).get().actor == cast.professional
