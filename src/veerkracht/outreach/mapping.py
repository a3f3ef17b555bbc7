"""The map of a round: the neighbourhood's outline, each walker's route and numbered doors, as SVG data.

Drawn with the places app's projection (``places.mapdraw``), so it needs no tile server.
"""

from dataclasses import dataclass

from veerkracht.core.models import Neighbourhood
from veerkracht.outreach.models import RoundStop, RoundWalker
from veerkracht.places import mapdraw

SIZE = 1000.0
PALETTE = 6  # route colours in outreach.css; more walkers reuse them
# A line pattern per route, so the routes are told apart on a black-and-white print-out too (screen pixels:
# the lines keep their width whatever the map's scale).
DASHES = ("none", "10 5", "2 4", "12 4 2 4", "18 6", "5 5")
DOT_LARGEST, DOT_SMALLEST, DOTS_ROOMY = 14.0, 7.0, 40


@dataclass(frozen=True)
class Dot:
    x: str
    y: str
    label: str
    done: bool


@dataclass(frozen=True)
class Route:
    colour: int
    dash: str  # the SVG stroke-dasharray of its line
    name: str
    start_x: str
    start_y: str
    start_corner: tuple[str, str]  # the start drawn as a square (doors are round), centred on the start
    points: str  # an SVG polyline: start, the doors in order, back to the start
    dots: list[Dot]


@dataclass(frozen=True)
class RoundMap:
    view_box: str
    area: str
    routes: list[Route]
    radius: str
    start_radius: str
    start_size: str
    font_size: str


def _xy(frame: mapdraw.Frame, point: tuple[float, float]) -> tuple[str, str]:
    x, y = frame.project(point)
    return mapdraw.number(x), mapdraw.number(y)


def _route(
    frame: mapdraw.Frame, index: int, walker: RoundWalker, stops: list[RoundStop], *, start_radius: float
) -> Route:
    start = _xy(frame, (walker.x, walker.y))
    start_x, start_y = frame.project((walker.x, walker.y))
    dots = []
    for stop in stops:
        x, y = _xy(frame, (stop.x, stop.y))
        dots.append(Dot(x, y, str(stop.position), hasattr(stop, "visit")))
    path = [start, *((dot.x, dot.y) for dot in dots), start]
    return Route(
        colour=index % PALETTE,
        dash=DASHES[index % PALETTE],
        name=walker.worker.display_name,
        start_x=start[0],
        start_y=start[1],
        start_corner=(mapdraw.number(start_x - start_radius), mapdraw.number(start_y - start_radius)),
        points=" ".join(f"{x},{y}" for x, y in path),
        dots=dots,
    )


def round_map(
    neighbourhood: Neighbourhood, walkers: list[RoundWalker], stops: dict[int, list[RoundStop]]
) -> RoundMap | None:
    """The map of the walkers' routes in their neighbourhood; ``None`` when there is nothing to draw."""
    rings = mapdraw.rings(neighbourhood.boundary)
    points = [point for ring in rings for point in ring]
    points += [(w.x, w.y) for w in walkers] + [(s.x, s.y) for w in walkers for s in stops.get(w.pk, [])]
    frame = mapdraw.fit(points, size=SIZE)
    if frame is None:
        return None
    count = sum(len(stops.get(w.pk, [])) for w in walkers)
    radius = mapdraw.marker_radius(count, largest=DOT_LARGEST, smallest=DOT_SMALLEST, roomy=DOTS_ROOMY)
    start_radius = radius * 0.7
    return RoundMap(
        view_box=frame.view_box,
        area=frame.path(rings),
        routes=[_route(frame, i, w, stops.get(w.pk, []), start_radius=start_radius) for i, w in enumerate(walkers)],
        radius=mapdraw.number(radius),
        start_radius=mapdraw.number(start_radius),
        start_size=mapdraw.number(start_radius * 2),
        font_size=mapdraw.number(radius * 1.1),
    )
