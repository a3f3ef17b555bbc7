"""Neighbourhoods from the CBS Wijk- en buurtkaart (GeoJSON in RD New or WGS84), and WGS84 → RD New."""

import json
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from tests.factories import OrganisationFactory
from veerkracht.core.bag import FoundAddress, neighbourhood_of
from veerkracht.core.models import District, Neighbourhood, Organisation
from veerkracht.engines.rd import wgs84_to_rd
from veerkracht.onboarding.geography import geography_import, read_geojson

RD_CRS = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::28992"}}


def _square(x: float, y: float, size: float = 1000) -> list[list[list[float]]]:
    return [[[x, y], [x + size, y], [x + size, y + size], [x, y + size], [x, y]]]


def _buurt(code: str, name: str, wijk: str, gemeente: str, coordinates: Any, kind: str = "Polygon") -> dict[str, Any]:
    return {
        "type": "Feature",
        "properties": {
            "buurtcode": code,
            "buurtnaam": name,
            "wijkcode": wijk,
            "gemeentecode": gemeente,
            "gemeentenaam": "Amsterdam",
            "water": "NEE",
        },
        "geometry": {"type": kind, "coordinates": coordinates},
    }


def _collection(*features: dict[str, Any], crs: dict[str, Any] | None = RD_CRS) -> dict[str, Any]:
    return {"type": "FeatureCollection", **({"crs": crs} if crs else {}), "features": list(features)}


BUURTEN = _collection(
    _buurt("BU03630000", "Kop Zeedijk", "WK036300", "GM0363", _square(121000, 487000)),
    _buurt("BU03630001", "Oude Kerk e.o.", "WK036300", "GM0363", _square(122000, 487000)),
    _buurt("BU03840000", "Elders", "WK038400", "GM0384", _square(130000, 487000)),
)
WIJKEN = _collection(
    {
        "type": "Feature",
        "properties": {"wijkcode": "WK036300", "wijknaam": "Burgwallen-Oude Zijde", "gemeentecode": "GM0363"},
        "geometry": None,
    },
)


@pytest.fixture
def organisation(db: None) -> Organisation:
    return OrganisationFactory.create(municipality_code="GM0363", city="GM0363")


def test_the_municipality_s_neighbourhoods_are_imported_with_codes_names_and_outlines(organisation: Organisation):
    report = geography_import(by=None, organisation=organisation, collections=[BUURTEN, WIJKEN], file_name="b.json")
    assert (report.created, report.problems) == (2, [])
    codes = list(Neighbourhood.objects.filter(organisation=organisation).values_list("code", "name"))
    assert codes == [("BU03630000", "Kop Zeedijk"), ("BU03630001", "Oude Kerk e.o.")]
    district = District.objects.get(organisation=organisation)
    assert (district.code, district.name) == ("WK036300", "Burgwallen-Oude Zijde")
    kop = Neighbourhood.objects.get(code="BU03630000")
    assert kop.boundary == {"type": "Polygon", "coordinates": _square(121000, 487000)}
    organisation.refresh_from_db()
    assert organisation.city == "Amsterdam"
    found = FoundAddress("1012 AB", 1, "", "S", "Amsterdam", 122500.0, 487500.0)
    assert neighbourhood_of(organisation, found) == Neighbourhood.objects.get(code="BU03630001")


def test_importing_again_changes_nothing_and_a_new_outline_updates(organisation: Organisation):
    geography_import(by=None, organisation=organisation, collections=[BUURTEN], file_name="b.json")
    again = geography_import(by=None, organisation=organisation, collections=[BUURTEN], file_name="b.json")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    moved = json.loads(json.dumps(BUURTEN))
    moved["features"][0]["geometry"]["coordinates"] = _square(121000, 486000)
    changed = geography_import(by=None, organisation=organisation, collections=[moved], file_name="b.json")
    assert changed.updated == 1


def test_wgs84_outlines_are_converted_to_rd(organisation: Organisation):
    ring = [[4.89, 52.37], [4.90, 52.37], [4.90, 52.38], [4.89, 52.38], [4.89, 52.37]]
    collection = _collection(_buurt("BU03630000", "Kop Zeedijk", "WK036300", "GM0363", [ring]), crs=None)
    geography_import(by=None, organisation=organisation, collections=[collection], file_name="wgs84.json")
    x, y = Neighbourhood.objects.get(code="BU03630000").boundary["coordinates"][0][0]
    assert (x, y) == pytest.approx(wgs84_to_rd(4.89, 52.37), abs=0.01)
    assert 110_000 < x < 135_000
    assert 476_000 < y < 497_000


def test_a_multipolygon_keeps_its_largest_part(organisation: Organisation):
    parts = [_square(121000, 487000, 10), _square(122000, 487000, 500)]
    collection = _collection(_buurt("BU03630000", "Eilanden", "WK036300", "GM0363", parts, kind="MultiPolygon"))
    geography_import(by=None, organisation=organisation, collections=[collection], file_name="m.json")
    assert Neighbourhood.objects.get(code="BU03630000").boundary["coordinates"] == _square(122000, 487000, 500)


def test_older_upper_case_property_names_work_too(organisation: Organisation):
    feature = {
        "type": "Feature",
        "properties": {"BU_CODE": "BU03630000", "BU_NAAM": "Kop Zeedijk", "WK_CODE": "WK036300", "GM_CODE": "GM0363"},
        "geometry": {"type": "Polygon", "coordinates": _square(121000, 487000)},
    }
    report = geography_import(by=None, organisation=organisation, collections=[_collection(feature)], file_name="o")
    assert report.created == 1


def test_a_file_without_the_municipality_imports_nothing(organisation: Organisation):
    other = _collection(_buurt("BU03840000", "Elders", "WK038400", "GM0384", _square(130000, 487000)))
    report = geography_import(by=None, organisation=organisation, collections=[other], file_name="o.json")
    assert "geen buurten van GM0363" in report.problems[0].reason
    assert not Neighbourhood.objects.filter(organisation=organisation).exists()


def test_bad_features_are_reported_and_the_rest_imported(organisation: Organisation):
    point = _buurt("BU03630002", "Punt", "WK036300", "GM0363", [121000, 487000], kind="Point")
    bad_code = _buurt("XX1", "Raar", "WK036300", "GM0363", _square(121000, 487000))
    report = geography_import(
        by=None,
        organisation=organisation,
        collections=[_collection(point, bad_code, *BUURTEN["features"])],
        file_name="b.json",
    )
    assert report.created == 2
    reasons = [problem.reason for problem in report.problems]
    assert "buurt BU03630002 heeft geen vlak als omtrek" in reasons
    assert any("buurtcode XX1" in reason for reason in reasons)


@pytest.mark.parametrize("raw", [b"niet json", b"[1, 2]", b'{"type": "Feature"}'])
def test_what_is_not_a_feature_collection_is_refused(raw):
    with pytest.raises(ValidationError):
        read_geojson(raw)


def test_the_command_imports_a_file(organisation: Organisation, tmp_path: Path):
    path = tmp_path / "buurten.geojson"
    path.write_text(json.dumps(BUURTEN), encoding="utf-8")
    out = StringIO()
    call_command("geography", "import", str(path), "--organisation", organisation.slug, stdout=out)
    assert "2 nieuw" in out.getvalue()
    (tmp_path / "kapot.geojson").write_text("{", encoding="utf-8")
    with pytest.raises(CommandError, match=r"kapot\.geojson"):
        call_command("geography", "import", str(tmp_path / "kapot.geojson"), "--organisation", organisation.slug)


def test_rd_conversion_at_the_origin_and_in_amsterdam():
    assert wgs84_to_rd(5.38720621, 52.15517440) == pytest.approx((155000.0, 463000.0), abs=0.001)
    x, y = wgs84_to_rd(4.8924, 52.3731)  # the Dam
    assert 121_000 < x < 121_600
    assert 487_100 < y < 487_700
