"""Results charts drawn on the server as inline SVG: no JavaScript, no external service.

A chart is an image with a title and a description (``role="img"``); the page shows the same
numbers in a table next to it, which is the accessible alternative.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

WIDTH = 720
HEIGHT = 300
LEFT, RIGHT, TOP, BOTTOM = 64, 16, 40, 36
# Colours with enough contrast on white, told apart by dash pattern too (not colour alone).
STYLES = [
    ("#1d70b8", ""),
    ("#d4351c", "6 3"),
    ("#00703c", "2 3"),
    ("#4c2c92", "10 3 2 3"),
    ("#6f4e00", "1 2"),
]


@dataclass
class Series:
    name: str
    points: dict[datetime.date, int] = field(default_factory=dict)


@dataclass
class Chart:
    """One indicator over time, ready to draw and to tabulate."""

    key: str
    title: str
    unit: str
    periods: list[datetime.date]
    labels: list[str]
    series: list[Series]

    def rows(self) -> list[tuple[str, list[int | None], int | None]]:
        """The table: per period its label, each series' value and the total."""
        result = []
        for period, label in zip(self.periods, self.labels, strict=True):
            values = [s.points.get(period) for s in self.series]
            present = [v for v in values if v is not None]
            total = sum(present) if present else None
            result.append((label, values, total))
        return result

    @property
    def has_breakdown(self) -> bool:
        return len(self.series) > 1


def nice_ceiling(value: int) -> int:
    """A round number at or above ``value`` for the top of the axis (1, 2, 2.5 or 5 times a power of ten)."""
    if value <= 0:
        return 1
    magnitude = 1
    while magnitude * 10 <= value:
        magnitude *= 10
    for step in (1, 2, 2.5, 5, 10):
        top = int(step * magnitude)
        if top >= value:
            return top
    return 10 * magnitude


def _fmt(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def render_svg(chart: Chart) -> SafeString:
    """The chart as an inline SVG element (escaped text, computed coordinates only)."""
    title_id = f"{chart.key}-title"
    desc_id = f"{chart.key}-desc"
    n = len(chart.periods)
    if n == 0:
        return mark_safe("")
    peak = max((v for s in chart.series for v in s.points.values()), default=0)
    top = nice_ceiling(peak)
    plot_w = WIDTH - LEFT - RIGHT
    plot_h = HEIGHT - TOP - BOTTOM

    def x(i: int) -> float:
        return LEFT + (plot_w * i / (n - 1) if n > 1 else plot_w / 2)

    def y(v: int) -> float:
        return TOP + plot_h - plot_h * v / top

    latest = chart.periods[-1]
    latest_values = ", ".join(
        f"{s.name}: {s.points[latest]}" for s in chart.series if latest in s.points
    )
    desc = _(
        "%(title)s (%(unit)s) from %(first)s to %(last)s; highest value %(peak)s; "
        "latest (%(last)s): %(latest)s. The table after the chart gives every value."
    ) % {
        "title": chart.title,
        "unit": chart.unit,
        "first": chart.labels[0],
        "last": chart.labels[-1],
        "peak": peak,
        "latest": latest_values or "—",
    }
    parts = [
        f'<svg class="project-chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="{title_id} {desc_id}" xmlns="http://www.w3.org/2000/svg" '
        f'preserveAspectRatio="xMidYMid meet">',
        f'<title id="{title_id}">{escape(chart.title)}</title>',
        f'<desc id="{desc_id}">{escape(desc)}</desc>',
        '<g font-family="inherit" font-size="12" fill="#505a5f">',
    ]
    # Grid and y-axis labels.
    steps = 4 if top % 4 == 0 else 5
    for step in range(steps + 1):
        value = top * step / steps
        gy = TOP + plot_h - plot_h * step / steps
        parts.append(
            f'<line x1="{LEFT}" y1="{_fmt(gy)}" x2="{WIDTH - RIGHT}" y2="{_fmt(gy)}" '
            f'stroke="#b1b4b6" stroke-width="{1 if step == 0 else 0.5}"/>'
        )
        parts.append(
            f'<text x="{LEFT - 6}" y="{_fmt(gy + 4)}" text-anchor="end">{_fmt(value)}</text>'
        )
    # X-axis labels: each January (or the first period when the series is short).
    ticks = [i for i, p in enumerate(chart.periods) if p.month == 1] or [0]
    stride = max(1, len(ticks) // 8)
    for i in ticks[::stride]:
        parts.append(
            f'<text x="{_fmt(x(i))}" y="{HEIGHT - BOTTOM + 18}" text-anchor="middle">'
            f"{chart.periods[i].year}</text>"
        )
        parts.append(
            f'<line x1="{_fmt(x(i))}" y1="{HEIGHT - BOTTOM}" x2="{_fmt(x(i))}" '
            f'y2="{HEIGHT - BOTTOM + 5}" stroke="#505a5f"/>'
        )
    parts.append("</g>")
    # Lines, broken where a period has no value.
    index = {p: i for i, p in enumerate(chart.periods)}
    for number, series in enumerate(chart.series):
        colour, dash = STYLES[number % len(STYLES)]
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        segments: list[list[str]] = []
        previous = -2
        for period in sorted(series.points):
            i = index[period]
            point = f"{_fmt(x(i))},{_fmt(y(series.points[period]))}"
            if i != previous + 1 or not segments:
                segments.append([])
            segments[-1].append(point)
            previous = i
        for segment in segments:
            if len(segment) == 1:
                cx, cy = segment[0].split(",")
                parts.append(f'<circle cx="{cx}" cy="{cy}" r="3" fill="{colour}"/>')
            else:
                parts.append(
                    f'<polyline fill="none" stroke="{colour}" stroke-width="2"{dash_attr} '
                    f'points="{" ".join(segment)}"/>'
                )
    # Legend along the top.
    lx = LEFT
    for number, series in enumerate(chart.series):
        colour, dash = STYLES[number % len(STYLES)]
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        parts.append(
            f'<line x1="{lx}" y1="16" x2="{lx + 24}" y2="16" stroke="{colour}" '
            f'stroke-width="3"{dash_attr}/>'
            f'<text x="{lx + 30}" y="20" font-size="12" fill="#0b0c0c">'
            f"{escape(series.name)}</text>"
        )
        lx += 40 + 7 * len(series.name)
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped


def build_chart(
    *,
    key: str,
    title: str,
    unit: str,
    periods: Sequence[datetime.date],
    labels: Sequence[str],
    series: Sequence[Series],
) -> Chart:
    return Chart(
        key=key,
        title=title,
        unit=unit,
        periods=list(periods),
        labels=list(labels),
        series=list(series),
    )
