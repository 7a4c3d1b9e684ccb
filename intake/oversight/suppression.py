"""Small-count suppression for published tables: "fewer than k" instead of 1 to k-1.

The rules (the report's methods note says the same to readers):

- **Primary suppression.** A count from 1 to k-1 is hidden. k is ``OVERSIGHT_SUPPRESSION_K``
  (11 by default, the threshold CMS and many state health departments publish with). k of 1
  or less hides nothing.
- **Zeros are shown.** A zero discloses nobody, and hiding zeros would make every sparse table
  unreadable. The consequence, which the rules below account for: a reader knows that every
  hidden cell holds at least 1.
- **Totals** are counts like any other: a total below k is hidden.
- **Complementary suppression.** A table is printed with its total, so a single hidden cell in
  a line (a one-way table, or a row or column of a two-way table with its margin) could be
  worked out by subtraction. First, whenever a line has exactly one hidden entry (its total
  counted as an entry), the smallest non-zero count still shown in that line is hidden too
  (ties: the first; a line with no such cell left gives up its total). Lines are checked again
  and again until none has exactly one hidden entry. In a two-way table the lines are each
  row with its row total, each column with its column total, and the margins (row totals
  with the grand total, column totals with the grand total).
- **The audit.** Lines can also be combined (column 1 plus column 2 minus row 2), and a reader
  knows that each hidden entry is at least 1 (zeros are printed), so two hidden cells adding
  up to 2 are both 1. After the line rule every hidden entry is checked exactly: a table is a
  flow (each line: what comes in equals what goes out), and a hidden entry can take another
  value only if a cycle of hidden entries runs through it along which 1 can be added and
  taken away without bringing anything below 1 (``_is_pinned``). While some hidden entry is
  pinned down, the smallest shown non-zero entry of its lines that frees it is hidden too.
- **Overlapping categories.** A complaint with several allegations (or agencies) counts once
  in each, so those tables' cells add up to more than their total and subtraction gives a
  bound, not an exact count. They are suppressed by the same rules anyway: it costs a few
  cells and protects against a reader who knows how many complaints have several categories.

Every hidden cell is printed alike ("fewer than k"), whether hidden for being small or to
protect a small one: a reader who could tell them apart would know the complementary cell is k
or more, and could narrow the small one down from the line's total. ``Cell.reason`` is for
tests only; templates look at ``Cell.hidden`` alone. Complementary cells always hold k or more
(everything smaller is already hidden), so the methods note says plainly that "fewer than k"
also marks cells hidden to protect another.

What this does not defend against: a reader who knows these rules and reasons about which
cell was chosen (the complementary cell is the smallest shown, so it is at most the next
shown one). Published statistics accept that; the audit makes sure no hidden count follows
from the printed figures by arithmetic.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

PRIMARY = "primary"
COMPLEMENTARY = "complementary"


@dataclass(frozen=True)
class Cell:
    """One published count: its true value, and whether (and why) it is hidden."""

    value: int
    hidden: bool = False
    reason: str | None = None  # PRIMARY or COMPLEMENTARY when hidden

    @property
    def shown(self) -> int | None:
        """The value a table or chart may print; None when hidden."""
        return None if self.hidden else self.value


@dataclass(frozen=True)
class Line:
    """A one-way table: its cells and its total."""

    cells: list[Cell]
    total: Cell

    @property
    def hidden_count(self) -> int:
        return sum(cell.hidden for cell in self.cells)


@dataclass(frozen=True)
class Grid:
    """A two-way table with its row totals, column totals and grand total."""

    cells: list[list[Cell]]
    row_totals: list[Cell]
    column_totals: list[Cell]
    total: Cell


def is_small(value: int | None, k: int) -> bool:
    """A count that primary suppression hides: 1 to k-1 (zeros are shown)."""
    return value is not None and 1 <= value < k


def suppress_count(value: int, k: int) -> Cell:
    """A count printed on its own (no table, no total to subtract from)."""
    return Cell(value, True, PRIMARY) if is_small(value, k) else Cell(value)


def suppress_line(
    values: Sequence[int],
    total: int,
    k: int,
    *,
    also_hide: Iterable[int] = (),
    hide_total: bool = False,
) -> Line:
    """A one-way table printed with its total (``total`` need not be the sum of ``values``
    when categories overlap; see the module's notes).

    ``also_hide`` (cell positions) and ``hide_total``: figures another table of the same
    report had to hide; hidden here too, so the two tables agree."""
    elements = [*values, total]
    forced = {*also_hide, len(values)} if hide_total else set(also_hide)
    lines = [(list(range(len(values))), len(values))]
    # As a flow: the cells run from node 0 to node 1, the total back from 1 to 0.
    ends = [(0, 1)] * len(values) + [(1, 0)]
    cells = _suppress(elements, lines, ends, k, forced)
    return Line(cells[:-1], cells[-1])


def suppress_grid(
    values: Sequence[Sequence[int]],
    row_totals: Sequence[int],
    column_totals: Sequence[int],
    total: int,
    k: int,
    *,
    also_hide_rows: Iterable[int] = (),
    hide_total: bool = False,
) -> Grid:
    """A two-way table printed with both margins and the grand total. ``also_hide_rows``
    (row total positions) and ``hide_total``: as ``suppress_line``'s."""
    rows, columns = len(row_totals), len(column_totals)
    if len(values) != rows or any(len(row) != columns for row in values):
        raise ValueError("the table's shape does not match its totals")
    # Elements laid out as: the cells row by row, then row totals, column totals, grand total.
    elements = [value for row in values for value in row]
    row_total_at = len(elements)
    elements += list(row_totals)
    column_total_at = len(elements)
    elements += list(column_totals)
    grand_at = len(elements)
    elements.append(total)

    def cell_at(r: int, c: int) -> int:
        return r * columns + c

    lines = [([cell_at(r, c) for c in range(columns)], row_total_at + r) for r in range(rows)]
    lines += [([cell_at(r, c) for r in range(rows)], column_total_at + c) for c in range(columns)]
    lines.append(([row_total_at + r for r in range(rows)], grand_at))
    lines.append(([column_total_at + c for c in range(columns)], grand_at))
    # As a flow: the grand total runs into a node that hands it out to the rows (row totals),
    # each row to the columns (cells), the columns back to a node (column totals) that passes
    # it on as the grand total.
    row_node, column_node = (lambda r: 2 + r), (lambda c: 2 + rows + c)
    ends = [(row_node(r), column_node(c)) for r in range(rows) for c in range(columns)]
    ends += [(0, row_node(r)) for r in range(rows)]
    ends += [(column_node(c), 1) for c in range(columns)]
    ends.append((1, 0))
    forced = {row_total_at + r for r in also_hide_rows} | ({grand_at} if hide_total else set())
    cells = _suppress(elements, lines, ends, k, forced)
    return Grid(
        cells=[[cells[cell_at(r, c)] for c in range(columns)] for r in range(rows)],
        row_totals=cells[row_total_at:column_total_at],
        column_totals=cells[column_total_at:grand_at],
        total=cells[grand_at],
    )


def _suppress(
    values: Sequence[int],
    lines: list[tuple[list[int], int]],
    ends: list[tuple[int, int]],
    k: int,
    forced: Iterable[int] = frozenset(),
) -> list[Cell]:
    """Primary then complementary suppression.

    ``lines`` are (the indices of a line's cells, the index of its total). ``ends`` gives
    each entry as an edge of a flow network in which every line is a node (what comes in
    equals what goes out): that is what the audit needs."""
    if any(value < 0 for value in values):
        raise ValueError("counts cannot be negative")
    reasons: dict[int, str] = {i: PRIMARY for i, value in enumerate(values) if is_small(value, k)}
    # Hidden elsewhere: hidden here too (a zero, though, discloses nobody anywhere).
    reasons.update({i: COMPLEMENTARY for i in forced if i not in reasons and values[i] > 0})
    if not reasons:
        return [Cell(value) for value in values]
    # 1. The line rule: no line with exactly one hidden entry.
    changed = True
    while changed:
        changed = False
        for members, total in lines:
            if sum(i in reasons for i in [*members, total]) == 1:
                extra = _complement(values, reasons, members, total)
                if extra is not None:
                    reasons[extra] = COMPLEMENTARY
                    changed = True
    # 2. The audit: no hidden entry that the printed figures pin down some other way.
    while (pinned := _first_pinned(values, reasons, ends)) is not None:
        reasons[_unpinning(values, reasons, ends, lines, pinned)] = COMPLEMENTARY
    return [
        Cell(value, True, reasons[i]) if i in reasons else Cell(value)
        for i, value in enumerate(values)
    ]


def _complement(values, reasons, members, total) -> int | None:
    """The entry to hide next in a line: the smallest non-zero cell still shown (the first
    of equals), else the line's total."""
    shown = [i for i in members if i not in reasons and values[i] > 0]
    if shown:
        return min(shown, key=lambda i: (values[i], members.index(i)))
    if total not in reasons and values[total] > 0:
        return total
    return None


def _first_pinned(values, reasons, ends) -> int | None:
    """The first hidden entry a reader can work out exactly, if any."""
    hidden = sorted(reasons)
    return next((entry for entry in hidden if _is_pinned(values, hidden, ends, entry)), None)


def _is_pinned(values, hidden, ends, entry: int) -> bool:
    """Whether the printed figures leave a hidden entry one possible value.

    The printed table is a flow in which the shown entries are fixed and each hidden one is
    at least 1. A hidden entry can take another value only if some cycle of hidden entries
    runs through it along which one can add 1 going forwards and take 1 going backwards
    without bringing an entry below 1 (two flows that differ, differ by such cycles). So: it
    can grow if its far end leads back to its near end, and shrink (when 2 or more) if its
    near end leads to its far end, stepping forwards along any other hidden entry and
    backwards along one that holds 2 or more."""
    tail, head = ends[entry]
    if _reaches(values, hidden, ends, entry, head, tail):
        return False
    return not (values[entry] >= 2 and _reaches(values, hidden, ends, entry, tail, head))


def _reaches(values, hidden, ends, without: int, start: int, goal: int) -> bool:
    seen, frontier = {start}, [start]
    while frontier:
        node = frontier.pop()
        if node == goal:
            return True
        for entry in hidden:
            if entry == without:
                continue
            tail, head = ends[entry]
            step = head if tail == node else tail if head == node and values[entry] >= 2 else None
            if step is not None and step not in seen:
                seen.add(step)
                frontier.append(step)
    return False


def _unpinning(values, reasons, ends, lines, pinned: int) -> int:
    """What to hide next so that ``pinned`` can no longer be worked out: the smallest shown
    non-zero entry of its lines that frees it on its own, else their smallest, else the
    table's smallest (once every non-zero entry is hidden, nothing is pinned)."""
    near = [i for members, total in lines if pinned in (*members, total) for i in (*members, total)]
    candidates = sorted(
        {i for i in near if i not in reasons and values[i] > 0}, key=lambda i: (values[i], i)
    )
    for candidate in candidates:
        if not _is_pinned(values, sorted([*reasons, candidate]), ends, pinned):
            return candidate
    if candidates:
        return candidates[0]
    return min(
        (i for i, value in enumerate(values) if i not in reasons and value > 0),
        key=lambda i: (values[i], i),
    )
