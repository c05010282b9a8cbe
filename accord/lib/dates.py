"""Dates as a partnership lives them. "Today", "this month", "this quarter" and "overdue" are read
in the partnership's own time zone, never the server's: one definition here, used by pages, the
API, the CLI and background work alike. Every function takes the zone by name (a partnership's
`timezone`), so this module depends on nothing above it."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from django.db.models import Q
from django.utils import timezone


@lru_cache(maxsize=512)
def zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def local_now(tz: str) -> datetime:
    return timezone.now().astimezone(zone(tz))


def local_today(tz: str) -> date:
    return local_now(tz).date()


def local_date(moment: datetime, tz: str) -> date:
    """The calendar day `moment` falls on in zone `tz`."""
    return moment.astimezone(zone(tz)).date()


def localize(wall: datetime, tz: str) -> datetime:
    """A wall-clock time in `tz` (naive, as a form gives it) as an aware datetime. A time the clocks
    skip (spring forward) is moved on by the length of the gap, as a wall clock would show it; a
    time they show twice (fall back) is the first of the two."""
    aware = wall.replace(tzinfo=zone(tz), fold=0)
    # Round-trip through UTC: a non-existent wall time comes back normalised to a real one.
    return aware.astimezone(UTC).astimezone(zone(tz))


def at_local(day: date, hour: int, tz: str, minute: int = 0) -> datetime:
    """`day` at `hour:minute` wall-clock time in `tz`, as an aware datetime (see `localize`)."""
    return localize(datetime.combine(day, time(hour, minute)), tz)


def day_start(day: date, tz: str) -> datetime:
    """The first instant of `day` in `tz` (not always 00:00: a few zones change their clocks then)."""
    return at_local(day, 0, tz)


def day_range(first: date, last: date, tz: str) -> tuple[datetime, datetime]:
    """The instants from the start of `first` up to (not including) the start of the day after `last`."""
    return day_start(first, tz), day_start(last + timedelta(days=1), tz)


def month_start(day: date) -> date:
    return day.replace(day=1)


def add_months(day: date, months: int) -> date:
    """The first of the month `months` after (or before) `day`'s month."""
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def quarter_start(day: date) -> date:
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def months_up_to(today: date, count: int, since: date | None = None) -> list[date]:
    """The first days of the last `count` months up to `today`'s, oldest first; none before `since`'s
    month (a partnership's chart does not start before the partnership did)."""
    months = [add_months(today, -k) for k in range(count - 1, -1, -1)]
    if since is not None:
        months = [m for m in months if m >= month_start(since)] or [month_start(today)]
    return months


def before_local_today(field: str, zone_field: str, zones: Iterable[str]) -> Q:
    """Rows whose date `field` lies before today in their own partnership's zone (`zone_field`, a
    lookup path to the partnership's `timezone`): one condition per zone, in one query."""
    condition = Q(pk__in=[])
    for name in sorted(set(zones)):
        condition |= Q(**{zone_field: name, f"{field}__lt": local_today(name)})
    return condition
