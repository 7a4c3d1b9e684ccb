"""Every oversight figure against the hand-computed values of tests/oversight_data.py, on SQLite
and PostgreSQL: the reference range, each filter narrowing it, zero months, and the
time-to-close percentiles with their interpolation."""

from datetime import UTC, date, datetime, timedelta

import pytest
from flask_babel import force_locale
from sqlalchemy import func, insert, select, update
from sqlalchemy.exc import IntegrityError

from intake.complaints import models
from intake.complaints.models import Allegation, Complaint, ComplaintAgency
from intake.extensions import db
from intake.oversight import combined
from intake.oversight import statistics as stats
from intake.oversight.filters import OversightFilters
from intake.reference.categories import AGENCIES, ALLEGATIONS
from intake.review.deadlines import overdue_clause
from tests import oversight_data as data

RANGE = OversightFilters(start=data.RANGE_START, end=data.RANGE_END)


@pytest.fixture
def dataset(app):
    made = data.make_oversight_data(app)
    with app.test_request_context("/"):
        yield made


def figures(rows):
    return [(row.code, row.count) for row in rows]


# --- intake ----------------------------------------------------------------------------------


def test_intake_by_month_includes_the_empty_month(dataset):
    rows = stats.intake_by_month(RANGE)
    assert figures(rows) == data.EXPECTED_BY_MONTH
    assert [row.label for row in rows] == [
        "January 2026",
        "February 2026",
        "March 2026",
        "April 2026",
        "May 2026",
        "June 2026",
    ]


def test_month_labels_are_localised(app, dataset):
    with app.test_request_context("/"), force_locale("es"):
        assert stats.intake_by_month(RANGE)[0].label == "enero de 2026"
        assert stats.month_label("2026-04", short=True) == "abr 2026"


def test_range_includes_both_end_days_and_nothing_outside(dataset):
    january = stats.intake_by_month(OversightFilters(start=date(2026, 1, 1), end=date(2026, 1, 1)))
    assert figures(january) == [("2026-01", 1)]  # C01 at 00:00:00 on the first day
    june_30 = OversightFilters(start=date(2026, 6, 30), end=date(2026, 6, 30))
    assert stats.summary(june_30).filed == 1  # C30 at 23:59:59 on the last day
    assert stats.summary(OversightFilters()).filed == 32  # no range: C00 and C31 too
    everything = stats.intake_by_month(OversightFilters())
    assert (everything[0].code, everything[-1].code) == ("2025-12", "2026-07")
    assert [row.count for row in everything] == [1, 6, 8, 7, 0, 5, 4, 1]


def test_month_range_without_complaints_lists_zero_months(dataset):
    rows = stats.intake_by_month(OversightFilters(start=date(2030, 1, 15), end=date(2030, 3, 2)))
    assert figures(rows) == [("2030-01", 0), ("2030-02", 0), ("2030-03", 0)]
    assert stats.intake_by_month(OversightFilters(state="AK")) == []


def test_intake_by_allegation_lists_every_category_in_vocabulary_order(dataset):
    rows = stats.intake_by_allegation(RANGE)
    assert [row.code for row in rows] == list(ALLEGATIONS)
    assert {row.code: row.count for row in rows if row.count} == data.EXPECTED_BY_ALLEGATION
    assert sum(row.count for row in rows) == 38
    assert rows[0].label == "Racial or ethnic profiling"


def test_intake_by_agency_lists_every_agency_in_vocabulary_order(dataset):
    rows = stats.intake_by_agency(RANGE)
    assert [row.code for row in rows] == list(AGENCIES)
    assert {row.code: row.count for row in rows} == data.EXPECTED_BY_AGENCY


def test_intake_by_state(dataset):
    rows = stats.intake_by_state(RANGE)
    assert figures(rows) == [*data.EXPECTED_BY_STATE, ("unknown", data.EXPECTED_STATE_UNKNOWN)]
    assert [row.label for row in rows] == [
        "Texas",
        "California",
        "Illinois",
        "Arizona",
        "Florida",
        "Washington",
        "Not given",
    ]


def test_intake_by_county(dataset):
    rows = stats.intake_by_county(RANGE)
    expected = [(fips, label, n) for fips, label, n in data.EXPECTED_BY_COUNTY]
    expected.append(("unknown", "Not given", data.EXPECTED_COUNTY_UNKNOWN))
    assert [(row.code, row.label, row.count) for row in rows] == expected


# --- closing ---------------------------------------------------------------------------------


def test_summary_and_time_to_close(dataset):
    summary = stats.summary(RANGE)
    assert (summary.filed, summary.open, summary.closed) == (30, 20, 10)
    # Ten durations 10 ... 150: the median sits halfway between the 5th and 6th (60, 75);
    # the 90th percentile a tenth of the way from the 9th (120) to the 10th (150).
    assert summary.median_days_to_close == pytest.approx(67.5, abs=1e-6)
    assert summary.p90_days_to_close == pytest.approx(123.0, abs=1e-6)
    times = stats.time_to_close(RANGE)
    assert times == stats.CloseTimes(10, summary.median_days_to_close, summary.p90_days_to_close)


def test_time_to_close_with_filters(dataset):
    texas = stats.time_to_close(OversightFilters(data.RANGE_START, data.RANGE_END, state="TX"))
    assert texas.closed == 6
    assert texas.median_days == pytest.approx(data.EXPECTED_TX_MEDIAN_DAYS, abs=1e-6)  # 95.0
    assert texas.p90_days == pytest.approx(data.EXPECTED_TX_P90_DAYS, abs=1e-6)  # 135.0
    cbp = stats.time_to_close(OversightFilters(data.RANGE_START, data.RANGE_END, agency="cbp"))
    assert (cbp.closed, cbp.median_days, cbp.p90_days) == (1, 100.0, 100.0)
    february = stats.time_to_close(OversightFilters(date(2026, 2, 1), date(2026, 2, 28)))
    assert february.closed == 3
    assert february.median_days == pytest.approx(75.0, abs=1e-6)
    assert february.p90_days == pytest.approx(87.0, abs=1e-6)  # 75 + 0.8 * (90 - 75)
    none = stats.time_to_close(OversightFilters(date(2026, 4, 1), date(2026, 4, 30)))
    assert none == stats.CloseTimes(0, None, None)


def test_time_to_close_counts_fractions_of_a_day(app, dataset):
    """A case closed 36 hours after filing took 1.5 days (not 1 or 2)."""

    c18 = dataset["ids"]["C18"]
    filed = datetime(2026, 3, 21, 9, 0, tzinfo=UTC)
    db.session.execute(
        update(Complaint)
        .where(Complaint.id == c18)
        .values(status_changed_at=filed + timedelta(hours=36))
    )
    db.session.commit()
    times = stats.time_to_close(OversightFilters(date(2026, 3, 21), date(2026, 3, 21)))
    assert times.median_days == pytest.approx(1.5, abs=1e-6)


def test_percentile_interpolates_between_closest_ranks():
    values = [10.0, 20.0, 30.0, 45.0, 60.0, 75.0, 90.0, 100.0, 120.0, 150.0]
    assert stats.percentile(values, 0.5) == pytest.approx(67.5)
    assert stats.percentile(values, 0.9) == pytest.approx(123.0)
    assert stats.percentile(values, 0.0) == 10.0
    assert stats.percentile(values, 1.0) == 150.0
    assert stats.percentile([7.0], 0.9) == 7.0
    assert stats.percentile([], 0.5) is None


# --- open cases ------------------------------------------------------------------------------


def test_backlog_by_status_and_age(dataset):
    rows = stats.backlog_by_status(RANGE, data.NOW)
    assert [row.status for row in rows] == list(data.EXPECTED_BACKLOG)
    assert {row.status: row.by_age for row in rows} == data.EXPECTED_BACKLOG
    assert {row.status: row.count for row in rows} == {
        status: sum(ages) for status, ages in data.EXPECTED_BACKLOG.items()
    }
    assert sum(row.count for row in rows) == 20
    assert rows[3].label == "Inspector General review"


def test_backlog_age_boundaries(dataset):
    """C27 (filed 2026-06-08 09:00) is 30 days old 31 days minus a moment after filing."""
    filed = datetime(2026, 6, 8, 9, 0, tzinfo=UTC)
    june_8 = OversightFilters(date(2026, 6, 8), date(2026, 6, 8))
    for age, bucket in [
        (timedelta(days=31) - timedelta(seconds=1), 0),
        (timedelta(days=31), 1),
        (timedelta(days=91), 2),
        (timedelta(days=181) - timedelta(seconds=1), 2),
        (timedelta(days=181), 3),
    ]:
        (triage,) = [r for r in stats.backlog_by_status(june_8, filed + age) if r.count]
        assert triage.by_age == tuple(int(i == bucket) for i in range(4)), age


def test_on_time_share(dataset):
    rows = stats.on_time_share(RANGE, data.NOW)
    assert [row.status for row in rows] == list(data.EXPECTED_ON_TIME)
    assert {row.status: (row.cases, row.within_target) for row in rows} == data.EXPECTED_ON_TIME
    by_status = {row.status: row for row in rows}
    assert by_status["triage"].share == 0.5
    assert by_status["received"].share == 0.0
    assert by_status["investigation"].share == 0.75
    assert by_status["recommendations_issued"].share == pytest.approx(1 / 3)
    assert by_status["investigation"].target_days == 120


def test_on_time_share_without_cases_has_no_share(dataset):
    rows = stats.on_time_share(OversightFilters(date(2026, 4, 1), date(2026, 4, 30)), data.NOW)
    assert all(row.cases == 0 and row.share is None for row in rows)


def test_on_time_matches_the_overdue_flag(app, dataset):
    """Within target is exactly "not overdue" as the queue shows it."""

    overdue = db.session.execute(
        select(func.count()).where(
            overdue_clause(data.NOW), *stats.selection(RANGE), Complaint.status != "closed"
        )
    ).scalar_one()
    rows = stats.on_time_share(RANGE, data.NOW)
    assert overdue == sum(row.cases - row.within_target for row in rows) == 11


# --- outcomes --------------------------------------------------------------------------------


def test_findings_by_allegation(dataset):
    table = stats.findings_by_allegation(RANGE)
    assert [code for code, _ in table.columns] == [
        "substantiated",
        "not_substantiated",
        "unfounded",
        "unable_to_determine",
        "no_jurisdiction",
        "no_finding",
    ]
    assert table.columns[-1][1] == "No finding yet"
    assert [code for code, _ in table.rows] == list(ALLEGATIONS)
    cells = {code: tuple(row) for (code, _), row in zip(table.rows, table.cells, strict=True)}
    zero = (0,) * 6
    assert cells == {code: data.EXPECTED_FINDINGS.get(code, zero) for code in ALLEGATIONS}


def test_agency_concurrence(dataset):
    rows = stats.agency_concurrence(RANGE)
    assert figures(rows) == list(data.EXPECTED_CONCURRENCE.items())
    assert [row.label for row in rows] == [
        "Concur",
        "Partially concur",
        "Non-concur",
        "Awaiting response",
    ]
    everything = stats.agency_concurrence(OversightFilters())
    assert figures(everything)[0] == ("concur", 5)  # C00's, filed before the range


# --- filters narrow every figure -------------------------------------------------------------


def test_state_filter(dataset):
    texas = OversightFilters(data.RANGE_START, data.RANGE_END, state="TX")
    assert figures(stats.intake_by_month(texas)) == data.EXPECTED_TX_BY_MONTH
    assert figures(stats.intake_by_state(texas)) == [("TX", 17)]
    assert figures(stats.intake_by_county(texas)) == [
        (data.HARRIS, 12),
        (data.WEBB, 3),
        ("unknown", 2),
    ]
    summary = stats.summary(texas)
    assert (summary.filed, summary.open, summary.closed) == (17, 11, 6)
    backlog = {row.status: row.count for row in stats.backlog_by_status(texas, data.NOW)}
    # Open Texas cases: C06 C10 C11 C19 C21 C22 C23 C24 C27 C28 C30.
    assert backlog == {
        "received": 2,
        "triage": 3,
        "awaiting_information": 1,
        "oig_review": 0,
        "component_referral": 0,
        "investigation": 3,
        "findings_review": 0,
        "recommendations_issued": 2,
    }
    concurrence = figures(stats.agency_concurrence(texas))
    # C01 concur x2, C02 non-concur, C03 partially, C06 awaiting, C07 concur, C21 concur+partial.
    assert concurrence == [
        ("concur", 4),
        ("partially_concur", 2),
        ("non_concur", 1),
        ("awaiting", 1),
    ]


def test_agency_filter(dataset):
    cbp = OversightFilters(data.RANGE_START, data.RANGE_END, agency="cbp")
    assert [row.count for row in stats.intake_by_month(cbp)] == [1, 1, 0, 0, 1, 0]
    agencies = {row.code: row.count for row in stats.intake_by_agency(cbp) if row.count}
    assert agencies == {"cbp": 3, "local_police": 1}  # C24 names both
    assert figures(stats.intake_by_county(cbp)) == [(data.WEBB, 3)]


def test_allegation_filter_keeps_the_other_allegations_of_the_same_complaints(dataset):
    language = OversightFilters(data.RANGE_START, data.RANGE_END, allegation="language_access")
    assert [row.count for row in stats.intake_by_month(language)] == [1, 1, 1, 0, 1, 0]
    allegations = {row.code: row.count for row in stats.intake_by_allegation(language) if row.count}
    assert allegations == {"language_access": 4, "racial_profiling": 2, "due_process_counsel": 1}
    table = stats.findings_by_allegation(language)
    language_row = table.cells[[code for code, _ in table.rows].index("language_access")]
    assert language_row == [1, 0, 1, 1, 0, 1]
    assert stats.summary(language).filed == 4


def test_filters_combine(dataset):
    both = OversightFilters(
        data.RANGE_START, data.RANGE_END, state="TX", agency="ice", allegation="racial_profiling"
    )
    # Texas, naming ICE, alleging profiling: C01 C10 C21.
    assert stats.summary(both).filed == 3
    assert figures(stats.intake_by_county(both)) == [(data.HARRIS, 2), ("unknown", 1)]


# --- every figure at once ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "filters",
    [
        RANGE,
        OversightFilters(),
        OversightFilters(data.RANGE_START, data.RANGE_END, state="TX"),
        OversightFilters(data.RANGE_START, data.RANGE_END, agency="cbp"),
        OversightFilters(data.RANGE_START, data.RANGE_END, allegation="language_access"),
        OversightFilters(date(2026, 4, 1), date(2026, 4, 30)),
    ],
)
def test_all_figures_equal_the_figures_one_by_one(dataset, backend, filters):
    if backend != "postgresql":
        pytest.skip("on SQLite all_figures is the figures one by one: nothing to compare")
    together = combined.all_figures(filters, data.NOW)
    assert together == combined.Figures(
        summary=stats.summary(filters),
        by_month=stats.intake_by_month(filters),
        by_allegation=stats.intake_by_allegation(filters),
        by_agency=stats.intake_by_agency(filters),
        by_state=stats.intake_by_state(filters),
        by_county=stats.intake_by_county(filters),
        backlog=stats.backlog_by_status(filters, data.NOW),
        on_time=stats.on_time_share(filters, data.NOW),
        findings=stats.findings_by_allegation(filters),
        concurrence=stats.agency_concurrence(filters),
    )


# Every figure of all_figures, counted by hand from tests/oversight_data.py's rows (its
# docstring shows the reference range's counting; the Texas and CBP ones are counted below).
# Allegations, agencies, findings rows: only the non-zero ones (the rest must be 0); statuses
# in the workflow's order, each (0-30, 31-90, 91-180, over 180 days) at NOW; on time: (cases,
# within target); findings: (substantiated, not substantiated, unfounded, unable to determine,
# no jurisdiction, no finding yet).
HAND_COUNTED = {
    "range": {
        "summary": (30, 20, 10, 67.5, 123.0),
        "by_month": [
            ("2026-01", 6),
            ("2026-02", 8),
            ("2026-03", 7),
            ("2026-04", 0),
            ("2026-05", 5),
            ("2026-06", 4),
        ],
        "by_allegation": {
            "racial_profiling": 19,
            "due_process_overdetention": 6,
            "language_access": 4,
            "detention_medical": 3,
            "due_process_counsel": 3,
            "retaliation": 2,
            "other": 1,
        },
        "by_agency": {
            "ice": 14,
            "cbp": 3,
            "uscis": 1,
            "tsa": 1,
            "other_dhs": 1,
            "local_police": 13,
            "not_sure": 1,
        },
        "by_state": [
            ("TX", 17),
            ("CA", 4),
            ("IL", 3),
            ("AZ", 2),
            ("FL", 1),
            ("WA", 1),
            ("unknown", 2),
        ],
        "by_county": [
            ("48201", 12),
            ("17031", 3),
            ("06037", 3),
            ("48479", 3),
            ("04013", 2),
            ("53033", 1),
            ("12086", 1),
            ("unknown", 5),
        ],
        "backlog": {
            "received": (3, 0, 0, 0),
            "triage": (0, 4, 0, 0),
            "awaiting_information": (0, 1, 1, 0),
            "oig_review": (0, 0, 1, 0),
            "component_referral": (0, 0, 2, 0),
            "investigation": (0, 0, 3, 1),
            "findings_review": (0, 1, 0, 0),
            "recommendations_issued": (0, 0, 3, 0),
        },
        "on_time": {
            "received": (3, 0),
            "triage": (4, 2),
            "awaiting_information": (2, 1),
            "oig_review": (1, 0),
            "component_referral": (2, 1),
            "investigation": (4, 3),
            "findings_review": (1, 1),
            "recommendations_issued": (3, 1),
        },
        "findings": {
            "racial_profiling": (5, 2, 1, 0, 1, 10),
            "due_process_overdetention": (2, 0, 0, 0, 0, 4),
            "language_access": (1, 0, 1, 1, 0, 1),
            "detention_medical": (0, 1, 0, 0, 0, 2),
            "due_process_counsel": (0, 0, 0, 1, 0, 2),
            "retaliation": (0, 0, 1, 1, 0, 0),
            "other": (0, 0, 0, 0, 0, 1),
        },
        "concurrence": [("concur", 4), ("partially_concur", 2), ("non_concur", 1), ("awaiting", 3)],
    },
    # Texas: C01 C02 C03 C06 | C07 C08 C10 C11 | C15 C19 C21 | - | C22 C23 C24 | C27 C28 C30.
    # Closed: C15 45, C08 75, C07 90, C03 100, C02 120, C01 150 days.
    "texas": {
        "summary": (17, 11, 6, 95.0, 135.0),
        "by_month": [
            ("2026-01", 4),
            ("2026-02", 4),
            ("2026-03", 3),
            ("2026-04", 0),
            ("2026-05", 3),
            ("2026-06", 3),
        ],
        # Profiling: C01 C02 C03 C06 C08 C10 C11 C15 C21 C22 C24 C27 C28 C30; over-detention:
        # C01 C11 C23; language: C03 C07 C24; medical: C19; retaliation: C06.
        "by_allegation": {
            "racial_profiling": 14,
            "due_process_overdetention": 3,
            "language_access": 3,
            "detention_medical": 1,
            "retaliation": 1,
        },
        # ICE: C01 C07 C10 C19 C21 C23; CBP: C03 C11 C24; local police: C01 C02 C06 C08 C10
        # C15 C21 C22 C24 C27 C28 (C30 names none).
        "by_agency": {"ice": 6, "cbp": 3, "local_police": 11},
        "by_state": [("TX", 17)],
        "by_county": [("48201", 12), ("48479", 3), ("unknown", 2)],  # C06 and C21: no county
        # Open: received C28 (25.5 days old) C30 (9.5); triage C22 (67) C23 (59) C27 (32.1);
        # awaiting C24 (51); investigation C10 (146) C11 (142) C19 (107); recommendations
        # issued C06 (159.5) C21 (101).
        "backlog": {
            "received": (2, 0, 0, 0),
            "triage": (0, 3, 0, 0),
            "awaiting_information": (0, 1, 0, 0),
            "oig_review": (0, 0, 0, 0),
            "component_referral": (0, 0, 0, 0),
            "investigation": (0, 0, 3, 0),
            "findings_review": (0, 0, 0, 0),
            "recommendations_issued": (0, 0, 2, 0),
        },
        # Within target: C23 and C27 (triage), C10 C11 C19 (investigation); not: C28 C30
        # (received, 3 days), C22, C24 (39.5 > 30), C06 and C21 (over 60).
        "on_time": {
            "received": (2, 0),
            "triage": (3, 2),
            "awaiting_information": (1, 0),
            "oig_review": (0, 0),
            "component_referral": (0, 0),
            "investigation": (3, 3),
            "findings_review": (0, 0),
            "recommendations_issued": (2, 0),
        },
        # Profiling: substantiated C01 C03 C06 C21, not C02, unfounded C08, no jurisdiction
        # C15, none yet C10 C11 C22 C24 C27 C28 C30. Over-detention: C01 substantiated, C11
        # C23 none. Language: C07 substantiated, C03 unfounded, C24 none. Medical: C19 none.
        # Retaliation: C06 unable to determine.
        "findings": {
            "racial_profiling": (4, 1, 1, 0, 1, 7),
            "due_process_overdetention": (1, 0, 0, 0, 0, 2),
            "language_access": (1, 0, 1, 0, 0, 1),
            "detention_medical": (0, 0, 0, 0, 0, 1),
            "retaliation": (0, 0, 0, 1, 0, 0),
        },
        # C01 concur x2, C07 concur, C21 concur and partially, C03 partially, C02 non-concur,
        # C06 awaiting.
        "concurrence": [("concur", 4), ("partially_concur", 2), ("non_concur", 1), ("awaiting", 1)],
    },
    # CBP: C03 (January, closed after 100 days), C11 (February, investigation since June 1),
    # C24 (May, awaiting information since June 1, also local police); all Webb County, TX.
    "cbp": {
        "summary": (3, 2, 1, 100.0, 100.0),
        "by_month": [
            ("2026-01", 1),
            ("2026-02", 1),
            ("2026-03", 0),
            ("2026-04", 0),
            ("2026-05", 1),
            ("2026-06", 0),
        ],
        "by_allegation": {
            "racial_profiling": 3,
            "due_process_overdetention": 1,
            "language_access": 2,
        },
        "by_agency": {"cbp": 3, "local_police": 1},
        "by_state": [("TX", 3)],
        "by_county": [("48479", 3)],
        # C11 is 142 days old, C24 51.
        "backlog": {
            "received": (0, 0, 0, 0),
            "triage": (0, 0, 0, 0),
            "awaiting_information": (0, 1, 0, 0),
            "oig_review": (0, 0, 0, 0),
            "component_referral": (0, 0, 0, 0),
            "investigation": (0, 0, 1, 0),
            "findings_review": (0, 0, 0, 0),
            "recommendations_issued": (0, 0, 0, 0),
        },
        # C11: 39.5 days of 120, within; C24: 39.5 of 30, not.
        "on_time": {
            "received": (0, 0),
            "triage": (0, 0),
            "awaiting_information": (1, 0),
            "oig_review": (0, 0),
            "component_referral": (0, 0),
            "investigation": (1, 1),
            "findings_review": (0, 0),
            "recommendations_issued": (0, 0),
        },
        "findings": {
            "racial_profiling": (1, 0, 0, 0, 0, 2),  # C03 substantiated; C11, C24 none yet
            "due_process_overdetention": (0, 0, 0, 0, 0, 1),  # C11
            "language_access": (0, 0, 1, 0, 0, 1),  # C03 unfounded; C24 none yet
        },
        "concurrence": [
            ("concur", 0),
            ("partially_concur", 1),  # C03
            ("non_concur", 0),
            ("awaiting", 0),
        ],
    },
}
HAND_COUNTED_FILTERS = {
    "range": RANGE,
    "texas": OversightFilters(data.RANGE_START, data.RANGE_END, state="TX"),
    "cbp": OversightFilters(data.RANGE_START, data.RANGE_END, agency="cbp"),
}


def _non_zero(rows) -> dict[str, int]:
    return {row.code: row.count for row in rows if row.count}


@pytest.mark.parametrize("name", list(HAND_COUNTED))
def test_all_figures_match_the_hand_counted_values(dataset, name):
    """On SQLite and PostgreSQL alike: all_figures against counts made by hand, not against
    the functions it stands for."""
    expected = HAND_COUNTED[name]
    found = combined.all_figures(HAND_COUNTED_FILTERS[name], data.NOW)
    s = found.summary
    filed, open_, closed, median, p90 = expected["summary"]
    assert (s.filed, s.open, s.closed) == (filed, open_, closed)
    assert s.median_days_to_close == pytest.approx(median, abs=1e-6)
    assert s.p90_days_to_close == pytest.approx(p90, abs=1e-6)
    assert figures(found.by_month) == expected["by_month"]
    assert [row.code for row in found.by_allegation] == list(ALLEGATIONS)
    assert _non_zero(found.by_allegation) == expected["by_allegation"]
    assert [row.code for row in found.by_agency] == list(AGENCIES)
    assert _non_zero(found.by_agency) == expected["by_agency"]
    assert figures(found.by_state) == expected["by_state"]
    assert figures(found.by_county) == expected["by_county"]
    assert {row.status: row.by_age for row in found.backlog} == expected["backlog"]
    assert [row.status for row in found.backlog] == list(expected["backlog"])
    assert {r.status: (r.cases, r.within_target) for r in found.on_time} == expected["on_time"]
    assert [row.status for row in found.on_time] == list(expected["on_time"])
    assert [code for code, _ in found.findings.rows] == list(ALLEGATIONS)
    cells = {
        code: tuple(row)
        for (code, _), row in zip(found.findings.rows, found.findings.cells, strict=True)
        if any(row)
    }
    assert cells == expected["findings"]
    assert figures(found.concurrence) == expected["concurrence"]


# --- the filing time copied onto allegations and agencies -------------------------------------


def _counted_through_the_complaints(model, filters) -> int:
    """How many rows of ``model`` belong to complaints filed in the range, by joining the
    complaints (the way the copy saves)."""

    stmt = (
        select(func.count())
        .select_from(model)
        .join(Complaint, Complaint.id == model.complaint_id)
        .where(*stats.selection(filters))
    )
    return db.session.execute(stmt).scalar_one()


@pytest.mark.parametrize(
    "filters",
    [
        OversightFilters(start=date(2026, 1, 1), end=date(2026, 1, 1)),  # C01 at 00:00:00
        OversightFilters(start=date(2026, 6, 30), end=date(2026, 6, 30)),  # C30 at 23:59:59
        OversightFilters(start=date(2026, 1, 2), end=date(2026, 6, 29)),  # neither of them
        RANGE,
        OversightFilters(data.RANGE_START, data.RANGE_END, state="TX"),
    ],
)
def test_allegations_and_agencies_count_as_their_complaints_do(dataset, filters):
    by_allegation = sum(row.count for row in stats.intake_by_allegation(filters))
    by_agency = sum(row.count for row in stats.intake_by_agency(filters))
    assert by_allegation == _counted_through_the_complaints(Allegation, filters)
    assert by_agency == _counted_through_the_complaints(ComplaintAgency, filters)
    assert by_allegation > 0


def test_each_copy_of_the_filing_time_is_its_complaints(dataset):
    for model in (Allegation, ComplaintAgency):
        rows = db.session.execute(
            select(model.complaint_submitted_at, Complaint.submitted_at).join(
                Complaint, Complaint.id == model.complaint_id
            )
        ).all()
        assert rows and all(copy == filed for copy, filed in rows), model
        total = db.session.execute(select(func.count()).select_from(model)).scalar_one()
        assert len(rows) == total


@pytest.mark.parametrize("model_name", ["Allegation", "ComplaintAgency"])
def test_a_wrong_copy_of_the_filing_time_is_refused(dataset, model_name):
    model = getattr(models, model_name)
    code_column = "category" if model_name == "Allegation" else "agency"
    vocabulary = ALLEGATIONS if model_name == "Allegation" else AGENCIES
    complaint = db.session.execute(select(Complaint).order_by(Complaint.id)).scalars().first()
    taken = set(
        db.session.execute(
            select(getattr(model, code_column)).where(model.complaint_id == complaint.id)
        ).scalars()
    )
    unused = next(code for code in vocabulary if code not in taken)

    def add(filed_at):
        with db.session.begin_nested():
            db.session.execute(
                insert(model).values(
                    complaint_id=complaint.id,
                    complaint_submitted_at=filed_at,
                    **{code_column: unused},
                )
            )

    wrong = complaint.submitted_at + timedelta(seconds=1)
    with pytest.raises(IntegrityError):
        add(wrong)
    add(complaint.submitted_at)  # the same row with the right copy is accepted
    with pytest.raises(IntegrityError), db.session.begin_nested():
        db.session.execute(
            update(model)
            .where(model.complaint_id == complaint.id)
            .values(complaint_submitted_at=wrong)
        )
