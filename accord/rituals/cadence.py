"""When sessions fall: the partnership's cadences, at the usual hour in its time zone."""

from __future__ import annotations

from datetime import datetime, timedelta

from accord.lib.dates import at_local, local_date
from accord.partnerships.models import Rhythm

MEETING_HOUR = 10  # planned sessions start at 10:00 in the partnership's time zone


def cadence_days(partnership: Rhythm, kind: str) -> int:
    return partnership.one_on_one_days if kind == "one_on_one" else partnership.retro_days


def next_slot(partnership: Rhythm, after: datetime, kind: str, not_before: datetime | None = None) -> datetime:
    """The cadence's number of calendar days after `after`'s day in the partnership's time zone, at
    the usual hour there: a weekly 1:1 stays on the same weekday and wall-clock time across a change
    of the clocks. With `not_before`, whole cadences are skipped until the slot lies after it, so a
    session marked held late (or weeks late) keeps the rhythm instead of shifting it."""
    tz, days = partnership.timezone, cadence_days(partnership, kind)
    day = local_date(after, tz) + timedelta(days=days)
    if not_before is not None:
        behind = (local_date(not_before, tz) - day).days
        if behind > 0:
            day += timedelta(days=-(-behind // days) * days)
        if at_local(day, MEETING_HOUR, tz) <= not_before:
            day += timedelta(days=days)
    return at_local(day, MEETING_HOUR, tz)
