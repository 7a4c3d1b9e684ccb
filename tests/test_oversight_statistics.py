"""Every oversight figure against the hand-computed values of tests/oversight_data.py, on SQLite
and PostgreSQL: the reference range, each filter narrowing it, zero months, and the
time-to-close percentiles with their interpolation."""

from datetime import UTC, date, datetime, timedelta

import pytest

from intake.oversight import combined
from intake.oversight import statistics as stats
from intake.oversight.filters import OversightFilters
from intake.reference.categories import AGENCIES, ALLEGATIONS
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
    with app.test_request_context("/"):
        from flask_babel import force_locale

        with force_locale("es"):
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
    from sqlalchemy import update

    from intake.complaints.models import Complaint
    from intake.extensions import db

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
    from sqlalchemy import func, select

    from intake.complaints.models import Complaint
    from intake.extensions import db
    from intake.review.deadlines import overdue_clause

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
def test_all_figures_equal_the_figures_one_by_one(dataset, filters):
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


def test_all_figures_match_the_hand_computed_values(dataset):
    figures = combined.all_figures(RANGE, data.NOW)
    assert figures.summary == stats.Summary(30, 20, 10, 67.5, 123.0)
    assert figures_of(figures.by_month) == data.EXPECTED_BY_MONTH
    assert {row.status: row.by_age for row in figures.backlog} == data.EXPECTED_BACKLOG
    assert {r.status: (r.cases, r.within_target) for r in figures.on_time} == data.EXPECTED_ON_TIME
    assert figures_of(figures.concurrence) == list(data.EXPECTED_CONCURRENCE.items())


figures_of = figures


# --- the filing time copied onto allegations and agencies -------------------------------------


def _counted_through_the_complaints(model, filters) -> int:
    """How many rows of ``model`` belong to complaints filed in the range, by joining the
    complaints (the way the copy saves)."""
    from sqlalchemy import func, select

    from intake.complaints.models import Complaint
    from intake.extensions import db

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
    from intake.complaints.models import Allegation, ComplaintAgency

    by_allegation = sum(row.count for row in stats.intake_by_allegation(filters))
    by_agency = sum(row.count for row in stats.intake_by_agency(filters))
    assert by_allegation == _counted_through_the_complaints(Allegation, filters)
    assert by_agency == _counted_through_the_complaints(ComplaintAgency, filters)
    assert by_allegation > 0


def test_each_copy_of_the_filing_time_is_its_complaints(dataset):
    from sqlalchemy import func, select

    from intake.complaints.models import Allegation, Complaint, ComplaintAgency
    from intake.extensions import db

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
    from sqlalchemy import insert, select, update
    from sqlalchemy.exc import IntegrityError

    from intake.complaints import models
    from intake.complaints.models import Complaint
    from intake.extensions import db

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
