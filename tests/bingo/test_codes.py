"""Card codes: short, distinct within a game, the same for the same seed, typed in any way."""

from hypothesis import given
from hypothesis import strategies as st

from veerkracht.bingo.codes import CODE_SPACE, DIGITS, LETTERS, card_codes, normalised_code
from veerkracht.bingo.models import MAX_CARDS

AMBIGUOUS = set("0O1IL2Z5S8B6GQDJ")


@given(seed=st.integers(min_value=-(2**62), max_value=2**62), n=st.integers(min_value=0, max_value=MAX_CARDS))
def test_codes_are_distinct_deterministic_and_unambiguous(seed, n):
    codes = card_codes(n, seed)
    assert len(set(codes)) == n
    assert codes == card_codes(n, seed)
    for code in codes:
        assert len(code) == 4
        assert [character in LETTERS for character in code] == [True, False, True, False]
        assert [character in DIGITS for character in code] == [False, True, False, True]
        assert not AMBIGUOUS & set(code)


def test_a_game_of_the_largest_size_has_room_for_its_codes():
    assert CODE_SPACE >= MAX_CARDS
    assert len(set(card_codes(CODE_SPACE, 7))) == CODE_SPACE


def test_a_typed_code_is_read_without_case_spaces_or_dashes():
    assert normalised_code(" k7-m3 ") == "K7M3"
    assert normalised_code("K 7 M 3") == "K7M3"
    assert normalised_code("") == ""
