"""Every dashboard figure at once: the same as statistics.py's functions give one by one, in
fewer passes over the complaints on PostgreSQL (SQLite, whose data sets are small, asks the
functions one by one).
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select, text

from intake.complaints.models import Complaint
from intake.extensions import db

from .filters import OversightFilters
from .statistics import (
    AGE_BUCKETS,
    CLOSED,
    BacklogRow,
    Count,
    FindingsTable,
    OnTimeRow,
    Summary,
    agency_concurrence,
    allegation_finding_counts,
    allegation_rows,
    backlog_by_status,
    backlog_rows,
    county_rows,
    findings_by_allegation,
    findings_table,
    intake_by_agency,
    intake_by_allegation,
    intake_by_county,
    intake_by_month,
    intake_by_state,
    is_postgresql,
    month_code,
    month_key,
    month_rows,
    on_time_rows,
    on_time_share,
    selection,
    state_rows,
    summary,
    target_days_by_status,
    time_to_close,
)


@dataclass(frozen=True)
class Figures:
    summary: Summary
    by_month: list[Count]
    by_allegation: list[Count]
    by_agency: list[Count]
    by_state: list[Count]
    by_county: list[Count]
    backlog: list[BacklogRow]
    on_time: list[OnTimeRow]
    findings: FindingsTable
    concurrence: list[Count]


@dataclass
class _Groups:
    month: dict[str, int]
    state: dict[str | None, int]
    county: dict[str | None, int]
    status: dict[str, dict[int, int]]  # status -> age bucket -> complaints
    within: dict[str, int]  # open status -> complaints within its target time


def all_figures(f: OversightFilters, now: datetime) -> Figures:
    """Every figure of statistics.py, the same as its functions give one by one, in fewer
    passes over the complaints: on PostgreSQL one grouped pass for months, states, statuses,
    ages and target times, one for counties, one join for allegations with their findings,
    one for agencies, plus the closed cases' percentiles and the recommendations."""
    if not is_postgresql():
        # SQLite has no GROUPING SETS; its data sets are small.
        return _one_by_one(f, now)
    return _in_few_passes(f, now)


def _one_by_one(f: OversightFilters, now: datetime) -> Figures:
    return Figures(
        summary=summary(f),
        by_month=intake_by_month(f),
        by_allegation=intake_by_allegation(f),
        by_agency=intake_by_agency(f),
        by_state=intake_by_state(f),
        by_county=intake_by_county(f),
        backlog=backlog_by_status(f, now),
        on_time=on_time_share(f, now),
        findings=findings_by_allegation(f),
        concurrence=agency_concurrence(f),
    )


def _in_few_passes(f: OversightFilters, now: datetime) -> Figures:
    # Aggregation over hundreds of thousands of rows: enough memory to hash them rather
    # than sort on disk, and no JIT compilation (it costs more than it saves here).
    db.session.execute(text("SET LOCAL work_mem = '64MB'"))
    db.session.execute(text("SET LOCAL jit = off"))
    groups = _complaint_groups(f, now)
    by_finding = allegation_finding_counts(f)
    times = time_to_close(f)
    closed = sum(groups.status.get(CLOSED, {}).values())
    filed = sum(groups.month.values())
    return Figures(
        summary=Summary(filed, filed - closed, closed, times.median_days, times.p90_days),
        by_month=month_rows(f, groups.month),
        by_allegation=allegation_rows(by_finding),
        by_agency=intake_by_agency(f),
        by_state=state_rows(groups.state),
        by_county=county_rows(groups.county),
        backlog=backlog_rows(_open_ages(groups)),
        on_time=on_time_rows(_open_within(groups)),
        findings=findings_table(by_finding),
        concurrence=agency_concurrence(f),
    )


def _open_ages(groups: _Groups) -> dict[str, list[int]]:
    """Open status -> complaints in each age bucket."""
    return {
        status: [ages.get(i, 0) for i in range(len(AGE_BUCKETS))]
        for status, ages in groups.status.items()
        if status != CLOSED
    }


def _open_within(groups: _Groups) -> dict[str, tuple[int, int]]:
    """Status with a target time -> (open cases, of which within the target time)."""
    return {
        status: (sum(groups.status.get(status, {}).values()), groups.within.get(status, 0))
        for status in target_days_by_status()
    }


def _complaint_groups(f: OversightFilters, now: datetime) -> _Groups:
    """Counts by month, state, status, age and target time in one grouped pass over the
    selected complaints, then counts by county in another.

    The pass groups by (month, state, status), a few thousand groups, and counts the rest
    in the same rows with FILTER: how many were filed after each age limit (the buckets
    are the differences) and how many entered their status after each target time's
    cutoff. Grouping by CASE expressions instead was twice as slow (it hashed five keys a
    row, on one core). Plain GROUP BYs rather than GROUPING SETS: PostgreSQL runs those in
    parallel."""
    targets = target_days_by_status()
    age_limits = [now - timedelta(days=last + 1) for *_, last in AGE_BUCKETS if last is not None]
    target_days = sorted(set(targets.values()))
    stmt = _grouped_pass(f, now, age_limits, target_days)
    groups = _Groups({}, {}, {}, {}, {})
    for key, state, status, n, *counts in db.session.execute(stmt):
        code = month_code(key)
        groups.month[code] = groups.month.get(code, 0) + n
        groups.state[state] = groups.state.get(state, 0) + n
        _add_ages(groups.status.setdefault(status, {}), [*counts[: len(age_limits)], n])
        if status in targets:
            within = dict(zip(target_days, counts[len(age_limits) :], strict=True))
            groups.within[status] = groups.within.get(status, 0) + within[targets[status]]
    county = Complaint.incident_county_fips
    stmt = select(county, func.count()).where(*selection(f)).group_by(county)
    groups.county = dict(db.session.execute(stmt).all())
    return groups


def _grouped_pass(f: OversightFilters, now: datetime, age_limits, target_days):
    """(month, state, status, complaints, filed after each age limit..., in their status
    since each target time's cutoff...), grouped by the first three."""
    inner = (
        select(
            month_key().label("month"),
            Complaint.incident_state.label("state"),
            Complaint.status.label("status"),
            Complaint.submitted_at.label("filed"),
            Complaint.status_changed_at.label("changed"),
        )
        .where(*selection(f))
        .subquery()
    )
    c = inner.c
    return select(
        c.month,
        c.state,
        c.status,
        func.count(),
        *(func.count().filter(c.filed > limit) for limit in age_limits),
        *(func.count().filter(c.changed >= now - timedelta(days=days)) for days in target_days),
    ).group_by(c.month, c.state, c.status)


def _add_ages(ages: dict[int, int], younger: list[int]) -> None:
    """Add a group's complaints to its status's age buckets. ``younger``: how many were filed
    after each age limit, youngest first, then all of them: each bucket is the difference."""
    previous = 0
    for bucket, filed_after in enumerate(younger):
        ages[bucket] = ages.get(bucket, 0) + filed_after - previous
        previous = filed_after
