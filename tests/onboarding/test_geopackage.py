"""The CBS Wijk- en buurtkaart as GeoPackage: layers, geometry headers and WKB, by the command and the upload."""

import sqlite3
import struct
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from tests.conftest import Cast
from tests.factories import OrganisationFactory
from veerkracht.core.models import District, Neighbourhood, Organisation
from veerkracht.onboarding.geopackage import geometry_of, read_geopackage

Ring = list[tuple[float, float]]


def _square(x: float, y: float, size: float = 1000) -> Ring:
    return [(x, y), (x + size, y), (x + size, y + size), (x, y + size), (x, y)]


def _wkb_polygon(rings: list[Ring], *, order: str = "<", z: bool = False) -> bytes:
    code = 1003 if z else 3
    out = struct.pack(f"{order}BI", 1 if order == "<" else 0, code) + struct.pack(f"{order}I", len(rings))
    for ring in rings:
        out += struct.pack(f"{order}I", len(ring))
        for x, y in ring:
            out += struct.pack(f"{order}dd", x, y) + (struct.pack(f"{order}d", 0.0) if z else b"")
    return out


def _wkb_multipolygon(polygons: list[list[Ring]]) -> bytes:
    return struct.pack("<BII", 1, 6, len(polygons)) + b"".join(_wkb_polygon(p) for p in polygons)


def _gpkg(wkb: bytes, srs_id: int = 28992, envelope: int = 1) -> bytes:
    flags = 1 | (envelope << 1)  # little-endian header, with an envelope of minx, maxx, miny, maxy
    doubles = {0: 0, 1: 4}[envelope]
    return b"GP" + bytes([0, flags]) + struct.pack("<i", srs_id) + struct.pack(f"<{doubles}d", *[0.0] * doubles) + wkb


def _geopackage(path: Path, buurten: list[tuple[str, str, str, str, bytes | None]], srs_id: int = 28992) -> Path:
    database = sqlite3.connect(path)
    database.executescript(
        """
        CREATE TABLE gpkg_contents (table_name TEXT, data_type TEXT, srs_id INTEGER);
        CREATE TABLE gpkg_geometry_columns (table_name TEXT, column_name TEXT, geometry_type_name TEXT,
            srs_id INTEGER, z INTEGER, m INTEGER);
        CREATE TABLE buurten (fid INTEGER PRIMARY KEY, geom BLOB, buurtcode TEXT, buurtnaam TEXT,
            wijkcode TEXT, gemeentecode TEXT, gemeentenaam TEXT);
        CREATE TABLE wijken (fid INTEGER PRIMARY KEY, geom BLOB, wijkcode TEXT, wijknaam TEXT, gemeentecode TEXT);
        """
    )
    database.execute("INSERT INTO gpkg_contents VALUES ('buurten', 'features', ?)", [srs_id])
    database.execute("INSERT INTO gpkg_geometry_columns VALUES ('buurten', 'geom', 'MULTIPOLYGON', ?, 0, 0)", [srs_id])
    database.execute("INSERT INTO gpkg_geometry_columns VALUES ('wijken', 'geom', 'MULTIPOLYGON', ?, 0, 0)", [srs_id])
    for code, name, wijk, gemeente, geometry in buurten:
        database.execute(
            "INSERT INTO buurten (geom, buurtcode, buurtnaam, wijkcode, gemeentecode, gemeentenaam) "
            "VALUES (?, ?, ?, ?, ?, 'Amsterdam')",
            [geometry, code, name, wijk, gemeente],
        )
    database.execute("INSERT INTO wijken VALUES (1, NULL, 'WK036300', 'Burgwallen-Oude Zijde', 'GM0363')")
    database.commit()
    database.close()
    return path


@pytest.fixture
def package(tmp_path: Path) -> Path:
    return _geopackage(
        tmp_path / "wijkenbuurten_2024.gpkg",
        [
            ("BU03630000", "Kop Zeedijk", "WK036300", "GM0363", _gpkg(_wkb_multipolygon([[_square(121000, 487000)]]))),
            ("BU03630001", "Oude Kerk e.o.", "WK036300", "GM0363", _gpkg(_wkb_polygon([_square(122000, 487000)]))),
            ("BU03840000", "Elders", "WK038400", "GM0384", _gpkg(_wkb_polygon([_square(130000, 487000)]))),
            ("BU03630002", "Zonder omtrek", "WK036300", "GM0363", None),
        ],
    )


@pytest.fixture
def organisation(db: None) -> Organisation:
    return OrganisationFactory.create(municipality_code="GM0363", city="GM0363", slug="amsterdam")


def test_only_the_municipality_s_rows_are_read_with_their_outlines(package: Path):
    buurten, wijken = read_geopackage(package, "GM0363")
    assert [f["properties"]["buurtcode"] for f in buurten["features"]] == ["BU03630000", "BU03630001", "BU03630002"]
    assert "28992" in buurten["crs"]["properties"]["name"]
    first = buurten["features"][0]["geometry"]
    assert first["type"] == "MultiPolygon"
    assert first["coordinates"][0][0][0] == [121000.0, 487000.0]
    assert buurten["features"][2]["geometry"] == {"type": None}
    assert wijken["features"][0]["properties"]["wijknaam"] == "Burgwallen-Oude Zijde"


def test_the_command_imports_a_geopackage(organisation: Organisation, package: Path):
    out = StringIO()
    call_command("geography", "import", str(package), "--organisation", "amsterdam", stdout=out)
    codes = set(Neighbourhood.objects.filter(organisation=organisation).values_list("code", flat=True))
    assert codes == {"BU03630000", "BU03630001"}
    assert District.objects.get(organisation=organisation, code="WK036300").name == "Burgwallen-Oude Zijde"
    assert "buurt BU03630002 heeft geen vlak als omtrek" in out.getvalue()


def test_the_settings_page_takes_a_geopackage(cast: Cast, client: Client, package: Path):
    cast.organisation.municipality_code = "GM0363"
    cast.organisation.save()
    client.force_login(cast.coordinator)
    upload = SimpleUploadedFile("wijkenbuurten_2024.gpkg", package.read_bytes())
    html = client.post(reverse("onboarding:geography_upload"), {"file": upload}).content.decode()
    assert "Import van wijkenbuurten_2024.gpkg" in html
    assert Neighbourhood.objects.filter(organisation=cast.organisation, code="BU03630001").exists()


@pytest.mark.parametrize(
    ("blob", "expected"),
    [
        (None, {"type": None}),
        (b"XX", {"type": None}),
        (b"GP\x00\x11" + b"\x00" * 4, {"type": None}),  # the empty-geometry flag
        (_gpkg(struct.pack("<BIdd", 1, 1, 1.0, 2.0)), {"type": None}),  # a point is no outline
        (_gpkg(_wkb_polygon([_square(0, 0)]))[:30], {"type": None}),  # cut short
    ],
)
def test_what_is_no_outline_has_no_coordinates(blob: bytes | None, expected: dict[str, Any]):
    assert geometry_of(blob) == expected


def test_big_endian_wkb_3d_coordinates_and_no_envelope_are_read():
    geometry = geometry_of(_gpkg(_wkb_polygon([_square(5, 6, 1)], order=">", z=True), envelope=0))
    assert geometry["coordinates"][0][:2] == [[5.0, 6.0], [6.0, 6.0]]


def test_a_file_that_is_sqlite_but_no_geopackage_is_refused(tmp_path: Path):
    path = tmp_path / "leeg.gpkg"
    sqlite3.connect(path).execute("CREATE TABLE iets (a)").connection.commit()
    with pytest.raises(ValidationError, match="geen GeoPackage van de CBS"):
        read_geopackage(path, "GM0363")
