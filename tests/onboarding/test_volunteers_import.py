"""Importing volunteers: an active volunteer with an account and an offer of help from their real home."""

import pytest

from tests.conftest import Cast
from veerkracht.core.models import AuditAction, AuditEvent, User
from veerkracht.help.models import HelpOffer
from veerkracht.onboarding.tabular import read_table
from veerkracht.onboarding.volunteers_import import COLUMNS, volunteers_import
from veerkracht.team.models import ApplicationStatus, VolunteerApplication

HEADER = ";".join(COLUMNS) + "\n"
KEES = "V-1;Kees;Bakker;kees@voorbeeld.nl;0612345678;1091AB;16;;;nl,Engels;Boodschappen, Wandeling;2,5;01-03-2026\n"
LIES = "V-2;Lies;Mulder;;0687654321;;;;;;;;\n"


def _import(cast: Cast, text: str, dry_run: bool = False):
    return volunteers_import(
        by=cast.coordinator,
        organisation=cast.organisation,
        table=read_table(text.encode()),
        file_name="vw.csv",
        dry_run=dry_run,
    )


def test_volunteers_become_active_with_an_account_and_an_offer_from_home(register: Cast):
    report = _import(register, HEADER + KEES + LIES)
    assert (report.created, report.problems) == (2, [])
    kees = VolunteerApplication.objects.get(extern_id="V-1")
    assert (kees.status, kees.neighbourhood, kees.vog_received_on.isoformat()) == (  # type: ignore[union-attr]
        ApplicationStatus.ACTIVE,
        register.south,
        "2026-03-01",
    )
    assert kees.user is not None
    assert (kees.user.role, kees.user.username, kees.user.has_usable_password()) == (
        "volunteer",
        "kees@voorbeeld.nl",
        False,
    )
    offer = HelpOffer.objects.get(helper=kees.user)
    assert (offer.x, offer.y, offer.radius_m, offer.kinds) == (121540.0, 487540.0, 2500, ["groceries", "walk"])
    assert offer.languages == ["en", "nl"]
    lies = VolunteerApplication.objects.get(extern_id="V-2")
    assert lies.user is not None
    assert not HelpOffer.objects.filter(helper=lies.user).exists()


def test_reimport_changes_nothing_and_a_move_updates_the_offer(register: Cast):
    _import(register, HEADER + KEES)
    assert _import(register, HEADER + KEES).unchanged == 1
    report = _import(register, HEADER + KEES.replace("1091AB;16", "1091AB;12"))
    assert report.updated == 1
    kees = VolunteerApplication.objects.get(extern_id="V-1")
    assert (HelpOffer.objects.get(helper=kees.user).x) == 121500.0
    event = AuditEvent.objects.get(object_type="team.volunteerapplication", action=AuditAction.UPDATE)
    assert event.fields == ["help_offer"]
    assert User.objects.filter(email="kees@voorbeeld.nl").count() == 1


@pytest.mark.parametrize(
    ("row", "column", "reason"),
    [
        (KEES.replace("kees@voorbeeld.nl;0612345678", ";"), "email", "ontbreken allebei"),
        (KEES.replace("Boodschappen", "Schilderen"), "soorten_hulp", "Schilderen is onbekend"),
        (KEES.replace("01-03-2026", "30-02-2026"), "vog_datum", "vog_datum 30-02-2026 bestaat niet"),
        (KEES.replace(";2,5;", ";99;"), "straal_km", "tussen 0 en 50"),
        (KEES.replace("1091AB;16", "9999ZZ;1"), "postcode", "niet gevonden"),
        (KEES.replace("1091AB;16", ";"), "postcode", "nodig voor burenhulp"),
    ],
)
def test_bad_rows_are_reported_and_nothing_of_them_saved(register: Cast, row, column, reason):
    report = _import(register, HEADER + row + LIES)
    assert report.created == 1
    [problem] = report.problems
    assert (problem.row, problem.column) == (2, column)
    assert reason in problem.reason
    assert not VolunteerApplication.objects.filter(extern_id="V-1").exists()
    assert not User.objects.filter(first_name="Kees").exists()


def test_a_dry_run_saves_nothing(register: Cast):
    report = _import(register, HEADER + KEES + LIES, dry_run=True)
    assert report.created == 2
    assert not VolunteerApplication.objects.exists()
    assert not User.objects.filter(first_name__in=["Kees", "Lies"]).exists()
