"""The periodic report: a PDF for a date range, in the manner of a report to Congress.

Title page, contents, summary figures, intake by month, allegation, agency and state, backlog
and aging, time to close, on-time share, findings by allegation, agency concurrence, program
oversight and a methods note. Every count goes through ``suppression`` first (counts from 1 to
k-1 read "fewer than k", with complementary suppression), and charts plot only what the tables
show, so a chart never reveals a hidden cell.

Tables that print the same figure hide it together: the complaints filed are the total of the
summary and of the month, allegation, agency and state tables; the open complaints are also
the backlog's grand total; each allegation's count is also a row total of the findings table.
``suppressed_figures`` runs the tables' suppression again with what another table hid until
they all agree.

The form is a GET (dates are not personal data, and a link to a report is worth keeping); the
PDF is rendered through the project's one rendering function, given as an attachment, and
every report generated is an audit event (its dates and language, nothing else).
"""

import logging
import re
from dataclasses import dataclass
from datetime import date, datetime

from babel.dates import format_skeleton
from flask import current_app, render_template, request
from flask_babel import (
    force_locale,
    format_date,
    format_decimal,
    format_number,
    format_percent,
    get_locale,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField
from wtforms.validators import InputRequired, ValidationError

from intake.accounts.access import current_user, requires
from intake.audit.services import record_event
from intake.database import utcnow, write_lock_from_now
from intake.documents import rendering
from intake.documents.pdf import RenderedPdf, RenderError, render_pdf
from intake.extensions import db
from intake.queue.forms import DateText
from intake.reference.categories import LANGUAGES

from . import charts, program
from . import statistics as stats
from .blueprint import bp
from .filters import OversightFilters
from .suppression import Cell, Grid, Line, suppress_count, suppress_grid, suppress_line

log = logging.getLogger(__name__)

# The earliest first day a report may have, and its longest span: a report is for a quarter,
# a half year or a year; ten years is already a history, anything longer a typing mistake.
EARLIEST_START = date(2000, 1, 1)
MAX_YEARS = 10
STYLESHEETS = ("documents/pdf.css", "documents/report.css")
# Charts with more bars than this show the largest only (the table lists every row).
MAX_CHART_BARS = 15
# Chart widths (percent of the text width, 6.9 inches on Letter with pdf.css's margins), and
# the tallest a chart may be: report.css has a class for each width.
CHART_WIDTHS = (35, 45, 55, 70, 86)
TEXT_WIDTH_INCHES = 6.9
MAX_CHART_INCHES = 6.5


def default_period(today: date) -> tuple[date, date]:
    """The last full half year, the period of a semiannual report to Congress: January to
    June once July has begun, else July to December of the year before."""
    if today.month >= 7:
        return date(today.year, 1, 1), date(today.year, 6, 30)
    return date(today.year - 1, 7, 1), date(today.year - 1, 12, 31)


# --- the form ---------------------------------------------------------------------------------


class ReportForm(FlaskForm):
    """Read from the URL (GET, no CSRF token: a forged link can only make someone download a
    report of aggregate figures they may read anyway)."""

    start = DateText(
        _l("First day"),
        description=_l("For example 01/01/2026."),
        validators=[InputRequired(_l("Enter the first day of the report's period."))],
    )
    end = DateText(
        _l("Last day"),
        description=_l("For example 06/30/2026. Complaints filed on this day are included."),
        validators=[InputRequired(_l("Enter the last day of the report's period."))],
    )
    lang = SelectField(
        _l("Language of the report"),
        choices=list(LANGUAGES.items()),
        validate_choice=False,
    )

    def __init__(self, *args, today: date, **kwargs):
        super().__init__(*args, meta={"csrf": False}, **kwargs)
        self.today = today

    def validate_start(self, field):
        start = field.as_date
        if start is None:
            return  # DateText said what is wrong
        if start < EARLIEST_START:
            raise ValidationError(
                _l("Choose a first day in %(year)d or later.", year=EARLIEST_START.year)
            )
        if start > self.today:
            raise ValidationError(_l("Choose a first day that is not after today."))

    def validate_end(self, field):
        start, end = self.start.as_date, field.as_date
        if end is None:
            return
        if end > self.today:
            raise ValidationError(
                _l(
                    "Choose a last day that is not after today (%(today)s): the figures of "
                    "days still to come are not known.",
                    today=format_date(self.today, "long"),
                )
            )
        if start is None or self.start.errors:
            return
        if end < start:
            raise ValidationError(_l("Choose a last day on or after the first day."))
        if _years_between(start, end) >= MAX_YEARS:
            raise ValidationError(_l("A report covers at most %(years)d years.", years=MAX_YEARS))

    def validate_lang(self, field):
        if field.data not in LANGUAGES:
            raise ValidationError(_l("Choose English or Spanish."))


def _years_between(start: date, end: date) -> float:
    return (end - start).days / 365.25


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
    filed, open_, closed = raw.summary.filed, raw.summary.open, raw.summary.closed
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
    findings_column_totals = [sum(column) for column in zip(*findings_cells, strict=True)] or [
        0
    ] * len(raw.findings.columns)
    hide_filed = hide_open = False
    hide_allegations: set[int] = set()  # positions in by_allegation
    while True:
        summary = suppress_line(
            [open_, closed], filed, k, also_hide={0} if hide_open else (), hide_total=hide_filed
        )
        by_month = suppress_line(_counts(raw.by_month), filed, k, hide_total=hide_filed)
        by_allegation = suppress_line(
            _counts(raw.by_allegation), filed, k, also_hide=hide_allegations, hide_total=hide_filed
        )
        by_agency = suppress_line(_counts(raw.by_agency), filed, k, hide_total=hide_filed)
        by_state = suppress_line(_counts(raw.by_state), filed, k, hide_total=hide_filed)
        backlog = suppress_grid(
            [list(row.by_age) for row in raw.backlog],
            [row.count for row in raw.backlog],
            [sum(row.by_age[i] for row in raw.backlog) for i in range(len(stats.AGE_BUCKETS))],
            open_,
            k,
            hide_total=hide_open,
        )
        hidden_findings_rows = {
            n for n, position in enumerate(findings_rows) if position in hide_allegations
        }
        findings = suppress_grid(
            findings_cells,
            [sum(cells) for cells in findings_cells],
            findings_column_totals,
            sum(map(sum, findings_cells)),
            k,
            also_hide_rows=hidden_findings_rows,
        )
        now_filed = any(
            table.total.hidden for table in (summary, by_month, by_allegation, by_agency, by_state)
        )
        now_open = summary.cells[0].hidden or backlog.total.hidden
        now_allegations = {i for i, cell in enumerate(by_allegation.cells) if cell.hidden} | {
            findings_rows[n] for n, cell in enumerate(findings.row_totals) if cell.hidden
        }
        if (now_filed, now_open, now_allegations) == (hide_filed, hide_open, hide_allegations):
            break
        hide_filed, hide_open, hide_allegations = now_filed, now_open, now_allegations
    concurrence_counts = _counts(raw.concurrence)
    concurrence = suppress_line(concurrence_counts, sum(concurrence_counts), k)
    return SuppressedFigures(
        summary=summary,
        by_month=by_month,
        by_allegation=by_allegation,
        by_agency=by_agency,
        by_state=by_state,
        backlog=backlog,
        findings=findings,
        findings_rows=findings_rows,
        concurrence=concurrence,
    )


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


def _program(now: datetime, k: int) -> tuple[list[ProgramLine], int, int, int]:
    threshold = current_app.config["PROFILING_FLAG_THRESHOLD"]
    window_days = current_app.config["PROFILING_FLAG_WINDOW_DAYS"]
    months = program.DEFAULT_MONTHS
    lines = []
    for comparison in program.overview(months, months, now):
        jurisdiction = comparison.jurisdiction
        county = jurisdiction.county
        before, after = comparison.before, comparison.after
        lines.append(
            ProgramLine(
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
        )
    return lines, months, threshold, window_days


def build_report(start: date, end: date, language: str, *, now: datetime, k: int) -> Report:
    """Every figure of the report, suppressed, with its charts, in ``language``."""
    with force_locale(language):
        raw = read_figures(start, end, now)
        figures = suppressed_figures(raw, k)
        complaints = _("Complaints")
        all_complaints = _("All complaints")
        by_month = _count_table(
            _("Complaints filed by month"),
            _("Month (UTC)"),
            raw.by_month,
            figures.by_month,
            all_complaints,
            complaints,
            chart=_month_chart(raw.by_month, figures.by_month),
        )
        by_allegation = _count_table(
            _("Complaints by allegation"),
            _("Allegation"),
            raw.by_allegation,
            figures.by_allegation,
            _("All complaints (each once)"),
            complaints,
            overlapping=True,
        )
        by_agency = _count_table(
            _("Complaints by agency"),
            _("Agency"),
            raw.by_agency,
            figures.by_agency,
            _("All complaints (each once)"),
            complaints,
            overlapping=True,
        )
        by_state = _count_table(
            _("Complaints by incident state"),
            _("State"),
            raw.by_state,
            figures.by_state,
            all_complaints,
            complaints,
            note=_("States without complaints in the period are not listed."),
        )
        backlog = GridTable(
            _("Open complaints by status and time since filing"),
            _("Status"),
            [row.label for row in raw.backlog],
            [str(label) for _code, label, _first, _last in stats.AGE_BUCKETS],
            figures.backlog,
            _backlog_chart(raw.backlog, figures.backlog),
        )
        on_time = _on_time(raw, figures.backlog, k)
        findings_rows = [raw.by_allegation[i].label for i in figures.findings_rows]
        findings = GridTable(
            _("Findings by allegation"),
            _("Allegation"),
            findings_rows,
            [label for _code, label in raw.findings.columns],
            figures.findings,
            _findings_chart(findings_rows, raw.findings.columns, figures.findings),
            note=_(
                "Counts of allegations: a complaint with several allegations counts once in"
                " each of its rows. Allegations not made in the period are not listed."
            ),
        )
        concurrence = _count_table(
            _("Agency answers to recommendations"),
            _("Answer"),
            raw.concurrence,
            figures.concurrence,
            _("All recommendations"),
            _("Recommendations"),
        )
        program_lines, program_months, threshold, window_days = _program(now, k)
        # Percentiles of a handful of cases describe those cases: only with their count.
        times_shown = not figures.summary.cells[1].hidden
        report = Report(
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
            by_month=by_month,
            by_allegation=by_allegation,
            by_agency=by_agency,
            by_state=by_state,
            backlog=backlog,
            on_time=on_time,
            on_time_chart=_on_time_chart(on_time),
            findings=findings,
            concurrence=concurrence,
            program=program_lines,
            program_months=program_months,
            flag_threshold=threshold,
            flag_window_days=window_days,
        )
    return report


# Up to this many months, the chart's axis names each month (its year is in the title);
# beyond it, the chart module tilts the labels and names every third month.
SHORT_MONTH_LABELS = 13


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


def chart_size(chart: charts.Chart) -> str:
    """The CSS class that sizes a chart on the page: full width (86%) unless that would make
    it taller than about 6.5 inches of the 9-inch text block, then narrower."""
    match = re.search(r'viewBox="0 0 ([0-9.]+) ([0-9.]+)"', chart.svg)
    if not match:
        return "rpt-chart-86"
    ratio = float(match.group(2)) / float(match.group(1))
    fits = 100 * MAX_CHART_INCHES / (ratio * TEXT_WIDTH_INCHES)
    return f"rpt-chart-{max([w for w in CHART_WIDTHS if w <= fits], default=CHART_WIDTHS[0])}"


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


# --- the document -----------------------------------------------------------------------------


def sections() -> list[tuple[str, str]]:
    """The report's sections in order: (anchor, heading) in the current language."""
    return [
        ("summary", _("Summary")),
        ("intake-month", _("Intake by month")),
        ("intake-allegation", _("Intake by allegation")),
        ("intake-agency", _("Intake by agency")),
        ("intake-state", _("Intake by state")),
        ("backlog", _("Backlog and aging")),
        ("time-to-close", _("Time to close")),
        ("on-time", _("Cases within target time")),
        ("findings", _("Findings by allegation")),
        ("concurrence", _("Agency concurrence with recommendations")),
        ("program", _("Program oversight")),
        ("methods", _("Methods")),
    ]


def report_html(report: Report) -> str:
    language = report.language
    with force_locale(language):
        k = report.k
        listed = sections()
        return render_template(
            "oversight/report_pdf.html",
            report=report,
            document_language=language,
            document_author=rendering.OFFICE_NAMES.get(language, rendering.OFFICE_NAMES["en"]),
            office=rendering.OFFICE_NAMES.get(language, rendering.OFFICE_NAMES["en"]),
            title=_("Periodic report on civil-rights complaints"),
            period=_(
                "%(start)s to %(end)s",
                start=format_date(report.start, "long"),
                end=format_date(report.end, "long"),
            ),
            generated=rendering.generated_at_text(report.generated_at, language),
            hidden_text=_("fewer than %(k)s", k=format_number(k)),
            number=format_number,
            days=lambda value: format_decimal(value, "#,##0.0"),
            percent=lambda share: format_percent(share, "#,##0%"),
            rate=lambda count, months: format_decimal(count / months, "#,##0.0"),
            sections=listed,
            chart_size=chart_size,
            section_numbers={key: number for number, (key, _title) in enumerate(listed, 1)},
            section_titles=dict(listed),
        )


def render_report(report: Report) -> RenderedPdf:
    return render_pdf(
        report_html(report),
        stylesheets=STYLESHEETS,
        timeout=current_app.config.get("PDF_RENDER_TIMEOUT_SECONDS"),
    )


def report_filename(start: date, end: date, language: str) -> str:
    suffix = "" if language == "en" else f"-{language}"
    return f"oversight-report-{start.isoformat()}-to-{end.isoformat()}{suffix}.pdf"


def suppression_k() -> int:
    return int(current_app.config["OVERSIGHT_SUPPRESSION_K"])


# --- views ------------------------------------------------------------------------------------


def _ui_language() -> str:
    language = str(get_locale() or "en")
    return language if language in LANGUAGES else "en"


def _form_page(form: ReportForm, status: int = 200):
    return render_template("oversight/report.html", form=form, k=suppression_k()), status


@bp.route("/report", methods=["GET"])
@requires("oversight.view")
def report_form():
    today = utcnow().date()
    start, end = default_period(today)
    form = ReportForm(formdata=None, today=today)
    form.start.data, form.end.data = start.isoformat(), end.isoformat()
    form.lang.data = _ui_language()
    return _form_page(form)


@bp.route("/report.pdf", methods=["GET"])
@requires("oversight.view")
def report_pdf():
    now = utcnow()
    form = ReportForm(formdata=request.args, today=now.date())
    if not request.args.get("lang"):
        form.lang.data = _ui_language()
    if not form.validate():
        return _form_page(form, 400)
    start, end, language = form.start.as_date, form.end.as_date, form.lang.data
    user_id = current_user().id
    if db.session.get_bind().dialect.name == "postgresql":
        # One snapshot for every figure, so the tables agree with each other: end the sign-in
        # check's transaction, and start a read-only repeatable-read one.
        db.session.commit()
        db.session.connection(
            execution_options={"isolation_level": "REPEATABLE READ", "postgresql_readonly": True}
        )
    try:
        rendered = render_report(build_report(start, end, language, now=now, k=suppression_k()))
    except RenderError as error:
        db.session.rollback()
        log.error("oversight report render failed: %s", type(error).__name__)
        return render_template("documents/render_failed.html"), 503
    # Rendered without holding the database's write lock; the audit event takes it now.
    write_lock_from_now()
    record_event(
        "oversight.report_generated",
        actor_type="staff",
        actor_id=user_id,
        details={"start": start.isoformat(), "end": end.isoformat(), "language": language},
    )
    db.session.commit()
    return rendering.pdf_response(rendered.data, report_filename(start, end, language))
