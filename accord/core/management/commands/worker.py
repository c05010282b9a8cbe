"""`accord worker`: run background tasks as they are queued (django-tasks-db's worker, with the
queue's upkeep scheduled). `accord serve` starts one itself; run this where the web servers don't."""

from __future__ import annotations

from typing import Any

from django_tasks_db.management.commands.db_worker import Command as DatabaseWorker

from accord.core.tasks import tasks_prune_schedule


class Command(DatabaseWorker):
    help = "Run Accord's background tasks (themes, figures) as they are queued. --batch runs what waits, then exits."

    def handle(self, *args: Any, **options: Any) -> None:
        tasks_prune_schedule()
        super().handle(*args, **options)
