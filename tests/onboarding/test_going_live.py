"""From an empty database to a working organisation, with only the commands and the sample files in docs/examples."""

import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client

from veerkracht.core.models import Neighbourhood, Organisation, RegisteredAddress, User
from veerkracht.help.models import HelpOffer
from veerkracht.people.models import Resident
from veerkracht.places.models import Place

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"
PASSWORD = "een-lang-wachtwoord-voor-de-start"


def _run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_the_readme_steps_with_the_sample_files_set_up_a_working_organisation():
    assert not Organisation.objects.exists()
    created = _run(
        "organisation",
        "create",
        "--name",
        "Stichting Welzijn Veerstad",
        "--slug",
        "veerstad",
        "--municipality",
        "GM9999",
    )
    link = re.search(r"(/uitnodiging/\S+/)", created)
    assert link
    org = ["--organisation", "veerstad"]
    geography = _run("geography", "import", str(EXAMPLES / "buurten.geojson"), *org)
    assert "4 nieuw" in geography
    assert "0 geweigerd" in geography
    for kind, file_name, count in [
        ("addresses", "adressen.csv", 120),
        ("residents", "bewoners.csv", 20),
        ("volunteers", "vrijwilligers.csv", 4),
        ("places", "plekken.csv", 3),
    ]:
        report = _run("import", kind, str(EXAMPLES / file_name), *org)
        assert f"{count} nieuw" in report, report
        assert "0 geweigerd" in report, report
        again = _run("import", kind, str(EXAMPLES / file_name), *org)
        assert "0 nieuw" in again, again
    organisation = Organisation.objects.get(slug="veerstad")
    assert organisation.city == "Veerstad"
    assert Neighbourhood.objects.filter(organisation=organisation).count() == 4
    assert RegisteredAddress.objects.filter(organisation=organisation).count() == 120
    for resident in Resident.objects.filter(organisation=organisation).select_related("household", "neighbourhood"):
        household = resident.household
        assert household is not None
        assert not household.address_not_found
        address = RegisteredAddress.objects.get(
            organisation=organisation,
            postcode=household.postcode,
            house_number=household.house_number,
            suffix=household.house_number_suffix,
        )
        assert (household.x, household.y) == (address.x, address.y)
        ring = resident.neighbourhood.boundary["coordinates"][0]
        assert ring[0][0] <= household.x <= ring[1][0]
        assert ring[0][1] <= household.y <= ring[2][1]
    assert HelpOffer.objects.filter(organisation=organisation).count() == 4
    assert Place.objects.filter(organisation=organisation).count() == 3
    # The first coordinator signs up with the printed link.
    answer = Client().post(
        link.group(1),
        {
            "first_name": "Fenna",
            "last_name": "de Wit",
            "email": "fenna@veerstad.example",
            "password": PASSWORD,
            "password_again": PASSWORD,
        },
    )
    assert answer.status_code == 302
    assert User.objects.get(username="fenna@veerstad.example").organisation == organisation
