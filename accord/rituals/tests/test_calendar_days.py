"""Iterate on the hard days of the calendar: cadences, "overdue", experiments due for review,
reminders, the calendar feed and the times on pages all follow the partnership's own clock, on a
server whose time zone is neither UTC nor the partnership's."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from icalendar import Calendar

from accord.conftest import login, on_hard_days
from accord.insights.facts import facts_for
from accord.insights.reminders import send_reminders
from accord.lib.dates import at_local, day_start, local_date, zone
from accord.rituals import selectors, services
from accord.rituals.cadence import MEETING_HOUR
from accord.rituals.models import Meeting

pytestmark = [pytest.mark.django_db, on_hard_days]


def local(moment, partnership):
    return moment.astimezone(zone(partnership.timezone))


def test_a_weekly_one_on_one_keeps_its_weekday_and_hour(partnership, alice, clock):
    held = services.meeting_create(
        partnership=partnership, user=alice, kind="one_on_one", scheduled_for=clock.now() - timedelta(hours=1)
    )
    services.meeting_complete(meeting=held, user=alice)
    planned = partnership.meetings.get(status=Meeting.Status.PLANNED, kind="one_on_one")
    when = local(planned.scheduled_for, partnership)
    # A week after the day it was planned for (even when marked held after midnight), at the usual hour.
    assert when.date() == local_date(held.scheduled_for, partnership.timezone) + timedelta(days=7)
    assert (when.hour, when.minute) == (MEETING_HOUR, 0)


def test_a_session_marked_held_weeks_late_keeps_the_rhythm(partnership, alice, clock):
    held = services.meeting_create(
        partnership=partnership, user=alice, kind="one_on_one", scheduled_for=clock.now() - timedelta(days=23)
    )
    services.meeting_complete(meeting=held, user=alice)
    when = local(partnership.meetings.get(status=Meeting.Status.PLANNED).scheduled_for, partnership)
    assert when > clock.now() and when - clock.now() <= timedelta(days=7)
    assert when.weekday() == local(held.scheduled_for, partnership).weekday()
    assert when.hour == MEETING_HOUR


def test_the_next_retro_is_due_one_cadence_after_the_last_one_held(partnership, alice, clock):
    held = services.meeting_create(
        partnership=partnership, user=alice, kind="retro", scheduled_for=clock.now() - timedelta(days=40)
    )
    Meeting.objects.filter(pk=held.pk).update(status=Meeting.Status.HELD, held_at=held.scheduled_for)
    retro = next(u for u in selectors.meeting_list_upcoming(partnership=partnership) if u.kind == "retro")
    due = local(retro.due, partnership)
    assert due.date() == local_date(held.scheduled_for, partnership.timezone) + timedelta(days=30)
    assert due.hour == MEETING_HOUR
    assert retro.overdue and facts_for(partnership).retro_overdue


def test_an_action_item_is_overdue_from_the_day_after_it_was_due(client, partnership, alice, bob, clock):
    today = clock.today
    for text, due in (("due yesterday", today - timedelta(days=1)), ("due today", today)):
        services.action_item_create(partnership=partnership, user=alice, text=text, owner_id=bob.pk, due_on=due)
    assert facts_for(partnership).overdue_items == 1
    assert [i.text for i in selectors.action_item_list_overdue()] == ["due yesterday"]
    html = login(client, alice).get(f"/p/{partnership.pk}/iterate/actions/").content.decode()
    assert html.count(">Overdue<") == 1


def test_an_experiment_is_due_for_review_the_day_after_its_review_date(partnership, alice, clock):
    services.experiment_create(
        hypothesis="Trying it helps us",
        success_signal="We both notice it",
        partnership=partnership,
        user=alice,
        title="today",
        review_on=clock.today,
    )
    assert facts_for(partnership).experiments_past_review == 0
    services.experiment_create(
        hypothesis="Trying it helps us",
        success_signal="We both notice it",
        partnership=partnership,
        user=alice,
        title="yesterday",
        review_on=clock.today - timedelta(days=1),
    )
    assert facts_for(partnership).experiments_past_review == 1


def test_an_experiment_is_reviewed_at_the_retro_on_its_review_day(partnership, alice, clock):
    retro = services.meeting_create(
        partnership=partnership,
        user=alice,
        kind="retro",
        scheduled_for=at_local(clock.today + timedelta(days=3), 23, partnership.timezone, 30),
    )
    services.experiment_create(
        hypothesis="Trying it helps us",
        success_signal="We both notice it",
        partnership=partnership,
        user=alice,
        title="on the day",
        review_on=clock.today + timedelta(days=3),
    )
    services.experiment_create(
        hypothesis="Trying it helps us",
        success_signal="We both notice it",
        partnership=partnership,
        user=alice,
        title="the day after",
        review_on=clock.today + timedelta(days=4),
    )
    view = selectors.meeting_view(meeting=retro, user=alice)
    assert [e.title for e in view.experiments_due] == ["on the day"]


def test_a_new_experiment_is_reviewed_one_retro_cadence_from_today(partnership, alice, clock):
    experiment = services.experiment_create(
        hypothesis="Trying it helps us",
        success_signal="We both notice it",
        partnership=partnership,
        user=alice,
        title="Pre-reads",
    )
    assert experiment.review_on == clock.today + timedelta(days=partnership.retro_days)


def test_a_session_planned_on_the_page_is_at_the_partnerships_wall_clock_time(client, partnership, alice, clock):
    day = clock.today + timedelta(days=2)
    login(client, alice).post(
        f"/p/{partnership.pk}/iterate/plan/", {"kind": "one_on_one", "scheduled_for": f"{day:%Y-%m-%d}T09:15"}
    )
    meeting = partnership.meetings.get()
    assert meeting.scheduled_for == at_local(day, 9, partnership.timezone, 15)
    html = client.get(f"/p/{partnership.pk}/iterate/meetings/{meeting.pk}/").content.decode()
    assert f"{day:%A} {day.day} {day:%B}, 09:15" in html


def test_the_reminder_names_the_local_day_and_hour(partnership, alice, clock):
    when = clock.now() + timedelta(hours=20)
    services.meeting_create(partnership=partnership, user=alice, kind="one_on_one", scheduled_for=when)
    send_reminders()
    wall = local(when, partnership)
    subjects = {m.subject for m in mail.outbox}
    assert subjects == {f"1:1 of Checkout leads, {wall:%a} {wall.day} {wall:%b at %H:%M}"}


def test_one_digest_a_day_by_the_partnerships_calendar(partnership, alice, bob, clock):
    services.action_item_create(
        partnership=partnership, user=alice, text="late", owner_id=bob.pk, due_on=clock.today - timedelta(days=2)
    )
    assert send_reminders().digests_sent == 2
    # Later the same local day: nothing new. The first instant of the next local day: a new digest.
    clock.move_to(day_start(clock.today + timedelta(days=1), partnership.timezone) - timedelta(minutes=1))
    assert send_reminders().digests_sent == 0
    clock.shift(timedelta(minutes=2))
    assert send_reminders().digests_sent == 2


def test_the_calendar_feed_carries_the_exact_instants(client, partnership, alice, clock):
    held = services.meeting_create(
        partnership=partnership, user=alice, kind="one_on_one", scheduled_for=clock.now() - timedelta(hours=2)
    )
    services.meeting_complete(meeting=held, user=alice)
    planned = partnership.meetings.get(status=Meeting.Status.PLANNED)
    calendar = Calendar.from_ical(client.get(f"/api/v1/calendar/{alice.calendar_secret}.ics").content)
    (event,) = calendar.walk("VEVENT")
    assert event.decoded("dtstart") == planned.scheduled_for
    assert local(event.decoded("dtstart"), partnership).hour == MEETING_HOUR
