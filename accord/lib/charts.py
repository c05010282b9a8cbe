"""Server-rendered SVG charts: geometry and markup built here (the radar's markup is a template).
No JavaScript is needed to read them, and every chart sits next to a table with the same numbers."""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe


@dataclass(frozen=True)
class Point:
    x: float
    y: float


@dataclass(frozen=True)
class RadarAxis:
    label: str
    end: Point
    label_at: Point
    anchor: str  # text-anchor: start, middle or end


@dataclass(frozen=True)
class RadarSeries:
    label: str
    css: str
    points: str  # for <polygon points="...">
    dots: list[Point]


@dataclass(frozen=True)
class Radar:
    size: int
    center: Point
    rings: list[str]  # polygons for the 1..5 grid
    axes: list[RadarAxis]
    series: list[RadarSeries]


def _polar(center: Point, radius: float, index: int, count: int) -> Point:
    angle = -math.pi / 2 + 2 * math.pi * index / count
    return Point(round(center.x + radius * math.cos(angle), 1), round(center.y + radius * math.sin(angle), 1))


def radar(
    axes: list[str], series: list[tuple[str, str, list[float | None]]], *, maximum: float = 5, size: int = 480
) -> Radar:
    """A radar chart: one axis per label, one polygon per (label, css class, values) series.
    Missing values sit at the centre."""
    center = Point(size / 2, size / 2)
    radius = size / 2 - 100
    count = max(len(axes), 3)

    def ring(fraction: float) -> str:
        return " ".join(f"{p.x},{p.y}" for p in (_polar(center, radius * fraction, i, count) for i in range(len(axes))))

    radar_axes = []
    for i, label in enumerate(axes):
        end = _polar(center, radius, i, count)
        label_at = _polar(center, radius + 16, i, count)
        anchor = "middle" if abs(label_at.x - center.x) < 8 else ("start" if label_at.x > center.x else "end")
        radar_axes.append(RadarAxis(label, end, label_at, anchor))
    radar_series = []
    for label, css, values in series:
        dots = [_polar(center, radius * (v or 0) / maximum, i, count) for i, v in enumerate(values)]
        radar_series.append(RadarSeries(label, css, " ".join(f"{p.x},{p.y}" for p in dots), dots))
    return Radar(size, center, [ring(k / maximum) for k in range(1, int(maximum) + 1)], radar_axes, radar_series)


@dataclass(frozen=True)
class LineSeries:
    label: str
    css: str
    points: str
    dots: list[tuple[Point, str]]  # point and its text for a <title>


@dataclass(frozen=True)
class LineChart:
    width: int
    height: int
    gridlines: list[tuple[float, str]]  # y and label
    series: list[LineSeries]
    axis: list[tuple[float, str, str]]  # x, text-anchor and date written under the line


AXIS_LABELS = 4  # dates under a line chart: the first, the last and evenly between, no more


def _axis(xs: list[float], texts: list[str]) -> list[tuple[float, str, str]]:
    """The dates written under a line chart: all of them when few, else the first, the last and
    evenly spaced ones between, so that they never overlap."""
    count = len(xs)
    if count == 0:
        return []
    picked = list(range(count))
    if count > AXIS_LABELS:
        picked = sorted({round(i * (count - 1) / (AXIS_LABELS - 1)) for i in range(AXIS_LABELS)})
    anchors = {count - 1: "end", 0: "start"}  # the first wins when it is the only one
    return [(xs[i], anchors.get(i, "middle"), texts[i]) for i in picked]


def _ticks(low: float, high: float) -> list[float]:
    """Round gridline values: every integer for a 1–5 scale, about five round steps otherwise."""
    if high - low <= 6 and float(low).is_integer():
        return [float(v) for v in range(int(low), int(high) + 1)]
    raw = (high - low) / 4
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    first = math.ceil(low / step) * step
    return [round(first + i * step, 10) for i in range(int((high - first) / step) + 1)]


def line_chart(
    labels: list[str],
    series: list[tuple[str, str, list[float | None]]],
    *,
    low: float = 1,
    high: float = 5,
    width: int = 320,
    height: int = 130,
    axis: list[str] | None = None,
) -> LineChart:
    """A small line chart of values between `low` and `high` over `labels` (each point's name in
    its tooltip, e.g. "#3 (Mar 2026)"), with the dates `axis` (the labels when not given) under it."""
    left, right, top, bottom = 28, 10, 10, 22
    span = max(high - low, 1e-9)
    step = (width - left - right) / max(len(labels) - 1, 1)

    def y(value: float) -> float:
        return round(top + (high - value) / span * (height - top - bottom), 1)

    grid = [(y(v), f"{v:g}") for v in _ticks(low, high)]
    out = []
    for label, css, values in series:
        dots = [
            (Point(round(left + i * step, 1), y(v)), f"{labels[i]}: {v:g}")
            for i, v in enumerate(values)
            if v is not None
        ]
        out.append(LineSeries(label, css, " ".join(f"{p.x},{p.y}" for p, _ in dots), dots))
    xs = [round(left + i * step, 1) for i in range(len(labels))]
    return LineChart(width, height, grid, out, _axis(xs, axis if axis is not None else labels))


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    css: str
    title: str


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    bars: list[Bar]
    labels: list[tuple[float, str]]  # x centre and text under each group
    gridlines: list[tuple[float, str]]


def grouped_bars(
    labels: list[str], series: list[tuple[str, str, list[int]]], *, width: int = 420, height: int = 160
) -> BarChart:
    """Side-by-side bars per label (e.g. planned vs held per month)."""
    left, bottom, top = 24, 20, 8
    top_value = max([1, *(v for _, _, values in series for v in values)])
    group = (width - left) / max(len(labels), 1)
    bar_width = group * 0.7 / max(len(series), 1)
    scale = (height - bottom - top) / top_value
    bars = []
    for i, _label in enumerate(labels):
        for j, (name, css, values) in enumerate(series):
            value = values[i]
            bar_height = round(value * scale, 1)
            x = round(left + i * group + group * 0.15 + j * bar_width, 1)
            bars.append(
                Bar(
                    x,
                    round(height - bottom - bar_height, 1),
                    round(bar_width - 2, 1),
                    bar_height,
                    css,
                    f"{labels[i]}: {value} {name}",
                )
            )
    step = max(1, math.ceil(top_value / 4))
    grid = [(round(height - bottom - v * scale, 1), str(v)) for v in range(0, top_value + 1, step)]
    return BarChart(width, height, bars, [(round(left + (i + 0.5) * group, 1), t) for i, t in enumerate(labels)], grid)


def _attrs(**values: object) -> str:
    return " ".join(f'{k.replace("_", "-")}="{escape(str(v))}"' for k, v in values.items())


def line_svg(chart: LineChart, title: str) -> SafeString:
    """The line chart as SVG markup, built here rather than in a template loop (much faster)."""
    parts = [
        f'<svg class="chart chart--line" viewBox="0 0 {chart.width} {chart.height}" '
        f'role="img" aria-label="{escape(title)}">'
    ]
    for y, label in chart.gridlines:
        parts.append(f'<line class="grid-line" {_attrs(x1=24, x2=chart.width, y1=y, y2=y)}/>')
        parts.append(f'<text class="axis-label" x="2" y="{y}" dy="4">{escape(label)}</text>')
    for s in chart.series:
        parts.append(f'<polyline class="line {escape(s.css)}" points="{s.points}"/>')
        for point, text in s.dots:
            parts.append(
                f'<circle class="dot {escape(s.css)}" cx="{point.x}" cy="{point.y}" r="3.5">'
                f"<title>{escape(s.label)} {escape(text)}</title></circle>"
            )
    for x, anchor, label in chart.axis:
        parts.append(
            f'<text class="axis-label" x="{x}" y="{chart.height - 4}" text-anchor="{anchor}">{escape(label)}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every value above is escaped


def bars_svg(chart: BarChart, title: str) -> SafeString:
    parts = [
        f'<svg class="chart chart--bars" viewBox="0 0 {chart.width} {chart.height}" '
        f'role="img" aria-label="{escape(title)}">'
    ]
    for y, label in chart.gridlines:
        parts.append(f'<line class="grid-line" {_attrs(x1=22, x2=chart.width, y1=y, y2=y)}/>')
        parts.append(f'<text class="axis-label" x="2" y="{y}" dy="4">{escape(label)}</text>')
    for b in chart.bars:
        parts.append(
            f'<rect class="bar {escape(b.css)}" {_attrs(x=b.x, y=b.y, width=b.width, height=b.height)}>'
            f"<title>{escape(b.title)}</title></rect>"
        )
    for x, label in chart.labels:
        parts.append(
            f'<text class="axis-label" x="{x}" y="{chart.height - 4}" text-anchor="middle">{escape(label)}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every value above is escaped
