"""`accord remind`: session reminders for the next 24 hours, and once a day a digest for each member
of their overdue action items and the nudges of their partnerships. Nothing private goes into them."""

from __future__ import annotations

from collections.abc import Callable

from accord.accounts.models import User
from accord.insights.facts import collect
from accord.insights.selectors import Nudge, nudge_list
from accord.lib.dates import local_today
from accord.partnerships.models import Membership, Partnership
from accord.rituals.models import ActionItem
from accord.rituals.reminders import (
    ReminderReport,
    meeting_reminder_count,
    overdue_by_owner,
    send_meeting_reminders,
    send_once,
)

type Digest = tuple[User, list[ActionItem], list[tuple[Partnership, list[Nudge]]], str]


def _digests() -> dict[int, Digest]:
    """Per member: their overdue items, their partnerships' nudges, and the time zone whose day the
    digest belongs to (that of the partnership they joined first)."""
    overdue = overdue_by_owner()
    memberships = list(
        Membership.objects.select_related("user", "partnership")
        .filter(user__is_active=True)
        .order_by("joined_at", "id")
    )
    facts = collect(sorted({m.partnership for m in memberships}, key=lambda p: p.pk))
    per_partnership = {pid: nudge_list(f) for pid, f in facts.items()}
    out: dict[int, Digest] = {}
    for m in memberships:
        items = overdue.get(m.user_id, [])
        found = per_partnership.get(m.partnership_id, [])
        entry = out.setdefault(m.user_id, (m.user, items, [], m.partnership.timezone))
        if found:
            entry[2].append((m.partnership, found))
    return {uid: entry for uid, entry in out.items() if entry[1] or entry[2]}


def reminder_work() -> int:
    """How many steps `send_reminders` takes (for a progress bar)."""
    return meeting_reminder_count() + len(_digests())


def send_reminders(*, progress: Callable[[int], None] | None = None) -> ReminderReport:
    report = send_meeting_reminders(progress=progress)
    for user, items, partnership_nudges, tz in _digests().values():
        count = len(items) + sum(len(n) for _, n in partnership_nudges)
        sent = send_once(
            user,
            f"digest:{local_today(tz):%Y-%m-%d}",
            f"Accord: {count} thing{'s' if count != 1 else ''} that need{'' if count != 1 else 's'} you",
            "insights/email/digest.txt",
            {"items": items, "partnerships": partnership_nudges, "member": user},
        )
        report.digests_sent += sent
        report.skipped += not sent
        if progress:
            progress(1)
    return report
