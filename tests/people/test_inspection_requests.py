"""The privacy officer answers a request for access: finds the resident, produces the inspection, reads the log."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from tests.conftest import Cast
from veerkracht.contacts.services import contact_log
from veerkracht.core.audit import audit_record
from veerkracht.core.models import AuditAction, AuditEvent

pytestmark = pytest.mark.django_db


def test_the_privacy_officer_finds_a_resident_and_produces_their_inspection(cast: Cast, client):
    resident = cast.resident_north
    contact_log(
        by=cast.professional, resident_ids=[resident.pk], channel="porch_talk", started_at=timezone.now(),
        duration_minutes=10,
    )  # fmt: skip
    client.force_login(cast.privacy_officer)
    start = client.get("/").content.decode()
    assert 'href="/bewoners/inzageverzoeken/"' in start  # from the start page and the menu
    found = client.get("/bewoners/inzageverzoeken/", {"q": resident.last_name}).content.decode()
    assert resident.full_name in found
    assert cast.resident_outside.full_name not in found  # another organisation's resident
    page = client.get(f"/bewoners/{resident.pk}/inzage/")
    body = page.content.decode()
    assert page.status_code == 200
    assert "Portiekgesprek" in body
    assert "porch_talk" not in body
    assert ">True<" not in body
    assert "voornaam" in body
    assert AuditEvent.objects.filter(
        actor=cast.privacy_officer, action=AuditAction.EXPORT, object_id=str(resident.pk)
    ).exists()


def test_the_search_asks_for_two_letters_so_no_one_lists_everyone(cast: Cast, client):
    client.force_login(cast.privacy_officer)
    page = client.get("/bewoners/inzageverzoeken/", {"q": "a"}).content.decode()
    assert cast.resident_north.full_name not in page


@pytest.mark.parametrize("role", ["volunteer", "funder", "outsider_coordinator"])
def test_others_cannot_produce_a_residents_inspection(cast: Cast, client, role):
    client.force_login(getattr(cast, role))
    assert client.get(f"/bewoners/{cast.resident_north.pk}/inzage/").status_code == 404


def test_the_audit_log_shows_names_and_filters_by_resident_user_and_period(cast: Cast, client):
    north, south = cast.resident_north, cast.resident_south
    with time_machine.travel(timezone.now() - timedelta(days=40)):
        audit_record(action=AuditAction.VIEW, actor=cast.coordinator, object_type="people.resident", object_id=north.pk)
    audit_record(action=AuditAction.VIEW, actor=cast.professional, object_type="people.resident", object_id=north.pk)
    audit_record(action=AuditAction.UPDATE, actor=cast.professional, object_type="people.resident", object_id=south.pk)
    client.force_login(cast.privacy_officer)
    page = client.get("/audit/").content.decode()
    assert f"Bewoner {north.full_name}" in page
    assert "people.resident" not in page
    assert cast.professional.display_name in page
    about_north = client.get("/audit/", {"resident": north.pk}).content.decode()
    assert f"Bewoner {south.full_name}" not in about_north
    assert about_north.count(f"Bewoner {north.full_name}") == 2
    by_coordinator = client.get("/audit/", {"resident": north.pk, "actor": cast.coordinator.pk}).content.decode()
    assert by_coordinator.count(f"Bewoner {north.full_name}") == 1
    since = (timezone.localdate() - timedelta(days=7)).isoformat()
    recent = client.get("/audit/", {"resident": north.pk, "start": since}).content.decode()
    assert recent.count(f"Bewoner {north.full_name}") == 1
    assert f'value="{since}"' in recent  # the date box keeps the chosen day in the form the browser reads


def test_a_period_that_ends_before_it_starts_gets_a_dutch_message(cast: Cast, client):
    client.force_login(cast.privacy_officer)
    page = client.get("/audit/", {"start": "2026-05-10", "end": "2026-05-01"}).content.decode()
    assert "Het einde ligt voor het begin" in page


def _inspection(cast: Cast, client, languages: list[str], query: str = "") -> str:
    resident = cast.resident_north
    resident.languages = languages
    resident.save(update_fields=["languages"])
    client.force_login(cast.privacy_officer)
    return client.get(f"/bewoners/{resident.pk}/inzage/{query}").content.decode()


def test_the_inspection_is_in_the_residents_language_and_the_page_around_it_stays_dutch(cast: Cast, client):
    body = _inspection(cast, client, ["tr", "nl"])
    assert '<div lang="tr" dir="ltr">' in body
    assert "Bu sakin hakkında tuttuğumuz her şey" in body
    assert "Kayıt bilgileri" in body
    assert "doğum yılı" in body
    assert "Alles wat we over deze bewoner vastleggen" not in body
    assert "Taal van het document" in body  # the privacy officer's page itself is Dutch
    assert 'href="?taal=nl"' in body


def test_an_arabic_inspection_reads_right_to_left(cast: Cast, client):
    body = _inspection(cast, client, ["ar"])
    assert '<div lang="ar" dir="rtl">' in body
    assert "كل ما نحتفظ به عن هذا الساكن" in body
    assert "سنة الميلاد" in body


def test_without_texts_in_the_residents_language_or_on_request_the_inspection_is_dutch(cast: Cast, client):
    body = _inspection(cast, client, ["ber"])  # Tamazight: the application has no texts in it
    assert '<div lang="nl" dir="ltr">' in body
    assert "Alles wat we over deze bewoner vastleggen" in body
    body = _inspection(cast, client, ["ar"], "?taal=nl")
    assert '<div lang="nl" dir="ltr">' in body
    assert "Registratiegegevens" in body
    body = _inspection(cast, client, ["ar"], "?taal=xx")  # an unknown choice: the resident's own language
    assert '<div lang="ar" dir="rtl">' in body
