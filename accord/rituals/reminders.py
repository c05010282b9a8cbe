"""`accord remind`: tell members about sessions in the next 24 hours and their overdue action items.
Each reminder is claimed in the database before it is sent, so it goes out once, however often
and however many copies of the command run."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils.timezone import localdate

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


def _send(user: User, key: str, subject: str, template: str, context: dict[str, object]) -> bool:
    if not services.reminder_claim(user=user, key=key):
        return False
    try:
        send_mail(
            subject=subject,
            message=render_to_string(template, {"site_url": settings.SITE_URL, **context}),
            from_email=None,
            recipient_list=[user.email],
        )
    except Exception:
        services.reminder_release(user=user, key=key)
        raise
    return True


def send_reminders(*, progress: Callable[[int], None] | None = None) -> ReminderReport:
    report = ReminderReport()
    meetings = list(selectors.meetings_starting_within(hours=WINDOW_HOURS))
    overdue = list(selectors.overdue_action_items(today=localdate()))
    by_owner: dict[int, list[ActionItem]] = {}
    for item in overdue:
        if item.owner_id is not None:
            by_owner.setdefault(item.owner_id, []).append(item)
    for meeting in meetings:
        local = meeting.scheduled_for.astimezone(ZoneInfo(meeting.partnership.timezone))
        for membership in meeting.partnership.memberships.all():
            key = f"meeting:{meeting.pk}:{meeting.scheduled_for:%Y%m%d%H%M}"
            sent = _send(
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
    for items in by_owner.values():
        owner = items[0].owner
        assert owner is not None
        sent = _send(
            owner,
            f"digest:{localdate():%Y-%m-%d}",
            f"{len(items)} overdue action item{'s' if len(items) != 1 else ''} in Accord",
            "rituals/email/digest.txt",
            {"items": items, "member": owner},
        )
        report.digests_sent += sent
        report.skipped += not sent
        if progress:
            progress(1)
    return report


def reminder_work() -> int:
    """How many steps `send_reminders` will take (for a progress bar)."""
    return selectors.meetings_starting_within(hours=WINDOW_HOURS).count() + len(
        {i.owner_id for i in selectors.overdue_action_items(today=localdate())}
    )
