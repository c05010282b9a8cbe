"""Session reminders and the pieces of the daily digest that belong to Iterate. Each reminder is
claimed in the database before it is sent, so it goes out once, however often and however many
copies of `accord remind` run."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.template.loader import render_to_string

from accord.lib.dates import zone
from accord.lib.mail import Mail, send_quietly
from accord.rituals import selectors, services
from accord.rituals.models import ActionItem

if TYPE_CHECKING:
    from accord.accounts.models import User

WINDOW_HOURS = 24


@dataclass
class ReminderReport:
    meetings_sent: int = 0
    digests_sent: int = 0
    skipped: int = 0


def send_once(user: User, key: str, subject: str, template: str, context: dict[str, object]) -> bool:
    """Send an email unless reminder `key` already went to `user`; True when it was sent now. A mail
    that cannot go out gives its claim back, so the next run tries again."""
    if not services.reminder_claim(user=user, key=key):
        return False
    body = render_to_string(template, {"site_url": settings.SITE_URL, **context})
    if not send_quietly([Mail(subject, body, [user.email])]):
        services.reminder_release(user=user, key=key)
        return False
    return True


def send_meeting_reminders(*, progress: Callable[[int], None] | None = None) -> ReminderReport:
    """Tell every member about each session starting in the next 24 hours, once."""
    report = ReminderReport()
    for meeting in selectors.meeting_list_starting_within(hours=WINDOW_HOURS):
        local = meeting.scheduled_for.astimezone(zone(meeting.partnership.timezone))
        for membership in meeting.partnership.memberships.all():
            key = f"meeting:{meeting.pk}:{meeting.scheduled_for:%Y%m%d%H%M}"
            sent = send_once(
                membership.user,
                key,
                f"{meeting.get_kind_display()} of {meeting.partnership.name}, {local:%a %-d %b at %H:%M}",
                "rituals/email/meeting.txt",
                {"meeting": meeting, "member": membership.user, "local": local},
            )
            report.meetings_sent += sent
            report.skipped += not sent
        if progress:
            progress(1)
    return report


def overdue_by_owner() -> dict[int, list[ActionItem]]:
    by_owner: dict[int, list[ActionItem]] = {}
    for item in selectors.action_item_list_overdue():
        if item.owner_id is not None:
            by_owner.setdefault(item.owner_id, []).append(item)
    return by_owner


def meeting_reminder_count() -> int:
    return selectors.meeting_list_starting_within(hours=WINDOW_HOURS).count()
