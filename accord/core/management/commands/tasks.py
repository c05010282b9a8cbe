"""`accord tasks`: what the background queue holds: how many tasks wait, run, and failed, and each
failure of the last days with its error (a task is tried five times before it is given up)."""

from __future__ import annotations

from datetime import timedelta
from typing import IO, Any, cast

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Count
from django.tasks import TaskResultStatus
from django.utils.timezone import localtime, now
from rich.console import Console
from rich.table import Table

from accord.core.tasks import queue_is_database


class Command(BaseCommand):
    help = "List the background queue: counts by status, and failed tasks with their errors."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--days", type=int, default=7, help="Failures of how many days back (default 7).")

    def handle(self, *args: Any, **options: Any) -> None:
        if not queue_is_database():
            raise CommandError("The queue is not in the database (TASKS): ask its own broker what it holds.")
        from django_tasks_db.models import DBTaskResult

        console = Console(file=cast(IO[str], self.stdout), width=120, highlight=False)
        counts = dict(DBTaskResult.objects.values_list("status").annotate(n=Count("id")).order_by())
        console.print("Tasks: " + ", ".join(f"{counts.get(s.value, 0)} {s.label.lower()}" for s in TaskResultStatus))
        since = now() - timedelta(days=options["days"])
        failed = DBTaskResult.objects.filter(status=TaskResultStatus.FAILED, finished_at__gte=since).order_by(
            "-finished_at"
        )
        retrying = DBTaskResult.objects.filter(
            status=TaskResultStatus.SUCCESSFUL, finished_at__gte=since, return_value__has_key="failed"
        ).order_by("-finished_at")
        rows = [(r, "gave up", _last_line(r.traceback)) for r in failed]
        rows += [(r, "tried again", str(r.return_value["failed"])) for r in retrying]
        if not rows:
            console.print(f"No task failed in the last {options['days']} days.")
            return
        table = Table("When", "Task", "Arguments", "Outcome", "Error", title=f"Failures, last {options['days']} days")
        for result, outcome, error in sorted(rows, key=lambda row: row[0].finished_at, reverse=True):
            table.add_row(
                localtime(result.finished_at).strftime("%Y-%m-%d %H:%M"),
                result.task_path.rsplit(".", 1)[-1],
                str(result.args_kwargs.get("args", [])),
                outcome,
                error,
            )
        console.print(table)


def _last_line(traceback: str) -> str:
    lines = [line for line in traceback.strip().splitlines() if line.strip()]
    return lines[-1] if lines else ""
