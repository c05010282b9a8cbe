"""The health-check charts: a radar of each partner's view, and a trend line per dimension."""

from __future__ import annotations

from dataclasses import dataclass

from accord.assessments.selectors import CheckView, History, Trend
from accord.lib.charts import LineChart, Radar, line_chart, radar


def results_radar(view: CheckView) -> Radar:
    """Each member's "today" overlaid, plus the shared target (their mean) as a dashed outline."""
    results = view.results or []
    names = {m.user_id: m.user.get_short_name() for m in view.members}
    members = [uid for uid in names if any(r.user_id == uid for res in results for r in res.ratings)]
    series: list[tuple[str, str, list[float | None]]] = []
    for i, uid in enumerate(members):
        values: list[float | None] = []
        for res in results:
            rating = next((r for r in res.ratings if r.user_id == uid), None)
            values.append(rating.today if rating else None)
        series.append((f"{names[uid]}: today", f"series-{i}", values))
    series.append(("Target (mean)", "series-target", [r.target_mean for r in results]))
    return radar([r.title for r in results], series)


@dataclass(frozen=True)
class TrendChart:
    trend: Trend
    chart: LineChart


def trend_charts(history: History) -> list[TrendChart]:
    charts = []
    for trend in history.trends:
        labels = [f"#{p.number} ({p.on:%b %Y})" for p in trend.points]
        if len(labels) < 2:
            continue
        chart = line_chart(
            labels,
            axis=[f"{p.on:%b %Y}" for p in trend.points],
            series=[
                ("Today (mean)", "series-0", [p.today_mean for p in trend.points]),
                ("Target (mean)", "series-target", [p.target_mean for p in trend.points]),
            ],
        )
        charts.append(TrendChart(trend, chart))
    return charts
