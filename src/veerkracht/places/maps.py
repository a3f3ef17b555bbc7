"""The maps of the public place pages: neighbourhood outlines and place markers, ready for the SVG template."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.urls import reverse

from veerkracht.core.models import Neighbourhood
from veerkracht.places import mapdraw
from veerkracht.places.models import Place

SIZE = 1000.0  # the longer side of the viewBox, in SVG units
LABEL_LARGEST = 38.0
LABEL_SMALLEST = 14.0
MARKER_LARGEST = 16.0  # marker radius on a map with few places
MARKER_SMALLEST = 7.0
MARKERS_ROOMY = 30  # up to this many markers keep the largest size
NEARBY_RADIUS_M = 300.0  # the map on a place's page shows this far to the left and right of it
NEARBY_RATIO = 0.75  # and is a little wider than high


@dataclass(frozen=True)
class Area:
    name: str
    path: str
    label_x: str
    label_y: str
    label_size: str | None  # None: too small for its name


@dataclass(frozen=True)
class Marker:
    name: str
    url: str
    x: str
    y: str
    radius: str
    current: bool = False


@dataclass(frozen=True)
class Drawing:
    view_box: str
    areas: list[Area]
    markers: list[Marker]


@dataclass(frozen=True)
class Spot:
    """A place to mark on a map: what it is called and where it is (metres)."""

    id: int
    name: str
    x: float
    y: float


@dataclass(frozen=True)
class Outline:
    name: str
    rings: list[mapdraw.Ring]


def outlines(neighbourhoods: Iterable[Neighbourhood]) -> list[Outline]:
    """The neighbourhoods that have a usable boundary."""
    found = []
    for neighbourhood in neighbourhoods:
        rings = mapdraw.rings(neighbourhood.boundary)
        if rings:
            found.append(Outline(neighbourhood.name, rings))
    return found


def _area(frame: mapdraw.Frame, outline: Outline) -> Area:
    """The outline as a path, with its name along the top of the part in sight (clear of the
    markers, which tend to sit in the middle), sized to fit or left out."""
    outer = outline.rings[0]
    path = frame.path(outline.rings)
    outline_bounds = mapdraw.Bounds.around(outer)
    visible = None if outline_bounds is None else outline_bounds.intersection(frame.bounds)
    size = None
    if visible is not None:
        size = frame.label_size(visible.corners(), outline.name, largest=LABEL_LARGEST, smallest=LABEL_SMALLEST)
    if visible is None or size is None or visible.height * frame.scale < 2 * size:
        return Area(outline.name, path, "0", "0", None)
    label_x, top = frame.project((visible.centre[0], visible.max_y))
    return Area(
        name=outline.name,
        path=path,
        label_x=mapdraw.number(label_x),
        label_y=mapdraw.number(top + 0.9 * size),
        label_size=mapdraw.number(size),
    )


def _radius(count: int) -> float:
    return mapdraw.marker_radius(count, largest=MARKER_LARGEST, smallest=MARKER_SMALLEST, roomy=MARKERS_ROOMY)


def _marker(frame: mapdraw.Frame, spot: Spot, radius: float, *, current: bool = False) -> Marker:
    x, y = frame.project((spot.x, spot.y))
    return Marker(
        name=spot.name,
        url=reverse("places:detail", kwargs={"place_id": spot.id}),
        x=mapdraw.number(x),
        y=mapdraw.number(y),
        radius=mapdraw.number(radius),
        current=current,
    )


def _visible(frame: mapdraw.Frame, outline: Outline) -> bool:
    bounds = mapdraw.Bounds.around(point for ring in outline.rings for point in ring)
    return bounds is not None and frame.bounds.intersects(bounds)


def overview(spots: list[Spot], neighbourhoods: list[Outline]) -> Drawing | None:
    """All places and the neighbourhoods around them, fitted to the viewBox; ``None`` with nothing to draw."""
    corners = [point for outline in neighbourhoods for ring in outline.rings for point in ring]
    frame = mapdraw.fit([*corners, *((spot.x, spot.y) for spot in spots)], size=SIZE)
    if frame is None:
        return None
    return Drawing(
        view_box=frame.view_box,
        areas=[_area(frame, outline) for outline in neighbourhoods],
        markers=[_marker(frame, spot, _radius(len(spots))) for spot in spots],
    )


def nearby_bounds(place: Place) -> mapdraw.Bounds | None:
    """The stretch of the world the map on a place's page shows."""
    if place.x is None or place.y is None:
        return None
    return mapdraw.around((place.x, place.y), NEARBY_RADIUS_M, size=SIZE, ratio=NEARBY_RATIO).bounds


def surroundings(place: Place, neighbours: list[Spot], neighbourhoods: list[Outline]) -> Drawing | None:
    """A small map centred on the place, with the neighbourhoods and other places in sight."""
    if place.x is None or place.y is None:
        return None
    frame = mapdraw.around((place.x, place.y), NEARBY_RADIUS_M, size=SIZE, ratio=NEARBY_RATIO)
    # Other places nearby, whole markers only (none cut off at the edge).
    others = [
        spot for spot in neighbours if spot.id != place.pk and frame.shows((spot.x, spot.y), padding=MARKER_LARGEST)
    ]
    radius = _radius(len(others) + 1)
    return Drawing(
        view_box=frame.view_box,
        areas=[_area(frame, outline) for outline in neighbourhoods if _visible(frame, outline)],
        markers=[
            *(_marker(frame, spot, radius) for spot in others),
            _marker(frame, Spot(place.pk, place.name, place.x, place.y), 1.5 * MARKER_LARGEST, current=True),
        ],
    )


@dataclass(frozen=True)
class HomeMap:
    """A resident's home in the outline of their neighbourhood."""

    view_box: str
    area: str
    marker: Marker | None  # None: the address has no real position yet


def home(neighbourhood: Neighbourhood, position: mapdraw.Point | None) -> HomeMap | None:
    """The neighbourhood's outline with the home marked, fitted to the viewBox; ``None`` with nothing to draw."""
    rings = mapdraw.rings(neighbourhood.boundary)
    points = [point for ring in rings for point in ring] + ([position] if position is not None else [])
    frame = mapdraw.fit(points, size=SIZE)
    if frame is None:
        return None
    marker = None
    if position is not None:
        x, y = frame.project(position)
        marker = Marker("", "", mapdraw.number(x), mapdraw.number(y), mapdraw.number(MARKER_LARGEST), current=True)
    return HomeMap(view_box=frame.view_box, area=frame.path(rings), marker=marker)
