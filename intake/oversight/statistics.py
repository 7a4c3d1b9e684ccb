"""Aggregate figures over the complaints an OversightFilters selects (see filters.py).

Every figure is counted in the database (GROUP BY) over the complaints filed in the range.
Allegations and agencies carry their complaint's filing time (complaints/models.py), so they
are counted by their own filing range, with the complaints joined only for another filter;
recommendations are joined; the agency and allegation filters are EXISTS tests. Only the
time-to-close percentiles on SQLite, which has no percentile_cont, are worked out in Python
from the closed cases' durations.
Each function below gives one figure with one query; ``combined.all_figures`` gives them all
with as few passes over the complaints as it can (the dashboard).

Definitions shared by the dashboard, the periodic report and open data:

- Time to close: days (with fractions) from ``submitted_at`` to ``status_changed_at`` for
  complaints now ``closed``. Percentiles interpolate linearly between the closest ranks
  (PostgreSQL percentile_cont, numpy's default, Excel PERCENTILE.INC).
- Age (backlog): days since filing at ``now``, in whole days: 0-30, 31-90, 91-180, over 180.
- Within target: an open case whose time in its current status (since ``status_changed_at``)
  is at most its status's STATUS_TARGET_DAYS, i.e. not overdue (intake/review/deadlines.py).

Nothing here reads a personal field: only codes, dates and counts leave the database.
"""

import math
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import cache

from babel.dates import format_skeleton
from flask import current_app
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    ColumnElement,
    Float,
    and_,
    case,
    cast,
    exists,
    extract,
    func,
    select,
)
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import aliased

from intake.complaints.models import Allegation, Complaint, ComplaintAgency
from intake.complaints.status import STATUSES
from intake.extensions import db
from intake.reference import lookups
from intake.reference.categories import AGENCIES, AGENCY_RESPONSES, ALLEGATIONS, FINDINGS
from intake.reference.models import County
from intake.review.models import Recommendation
from intake.review.workflow import STAFF_STATUS_LABELS

from .filters import OversightFilters

CLOSED = "closed"
OPEN_STATUSES = [status for status in STATUSES if status != CLOSED]

# Codes of the rows and columns that are not a vocabulary entry.
UNKNOWN = "unknown"  # no incident state (or county) given
NO_FINDING = "no_finding"  # an allegation without a finding yet
AWAITING = "awaiting"  # a recommendation the agency has not answered yet

UNKNOWN_LABEL = _l("Not given")

# (code, label, first day, last day); None: no upper end.
AGE_BUCKETS = [
    ("0-30", _l("0 to 30 days"), 0, 30),
    ("31-90", _l("31 to 90 days"), 31, 90),
    ("91-180", _l("91 to 180 days"), 91, 180),
    ("over-180", _l("Over 180 days"), 181, None),
]


@dataclass(frozen=True)
class Count:
    code: str
    label: str
    count: int


@dataclass(frozen=True)
class CloseTimes:
    closed: int
    median_days: float | None
    p90_days: float | None


@dataclass(frozen=True)
class Summary:
    filed: int
    open: int
    closed: int
    median_days_to_close: float | None
    p90_days_to_close: float | None


@dataclass(frozen=True)
class BacklogRow:
    status: str
    label: str
    count: int
    by_age: tuple[int, ...]  # one count per AGE_BUCKETS entry


@dataclass(frozen=True)
class OnTimeRow:
    status: str
    label: str
    target_days: int
    cases: int
    within_target: int
    share: float | None  # within_target / cases; None without cases


@dataclass(frozen=True)
class FindingsTable:
    rows: list[tuple[str, str]]  # allegations (code, label), vocabulary order
    columns: list[tuple[str, str]]  # findings (code, label), then NO_FINDING
    cells: list[list[int]]  # cells[row][column]


# --- the selection ---------------------------------------------------------------------------


def start_of_day(day: date) -> datetime:
    return datetime.combine(day, time(), tzinfo=UTC)


def selection(f: OversightFilters) -> list[ColumnElement[bool]]:
    """WHERE conditions on Complaint for the filters. The date range is a range on
    submitted_at (an index's leading column); agency and allegation are EXISTS tests."""
    conditions = _filed_in_range(Complaint.submitted_at, f)
    if f.state:
        conditions.append(Complaint.incident_state == f.state)
    # The filing range again on the filtered rows' own copy of it: the same rows, but their
    # index (category or agency, filing time) then reads only the range, not all time.
    if f.agency:
        agency = aliased(ComplaintAgency)
        conditions.append(
            exists().where(
                agency.complaint_id == Complaint.id,
                agency.agency == f.agency,
                *_filed_in_range(agency.complaint_submitted_at, f),
            )
        )
    if f.allegation:
        allegation = aliased(Allegation)
        conditions.append(
            exists().where(
                allegation.complaint_id == Complaint.id,
                allegation.category == f.allegation,
                *_filed_in_range(allegation.complaint_submitted_at, f),
            )
        )
    return conditions


def _filed_in_range(filed_at, f: OversightFilters) -> list[ColumnElement[bool]]:
    conditions = []
    if f.start:
        conditions.append(filed_at >= start_of_day(f.start))
    if f.end:
        conditions.append(filed_at < start_of_day(f.end + timedelta(days=1)))
    return conditions


def filed_with_selection(model, f: OversightFilters) -> list[ColumnElement[bool]]:
    """WHERE conditions on a row filed with a complaint (Allegation, ComplaintAgency) for the
    filters: the date range on the row's own copy of the filing time (no join), and only
    for the other filters the complaints they select."""
    conditions = _filed_in_range(model.complaint_submitted_at, f)
    if f.state or f.agency or f.allegation:
        chosen = select(Complaint.id).where(*selection(f))
        conditions.append(model.complaint_id.in_(chosen))
    return conditions


def is_postgresql() -> bool:
    return db.session.get_bind().dialect.name == "postgresql"


def _locale() -> str:
    return str(get_locale() or "en")


# --- intake ----------------------------------------------------------------------------------


def month_label(code: str, short: bool = False) -> str:
    """'2026-03' as 'March 2026' (or 'Mar 2026'), in the current language."""
    year, month = (int(part) for part in code.split("-"))
    return format_skeleton("yMMM" if short else "yMMMM", date(year, month, 1), locale=_locale())


def month_key():
    """The UTC calendar month of submitted_at: a timestamp on PostgreSQL, 'YYYY-MM' on SQLite
    (which keeps UTC timestamps as text). See month_code."""
    if is_postgresql():
        # date_trunc on the UTC wall time: cheaper per row than to_char, whatever the
        # session's time zone.
        return func.date_trunc("month", func.timezone("UTC", Complaint.submitted_at))
    return func.strftime("%Y-%m", Complaint.submitted_at)


def month_code(key) -> str:
    return key if isinstance(key, str) else f"{key.year:04d}-{key.month:02d}"


def _months(first: str, last: str) -> list[str]:
    year, month = (int(part) for part in first.split("-"))
    codes = []
    while (code := f"{year:04d}-{month:02d}") <= last:
        codes.append(code)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return codes


def month_rows(f: OversightFilters, counts: dict[str, int]) -> list[Count]:
    first = f.start.strftime("%Y-%m") if f.start else min(counts, default=None)
    last = f.end.strftime("%Y-%m") if f.end else max(counts, default=None)
    if first is None or last is None:
        return []
    return [Count(code, month_label(code), counts.get(code, 0)) for code in _months(first, last)]


def intake_by_month(f: OversightFilters) -> list[Count]:
    """Complaints filed each month of the range, months without any included."""
    month = month_key()
    rows = db.session.execute(select(month, func.count()).where(*selection(f)).group_by(month))
    return month_rows(f, {month_code(key): n for key, n in rows})


def _vocabulary_counts(vocabulary, counts: dict) -> list[Count]:
    return [Count(code, str(label), counts.get(code, 0)) for code, label in vocabulary.items()]


def allegation_finding_counts(f: OversightFilters) -> dict[tuple[str, str], int]:
    """(category, finding or NO_FINDING) -> allegations, over the selected complaints."""
    stmt = (
        select(Allegation.category, Allegation.finding, func.count())
        .where(*filed_with_selection(Allegation, f))
        .group_by(Allegation.category, Allegation.finding)
    )
    return {
        (category, finding or NO_FINDING): n
        for category, finding, n in db.session.execute(stmt).all()
    }


def allegation_rows(by_finding: dict[tuple[str, str], int]) -> list[Count]:
    counts: dict[str, int] = {}
    for (category, _finding), n in by_finding.items():
        counts[category] = counts.get(category, 0) + n
    return _vocabulary_counts(ALLEGATIONS, counts)


def intake_by_allegation(f: OversightFilters) -> list[Count]:
    """Complaints under each allegation category (a complaint once under each of its own):
    the findings table's counts, summed over findings."""
    return allegation_rows(allegation_finding_counts(f))


def intake_by_agency(f: OversightFilters) -> list[Count]:
    """Complaints naming each agency (a complaint once under each agency it names)."""
    stmt = (
        select(ComplaintAgency.agency, func.count())
        .where(*filed_with_selection(ComplaintAgency, f))
        .group_by(ComplaintAgency.agency)
    )
    return _vocabulary_counts(AGENCIES, dict(db.session.execute(stmt).all()))


def _by_count_then_label(rows: list[Count]) -> list[Count]:
    """Largest first, then by name; the "not given" row last."""
    known = sorted((r for r in rows if r.code != UNKNOWN), key=lambda r: (-r.count, r.label))
    return known + [r for r in rows if r.code == UNKNOWN]


def state_rows(counts: dict[str | None, int]) -> list[Count]:
    rows = [
        Count(code, lookups.state_name(code) or code, n)
        if code
        else Count(UNKNOWN, str(UNKNOWN_LABEL), n)
        for code, n in counts.items()
    ]
    return _by_count_then_label(rows)


def intake_by_state(f: OversightFilters) -> list[Count]:
    """Complaints by incident state: only states with complaints, and "not given"."""
    stmt = (
        select(Complaint.incident_state, func.count())
        .where(*selection(f))
        .group_by(Complaint.incident_state)
    )
    return state_rows(dict(db.session.execute(stmt).all()))


@cache
def _county_names() -> dict[str, str]:
    """Every county's name as shown: "Webb County, TX" (reference data, read once)."""
    rows = db.session.execute(select(County.fips, County.name, County.state_code))
    return {fips: f"{name}, {state}" for fips, name, state in rows}


def county_rows(counts: dict[str | None, int]) -> list[Count]:
    names = _county_names()
    rows = [
        Count(fips, names.get(fips, fips), n) if fips else Count(UNKNOWN, str(UNKNOWN_LABEL), n)
        for fips, n in counts.items()
    ]
    return _by_count_then_label(rows)


def intake_by_county(f: OversightFilters) -> list[Count]:
    """Complaints by incident county ("Webb County, TX"): only counties with complaints, and
    "not given"."""
    stmt = (
        select(Complaint.incident_county_fips, func.count())
        .where(*selection(f))
        .group_by(Complaint.incident_county_fips)
    )
    return county_rows(dict(db.session.execute(stmt).all()))


# --- closing ---------------------------------------------------------------------------------


def _days_to_close():
    """Days (with fractions) from filing to the last status change, i.e. to closing."""
    if is_postgresql():
        seconds = extract("epoch", Complaint.status_changed_at - Complaint.submitted_at)
        return cast(seconds, Float) / 86400.0
    return func.julianday(Complaint.status_changed_at) - func.julianday(Complaint.submitted_at)


def percentile(values: list[float], fraction: float) -> float | None:
    """Linear interpolation between closest ranks of sorted ``values`` (percentile_cont)."""
    if not values:
        return None
    position = fraction * (len(values) - 1)
    lower = math.floor(position)
    upper = min(lower + 1, len(values) - 1)
    return values[lower] + (values[upper] - values[lower]) * (position - lower)


def _rounded(days: float | None) -> float | None:
    # julianday's floating point leaves ~1e-9 day of noise; a second is 1.2e-5 day.
    return None if days is None else round(float(days), 4)


def time_to_close(f: OversightFilters) -> CloseTimes:
    """How long closed complaints took: their number, the median and the 90th percentile."""
    where = [Complaint.status == CLOSED, *selection(f)]
    days = _days_to_close()
    if is_postgresql():
        # Both percentiles from one sort of the durations.
        closed, percentiles = db.session.execute(
            select(
                func.count(), func.percentile_cont(postgresql.array([0.5, 0.9])).within_group(days)
            ).where(*where)
        ).one()
        median, p90 = percentiles or (None, None)
        return CloseTimes(closed, _rounded(median), _rounded(p90))
    durations = list(db.session.execute(select(days).where(*where).order_by(days)).scalars())
    return CloseTimes(
        len(durations), _rounded(percentile(durations, 0.5)), _rounded(percentile(durations, 0.9))
    )


def summary(f: OversightFilters) -> Summary:
    """Filed, still open, closed, and the median and 90th percentile of the time to close."""
    filed, closed = db.session.execute(
        select(func.count(), func.count().filter(Complaint.status == CLOSED)).where(*selection(f))
    ).one()
    times = time_to_close(f)
    return Summary(filed, filed - closed, closed, times.median_days, times.p90_days)


# --- open cases ------------------------------------------------------------------------------


def _age_bucket(now: datetime):
    """The AGE_BUCKETS index of a complaint's time since filing at ``now`` (whole days)."""
    whens = [
        (Complaint.submitted_at > now - timedelta(days=last + 1), index)
        for index, (_code, _label, _first, last) in enumerate(AGE_BUCKETS)
        if last is not None
    ]
    return case(*whens, else_=len(AGE_BUCKETS) - 1)


def target_days_by_status() -> dict[str, int]:
    targets = current_app.config["STATUS_TARGET_DAYS"]
    return {status: targets[status] for status in OPEN_STATUSES if status in targets}


def _within_target(now: datetime):
    """1 when an open case has been in its status no longer than the status's target time
    (not overdue, as intake/review/deadlines.py has it), else 0."""
    whens = [
        (
            and_(
                Complaint.status == status,
                Complaint.status_changed_at >= now - timedelta(days=days),
            ),
            1,
        )
        for status, days in target_days_by_status().items()
    ]
    return case(*whens, else_=0)


def backlog_rows(found: dict[str, list[int]]) -> list[BacklogRow]:
    """``found``: status -> complaints in each age bucket."""
    rows = []
    for status in OPEN_STATUSES:
        ages = tuple(found.get(status, [0] * len(AGE_BUCKETS)))
        rows.append(BacklogRow(status, str(STAFF_STATUS_LABELS[status]), sum(ages), ages))
    return rows


def backlog_by_status(f: OversightFilters, now: datetime) -> list[BacklogRow]:
    """Open complaints in each open status, by age since filing (AGE_BUCKETS)."""
    age = _age_bucket(now).label("age")
    inner = (
        select(Complaint.status, age)
        .where(Complaint.status.in_(OPEN_STATUSES), *selection(f))
        .subquery()
    )
    stmt = select(inner.c.status, inner.c.age, func.count()).group_by(inner.c.status, inner.c.age)
    found: dict[str, list[int]] = {}
    for status, bucket, n in db.session.execute(stmt):
        found.setdefault(status, [0] * len(AGE_BUCKETS))[bucket] = n
    return backlog_rows(found)


def on_time_rows(found: dict[str, tuple[int, int]]) -> list[OnTimeRow]:
    """``found``: status -> (open cases, of which within the target time)."""
    rows = []
    for status, days in target_days_by_status().items():
        cases, inside = found.get(status, (0, 0))
        share = inside / cases if cases else None
        label = str(STAFF_STATUS_LABELS[status])
        rows.append(OnTimeRow(status, label, days, cases, inside, share))
    return rows


def on_time_share(f: OversightFilters, now: datetime) -> list[OnTimeRow]:
    """For each status with a target time: the open cases in it now, and how many of them
    have been in it no longer than the target."""
    within = _within_target(now)
    stmt = (
        select(Complaint.status, func.count(), func.coalesce(func.sum(within), 0))
        .where(Complaint.status.in_(list(target_days_by_status())), *selection(f))
        .group_by(Complaint.status)
    )
    return on_time_rows(
        {status: (n, int(inside)) for status, n, inside in db.session.execute(stmt)}
    )


# --- outcomes --------------------------------------------------------------------------------


def findings_table(counts: dict[tuple[str, str], int]) -> FindingsTable:
    columns = [(code, str(label)) for code, label in FINDINGS.items()]
    columns.append((NO_FINDING, str(_l("No finding yet"))))
    rows = [(code, str(label)) for code, label in ALLEGATIONS.items()]
    cells = [[counts.get((row, column), 0) for column, _ in columns] for row, _ in rows]
    return FindingsTable(rows=rows, columns=columns, cells=cells)


def findings_by_allegation(f: OversightFilters) -> FindingsTable:
    """Each allegation category against its findings, with a "no finding yet" column."""
    return findings_table(allegation_finding_counts(f))


def agency_concurrence(f: OversightFilters) -> list[Count]:
    """The agencies' answers to the recommendations made on the selected complaints."""
    stmt = (
        select(Recommendation.agency_response, func.count())
        .join(Complaint, Complaint.id == Recommendation.complaint_id)
        .where(*selection(f))
        .group_by(Recommendation.agency_response)
    )
    counts = {response or AWAITING: n for response, n in db.session.execute(stmt).all()}
    rows = _vocabulary_counts(AGENCY_RESPONSES, counts)
    rows.append(Count(AWAITING, str(_l("Awaiting response")), counts.get(AWAITING, 0)))
    return rows
