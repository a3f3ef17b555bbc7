"""Small-cell suppression: no hidden cell can be recomputed from what a table shows.

The check is independent of the engine: for every hidden cell, linear programming (scipy's
HiGHS) finds the smallest and the largest value it could have, given every shown count and the
fact that each line adds up to its margin. A hidden cell is safe when those differ.
"""

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from veerkracht.engines.metrics import diversity_index, protect_table, published_count, suppress_small_count

tables = st.integers(1, 5).flatmap(
    lambda columns: st.lists(
        st.lists(st.one_of(st.integers(0, 12), st.integers(0, 300)), min_size=columns, max_size=columns),
        min_size=1,
        max_size=6,
    )
)


def _full(counts: list[list[int]]) -> list[list[int]]:
    full = [[*row, sum(row)] for row in counts]
    full.append([sum(column) for column in zip(*full, strict=True)])
    return full


def _shown(counts: list[list[int]], table) -> list[list[int | None]]:
    rows = [
        [*(cell.count for cell in line), total.count] for line, total in zip(table.cells, table.row_totals, strict=True)
    ]
    rows.append([*(cell.count for cell in table.column_totals), table.total.count])
    return rows


def _ranges(full: list[list[int]], shown: list[list[int | None]]) -> dict[tuple[int, int], tuple[float, float]]:
    """The feasible range of every hidden cell (exact counts shown: no rounding here)."""
    hidden = [(i, j) for i, line in enumerate(shown) for j, value in enumerate(line) if value is None]
    if not hidden:
        return {}
    index = {cell: k for k, cell in enumerate(hidden)}
    rows, columns = len(full), len(full[0])

    def value(i: int, j: int) -> tuple[int | None, float]:
        return (index[(i, j)], 0.0) if (i, j) in index else (None, float(shown[i][j] or 0))

    equations, constants = [], []
    lines = [[(i, j) for j in range(columns - 1)] + [(i, columns - 1)] for i in range(rows)]
    lines += [[(i, j) for i in range(rows - 1)] + [(rows - 1, j)] for j in range(columns)]
    for line in lines:
        *parts, margin = line
        vector, constant = np.zeros(len(hidden)), 0.0
        for cell, sign in [*((part, 1.0) for part in parts), (margin, -1.0)]:
            k, known = value(*cell)
            if k is None:
                constant -= sign * known
            else:
                vector[k] += sign
        if vector.any():
            equations.append(vector)
            constants.append(constant)
    ranges = {}
    for cell, k in index.items():
        objective = np.zeros(len(hidden))
        objective[k] = 1.0
        low = linprog(objective, A_eq=equations, b_eq=constants, bounds=(0, None), method="highs")
        high = linprog(-objective, A_eq=equations, b_eq=constants, bounds=(0, None), method="highs")
        assert low.status == 0
        assert high.status in (0, 3)  # 3: unbounded above, which is safe too
        ranges[cell] = (low.fun, np.inf if high.status == 3 else -high.fun)
    return ranges


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(counts=tables)
def test_no_hidden_cell_can_be_recomputed_from_the_table_and_its_margins(counts):
    table = protect_table(counts)
    full, shown = _full(counts), _shown(counts, table)
    for i, line in enumerate(full):
        for j, count in enumerate(line):
            if 0 < count < 10:
                assert shown[i][j] is None, (i, j)
            elif shown[i][j] is not None:
                assert shown[i][j] == count
    for cell, (low, high) in _ranges(full, shown).items():
        assert high - low > 0.5, (cell, low, high)


@settings(max_examples=100, deadline=None)
@given(counts=tables)
def test_rounded_tables_show_multiples_of_five_and_hide_the_same_cells(counts):
    exact, rounded = protect_table(counts), protect_table(counts, rounding=5)
    for line_exact, line_rounded in zip(exact.cells, rounded.cells, strict=True):
        for a, b in zip(line_exact, line_rounded, strict=True):
            assert a.suppressed == b.suppressed
            if b.count is not None:
                assert b.count % 5 == 0
                assert a.count is not None
                assert abs(b.count - a.count) <= 2


def test_a_small_cell_and_its_partner_are_hidden():
    table = protect_table([[3, 40], [25, 30]])
    assert table.cells[0][0].suppressed
    assert table.row_totals[0].count == 43
    assert sum(cell.suppressed for line in table.cells for cell in line) >= 2
    assert table.total.count == 98


def test_suppressed_figures_as_the_api_shows_them():
    table = protect_table([[3, 40], [25, 30]])
    assert table.cells[0][0].as_dict() == {"count": None, "share": None, "suppressed": True, "secondary": False}


def test_cells_hidden_to_protect_a_small_one_are_marked_secondary():
    table = protect_table([[3, 40], [25, 30]])
    hidden = [cell for line in table.cells for cell in line if cell.suppressed]
    assert not table.cells[0][0].secondary  # the 3 itself: primary
    assert [cell.secondary for cell in hidden if cell is not table.cells[0][0]] == [True] * (len(hidden) - 1)


def test_a_single_published_count_is_hidden_when_small_and_rounded_else():
    assert published_count(7) is None
    assert published_count(0) == 0
    assert published_count(2554) == 2555
    assert published_count(2554, rounding=1) == 2554


def test_zero_is_shown_and_shares_are_of_the_row():
    table = protect_table([[0, 50]])
    assert table.cells[0][0].count == 0
    assert table.cells[0][1].share == 1.0


@pytest.mark.parametrize("counts", [[], [[]], [[1, 2], [3]], [[-1]]])
def test_tables_without_meaning_are_refused(counts):
    with pytest.raises(ValueError, match=r"table needs|negative"):
        protect_table(counts)


def test_suppress_small_count():
    assert [suppress_small_count(n) for n in (0, 1, 9, 10)] == [0, None, None, 10]


def test_diversity_index():
    assert diversity_index([10, 0]) == 0.0
    assert diversity_index([5, 5]) == pytest.approx(0.5)
    assert diversity_index([1, 1, 1, 1]) == pytest.approx(0.75)
    assert diversity_index([]) is None
