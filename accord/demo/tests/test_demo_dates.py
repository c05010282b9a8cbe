"""The demo is alive on any date: loaded on a hard day of the calendar, or run again months later,
its history ends near today, its next sessions lie ahead and its last retro is recent."""

from __future__ import annotations

from datetime import timedelta

import pytest

from accord.conftest import on_some_hard_days
from accord.demo.loader import demo_load
from accord.demo.rituals import SESSION
from accord.insights.facts import facts_for
from accord.insights.selectors import MONTHS, insights_get
from accord.lib.dates import local_date
from accord.rituals.models import Meeting

pytestmark = pytest.mark.django_db


def assert_alive(partnership, clock):
    planned = list(partnership.meetings.filter(status=Meeting.Status.PLANNED))
    assert {m.kind for m in planned} == {"one_on_one", "retro"}
    # Upcoming sessions lie ahead (or are under way this very hour).
    assert all(m.scheduled_for >= clock.now() - SESSION for m in planned), [m.scheduled_for for m in planned]
    held = partnership.meetings.filter(status=Meeting.Status.HELD)
    last_one_on_one = held.filter(kind="one_on_one").latest("scheduled_for").scheduled_for
    last_retro = held.filter(kind="retro").latest("scheduled_for").scheduled_for
    assert clock.now() - timedelta(days=8) < last_one_on_one < clock.now()
    assert clock.now() - timedelta(days=31) < last_retro < clock.now()
    assert not held.filter(scheduled_for__gt=clock.now()).exists(), "nothing was held in the future"
    facts = facts_for(partnership)
    assert not facts.retro_overdue and not facts.health_overdue
    # Months of rhythm on the dashboard, every month before this one with sessions held.
    cadence = insights_get(partnership=partnership).cadence
    assert len(cadence) == MONTHS and all(m.one_on_one_held and m.retro_held for m in cadence[:-1])


@on_some_hard_days
def test_the_demo_loaded_on_any_day_looks_lived_in(clock):
    partnership, created = demo_load()
    assert created
    assert local_date(partnership.created_at, partnership.timezone) < clock.today - timedelta(days=360)
    assert_alive(partnership, clock)


def test_the_demo_run_again_months_later_carries_its_history_on(clock):
    partnership, _ = demo_load()
    held = partnership.meetings.filter(status=Meeting.Status.HELD).count()
    assert demo_load() == (partnership, False)  # the same day: nothing to add
    clock.shift(timedelta(days=75))
    again, created = demo_load()
    assert again == partnership and created
    assert partnership.meetings.filter(status=Meeting.Status.HELD).count() >= held + 10
    assert_alive(partnership, clock)
