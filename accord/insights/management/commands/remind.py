from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from rich.progress import Progress

from accord.insights.reminders import reminder_work, send_reminders


class Command(BaseCommand):
    help = (
        "Email members about sessions in the next 24 hours, and once a day a digest of their overdue "
        "action items and their partnerships' nudges. Safe to run from cron: each goes out once."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        total = reminder_work()
        with Progress(transient=True, disable=total == 0 or options["verbosity"] == 0) as progress:
            task = progress.add_task("Sending reminders", total=total)
            report = send_reminders(progress=lambda n: progress.advance(task, n))
        self.stdout.write(
            f"Sent {report.meetings_sent} session reminder(s) and {report.digests_sent} digest(s); "
            f"{report.skipped} already sent."
        )
