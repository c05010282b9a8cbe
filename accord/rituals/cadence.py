"""When sessions fall: the partnership's cadences, at the usual hour in its time zone."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from accord.partnerships.models import Partnership

MEETING_HOUR = 10  # planned sessions start at 10:00 in the partnership's time zone


def cadence_days(partnership: Partnership, kind: str) -> int:
    return partnership.one_on_one_days if kind == "one_on_one" else partnership.retro_days


def next_slot(partnership: Partnership, after: datetime, kind: str) -> datetime:
    """`after` plus the cadence, at the usual hour in the partnership's time zone."""
    tz = ZoneInfo(partnership.timezone)
    day = (after.astimezone(tz) + timedelta(days=cadence_days(partnership, kind))).date()
    return datetime.combine(day, time(MEETING_HOUR), tzinfo=tz)
