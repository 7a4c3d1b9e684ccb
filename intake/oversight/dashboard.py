"""The oversight dashboard's figures: every aggregate figure for a date range and filters, each
chart with its data table beside it (the view in views.py renders them).

Aggregates only: nothing on the page names a person or links to a case, so oversight analysts
(who have no case permissions) read it like supervisors and administrators.
"""

from dataclasses import dataclass

from flask_babel import format_date, format_decimal, format_percent
from flask_babel import gettext as _

from intake.reference import lookups
from intake.reference.categories import AGENCIES, ALLEGATIONS

from . import charts, combined
from . import statistics as stats
from .filters import OversightFilters

# Counties and states beyond the largest few are summed into one "others" row: a million
# complaints reach some three thousand counties, too many to read as a chart or a table.
TOP_PLACES = 20
OTHERS = "others"


@dataclass(frozen=True)
class CountFigure:
    """A chart of counts with the rows of its table."""

    chart: charts.Chart
    rows: list[stats.Count]
    total: int


def page_figures(f: OversightFilters, now) -> dict:
    """Every figure of the dashboard with its chart; only the summary when nothing is selected."""
    found = combined.all_figures(f, now)
    summary = found.summary
    if not summary.filed:
        return {"summary": summary}
    month_chart = charts.line_chart(
        _("Complaints filed by month"),
        [(stats.month_label(row.code, short=True), row.count) for row in found.by_month],
        series=_("Complaints filed"),
    )
    return {
        "summary": summary,
        "by_month": CountFigure(month_chart, found.by_month, summary.filed),
        "by_allegation": _count_figure(_("Complaints by allegation"), found.by_allegation),
        "by_agency": _count_figure(_("Complaints by agency"), found.by_agency),
        "by_state": _count_figure(
            _("Complaints by incident state"), _top(found.by_state, _("All other states"))
        ),
        "by_county": _count_figure(
            _("Complaints by incident county"), _top(found.by_county, _("All other counties"))
        ),
        "backlog": found.backlog,
        "backlog_chart": _backlog_chart(found.backlog),
        "age_buckets": [(code, str(label)) for code, label, _, _ in stats.AGE_BUCKETS],
        "on_time": found.on_time,
        "on_time_chart": charts.bar_chart(
            _("Open cases within their status's target time"),
            [(row.label, _percent(row.share)) for row in found.on_time],
            percent=True,
            series=_("Share within target"),
        ),
        "findings": _findings_with_allegations(found.findings),
        "findings_chart": _findings_chart(found.findings),
        "concurrence": _count_figure(_("Agency answers to recommendations"), found.concurrence),
    }


def _count_figure(title: str, rows: list[stats.Count]) -> CountFigure:
    chart = charts.bar_chart(
        title, [(row.label, row.count) for row in rows], series=_("Complaints")
    )
    return CountFigure(chart, rows, sum(row.count for row in rows))


def _top(rows: list[stats.Count], others_label: str) -> list[stats.Count]:
    """The largest TOP_PLACES rows (and "not given"), the rest summed into one row."""
    known = [row for row in rows if row.code != stats.UNKNOWN]
    unknown = [row for row in rows if row.code == stats.UNKNOWN]
    if len(known) <= TOP_PLACES:
        return rows
    rest = known[TOP_PLACES:]
    label = f"{others_label} ({len(rest)})"
    return [*known[:TOP_PLACES], stats.Count(OTHERS, label, sum(r.count for r in rest)), *unknown]


def _percent(share: float | None) -> float | None:
    return None if share is None else round(share * 100, 1)


def _backlog_chart(backlog: list[stats.BacklogRow]) -> charts.Chart:
    return charts.stacked_bar_chart(
        _("Open complaints by status and time since filing"),
        [row.label for row in backlog],
        [
            (str(label), [row.by_age[index] for row in backlog])
            for index, (_code, label, _first, _last) in enumerate(stats.AGE_BUCKETS)
        ],
        colors=charts.SEQUENTIAL_COLORS,
    )


def _findings_with_allegations(table: stats.FindingsTable) -> stats.FindingsTable:
    """Only the allegations the selected complaints make."""
    kept = [i for i, cells in enumerate(table.cells) if any(cells)]
    return stats.FindingsTable(
        rows=[table.rows[i] for i in kept],
        columns=table.columns,
        cells=[table.cells[i] for i in kept],
    )


def _findings_chart(table: stats.FindingsTable) -> charts.Chart:
    shown = _findings_with_allegations(table)
    return charts.stacked_bar_chart(
        _("Findings by allegation"),
        [label for _code, label in shown.rows],
        [
            (label, [cells[index] for cells in shown.cells])
            for index, (_code, label) in enumerate(shown.columns)
        ],
    )


def describe(f: OversightFilters) -> str:
    """The selection in words, shown above the figures."""
    if f.start and f.end:
        text = _(
            "Complaints filed from %(start)s to %(end)s",
            start=format_date(f.start, "long"),
            end=format_date(f.end, "long"),
        )
    elif f.start:
        text = _("Complaints filed from %(start)s on", start=format_date(f.start, "long"))
    elif f.end:
        text = _("Complaints filed up to %(end)s", end=format_date(f.end, "long"))
    else:
        text = _("All complaints filed")
    parts = [text]
    if f.state:
        parts.append(_("incident in %(state)s", state=lookups.state_name(f.state)))
    if f.agency:
        parts.append(_("naming %(agency)s", agency=AGENCIES[f.agency]))
    if f.allegation:
        parts.append(_("alleging %(allegation)s", allegation=ALLEGATIONS[f.allegation]))
    return "; ".join(parts) + "."


def format_days(days: float | None) -> str:
    return _("Not available") if days is None else format_decimal(days, "#,##0.0")


def format_share(share: float | None) -> str:
    return _("No cases") if share is None else format_percent(share, "#,##0%")
