"""Measure on the hard days of the calendar: months, quarters, "next check due" and the dates on
pages are the partnership's, on a server whose own time zone is neither UTC nor the partnership's."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest

from accord.assessments.selectors import healthcheck_history
from accord.assessments.services import RatingInput, healthcheck_open, healthcheck_respond
from accord.conftest import login, on_hard_days
from accord.insights import reports
from accord.insights.facts import facts_for
from accord.insights.selectors import MONTHS, insights_get
from accord.lib.dates import add_months, day_start, month_start
from accord.rituals.models import Meeting
from accord.rituals.services import meeting_create

pytestmark = [pytest.mark.django_db, on_hard_days]


def held(partnership, user, kind, when):
    meeting = meeting_create(partnership=partnership, user=user, kind=kind, scheduled_for=when)
    Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.HELD, held_at=when)
    return meeting


def answered_check(partnership, alice, bob, at):
    check = healthcheck_open(partnership=partnership, user=alice, at=at)
    ratings = [RatingInput(d.key, 3, 4) for d in check.dimensions.all()]
    for user in (alice, bob):
        healthcheck_respond(check=check, user=user, ratings=ratings, at=at)
    return check


def test_the_rhythm_chart_starts_when_the_partnership_did(partnership, clock):
    months = [m.month for m in insights_get(partnership=partnership).cadence]
    assert months == [month_start(clock.today)]  # created today: no empty months before it


def test_the_rhythm_chart_counts_sessions_in_the_partnerships_months(partnership, alice, clock):
    tz = partnership.timezone
    partnership.created_at = clock.now() - timedelta(days=400)
    partnership.save(update_fields=["created_at"])
    this_month = day_start(month_start(clock.today), tz)
    held(partnership, alice, "one_on_one", this_month)  # the month's first instant
    held(partnership, alice, "retro", this_month - timedelta(seconds=1))  # the last one of the month before
    cadence = insights_get(partnership=partnership).cadence
    assert [m.month for m in cadence] == [add_months(clock.today, k - MONTHS + 1) for k in range(MONTHS)]
    assert (cadence[-1].one_on_one_held, cadence[-1].retro_held) == (1, 0)
    assert (cadence[-2].one_on_one_held, cadence[-2].retro_held) == (0, 1)


def test_the_health_check_is_due_one_cadence_after_the_last_in_local_days(partnership, alice, bob, clock):
    tz, days = partnership.timezone, partnership.health_check_days
    # Opened at the first instant of the day `days` ago: due today, not overdue yet.
    answered_check(partnership, alice, bob, day_start(clock.today - timedelta(days=days), tz))
    history = healthcheck_history(partnership=partnership)
    assert (history.next_due, history.overdue) == (clock.today, False)
    assert not facts_for(partnership).health_overdue


def test_the_health_check_is_overdue_the_day_after_it_was_due(client, partnership, alice, bob, clock):
    tz, days = partnership.timezone, partnership.health_check_days
    # Opened at the last instant of the day `days + 1` ago: due yesterday, overdue today.
    answered_check(partnership, alice, bob, day_start(clock.today - timedelta(days=days), tz) - timedelta(seconds=1))
    yesterday = clock.today - timedelta(days=1)
    assert healthcheck_history(partnership=partnership).overdue
    assert facts_for(partnership).health_due == yesterday and facts_for(partnership).health_overdue
    html = login(client, alice).get(f"/p/{partnership.pk}/assess/").content.decode()
    assert f"It was due on {yesterday.day} {yesterday:%b %Y}" in html


def test_the_quarterly_review_covers_the_partnerships_quarter(client, partnership, alice, clock):
    quarter = reports.current_quarter(partnership)
    assert quarter.start <= clock.today <= quarter.end
    first = day_start(quarter.start, partnership.timezone)
    held(partnership, alice, "retro", first)
    held(partnership, alice, "one_on_one", first - timedelta(seconds=1))  # the quarter before
    review = reports.quarterly_review(partnership=partnership, quarter=quarter)
    assert (review.retros_held, review.one_on_ones_held) == (1, 0)
    previous = reports.quarterly_review(partnership=partnership, quarter=reports.recent_quarters(partnership)[1])
    assert (previous.retros_held, previous.one_on_ones_held) == (0, 1)
    html = login(client, alice).get(f"/p/{partnership.pk}/review/").content.decode()
    assert f"review {quarter.label}</h1>" in html


def test_the_csv_dates_a_check_by_the_partnerships_calendar(client, partnership, alice, bob, clock):
    answered_check(partnership, alice, bob, clock.now())
    rows = list(csv.reader(io.StringIO(login(client, alice).get(f"/p/{partnership.pk}/health.csv").content.decode())))
    assert {row[1] for row in rows[1:]} == {clock.today.isoformat()}
