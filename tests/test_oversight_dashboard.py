"""The oversight dashboard on the fixed data set of tests/oversight_data.py: who may see it,
the figures it shows, its filter form's errors, its charts (server-rendered SVG images with a
data table beside each), no personal data anywhere on it, and axe-core in Chromium."""

import base64
import re
from datetime import date
from xml.etree import ElementTree

import pytest
from playwright.sync_api import expect

from intake.database import utcnow
from intake.oversight import charts
from intake.oversight.filters import OversightFilters, first_of_month
from tests import oversight_data as data
from tests.browser import assert_accessible
from tests.staff import make_user, staff_client
from tests.test_browser_staff import sign_in_with_cookie, switch_language

URL = "/staff/oversight/"
RANGE = f"{URL}?start=2026-01-01&end=2026-06-30"
DATA_URI_RE = re.compile(r'src="data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)"')


@pytest.fixture
def dataset(app):
    return data.make_oversight_data(app)


def page_text(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def svgs(html: str) -> list[str]:
    return [base64.b64decode(encoded).decode() for encoded in DATA_URI_RE.findall(html)]


def without_images(html: str) -> str:
    return DATA_URI_RE.sub('src=""', html)


def table(html: str, caption: str) -> dict[str, list[str]]:
    """The table with this caption: each row's header and its cells' text."""
    start = html.index(f">{caption}</caption>")
    body = html[start : html.index("</table>", start)]
    return {
        header.strip(): re.findall(r"<td[^>]*>([^<]*)</td>", cells)
        for header, cells in re.findall(r'<th scope="row">([^<]+)</th>(.*?)</tr>', body, re.S)
    }


def cell(html: str, element_id: str) -> str:
    match = re.search(rf'id="{element_id}">([^<]*)<', html)
    assert match, element_id
    return match.group(1).strip()


# --- who may see it --------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["analyst", "supervisor", "administrator"])
def test_oversight_roles_see_the_dashboard(app, dataset, role):
    html = page_text(staff_client(app, role).get(RANGE))
    assert "<h1>Oversight dashboard</h1>" in html
    assert cell(html, "summary-filed") == "30"
    # The staff header links to it, and the section's own navigation marks it current.
    assert 'class="intake-staff-nav__link" href="/staff/oversight/" aria-current="page"' in html
    assert 'href="/staff/oversight/" aria-current="page">Dashboard</a>' in html


@pytest.mark.parametrize("role", ["intake_specialist", "investigator"])
def test_case_roles_are_refused(app, dataset, role):
    client = staff_client(app, role)
    assert client.get(RANGE).status_code == 403
    assert "/staff/oversight/" not in client.get("/staff/").get_data(as_text=True)


def test_anonymous_is_sent_to_sign_in(app, client):
    response = client.get(RANGE)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/staff/sign-in?next=")


# --- the figures -----------------------------------------------------------------------------


def test_summary_and_tables_show_the_hand_computed_figures(app, dataset):
    html = page_text(staff_client(app, "analyst").get(RANGE))
    assert [cell(html, f"summary-{name}") for name in ("filed", "open", "closed")] == [
        "30",
        "20",
        "10",
    ]
    assert cell(html, "summary-median") == "67.5"
    assert cell(html, "summary-p90") == "123.0"
    months = table(html, "Complaints filed by month (UTC)")
    assert months["April 2026"] == ["0"]  # the month without complaints is listed
    assert months["February 2026"] == ["8"]
    assert months["Total"] == ["30"]
    assert table(html, "Complaints by allegation")["Racial or ethnic profiling"] == ["19"]
    assert table(html, "Complaints by agency")["Immigration and Customs Enforcement (ICE)"] == [
        "14"
    ]
    states = table(html, "Complaints by incident state")
    assert list(states) == [
        "Texas",
        "California",
        "Illinois",
        "Arizona",
        "Florida",
        "Washington",
        "Not given",
        "Total",
    ]
    assert (states["Texas"], states["Not given"]) == (["17"], ["2"])
    counties = table(html, "Complaints by incident county")
    assert counties["Harris County, TX"] == ["12"]
    assert counties["Webb County, TX"] == ["3"]
    assert counties["Not given"] == ["5"]
    backlog = table(html, "Open complaints by status and time since filing")
    assert sum(int(cells[-1]) for cells in backlog.values()) == 20
    assert table(html, "Time to close") == {
        "Closed complaints": ["10"],
        "Median, days": ["67.5"],
        "90th percentile, days": ["123.0"],
    }
    assert table(html, "Agency answers to recommendations") == {
        "Concur": ["4"],
        "Partially concur": ["2"],
        "Non-concur": ["1"],
        "Awaiting response": ["3"],
        "All recommendations": ["10"],
    }
    assert "Complaints filed from January 1, 2026 to June 30, 2026." in html


def test_findings_table(app, dataset):
    html = page_text(staff_client(app, "analyst").get(RANGE))
    findings = table(html, "Allegations by finding")
    assert findings["Racial or ethnic profiling"] == ["5", "2", "1", "0", "1", "10"]
    assert findings["Held past the release date"] == ["2", "0", "0", "0", "0", "4"]
    assert "Discrimination because of religion" not in findings  # no complaint alleges it
    assert len(findings) == 7


def test_filters_narrow_the_page(app, dataset):
    client = staff_client(app, "analyst")
    texas = page_text(client.get(f"{RANGE}&state=TX"))
    assert cell(texas, "summary-filed") == "17"
    assert cell(texas, "summary-median") == "95.0"
    assert cell(texas, "summary-p90") == "135.0"
    assert "incident in Texas" in texas
    cbp = page_text(client.get(f"{RANGE}&agency=cbp"))
    assert cell(cbp, "summary-filed") == "3"
    language = page_text(client.get(f"{RANGE}&allegation=language_access"))
    assert cell(language, "summary-filed") == "4"
    assert "alleging No interpreter or translation (language access)" in language
    # The choices stay chosen.
    assert '<option value="language_access" selected>' in language


def test_no_complaints_in_the_selection(app, dataset):
    html = page_text(staff_client(app, "analyst").get(f"{URL}?start=2026-04-01&end=2026-04-30"))
    assert "No complaints match these filters." in html
    assert "data:image/svg+xml" not in html


def test_default_range_is_the_last_twelve_months_and_this_one(app, dataset):
    html = page_text(staff_client(app, "analyst").get(URL))
    today = utcnow().date()
    start = first_of_month(today, months_back=12)
    assert f'name="start" type="date" value="{start.isoformat()}"' in html
    assert f'name="end" type="date" value="{today.isoformat()}"' in html
    assert OversightFilters.default(date(2026, 3, 15)) == OversightFilters(
        start=date(2025, 3, 1), end=date(2026, 3, 15)
    )
    assert OversightFilters.default(date(2026, 12, 31)).start == date(2025, 12, 1)


def test_blank_dates_mean_no_limit(app, dataset):
    html = page_text(
        staff_client(app, "analyst").get(f"{URL}?start=&end=&state=&agency=&allegation=")
    )
    assert cell(html, "summary-filed") == "32"  # C00 (2025) and C31 (after June) too
    assert "All complaints filed." in html


# --- the filter form's errors ----------------------------------------------------------------


DATES = "start=2026-01-01&end=2026-06-30"


@pytest.mark.parametrize(
    ("query", "field", "message", "kept"),
    [
        (
            "start=2026-06-30&end=2026-01-01",
            "end",
            "Choose a date on or after the first date.",
            'value="2026-01-01"',
        ),
        (
            "start=31/31/2026&end=2026-06-30",
            "start",
            "Enter the date like 03/31/2026.",
            'value="31/31/2026"',
        ),
        (f"{DATES}&state=ZZ", "state", "Choose a state from the list.", None),
        (f"{DATES}&agency=fbi", "agency", "Choose an agency from the list.", None),
        (f"{DATES}&allegation=x", "allegation", "Choose an allegation from the list.", None),
        ("start=1990-01-01&end=2026-06-30", "end", "Choose a range of 20 years or less.", None),
    ],
)
def test_bad_filters_are_named_next_to_their_field(app, dataset, query, field, message, kept):
    response = staff_client(app, "analyst").get(f"{URL}?{query}")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    error = re.search(
        rf'<span class="usa-error-message" id="{field}-error">\s*'
        rf'<span class="usa-sr-only">Error: </span>([^<]*)<',
        html,
    )
    assert error and error.group(1).strip() == message
    assert f'href="#{field}">{message}</a>' in html  # the summary links to the field
    control = re.search(rf'<(input|select) [^>]*id="{field}"[^>]*>', html).group(0)
    assert 'aria-invalid="true"' in control
    assert f"{field}-error" in control  # aria-describedby names the message
    if kept:
        assert kept in html  # what was typed is still there
    assert "Fix the problems above to see the figures." in html
    assert "summary-filed" not in html


# --- no personal data ------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["analyst", "administrator"])
def test_no_personal_data_and_no_case_links(app, dataset, role):
    client = staff_client(app, role)
    for query in ("", "?start=2026-01-01&end=2026-06-30", "?start=&end=", "?state=TX&start=&end="):
        html = page_text(client.get(URL + query))
        images = svgs(html)
        text = without_images(html)
        for canary in data.CANARIES:
            assert canary not in text, canary
            assert all(canary not in svg for svg in images), canary
        assert "/staff/cases/" not in html
        assert "OVS" not in text  # no tracking number (the data set's start with OVS)


# --- the charts ------------------------------------------------------------------------------


def test_every_chart_is_an_svg_image_with_alt_text_and_a_table(app, dataset):
    html = page_text(staff_client(app, "analyst").get(RANGE))
    images = re.findall(r'<img class="width-full height-auto" src="([^"]+)" alt="([^"]+)">', html)
    titles = [
        "Complaints filed by month",
        "Complaints by allegation",
        "Complaints by agency",
        "Complaints by incident state",
        "Complaints by incident county",
        "Open complaints by status and time since filing",
        "Open cases within their status's target time",
        "Findings by allegation",
        "Agency answers to recommendations",
    ]
    assert [alt for _, alt in images] == [
        f"Chart: {title.replace(chr(39), '&#39;')}. Its figures are in the table next to it."
        for title in titles
    ]
    assert html.count("<table") == len(titles) + 2  # and the summary and time-to-close tables
    for svg, title in zip(svgs(html), titles, strict=True):
        root = ElementTree.fromstring(svg)  # noqa: S314 - our own SVG
        assert root.tag == "{http://www.w3.org/2000/svg}svg"
        assert root.find("{http://www.w3.org/2000/svg}title").text == title
        assert "<script" not in svg and "<!--" not in svg
        assert "DejaVu Sans" in svg
    # No inline style or script on the page itself (the CSP would refuse them).
    assert "style=" not in without_images(html)
    assert "<script>" not in html


def test_the_page_is_the_same_twice(app, dataset):
    client = staff_client(app, "analyst")
    first, second = (svgs(page_text(client.get(RANGE))) for _ in range(2))
    assert first == second


def test_a_value_of_none_draws_no_bar_and_no_point(app):
    def bars(svg):
        return len(re.findall(r'<rect [^>]*class="rect reactive', svg))

    def points(svg):
        return len(re.findall(r'<circle [^>]*class="dot reactive', svg))

    with app.test_request_context("/"):
        shown = charts.bar_chart("T", [("a", 3), ("b", 0), ("c", 5)])
        hidden = charts.bar_chart("T", [("a", 3), ("b", None), ("c", 5)])
        assert bars(shown.svg) == bars(hidden.svg) == 2  # zero: no bar either
        assert ">None<" not in hidden.svg
        line = charts.line_chart("L", [("Jan", 1), ("Feb", None), ("Mar", 2)])
        assert points(line.svg) == 2
        assert points(charts.line_chart("L", [("Jan", 1), ("Feb", 0), ("Mar", 2)]).svg) == 3
        stacked = charts.stacked_bar_chart("S", ["x", "y"], [("one", [1, None]), ("two", [2, 3])])
        assert bars(stacked.svg) == 3
        values = re.findall(r'<desc class="value">([^<]*)</desc>', stacked.svg)
        assert sorted(values) == ["1", "2", "3"]  # nothing left of the None
        assert shown.data_uri == "data:image/svg+xml;base64," + base64.b64encode(
            shown.svg.encode()
        ).decode("ascii")


def test_short_labels_keep_both_ends():
    assert charts.short_label("Racial or ethnic profiling") == "Racial or ethnic profiling"
    assert (
        charts.short_label("Discrimination because of sexual orientation or gender identity")
        == "Discrimination \u2026 gender identity"
    )
    assert len(charts.short_label("x" * 80)) == charts.LABEL_CHARS


# --- in a real browser -----------------------------------------------------------------------

browser_only = pytest.mark.browser


@browser_only
@pytest.mark.parametrize("lang", ["en", "es"])
def test_dashboard_passes_axe(visit_factory, app, live_server, dataset, lang):
    analyst = make_user(app, "analyst")
    v = visit_factory(lang)
    sign_in_with_cookie(app, live_server, v.page, analyst)
    switch_language(v.page, lang, "/staff/")
    page = v.page
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(RANGE)
        expect(page.get_by_role("heading", level=1)).to_have_text(v.t("Oversight dashboard"))
        expect(page.locator("html")).to_have_attribute("lang", lang)
        # Every chart image loaded (the CSP allows data: images) and has its size.
        widths = page.eval_on_selector_all("img", "images => images.map(i => i.naturalWidth)")
        assert widths and all(w > 0 for w in widths)
        assert_accessible(page, f"oversight dashboard, {width}px")
        # Nothing wider than the screen but the scrollable tables' own contents.
        overflow = page.evaluate("document.documentElement.scrollWidth")
        assert overflow <= width
    # A filter chosen in the form; the error path too.
    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_label(v.t("Incident state")).select_option("TX")
    page.get_by_role("button", name=v.t("Show figures")).click()
    expect(page.locator("#summary-filed")).to_have_text("17")
    page.goto(f"{URL}?start=2026-06-30&end=2026-01-01")
    expect(page.locator("#end-error")).to_contain_text(
        v.t("Choose a date on or after the first date.")
    )
    assert_accessible(page, "oversight dashboard with an error")
    v.console.problems = [p for p in v.console.problems if "status of 400" not in p]
    v.console.assert_clean()
