"""The queue's own upkeep: finished tasks are kept a while for `accord tasks`, then removed."""

from __future__ import annotations

from datetime import timedelta

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
