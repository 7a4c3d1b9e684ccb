"""The periodic report: a PDF for a date range, in the manner of a report to Congress.

Title page, contents, summary figures, intake by month, allegation, agency and state, backlog
and aging, time to close, on-time share, findings by allegation, agency concurrence, program
oversight and a methods note. This module builds the report's tables and charts from the
suppressed counts of ``report_suppression.py`` (counts from 1 to k-1 read "fewer than k"), and
charts plot only what the tables show, so a chart never reveals a hidden cell;
``report_document.py`` renders it.

The form (forms.ReportForm) is a GET (dates are not personal data, and a link to a report is
worth keeping); the PDF is rendered through the project's one rendering function, given as an
attachment, and every report generated is an audit event (its dates and language, nothing
else).
"""

from dataclasses import dataclass
from datetime import date, datetime

from babel.dates import format_skeleton
from flask import current_app
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _

from . import charts, program
from . import statistics as stats
from .report_suppression import RawFigures, SuppressedFigures, read_figures, suppressed_figures
from .suppression import Cell, Grid, Line, suppress_count

# The earliest first day a report may have, and its longest span: a report is for a quarter,
# a half year or a year; ten years is already a history, anything longer a typing mistake.
EARLIEST_START = date(2000, 1, 1)
MAX_YEARS = 10
# Charts with more bars than this show the largest only (the table lists every row).
MAX_CHART_BARS = 15


def default_period(today: date) -> tuple[date, date]:
    """The last full half year, the period of a semiannual report to Congress: January to
    June once July has begun, else July to December of the year before."""
    if today.month >= 7:
        return date(today.year, 1, 1), date(today.year, 6, 30)
    return date(today.year - 1, 7, 1), date(today.year - 1, 12, 31)


# --- the figures ------------------------------------------------------------------------------


@dataclass(frozen=True)
class CountRow:
    code: str
    label: str
    cell: Cell


@dataclass(frozen=True)
class CountTable:
    """A one-way table with its total, and the chart of its shown rows."""

    title: str
    label_heading: str
    rows: list[CountRow]
    total_label: str
    total: Cell
    chart: charts.Chart | None
    # Each complaint counts under each of its categories: the rows add up to more.
    overlapping: bool = False
    note: str | None = None


@dataclass(frozen=True)
class GridTable:
    title: str
    corner: str
    rows: list[str]
    columns: list[str]
    grid: Grid
    chart: charts.Chart | None
    note: str | None = None


@dataclass(frozen=True)
class OnTimeLine:
    label: str
    target_days: int
    cases: Cell
    # None: not printed (no cases, or a part of them too small to show).
    share: float | None


@dataclass(frozen=True)
class ProgramLine:
    name: str
    place: str
    program: str
    activation: str
    months_before: int
    months_covered_before: int
    months_after: int
    months_covered_after: int
    before_total: Cell
    before_profiling: Cell
    after_total: Cell
    after_profiling: Cell
    recent_profiling: Cell
    flagged: bool


@dataclass
class Report:
    start: date
    end: date
    language: str
    k: int
    generated_at: datetime
    filed: Cell
    open: Cell
    closed: Cell
    median_days: float | None
    p90_days: float | None
    by_month: CountTable
    by_allegation: CountTable
    by_agency: CountTable
    by_state: CountTable
    backlog: GridTable
    on_time: list[OnTimeLine]
    on_time_chart: charts.Chart | None
    findings: GridTable
    concurrence: CountTable
    program: list[ProgramLine]
    program_months: int
    flag_threshold: int
    flag_window_days: int


def _rows(counts: list[stats.Count], line: Line) -> list[CountRow]:
    return [CountRow(c.code, c.label, cell) for c, cell in zip(counts, line.cells, strict=True)]


def _bar_chart(title: str, rows: list[CountRow], series: str) -> charts.Chart | None:
    """The shown, non-zero rows, largest first when there are too many to plot."""
    plotted = [row for row in rows if row.cell.shown]
    if not plotted:
        return None
    if len(plotted) > MAX_CHART_BARS:
        plotted = sorted(plotted, key=lambda row: -row.cell.value)[:MAX_CHART_BARS]
    return charts.bar_chart(title, [(row.label, row.cell.shown) for row in plotted], series=series)


def _count_table(
    title: str,
    label_heading: str,
    counts: list[stats.Count],
    line: Line,
    total_label: str,
    series: str,
    *,
    overlapping: bool = False,
    chart: charts.Chart | None | bool = True,
    note: str | None = None,
) -> CountTable:
    rows = _rows(counts, line)
    if chart is True:
        chart = _bar_chart(title, rows, series)
    return CountTable(
        title, label_heading, rows, total_label, line.total, chart or None, overlapping, note
    )


def _on_time(raw: RawFigures, backlog: Grid, k: int) -> list[OnTimeLine]:
    """Each status with a target: its open cases (the backlog's row total, hidden or not as
    there), and the share within target when neither part is too small to show."""
    cases = {row.status: backlog.row_totals[i] for i, row in enumerate(raw.backlog)}
    lines = []
    for row in raw.on_time:
        within, past = row.within_target, row.cases - row.within_target
        parts_shown = not (suppress_count(within, k).hidden or suppress_count(past, k).hidden)
        share = row.share if row.cases and parts_shown else None
        lines.append(OnTimeLine(row.label, row.target_days, cases[row.status], share))
    return lines


def _program(now: datetime, k: int) -> dict:
    """The program section: each jurisdiction's window totals, suppressed, and the flags."""
    months = program.DEFAULT_MONTHS
    return {
        "program": [_program_line(c, k) for c in program.overview(months, months, now)],
        "program_months": months,
        "flag_threshold": current_app.config["PROFILING_FLAG_THRESHOLD"],
        "flag_window_days": current_app.config["PROFILING_FLAG_WINDOW_DAYS"],
    }


def _program_line(comparison: program.JurisdictionComparison, k: int) -> ProgramLine:
    jurisdiction = comparison.jurisdiction
    county = jurisdiction.county
    before, after = comparison.before, comparison.after
    return ProgramLine(
        name=jurisdiction.name,
        place=f"{county.name}, {county.state_code}",
        program=jurisdiction.program,
        activation=program.activation_text(jurisdiction),
        months_before=before.months,
        months_covered_before=before.months_covered,
        months_after=after.months,
        months_covered_after=after.months_covered,
        before_total=suppress_count(before.total, k),
        before_profiling=suppress_count(before.profiling, k),
        after_total=suppress_count(after.total, k),
        after_profiling=suppress_count(after.profiling, k),
        recent_profiling=suppress_count(comparison.recent_profiling, k),
        flagged=comparison.flagged,
    )


def build_report(start: date, end: date, language: str, *, now: datetime, k: int) -> Report:
    """Every figure of the report, suppressed, with its charts, in ``language``."""
    with force_locale(language):
        raw = read_figures(start, end, now)
        figures = suppressed_figures(raw, k)
        # Percentiles of a handful of cases describe those cases: only with their count.
        times_shown = not figures.summary.cells[1].hidden
        return Report(
            start=start,
            end=end,
            language=language,
            k=k,
            generated_at=now,
            filed=figures.summary.total,
            open=figures.summary.cells[0],
            closed=figures.summary.cells[1],
            median_days=raw.summary.median_days_to_close if times_shown else None,
            p90_days=raw.summary.p90_days_to_close if times_shown else None,
            **_intake_tables(raw, figures),
            **_review_tables(raw, figures, k),
            **_program(now, k),
        )


def _intake_tables(raw: RawFigures, figures: SuppressedFigures) -> dict:
    complaints = _("Complaints")
    all_complaints = _("All complaints")
    return {
        "by_month": _count_table(
            _("Complaints filed by month"),
            _("Month (UTC)"),
            raw.by_month,
            figures.by_month,
            all_complaints,
            complaints,
            chart=_month_chart(raw.by_month, figures.by_month),
        ),
        "by_allegation": _count_table(
            _("Complaints by allegation"),
            _("Allegation"),
            raw.by_allegation,
            figures.by_allegation,
            _("All complaints (each once)"),
            complaints,
            overlapping=True,
        ),
        "by_agency": _count_table(
            _("Complaints by agency"),
            _("Agency"),
            raw.by_agency,
            figures.by_agency,
            _("All complaints (each once)"),
            complaints,
            overlapping=True,
        ),
        "by_state": _count_table(
            _("Complaints by incident state"),
            _("State"),
            raw.by_state,
            figures.by_state,
            all_complaints,
            complaints,
            note=_("States without complaints in the period are not listed."),
        ),
    }


def _review_tables(raw: RawFigures, figures: SuppressedFigures, k: int) -> dict:
    on_time = _on_time(raw, figures.backlog, k)
    return {
        "backlog": GridTable(
            _("Open complaints by status and time since filing"),
            _("Status"),
            [row.label for row in raw.backlog],
            [str(label) for _code, label, _first, _last in stats.AGE_BUCKETS],
            figures.backlog,
            _backlog_chart(raw.backlog, figures.backlog),
        ),
        "on_time": on_time,
        "on_time_chart": _on_time_chart(on_time),
        "findings": _findings(raw, figures),
        "concurrence": _count_table(
            _("Agency answers to recommendations"),
            _("Answer"),
            raw.concurrence,
            figures.concurrence,
            _("All recommendations"),
            _("Recommendations"),
        ),
    }


def _findings(raw: RawFigures, figures: SuppressedFigures) -> GridTable:
    rows = [raw.by_allegation[i].label for i in figures.findings_rows]
    return GridTable(
        _("Findings by allegation"),
        _("Allegation"),
        rows,
        [label for _code, label in raw.findings.columns],
        figures.findings,
        _findings_chart(rows, raw.findings.columns, figures.findings),
        note=_(
            "Counts of allegations: a complaint with several allegations counts once in"
            " each of its rows. Allegations not made in the period are not listed."
        ),
    )


# Up to this many months, the chart's axis names each month by its name alone (the years are
# in the title); beyond it, by month and year, and the chart module names every Nth month.
SHORT_MONTH_LABELS = charts.MAX_X_LABELS


def _month_chart(counts: list[stats.Count], line: Line) -> charts.Chart | None:
    if not counts or not any(cell.shown for cell in line.cells):
        return None
    title = _(
        "Complaints filed by month, %(first)s to %(last)s",
        first=stats.month_label(counts[0].code),
        last=stats.month_label(counts[-1].code),
    )
    short = len(counts) <= SHORT_MONTH_LABELS
    return charts.line_chart(
        title,
        [
            (
                _month_name(row.code) if short else stats.month_label(row.code, short=True),
                cell.shown,
            )
            for row, cell in zip(counts, line.cells, strict=True)
        ],
        series=_("Complaints filed"),
    )


def _month_name(code: str) -> str:
    """'2026-03' as 'Mar' ('mar' in Spanish)."""
    year, month = (int(part) for part in code.split("-"))
    return format_skeleton("MMM", date(year, month, 1), locale=str(get_locale() or "en"))


def _backlog_chart(rows: list[stats.BacklogRow], grid: Grid) -> charts.Chart | None:
    if not any(cell.shown for row in grid.cells for cell in row):
        return None
    return charts.stacked_bar_chart(
        _("Open complaints by status and time since filing"),
        [row.label for row in rows],
        [
            (str(label), [cells[index].shown for cells in grid.cells])
            for index, (_code, label, _first, _last) in enumerate(stats.AGE_BUCKETS)
        ],
        colors=charts.SEQUENTIAL_COLORS,
    )


def _findings_chart(rows: list[str], columns, grid: Grid) -> charts.Chart | None:
    """The allegations with anything to plot (a row of hidden counts would be a bare label)."""
    plotted = [r for r, cells in enumerate(grid.cells) if any(cell.shown for cell in cells)]
    if not plotted:
        return None
    return charts.stacked_bar_chart(
        _("Findings by allegation"),
        [rows[r] for r in plotted],
        [
            (label, [grid.cells[r][index].shown for r in plotted])
            for index, (_code, label) in enumerate(columns)
        ],
    )


def _on_time_chart(lines: list[OnTimeLine]) -> charts.Chart | None:
    plotted = [(line.label, round(line.share * 100, 1)) for line in lines if line.share is not None]
    if not plotted:
        return None
    return charts.bar_chart(
        _("Open cases within their status's target time"),
        plotted,
        percent=True,
        series=_("Share within target"),
    )
