"""Plane geometry on RD New (EPSG:28992) metres: which outline holds a point."""

from collections.abc import Sequence

Ring = Sequence[Sequence[float]]


def ring_contains(ring: Ring, x: float, y: float) -> bool:
    """Ray casting (even-odd rule): whether the point lies inside the closed ring."""
    inside = False
    count = len(ring)
    for index in range(count):
        x1, y1 = ring[index][0], ring[index][1]
        x2, y2 = ring[index - 1][0], ring[index - 1][1]
        if (y1 > y) != (y2 > y) and x < (x2 - x1) * (y - y1) / (y2 - y1) + x1:
            inside = not inside
    return inside


def polygon_contains(polygon: Sequence[Ring], x: float, y: float) -> bool:
    """Inside the outer ring and outside every hole (a GeoJSON Polygon's coordinates)."""
    if not polygon or not ring_contains(polygon[0], x, y):
        return False
    return not any(ring_contains(hole, x, y) for hole in polygon[1:])


def geojson_contains(geometry: dict[str, object], x: float, y: float) -> bool:
    """Whether a GeoJSON Polygon or MultiPolygon (in the same coordinates as the point) holds the point."""
    kind, coordinates = geometry.get("type"), geometry.get("coordinates")
    if not isinstance(coordinates, list):
        return False
    if kind == "Polygon":
        return polygon_contains(coordinates, x, y)
    if kind == "MultiPolygon":
        return any(polygon_contains(polygon, x, y) for polygon in coordinates)
    return False
