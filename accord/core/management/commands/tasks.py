"""`accord tasks`: what the background queue holds: how many tasks wait, run, and failed, and each
failure of the last days with its error (a task is tried five times before it is given up)."""

from __future__ import annotations

from datetime import timedelta
from typing import IO, Any, cast

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.timezone import localtime, now
from rich.console import Console
from rich.table import Table

from accord.core.tasks import queue_is_database, task_counts, task_failures


class Command(BaseCommand):
    help = "List the background queue: counts by status, and failed tasks with their errors."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--days", type=int, default=7, help="Failures of how many days back (default 7).")

    def handle(self, *args: Any, **options: Any) -> None:
        if not queue_is_database():
            raise CommandError("The queue is not in the database (TASKS): ask its own broker what it holds.")
        console = Console(file=cast(IO[str], self.stdout), width=120, highlight=False)
        console.print("Tasks: " + ", ".join(f"{n} {state}" for state, n in task_counts().items()))
        days = options["days"]
        failures = task_failures(since=now() - timedelta(days=days))
        if not failures:
            console.print(f"No task failed in the last {days} days.")
            return
        table = Table("When", "Task", "Arguments", "Outcome", "Error", title=f"Failures, last {days} days")
        for f in failures:
            table.add_row(localtime(f.finished_at).strftime("%Y-%m-%d %H:%M"), f.name, str(f.args), f.outcome, f.error)
        console.print(table)
