"""Neighbourhoods from the CBS Wijk- en buurtkaart: real BU/WK codes, names and outlines.

The input is CBS's GeoPackage (``onboarding.geopackage``) or GeoJSON exported from it (layers
``buurten`` and, for the districts' names, ``wijken``), in RD New (EPSG:28992) or WGS84; WGS84
outlines are converted to RD New, the coordinate system of every position in Veerkracht. Only the
organisation's municipality is kept. Property names are read case-insensitively, so both the
current (``buurtcode``) and the older (``BU_CODE``) spellings work.
"""

import json
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from veerkracht.core.models import Affluence, District, Neighbourhood, Organisation, User
from veerkracht.engines.rd import wgs84_to_rd
from veerkracht.onboarding.geopackage import is_geopackage, read_geopackage
from veerkracht.onboarding.reporting import Report, RowProblem, report_audit

Coordinates = list[Any]


def read_geojson(raw: bytes) -> dict[str, Any]:
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError):
        raise ValidationError(_("The file is not GeoJSON.")) from None
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise ValidationError(_("The file is not a GeoJSON FeatureCollection."))
    return data


def read_geography(path: Path, municipality: str) -> list[dict[str, Any]]:
    """A CBS file as collections: a GeoPackage (its buurten and wijken layers) or one GeoJSON file."""
    with path.open("rb") as file:
        head = file.read(16)
    if is_geopackage(head):
        return read_geopackage(path, municipality)
    return [read_geojson(path.read_bytes())]


def _in_rd(collection: dict[str, Any]) -> bool:
    """Whether the collection is in RD New: by its declared crs, else by the size of its numbers."""
    name = str(((collection.get("crs") or {}).get("properties") or {}).get("name", ""))
    if "28992" in name:
        return True
    if name and ("4326" in name or "CRS84" in name):
        return False
    for feature in collection.get("features") or []:
        point = _first_point((feature.get("geometry") or {}).get("coordinates"))
        if point is not None:
            return abs(point[0]) > 180 or abs(point[1]) > 180
    return True


def _first_point(coordinates: Any) -> list[float] | None:
    while isinstance(coordinates, list) and coordinates and isinstance(coordinates[0], list):
        coordinates = coordinates[0]
    return coordinates if isinstance(coordinates, list) and len(coordinates) >= 2 else None


def _to_rd(coordinates: Coordinates) -> Coordinates:
    if coordinates and not isinstance(coordinates[0], list):
        x, y = wgs84_to_rd(float(coordinates[0]), float(coordinates[1]))
        return [round(x, 2), round(y, 2)]
    return [_to_rd(part) for part in coordinates]


def _ring_area(ring: Coordinates) -> float:
    """The shoelace formula: the (absolute) area of a ring, to pick a neighbourhood's largest part."""
    total = 0.0
    for index in range(len(ring)):
        (x1, y1), (x2, y2) = ring[index - 1][:2], ring[index][:2]
        total += x1 * y2 - x2 * y1
    return abs(total) / 2


def _outline(geometry: dict[str, Any], *, in_rd: bool) -> dict[str, Any]:
    """A Polygon in RD New. A MultiPolygon keeps its largest part: the maps and the centre of a
    neighbourhood read one outline (a buurt's extra parts are small islands and slivers)."""
    kind, coordinates = geometry.get("type"), geometry.get("coordinates")
    if kind not in ("Polygon", "MultiPolygon") or not isinstance(coordinates, list) or not coordinates:
        return {"type": kind}
    if not in_rd:
        coordinates = _to_rd(coordinates)
    if kind == "MultiPolygon":
        coordinates = max(coordinates, key=lambda polygon: _ring_area(polygon[0]))
    return {"type": "Polygon", "coordinates": coordinates}


def _properties(feature: dict[str, Any]) -> dict[str, str]:
    return {str(key).lower(): str(value or "").strip() for key, value in (feature.get("properties") or {}).items()}


def _pick(properties: dict[str, str], *names: str) -> str:
    for name in names:
        if properties.get(name):
            return properties[name]
    return ""


def geography_import(
    *,
    by: User | None,
    organisation: Organisation,
    collections: list[dict[str, Any]],
    file_name: str,
    dry_run: bool = False,
) -> Report:
    """Create or update the municipality's districts (wijken) and neighbourhoods (buurten) with their outlines."""
    report = Report("geography", file_name, dry_run)
    if not organisation.municipality_code:
        report.problems.append(RowProblem(0, "gemeentecode", "de organisatie heeft geen gemeentecode"))
        return report
    municipality = organisation.municipality_code
    district_names: dict[str, str] = {}
    buurten: list[tuple[int, dict[str, str], dict[str, Any]]] = []
    municipality_name = ""
    for collection in collections:
        in_rd = _in_rd(collection)
        for number, feature in enumerate(collection.get("features") or [], start=1):
            properties = _properties(feature)
            if _pick(properties, "gemeentecode", "gm_code") != municipality:
                continue
            municipality_name = municipality_name or _pick(properties, "gemeentenaam", "gm_naam")
            geometry = _outline(feature.get("geometry") or {}, in_rd=in_rd)
            if _pick(properties, "buurtcode", "bu_code"):
                buurten.append((number, properties, geometry))
            elif code := _pick(properties, "wijkcode", "wk_code"):
                district_names[code] = _pick(properties, "wijknaam", "wk_naam") or code
    if not buurten:
        report.problems.append(RowProblem(0, "gemeentecode", f"het bestand heeft geen buurten van {municipality}"))
        report_audit(report, organisation=organisation, by=by)
        return report
    with transaction.atomic():
        _save(organisation, buurten, district_names, report)
        if municipality_name and organisation.city in ("", municipality):
            organisation.city = municipality_name
            organisation.save(update_fields=["city"])
        if dry_run:
            transaction.set_rollback(True)
    report_audit(report, organisation=organisation, by=by)
    return report


def _save(
    organisation: Organisation,
    buurten: list[tuple[int, dict[str, str], dict[str, Any]]],
    district_names: dict[str, str],
    report: Report,
) -> None:
    districts = {d.code: d for d in District.objects.filter(organisation=organisation)}
    existing = {n.code: n for n in Neighbourhood.objects.filter(organisation=organisation)}
    for number, properties, geometry in buurten:
        report.rows += 1
        code = _pick(properties, "buurtcode", "bu_code")
        name = _pick(properties, "buurtnaam", "bu_naam") or code
        district_code = _pick(properties, "wijkcode", "wk_code")
        if not (code.startswith("BU") and district_code.startswith("WK")):
            report.problems.append(
                RowProblem(number, "buurtcode", f"buurtcode {code} of wijkcode {district_code} is onjuist")
            )
            continue
        if geometry.get("type") != "Polygon":
            report.problems.append(RowProblem(number, "geometry", f"buurt {code} heeft geen vlak als omtrek"))
            continue
        district = districts.get(district_code)
        if district is None:
            district = District.objects.create(
                organisation=organisation,
                code=district_code,
                name=district_names.get(district_code, district_code)[:100],
            )
            districts[district_code] = district
        elif district_code in district_names and district.name != district_names[district_code][:100]:
            district.name = district_names[district_code][:100]
            district.save(update_fields=["name"])
        neighbourhood = existing.get(code)
        if neighbourhood is None:
            Neighbourhood.objects.create(
                organisation=organisation,
                district=district,
                code=code,
                name=name[:100],
                affluence=Affluence.MIDDLE,
                boundary=geometry,
            )
            report.created += 1
        elif (neighbourhood.name, neighbourhood.district_id, neighbourhood.boundary) != (
            name[:100],
            district.pk,
            geometry,
        ):
            neighbourhood.name, neighbourhood.district, neighbourhood.boundary = name[:100], district, geometry
            neighbourhood.save(update_fields=["name", "district", "boundary"])
            report.updated += 1
        else:
            report.unchanged += 1
