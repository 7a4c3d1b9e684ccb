"""The months that open data covers: a range of whole months of filing (``submitted_at``, UTC),
typed as ``2026-03`` or ``03/2026``, and the labels the file and its name give them."""

from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import ColumnElement

from intake.complaints.models import Complaint

MONTH_FORMATS = ("%Y-%m", "%m/%Y")


def parse_month(text: str) -> date | None:
    """``2026-03`` (ISO, as a browser's month picker sends it) or ``03/2026``: its first day."""
    for pattern in MONTH_FORMATS:
        try:
            return datetime.strptime(text, pattern).date().replace(day=1)
        except ValueError:
            continue
    return None


def month_label(moment: date | datetime) -> str:
    return f"{moment.year:04d}-{moment.month:02d}"


def next_month(month: date) -> date | None:
    """The first day of the following month (None after December 9999)."""
    if month.month < 12:
        return month.replace(month=month.month + 1)
    return month.replace(year=month.year + 1, month=1) if month.year < 9999 else None


def _start_of(month: date) -> datetime:
    return datetime(month.year, month.month, 1, tzinfo=UTC)


@dataclass(frozen=True)
class MonthRange:
    """Complaints filed (``submitted_at``, UTC) from the first month to the last, both whole;
    either end may be open."""

    first: date | None = None
    last: date | None = None

    def conditions(self) -> list[ColumnElement[bool]]:
        where = []
        if self.first is not None:
            where.append(Complaint.submitted_at >= _start_of(self.first))
        after = next_month(self.last) if self.last is not None else None
        if after is not None:
            where.append(Complaint.submitted_at < _start_of(after))
        return where

    def query_args(self) -> dict[str, str]:
        args = {}
        if self.first is not None:
            args["filed_from"] = month_label(self.first)
        if self.last is not None:
            args["filed_to"] = month_label(self.last)
        return args

    def filename(self) -> str:
        if self.first and self.last:
            span = f"-{month_label(self.first)}-to-{month_label(self.last)}"
        elif self.first:
            span = f"-from-{month_label(self.first)}"
        elif self.last:
            span = f"-to-{month_label(self.last)}"
        else:
            span = ""
        return f"complaints-open-data{span}.csv"
