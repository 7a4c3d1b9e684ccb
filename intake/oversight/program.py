"""Program oversight: complaints in each registered jurisdiction before and after the program's
activation, profiling allegations counted apart, and flags on recent profiling complaints.

How complaints are counted (the program page and the periodic report both use this module):

- A complaint counts in the month of its incident (``incident_date``; a date known only to the
  month is stored as the first of that month), or in the month it was filed (``submitted_at``,
  UTC) when it has no incident date. Months are UTC calendar months, labelled ``YYYY-MM``.
- It counts for a jurisdiction when its ``incident_county_fips`` is the jurisdiction's county.
  Two programs registered in one county see the same complaints.
- A profiling complaint is one with a ``racial_profiling`` allegation.
- The activation month counts as *after* activation: most announcements give only the month,
  so the month cannot be split, and a program is in force for at least part of it.
- Coverage: records begin when the office began taking complaints (the month of the earliest
  ``submitted_at``). A month before that, or after the current month, is *not covered*: it
  has no records, which is not the same as no complaints. Monthly means are taken over the
  covered months of a window only; a window with none has no mean ("not available").
- Flags: a jurisdiction is flagged when the profiling complaints in its county dated (by
  incident, else filing) within the last ``window_days`` days, today included, number at least
  the threshold (``>=``).

Every figure for all jurisdictions comes from a few grouped queries, never one per
jurisdiction. On PostgreSQL they are served by the index
``(incident_county_fips, incident_date, submitted_at, id)`` on complaints, with the
``(complaint_id, category)`` unique index on allegations for the profiling join.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from babel.dates import format_skeleton
from flask import current_app
from flask_babel import format_date, get_locale
from flask_babel import gettext as _
from sqlalchemy import ColumnElement, Date, and_, cast, func, select, union_all
from sqlalchemy.orm import contains_eager

from intake.complaints.models import Allegation, Complaint
from intake.database import utcnow
from intake.extensions import db
from intake.reference.models import County, State

from .models import Jurisdiction

PROFILING = "racial_profiling"
DEFAULT_MONTHS = 12
# The window choice on the page: up to 20 years on either side, enough to reach from the
# 2009-2010 activations to today.
MAX_MONTHS = 240


@dataclass(frozen=True)
class MonthRow:
    month: str  # "YYYY-MM"
    total: int
    profiling: int
    after_activation: bool
    # False: no records for this month (before records begin, or still to come). A count
    # there can only be incidents of that month reported later, so it is not a full month.
    covered: bool


@dataclass(frozen=True)
class PeriodSummary:
    """One side of the activation: the months of the window and the covered ones' counts."""

    months: int
    months_covered: int
    total: int  # complaints in the covered months
    profiling: int

    @property
    def available(self) -> bool:
        return self.months_covered > 0

    @property
    def total_per_month(self) -> float | None:
        return self.total / self.months_covered if self.months_covered else None

    @property
    def profiling_per_month(self) -> float | None:
        return self.profiling / self.months_covered if self.months_covered else None


@dataclass(frozen=True)
class Flag:
    jurisdiction: Jurisdiction
    profiling_count: int


@dataclass(frozen=True)
class JurisdictionComparison:
    jurisdiction: Jurisdiction
    before: PeriodSummary
    after: PeriodSummary
    # Profiling complaints in the flag window, and whether they reach the threshold.
    recent_profiling: int
    flagged: bool
    # First day of the month records begin (None: no complaint recorded yet).
    records_begin: date | None


# --- months ---------------------------------------------------------------------------------


def month_start(value: date) -> date:
    return date(value.year, value.month, 1)


def add_months(value: date, months: int) -> date:
    index = value.year * 12 + value.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def month_key(value: date) -> str:
    return f"{value.year:04d}-{value.month:02d}"


def month_label(key_or_date: str | date, short: bool = False) -> str:
    """'2010-06' -> 'June 2010' (short: 'Jun 2010') in the page's language."""
    value = key_or_date
    if isinstance(value, str):
        year, month = value.split("-")
        value = date(int(year), int(month), 1)
    return format_skeleton("yMMM" if short else "yMMMM", value, locale=get_locale())


def _midnight(value: date) -> datetime:
    return datetime(value.year, value.month, value.day, tzinfo=UTC)


# --- activation dates -----------------------------------------------------------------------

# Month-level precisions: the date is the first of its month. Other imprecise dates may carry a
# day ("on or before September 10, 2009"); stored on the 1st, they read as the month.
_MONTH_LEVEL = {"month"}


def activation_has_day(jurisdiction: Jurisdiction) -> bool:
    """Whether the activation date names a day, not just a month."""
    if jurisdiction.date_precision == "day":
        return True
    if jurisdiction.date_precision in _MONTH_LEVEL:
        return False
    return jurisdiction.activation_date.day != 1


def activation_text(jurisdiction: Jurisdiction) -> str:
    """The activation date as precise as it is known: 'June 16, 2009', 'June 2010 (on or
    before)', 'April 13, 2010 (date announced)'."""
    when = (
        format_date(jurisdiction.activation_date, "long")
        if activation_has_day(jurisdiction)
        else month_label(jurisdiction.activation_date)
    )
    qualifier = {
        "on_or_before": _("on or before"),
        "approximate": _("approximate"),
        "announced": _("date announced"),
    }.get(jurisdiction.date_precision)
    return _("%(date)s (%(qualifier)s)", date=when, qualifier=qualifier) if qualifier else when


# --- queries --------------------------------------------------------------------------------


def _postgresql() -> bool:
    return db.session.get_bind().dialect.name == "postgresql"


def _dated_complaints(counties: set[str], first_day: date, end_day: date):
    """(id, county, day) of the complaints in these counties dated in [first_day, end_day):
    by incident date, else by filing day (UTC).

    Two ranges joined by UNION ALL rather than one OR, so that each is a range of the
    (incident_county_fips, incident_date, submitted_at, id) index, read without the table.
    """
    in_counties = Complaint.incident_county_fips.in_(sorted(counties))
    filing_day: ColumnElement[date]
    if _postgresql():
        filing_day = cast(func.timezone("UTC", Complaint.submitted_at), Date)
    else:  # SQLite keeps timestamps as naive UTC text, 'YYYY-MM-DD HH:MM:SS'
        filing_day = func.date(Complaint.submitted_at)
    by_incident = select(
        Complaint.id.label("id"),
        Complaint.incident_county_fips.label("county"),
        Complaint.incident_date.label("day"),
    ).where(in_counties, Complaint.incident_date >= first_day, Complaint.incident_date < end_day)
    by_filing = select(Complaint.id, Complaint.incident_county_fips, filing_day).where(
        in_counties,
        Complaint.incident_date.is_(None),
        Complaint.submitted_at >= _midnight(first_day),
        Complaint.submitted_at < _midnight(end_day),
    )
    return union_all(by_incident, by_filing).subquery("dated")


def _month_of(day):
    """'YYYY-MM' of a date column."""
    return func.to_char(day, "YYYY-MM") if _postgresql() else func.strftime("%Y-%m", day)


def _monthly_counts(
    counties: set[str], first_month: date, end_month: date
) -> dict[tuple[str, str], tuple[int, int]]:
    """(county, 'YYYY-MM') -> (complaints, profiling complaints), one grouped query."""
    if not counties:
        return {}
    dated = _dated_complaints(counties, first_month, end_month)
    month = _month_of(dated.c.day).label("month")
    profiling = Allegation.__table__.alias("profiling")
    stmt = (
        select(
            dated.c.county,
            month,
            func.count(),
            # At most one row per complaint: (complaint_id, category) is unique.
            func.count(profiling.c.complaint_id),
        )
        .select_from(dated)
        .outerjoin(
            profiling,
            and_(profiling.c.complaint_id == dated.c.id, profiling.c.category == PROFILING),
        )
        .group_by(dated.c.county, month)
    )
    return {
        (county, key): (total, profiled)
        for county, key, total, profiled in db.session.execute(stmt)
    }


def records_begin() -> date | None:
    """The first day of the month the office's records begin (its first complaint filed)."""
    first = db.session.execute(select(func.min(Complaint.submitted_at))).scalar_one_or_none()
    if first is None:
        return None
    if isinstance(first, str):  # SQLite: an aggregate's value skips the column type
        first = datetime.fromisoformat(first)
    return month_start(first.date() if isinstance(first, datetime) else first)


def _covered_months(begin: date | None, now: datetime) -> tuple[date, date] | None:
    """[first, last] covered month (first days), or None when nothing is recorded."""
    if begin is None:
        return None
    return begin, month_start(now.astimezone(UTC).date())


def _window(jurisdiction: Jurisdiction, months_before: int, months_after: int) -> list[date]:
    activation = month_start(jurisdiction.activation_date)
    return [add_months(activation, offset) for offset in range(-months_before, months_after)]


def _month_rows(
    jurisdiction: Jurisdiction,
    months_before: int,
    months_after: int,
    counts: dict[tuple[str, str], tuple[int, int]],
    covered: tuple[date, date] | None,
) -> list[MonthRow]:
    activation = month_start(jurisdiction.activation_date)
    rows = []
    for month in _window(jurisdiction, months_before, months_after):
        total, profiled = counts.get((jurisdiction.county_fips, month_key(month)), (0, 0))
        rows.append(
            MonthRow(
                month=month_key(month),
                total=total,
                profiling=profiled,
                after_activation=month >= activation,
                covered=covered is not None and covered[0] <= month <= covered[1],
            )
        )
    return rows


def _summary(rows: list[MonthRow]) -> PeriodSummary:
    covered = [row for row in rows if row.covered]
    return PeriodSummary(
        months=len(rows),
        months_covered=len(covered),
        total=sum(row.total for row in covered),
        profiling=sum(row.profiling for row in covered),
    )


def summarize(rows: list[MonthRow]) -> tuple[PeriodSummary, PeriodSummary]:
    """(before, after) activation, from one jurisdiction's month rows."""
    return (
        _summary([row for row in rows if not row.after_activation]),
        _summary([row for row in rows if row.after_activation]),
    )


def _check_months(months_before: int, months_after: int) -> None:
    for value in (months_before, months_after):
        if not 1 <= value <= MAX_MONTHS:
            raise ValueError(f"a window side must be 1 to {MAX_MONTHS} months, not {value}")


def jurisdiction_months(
    jurisdiction: Jurisdiction,
    months_before: int = DEFAULT_MONTHS,
    months_after: int = DEFAULT_MONTHS,
    now: datetime | None = None,
) -> list[MonthRow]:
    """Every month of the window around the activation, oldest first; the activation month
    is the first "after" month."""
    _check_months(months_before, months_after)
    now = now or utcnow()
    window = _window(jurisdiction, months_before, months_after)
    counts = _monthly_counts({jurisdiction.county_fips}, window[0], add_months(window[-1], 1))
    covered = _covered_months(records_begin(), now)
    return _month_rows(jurisdiction, months_before, months_after, counts, covered)


def registered_jurisdictions() -> list[Jurisdiction]:
    """Every jurisdiction with its county, by state name, county name and program."""
    stmt = (
        select(Jurisdiction)
        .join(Jurisdiction.county)
        .join(State, State.code == County.state_code)
        .options(contains_eager(Jurisdiction.county))
        .order_by(State.name, County.name, Jurisdiction.program, Jurisdiction.id)
    )
    return list(db.session.execute(stmt).scalars())


def _flag_settings(threshold: int | None, window_days: int | None) -> tuple[int, int]:
    config = current_app.config
    return (
        config["PROFILING_FLAG_THRESHOLD"] if threshold is None else threshold,
        config["PROFILING_FLAG_WINDOW_DAYS"] if window_days is None else window_days,
    )


def flag_window(now: datetime, window_days: int) -> tuple[date, date]:
    """(first day, last day) of the flag window: the last window_days days, today included."""
    today = now.astimezone(UTC).date()
    return today - timedelta(days=window_days - 1), today


def _recent_profiling(counties: set[str], now: datetime, window_days: int) -> dict[str, int]:
    """County -> profiling complaints dated within the flag window, one grouped query."""
    if not counties:
        return {}
    first_day, last_day = flag_window(now, window_days)
    dated = _dated_complaints(counties, first_day, last_day + timedelta(days=1))
    stmt = (
        select(dated.c.county, func.count())
        .select_from(dated)
        .join(
            Allegation,
            and_(Allegation.complaint_id == dated.c.id, Allegation.category == PROFILING),
        )
        .group_by(dated.c.county)
    )
    return {county: count for county, count in db.session.execute(stmt)}


def recent_profiling(
    jurisdiction: Jurisdiction, now: datetime | None = None, window_days: int | None = None
) -> int:
    """Profiling complaints in the jurisdiction's county within the flag window."""
    _, window_days = _flag_settings(None, window_days)
    recent = _recent_profiling({jurisdiction.county_fips}, now or utcnow(), window_days)
    return recent.get(jurisdiction.county_fips, 0)


def flags(
    now: datetime | None = None, threshold: int | None = None, window_days: int | None = None
) -> list[Flag]:
    """Registered jurisdictions whose recent profiling complaints reach the threshold (>=).

    Threshold and window default to PROFILING_FLAG_THRESHOLD and PROFILING_FLAG_WINDOW_DAYS.
    """
    threshold, window_days = _flag_settings(threshold, window_days)
    jurisdictions = registered_jurisdictions()
    recent = _recent_profiling({j.county_fips for j in jurisdictions}, now or utcnow(), window_days)
    return [
        Flag(j, recent.get(j.county_fips, 0))
        for j in jurisdictions
        if recent.get(j.county_fips, 0) >= threshold
    ]


def overview(
    months_before: int = DEFAULT_MONTHS,
    months_after: int = DEFAULT_MONTHS,
    now: datetime | None = None,
    threshold: int | None = None,
    window_days: int | None = None,
) -> list[JurisdictionComparison]:
    """Before and after activation for every registered jurisdiction, with its flag.

    Four queries whatever the number of jurisdictions: the registry, the month records
    begin, the monthly counts of every county over the union of the windows, and the
    recent profiling complaints per county.
    """
    _check_months(months_before, months_after)
    now = now or utcnow()
    threshold, window_days = _flag_settings(threshold, window_days)
    jurisdictions = registered_jurisdictions()
    if not jurisdictions:
        return []
    counties = {j.county_fips for j in jurisdictions}
    activations = [month_start(j.activation_date) for j in jurisdictions]
    counts = _monthly_counts(
        counties,
        add_months(min(activations), -months_before),
        add_months(max(activations), months_after),
    )
    begin = records_begin()
    covered = _covered_months(begin, now)
    recent = _recent_profiling(counties, now, window_days)
    comparisons = []
    for jurisdiction in jurisdictions:
        rows = _month_rows(jurisdiction, months_before, months_after, counts, covered)
        before, after = summarize(rows)
        recent_count = recent.get(jurisdiction.county_fips, 0)
        comparisons.append(
            JurisdictionComparison(
                jurisdiction=jurisdiction,
                before=before,
                after=after,
                recent_profiling=recent_count,
                flagged=recent_count >= threshold,
                records_begin=begin,
            )
        )
    return comparisons
