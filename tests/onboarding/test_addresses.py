"""Addresses: the organisation's address file and PDOK's Locatieserver behind one interface.

No test reaches the internet: the Locatieserver answers below are recorded in the format PDOK
documents for ``free`` (https://api.pdok.nl/bzk/locatieserver/search/v3_1/ui/ and
https://github.com/PDOK/locatieserver/wiki/API-Locatieserver), with made-up numbers.
"""

import json
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from tests.conftest import Cast
from tests.factories import NeighbourhoodFactory, OrganisationFactory
from veerkracht.core.bag import (
    AddressSource,
    FileSource,
    FoundAddress,
    LocatieserverSource,
    address_find,
    neighbourhood_of,
)
from veerkracht.core.models import AuditEvent, RegisteredAddress
from veerkracht.onboarding.address_file import addresses_load
from veerkracht.onboarding.models import ImportRun
from veerkracht.onboarding.tabular import read_table
from veerkracht.people.models import Household
from veerkracht.people.services import Address, resident_register

HEADER = "postcode;huisnummer;huisletter;toevoeging;straat;woonplaats;x;y\n"
# A square neighbourhood outline in RD New metres, around the rows below.
SQUARE = {
    "type": "Polygon",
    "coordinates": [[[121000, 487000], [122000, 487000], [122000, 488000], [121000, 488000], [121000, 487000]]],
}

# https://api.pdok.nl/bzk/locatieserver/search/v3_1/free?q=postcode:1091AB and huisnummer:12&fq=type:adres&rows=20
RECORDED = {
    "response": {
        "numFound": 2,
        "start": 0,
        "maxScore": 17.5,
        "numFoundExact": True,
        "docs": [
            {
                "bron": "BAG",
                "type": "adres",
                "weergavenaam": "Wijttenbachstraat 12, 1091AB Amsterdam",
                "straatnaam": "Wijttenbachstraat",
                "huisnummer": 12,
                "huis_nlt": "12",
                "postcode": "1091AB",
                "woonplaatsnaam": "Amsterdam",
                "gemeentecode": "0363",
                "gemeentenaam": "Amsterdam",
                "buurtcode": "BU03630000",
                "buurtnaam": "Testbuurt",
                "wijkcode": "WK036300",
                "centroide_ll": "POINT(4.92471 52.35907)",
                "centroide_rd": "POINT(123456.7 486123.4)",
                "score": 17.5,
            },
            {
                "bron": "BAG",
                "type": "adres",
                "weergavenaam": "Wijttenbachstraat 12-A, 1091AB Amsterdam",
                "straatnaam": "Wijttenbachstraat",
                "huisnummer": 12,
                "huisletter": "A",
                "huis_nlt": "12A",
                "postcode": "1091AB",
                "woonplaatsnaam": "Amsterdam",
                "buurtcode": "BU03630000",
                "centroide_ll": "POINT(4.92480 52.35910)",
                "centroide_rd": "POINT(123462.0 486126.0)",
                "score": 17.5,
            },
        ],
    }
}
EMPTY = {"response": {"numFound": 0, "start": 0, "maxScore": 0.0, "numFoundExact": True, "docs": []}}


def _load(cast: Cast, text: str, encoding: str = "utf-8", dry_run: bool = False):
    table = read_table(text.encode(encoding))
    return addresses_load(
        by=None, organisation=cast.organisation, table=table, file_name="adressen.csv", dry_run=dry_run
    )


def test_the_address_file_is_loaded_in_rd_and_found_again(cast: Cast):
    report = _load(
        cast,
        HEADER
        + "1091 ab;12;;;Wijttenbachstraat;Amsterdam;121500,5;487500\n"
        + "1091AB;12;A;2;Wijttenbachstraat;Amsterdam;121510;487510\n",
    )
    assert (report.created, report.problems) == (2, [])
    found = FileSource(cast.organisation.pk).find("1091AB", 12, "A-2")
    assert found is not None
    assert (found.street, found.x, found.y, found.postcode) == ("Wijttenbachstraat", 121510.0, 487510.0, "1091 AB")
    assert FileSource(cast.organisation.pk).find("1091 AB", 12, "")
    assert FileSource(cast.organisation.pk).find("1091 AB", 13, "") is None
    other = OrganisationFactory.create()
    assert FileSource(other.pk).find("1091 AB", 12, "") is None


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
def test_csv_in_utf8_with_or_without_bom_or_windows_1252(cast: Cast, encoding):
    _load(cast, HEADER + "1091AB;1;;;Tweede Oosterparkstraat;Amsterdam;121500;487500\n", encoding)
    _load(cast, HEADER + "1091AB;2;;;Café Ñieuwstraat;Amsterdam;121500;487500\n", encoding)
    assert RegisteredAddress.objects.get(house_number=2).street == "Café Ñieuwstraat"


def test_a_comma_separated_file_is_read_too(cast: Cast):
    _load(cast, HEADER.replace(";", ",") + "1091AB,3,,,Straat,Amsterdam,121500.5,487500\n")
    assert RegisteredAddress.objects.get(house_number=3).x == 121500.5


@pytest.mark.parametrize(
    ("row", "column", "reason"),
    [
        ("1234;1;;;S;A;121500;487500", "postcode", "postcode 1234 is geen Nederlandse postcode"),
        ("1091AB;nul;;;S;A;121500;487500", "huisnummer", "huisnummer nul is geen geldig getal"),
        ("1091AB;0;;;S;A;121500;487500", "huisnummer", "huisnummer 0 is geen geldig getal"),
        ("1091AB;1;AB;;S;A;121500;487500", "huisletter", "langer dan 1"),
        ("1091AB;1;;;;A;121500;487500", "straat", "straat ontbreekt"),
        ("1091AB;1;;;S;A;4.9;52.3", "x", "ligt niet in Nederland"),
        ("1091AB;1;;;S;A;121500;700000", "y", "ligt niet in Nederland"),
        ("1091AB;1;;;S;A;veel;487500", "x", "x veel is geen getal"),
    ],
)
def test_bad_rows_are_reported_and_the_good_ones_saved(cast: Cast, row, column, reason):
    report = _load(cast, HEADER + "1091AB;99;;;Goed;Amsterdam;121500;487500\n" + row + "\n")
    assert report.created == 1
    [problem] = report.problems
    assert (problem.row, problem.column) == (3, column)
    assert reason in problem.reason
    assert RegisteredAddress.objects.count() == 1


def test_a_missing_column_refuses_the_file(cast: Cast):
    report = _load(cast, "postcode;huisnummer;straat\n1091AB;1;S\n")
    assert report.problems[0].reason == "kolom ontbreekt in de kopregel"
    assert "woonplaats" in report.problems[0].column
    assert not RegisteredAddress.objects.exists()


def test_loading_again_changes_nothing_and_a_dry_run_saves_nothing(cast: Cast):
    text = HEADER + "1091AB;1;;;S;A;121500;487500\n"
    assert _load(cast, text, dry_run=True).created == 1
    assert not RegisteredAddress.objects.exists()
    _load(cast, text)
    again = _load(cast, text)
    assert (again.created, again.updated) == (0, 1)
    assert RegisteredAddress.objects.count() == 1


def test_the_load_is_audited_with_file_name_and_counts_not_contents(cast: Cast):
    report = _load(cast, HEADER + "1091AB;1;;;Geheimstraat;A;121500;487500\n")
    run = ImportRun.objects.get(pk=report.run_id)
    assert (run.kind, run.file_name, run.rows, run.created) == ("addresses", "adressen.csv", 1, 1)
    event = AuditEvent.objects.get(object_type="onboarding.importrun", object_id=str(run.pk))
    assert "Geheimstraat" not in json.dumps([event.fields, event.object_id])


def test_the_command_loads_the_file(cast: Cast, tmp_path: Path):
    path = tmp_path / "adressen.csv"
    path.write_text(HEADER + "1091AB;1;;;S;A;121500;487500\n", encoding="utf-8")
    out = StringIO()
    call_command("import", "addresses", str(path), "--organisation", cast.organisation.slug, stdout=out)
    assert "1 nieuw" in out.getvalue()
    with pytest.raises(CommandError, match="bestaat niet"):
        call_command("import", "addresses", str(path), "--organisation", "onbekend")


def _locatieserver(answer: dict[str, Any], asked: list[str] | None = None) -> LocatieserverSource:
    def fetch(url: str) -> dict[str, Any]:
        if asked is not None:
            asked.append(url)
        return answer

    return LocatieserverSource("https://api.pdok.nl/bzk/locatieserver/search/v3_1", fetch=fetch)


def test_the_locatieserver_answer_gives_rd_position_and_neighbourhood_code():
    asked: list[str] = []
    found = _locatieserver(RECORDED, asked).find("1091 AB", 12, "")
    assert asked == [
        "https://api.pdok.nl/bzk/locatieserver/search/v3_1/free?q=postcode%3A1091AB+and+huisnummer%3A12&fq=type%3Aadres&rows=20"
    ]
    assert found == FoundAddress(
        "1091 AB", 12, "", "Wijttenbachstraat", "Amsterdam", 123456.7, 486123.4, "BU03630000", "locatieserver"
    )
    letter = _locatieserver(RECORDED).find("1091AB", 12, "a")
    assert letter is not None
    assert letter.x == 123462.0
    assert _locatieserver(RECORDED).find("1091AB", 12, "b") is None
    assert _locatieserver(EMPTY).find("1091AB", 12, "") is None


def test_a_locatieserver_that_does_not_answer_means_not_found():
    def broken(url: str) -> dict[str, Any]:
        raise OSError("no route to host")

    assert LocatieserverSource("https://example.invalid", fetch=broken).find("1091AB", 12, "") is None


def test_the_file_comes_before_the_locatieserver(cast: Cast):
    _load(cast, HEADER + "1091AB;12;;;Uit het bestand;Amsterdam;121500;487500\n")
    sources: list[AddressSource] = [FileSource(cast.organisation.pk), _locatieserver(RECORDED)]
    assert address_find(cast.organisation.pk, "1091AB", 12, "", sources).street == "Uit het bestand"  # type: ignore[union-attr]
    assert address_find(cast.organisation.pk, "1091AB", 12, "A", sources).source == "locatieserver"  # type: ignore[union-attr]


def test_the_neighbourhood_by_code_else_by_outline(cast: Cast):
    coded = NeighbourhoodFactory.create(district=cast.north.district, code="BU03630000")
    cast.south.boundary = SQUARE
    cast.south.save()
    by_code = FoundAddress("1091 AB", 12, "", "S", "A", 0.0, 0.0, "BU03630000")
    assert neighbourhood_of(cast.organisation, by_code) == coded
    inside = FoundAddress("1091 AB", 12, "", "S", "A", 121500.0, 487500.0)
    assert neighbourhood_of(cast.organisation, inside) == cast.south
    outside = FoundAddress("1091 AB", 12, "", "S", "A", 125000.0, 487500.0)
    assert neighbourhood_of(cast.organisation, outside) is None


def test_a_new_resident_gets_the_real_position_and_neighbourhood(cast: Cast):
    cast.south.boundary = SQUARE
    cast.south.save()
    _load(cast, HEADER + "1091AB;12;;;Wijttenbachstraat;Amsterdam;121500;487500\n")
    address = Address(street="Wijttenbachstraat", house_number=12, postcode="1091ab", city="Amsterdam")
    # Registered "in" north by mistake: the register knows better.
    resident = resident_register(
        by=cast.coordinator,
        neighbourhood=cast.north,
        address=address,
        attributes={"first_name": "A", "last_name": "B", "birth_year": 1950},
    )
    household = resident.household
    assert household is not None
    assert (household.x, household.y, household.address_not_found) == (121500.0, 487500.0, False)
    assert resident.neighbourhood == cast.south


def test_an_address_not_found_is_saved_flagged_with_a_warning_and_on_the_worklist(cast: Cast, client: Client):
    client.force_login(cast.coordinator)
    response = client.post(
        reverse("people:create"),
        {
            "first_name": "Nergens",
            "last_name": "Tevinden",
            "birth_year": 1948,
            "street": "Onbekendelaan",
            "house_number": 7,
            "postcode": "9999 ZZ",
            "city": "Veerstad",
            "neighbourhood": cast.north.pk,
        },
        follow=True,
    )
    html = response.content.decode()
    assert "niet gevonden in het adresregister" in html
    household = Household.objects.get(street="Onbekendelaan")
    assert household.address_not_found
    worklist = client.get(reverse("people:address_not_found")).content.decode()
    assert "Nergens Tevinden" in worklist
    assert cast.resident_north.full_name not in worklist  # a household not looked up is not on it


def test_the_worklist_is_for_the_register_only(cast: Cast, client: Client):
    client.force_login(cast.volunteer)
    assert client.get(reverse("people:address_not_found")).status_code == 404
