"""Charts for oversight pages and reports: pygal, rendered on the server to plain SVG.

No JavaScript (no tooltips), no comments, no random ids: the same figures always give the same
bytes. The SVG keeps pygal's own <style> element, which the pages' Content-Security-Policy
would refuse inline, so HTML pages show a chart as an <img> of its ``data_uri``, with a
data table beside it; a PDF may embed the SVG either way.

A value of None means "not shown" (a suppressed small count): it draws no bar and no point.

Axes that are read, not guessed at:

- Counts get whole-number ticks only, from 0 up in steps of 1, 2 or 5 times a power of ten,
  at most MAX_VALUE_TICKS of them (pygal's own scale would put ticks at 0.2, 0.4, ... and the
  whole-number formatter would print "0 0 0 1 1 1"). Percentages: 0, 20, ... 100%.
- A time axis names at most MAX_X_LABELS months: every month up to 12, else every Nth (N the
  smallest that keeps 12 or fewer), the others left unnamed; with more than
  MAX_FLAT_X_LABELS names they are tilted so that neighbours do not overlap.
"""

import base64
import hashlib
import math
from collections.abc import Sequence
from dataclasses import dataclass
from xml.etree import ElementTree  # builds and cleans pygal's own SVG, parses nothing  # nosec B405

import pygal
from pygal.style import Style

FONT_FAMILY = "'DejaVu Sans', 'Liberation Sans', Arial, sans-serif"
INK = "#1b1b1b"  # text and axes: 17:1 on white
GUIDE = "#71767a"  # guide lines: 4.6:1
# Bars and lines: each at least 4.5:1 on white (WCAG 1.4.11 asks 3:1 of graphics).
SERIES_COLORS = ("#005ea2", "#c05600", "#00756a", "#8168b3", "#936f38", "#71767a")
# Ages, young to old: one hue from light to dark, each still 4.6:1 or more.
SEQUENTIAL_COLORS = ("#0076d6", "#005ea2", "#1a4480", "#162e51")

WIDTH = 640
LABEL_CHARS = 36  # longer category names are shortened in charts
MAX_VALUE_TICKS = 6  # 0 and up to five more
MAX_X_LABELS = 12
# About 90 px a label across a 640 px chart: more than six short month names ("Jan 2026",
# about 75 px at 16 px type) side by side would touch.
MAX_FLAT_X_LABELS = 6
PERCENT_TICKS = [0, 20, 40, 60, 80, 100]


@dataclass(frozen=True)
class Chart:
    title: str
    svg: str
    data_uri: str


def _style(colors=SERIES_COLORS) -> Style:
    return Style(
        font_family=FONT_FAMILY,
        background="#ffffff",
        plot_background="#ffffff",
        foreground=INK,
        foreground_strong=INK,
        foreground_subtle=GUIDE,
        opacity="1",
        opacity_hover="1",
        stroke_opacity="1",
        stroke_opacity_hover="1",
        transition="none",
        stroke_width="3",
        stroke_width_hover="3",
        colors=colors,
        value_colors=(INK,) * len(colors),
        title_font_size=18,
        label_font_size=16,
        major_label_font_size=16,
        value_font_size=16,
        legend_font_size=16,
        no_data_font_size=24,
        guide_stroke_color=GUIDE,
        major_guide_stroke_color=GUIDE,
    )


def _config(title: str, height: int, **options) -> dict:
    return {
        "title": title,
        "width": WIDTH,
        "height": height,
        "js": [],
        "disable_xml_declaration": True,
        "show_legend": False,
        "legend_at_bottom": True,
        "print_values": False,
        "print_zeroes": False,
        "truncate_label": 36,
        "truncate_legend": -1,
        "margin": 16,
        "spacing": 12,
        "min_scale": 2,
        "max_scale": 6,
        "show_minor_x_labels": True,
        "value_formatter": _whole,
        "style": _style(options.pop("colors", SERIES_COLORS)),
        **options,
    }


def _whole(value) -> str:
    return "" if value is None else f"{value:,.0f}"


def _percent(value) -> str:
    return "" if value is None else f"{value:,.0f}%"


def _plain(root: ElementTree.Element) -> ElementTree.Element:
    """Take out what pygal writes even with ``js=[]`` (its JavaScript configuration, a dated
    comment), and the empty bars it keeps for None and zero in stacked charts: a suppressed
    count must leave nothing behind, not even a "0" in the bar's description."""
    for parent in root.iter():
        for child in list(parent):
            if _unwanted(child):
                parent.remove(child)
    return root


def _unwanted(element: ElementTree.Element) -> bool:
    if element.tag is ElementTree.Comment or str(element.tag).endswith("script"):
        return True
    return element.get("class") == "bar" and _is_empty_bar(element)


def _is_empty_bar(group: ElementTree.Element) -> bool:
    rect = next((e for e in group if str(e.tag).endswith("rect")), None)
    if rect is None:
        return False
    return not (float(rect.get("width") or 0) > 0 and float(rect.get("height") or 0) > 0)


def _render(chart, title: str) -> Chart:
    # pygal names each chart with a random uuid (its CSS is scoped to it); name it by its title.
    chart.uuid = hashlib.sha256(title.encode()).hexdigest()[:16]
    chart.add_xml_filter(_plain)
    svg = chart.render()
    encoded = base64.b64encode(svg.encode()).decode("ascii")
    return Chart(title=title, svg=svg, data_uri=f"data:image/svg+xml;base64,{encoded}")


def short_label(label: str, limit: int = LABEL_CHARS) -> str:
    """A category's name shortened in the middle to fit beside its bar, keeping its first and
    last words ("Discrimination … national origin"): vocabulary entries often differ only at
    the end. The table beside the chart has every name in full."""
    if len(label) <= limit:
        return label
    words = label.split()
    head: list[str] = []
    tail: list[str] = []
    while words:
        # Grow the shorter end, while the whole still fits with " … " between the two.
        take_tail = len(" ".join(tail)) <= len(" ".join(head))
        word = words[-1] if take_tail else words[0]
        if len(" ".join(head + [word] + tail)) + 3 > limit:
            break
        if take_tail:
            tail.insert(0, words.pop())
        else:
            head.append(words.pop(0))
    if not head or not tail:
        return label[: limit - 1].rstrip() + "\u2026"
    return f"{' '.join(head)} \u2026 {' '.join(tail)}"


def count_ticks(largest: float | None) -> list[int]:
    """Whole-number ticks from 0 to at least ``largest``: a step of 1, 2 or 5 times a power of
    ten, the smallest that needs no more than MAX_VALUE_TICKS ticks."""
    top = max(1, math.ceil(largest or 0))
    magnitude = 1
    while True:
        for step in (magnitude, 2 * magnitude, 5 * magnitude):
            intervals = math.ceil(top / step)
            if intervals < MAX_VALUE_TICKS:
                return list(range(0, intervals * step + 1, step))
        magnitude *= 10


def _count_axis(values) -> dict:
    """Options for a count axis: whole-number ticks from 0 past the largest value."""
    ticks = count_ticks(max((v for v in values if v is not None), default=0))
    return {"y_labels": ticks, "range": (0, ticks[-1])}


def label_step(labels: int) -> int:
    """Name every Nth label of a time axis: the smallest N that names at most MAX_X_LABELS."""
    return max(1, math.ceil(labels / MAX_X_LABELS))


def _time_axis(labels: int) -> dict:
    step = label_step(labels)
    named = math.ceil(labels / step)
    return {
        "x_labels_major_every": step if step > 1 else None,
        "show_minor_x_labels": step == 1,
        "x_label_rotation": -45 if named > MAX_FLAT_X_LABELS else 0,
    }


def _height_for(rows: int) -> int:
    """Horizontal bars: room for each label and bar, within reason."""
    return max(220, min(1200, 100 + 36 * rows))


def bar_chart(
    title: str,
    rows: Sequence[tuple[str, float | None]],
    *,
    horizontal: bool = True,
    series: str = "",
    percent: bool = False,
) -> Chart:
    """One series of bars, one per (label, value); None draws no bar. With ``percent``, the
    values are percentages and the axis runs from 0 to 100%."""
    chart_type = pygal.HorizontalBar if horizontal else pygal.Bar
    height = _height_for(len(rows)) if horizontal else 420
    if percent:
        options = {"range": (0, 100), "y_labels": PERCENT_TICKS, "value_formatter": _percent}
    else:
        options = _count_axis(value for _, value in rows)
    chart = chart_type(**_config(title, height, **options))
    # HorizontalBar draws the first row at the bottom; reversed, the chart reads like the table.
    ordered = list(reversed(rows)) if horizontal else rows
    chart.x_labels = [short_label(label) for label, _ in ordered]
    chart.add(series or title, [value for _, value in ordered])
    return _render(chart, title)


def line_chart(title: str, rows: list[tuple[str, int | None]], *, series: str = "") -> Chart:
    """Counts over time (months), one point per (label, value); None leaves a gap. The axis
    names at most MAX_X_LABELS of the labels (see the module's notes)."""
    chart = pygal.Line(
        **_config(
            title,
            420,
            **_time_axis(len(rows)),
            **_count_axis(value for _, value in rows),
            allow_interruptions=True,
            dots_size=4,
            include_x_axis=True,
            margin_right=40,
        )
    )
    chart.x_labels = [label for label, _ in rows]
    chart.add(series or title, [value for _, value in rows])
    return _render(chart, title)


def stacked_bar_chart(
    title: str,
    categories: list[str],
    series: list[tuple[str, list[int | None]]],
    *,
    colors: tuple[str, ...] = SERIES_COLORS,
) -> Chart:
    """Horizontal stacked bars: one bar per category, one coloured part per series, with a
    legend below. None in a series draws no part."""
    chart = pygal.HorizontalStackedBar(
        **_config(
            title,
            _height_for(len(categories)) + 26 * len(series),
            show_legend=True,
            legend_at_bottom_columns=1,
            colors=colors,
            **_count_axis(_stack_totals(series)),
        )
    )
    chart.x_labels = [short_label(label) for label in reversed(categories)]
    for name, values in series:
        chart.add(name, list(reversed(values)))
    return _render(chart, title)


def _stack_totals(series: list[tuple[str, list[int | None]]]) -> list[int]:
    """Each bar's length: the sum of its shown parts."""
    parts = [values for _, values in series]
    return [sum(value or 0 for value in bar) for bar in zip(*parts, strict=True)]
