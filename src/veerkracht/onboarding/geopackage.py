"""The CBS Wijk- en buurtkaart as its GeoPackage: the buurten (and wijken) layers as GeoJSON-like collections.

A GeoPackage is an SQLite database (OGC 12-128r18): ``gpkg_geometry_columns`` names each layer's
geometry column and coordinate system, and each geometry is a small GeoPackage header followed by
standard WKB. Only polygons are read (a neighbourhood's outline); other shapes come back without
coordinates, and the import reports them. Rows of other municipalities are skipped in SQL, before
their outlines are decoded, so the whole-country file is read in seconds.
"""

import sqlite3
import struct
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

SQLITE_MAGIC = b"SQLite format 3\x00"
ENVELOPE_DOUBLES = {0: 0, 1: 4, 2: 6, 3: 6, 4: 8}  # by the header's envelope indicator
POLYGON, MULTIPOLYGON = 3, 6
MUNICIPALITY_COLUMNS = ("gemeentecode", "gm_code")


def is_geopackage(head: bytes) -> bool:
    return head.startswith(SQLITE_MAGIC)


class _Reader:
    """Reads WKB from a position on; each geometry states its own byte order."""

    def __init__(self, data: bytes, offset: int) -> None:
        self.data, self.offset = data, offset

    def _unpack(self, fmt: str) -> tuple[Any, ...]:
        values = struct.unpack_from(fmt, self.data, self.offset)
        self.offset += struct.calcsize(fmt)
        return values

    def geometry(self) -> tuple[int, Any]:
        order = "<" if self._unpack("B")[0] == 1 else ">"
        code = self._unpack(order + "I")[0]
        base, dimensions = code % 1000, 2 + {1: 1, 2: 1, 3: 2}.get(code // 1000, 0)
        if base == POLYGON:
            return base, self._polygon(order, dimensions)
        if base == MULTIPOLYGON:
            return base, [self.geometry()[1] for _part in range(self._unpack(order + "I")[0])]
        return base, None

    def _polygon(self, order: str, dimensions: int) -> list[list[list[float]]]:
        rings = []
        for _ring in range(self._unpack(order + "I")[0]):
            count = self._unpack(order + "I")[0]
            values = self._unpack(f"{order}{count * dimensions}d")
            rings.append([[values[i], values[i + 1]] for i in range(0, len(values), dimensions)])
        return rings


def geometry_of(blob: bytes | None) -> dict[str, Any]:
    """A GeoPackage geometry as a GeoJSON geometry (a Polygon or MultiPolygon), else only its absence."""
    if not blob or blob[:2] != b"GP":
        return {"type": None}
    flags = blob[3]
    if flags & 0b10000:  # the empty geometry
        return {"type": None}
    envelope = ENVELOPE_DOUBLES.get((flags >> 1) & 0b111)
    if envelope is None:
        return {"type": None}
    try:
        base, coordinates = _Reader(blob, 8 + 8 * envelope).geometry()
    except struct.error:
        return {"type": None}
    kinds = {POLYGON: "Polygon", MULTIPOLYGON: "MultiPolygon"}
    if base not in kinds or not coordinates:
        return {"type": None}
    return {"type": kinds[base], "coordinates": coordinates}


def _layers(database: sqlite3.Connection) -> list[tuple[str, str, int]]:
    rows = database.execute("SELECT table_name, column_name, srs_id FROM gpkg_geometry_columns").fetchall()
    wanted = [row for row in rows if "buurt" in row[0].lower() or "wijk" in row[0].lower()]
    return wanted or rows


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _collection(database: sqlite3.Connection, layer: tuple[str, str, int], municipality: str) -> dict[str, Any]:
    table, geometry_column, srs_id = layer
    columns = [row[1] for row in database.execute(f"PRAGMA table_info({_quoted(table)})")]
    filter_column = next((c for c in columns if c.lower() in MUNICIPALITY_COLUMNS), None)
    query = f"SELECT * FROM {_quoted(table)}"  # noqa: S608 - names from the file's own catalogue, quoted
    rows = (
        database.execute(f"{query} WHERE {_quoted(filter_column)} = ?", [municipality])
        if filter_column
        else database.execute(query)
    )
    features = []
    for row in rows:
        values = dict(zip(columns, row, strict=True))
        blob = values.pop(geometry_column)
        properties = {key: value for key, value in values.items() if not isinstance(value, bytes)}
        features.append({"type": "Feature", "properties": properties, "geometry": geometry_of(blob)})
    crs = "urn:ogc:def:crs:EPSG::28992" if srs_id == 28992 else f"urn:ogc:def:crs:EPSG::{srs_id}"
    return {"type": "FeatureCollection", "crs": {"type": "name", "properties": {"name": crs}}, "features": features}


def read_geopackage(path: Path, municipality: str) -> list[dict[str, Any]]:
    """The buurten (and wijken) layers of a CBS GeoPackage, only the municipality's rows where the layer
    names the municipality, as collections for ``geography_import``."""
    try:
        database = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error:
        raise ValidationError(_("The file is not a GeoPackage.")) from None
    try:
        return [_collection(database, layer, municipality) for layer in _layers(database)]
    except sqlite3.Error:
        raise ValidationError(_("The file is not a GeoPackage of the CBS Wijk- en buurtkaart.")) from None
    finally:
        database.close()
