"""The round's map on screen and on the A4 print-out: the neighbourhood drawn light with a dark outline,
every route and door inside the picture, and routes told apart without colour (issue 23)."""

import re
import xml.etree.ElementTree as ET

import pytest
from django.test import Client

from tests.conftest import Cast
from tests.outreach.conftest import X, Y, walker
from veerkracht.outreach.models import RoundStop

pytestmark = pytest.mark.django_db
SVG = "{http://www.w3.org/2000/svg}"
# The neighbourhood: a square of 600 m with the community centre and the doors inside, near its west edge.
RING = [[X - 100, Y - 300], [X + 500, Y - 300], [X + 500, Y + 300], [X - 100, Y + 300], [X - 100, Y - 300]]


def _map(html: str) -> ET.Element:
    found = re.search(r'<svg class="vk-map__svg vk-round-map__svg".*?</svg>', html, re.S)
    assert found is not None, "no map on the page"
    return ET.fromstring(found.group(0))  # noqa: S314 - our own page, drawn by the test


def _luminance(colour: str) -> float:
    assert re.fullmatch(r"#[0-9a-f]{6}", colour), colour
    red, green, blue = (int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def _numbers(text: str) -> list[float]:
    return [float(number) for number in re.findall(r"-?\d+(?:\.\d+)?", text)]


def _assert_everything_in_view(svg: ET.Element) -> None:
    left, top, width, height = _numbers(svg.attrib["viewBox"])
    assert (left, top) == (0, 0)

    def inside(x: float, y: float, reach: float = 0.0) -> bool:
        return reach <= x + 1e-6 and x <= width - reach + 1e-6 and reach <= y + 1e-6 and y <= height - reach + 1e-6

    area = svg.find(f"{SVG}path")
    assert area is not None
    outline = _numbers(area.attrib["d"])
    assert all(inside(x, y) for x, y in zip(outline[::2], outline[1::2], strict=True))
    lines = svg.findall(f".//{SVG}polyline")
    assert lines
    for line in lines:
        points = _numbers(line.attrib["points"])
        assert all(inside(x, y) for x, y in zip(points[::2], points[1::2], strict=True))
    doors = svg.findall(f".//{SVG}circle")
    assert doors
    for door in doors:
        assert inside(float(door.attrib["cx"]), float(door.attrib["cy"]), float(door.attrib["r"]))
    for start in svg.findall(f".//{SVG}rect[@class='vk-route__start']"):
        x, y, size = float(start.attrib["x"]), float(start.attrib["y"]), float(start.attrib["width"])
        assert inside(x, y)
        assert inside(x + size, y + size)


@pytest.mark.parametrize("page", ["", "afdrukken/"])
def test_the_map_shows_a_light_neighbourhood_and_every_route_and_door_in_view(
    cast: Cast, centre, door, start_round, client: Client, page: str
):
    cast.north.boundary = {"type": "Polygon", "coordinates": [RING]}
    cast.north.save(update_fields=["boundary"])
    for dx in (60, 140, 260, 380):
        door(dx=dx)
    round_ = start_round(walkers=[walker(cast.professional, centre), walker(cast.coordinator, centre)])
    assert RoundStop.objects.filter(round=round_).count() >= 4  # and the cast's own resident in the north
    client.force_login(cast.coordinator)
    svg = _map(client.get(f"/rondes/{round_.pk}/{page}").content.decode())

    _assert_everything_in_view(svg)
    area = svg.find(f"{SVG}path")
    assert area is not None
    assert _luminance(area.attrib["fill"]) > 0.85  # not a black square: light, even without a stylesheet
    assert _luminance(area.attrib["stroke"]) < 0.2  # with a dark outline that prints
    for line in svg.findall(f".//{SVG}polyline"):
        assert line.attrib["fill"] == "none"  # a route is a line, never a filled shape
    dashes = [line.attrib["stroke-dasharray"] for line in svg.findall(f".//{SVG}polyline")]
    assert len(set(dashes)) == len(dashes)  # each route its own pattern: readable in black and white


def test_without_an_outline_the_routes_still_fit(cast: Cast, centre, door, start_round, client: Client):
    door(dx=5000)  # far outside any neighbourhood drawing: the frame follows the doors
    round_ = start_round(walkers=[walker(cast.professional, centre, "08:00", "16:00")])
    client.force_login(cast.coordinator)
    _assert_everything_in_view(_map(client.get(f"/rondes/{round_.pk}/").content.decode()))
