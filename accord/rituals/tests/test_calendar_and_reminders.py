from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.utils.timezone import now
from icalendar import Calendar

from accord.conftest import login
from accord.insights.reminders import send_reminders
from accord.rituals.models import ActionItem, ReminderSent
from accord.rituals.services import meeting_create, meeting_update, reminder_claim

pytestmark = pytest.mark.django_db


class TestCalendar:
    def test_the_feed_lists_planned_sessions_across_partnerships(
        self, client, alice, carol, partnership, other_partnership
    ):
        from accord.conftest import join

        join(other_partnership, carol, alice, "EM")
        one = meeting_create(
            partnership=partnership, user=alice, kind="one_on_one", scheduled_for=now() + timedelta(days=1)
        )
        retro = meeting_create(
            partnership=other_partnership, user=carol, kind="retro", scheduled_for=now() + timedelta(days=3)
        )
        cancelled = meeting_create(
            partnership=partnership, user=alice, kind="retro", scheduled_for=now() + timedelta(days=5)
        )
        meeting_update(meeting=cancelled, cancel=True)
        response = client.get(f"/api/v1/calendar/{alice.calendar_secret}.ics")
        assert response["Content-Type"] == "text/calendar; charset=utf-8"
        calendar = Calendar.from_ical(response.content)
        events = {str(e["uid"]): e for e in calendar.walk("VEVENT")}
        assert set(events) == {f"meeting-{one.pk}@accord", f"meeting-{retro.pk}@accord"}
        event = events[f"meeting-{one.pk}@accord"]
        assert event.decoded("dtstart") == one.scheduled_for.replace(microsecond=0)
        assert str(event["summary"]) == "1:1: Checkout leads"
        assert "Search leads" in str(events[f"meeting-{retro.pk}@accord"]["summary"])

    def test_the_partner_only_sees_their_own_partnerships(self, client, bob, carol, other_partnership):
        meeting_create(partnership=other_partnership, user=carol, kind="retro", scheduled_for=now() + timedelta(days=1))
        calendar = Calendar.from_ical(client.get(f"/api/v1/calendar/{bob.calendar_secret}.ics").content)
        assert list(calendar.walk("VEVENT")) == []

    def test_regenerating_revokes_the_old_url(self, client, alice):
        old = alice.calendar_secret
        login(client, alice).post("/account/calendar/regenerate/")
        assert client.get(f"/api/v1/calendar/{old}.ics").status_code == 404


class TestReminders:
    def test_members_hear_about_tomorrows_session_once(self, partnership, alice):
        meeting_create(
            partnership=partnership, user=alice, kind="one_on_one", scheduled_for=now() + timedelta(hours=20)
        )
        meeting_create(partnership=partnership, user=alice, kind="retro", scheduled_for=now() + timedelta(days=3))
        report = send_reminders()
        assert report.meetings_sent == 2
        assert sorted(m.to[0] for m in mail.outbox) == ["alice@example.org", "bob@example.org"]
        assert "1:1 of Checkout leads" in mail.outbox[0].subject
        again = send_reminders()
        assert (again.meetings_sent, again.skipped) == (0, 2)
        assert len(mail.outbox) == 2

    def test_a_reminder_the_mail_server_refused_goes_out_on_the_next_run(self, partnership, alice, settings):
        meeting_create(
            partnership=partnership, user=alice, kind="one_on_one", scheduled_for=now() + timedelta(hours=20)
        )
        settings.MAILERS = {"default": {"BACKEND": "accord.core.tests.test_names_and_mail.FailingBackend"}}
        down = send_reminders()
        assert down.meetings_sent == 0 and not ReminderSent.objects.exists()  # claims given back
        settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
        assert send_reminders().meetings_sent == 2

    def test_a_rescheduled_session_is_reminded_again(self, partnership, alice):
        meeting = meeting_create(
            partnership=partnership, user=alice, kind="one_on_one", scheduled_for=now() + timedelta(hours=5)
        )
        send_reminders()
        meeting_update(meeting=meeting, scheduled_for=now() + timedelta(hours=8))
        assert send_reminders().meetings_sent == 2

    def test_owners_get_one_digest_of_overdue_items_a_day(self, partnership, alice, bob):
        for days in (3, 10):
            ActionItem.objects.create(
                partnership=partnership, text=f"late {days}", owner=bob, due_on=now().date() - timedelta(days=days)
            )
        ActionItem.objects.create(
            partnership=partnership, text="not yet", owner=alice, due_on=now().date() + timedelta(days=3)
        )
        ActionItem.objects.create(
            partnership=partnership, text="done", owner=alice, due_on=now().date() - timedelta(days=3), done_at=now()
        )
        report = send_reminders()
        assert report.digests_sent == 2  # Bob for his items; Alice for the partnership's nudge
        by_person = {m.to[0]: m.body for m in mail.outbox}
        assert "late 3" in by_person["bob@example.org"] and "late 10" in by_person["bob@example.org"]
        assert "late 3" not in by_person["alice@example.org"]
        assert "2 action items are past due" in by_person["alice@example.org"]
        assert send_reminders().digests_sent == 0

    def test_the_command_prints_what_it_did(self, partnership, alice, capsys):
        meeting_create(partnership=partnership, user=alice, kind="retro", scheduled_for=now() + timedelta(hours=2))
        call_command("remind")
        call_command("remind")
        out = capsys.readouterr().out
        assert "Sent 2 session reminder(s)" in out
        assert "Sent 0 session reminder(s) and 0 digest(s); 2 already sent." in out


@pytest.mark.django_db(transaction=True)
def test_concurrent_claims_send_a_reminder_once(alice):
    """Two runs at once race for the same reminder: exactly one wins."""
    results: list[bool] = []
    barrier = threading.Barrier(4)

    def claim() -> None:
        barrier.wait()
        try:
            results.append(reminder_claim(user=alice, key="meeting:1:202612011000"))
        finally:
            connection.close()

    threads = [threading.Thread(target=claim) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == [False, False, False, True]
    assert ReminderSent.objects.count() == 1
