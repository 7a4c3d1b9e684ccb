"""The periodic report as a document: its sections, its HTML in the report's language, the
PDF through the project's one rendering function, the file's name, and the audit event of
each report generated (its dates and language, nothing else).
"""

import re
from datetime import date

from flask import current_app, render_template
from flask_babel import force_locale, format_date, format_decimal, format_number, format_percent
from flask_babel import gettext as _

from intake.audit.services import record_event
from intake.database import write_lock_from_now
from intake.documents import rendering
from intake.documents.pdf import RenderedPdf, render_pdf
from intake.extensions import db

from . import charts
from .report import Report

STYLESHEETS = ("documents/pdf.css", "documents/report.css")
# Chart widths (percent of the text width, 6.9 inches on Letter with pdf.css's margins), and
# the tallest a chart may be: report.css has a class for each width.
CHART_WIDTHS = (35, 45, 55, 70, 86)
TEXT_WIDTH_INCHES = 6.9
MAX_CHART_INCHES = 6.5


def chart_size(chart: charts.Chart) -> str:
    """The CSS class that sizes a chart on the page: full width (86%) unless that would make
    it taller than about 6.5 inches of the 9-inch text block, then narrower."""
    match = re.search(r'viewBox="0 0 ([0-9.]+) ([0-9.]+)"', chart.svg)
    if not match:
        return "rpt-chart-86"
    ratio = float(match.group(2)) / float(match.group(1))
    fits = 100 * MAX_CHART_INCHES / (ratio * TEXT_WIDTH_INCHES)
    return f"rpt-chart-{max([w for w in CHART_WIDTHS if w <= fits], default=CHART_WIDTHS[0])}"


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


def read_one_snapshot() -> None:
    """On PostgreSQL, one snapshot for every figure, so the tables agree with each other: end
    the sign-in check's transaction, and start a read-only repeatable-read one."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.commit()
        db.session.connection(
            execution_options={"isolation_level": "REPEATABLE READ", "postgresql_readonly": True}
        )


def record_generated(user_id: int, start: date, end: date, language: str) -> None:
    """The report on the audit trail, committed. Rendered without holding the database's
    write lock; the audit event takes it now."""
    write_lock_from_now()
    record_event(
        "oversight.report_generated",
        actor_type="staff",
        actor_id=user_id,
        details={"start": start.isoformat(), "end": end.isoformat(), "language": language},
    )
    db.session.commit()
