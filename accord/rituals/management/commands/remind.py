from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from rich.progress import Progress

from accord.rituals.reminders import reminder_work, send_reminders


class Command(BaseCommand):
    help = "Email members about sessions in the next 24 hours and their overdue action items. Safe to run from cron."

    def handle(self, *args: Any, **options: Any) -> None:
        total = reminder_work()
        with Progress(transient=True, disable=total == 0 or options["verbosity"] == 0) as progress:
            task = progress.add_task("Sending reminders", total=total)
            report = send_reminders(progress=lambda n: progress.advance(task, n))
        self.stdout.write(
            f"Sent {report.meetings_sent} session reminder(s) and {report.digests_sent} digest(s); "
            f"{report.skipped} already sent."
        )
