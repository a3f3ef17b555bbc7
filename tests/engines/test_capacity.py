"""The capacity engine against a brute-force count of people who fit."""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from veerkracht.engines.capacity import Rule, over_capacity, safe_capacity


def test_a_community_centre_under_the_one_and_a_half_metre_rule():
    assert safe_capacity(area_m2=120, normal_capacity=80, rule=Rule(5.0)) == 24


def test_without_a_rule_the_normal_capacity_holds():
    assert safe_capacity(area_m2=120, normal_capacity=80, rule=Rule()) == 80


def test_a_park_for_forty_at_ten_square_metres_each():
    assert safe_capacity(area_m2=400, normal_capacity=None, rule=Rule(10.0)) == 40


def test_exact_division_is_not_lost_to_rounding():
    assert safe_capacity(area_m2=0.3, normal_capacity=None, rule=Rule(0.1)) == 3


def test_nothing_known_means_no_limit():
    assert safe_capacity(area_m2=None, normal_capacity=None, rule=Rule(5.0)) is None


@pytest.mark.parametrize("bad", [0.0, -1.0, math.inf, math.nan])
def test_a_rule_needs_positive_square_metres(bad):
    with pytest.raises(ValueError, match="positive"):
        Rule(bad)


def test_negative_inputs_are_refused():
    with pytest.raises(ValueError, match="area"):
        safe_capacity(area_m2=-1, normal_capacity=10, rule=Rule())
    with pytest.raises(ValueError, match="capacity"):
        safe_capacity(area_m2=10, normal_capacity=-1, rule=Rule())


@given(
    area=st.integers(min_value=0, max_value=5000),
    normal=st.one_of(st.none(), st.integers(min_value=0, max_value=2000)),
    per_person=st.sampled_from([1.0, 2.25, 3.0, 4.0, 5.0, 10.0]),
)
def test_matches_the_largest_number_of_people_that_fit(area, normal, per_person):
    # Brute force: the largest n with n * per_person <= area, and never above the normal capacity.
    fits = 0
    while (fits + 1) * per_person <= area + 1e-9:
        fits += 1
    expected = fits if normal is None else min(fits, normal)
    assert safe_capacity(area_m2=area, normal_capacity=normal, rule=Rule(per_person)) == expected


@given(planned=st.integers(0, 500), capacity=st.one_of(st.none(), st.integers(0, 500)))
def test_over_capacity_is_never_negative(planned, capacity):
    excess = over_capacity(planned, capacity)
    assert excess >= 0
    assert excess == (0 if capacity is None else max(0, planned - capacity))
