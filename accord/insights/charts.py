from __future__ import annotations

from dataclasses import dataclass

from accord.insights.selectors import CadenceMonth, FollowThrough, HealthPoint
from accord.lib.charts import BarChart, LineChart, grouped_bars, line_chart


def health_chart(health: list[HealthPoint]) -> LineChart | None:
    points = [p for p in health if p.score is not None]
    if len(points) < 2:
        return None
    return line_chart(
        [f"#{p.number} ({p.on:%b %Y})" for p in points],
        axis=[f"{p.on:%b %Y}" for p in points],
        series=[("Health score", "series-0", [p.score for p in points])],
        width=480,
        height=160,
    )


def dimension_chart(health: list[HealthPoint], today: list[float | None], target: list[float | None]) -> LineChart:
    """One dimension's mean today and mean target at each revealed check (a small multiple)."""
    return line_chart(
        [f"#{p.number} ({p.on:%b %Y})" for p in health],
        [("Today", "series-0", today), ("Target", "series-target", target)],
        axis=[f"{p.on:%b %Y}" for p in health],
        width=320,
        height=110,
    )


def cadence_chart(cadence: list[CadenceMonth]) -> BarChart:
    labels = [m.month.strftime("%b") for m in cadence]
    return grouped_bars(
        labels,
        [
            ("planned", "series-planned", [m.one_on_one_planned + m.retro_planned for m in cadence]),
            ("held", "series-held", [m.one_on_one_held + m.retro_held for m in cadence]),
        ],
    )


@dataclass(frozen=True)
class Segments:
    on_time: float
    late: float
    open: float
    late_x: float
    open_x: float


def follow_through(a: FollowThrough) -> Segments:
    """Widths (out of 100) of the on-time, late and open parts of the follow-through bar."""
    total = a.on_time + a.late + a.open or 1
    on_time, late = round(100 * a.on_time / total, 1), round(100 * a.late / total, 1)
    return Segments(on_time, late, round(100 - on_time - late, 1), on_time, round(on_time + late, 1))
