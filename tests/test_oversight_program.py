"""Program oversight and the jurisdiction registry, on SQLite and PostgreSQL.

The figures are checked against a small fixed data set (below) whose counts are worked out by
hand: months by incident (else filing) month, profiling counted apart, the activation month
counted after, months before records begin marked "no records" rather than zero, and the
profiling flag at its threshold and window edges. Then the registry: the seed, adding,
changing and removing with their validation, duplicates, audit events, and who may do what.
"""

import re
from datetime import UTC, date, datetime
from html import unescape

import pytest
from flask_migrate import downgrade, upgrade
from playwright.sync_api import expect
from sqlalchemy import event as sql_event
from sqlalchemy import func, select

from intake.audit.models import AuditEvent
from intake.audit.services import verify_chain
from intake.complaints import identifiers
from intake.complaints.models import Allegation, Complaint
from intake.extensions import db
from intake.oversight import jurisdictions as registry
from intake.oversight import program
from intake.oversight.models import Jurisdiction
from tests.browser import assert_accessible
from tests.conftest import CSRF_RE
from tests.staff import make_user, staff_client
from tests.test_browser_staff import sign_in_with_cookie, switch_language

# "Now" for the figures that depend on it: October 15, 2009, noon UTC.
NOW = datetime(2009, 10, 15, 12, 0, tzinfo=UTC)
WEBB, HARRIS, BEXAR = "48479", "48201", "48029"


def _at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def add_complaint(county, incident, submitted, allegations, precision="day", state="TX") -> int:
    """One complaint with exactly these facts (inside an app context)."""
    tracking = identifiers.new_tracking_number()
    complaint = Complaint(
        tracking_number=tracking,
        access_code_hash=identifiers.access_code_hash(tracking, "unused"),
        status="received",
        channel="web",
        language="en",
        filer_relationship="self",
        narrative="Stopped and asked for papers.",
        privacy_consent=True,
        incident_state=state,
        incident_county_fips=county,
        incident_date=date.fromisoformat(incident) if incident else None,
        incident_date_precision=precision if incident else None,
        submitted_at=_at(submitted),
        status_changed_at=_at(submitted),
    )
    complaint.allegations = [Allegation(category=code) for code in allegations]
    db.session.add(complaint)
    db.session.flush()
    return complaint.id


def add_jurisdiction(county, name, program_name, activation, precision) -> Jurisdiction:
    jurisdiction = Jurisdiction(
        county_fips=county,
        name=name,
        program=program_name,
        activation_date=date.fromisoformat(activation),
        date_precision=precision,
    )
    db.session.add(jurisdiction)
    db.session.flush()
    return jurisdiction


# --- the before/after data set ---------------------------------------------------------------
#
# Records begin in March 2009 (H0, the first complaint filed). Webb County's program was
# activated on June 16, 2009. With 4 months before and 6 from activation on, at NOW:
#
#   month     complaints  profiling  covered  complaints there
#   2009-02        1          1       no      W2 (incident before records begin, filed later)
#   2009-03        1          1       yes     W1
#   2009-04        1          0       yes     W3 (no incident date: filed Apr 30 23:59:59 UTC)
#   2009-05        1          1       yes     W4 (incident known to the month)
#   2009-06        2          1       yes     W5 (June 1, before the day: still "after"), W6
#   2009-07        1          1       yes     W7
#   2009-08        1          1       yes     W8 (no incident date: filed Aug 31 23:30 UTC)
#   2009-09        0          0       yes     (W9 was filed in September, incident 2008-12)
#   2009-10        0          0       yes     (the current month)
#   2009-11        0          0       no      (still to come)
#
#   before: 4 months, 3 covered, 3 complaints (1.0 a month), 2 profiling (0.67 a month)
#   after:  6 months, 5 covered, 4 complaints (0.8 a month), 3 profiling (0.6 a month)
#
# X1 (Texas, no county) and X2 (Bexar County) are not Webb County's.

WEBB_MONTHS = [
    ("2009-02", 1, 1, False, False),
    ("2009-03", 1, 1, False, True),
    ("2009-04", 1, 0, False, True),
    ("2009-05", 1, 1, False, True),
    ("2009-06", 2, 1, True, True),
    ("2009-07", 1, 1, True, True),
    ("2009-08", 1, 1, True, True),
    ("2009-09", 0, 0, True, True),
    ("2009-10", 0, 0, True, True),
    ("2009-11", 0, 0, True, False),
]


@pytest.fixture
def dataset(app):
    with app.app_context():
        ids = {
            "webb": add_jurisdiction(
                WEBB, "Webb County", "Secure Communities", "2009-06-16", "day"
            ),
            # A second program in the same county sees the same complaints.
            "webb_287g": add_jurisdiction(WEBB, "Webb County", "287(g)", "2009-09-01", "month"),
            "harris": add_jurisdiction(
                HARRIS, "Harris County", "Secure Communities", "2008-10-01", "month"
            ),
        }
        ids = {key: j.id for key, j in ids.items()}
        add_complaint(HARRIS, "2009-03-01", "2009-03-02 08:00:00", ["other"])  # H0
        add_complaint(WEBB, "2009-03-20", "2009-03-25 10:00:00", ["racial_profiling", "other"])
        add_complaint(WEBB, "2009-02-10", "2009-04-01 10:00:00", ["racial_profiling"])  # W2
        add_complaint(WEBB, None, "2009-04-30 23:59:59", ["other"])  # W3
        add_complaint(WEBB, "2009-05-01", "2009-06-02 10:00:00", ["racial_profiling"], "month")
        add_complaint(WEBB, "2009-06-01", "2009-06-03 10:00:00", ["retaliation"])  # W5
        add_complaint(WEBB, "2009-06-20", "2009-06-25 10:00:00", ["racial_profiling"])  # W6
        add_complaint(
            WEBB, "2009-07-15", "2009-07-20 10:00:00", ["racial_profiling", "detention_medical"]
        )
        add_complaint(WEBB, None, "2009-08-31 23:30:00", ["racial_profiling"])  # W8
        add_complaint(WEBB, "2008-12-01", "2009-09-10 10:00:00", ["racial_profiling"], "month")
        add_complaint(None, "2009-07-01", "2009-07-02 10:00:00", ["racial_profiling"])  # X1
        add_complaint(BEXAR, "2009-07-02", "2009-07-03 10:00:00", ["racial_profiling"])  # X2
        db.session.commit()
    return ids


def rows_as_tuples(rows):
    return [(r.month, r.total, r.profiling, r.after_activation, r.covered) for r in rows]


def test_months_by_incident_month_with_profiling_apart(app, dataset):
    with app.test_request_context("/"):
        webb = db.session.get(Jurisdiction, dataset["webb"])
        rows = program.jurisdiction_months(webb, 4, 6, now=NOW)
        assert rows_as_tuples(rows) == WEBB_MONTHS
        before, after = program.summarize(rows)
        assert (before.months, before.months_covered, before.total, before.profiling) == (
            4,
            3,
            3,
            2,
        )
        assert (after.months, after.months_covered, after.total, after.profiling) == (6, 5, 4, 3)
        assert before.total_per_month == 1.0
        assert before.profiling_per_month == pytest.approx(2 / 3)
        assert (after.total_per_month, after.profiling_per_month) == (0.8, 0.6)


def test_the_activation_month_counts_after_and_windows_are_whole_months(app, dataset):
    with app.test_request_context("/"):
        webb = db.session.get(Jurisdiction, dataset["webb"])
        rows = program.jurisdiction_months(webb, 1, 1, now=NOW)
        # May (before) and June (the activation month, after), nothing else.
        assert rows_as_tuples(rows) == [
            ("2009-05", 1, 1, False, True),
            ("2009-06", 2, 1, True, True),
        ]
        with pytest.raises(ValueError):
            program.jurisdiction_months(webb, 0, 12, now=NOW)
        with pytest.raises(ValueError):
            program.jurisdiction_months(webb, 12, program.MAX_MONTHS + 1, now=NOW)


def test_overview_matches_each_jurisdiction_and_shares_a_county(app, dataset):
    with app.test_request_context("/"):
        comparisons = {c.jurisdiction.id: c for c in program.overview(4, 6, now=NOW)}
        assert set(comparisons) == set(dataset.values())
        webb = comparisons[dataset["webb"]]
        assert (webb.before.total, webb.before.profiling, webb.before.months_covered) == (3, 2, 3)
        assert (webb.after.total, webb.after.profiling, webb.after.months_covered) == (4, 3, 5)
        assert webb.records_begin == date(2009, 3, 1)
        # 287(g), activated September 2009 (month): before May-August, after September-February.
        webb_287g = comparisons[dataset["webb_287g"]]
        assert (webb_287g.before.months_covered, webb_287g.before.total) == (4, 5)
        assert webb_287g.before.profiling == 4
        assert (webb_287g.after.months_covered, webb_287g.after.total) == (2, 0)
        # Harris: activated October 2008, records begin March 2009. Before: June-September
        # 2008, none covered: no mean, not zero. After: October 2008-March 2009, one covered.
        harris = comparisons[dataset["harris"]]
        assert (harris.before.months, harris.before.months_covered) == (4, 0)
        assert harris.before.total_per_month is None and not harris.before.available
        assert (harris.after.months_covered, harris.after.total, harris.after.profiling) == (
            1,
            1,
            0,
        )
        # Overview and the single jurisdiction agree.
        rows = program.jurisdiction_months(comparisons[dataset["webb"]].jurisdiction, 4, 6, NOW)
        assert program.summarize(rows) == (webb.before, webb.after)


def test_overview_uses_a_few_grouped_queries_whatever_the_registry_size(app, dataset):
    with app.test_request_context("/"):
        for index, fips in enumerate(["48029", "48061", "48215", "48453", "06037", "06073"]):
            add_jurisdiction(fips, f"County {index}", "Secure Communities", "2010-06-01", "month")
        db.session.commit()
        statements = []

        def count(*args):
            statements.append(args[2])

        sql_event.listen(db.engine, "before_cursor_execute", count)
        try:
            comparisons = program.overview(now=NOW)
        finally:
            sql_event.remove(db.engine, "before_cursor_execute", count)
        assert len(comparisons) == 9
        selects = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
        assert len(selects) <= 4, selects


def test_no_records_is_not_zero(app):
    """Before any complaint, nothing is covered; the page says so instead of showing 0."""
    with app.app_context():
        webb = add_jurisdiction(WEBB, "Webb County", "Secure Communities", "2009-06-16", "day")
        db.session.commit()
        webb_id = webb.id
    with app.test_request_context("/"):
        webb = db.session.get(Jurisdiction, webb_id)
        assert program.records_begin() is None
        rows = program.jurisdiction_months(webb, 2, 2, now=NOW)
        assert [(r.total, r.covered) for r in rows] == [(0, False)] * 4
        [comparison] = program.overview(2, 2, now=NOW)
        assert comparison.before.total_per_month is None
        assert comparison.after.total_per_month is None
    client = staff_client(app, "analyst")
    # Listed only on asking for every jurisdiction: by default, one without records is left out.
    page = unescape(client.get("/staff/oversight/program?show=all").get_data(as_text=True))
    assert "not available (no complaints recorded yet)" in page
    page = unescape(client.get("/staff/oversight/program").get_data(as_text=True))
    assert "not available (" not in page
    assert "1 jurisdiction without records in these months (and not flagged) is not listed." in page
    assert "No jurisdiction has records in the months compared" in page  # not an empty table
    assert "<table" not in page


def row_text(page: str, marker: str) -> str:
    """The text of the table row that holds ``marker``, tags removed, spaces squeezed."""
    for row in page.split("<tr>")[1:]:
        row = row.split("</tr>")[0]
        if marker in row:
            return " ".join(unescape(re.sub(r"<[^>]+>", " ", row)).split())
    raise AssertionError(f"no row with {marker!r}")


def test_program_page_shows_means_coverage_and_the_method(app, dataset):
    client = staff_client(app, "analyst")
    response = client.get("/staff/oversight/program?months_before=4&months_after=6")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    # Now is after every month of these windows: all after-months have records.
    webb = row_text(page, f"/staff/oversight/program/{dataset['webb']}?")
    assert "Webb County Texas Secure Communities June 16, 2009" in webb
    # before 3 in 3 covered months of 4: 1.0 and 0.7; after 4 and 3 in 6 months: 0.7, 0.5.
    assert "1.0 3 of 4 months have records 0.7 0.7 3 of 4 months have records 0.5" in webb
    webb_287g = row_text(page, f"/staff/oversight/program/{dataset['webb_287g']}?")
    assert "287(g) September 2009" in webb_287g
    harris = row_text(page, f"/staff/oversight/program/{dataset['harris']}?")
    assert "October 2008" in harris
    assert harris.count("not available (records begin March 2009)") == 2
    text = unescape(page)
    assert "Records begin in March 2009" in text
    assert "The activation month counts as after activation." in text
    assert "A jurisdiction is flagged when 5 or more profiling complaints" in text
    assert "within the last 90 days" in text
    assert "No jurisdiction is flagged." in text  # nothing recent, in 2026


def test_program_page_lists_only_jurisdictions_with_records_unless_asked(app, dataset):
    """One month either side: Harris (activated October 2008) has no month with records
    (they begin March 2009), so by default it is left out, and the page says so."""
    client = staff_client(app, "analyst")
    window = "months_before=1&months_after=1"
    page = client.get(f"/staff/oversight/program?{window}").get_data(as_text=True)
    text = " ".join(unescape(re.sub(r"<[^>]+>", " ", page)).split())
    harris_link = f"/staff/oversight/program/{dataset['harris']}?"
    assert harris_link not in page
    assert f"/staff/oversight/program/{dataset['webb']}?" in page
    assert f"/staff/oversight/program/{dataset['webb_287g']}?" in page
    assert "not available (" not in text
    assert (
        "1 jurisdiction without records in these months (and not flagged) is not listed."
        " List all 3 jurisdictions"
    ) in text
    link = re.search(r'href="(/staff/oversight/program\?[^"]*show=all[^"]*)"', page).group(1)
    assert sorted(unescape(link).split("?")[1].split("&")) == [
        "months_after=1",
        "months_before=1",
        "show=all",
    ]

    # Asked for: every jurisdiction, Harris with "not available" on both sides.
    page = client.get(f"/staff/oversight/program?{window}&show=all").get_data(as_text=True)
    text = " ".join(unescape(re.sub(r"<[^>]+>", " ", page)).split())
    assert row_text(page, harris_link).count("not available (records begin March 2009)") == 4
    assert "All 3 jurisdictions of the registry are listed." in text
    assert "List only the jurisdictions with records in these months" in text
    # The window form keeps the choice.
    assert '<input type="hidden" name="show" value="all">' in page


def test_window_choice_is_checked_and_explained(app, dataset):
    client = staff_client(app, "analyst")
    for query in ("months_before=abc", "months_before=0", "months_after=241", "months_after=-3"):
        response = client.get(f"/staff/oversight/program?{query}")
        assert response.status_code == 200
        page = unescape(response.get_data(as_text=True))
        assert "Enter a whole number of months from 1 to 240." in page, query
        assert 'aria-invalid="true"' in page
        # The figures shown are for the default window, and say so.
        assert "in the 12 months before activation and the 12 months from activation on" in page
    page = unescape(
        client.get("/staff/oversight/program?months_before=24&months_after=3").get_data(
            as_text=True
        )
    )
    assert "in the 24 months before activation and the 3 months from activation on" in page
    assert 'value="24"' in page and 'value="3"' in page


def test_jurisdiction_page_lists_each_month(app, dataset):
    client = staff_client(app, "supervisor")
    response = client.get(
        f"/staff/oversight/program/{dataset['webb']}?months_before=4&months_after=6"
    )
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    text = " ".join(unescape(re.sub(r"<[^>]+>", " ", page)).split())
    assert "Program oversight: Webb County, Texas" in text
    assert "June 16, 2009" in text
    # February 2009 is before records begin: W2 shows, marked, not as a full month.
    assert row_text(page, "February 2009") == (
        "February 2009 Before activation 1 (reported later; no records for this month)"
        " 1 (reported later; no records for this month)"
    )
    assert row_text(page, "April 2009") == "April 2009 Before activation 1 0"
    assert row_text(page, "June 2009") == "June 2009 After activation 2 1"
    assert row_text(page, "September 2009") == "September 2009 After activation 0 0"
    # In 2026 every month after activation has records.
    assert row_text(page, "November 2009") == "November 2009 After activation 0 0"
    assert row_text(page, "4 months before activation") == (
        "4 months before activation 3 of 4 3 1.0 2 0.7"
    )
    assert row_text(page, "6 months from activation on") == (
        "6 months from activation on 6 of 6 4 0.7 3 0.5"
    )
    assert client.get("/staff/oversight/program/999999").status_code == 404


def test_jurisdiction_page_without_any_covered_month(app, dataset):
    client = staff_client(app, "analyst")
    page = client.get(
        f"/staff/oversight/program/{dataset['harris']}?months_before=3&months_after=2"
    ).get_data(as_text=True)
    assert row_text(page, "July 2008") == "July 2008 Before activation no records no records"
    assert row_text(page, "3 months before activation") == (
        "3 months before activation 0 of 3" + " not available (records begin March 2009)" * 4
    )
    assert "No month of this window has records, so there is no chart." in unescape(page)


# --- flags -------------------------------------------------------------------------------------
#
# At NOW with a 90-day window, the window runs from July 18 to October 15, 2009, both included.
# Webb County: F1 (incident July 18), F3 (no incident date, filed July 18 00:00:00 UTC), F5
# (incident October 15), F7 (incident known to the month: August 2009, as August 1) = 4.
# Not counted: F2 (incident July 17), F4 (filed July 17 23:59:59 UTC), F6 (not profiling),
# F8 (profiling, filed in the window, incident in June). Harris County: 3. Bexar is not
# registered: its 9 never flag.


@pytest.fixture
def recent(app):
    with app.app_context():
        ids = {
            "webb": add_jurisdiction(
                WEBB, "Webb County", "Secure Communities", "2009-06-16", "day"
            ),
            "harris": add_jurisdiction(
                HARRIS, "Harris County", "Secure Communities", "2008-10-01", "month"
            ),
        }
        ids = {key: j.id for key, j in ids.items()}
        profiling = ["racial_profiling"]
        add_complaint(WEBB, "2009-07-18", "2009-07-20 10:00:00", profiling)  # F1
        add_complaint(WEBB, "2009-07-17", "2009-07-20 10:00:00", profiling)  # F2
        add_complaint(WEBB, None, "2009-07-18 00:00:00", profiling)  # F3
        add_complaint(WEBB, None, "2009-07-17 23:59:59", profiling)  # F4
        add_complaint(WEBB, "2009-10-15", "2009-10-15 10:00:00", profiling)  # F5
        add_complaint(WEBB, "2009-09-01", "2009-09-02 10:00:00", ["retaliation"])  # F6
        add_complaint(WEBB, "2009-08-01", "2009-09-02 10:00:00", profiling, "month")  # F7
        add_complaint(WEBB, "2009-06-30", "2009-08-02 10:00:00", profiling)  # F8
        for day in (1, 2, 3):
            add_complaint(HARRIS, f"2009-09-0{day}", f"2009-09-1{day} 10:00:00", profiling)
        for day in range(1, 10):
            add_complaint(BEXAR, f"2009-09-0{day}", "2009-09-20 10:00:00", profiling)
        db.session.commit()
    return ids


def flagged(**kwargs):
    return sorted((f.jurisdiction.name, f.profiling_count) for f in program.flags(**kwargs))


def test_flag_threshold_edge(app, recent):
    with app.test_request_context("/"):
        assert flagged(now=NOW, threshold=5, window_days=90) == []  # Webb 4: threshold - 1
        assert flagged(now=NOW, threshold=4, window_days=90) == [("Webb County", 4)]
        assert flagged(now=NOW, threshold=3, window_days=90) == [
            ("Harris County", 3),
            ("Webb County", 4),
        ]


def test_flag_window_edge(app, recent):
    with app.test_request_context("/"):
        # One more day reaches back to July 17: F2 and F4 come in.
        assert flagged(now=NOW, threshold=4, window_days=91) == [("Webb County", 6)]
        assert program.flag_window(NOW, 90) == (date(2009, 7, 18), date(2009, 10, 15))
        # The day before, F5 (October 15) is not yet in; July 17 is.
        day_before = datetime(2009, 10, 14, 23, 59, 59, tzinfo=UTC)
        assert flagged(now=day_before, threshold=5, window_days=90) == [("Webb County", 5)]


def test_flag_settings_come_from_the_configuration(app, recent):
    with app.test_request_context("/"):
        assert flagged(now=NOW) == []  # 5 in 90 days by default
        app.config["PROFILING_FLAG_THRESHOLD"] = 4
        assert flagged(now=NOW) == [("Webb County", 4)]
        app.config["PROFILING_FLAG_WINDOW_DAYS"] = 91
        assert flagged(now=NOW) == [("Webb County", 6)]
        webb = db.session.get(Jurisdiction, recent["webb"])
        assert program.recent_profiling(webb, now=NOW) == 6
        comparisons = {c.jurisdiction.name: c for c in program.overview(now=NOW)}
        assert (
            comparisons["Webb County"].recent_profiling,
            comparisons["Webb County"].flagged,
        ) == (
            6,
            True,
        )
        assert comparisons["Harris County"].flagged is False


def test_flag_shown_on_the_page_in_words(app):
    """Recent profiling complaints (relative to the real today) flag Webb County on the page."""
    app.config["PROFILING_FLAG_THRESHOLD"] = 2
    app.config["PROFILING_FLAG_WINDOW_DAYS"] = 30
    today = datetime.now(UTC)
    with app.app_context():
        webb = add_jurisdiction(WEBB, "Webb County", "Secure Communities", "2009-06-16", "day")
        for _ in range(2):
            add_complaint(WEBB, None, today.strftime("%Y-%m-%d 00:00:00"), ["racial_profiling"])
        db.session.commit()
        webb_id = webb.id
    client = staff_client(app, "analyst")
    page = client.get("/staff/oversight/program").get_data(as_text=True)
    text = " ".join(unescape(re.sub(r"<[^>]+>", " ", page)).split())
    flagged_line = "1 jurisdiction is flagged: Webb County, Texas (Secure Communities) : 2 prof"
    assert flagged_line in text
    assert "2 or more profiling complaints" in text and "within the last 30 days" in text
    assert row_text(page, f"/staff/oversight/program/{webb_id}?").endswith("2 Flagged")
    detail = client.get(f"/staff/oversight/program/{webb_id}").get_data(as_text=True)
    assert "2: flagged (the threshold is 2)" in " ".join(
        unescape(re.sub(r"<[^>]+>", " ", detail)).split()
    )


# --- activation dates --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("activation", "precision", "expected"),
    [
        ("2009-06-16", "day", "June 16, 2009"),
        ("2008-10-01", "month", "October 2008"),
        ("2010-06-01", "on_or_before", "June 2010 (on or before)"),
        ("2009-09-10", "on_or_before", "September 10, 2009 (on or before)"),
        ("2010-06-01", "approximate", "June 2010 (approximate)"),
        ("2010-04-13", "announced", "April 13, 2010 (date announced)"),
    ],
)
def test_activation_dates_read_as_precise_as_they_are(app, activation, precision, expected):
    jurisdiction = Jurisdiction(
        county_fips=WEBB,
        name="Webb County",
        program="Secure Communities",
        activation_date=date.fromisoformat(activation),
        date_precision=precision,
    )
    with app.test_request_context("/"):
        assert program.activation_text(jurisdiction) == expected


# --- the seed ---------------------------------------------------------------------------------


def test_the_migration_seeds_the_2009_2010_activations(app):
    # The test fixtures empty the registry; run its migration again to see the seed.
    with app.app_context():
        downgrade(revision="0003")
        upgrade()
        rows = db.session.execute(select(Jurisdiction)).scalars().all()
        assert len(rows) == 39
        by_county = {j.county_fips: j for j in rows}
        webb = by_county["48479"]
        assert (webb.name, webb.activation_date, webb.date_precision) == (
            "Webb County",
            date(2009, 6, 16),
            "day",
        )
        harris = by_county["48201"]
        assert (harris.activation_date, harris.date_precision) == (date(2008, 10, 1), "month")
        # Names resolved to Census counties.
        assert by_county["48127"].county.name == "Dimmit County"
        assert by_county["11001"].name.startswith("District of Columbia")
        assert by_county["51760"].county.name == "Richmond city"
        assert {j.program for j in rows} == {"Secure Communities"}
        assert all(j.created_by_id is None and j.source for j in rows)


# --- the registry -----------------------------------------------------------------------------

VALID = {
    "state": "TX",
    "county": "48029",
    "name": "",
    "program": "Secure Communities",
    "activation_month": "6",
    "activation_day": "",
    "activation_year": "2010",
    "date_precision": "on_or_before",
    "note": "Listed as already implemented.",
    "source": "DHS/ICE announcement, Laredo (2010)",
}


def token(client, url) -> str:
    page = client.get(url).get_data(as_text=True)
    match = CSRF_RE.search(page)
    assert match, f"no CSRF token on {url}"
    return match.group(1)


def post(client, url, data):
    return client.post(url, data={"csrf_token": token(client, url), **data})


def events(app, action=None) -> list[AuditEvent]:
    with app.app_context():
        stmt = select(AuditEvent).order_by(AuditEvent.seq)
        if action:
            stmt = stmt.where(AuditEvent.action == action)
        return list(db.session.execute(stmt).scalars())


def jurisdictions(app) -> list[Jurisdiction]:
    with app.app_context():
        stmt = select(Jurisdiction).order_by(Jurisdiction.id)
        return list(db.session.execute(stmt).scalars())


def page_text(response) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))).split())


def error_for(response, field_id: str) -> str:
    page = response.get_data(as_text=True)
    match = re.search(
        rf'id="{field_id}-error">\s*<span class="usa-sr-only">[^<]*</span>(.*?)</span>', page, re.S
    )
    assert match, f"no error for {field_id}"
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", match.group(1))).split())


def test_add_a_jurisdiction(app):
    admin = staff_client(app, "administrator")
    response = post(admin, "/staff/oversight/jurisdictions/new", VALID)
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/staff/oversight/jurisdictions")
    [made] = jurisdictions(app)
    assert (made.county_fips, made.name, made.program) == (
        "48029",
        "Bexar County",
        VALID["program"],
    )
    assert (made.activation_date, made.date_precision) == (date(2010, 6, 1), "on_or_before")
    assert (made.note, made.source) == (VALID["note"], VALID["source"])
    assert made.created_by_id == made.updated_by_id == admin.staff.id
    [event] = events(app, "jurisdiction.created")
    assert (event.actor_id, event.object_type, event.object_id) == (
        admin.staff.id,
        "jurisdiction",
        made.id,
    )
    assert event.details == {"jurisdiction_id": made.id, "fields": list(EDITED)}
    listing = admin.get("/staff/oversight/jurisdictions")
    text = page_text(listing)
    assert "Bexar County is added to the registry." in text
    assert "Bexar County Texas Bexar County Secure Communities June 2010 (on or before)" in text
    with app.app_context():
        assert verify_chain().ok


EDITED = ("county_fips", "name", "program", "activation_date", "date_precision", "note", "source")


def test_the_form_has_csrf_and_checks_every_field_keeping_what_was_typed(app):
    admin = staff_client(app, "administrator")
    form = admin.get("/staff/oversight/jurisdictions/new")
    assert form.status_code == 200
    assert CSRF_RE.search(form.get_data(as_text=True))
    # Without a token: refused, nothing saved.
    assert admin.post("/staff/oversight/jurisdictions/new", data=VALID).status_code == 400

    empty = post(admin, "/staff/oversight/jurisdictions/new", {"action": "save"})
    assert empty.status_code == 400
    assert error_for(empty, "state") == "Choose the state."
    assert error_for(empty, "county") == "Choose the state first."
    assert error_for(empty, "program") == "Enter the program."
    assert error_for(empty, "activation_year") == "Enter the activation date."
    assert error_for(empty, "date_precision") == "Choose how exact the date is."
    assert 'id="error-summary"' in empty.get_data(as_text=True)

    typed = {
        **VALID,
        "county": "06037",  # Los Angeles County, California
        "program": "Program with <b>markup</b>",
        "activation_day": "31",
        "activation_month": "6",
        "date_precision": "day",
        "note": "A note that must survive the error.",
    }
    wrong = post(admin, "/staff/oversight/jurisdictions/new", typed)
    assert wrong.status_code == 400
    assert error_for(wrong, "county") == "Choose a county in Texas."
    assert error_for(wrong, "activation_year") == "Enter a real date."
    page = wrong.get_data(as_text=True)
    assert 'value="Program with &lt;b&gt;markup&lt;/b&gt;"' in page
    assert "A note that must survive the error." in page
    assert 'value="31"' in page and 'value="2010"' in page
    assert re.search(r'<option selected value="TX">|<option value="TX" selected>', page)

    cases = [
        ({"date_precision": "day"}, "date_precision", "An exact day needs the day in the date"),
        (
            {"activation_day": "16", "date_precision": "month"},
            "date_precision",
            "A date known to the month has no day",
        ),
        ({"activation_year": "10"}, "activation_year", "Enter the year as 4 digits, like 2024."),
        ({"activation_month": ""}, "activation_year", "Choose the month."),
        ({"activation_day": "x"}, "activation_year", "Enter the day as a number, like 15."),
        ({"date_precision": "sometime"}, "date_precision", "Choose one of the options shown."),
        ({"county": "99999"}, "county", "Choose one of the options in the list."),
        ({"state": "ZZ"}, "state", "Choose one of the options in the list."),
        ({"program": "x" * 121}, "program", "Use 120 characters or fewer."),
    ]
    for change, field, message in cases:
        response = post(admin, "/staff/oversight/jurisdictions/new", {**VALID, **change})
        assert response.status_code == 400, change
        assert error_for(response, field).startswith(message), (change, error_for(response, field))
    assert jurisdictions(app) == []
    assert events(app, "jurisdiction.created") == []


def test_the_county_list_follows_the_state_without_javascript(app):
    admin = staff_client(app, "administrator")
    response = post(
        admin,
        "/staff/oversight/jurisdictions/new",
        {**VALID, "state": "CA", "county": "48029", "action": "refresh"},
    )
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Los Angeles County" in page and "Bexar County" not in page
    assert 'id="error-summary"' not in page
    assert 'value="Secure Communities"' in page
    assert jurisdictions(app) == []


def test_a_duplicate_county_and_program_is_a_field_error(app, monkeypatch):
    admin = staff_client(app, "administrator")
    assert post(admin, "/staff/oversight/jurisdictions/new", VALID).status_code == 303
    again = post(
        admin,
        "/staff/oversight/jurisdictions/new",
        {**VALID, "program": " secure   COMMUNITIES ", "name": "Bexar County Sheriff"},
    )
    assert again.status_code == 400
    assert error_for(again, "program") == (
        "Bexar County already has a jurisdiction for this program: change that one instead."
    )
    # Another program in the same county is fine.
    assert (
        post(
            admin, "/staff/oversight/jurisdictions/new", {**VALID, "program": "287(g)"}
        ).status_code
        == 303
    )
    # Two administrators at once: the check passes for both, the database refuses the second.

    monkeypatch.setattr(registry, "same_program_elsewhere", lambda values, own_id: False)
    raced = post(admin, "/staff/oversight/jurisdictions/new", VALID)
    assert raced.status_code == 409
    assert "already has a jurisdiction for this program" in error_for(raced, "program")
    assert len(jurisdictions(app)) == 2
    assert len(events(app, "jurisdiction.created")) == 2


def test_change_a_jurisdiction(app):
    admin = staff_client(app, "administrator")
    other_admin = staff_client(app, "administrator")
    with app.app_context():
        bexar = add_jurisdiction(
            "48029", "Bexar County", "Secure Communities", "2010-06-01", "on_or_before"
        )
        add_jurisdiction("48029", "Bexar County", "287(g)", "2010-01-01", "month")
        db.session.commit()
        bexar_id = bexar.id
    url = f"/staff/oversight/jurisdictions/{bexar_id}/edit"
    form = admin.get(url)
    assert form.status_code == 200
    page = form.get_data(as_text=True)
    assert CSRF_RE.search(page)
    assert 'value="Secure Communities"' in page and 'value="2010"' in page
    assert 'name="activation_day" type="text" value=""' in page

    current = {**VALID, "name": "Bexar County", "note": "", "source": ""}
    unchanged = post(admin, url, current)
    assert unchanged.status_code == 303
    assert events(app, "jurisdiction.updated") == []
    assert "Nothing was changed in Bexar County." in page_text(
        admin.get(unchanged.headers["Location"])
    )

    changed = post(
        other_admin,
        url,
        {**current, "activation_month": "5", "activation_day": "18", "date_precision": "day"},
    )
    assert changed.status_code == 303
    [made, _] = jurisdictions(app)
    assert (made.activation_date, made.date_precision) == (date(2010, 5, 18), "day")
    assert made.updated_by_id == other_admin.staff.id
    [event] = events(app, "jurisdiction.updated")
    assert event.details == {
        "jurisdiction_id": bexar_id,
        "fields": ["activation_date", "date_precision"],
    }
    assert event.actor_id == other_admin.staff.id

    duplicate = post(admin, url, {**current, "program": "287(G)"})
    assert duplicate.status_code == 400
    assert "already has a jurisdiction for this program" in error_for(duplicate, "program")
    assert admin.get("/staff/oversight/jurisdictions/999999/edit").status_code == 404


def test_remove_a_jurisdiction_after_confirming(app):
    admin = staff_client(app, "administrator")
    with app.app_context():
        bexar = add_jurisdiction(
            "48029", "Bexar County", "Secure Communities", "2010-06-01", "on_or_before"
        )
        db.session.commit()
        bexar_id = bexar.id
    url = f"/staff/oversight/jurisdictions/{bexar_id}/delete"
    confirm = admin.get(url)
    assert confirm.status_code == 200
    assert "Remove Bexar County from the registry?" in page_text(confirm)
    assert CSRF_RE.search(confirm.get_data(as_text=True))
    assert admin.post(url).status_code == 400  # no CSRF token: nothing removed
    assert len(jurisdictions(app)) == 1
    response = post(admin, url, {})
    assert response.status_code == 303
    assert jurisdictions(app) == []
    [event] = events(app, "jurisdiction.deleted")
    assert event.details == {"jurisdiction_id": bexar_id}
    assert (event.object_type, event.object_id, event.actor_id) == (
        "jurisdiction",
        bexar_id,
        admin.staff.id,
    )
    assert "Bexar County is removed from the registry." in page_text(
        admin.get("/staff/oversight/jurisdictions")
    )
    assert admin.get(url).status_code == 404
    with app.app_context():
        assert verify_chain().ok


def test_audit_details_never_hold_what_was_typed(app):
    admin = staff_client(app, "administrator")
    secret = "Sheriff Quillwort said so"
    assert (
        post(
            admin, "/staff/oversight/jurisdictions/new", {**VALID, "note": secret, "name": secret}
        ).status_code
        == 303
    )
    for event in events(app):
        assert secret not in repr(event.details)


# --- who may do what ---------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["analyst", "supervisor", "administrator"])
def test_oversight_roles_read_program_and_registry(app, dataset, role):
    client = staff_client(app, role)
    for url in (
        "/staff/oversight/program",
        f"/staff/oversight/program/{dataset['webb']}",
        "/staff/oversight/jurisdictions",
    ):
        assert client.get(url).status_code == 200, url
    listing = client.get("/staff/oversight/jurisdictions").get_data(as_text=True)
    manages = role == "administrator"
    assert ("/staff/oversight/jurisdictions/new" in listing) is manages
    assert (f"/staff/oversight/jurisdictions/{dataset['webb']}/edit" in listing) is manages


@pytest.mark.parametrize("role", ["analyst", "supervisor"])
def test_readers_cannot_change_the_registry(app, dataset, role):
    client = staff_client(app, role)
    webb = dataset["webb"]
    for url in (
        "/staff/oversight/jurisdictions/new",
        f"/staff/oversight/jurisdictions/{webb}/edit",
        f"/staff/oversight/jurisdictions/{webb}/delete",
    ):
        assert client.get(url).status_code == 403, url
        csrf = token(client, "/staff/oversight/jurisdictions")
        assert client.post(url, data={"csrf_token": csrf, **VALID}).status_code == 403, url
    assert len(jurisdictions(app)) == 3
    assert events(app, "jurisdiction.created") == events(app, "jurisdiction.deleted") == []


@pytest.mark.parametrize("role", ["intake_specialist", "investigator"])
def test_case_roles_without_oversight_are_refused(app, dataset, role):
    client = staff_client(app, role)
    for url in (
        "/staff/oversight/program",
        f"/staff/oversight/program/{dataset['webb']}",
        "/staff/oversight/jurisdictions",
        "/staff/oversight/jurisdictions/new",
    ):
        assert client.get(url).status_code == 403, url


def test_nobody_signed_in_is_sent_to_sign_in(client):
    for url in ("/staff/oversight/program", "/staff/oversight/jurisdictions"):
        response = client.get(url)
        assert response.status_code == 302
        assert "/staff/sign-in?next=" in response.headers["Location"]


# --- in a real browser: axe-core, English and Spanish, desktop and phone width ----------------


@pytest.mark.browser
@pytest.mark.parametrize("lang", ["en", "es"])
def test_program_pages_pass_axe(visit_factory, app, live_server, dataset, lang, tmp_path):
    screenshots = tmp_path  # looked at by hand: desktop and phone width
    admin = make_user(app, "administrator", name="Ada Admin")
    visit = visit_factory(lang)
    page, t = visit.page, visit.t
    sign_in_with_cookie(app, live_server, page, admin)
    switch_language(page, lang, "/staff/oversight/program")

    def check(path, heading, name):
        page.goto(path)
        expect(page.get_by_role("heading", level=1)).to_contain_text(heading)
        expect(page.locator("html")).to_have_attribute("lang", lang)
        assert_accessible(page, f"{name} ({lang})")
        for width, height in ((1280, 900), (375, 800)):
            page.set_viewport_size({"width": width, "height": height})
            page.screenshot(path=screenshots / f"{name}-{lang}-{width}.png", full_page=True)
            # Nothing wider than the screen at phone width.
            overflow = page.evaluate(
                "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            assert overflow <= 0, f"{name} ({lang}) is {overflow}px too wide at {width}px"
        page.set_viewport_size({"width": 1280, "height": 900})

    check(
        "/staff/oversight/program?months_before=4&months_after=6", t("Program oversight"), "program"
    )
    check(
        f"/staff/oversight/program/{dataset['webb']}?months_before=4&months_after=6",
        t(
            "Program oversight: %(place)s",
            place=t("%(county)s, %(state)s", county="Webb County", state="Texas"),
        ),
        "program-jurisdiction",
    )
    check("/staff/oversight/program?months_before=x", t("Program oversight"), "program-error")
    check("/staff/oversight/jurisdictions", t("Jurisdiction registry"), "registry")
    check("/staff/oversight/jurisdictions/new", t("Add a jurisdiction"), "registry-new")
    page.get_by_role("button", name=t("Add to the registry")).click()
    page.wait_for_load_state()
    expect(page.locator("#error-summary")).to_be_visible()
    assert_accessible(page, f"registry form with errors ({lang})")
    page.screenshot(path=screenshots / f"registry-errors-{lang}.png", full_page=True)
    # The county list follows the state (app.js), and a valid form saves.
    page.locator("#state").select_option("TX")
    expect(page.locator("#county option[value='48029']")).to_have_count(1)
    page.locator("#county").select_option("48029")
    page.locator("#program").fill("287(g)")
    page.locator("#activation_month").select_option("6")
    page.locator("#activation_year").fill("2010")
    page.locator("label[for=date_precision-1]").click()  # "month" (USWDS hides the input)
    page.get_by_role("button", name=t("Add to the registry")).click()
    page.wait_for_url(re.compile(r"/staff/oversight/jurisdictions$"))
    assert_accessible(page, f"registry after adding ({lang})")
    check(
        f"/staff/oversight/jurisdictions/{dataset['webb']}/edit",
        t("Change a jurisdiction"),
        "registry-edit",
    )
    check(
        f"/staff/oversight/jurisdictions/{dataset['webb']}/delete",
        t("Remove %(name)s from the registry?", name="Webb County"),
        "registry-delete",
    )
    # 400 on the form with errors is logged by Chromium as a failed load: take just that one.
    problems = [p for p in visit.console.problems if "status of 400" not in p]
    assert problems == [], problems
    with app.app_context():
        assert (
            db.session.execute(
                select(func.count())
                .select_from(Jurisdiction)
                .where(Jurisdiction.program == "287(g)")
            ).scalar_one()
            == 2
        )  # the dataset's and the one added here
