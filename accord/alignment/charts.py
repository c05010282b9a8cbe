from __future__ import annotations

from accord.alignment.selectors import KeyResultView
from accord.lib.charts import LineChart, line_chart


def key_result_chart(view: KeyResultView) -> LineChart | None:
    """Readings from baseline towards target (the target as a dashed line)."""
    if not view.readings:
        return None
    kr = view.key_result
    values = [kr.baseline, *(r.value for r in view.readings)]
    labels = ["baseline", *(r.taken_on.strftime("%-d %b") for r in view.readings)]
    low, high = min([*values, kr.target]), max([*values, kr.target])
    pad = (high - low) * 0.1 or 1
    return line_chart(
        labels,
        [("Reading", "series-0", list(values)), ("Target", "series-target", [kr.target] * len(values))],
        low=low - pad,
        high=high + pad,
        width=420,
        height=150,
    )
