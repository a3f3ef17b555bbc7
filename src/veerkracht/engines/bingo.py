"""Balkonbingo: 75-ball bingo cards, a draw order, and which lines a card has completed.

A card is five rows of five numbers. Column 1 (B) holds 1-15, column 2 (I) 16-30, column 3 (N)
31-45, column 4 (G) 46-60 and column 5 (O) 61-75; the centre ``card[2][2]`` is ``FREE`` (0) and
counts as drawn. Everything is deterministic for a seed, so the application only needs to store
the seed to reprint the same cards or replay the same draw.
"""

import random
from collections.abc import Iterable, Sequence

Card = tuple[tuple[int, ...], ...]

SIZE = 5  # rows and columns on a card
BALLS = 75  # numbers 1..75 are called
FREE = 0  # the free centre square
CENTRE = (2, 2)  # (row, column) of the free square, zero-based
NUMBERS_PER_COLUMN = BALLS // SIZE  # 15: column c holds c*15+1 .. c*15+15
MAX_CARDS = 1_000_000  # far beyond any courtyard; stops a typo from eating memory for minutes


def _line_cells() -> tuple[tuple[str, tuple[tuple[int, int], ...]], ...]:
    """Every winning line with its (row, column) cells, in the order names are reported."""
    rows = [(f"row {r + 1}", tuple((r, c) for c in range(SIZE))) for r in range(SIZE)]
    columns = [(f"column {c + 1}", tuple((r, c) for r in range(SIZE))) for c in range(SIZE)]
    diagonals = [
        ("diagonal 1", tuple((i, i) for i in range(SIZE))),
        ("diagonal 2", tuple((i, SIZE - 1 - i) for i in range(SIZE))),
    ]
    return (*rows, *columns, *diagonals)


_LINES = _line_cells()
FULL_CARD = "full card"


def _column_range(column: int) -> range:
    """The numbers allowed in a zero-based column: B 1-15, I 16-30, N 31-45, G 46-60, O 61-75."""
    low = column * NUMBERS_PER_COLUMN + 1
    return range(low, low + NUMBERS_PER_COLUMN)


def _rng(purpose: str, seed: int) -> random.Random:
    """A private generator for one purpose.

    Seeding with a string (hashed with SHA-512 by ``random``) keeps negative seeds distinct from
    their positive twins (integer seeds use the absolute value) and keeps the cards and the draw
    order of the same seed independent of each other.
    """
    return random.Random(f"veerkracht.bingo.{purpose}:{seed}")  # noqa: S311 - a game, not a secret


def _random_card(rng: random.Random) -> Card:
    """One valid card: each column sampled without repeats from its own range."""
    columns = []
    for column in range(SIZE):
        numbers = rng.sample(_column_range(column), SIZE - 1 if column == CENTRE[1] else SIZE)
        if column == CENTRE[1]:
            numbers.insert(CENTRE[0], FREE)
        columns.append(numbers)
    return tuple(zip(*columns, strict=True))


def make_cards(n: int, seed: int) -> list[Card]:
    """``n`` distinct, valid bingo cards, the same ones for the same seed.

    The first ``k`` cards of ``make_cards(n, seed)`` equal ``make_cards(k, seed)``, so a game can
    be extended with more cards later without changing the ones already printed.

    Raises ValueError when ``n`` is negative or larger than ``MAX_CARDS``.
    """
    if isinstance(n, bool) or not isinstance(n, int):
        raise TypeError(f"the number of cards must be an integer, not {n!r}")
    if n < 0:
        raise ValueError(f"the number of cards cannot be negative (got {n})")
    if n > MAX_CARDS:
        raise ValueError(f"at most {MAX_CARDS:,} cards can be made at once (got {n:,})")
    rng = _rng("cards", seed)
    cards: dict[Card, None] = {}  # a dict keeps the order of first appearance and checks distinctness
    # A repeat is astronomically rare (there are about 5.5e26 cards), so this loop never stalls.
    while len(cards) < n:
        cards.setdefault(_random_card(rng))
    return list(cards)


def draw_order(seed: int) -> list[int]:
    """The order in which the numbers 1..75 are called: a permutation, the same for the same seed."""
    numbers = list(range(1, BALLS + 1))
    _rng("draw", seed).shuffle(numbers)
    return numbers


def _validate_card(card: Sequence[Sequence[int]]) -> None:
    """Raise ValueError unless ``card`` is a well-formed 75-ball card with a free centre."""
    if isinstance(card, str | bytes) or not isinstance(card, Sequence) or len(card) != SIZE:
        raise ValueError(f"a card has {SIZE} rows")
    for r, row in enumerate(card):
        if isinstance(row, str | bytes) or not isinstance(row, Sequence) or len(row) != SIZE:
            raise ValueError(f"row {r + 1} of the card does not have {SIZE} numbers")
        for c, number in enumerate(row):
            # bool is a subclass of int, but True on a card is a bug, not the number 1.
            if isinstance(number, bool) or not isinstance(number, int):
                raise ValueError(f"row {r + 1}, column {c + 1} holds {number!r}, not a whole number")
            if (r, c) == CENTRE:
                if number != FREE:
                    raise ValueError(f"the centre (row 3, column 3) must be the free square {FREE}, not {number}")
            elif number not in _column_range(c):
                allowed = _column_range(c)
                raise ValueError(
                    f"row {r + 1}, column {c + 1} holds {number}, outside {allowed.start}-{allowed.stop - 1}"
                )
    # Columns have disjoint ranges, so a repeat can only happen within one column.
    numbers = [number for row in card for number in row]
    if len(set(numbers)) != len(numbers):
        raise ValueError("a number appears twice on the card")


def _validate_drawn(drawn: Iterable[int]) -> set[int]:
    """The drawn numbers as a set; ValueError for anything that is not a ball number 1..75."""
    numbers = set()
    for number in drawn:
        if isinstance(number, bool) or not isinstance(number, int) or not 1 <= number <= BALLS:
            raise ValueError(f"drawn numbers are 1-{BALLS}; got {number!r}")
        numbers.add(number)
    return numbers


def winning_lines(card: Card, drawn: Iterable[int]) -> list[str]:
    """The names of the lines on ``card`` that are complete once ``drawn`` have been called.

    Names come in this order: "row 1"-"row 5" (top to bottom), "column 1"-"column 5" (left to
    right), "diagonal 1" (from top-left), "diagonal 2" (from top-right), then "full card" when all
    24 numbers are drawn. The free centre always counts as drawn. Repeated numbers in ``drawn``
    are harmless and its order does not matter.

    Raises ValueError for a malformed card (not 5x5, a number outside its column's range or twice
    on the card, centre not 0) and for a drawn number outside 1..75: such a number can only come
    from a bug or a typo, and silently ignoring it could hide a wrongly recorded draw.
    """
    _validate_card(card)
    called = _validate_drawn(drawn) | {FREE}
    names = [name for name, cells in _LINES if all(card[r][c] in called for r, c in cells)]
    if all(number in called for row in card for number in row):
        names.append(FULL_CARD)
    return names
