"""The map of a round: the neighbourhood's outline, each walker's route and numbered doors, as SVG data.

Drawn with the places app's projection (``places.mapdraw``), so it needs no tile server.
"""

from dataclasses import dataclass

from veerkracht.core.models import Neighbourhood
from veerkracht.outreach.models import RoundStop, RoundWalker
from veerkracht.places import mapdraw

SIZE = 1000.0
PALETTE = 6  # route colours in outreach.css; more walkers reuse them
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
    name: str
    start_x: str
    start_y: str
    points: str  # an SVG polyline: start, the doors in order, back to the start
    dots: list[Dot]


@dataclass(frozen=True)
class RoundMap:
    view_box: str
    area: str
    routes: list[Route]
    radius: str
    start_radius: str
    font_size: str


def _xy(frame: mapdraw.Frame, point: tuple[float, float]) -> tuple[str, str]:
    x, y = frame.project(point)
    return mapdraw.number(x), mapdraw.number(y)


def _route(frame: mapdraw.Frame, index: int, walker: RoundWalker, stops: list[RoundStop]) -> Route:
    start = _xy(frame, (walker.x, walker.y))
    dots = []
    for stop in stops:
        x, y = _xy(frame, (stop.x, stop.y))
        dots.append(Dot(x, y, str(stop.position), hasattr(stop, "visit")))
    path = [start, *((dot.x, dot.y) for dot in dots), start]
    return Route(
        colour=index % PALETTE,
        name=walker.worker.display_name,
        start_x=start[0],
        start_y=start[1],
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
    return RoundMap(
        view_box=frame.view_box,
        area=frame.path(rings),
        routes=[_route(frame, i, w, stops.get(w.pk, [])) for i, w in enumerate(walkers)],
        radius=mapdraw.number(radius),
        start_radius=mapdraw.number(radius * 0.6),
        font_size=mapdraw.number(radius * 1.1),
    )
