"""What the program pages show beside program.py's figures: means and counts formatted in the
page's language, the month charts of one jurisdiction, and which jurisdictions the comparison
lists.

The comparison lists, by default, only the jurisdictions with something to compare: at least
one of the two periods has a month with records, or the jurisdiction is flagged. The others
(most of a registry of 2009-2010 activations, whose windows end long before records begin)
would fill the page with "not available"; the page says how many are hidden and links to the
whole list.
"""

from dataclasses import dataclass
from datetime import date

from babel.numbers import format_decimal
from flask import current_app
from flask_babel import get_locale
from flask_babel import gettext as _

from . import charts, program
from .jurisdictions import state_name


@dataclass(frozen=True)
class Listing:
    """The comparisons the page lists, and how many of the registry's it leaves out."""

    shown: list[program.JurisdictionComparison]
    hidden: int
    show_all: bool

    @property
    def total(self) -> int:
        return len(self.shown) + self.hidden


def has_data(comparison: program.JurisdictionComparison) -> bool:
    """A month with records on either side of the activation, or a flag."""
    return comparison.before.available or comparison.after.available or comparison.flagged


def listing(comparisons: list[program.JurisdictionComparison], show_all: bool) -> Listing:
    if show_all:
        return Listing(list(comparisons), 0, True)
    shown = [c for c in comparisons if has_data(c)]
    return Listing(shown, len(comparisons) - len(shown), False)


def unavailable_text(records_begin: date | None) -> str:
    """What a period without any month of records shows instead of a mean."""
    if records_begin is None:
        return _("not available (no complaints recorded yet)")
    return _("not available (records begin %(month)s)", month=program.month_label(records_begin))


def _formatters(records_begin: date | None) -> dict:
    """Number formatters bound to the page's language once: a table formats many cells."""
    locale = get_locale()
    unavailable = unavailable_text(records_begin)

    def mean(value: float | None) -> str:
        """A monthly mean to one decimal, or why there is none."""
        return unavailable if value is None else format_decimal(value, "#,##0.0", locale=locale)

    def number(value: int) -> str:
        return format_decimal(value, locale=locale)

    return {"mean": mean, "number": number, "unavailable": unavailable}


def flag_settings() -> tuple[int, int]:
    """(threshold, window in days) of the profiling flags."""
    config = current_app.config
    return config["PROFILING_FLAG_THRESHOLD"], config["PROFILING_FLAG_WINDOW_DAYS"]


def page_helpers() -> dict:
    """What both program pages' templates use: formatters, labels and the flag settings."""
    threshold, window_days = flag_settings()
    records_begin = program.records_begin()
    return {
        "activation_text": program.activation_text,
        "month_label": program.month_label,
        "state_name": state_name,
        "threshold": threshold,
        "window_days": window_days,
        "records_begin": records_begin,
        **_formatters(records_begin),
    }


def place_name(jurisdiction) -> str:
    """'Webb County, Texas'."""
    return _(
        "%(county)s, %(state)s",
        county=jurisdiction.county.name,
        state=state_name(jurisdiction.state_code),
    )


def month_charts(place: str, rows: list[program.MonthRow]) -> list[charts.Chart]:
    """Complaints, then profiling complaints, by month; a month without records is a gap."""
    if not any(row.covered for row in rows):
        return []
    labels = [program.month_label(row.month, short=True) for row in rows]
    titles = (
        (_("Complaints about incidents in %(place)s, by month", place=place), "total"),
        (
            _("Profiling complaints about incidents in %(place)s, by month", place=place),
            "profiling",
        ),
    )
    return [
        charts.line_chart(
            title,
            [
                (label, getattr(row, attribute) if row.covered else None)
                for label, row in zip(labels, rows, strict=True)
            ],
        )
        for title, attribute in titles
    ]
