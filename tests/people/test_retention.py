"""Retention terms per organisation; a dry run changes nothing; running twice is harmless."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from tests.conftest import Cast
from tests.factories import ResidentFactory
from veerkracht.contacts.models import Concern, ConcernStatus, Contact, ContactResident
from veerkracht.people.models import Resident
from veerkracht.people.retention import retention_apply

YEAR = timedelta(days=365)


def _contact(cast: Cast, resident: Resident, ago: timedelta, note: str = "Lang geleden gesproken") -> Contact:
    started = timezone.now() - ago
    contact = Contact.objects.create(
        organisation=cast.organisation,
        worker=cast.professional,
        started_at=started,
        duration_minutes=10,
        channel="phone",
        note=note,
    )
    ContactResident.objects.create(contact=contact, resident=resident, started_at=started)
    Resident.objects.filter(pk=resident.pk).update(last_reached_at=started, created_at=started - YEAR)
    return contact


def _concern(cast: Cast, resident: Resident, closed_ago: timedelta | None) -> Concern:
    return Concern.objects.create(
        organisation=cast.organisation,
        resident=resident,
        category="money",
        severity=2,
        raised_by=cast.professional,
        description="Schulden",
        referral_target="schuldhulp",
        status=ConcernStatus.CLOSED if closed_ago else ConcernStatus.OPEN,
        closed_at=timezone.now() - closed_ago if closed_ago else None,
    )


@pytest.fixture
def residents(cast: Cast) -> dict[str, Resident]:
    made = {
        name: ResidentFactory.create(household__building__neighbourhood=cast.north)
        for name in ("stale", "recent", "recent_concern_closed", "open_concern", "old_concern")
    }
    _contact(cast, made["stale"], 3 * YEAR)
    _contact(cast, made["recent"], 30 * timedelta(days=1))
    _contact(cast, made["recent_concern_closed"], 3 * YEAR)
    _concern(cast, made["recent_concern_closed"], closed_ago=5 * YEAR)
    _contact(cast, made["open_concern"], 3 * YEAR)
    _concern(cast, made["open_concern"], closed_ago=None)
    _contact(cast, made["old_concern"], 17 * YEAR)
    _concern(cast, made["old_concern"], closed_ago=16 * YEAR)
    return made


def _erased(resident: Resident) -> bool:
    return Resident.objects.get(pk=resident.pk).erased_at is not None


def test_what_passed_every_term_is_anonymised_and_nothing_else(cast: Cast, residents):
    report = retention_apply(organisation=cast.organisation, now=timezone.now(), dry_run=False)
    assert {name for name, resident in residents.items() if _erased(resident)} == {"stale", "old_concern"}
    assert report.residents == 2
    old = Concern.objects.get(resident=residents["old_concern"])
    assert (old.description, old.referral_target, old.category) == ("", "", "money")
    kept = Concern.objects.get(resident=residents["recent_concern_closed"])
    assert kept.description == "Schulden"


def test_old_contact_notes_are_emptied_but_the_contacts_stay(cast: Cast, residents):
    retention_apply(organisation=cast.organisation, now=timezone.now(), dry_run=False)
    assert Contact.objects.count() == 5
    assert set(Contact.objects.values_list("note", flat=True)) == {"", "Lang geleden gesproken"}
    recent = Contact.objects.get(participants__resident=residents["recent"])
    assert recent.note == "Lang geleden gesproken"


def test_a_dry_run_changes_nothing(cast: Cast, residents):
    report = retention_apply(organisation=cast.organisation, now=timezone.now(), dry_run=True)
    assert (report.residents, report.counts["contactnotities"], report.counts["zorgsignalen"]) == (2, 4, 1)
    assert not any(_erased(resident) for resident in residents.values())
    assert not Contact.objects.filter(note="").exists()


def test_running_twice_finds_nothing_the_second_time(cast: Cast, residents):
    retention_apply(organisation=cast.organisation, now=timezone.now(), dry_run=False)
    again = retention_apply(organisation=cast.organisation, now=timezone.now(), dry_run=False)
    assert (again.residents, again.counts["contactnotities"], again.counts["zorgsignalen"]) == (0, 0, 0)


def test_an_organisation_may_keep_longer(cast: Cast, residents):
    cast.organisation.retention_contact_years = 5
    cast.organisation.save()
    report = retention_apply(organisation=cast.organisation, now=timezone.now(), dry_run=False)
    assert not _erased(residents["stale"])
    assert report.residents == 1  # only the one whose last contact was 17 years ago


def test_a_term_past_the_platform_maximum_is_cut_to_the_maximum(cast: Cast, residents, settings):
    cast.organisation.retention_contact_years = 30  # set before the platform lowered its maximum
    cast.organisation.save()
    settings.RETENTION_CONTACT_YEARS_MAX = 5
    report = retention_apply(organisation=cast.organisation, now=timezone.now(), dry_run=True)
    assert report.residents == 1  # as with a term of 5 years: the one last seen 17 years ago


def test_the_command_reports_per_organisation(cast: Cast, residents):
    out = StringIO()
    call_command("retention", "--dry-run", stdout=out)
    expected = (
        "Stichting Welzijn Veerstad: zou anonimiseren of verwijderen: bewoners 2, contactnotities 4, zorgsignalen 1"
    )
    assert expected in out.getvalue()
