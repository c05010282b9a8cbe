from __future__ import annotations

from accord.charters.selectors import MeasureView
from accord.lib.charts import LineChart, line_chart


def measure_chart(view: MeasureView) -> LineChart | None:
    """Readings over time against the target (a flat dashed line). None until there are two readings."""
    if len(view.readings) < 2:
        return None
    values = [r.value for r in view.readings]
    low = min([*values, view.measure.target])
    high = max([*values, view.measure.target])
    pad = (high - low) * 0.1 or 1
    labels = [r.taken_on.strftime("%-d %b %Y") for r in view.readings]
    return line_chart(
        labels,
        [
            ("Reading", "series-0", list(values)),
            ("Target", "series-target", [view.measure.target] * len(values)),
        ],
        low=low - pad,
        high=high + pad,
        width=480,
        height=180,
    )
