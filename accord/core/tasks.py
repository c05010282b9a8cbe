"""The queue's own upkeep: finished tasks are kept a while for `accord tasks`, then removed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Q
from django.tasks import TaskResultStatus
from django.utils.timezone import now

from accord.lib.tasks import background, enqueue

KEEP_SUCCESSFUL = timedelta(days=1)
KEEP_FAILED = timedelta(days=30)
EVERY = timedelta(hours=1)


def queue_is_database() -> bool:
    from django.tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends
    from django_tasks_db.backend import DatabaseBackend

    return isinstance(task_backends[DEFAULT_TASK_BACKEND_ALIAS], DatabaseBackend)


@background
def tasks_prune() -> int:
    """Remove successful tasks older than a day and failed ones older than 30 days; then come back
    in an hour, unless another round is already waiting (each worker starts one)."""
    from django_tasks_db.models import DBTaskResult

    moment = now()
    old = Q(status=TaskResultStatus.SUCCESSFUL, finished_at__lte=moment - KEEP_SUCCESSFUL) | Q(
        status=TaskResultStatus.FAILED, finished_at__lte=moment - KEEP_FAILED
    )
    deleted, _ = DBTaskResult.objects.filter(old).delete()
    tasks_prune_schedule(delay=EVERY)
    return deleted


def tasks_prune_schedule(*, delay: timedelta = timedelta(0)) -> None:
    """Queue the next pruning round, if none is waiting already."""
    from django_tasks_db.models import DBTaskResult

    if not queue_is_database():
        return
    waiting = DBTaskResult.objects.filter(status=TaskResultStatus.READY, task_path=tasks_prune.module_path)
    if not waiting.exists():
        enqueue(tasks_prune.using(run_after=now() + delay) if delay else tasks_prune)


# --- What `accord tasks` shows -----------------------------------------------------------------


@dataclass(frozen=True)
class TaskFailure:
    finished_at: datetime
    name: str
    args: list[object]
    outcome: str  # "gave up" (the last try failed) or "tried again" (a later try is queued)
    error: str


def task_counts() -> dict[str, int]:
    """How many tasks the queue holds in each state, every state named."""
    from django.db.models import Count
    from django_tasks_db.models import DBTaskResult

    found = dict(DBTaskResult.objects.values_list("status").annotate(n=Count("id")).order_by())
    return {status.label.lower(): found.get(status.value, 0) for status in TaskResultStatus}


def task_failures(*, since: datetime) -> list[TaskFailure]:
    """Every try that failed since `since`, newest first."""
    from django_tasks_db.models import DBTaskResult

    recent = DBTaskResult.objects.filter(finished_at__gte=since)
    failures = [
        TaskFailure(
            r.finished_at, _name(r.task_path), r.args_kwargs.get("args", []), "gave up", _last_line(r.traceback)
        )
        for r in recent.filter(status=TaskResultStatus.FAILED)
    ]
    failures += [
        TaskFailure(
            r.finished_at,
            _name(r.task_path),
            r.args_kwargs.get("args", []),
            "tried again",
            str(r.return_value["failed"]),
        )
        for r in recent.filter(status=TaskResultStatus.SUCCESSFUL, return_value__has_key="failed")
    ]
    return sorted(failures, key=lambda f: f.finished_at, reverse=True)


def _name(task_path: str) -> str:
    return task_path.rsplit(".", 1)[-1]


def _last_line(traceback: str) -> str:
    lines = [line for line in traceback.strip().splitlines() if line.strip()]
    return lines[-1] if lines else ""
