"""The pure geometry of the SVG maps: fitting metres to a viewBox, flipping y, outlining polygons."""

import math
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from veerkracht.places import mapdraw
from veerkracht.places.mapdraw import Bounds, Frame, around, fit, number, rings

# Metres on an RD-like grid: the Netherlands lies within x 0-300 km, y 300-625 km.
coordinate_x = st.floats(min_value=0, max_value=300_000, allow_nan=False, allow_infinity=False)
coordinate_y = st.floats(min_value=300_000, max_value=625_000, allow_nan=False, allow_infinity=False)
points = st.lists(st.tuples(coordinate_x, coordinate_y), min_size=1, max_size=40)
TOLERANCE = 1e-6


def _inside(frame: Frame, point: mapdraw.Point) -> bool:
    x, y = frame.project(point)
    return -TOLERANCE <= x <= frame.width + TOLERANCE and -TOLERANCE <= y <= frame.height + TOLERANCE


@given(points)
def test_every_point_lands_inside_the_view_box(data):
    frame = fit(data)
    assert frame is not None
    assert all(_inside(frame, point) for point in data)


@given(points, st.floats(min_value=0.0, max_value=0.2))
def test_the_margin_keeps_points_off_the_edge(data, margin):
    frame = fit(data, margin=margin)
    assert frame is not None
    edge = margin * max(frame.width, frame.height) / (1 + 2 * margin) - TOLERANCE
    for point in data:
        x, y = frame.project(point)
        assert min(x, y, frame.width - x, frame.height - y) >= edge * 0.999


@given(points)
def test_north_is_up(data):
    frame = fit(data)
    assert frame is not None
    (x, y) = data[0]
    _, south = frame.project((x, y))
    _, north = frame.project((x, y + 10))
    assert north < south
    # The northernmost point is nearest the top of the SVG.
    top = min(data, key=lambda point: frame.project(point)[1])
    assert math.isclose(top[1], max(point[1] for point in data), abs_tol=TOLERANCE)


@given(points)
def test_one_scale_for_both_axes(data):
    frame = fit(data)
    assert frame is not None
    origin = frame.project((0, 0))
    east = frame.project((100, 0))
    north = frame.project((0, 100))
    assert math.isclose(east[0] - origin[0], origin[1] - north[1], rel_tol=1e-9)
    # The viewBox has the proportions of the area shown.
    assert math.isclose(frame.width / frame.height, frame.bounds.width / frame.bounds.height, rel_tol=1e-9)


@given(points, st.floats(min_value=10, max_value=5000))
def test_the_longer_side_has_the_requested_size(data, size):
    frame = fit(data, size=size)
    assert frame is not None
    assert math.isclose(max(frame.width, frame.height), size, rel_tol=1e-9)


@given(points)
def test_the_shape_stays_readable_on_a_phone(data):
    frame = fit(data, min_ratio=0.5, max_ratio=1.25)
    assert frame is not None
    assert 0.5 - 1e-9 <= frame.height / frame.width <= 1.25 + 1e-9


def test_a_square_stays_square_and_upright():
    frame = fit([(0, 0), (100, 100)], margin=0, size=200)
    assert frame == Frame(Bounds(0, 0, 100, 100), 200, 200)
    assert frame.project((0, 0)) == (0, 200)  # south-west: bottom left
    assert frame.project((100, 100)) == (200, 0)  # north-east: top right
    assert frame.view_box == "0 0 200 200"


def test_a_wide_strip_is_padded_not_stretched():
    frame = fit([(0, 0), (1000, 0)], margin=0, min_span=1, min_ratio=0.5)
    assert frame is not None
    assert (frame.width, frame.height) == (1000, 500)
    assert frame.project((0, 0)) == (0, 250)


def test_a_single_point_gets_room_around_it():
    frame = fit([(120_000, 480_000)], min_span=200, margin=0)
    assert frame is not None
    assert frame.bounds == Bounds(119_900, 479_900, 120_100, 480_100)
    assert frame.project((120_000, 480_000)) == (500, 500)


def test_nothing_to_draw():
    assert fit([]) is None


@pytest.mark.parametrize("options", [{"size": 0}, {"margin": -0.1}, {"min_span": 0}, {"min_ratio": 2, "max_ratio": 1}])
def test_impossible_frames_are_refused(options):
    with pytest.raises(ValueError, match="map"):
        fit([(0, 0)], **options)


def test_around_a_point():
    frame = around((120_000, 480_000), 300, size=600)
    assert frame.bounds == Bounds(119_700, 479_700, 120_300, 480_300)
    assert frame.project((120_000, 480_000)) == (300, 300)
    wide = around((0, 0), 400, size=800, ratio=0.5)
    assert (wide.width, wide.height) == (800, 400)
    assert wide.bounds == Bounds(-400, -200, 400, 200)
    assert wide.project((0, 200)) == (400, 0)
    with pytest.raises(ValueError, match="radius"):
        around((0, 0), 0)


def test_a_polygon_path_is_flipped_and_closed():
    frame = fit([(0, 0), (100, 100)], margin=0, size=100)
    assert frame is not None
    square = [(0, 0), (100, 0), (100, 100), (0, 100), (0, 0)]
    assert frame.path([square]) == "M0 100L100 100L100 0L0 0Z"
    hole = [(25, 25), (75, 25), (75, 75), (25, 25)]
    assert frame.path([square, hole]) == "M0 100L100 100L100 0L0 0ZM25 75L75 75L75 25Z"
    assert frame.path([[(0, 0), (1, 1)]]) == ""  # not a ring


@given(st.lists(st.tuples(coordinate_x, coordinate_y), min_size=3, max_size=12))
def test_every_corner_of_a_path_lies_in_the_view_box(ring):
    frame = fit(ring)
    assert frame is not None
    numbers = [float(value) for value in re.split(r"[MLZ ]+", frame.path([ring])) if value]
    assert all(-0.05 <= value <= max(frame.width, frame.height) + 0.05 for value in numbers)


def test_geojson_rings():
    polygon = {"type": "Polygon", "coordinates": [[[0, 0], [10, 0], [10, 10], [0, 0]]]}
    assert rings(polygon) == [[(0.0, 0.0), (10.0, 0.0), (10.0, 10.0), (0.0, 0.0)]]
    multi = {"type": "MultiPolygon", "coordinates": [polygon["coordinates"], polygon["coordinates"]]}
    assert len(rings(multi)) == 2


@pytest.mark.parametrize(
    "broken",
    [
        {},
        None,
        "Polygon",
        {"type": "Point", "coordinates": [0, 0]},
        {"type": "Polygon"},
        {"type": "Polygon", "coordinates": [[[0, "a"], [1, 1], [0, 1]]]},
        {"type": "Polygon", "coordinates": [[[0], [1, 1], [0, 1]]]},
        {"type": "Polygon", "coordinates": [[[0, True], [1, 1], [0, 1]]]},
        {"type": "Polygon", "coordinates": [[[0, float("nan")], [1, 1], [0, 1]]]},
        {"type": "MultiPolygon", "coordinates": [7]},
    ],
)
def test_broken_geojson_draws_nothing(broken):
    assert rings(broken) == []


def test_labels_fit_their_neighbourhood():
    frame = fit([(0, 0), (1000, 1000)], margin=0, size=1000)
    assert frame is not None
    wide = [(0, 0), (1000, 0), (1000, 100), (0, 100)]
    assert frame.label_size(wide, "Noorderhof", largest=30, smallest=10) == 30
    narrow = [(0, 0), (100, 0), (100, 100), (0, 100)]
    assert frame.label_size(narrow, "Noorderhof", largest=30, smallest=10) == 15
    assert frame.label_size(narrow, "Een heel erg lange buurtnaam", largest=30, smallest=10) is None


def test_bounds_meet_and_overlap():
    one = Bounds(0, 0, 10, 10)
    assert one.intersection(Bounds(5, 5, 20, 20)) == Bounds(5, 5, 10, 10)
    assert one.intersection(Bounds(11, 0, 20, 10)) is None
    assert Bounds.around([]) is None


@pytest.mark.parametrize(("value", "text"), [(1.0, "1"), (1.25, "1.2"), (-0.01, "0"), (1234.56, "1234.6"), (0, "0")])
def test_numbers_are_short(value, text):
    assert number(value) == text


@given(st.integers(min_value=0, max_value=100_000))
def test_markers_shrink_as_the_map_fills_up(count):
    radius = mapdraw.marker_radius(count, largest=16, smallest=7, roomy=30)
    assert 7 <= radius <= 16
    assert mapdraw.marker_radius(count + 1, largest=16, smallest=7, roomy=30) <= radius


def test_a_few_markers_keep_their_size():
    assert mapdraw.marker_radius(30, largest=16, smallest=7, roomy=30) == 16
    assert mapdraw.marker_radius(120, largest=16, smallest=7, roomy=30) == 8


def test_a_frame_shows_points_clear_of_its_edges():
    frame = fit([(0, 0), (100, 100)], margin=0, size=100)
    assert frame is not None
    assert frame.shows((50, 50), padding=10)
    assert frame.shows((5, 50))
    assert not frame.shows((5, 50), padding=10)
    assert not frame.shows((150, 50))
