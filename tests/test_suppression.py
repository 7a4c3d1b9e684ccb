"""Small-count suppression: hand-worked tables, and a brute-force reader who tries to work out
every hidden cell from what is printed.

The reader of the brute-force check knows what a published table gives away: every shown
count, every shown total, that each line adds up to its total, and that a hidden cell is at
least 1 (zeros are printed). A hidden entry is disclosed when it takes one value only across
every table consistent with that.
"""

import random
from itertools import product

import pytest

from intake.oversight.suppression import (
    COMPLEMENTARY,
    PRIMARY,
    Cell,
    is_small,
    suppress_count,
    suppress_grid,
    suppress_line,
)

K = 11


def _reasons(cells: list[Cell]) -> list[str | None]:
    return [cell.reason for cell in cells]


# --- single counts and one-way tables ---------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "k", "small"),
    [(0, 11, False), (1, 11, True), (10, 11, True), (11, 11, False), (500, 11, False)]
    + [(1, 1, False), (0, 1, False), (1, 2, True), (2, 2, False), (3, 0, False)],
)
def test_small_means_one_to_k_minus_one(value, k, small):
    assert is_small(value, k) is small
    assert suppress_count(value, k).hidden is small


def test_a_shown_cell_shows_its_value_and_a_hidden_one_shows_nothing():
    assert Cell(12).shown == 12
    assert Cell(0).shown == 0
    assert Cell(3, True, PRIMARY).shown is None


def test_one_small_cell_takes_the_smallest_other_non_zero_cell_with_it():
    # 3 alone could be worked out as 82 - (25 + 14 + 0 + 40). The smallest other non-zero
    # cell is 14 (the 0 stays: hiding it would protect nothing).
    line = suppress_line([25, 3, 14, 0, 40], 82, K)
    assert _reasons(line.cells) == [None, PRIMARY, COMPLEMENTARY, None, None]
    assert [cell.shown for cell in line.cells] == [25, None, None, 0, 40]
    assert line.total == Cell(82)
    assert line.hidden_count == 2


def test_two_small_cells_protect_each_other():
    # 5 + 7 = 12 is all a reader learns: 1 + 11, 2 + 10, ... all fit.
    line = suppress_line([5, 7, 30], 42, K)
    assert _reasons(line.cells) == [PRIMARY, PRIMARY, None]


def test_two_ones_would_give_each_other_away():
    # Hidden cells are at least 1; two hidden cells adding up to 2 are both 1.
    line = suppress_line([1, 1, 50], 52, K)
    assert _reasons(line.cells) == [PRIMARY, PRIMARY, COMPLEMENTARY]
    assert not line.total.hidden


def test_three_ones_and_a_larger_cell():
    line = suppress_line([1, 1, 1, 20, 30], 53, K)
    assert _reasons(line.cells) == [PRIMARY, PRIMARY, PRIMARY, COMPLEMENTARY, None]


def test_ties_hide_the_first_of_the_smallest():
    line = suppress_line([40, 20, 2, 20], 82, K)
    assert _reasons(line.cells) == [None, COMPLEMENTARY, PRIMARY, None]


def test_a_small_total_is_hidden_with_its_cells_and_zeros_stay():
    line = suppress_line([2, 0, 3, 0], 5, K)
    assert _reasons(line.cells) == [PRIMARY, None, PRIMARY, None]
    assert [cell.shown for cell in line.cells] == [None, 0, None, 0]
    assert line.total == Cell(5, True, PRIMARY)


def test_a_single_small_cell_equal_to_its_small_total():
    line = suppress_line([0, 4, 0], 4, K)
    assert _reasons(line.cells) == [None, PRIMARY, None]
    assert line.total.hidden


def test_an_all_zero_line_hides_nothing():
    line = suppress_line([0, 0, 0], 0, K)
    assert not any(cell.hidden for cell in [*line.cells, line.total])
    assert [cell.shown for cell in line.cells] == [0, 0, 0]


def test_k_of_one_hides_nothing():
    line = suppress_line([1, 2, 0, 3], 6, 1)
    assert not any(cell.hidden for cell in [*line.cells, line.total])
    grid = suppress_grid([[1, 0], [2, 1]], [1, 3], [3, 1], 4, 1)
    assert not any(cell.hidden for row in grid.cells for cell in row)
    assert not any(c.hidden for c in [*grid.row_totals, *grid.column_totals, grid.total])


def test_nothing_small_hides_nothing():
    line = suppress_line([11, 0, 250], 261, K)
    assert not any(cell.hidden for cell in [*line.cells, line.total])


def test_overlapping_categories_are_suppressed_all_the_same():
    # Complaints by allegation: 40 complaints, 46 allegations among them. 4 is hidden, and 12
    # with it, though 40 - (12 + 30) is no count of anything.
    line = suppress_line([12, 4, 30], 40, K)
    assert _reasons(line.cells) == [COMPLEMENTARY, PRIMARY, None]


def test_with_no_other_cell_to_hide_the_total_goes():
    # Overlapping categories can leave a small cell with nothing beside it but zeros.
    line = suppress_line([4, 0], 15, K)
    assert _reasons(line.cells) == [PRIMARY, None]
    assert line.total == Cell(15, True, COMPLEMENTARY)


def test_a_figure_hidden_elsewhere_is_hidden_here_and_protected():
    # The total (30) was hidden by another table of the report: here too. A figure hidden
    # that way needs company like any other (12 + 18 would give the total back).
    line = suppress_line([12, 18], 30, K, hide_total=True)
    assert line.total == Cell(30, True, COMPLEMENTARY)
    assert _reasons(line.cells) == [COMPLEMENTARY, None]
    _assert_nothing_disclosed_line([12, 18], 30, line, K)
    line = suppress_line([12, 18, 40], 70, K, also_hide={1})
    assert _reasons(line.cells) == [COMPLEMENTARY, COMPLEMENTARY, None]
    _assert_nothing_disclosed_line([12, 18, 40], 70, line, K)
    # A zero is never hidden, even when asked: it discloses nobody.
    line = suppress_line([0, 25, 30], 55, K, also_hide={0})
    assert not any(cell.hidden for cell in line.cells)


def test_a_grid_row_hidden_elsewhere():
    grid = suppress_grid([[20, 30], [15, 25]], [50, 40], [35, 55], 90, K, also_hide_rows={0})
    assert grid.row_totals[0].hidden
    _assert_nothing_disclosed_grid(grid, K)
    grid = suppress_grid([[20, 30], [15, 25]], [50, 40], [35, 55], 90, K, hide_total=True)
    assert grid.total.hidden
    _assert_nothing_disclosed_grid(grid, K)


def test_negative_counts_are_refused():
    with pytest.raises(ValueError):
        suppress_line([-1, 3], 2, K)


# --- two-way tables ---------------------------------------------------------------------------


def test_a_small_cell_cascades_through_rows_and_columns():
    #            F1  F2  F3 | total
    #   A        20   3  25 |  48      3 is small. Row A: the smallest other is 20.
    #   B        30  40  12 |  82      Column F1 then has 20 alone: 15 goes. Column F2 has 3
    #   C        15   0  22 |  37      alone: 40 goes (0 cannot protect). Row B then has 40
    #   total    65  43  59 | 167      alone: 12 goes; row C has 15 alone: 22 goes. Every
    #                                  row and column now has two hidden cells or none.
    grid = suppress_grid(
        [[20, 3, 25], [30, 40, 12], [15, 0, 22]], [48, 82, 37], [65, 43, 59], 167, K
    )
    assert [_reasons(row) for row in grid.cells] == [
        [COMPLEMENTARY, PRIMARY, None],
        [None, COMPLEMENTARY, COMPLEMENTARY],
        [COMPLEMENTARY, None, COMPLEMENTARY],
    ]
    assert [[cell.shown for cell in row] for row in grid.cells] == [
        [None, None, 25],
        [30, None, None],
        [None, 0, None],
    ]
    assert not any(c.hidden for c in [*grid.row_totals, *grid.column_totals, grid.total])


def test_a_small_column_total_spreads_to_the_margins():
    #            F1  F2 | total
    #   A        30   4 |  34      4, 5 and the column total 9 are small. Rows A and B then
    #   B        25   5 |  30      hide 30 and 25. The column totals line (55, 9 | 64) has 9
    #   total    55   9 |  64      alone hidden: 55 goes too.
    grid = suppress_grid([[30, 4], [25, 5]], [34, 30], [55, 9], 64, K)
    assert [_reasons(row) for row in grid.cells] == [
        [COMPLEMENTARY, PRIMARY],
        [COMPLEMENTARY, PRIMARY],
    ]
    assert _reasons(grid.column_totals) == [COMPLEMENTARY, PRIMARY]
    assert _reasons(grid.row_totals) == [None, None]
    assert grid.total == Cell(64)


def test_a_small_row_total_in_a_table():
    #            F1  F2  F3 | total
    #   A         2   0   3 |   5      Row A is small throughout: hidden with its total.
    #   B        20  15  30 |  65      Column F1 has 2 alone hidden: 12 goes; column F3 has 3
    #   C        12  18  40 |  70      alone: 30 goes. The row totals line has 5 alone: 65
    #   total    34  33  73 | 140      goes. Row C then has 12 alone: 18 goes, leaving column
    #                                  F2 with 18 alone: 15 goes. Row B: 15, 30 and its total.
    grid = suppress_grid([[2, 0, 3], [20, 15, 30], [12, 18, 40]], [5, 65, 70], [34, 33, 73], 140, K)
    assert [_reasons(row) for row in grid.cells] == [
        [PRIMARY, None, PRIMARY],
        [None, COMPLEMENTARY, COMPLEMENTARY],
        [COMPLEMENTARY, COMPLEMENTARY, None],
    ]
    assert _reasons(grid.row_totals) == [PRIMARY, COMPLEMENTARY, None]
    assert not any(c.hidden for c in [*grid.column_totals, grid.total])
    _assert_nothing_disclosed_grid(grid, K)


def test_the_audit_catches_what_lines_combined_give_away():
    #            F1  F2  F3 | total      k = 4. The line rule leaves every row and column with
    #   A         1   1   4 |   6       two hidden entries or none, and F1, F2 and row B
    #   B         3   6   9 |  18       shown: but column F1 plus column F2 minus row B's
    #   C         0   0   1 |   1       hidden part gives A1 + A2 = 4 + 7 - 9 = 2, so both are
    #   total     4   7  14 |  25       1. The audit hides 9 and the totals 4 and 7 as well.
    grid = suppress_grid([[1, 1, 4], [3, 6, 9], [0, 0, 1]], [6, 18, 1], [4, 7, 14], 25, 4)
    assert [[cell.hidden for cell in row] for row in grid.cells] == [
        [True, True, True],
        [True, True, True],
        [False, False, True],
    ]
    assert [cell.hidden for cell in grid.column_totals] == [True, True, False]
    assert [cell.reason for cell in grid.row_totals] == [COMPLEMENTARY, None, PRIMARY]
    _assert_nothing_disclosed_grid(grid, 4)


def test_the_audit_knows_hidden_totals_hold_at_least_their_hidden_cells():
    #            F1  F2 | total      k = 3. Row totals: 1 + 8 + 2 = 11 with 8 shown, so the
    #   A         1   0 |   1       hidden row totals of A and C add up to 3; C's holds two
    #   B         6   2 |   8       hidden cells (at least 2), so A's is 1. Everything
    #   C         1   1 |   2       non-zero but the grand total ends up hidden.
    #   total     8   3 |  11
    grid = suppress_grid([[1, 0], [6, 2], [1, 1]], [1, 8, 2], [8, 3], 11, 3)
    entries = [*sum(grid.cells, []), *grid.row_totals, *grid.column_totals]
    assert all(cell.hidden == (cell.value > 0) for cell in entries)
    assert not grid.total.hidden
    _assert_nothing_disclosed_grid(grid, 3)


def test_an_all_zero_row_and_column_hide_nothing():
    grid = suppress_grid([[0, 0], [0, 25]], [0, 25], [0, 25], 25, K)
    assert not any(cell.hidden for row in grid.cells for cell in row)


def test_a_table_whose_total_is_small_hides_every_non_zero_entry():
    grid = suppress_grid([[1, 0], [2, 3]], [1, 5], [3, 3], 6, K)
    entries = [*sum(grid.cells, []), *grid.row_totals, *grid.column_totals, grid.total]
    assert all(cell.hidden == (cell.value > 0) for cell in entries)


def test_the_shape_must_match_the_totals():
    with pytest.raises(ValueError):
        suppress_grid([[1, 2]], [3], [1, 2, 3], 3, K)


# --- the brute-force reader -------------------------------------------------------------------


HUGE = 10**9


def _search(unknowns: int, constraints: list[tuple[list[int], int, int]], cap: int) -> bool:
    """Whether some assignment of the unknowns, each from 1 to ``cap``, meets every
    constraint (positions, low, high): the unknowns at those positions add up to a number
    from low to high. A depth-first search that cuts a branch as soon as a sum cannot fit."""
    if any(not positions and not low <= 0 <= high for positions, low, high in constraints):
        return False
    by_var: list[list[int]] = [[] for _ in range(unknowns)]
    for index, (positions, _low, _high) in enumerate(constraints):
        for p in positions:
            by_var[p].append(index)
    assignment = [0] * unknowns

    def domain(var: int) -> range:
        low, high = 1, cap
        for index in by_var[var]:
            positions, c_low, c_high = constraints[index]
            done = sum(assignment[p] for p in positions if p < var)
            later = sum(1 for p in positions if p > var)
            high = min(high, c_high - done - later)
            low = max(low, c_low - done - later * cap)
        return range(low, high + 1)

    def walk(var: int) -> bool:
        if var == unknowns:
            return True
        for value in domain(var):
            assignment[var] = value
            if walk(var + 1):
                return True
        return False

    return walk(0)


def _disclosed(values, hidden, supports, cap) -> list[int]:
    """The printed entries a reader can work out exactly.

    ``values`` and ``hidden`` describe the table's base cells; each printed entry (a cell or a
    total) is the sum of the base cells in its support, hidden or not as ``supports`` pairs
    say: (support, entry hidden). The reader knows the shown entries, and that a hidden entry
    is at least 1. An entry is disclosed when no consistent table gives it another value."""
    unknown = [i for i, is_hidden in enumerate(hidden) if is_hidden]
    position = {cell: n for n, cell in enumerate(unknown)}
    # Each entry as a constraint on the sum of its hidden base cells.
    entries = []
    for support, entry_hidden in supports:
        positions = [position[i] for i in support if i in position]
        shown_part = sum(values[i] for i in support if i not in position)
        hidden_part = sum(values[i] for i in support if i in position)
        entries.append((positions, shown_part, hidden_part, entry_hidden))
    known = [
        (positions, 1 - shown_part, HUGE) if entry_hidden else (positions, hidden_part, hidden_part)
        for positions, shown_part, hidden_part, entry_hidden in entries
    ]
    disclosed = []
    for n, (positions, shown_part, hidden_part, entry_hidden) in enumerate(entries):
        if not entry_hidden:
            continue
        others = known[:n] + known[n + 1 :]
        smaller = (positions, 1 - shown_part, hidden_part - 1)
        larger = (positions, hidden_part + 1, HUGE)
        if not any(_search(len(unknown), [*others, c], cap) for c in (smaller, larger)):
            disclosed.append(n)
    return disclosed


def _assert_nothing_disclosed_line(values, total, line, k):
    supports = [([i], cell.hidden) for i, cell in enumerate(line.cells)]
    supports.append((list(range(len(values))), line.total.hidden))
    hidden = [cell.hidden for cell in line.cells]
    cap = total + k
    assert _disclosed(list(values), hidden, supports, cap) == [], (values, total, line)


def _grid_supports(rows: int, columns: int, grid):
    at = lambda r, c: r * columns + c  # noqa: E731
    supports = [([at(r, c)], grid.cells[r][c].hidden) for r in range(rows) for c in range(columns)]
    supports += [
        ([at(r, c) for c in range(columns)], grid.row_totals[r].hidden) for r in range(rows)
    ]
    supports += [
        ([at(r, c) for r in range(rows)], grid.column_totals[c].hidden) for c in range(columns)
    ]
    supports.append((list(range(rows * columns)), grid.total.hidden))
    return supports


def _assert_nothing_disclosed_grid(grid, k):
    rows, columns = len(grid.cells), len(grid.cells[0])
    values = [cell.value for row in grid.cells for cell in row]
    hidden = [cell.hidden for row in grid.cells for cell in row]
    supports = _grid_supports(rows, columns, grid)
    assert _disclosed(values, hidden, supports, grid.total.value + k) == [], grid


def test_the_reader_does_find_an_unprotected_cell():
    # The check itself: one hidden cell beside its total is worked out, so are two 1s, and a
    # hidden total whose cells are all shown; 2 and 1 could be 1 and 2.
    without_total = [([0], False), ([1], True), ([2], False)]
    assert _disclosed([25, 3, 40], [False, True, False], without_total, 80) == []
    supports = [([0], False), ([1], True), ([2], False), ([0, 1, 2], False)]
    assert _disclosed([25, 3, 40], [False, True, False], supports, 80) == [1]
    supports = [([0], True), ([1], True), ([2], False), ([0, 1, 2], False)]
    assert _disclosed([1, 1, 40], [True, True, False], supports, 80) == [0, 1]
    supports = [([0], True), ([1], True), ([2], False), ([0, 1, 2], False)]
    assert _disclosed([2, 1, 40], [True, True, False], supports, 80) == []
    supports = [([0], False), ([1], False), ([0, 1], True)]
    assert _disclosed([2, 1], [False, False], supports, 80) == [2]


@pytest.mark.parametrize("seed", range(6))
def test_no_hidden_cell_of_a_random_line_can_be_worked_out(seed):
    rng = random.Random(seed)
    for _ in range(60):
        k = rng.choice([2, 3, 5, 11])
        values = [
            rng.choice([0, 0, 1, 1, 2, 3, 5, 8, 11, 13, 20]) for _ in range(rng.randint(1, 6))
        ]
        line = suppress_line(values, sum(values), k)
        _assert_nothing_disclosed_line(values, sum(values), line, k)
        # Every line with anything hidden has at least two hidden entries.
        entries = [*line.cells, line.total]
        assert sum(cell.hidden for cell in entries) != 1


@pytest.mark.parametrize("seed", range(6))
def test_no_hidden_cell_of_a_random_table_can_be_worked_out(seed):
    rng = random.Random(1000 + seed)
    for _ in range(25):
        k = rng.choice([2, 3, 4, 6])
        rows, columns = rng.randint(1, 3), rng.randint(1, 3)
        values = [
            [rng.choice([0, 0, 1, 1, 2, 3, 4, 6, 9]) for _ in range(columns)] for _ in range(rows)
        ]
        row_totals = [sum(row) for row in values]
        column_totals = [sum(column) for column in zip(*values, strict=True)]
        grid = suppress_grid(values, row_totals, column_totals, sum(row_totals), k)
        _assert_nothing_disclosed_grid(grid, k)


def test_every_small_cell_of_every_tiny_table_is_protected():
    """Exhaustively: every 2 x 2 table of counts 0 to 3 with k = 3."""
    for a, b, c, d in product(range(4), repeat=4):
        values = [[a, b], [c, d]]
        grid = suppress_grid(values, [a + b, c + d], [a + c, b + d], a + b + c + d, 3)
        entries = [*grid.cells[0], *grid.cells[1], *grid.row_totals, *grid.column_totals]
        assert all(cell.hidden for cell in [*entries, grid.total] if is_small(cell.value, 3))
        _assert_nothing_disclosed_grid(grid, 3)
