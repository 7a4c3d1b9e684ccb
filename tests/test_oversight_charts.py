"""The oversight charts' axes, read back from the SVG: counts get distinct whole-number ticks
(never "0 0 0 1 1 1"), and a time axis names at most 12 months, tilted beyond 6.

The rules (intake/oversight/charts.py):
- value ticks: 0 and up, a step of 1, 2 or 5 times a power of ten, at most 6 ticks, the last
  at or above the largest count (or stack); percentages 0, 20, ... 100%;
- month labels: all of them up to 12, else every Nth (N = ceil(months / 12)), so at most 12;
  more than 6 named labels are rotated.
"""

import base64
import math
import re
from xml.etree import ElementTree

import pytest

from intake.oversight import charts
from tests import oversight_data as data
from tests.staff import staff_client

SVG = "{http://www.w3.org/2000/svg}"
URL = "/staff/oversight/"
DATA_URI_RE = re.compile(
    r'src="data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)" alt="Chart: ([^"]+?)\. Its figures'
)


def axis_texts(svg: str, axis: str) -> list[ElementTree.Element]:
    """The <text> labels of the SVG's "axis x" or "axis y" group, in document order."""
    root = ElementTree.fromstring(svg)  # noqa: S314 - our own SVG
    for group in root.iter(f"{SVG}g"):
        if (group.get("class") or "").split()[:2] == ["axis", axis]:
            return list(group.iter(f"{SVG}text"))
    raise AssertionError(f"no {axis} axis")


def whole_ticks(svg: str, axis: str, suffix: str = "") -> list[int]:
    """The axis's tick labels as integers; fails on any that is not a whole number."""
    labels = [text.text or "" for text in axis_texts(svg, axis)]
    assert labels, "no ticks"
    ticks = []
    for label in labels:
        digits = label.removesuffix(suffix).replace(",", "")
        assert re.fullmatch(r"\d+", digits), f"not a whole number: {label!r} of {labels}"
        ticks.append(int(digits))
    return ticks


def assert_count_axis(ticks: list[int], largest: int) -> None:
    assert len(set(ticks)) == len(ticks), ticks  # distinct: no "0 0 0 1 1 1"
    assert ticks == sorted(ticks) and ticks[0] == 0, ticks
    assert 2 <= len(ticks) <= charts.MAX_VALUE_TICKS, ticks
    assert ticks[-1] >= largest, ticks
    steps = {b - a for a, b in zip(ticks, ticks[1:], strict=False)}
    assert len(steps) == 1, ticks  # evenly spaced


# --- the rules, chart by chart -----------------------------------------------------------------


@pytest.mark.parametrize("largest", [0, 1, 2, 3, 4, 5, 6, 7, 9, 11, 23, 99, 101, 1234, 58_000])
def test_count_ticks_are_distinct_whole_numbers(largest):
    ticks = charts.count_ticks(largest)
    assert all(isinstance(tick, int) for tick in ticks)
    assert_count_axis(ticks, largest)


@pytest.mark.parametrize("largest", [1, 2, 4, 7, 23, 1234])
def test_bar_charts_read_whole_numbers(app, largest):
    rows = [("a", largest), ("b", 0), ("c", None), ("d", 1 if largest > 1 else 0)]
    with app.test_request_context("/"):
        horizontal = charts.bar_chart("H", rows)
        vertical = charts.bar_chart("V", rows, horizontal=False)
        line = charts.line_chart("L", rows)
        stacked = charts.stacked_bar_chart(
            "S", ["x", "y"], [("one", [largest, 1]), ("two", [1, None])]
        )
    # A horizontal chart's values run along its x axis.
    assert_count_axis(whole_ticks(horizontal.svg, "x"), largest)
    assert_count_axis(whole_ticks(vertical.svg, "y"), largest)
    assert_count_axis(whole_ticks(line.svg, "y"), largest)
    assert_count_axis(whole_ticks(stacked.svg, "x"), largest + 1)  # the stack, not one part


def test_percent_axis_reads_0_to_100(app):
    with app.test_request_context("/"):
        chart = charts.bar_chart("P", [("a", 33.3), ("b", None)], percent=True)
    assert whole_ticks(chart.svg, "x", suffix="%") == [0, 20, 40, 60, 80, 100]


@pytest.mark.parametrize("months", [1, 6, 7, 12, 13, 24, 25, 61, 240])
def test_month_axis_names_at_most_twelve_months(app, months):
    rows = [(f"M{n:03d}", n % 4) for n in range(months)]
    with app.test_request_context("/"):
        chart = charts.line_chart("Months", rows)
    named = axis_texts(chart.svg, "x")
    labels = [text.text for text in named]
    step = math.ceil(months / charts.MAX_X_LABELS)
    assert len(labels) <= charts.MAX_X_LABELS
    assert labels == [label for label, _ in rows][::step]  # every Nth, from the first
    rotated = [text for text in named if "rotate" in (text.get("transform") or "")]
    assert len(rotated) == (len(labels) if len(labels) > charts.MAX_FLAT_X_LABELS else 0)


# --- on the dashboard --------------------------------------------------------------------------


@pytest.fixture
def dataset(app):
    return data.make_oversight_data(app)


def page_charts(client, query: str) -> dict[str, str]:
    response = client.get(f"{URL}?{query}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    return {
        title.replace("&#39;", "'"): base64.b64decode(encoded).decode()
        for encoded, title in DATA_URI_RE.findall(html)
    }


def test_agency_answers_chart_reads_whole_numbers(app, dataset):
    client = staff_client(app, "analyst")
    # The whole range: concur 4, partially concur 2, non-concur 1, awaiting 3.
    found = page_charts(client, "start=2026-01-01&end=2026-06-30")
    assert whole_ticks(found["Agency answers to recommendations"], "x") == [0, 1, 2, 3, 4]
    # CBP alone: one answer (C03, partially concur), where pygal's own ticks read 0 0 0 1 1 1.
    found = page_charts(client, "start=2026-01-01&end=2026-06-30&agency=cbp")
    assert whole_ticks(found["Agency answers to recommendations"], "x") == [0, 1]
    for title, svg in found.items():
        axis = "y" if title == "Complaints filed by month" else "x"
        ticks = whole_ticks(svg, axis, suffix="%")
        assert len(set(ticks)) == len(ticks), (title, ticks)


@pytest.mark.parametrize(
    ("query", "labels"),
    [
        (
            "start=2026-01-01&end=2026-06-30",
            ["Jan 2026", "Feb 2026", "Mar 2026", "Apr 2026", "May 2026", "Jun 2026"],
        ),
        # 13 months, as the default range has: every second one.
        (
            "start=2025-12-01&end=2026-12-31",
            ["Dec 2025", "Feb 2026", "Apr 2026", "Jun 2026", "Aug 2026", "Oct 2026", "Dec 2026"],
        ),
        # 20 years: every 20th month.
        ("start=2006-07-01&end=2026-06-30", ["Jul 2006", "Mar 2008", "Nov 2009", "Jul 2011"]),
    ],
)
def test_dashboard_month_chart_names_at_most_twelve_months(app, dataset, query, labels):
    client = staff_client(app, "analyst")
    chart = page_charts(client, query)["Complaints filed by month"]
    named = [text.text for text in axis_texts(chart, "x")]
    assert len(named) <= charts.MAX_X_LABELS
    assert named[: len(labels)] == labels
    assert whole_ticks(chart, "y") == [0, 2, 4, 6, 8]  # the busiest month: February, 8
