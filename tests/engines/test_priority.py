"""The outreach priority formula: worked examples from the ADR, and properties over any facts."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from veerkracht.engines.priority import Facts, Reason, Weights, priority

facts_strategy = st.builds(
    Facts,
    concern_severities=st.lists(st.integers(1, 3), max_size=4).map(tuple),
    overdue_concerns=st.integers(0, 4),
    days_since_contact=st.one_of(st.none(), st.integers(0, 800)),
    markers=st.integers(0, 6),
    flagged=st.booleans(),
    not_home_attempts=st.integers(0, 6),
    refused_days_ago=st.one_of(st.none(), st.integers(0, 90)),
)
weights_strategy = st.builds(
    Weights,
    concern=st.integers(0, 50),
    overdue=st.integers(0, 50),
    unseen=st.integers(0, 10),
    max_weeks=st.integers(0, 52),
    marker=st.integers(0, 20),
    flag=st.integers(0, 100),
    not_home=st.integers(0, 10),
    refused_rest_days=st.integers(0, 60),
)


def test_an_older_resident_living_alone_with_an_overdue_concern_unseen_for_ten_weeks():
    facts = Facts(concern_severities=(3,), overdue_concerns=1, days_since_contact=73, markers=2)
    result = priority(facts, Weights())
    assert result.points == 30 + 10 + 2 * 10 + 5 * 2
    assert result.reasons == (
        Reason("concerns", 1, 30),
        Reason("unseen", 10, 20),
        Reason("overdue", 1, 10),
        Reason("markers", 2, 10),
    )


def test_never_reached_counts_as_the_longest_absence():
    assert priority(Facts(), Weights()).reasons == (Reason("never_reached", 26, 52),)


def test_a_flagged_door_and_two_unanswered_knocks():
    result = priority(Facts(days_since_contact=0, flagged=True, not_home_attempts=2), Weights())
    assert result.points == 40 + 6
    assert [reason.code for reason in result.reasons] == ["flag", "not_home"]


def test_more_than_three_unanswered_knocks_count_as_three():
    assert priority(Facts(days_since_contact=0, not_home_attempts=9), Weights()).points == 9


def test_a_recent_refusal_leaves_the_resident_alone_until_the_rest_period_ends():
    refused = Facts(concern_severities=(3,), days_since_contact=100, refused_days_ago=29)
    assert priority(refused, Weights()).points == 0
    assert priority(refused, Weights()).reasons == (Reason("refused", 29, 0),)
    assert priority(Facts(concern_severities=(3,), refused_days_ago=30), Weights()).points > 0


def test_a_resident_reached_today_without_markers_or_concerns_is_not_a_candidate():
    assert priority(Facts(days_since_contact=3), Weights()).points == 0


@pytest.mark.parametrize("bad", [-1, 1.5, True])
def test_weights_are_whole_numbers_of_at_least_zero(bad):
    with pytest.raises(ValueError, match="whole number"):
        Weights(flag=bad)


@given(facts_strategy, weights_strategy)
def test_the_reasons_add_up_to_the_priority_and_all_add_points(facts, weights):
    result = priority(facts, weights)
    assert result.points == sum(reason.points for reason in result.reasons)
    assert result.points >= 0
    if result.points:
        assert all(reason.points > 0 for reason in result.reasons)
        assert list(result.reasons) == sorted(result.reasons, key=lambda reason: -reason.points)


@given(facts_strategy, weights_strategy, st.integers(1, 3))
def test_another_open_concern_never_lowers_the_priority(facts, weights, severity):
    worse = Facts(**{**vars(facts), "concern_severities": (*facts.concern_severities, severity)})
    assert priority(worse, weights).points >= priority(facts, weights).points


@given(facts_strategy, weights_strategy, st.integers(0, 400))
def test_a_longer_absence_never_lowers_the_priority(facts, weights, more_days):
    if facts.days_since_contact is None:
        return
    later = Facts(**{**vars(facts), "days_since_contact": facts.days_since_contact + more_days})
    never = Facts(**{**vars(facts), "days_since_contact": None})
    assert priority(facts, weights).points <= priority(later, weights).points <= priority(never, weights).points


@given(facts_strategy)
def test_zero_weights_give_zero(facts):
    zero = Weights(0, 0, 0, 0, 0, 0, 0, 0)
    assert priority(facts, zero).points == 0
