"""The maps of the public place pages: neighbourhood outlines and place markers, ready for the SVG template."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.urls import reverse

from veerkracht.core.models import Neighbourhood
from veerkracht.places import mapdraw
from veerkracht.places.models import Place

SIZE = 1000.0  # the longer side of the viewBox, in SVG units
LABEL_LARGEST = 30.0
LABEL_SMALLEST = 11.0
MARKER_RADIUS = 13.0
NEARBY_RADIUS_M = 300.0  # the map on a place's page shows this far around it


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
    outer = outline.rings[0]
    centre = mapdraw.centroid(outer)
    room: list[mapdraw.Point] = outer
    # A neighbourhood partly out of sight gets its name in (and sized to) the part that shows.
    outline_bounds = mapdraw.Bounds.around(outer)
    visible = None if outline_bounds is None else outline_bounds.intersection(frame.bounds)
    if visible is not None:
        room = visible.corners()
        if not frame.bounds.contains(centre):
            centre = visible.centre
    label_x, label_y = frame.project(centre)
    size = frame.label_size(room, outline.name, largest=LABEL_LARGEST, smallest=LABEL_SMALLEST)
    return Area(
        name=outline.name,
        path=frame.path(outline.rings),
        label_x=mapdraw.number(label_x),
        label_y=mapdraw.number(label_y),
        label_size=None if size is None else mapdraw.number(size),
    )


def _marker(frame: mapdraw.Frame, spot: Spot, *, current: bool = False) -> Marker:
    x, y = frame.project((spot.x, spot.y))
    radius = MARKER_RADIUS * (1.5 if current else 1.0)
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
        markers=[_marker(frame, spot) for spot in spots],
    )


def nearby_bounds(place: Place) -> mapdraw.Bounds | None:
    """The stretch of the world the map on a place's page shows."""
    if place.x is None or place.y is None:
        return None
    return mapdraw.around((place.x, place.y), NEARBY_RADIUS_M, size=SIZE).bounds


def surroundings(place: Place, neighbours: list[Spot], neighbourhoods: list[Outline]) -> Drawing | None:
    """A small map centred on the place, with the neighbourhoods and other places in sight."""
    if place.x is None or place.y is None:
        return None
    frame = mapdraw.around((place.x, place.y), NEARBY_RADIUS_M, size=SIZE)
    others = [spot for spot in neighbours if spot.id != place.pk and frame.bounds.contains((spot.x, spot.y))]
    return Drawing(
        view_box=frame.view_box,
        areas=[_area(frame, outline) for outline in neighbourhoods if _visible(frame, outline)],
        markers=[
            *(_marker(frame, spot) for spot in others),
            _marker(frame, Spot(place.pk, place.name, place.x, place.y), current=True),
        ],
    )
