"""The periodic report: its figures on the hand-computed data set (tests/oversight_data.py), read
back from the PDF with pypdf, small counts and their complementary partners hidden, no personal
value anywhere in it, the form's errors, who may have it, and its audit event.

The report is built at the data set's NOW (its ages and target times are worked out for that
moment); the view tests use the real clock and check only what does not depend on it.
"""

import os
import shutil
import subprocess
from datetime import date, datetime
from pathlib import Path

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from intake.audit.models import AuditEvent
from intake.extensions import db
from intake.oversight import report, report_document, report_suppression
from intake.oversight import statistics as stats
from intake.oversight.filters import OversightFilters
from intake.oversight.models import Jurisdiction
from intake.oversight.suppression import COMPLEMENTARY, PRIMARY
from tests.browser import assert_accessible, translator
from tests.oversight_data import (
    CANARIES,
    EXPECTED_BY_ALLEGATION,
    HARRIS,
    NOW,
    RANGE_END,
    RANGE_START,
    WEBB,
    make_oversight_data,
)
from tests.pdfs import pages_text, reader, text
from tests.staff import make_user, staff_client
from tests.test_browser_staff import accept_refusal, sign_in_with_cookie, switch_language

PDF_URL = "/staff/oversight/report.pdf"
FORM_URL = "/staff/oversight/report"
PERIOD = {"start": "2026-01-01", "end": "2026-06-30"}

SECTIONS_EN = [
    "1. Summary",
    "2. Intake by month",
    "3. Intake by allegation",
    "4. Intake by agency",
    "5. Intake by state",
    "6. Backlog and aging",
    "7. Time to close",
    "8. Cases within target time",
    "9. Findings by allegation",
    "10. Agency concurrence with recommendations",
    "11. Program oversight",
    "12. Methods",
]


@pytest.fixture
def data(app):
    values = make_oversight_data(app)
    with app.app_context():
        # Harris activated within the data's months (so before/after have records); Webb in
        # 2009, long before the office's records begin.
        db.session.add_all(
            [
                Jurisdiction(
                    county_fips=HARRIS,
                    name="Harris County Sheriff's Office",
                    program="Secure Communities",
                    activation_date=date(2026, 3, 1),
                    date_precision="month",
                ),
                Jurisdiction(
                    county_fips=WEBB,
                    name="Webb County",
                    program="Secure Communities",
                    activation_date=date(2009, 6, 16),
                    date_precision="day",
                ),
            ]
        )
        db.session.commit()
    return values


def build(app, *, k: int, language: str = "en") -> tuple[report.Report, bytes]:
    with app.test_request_context("/"):
        built = report.build_report(RANGE_START, RANGE_END, language, now=NOW, k=k)
        return built, report_document.render_report(built).data


def after_contents(data: bytes) -> str:
    """The text from the first section on (the contents page lists the headings too)."""
    return " ".join(" ".join(pages_text(data)[2:]).split())


def assert_in_order(haystack: str, needles: list[str]) -> None:
    position = -1
    for needle in needles:
        found = haystack.find(needle, position + 1)
        assert found > position, f"{needle!r} missing or out of order"
        position = found


# --- the figures ------------------------------------------------------------------------------


def test_sections_and_hand_computed_figures_with_a_small_k(app, data, tmp_path):
    # k = 5 leaves most of the data set's figures visible: the hand-computed values show.
    built, pdf = build(app, k=5)
    body = after_contents(pdf)
    assert_in_order(body, SECTIONS_EN)
    assert_in_order(
        body,
        [
            "Complaints filed in the period 30",
            "Of which still open 20",
            "Of which closed 10",
            "Median days to close 67.5",
            "90th percentile of days to close 123.0",
            # By month: June's 4 is small; May's 5, the smallest other, is hidden with it.
            "January 2026 6",
            "February 2026 8",
            "March 2026 7",
            "April 2026 0",
            "May 2026 fewer than 5",
            "June 2026 fewer than 5",
            "All complaints 30",
            "Racial or ethnic profiling 19",
            "Held past the release date 6",
            "Immigration and Customs Enforcement (ICE) 14",
            "Local or state police, sheriff or jail 13",
            "Texas 17",
            "Complaints closed 10",
            "Median (days) 67.5",
            "90th percentile (days) 123.0",
            "All recommendations 10",
        ],
    )
    may, june = built.by_month.rows[4].cell, built.by_month.rows[5].cell
    assert (may.value, may.reason) == (5, COMPLEMENTARY)
    assert (june.value, june.reason) == (4, PRIMARY)
    # Suppressed values are not plotted: the month chart has no point for May or June.
    assert built.by_month.chart is not None
    assert "fewer than" not in built.by_month.chart.svg
    # Program oversight: Harris (activated March 2026) with records on both sides.
    assert "Harris County Sheriff's Office" in body
    assert "No records" in body  # Webb County, activated in 2009
    keep_sample_page(pdf, tmp_path)


def test_default_k_hides_small_cells_and_their_partners(app, data):
    built, pdf = build(app, k=11)
    body = after_contents(pdf)
    assert_in_order(
        body,
        [
            "Complaints filed in the period 30",
            # 10 closed is small; 20 open is hidden with it, or 30 - 20 would give it away.
            "Of which still open fewer than 11",
            "Of which closed fewer than 11",
            # A median of fewer than 11 cases describes those cases: not shown.
            "Median days to close Not shown",
            "January 2026 fewer than 11",
            "April 2026 0",
            "All complaints 30",
            "Racial or ethnic profiling 19",
            "Texas 17",
        ],
    )
    assert (built.closed.value, built.closed.reason) == (10, PRIMARY)
    assert (built.open.value, built.open.reason) == (20, COMPLEMENTARY)
    # The backlog's grand total is the same open count: hidden there too.
    assert built.backlog.grid.total.hidden
    assert built.median_days is None and built.p90_days is None
    # Findings: each allegation's row total is its count in the allegation table; both agree.
    findings_totals = {
        label: cell
        for label, cell in zip(built.findings.rows, built.findings.grid.row_totals, strict=True)
    }
    for row in built.by_allegation.rows:
        if row.label in findings_totals:
            assert findings_totals[row.label].hidden == row.cell.hidden, row.label
    # No hidden count anywhere: a printed number equal to a hidden value would be a leak only
    # by chance, so check the cells instead: every hidden one prints the same words.
    assert body.count("fewer than 11") >= 20


def test_no_personal_value_in_the_report(app, data):
    _built, pdf = build(app, k=5)
    everything = text(pdf)
    pdf_reader = reader(pdf)
    metadata = " ".join(str(value) for value in (pdf_reader.metadata or {}).values())
    xmp = pdf_reader.xmp_metadata
    xmp_text = xmp.rdf_root.toxml() if xmp is not None else ""
    for canary in CANARIES:
        assert canary.lower() not in everything.lower(), canary
        assert canary.lower() not in metadata.lower(), canary
        assert canary.lower() not in xmp_text.lower(), canary
        assert canary.encode() not in pdf, canary


def test_pdf_metadata_title_and_language(app, data):
    _built, pdf = build(app, k=11)
    pdf_reader = reader(pdf)
    assert pdf_reader.metadata.title == (
        "Periodic report on civil-rights complaints: January 1, 2026 to June 30, 2026"
    )
    assert pdf_reader.metadata.author == "Office for Civil Rights Complaints"
    assert pdf_reader.trailer["/Root"]["/Lang"] == "en"
    first_page = " ".join(pages_text(pdf)[0].split())
    assert "Office for Civil Rights Complaints" in first_page
    assert "Periodic report on civil-rights complaints" in first_page
    assert "Complaints filed from January 1, 2026 to June 30, 2026" in first_page
    assert "Jul 10, 2026" in first_page  # the date generated
    # Page X of Y in the running footer, from the second page on.
    assert f"Page 2 of {len(pdf_reader.pages)}" in pages_text(pdf)[1]


def test_the_spanish_report_is_in_spanish(app, data):
    built, pdf = build(app, k=5, language="es")
    body = after_contents(pdf)
    pdf_reader = reader(pdf)
    assert pdf_reader.trailer["/Root"]["/Lang"] == "es"
    assert pdf_reader.metadata.author == "Oficina de Quejas de Derechos Civiles"
    assert "Oficina de Quejas de Derechos Civiles" in pages_text(pdf)[0]
    # Months, vocabularies and numbers in Spanish.
    assert "enero de 2026 6" in body
    assert "febrero de 2026 8" in body
    assert "67,5" in body and "123,0" in body
    assert built.by_allegation.rows[0].label in body
    assert built.by_allegation.rows[0].label != "Racial or ethnic profiling"
    assert "January 2026" not in body


def test_a_period_without_complaints(app, data):
    with app.test_request_context("/"):
        built = report.build_report(date(2024, 1, 1), date(2024, 3, 31), "en", now=NOW, k=11)
        pdf = report_document.render_report(built).data
    body = after_contents(pdf)
    assert "No complaints were filed in this period." in body
    assert "All complaints 0" in body
    assert built.by_month.chart is None


# --- the views --------------------------------------------------------------------------------


def events(app, action="oversight.report_generated") -> list[AuditEvent]:
    with app.app_context():
        return list(
            db.session.execute(select(AuditEvent).where(AuditEvent.action == action)).scalars()
        )


def test_download_is_an_attachment_with_an_audit_event(app, data):
    client = staff_client(app, "analyst")
    response = client.get(PDF_URL, query_string={**PERIOD, "lang": "en"})
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="oversight-report-2026-01-01-to-2026-06-30.pdf"'
    )
    body = after_contents(response.data)
    assert "Complaints filed in the period 30" in body
    assert "Racial or ethnic profiling 19" in body
    [event] = events(app)
    assert event.actor_type == "staff" and event.actor_id == client.staff.id
    assert event.details == {"start": "2026-01-01", "end": "2026-06-30", "language": "en"}
    # One event per report.
    spanish = client.get(PDF_URL, query_string={**PERIOD, "lang": "es"})
    assert spanish.headers["Content-Disposition"].endswith(
        'filename="oversight-report-2026-01-01-to-2026-06-30-es.pdf"'
    )
    assert [e.details["language"] for e in events(app)] == ["en", "es"]


def test_the_form_page_proposes_the_last_full_half_year(app):
    client = staff_client(app, "supervisor")
    page = client.get(FORM_URL).get_data(as_text=True)
    today = datetime.now().date()
    start, end = report.default_period(today)
    assert f'value="{start.isoformat()}"' in page
    assert f'value="{end.isoformat()}"' in page
    assert f'action="{PDF_URL}"' in page
    assert 'method="get"' in page


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2026, 7, 1), (date(2026, 1, 1), date(2026, 6, 30))),
        (date(2026, 12, 31), (date(2026, 1, 1), date(2026, 6, 30))),
        (date(2026, 1, 1), (date(2025, 7, 1), date(2025, 12, 31))),
        (date(2026, 6, 30), (date(2025, 7, 1), date(2025, 12, 31))),
    ],
)
def test_default_period(today, expected):
    assert report.default_period(today) == expected


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ({"end": "2026-06-30"}, "start", "Enter the first day of the report's period."),
        ({"start": "2026-01-01"}, "end", "Enter the last day of the report's period."),
        ({"start": "2026-13-40", "end": "2026-06-30"}, "start", "Enter the date like 03/31/2026."),
        (
            {"start": "2026-06-30", "end": "2026-01-01"},
            "end",
            "Choose a last day on or after the first day.",
        ),
        ({"start": "1999-12-31", "end": "2000-06-30"}, "start", "Choose a first day in 2000"),
        ({"start": "2001-01-01", "end": "2011-06-30"}, "end", "A report covers at most 10 years."),
        (
            {"start": "2026-01-01", "end": "2999-12-31"},
            "end",
            "Choose a last day that is not after",
        ),
        ({**PERIOD, "lang": "fr"}, "lang", "Choose English or Spanish."),
    ],
)
def test_form_errors_are_shown_next_to_their_fields(app, query, field, message):
    client = staff_client(app, "analyst")
    response = client.get(PDF_URL, query_string=query)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    error = page.split(f'id="{field}-error"', 1)
    assert len(error) == 2, f"no error next to {field}"
    assert message in error[1][:400]
    assert 'id="error-summary"' in page
    # What was typed is kept.
    for name, value in query.items():
        if name != "lang":
            assert f'value="{value}"' in page
    assert events(app) == []


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("analyst", 200),
        ("supervisor", 200),
        ("administrator", 200),
        ("intake_specialist", 403),
        ("investigator", 403),
    ],
)
def test_who_may_have_the_report(app, role, status):
    client = staff_client(app, role)
    assert client.get(FORM_URL).status_code == status
    response = client.get(PDF_URL, query_string={**PERIOD, "lang": "en"})
    assert response.status_code == status
    if status == 200:
        assert response.mimetype == "application/pdf"
    assert len(events(app)) == (1 if status == 200 else 0)


def test_strangers_are_sent_to_sign_in(app):
    client = app.test_client()
    for url in (FORM_URL, f"{PDF_URL}?start=2026-01-01&end=2026-06-30"):
        response = client.get(url)
        assert response.status_code == 302
        assert "/staff/sign-in?next=" in response.headers["Location"]
    assert events(app) == []


@pytest.mark.parametrize("app_config", [{"PDF_RENDER_TIMEOUT_SECONDS": 0.001}])
def test_a_failed_render_says_so_and_records_nothing(app, data):
    client = staff_client(app, "analyst")
    response = client.get(PDF_URL, query_string={**PERIOD, "lang": "en"})
    assert response.status_code == 503
    assert "The document could not be made" in response.get_data(as_text=True)
    assert events(app) == []


def test_the_report_is_in_the_section_navigation(app):
    client = staff_client(app, "analyst")
    page = client.get("/staff/oversight/report").get_data(as_text=True)
    assert f'href="{FORM_URL}" aria-current="page"' in page


# --- a page to look at ------------------------------------------------------------------------


def keep_sample_page(pdf: bytes, folder) -> None:
    """One rendered page as a PNG in the test's own folder (not the repository)."""
    path = folder / "oversight-report.pdf"
    path.write_bytes(pdf)
    if shutil.which("pdftoppm") is None:
        return
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", "-f", "4", "-l", "4", "-singlefile", str(path),
         str(folder / "oversight-report-page4")],
        check=True, timeout=60,
    )  # fmt: skip
    assert (folder / "oversight-report-page4.png").stat().st_size > 1000


# --- in a browser -----------------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_form_passes_axe_and_fits_a_phone(visit_factory, app, live_server, lang):
    t = translator(app, lang)
    v = visit_factory(lang)
    page = v.page
    sign_in_with_cookie(app, live_server, page, make_user(app, "analyst"))
    switch_language(page, lang, FORM_URL)
    expect(page.get_by_role("heading", level=1)).to_have_text(t("Periodic report"))
    expect(page.locator("#lang")).to_have_value(lang)  # the page's language is proposed
    assert_accessible(page, f"report form ({lang})")
    # An end before the start: the form again, its error next to the field.
    page.fill("#start", "2026-06-30")
    page.fill("#end", "2026-01-01")
    page.get_by_role("button", name=t("Download the report (PDF)")).click()
    page.wait_for_load_state()
    expect(page.locator("#end-error")).to_contain_text(
        t("Choose a last day on or after the first day.")
    )
    expect(page.locator("#error-summary")).to_be_visible()
    accept_refusal(v, f"{PDF_URL}?start=2026-06-30&end=2026-01-01&lang={lang}", 400)
    assert_accessible(page, f"report form with an error ({lang})")
    page.set_viewport_size({"width": 375, "height": 800})
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"{overflow}px wider than a phone"
    if os.environ.get("INTAKE_SCREENSHOTS"):
        folder = Path(os.environ["INTAKE_SCREENSHOTS"])
        folder.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=folder / f"report-form-{lang}-phone.png", full_page=True)
        page.set_viewport_size({"width": 1280, "height": 900})
        page.screenshot(path=folder / f"report-form-{lang}-desktop.png", full_page=True)
    v.console.assert_clean()


def test_allegation_counts_from_the_findings_table_match_the_statistics(app, data):
    with app.test_request_context("/"):
        f = OversightFilters(start=RANGE_START, end=RANGE_END)
        derived = report_suppression.allegations_from_findings(stats.findings_by_allegation(f))
        assert derived == stats.intake_by_allegation(f)
        assert {row.code: row.count for row in derived if row.count} == EXPECTED_BY_ALLEGATION
