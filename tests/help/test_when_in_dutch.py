"""When the help is wanted, in plain Dutch: "elke vrijdagochtend", "van 27 nov tot en met 8 dec" (issue 23)."""

from collections.abc import Iterator
from datetime import date

import pytest
from django.utils import translation

from veerkracht.help.vocabulary import PartOfDay, describe_when, moment_choices

FRIDAY = 4


@pytest.fixture(autouse=True)
def dutch() -> Iterator[None]:
    with translation.override("nl"):
        yield


def test_a_weekly_moment_is_one_dutch_word():
    when = describe_when(weekly=True, first_day=date(2026, 11, 27), last_day=None, weekday=FRIDAY, part=0)
    assert when == "elke vrijdagochtend"
    assert describe_when(weekly=True, first_day=date(2026, 11, 27), last_day=None, weekday=0, part=None) == (
        "elke maandag"
    )


def test_a_period_counts_both_days_and_reads_dutch():
    first, last = date(2026, 11, 27), date(2026, 12, 8)
    assert describe_when(weekly=False, first_day=first, last_day=last, weekday=None, part=None) == (
        "van 27 nov tot en met 8 dec"
    )
    assert describe_when(weekly=False, first_day=first, last_day=last, weekday=None, part=PartOfDay.AFTERNOON) == (
        "van 27 nov tot en met 8 dec (middag)"
    )
    assert describe_when(weekly=False, first_day=date(2026, 12, 3), last_day=None, weekday=None, part=None) == (
        "op 3 dec"
    )


def test_the_availability_choices_write_monday_morning_as_one_word():
    labels = dict(moment_choices())
    assert labels[0] == "maandagochtend"
    assert labels[FRIDAY * 3 + 2] == "vrijdagavond"
    assert not any(" ochtend" in label or " middag" in label or " avond" in label for label in labels.values())


def test_other_languages_keep_their_own_order():
    with translation.override("en"):
        assert describe_when(weekly=True, first_day=date(2026, 1, 1), last_day=None, weekday=FRIDAY, part=0) == (
            "every Friday morning"
        )
    with translation.override("ar"):
        assert dict(moment_choices())[0] == "صباح الاثنين"
