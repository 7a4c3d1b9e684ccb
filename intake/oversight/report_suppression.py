"""The periodic report's counts, read once and suppressed together.

Every count goes through ``suppression`` (counts from 1 to k-1 read "fewer than k", with
complementary suppression). Tables that print the same figure hide it together: the
complaints filed are the total of the summary and of the month, allegation, agency and state
tables; the open complaints are also the backlog's grand total; each allegation's count is
also a row total of the findings table. ``suppressed_figures`` runs the tables' suppression
again with what another table hid until they all agree.
"""

from dataclasses import dataclass
from datetime import date, datetime

from . import statistics as stats
from .filters import OversightFilters
from .suppression import Grid, Line, suppress_grid, suppress_line


@dataclass(frozen=True)
class RawFigures:
    """The counts as the database gives them, before any suppression."""

    summary: stats.Summary
    by_month: list[stats.Count]
    by_allegation: list[stats.Count]
    by_agency: list[stats.Count]
    by_state: list[stats.Count]
    backlog: list[stats.BacklogRow]
    on_time: list[stats.OnTimeRow]
    findings: stats.FindingsTable
    concurrence: list[stats.Count]


@dataclass(frozen=True)
class SuppressedFigures:
    summary: Line  # cells: open, closed; total: filed
    by_month: Line
    by_allegation: Line
    by_agency: Line
    by_state: Line
    backlog: Grid
    findings: Grid
    findings_rows: list[int]  # the allegation (index in by_allegation) of each findings row
    concurrence: Line


def read_figures(start: date, end: date, now: datetime) -> RawFigures:
    """Every count of the report, in the current language's labels (a few grouped queries)."""
    f = OversightFilters(start=start, end=end)
    findings = stats.findings_by_allegation(f)
    return RawFigures(
        summary=stats.summary(f),
        by_month=stats.intake_by_month(f),
        by_allegation=allegations_from_findings(findings),
        by_agency=stats.intake_by_agency(f),
        by_state=stats.intake_by_state(f),
        backlog=stats.backlog_by_status(f, now),
        on_time=stats.on_time_share(f, now),
        findings=findings,
        concurrence=stats.agency_concurrence(f),
    )


def allegations_from_findings(findings: stats.FindingsTable) -> list[stats.Count]:
    """Complaints by allegation, as ``stats.intake_by_allegation`` counts them (allegation
    rows per category: a complaint has at most one of each), from the findings table's rows
    rather than a second pass over the allegations (a second of a million-complaint year)."""
    return [
        stats.Count(code, label, sum(cells))
        for (code, label), cells in zip(findings.rows, findings.cells, strict=True)
    ]


def _counts(rows: list[stats.Count]) -> list[int]:
    return [row.count for row in rows]


def suppressed_figures(raw: RawFigures, k: int) -> SuppressedFigures:
    """Suppress each table, then again with what the tables sharing a figure hid, until they
    agree (the hidden sets only grow, so this ends)."""
    # The findings table lists the allegations made in the period; each row's total is that
    # allegation's count in the allegation table (its position there in findings_rows).
    allegation_at = {row.code: n for n, row in enumerate(raw.by_allegation)}
    made = [
        (allegation_at[code], cells)
        for (code, _label), cells in zip(raw.findings.rows, raw.findings.cells, strict=True)
        if any(cells)
    ]
    findings_rows = [position for position, _cells in made]
    findings_cells = [cells for _position, cells in made]
    hidden = _Hidden()
    while True:
        figures = _suppress_once(raw, k, findings_rows, findings_cells, hidden)
        now_hidden = _hidden_by(figures)
        if now_hidden == hidden:
            return figures
        hidden = now_hidden


@dataclass(frozen=True)
class _Hidden:
    """What some table hid that the others print too."""

    filed: bool = False
    open: bool = False
    allegations: frozenset[int] = frozenset()  # positions in by_allegation


def _hidden_by(figures: SuppressedFigures) -> _Hidden:
    tables: tuple[Line, ...] = (figures.summary, figures.by_month, figures.by_allegation)
    tables += (figures.by_agency, figures.by_state)
    findings_rows = figures.findings_rows
    return _Hidden(
        filed=any(table.total.hidden for table in tables),
        open=figures.summary.cells[0].hidden or figures.backlog.total.hidden,
        allegations=frozenset(
            {i for i, cell in enumerate(figures.by_allegation.cells) if cell.hidden}
            | {
                findings_rows[n]
                for n, cell in enumerate(figures.findings.row_totals)
                if cell.hidden
            }
        ),
    )


def _suppress_once(
    raw: RawFigures,
    k: int,
    findings_rows: list[int],
    findings_cells: list[list[int]],
    hidden: _Hidden,
) -> SuppressedFigures:
    """Every table suppressed once, with what ``hidden`` says the other tables hid."""
    filed, open_, closed = raw.summary.filed, raw.summary.open, raw.summary.closed
    column_totals = [sum(column) for column in zip(*findings_cells, strict=True)] or [0] * len(
        raw.findings.columns
    )
    concurrence_counts = _counts(raw.concurrence)
    return SuppressedFigures(
        summary=suppress_line(
            [open_, closed], filed, k, also_hide={0} if hidden.open else (), hide_total=hidden.filed
        ),
        by_month=suppress_line(_counts(raw.by_month), filed, k, hide_total=hidden.filed),
        by_allegation=suppress_line(
            _counts(raw.by_allegation),
            filed,
            k,
            also_hide=set(hidden.allegations),
            hide_total=hidden.filed,
        ),
        by_agency=suppress_line(_counts(raw.by_agency), filed, k, hide_total=hidden.filed),
        by_state=suppress_line(_counts(raw.by_state), filed, k, hide_total=hidden.filed),
        backlog=suppress_grid(
            [list(row.by_age) for row in raw.backlog],
            [row.count for row in raw.backlog],
            [sum(row.by_age[i] for row in raw.backlog) for i in range(len(stats.AGE_BUCKETS))],
            open_,
            k,
            hide_total=hidden.open,
        ),
        findings=suppress_grid(
            findings_cells,
            [sum(cells) for cells in findings_cells],
            column_totals,
            sum(map(sum, findings_cells)),
            k,
            also_hide_rows={
                n for n, position in enumerate(findings_rows) if position in hidden.allegations
            },
        ),
        findings_rows=findings_rows,
        concurrence=suppress_line(concurrence_counts, sum(concurrence_counts), k),
    )
