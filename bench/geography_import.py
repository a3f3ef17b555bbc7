"""How long `veerkracht geography import` (the same code as the settings page's upload) takes on SQLite.

Two files as CBS publishes them: the whole country as GeoPackage (about 14,000 buurten; only the
organisation's municipality is decoded) and one large municipality's buurten as GeoJSON. Each of
the municipality's buurten has a detailed outline; the upload answers within the request, so this
says whether it must become a background task.
"""

import argparse
import json
import math
import shutil
import sqlite3
import struct
import tempfile
from functools import partial
from pathlib import Path

from common import add_options, check, finish, print_table, start_report, summary, timed, veerkracht

BASE_ENV = {"DEBUG": "0", "DEMO_MODE": "1", "SECRET_KEY": "bench-secret-key", "VEERKRACHT_TESTING": "0"}
MUNICIPALITY = "GM9999"


def _ring(index: int, vertices: int) -> list[tuple[float, float]]:
    """A wobbly circle of about 300 m round a point of a 1 km grid in Veerstad."""
    cx, cy = 150_000 + (index % 40) * 1000, 460_000 + (index // 40) * 1000
    points = [
        (cx + (300 + 20 * math.sin(7 * a)) * math.cos(a), cy + (300 + 20 * math.sin(7 * a)) * math.sin(a))
        for a in (2 * math.pi * k / vertices for k in range(vertices))
    ]
    return [*points, points[0]]


def _properties(index: int, municipality: str) -> dict[str, str]:
    code = municipality[2:]
    return {
        "buurtcode": f"BU{code}{index:04d}",
        "buurtnaam": f"Buurt {index}",
        "wijkcode": f"WK{code}{index // 10:02d}",
        "gemeentecode": municipality,
        "gemeentenaam": "Veerstad",
    }


def _wkb(ring: list[tuple[float, float]]) -> bytes:
    body = struct.pack("<BIII", 1, 3, 1, len(ring)) + b"".join(struct.pack("<dd", x, y) for x, y in ring)
    return b"GP\x00\x01" + struct.pack("<i", 28992) + body


def _geopackage(path: Path, buurten: int, vertices: int, country: int) -> None:
    database = sqlite3.connect(path)
    database.execute("CREATE TABLE gpkg_geometry_columns (table_name, column_name, srs_id)")
    database.execute("INSERT INTO gpkg_geometry_columns VALUES ('buurten', 'geom', 28992)")
    database.execute("CREATE TABLE buurten (geom, buurtcode, buurtnaam, wijkcode, gemeentecode, gemeentenaam)")
    rows = [(index, MUNICIPALITY, vertices) for index in range(buurten)]
    rows += [(index, f"GM{1000 + index // 40:04d}", 200) for index in range(country - buurten)]
    for index, municipality, detail in rows:
        values = _properties(index, municipality)
        database.execute(
            "INSERT INTO buurten VALUES (?, ?, ?, ?, ?, ?)", [_wkb(_ring(index, detail)), *values.values()]
        )
    database.commit()
    database.close()


def _geojson(path: Path, buurten: int, vertices: int) -> None:
    features = [
        {
            "type": "Feature",
            "properties": _properties(index, MUNICIPALITY),
            "geometry": {"type": "Polygon", "coordinates": [[list(point) for point in _ring(index, vertices)]]},
        }
        for index in range(buurten)
    ]
    crs = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::28992"}}
    path.write_text(json.dumps({"type": "FeatureCollection", "crs": crs, "features": features}))


def _organisation_without_neighbourhoods(database: Path) -> None:
    """A migrated database with the organisation, made once and copied for each file (a migration
    from nothing takes longer than a smoke run's imports)."""
    env = {**BASE_ENV, "DATABASE_URL": f"sqlite:///{database}"}
    veerkracht("migrate", "-v0", env=env)
    veerkracht("createcachetable", env=env)  # as `veerkracht prepare` does: the organisation's cache
    veerkracht("organisation", "create", "--name", "Bench", "--slug", "bench", "--municipality", MUNICIPALITY, env=env)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--buurten", type=int, default=500, help="the municipality's buurten")
    parser.add_argument("--vertices", type=int, default=1000, help="points in each of its outlines")
    parser.add_argument("--country", type=int, default=14_000, help="buurten in the GeoPackage, all municipalities")
    parser.add_argument("--repeats", type=int, default=1)
    add_options(parser)
    options = parser.parse_args()
    if options.smoke:
        options.buurten, options.vertices, options.country, options.repeats = 5, 20, 50, 1
    start_report(options)
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        package, geojson = Path(folder) / "wijkenbuurten.gpkg", Path(folder) / "buurten.geojson"
        _geopackage(package, options.buurten, options.vertices, options.country)
        _geojson(geojson, options.buurten, options.vertices)
        empty = Path(folder) / "empty.sqlite3"
        _organisation_without_neighbourhoods(empty)
        for name, file in (("GeoPackage, whole country", package), ("GeoJSON, the municipality", geojson)):
            database = Path(folder) / f"{file.suffix[1:]}.sqlite3"
            shutil.copyfile(empty, database)
            env = {**BASE_ENV, "DATABASE_URL": f"sqlite:///{database}"}
            command = ("geography", "import", str(file), "--organisation", "bench")
            fastest, median, slowest = summary(timed(partial(veerkracht, *command, env=env), options.repeats))
            rows.append((name, f"{file.stat().st_size / 1e6:.0f}", options.buurten, fastest, median, slowest))
            with sqlite3.connect(database) as connection:
                (imported,) = connection.execute("SELECT count(*) FROM core_neighbourhood").fetchone()
            check(f"{name}: its {options.buurten} buurten imported ({imported})", imported == options.buurten)
    print_table(
        f"Neighbourhood import, {options.buurten} buurten of {options.vertices} points (process start included)",
        ["file", "MB", "buurten", "min s", "median s", "max s"],
        rows,
    )
    finish()


if __name__ == "__main__":
    main()
