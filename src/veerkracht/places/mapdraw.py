"""Geometry for maps drawn as inline SVG, without a tile server: plain data in, plain data out.

Coordinates are local metres on an RD-like grid: x grows east, y grows north. SVG's y grows
down, so the projection flips it. One scale serves both axes, so a square neighbourhood stays
square on the map. This module knows nothing of Django; the views turn its output into SVG.
"""

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

Point = tuple[float, float]
Ring = list[Point]

# Average glyph width in em, to guess how wide a label is without measuring text.
GLYPH_WIDTH_EM = 0.6


@dataclass(frozen=True, slots=True)
class Bounds:
    """An axis-aligned rectangle in metres."""

    min_x: float
    min_y: float
    max_x: float
    max_y: float

    @classmethod
    def around(cls, points: Iterable[Point]) -> "Bounds | None":
        """The smallest rectangle holding every point; ``None`` for no points."""
        xs: list[float] = []
        ys: list[float] = []
        for x, y in points:
            xs.append(x)
            ys.append(y)
        if not xs:
            return None
        return cls(min(xs), min(ys), max(xs), max(ys))

    @property
    def width(self) -> float:
        return self.max_x - self.min_x

    @property
    def height(self) -> float:
        return self.max_y - self.min_y

    @property
    def centre(self) -> Point:
        return ((self.min_x + self.max_x) / 2, (self.min_y + self.max_y) / 2)

    def intersects(self, other: "Bounds") -> bool:
        return not (
            other.max_x < self.min_x or other.min_x > self.max_x or other.max_y < self.min_y or other.min_y > self.max_y
        )

    def intersection(self, other: "Bounds") -> "Bounds | None":
        if not self.intersects(other):
            return None
        return Bounds(
            max(self.min_x, other.min_x),
            max(self.min_y, other.min_y),
            min(self.max_x, other.max_x),
            min(self.max_y, other.max_y),
        )

    def corners(self) -> Ring:
        return [(self.min_x, self.min_y), (self.max_x, self.min_y), (self.max_x, self.max_y), (self.min_x, self.max_y)]


@dataclass(frozen=True, slots=True)
class Frame:
    """The area of the world a map shows (``bounds``, metres) and the SVG viewBox it maps onto."""

    bounds: Bounds
    width: float  # viewBox width in SVG user units
    height: float  # viewBox height

    @property
    def scale(self) -> float:
        """SVG units per metre, the same along both axes."""
        return self.width / self.bounds.width

    @property
    def view_box(self) -> str:
        return f"0 0 {number(self.width)} {number(self.height)}"

    def project(self, point: Point) -> Point:
        """A point in metres as SVG coordinates: x to the right, y flipped to grow downwards."""
        x, y = point
        return ((x - self.bounds.min_x) * self.scale, (self.bounds.max_y - y) * self.scale)

    def shows(self, point: Point, *, padding: float = 0.0) -> bool:
        """Whether the point lands in the viewBox at least ``padding`` units from its edges."""
        x, y = self.project(point)
        return padding <= x <= self.width - padding and padding <= y <= self.height - padding

    def path(self, rings: Iterable[Sequence[Point]]) -> str:
        """An SVG path (``d``) of closed rings; holes cut out with ``fill-rule: evenodd``."""
        parts = []
        for ring in rings:
            if len(ring) < 3:
                continue
            projected = [self.project(point) for point in ring]
            if projected[0] == projected[-1]:
                projected.pop()
            commands = "L".join(f"{number(x)} {number(y)}" for x, y in projected)
            parts.append(f"M{commands}Z")
        return "".join(parts)

    def label_size(self, ring: Sequence[Point], text: str, *, largest: float, smallest: float) -> float | None:
        """A font size (SVG units) at which ``text`` fits across the ring, at most ``largest``;
        ``None`` when it would have to be smaller than ``smallest``."""
        outline = Bounds.around(ring)
        if outline is None or not text:
            return None
        room = 0.9 * outline.width * self.scale
        size = min(largest, room / (GLYPH_WIDTH_EM * len(text)))
        return round(size, 1) if size >= smallest else None


def fit(
    points: Iterable[Point],
    *,
    size: float = 1000.0,
    margin: float = 0.04,
    min_span: float = 100.0,
    min_ratio: float = 0.5,
    max_ratio: float = 1.25,
) -> Frame | None:
    """A frame showing every point, with ``margin`` (a fraction of the larger side) around it.

    The longer side of the viewBox is ``size`` units. Very flat or very tall data is padded to a
    height/width ratio between ``min_ratio`` and ``max_ratio`` (so a map stays readable on a phone),
    and a single point gets at least ``min_span`` metres around it. ``None`` when there are no points.
    """
    if not (size > 0 and margin >= 0 and min_span > 0 and 0 < min_ratio <= max_ratio):
        raise ValueError("a map needs a positive size and span, a margin of zero or more and a valid ratio range")
    data = Bounds.around(points)
    if data is None:
        return None
    span_x = max(data.width, min_span)
    span_y = max(data.height, min_span)
    edge = margin * max(span_x, span_y)
    span_x += 2 * edge
    span_y += 2 * edge
    if span_y / span_x > max_ratio:
        span_x = span_y / max_ratio
    elif span_y / span_x < min_ratio:
        span_y = span_x * min_ratio
    centre_x, centre_y = data.centre
    bounds = Bounds(centre_x - span_x / 2, centre_y - span_y / 2, centre_x + span_x / 2, centre_y + span_y / 2)
    if span_x >= span_y:
        return Frame(bounds, size, size * span_y / span_x)
    return Frame(bounds, size * span_x / span_y, size)


def around(point: Point, radius: float, *, size: float = 1000.0, ratio: float = 1.0) -> Frame:
    """A frame centred on one point, ``radius`` metres to the left and right and ``ratio`` times
    that above and below."""
    if not (radius > 0 and size > 0 and ratio > 0):
        raise ValueError("a map around a point needs a positive radius, size and ratio")
    x, y = point
    half_height = radius * ratio
    return Frame(Bounds(x - radius, y - half_height, x + radius, y + half_height), size, size * ratio)


def marker_radius(count: int, *, largest: float, smallest: float, roomy: int) -> float:
    """Markers shrink as a map fills up: ``largest`` for up to ``roomy`` of them, then smaller
    (keeping the inked area about constant), never below ``smallest``."""
    if count <= roomy:
        return largest
    return max(smallest, largest * math.sqrt(roomy / count))


def rings(geometry: object) -> list[Ring]:
    """The rings of a GeoJSON Polygon or MultiPolygon; nothing for anything else or broken data."""
    if not isinstance(geometry, dict):
        return []
    kind, coordinates = geometry.get("type"), geometry.get("coordinates")
    if not isinstance(coordinates, list):
        return []
    if kind == "Polygon":
        polygons = [coordinates]
    elif kind == "MultiPolygon":
        polygons = coordinates
    else:
        return []
    found: list[Ring] = []
    for polygon in polygons:
        if not isinstance(polygon, list):
            return []
        for ring in polygon:
            parsed = _ring(ring)
            if parsed is None:
                return []
            found.append(parsed)
    return found


def _ring(value: object) -> Ring | None:
    if not isinstance(value, list):
        return None
    ring: Ring = []
    for position in value:
        if not (isinstance(position, list | tuple) and len(position) >= 2):
            return None
        x, y = position[0], position[1]
        if (
            isinstance(x, bool)
            or isinstance(y, bool)
            or not isinstance(x, int | float)
            or not isinstance(y, int | float)
        ):
            return None
        if not (math.isfinite(x) and math.isfinite(y)):
            return None
        ring.append((float(x), float(y)))
    return ring


def number(value: float) -> str:
    """A coordinate for SVG: one decimal, no trailing zeros, no ``-0``."""
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text
