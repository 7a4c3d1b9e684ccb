"""What an oversight figure covers: a filing-date range, an incident state, an agency and an
allegation (``forms.OversightFilterForm`` chooses them from the URL).

A complaint is in the selection when it was filed (``submitted_at``, UTC) on or between the two
dates and, for each filter given, its incident state is that state, it names that agency, and
it alleges that category. Figures then count each complaint once under each of its allegations
or agencies, so with an allegation filter the other allegations of the same complaints still
show.
"""

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class OversightFilters:
    start: date | None = None
    end: date | None = None
    state: str | None = None
    agency: str | None = None
    allegation: str | None = None

    @classmethod
    def default(cls, today: date) -> "OversightFilters":
        """The default range (see default_range), no other filter."""
        start, end = default_range(today)
        return cls(start=start, end=end)

    def query_args(self) -> dict[str, str]:
        """The filters as URL parameters: codes and ISO dates, nothing personal."""
        values = {
            "start": self.start.isoformat() if self.start else "",
            "end": self.end.isoformat() if self.end else "",
            "state": self.state or "",
            "agency": self.agency or "",
            "allegation": self.allegation or "",
        }
        return {name: value for name, value in values.items() if value}


def default_range(today: date) -> tuple[date, date]:
    """The last 12 full months plus the current month, to today."""
    return first_of_month(today, months_back=12), today


def first_of_month(day: date, months_back: int = 0) -> date:
    index = day.year * 12 + day.month - 1 - months_back
    return date(index // 12, index % 12 + 1, 1)
