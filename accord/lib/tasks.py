"""Background work, through Django's own Tasks framework (`django.tasks`).

The queue is the database by default (`django-tasks-db`), so nothing else runs on a laptop: `accord
serve` starts a worker beside the web server, `accord worker` runs one on its own. Another backend
(a broker) is a setting away, `TASKS` in accord/settings.py; nothing here depends on which.

Every task is made with `@background`:

- it is **queued after the commit** of the write that asks for it (`enqueue`), so a worker never
  reads data that is not there yet, and a task that fails never undoes the write;
- each try runs in its own transaction, and a try that raises is **tried again** later, with a
  growing delay (`DELAYS`, five tries over about an hour); the last failure stays on record, where
  `accord tasks` lists it;
- tasks are **idempotent**: they recompute from the data, so running one twice, or late, is harmless.
  `enqueue_once` skips queueing a task that is already waiting with the same arguments.

A bulk write (the demo, a seeded history) runs inside `tasks_held()`: the tasks its writes ask for
are held until it ends, then each distinct call is queued once, rather than once per row.
"""

from __future__ import annotations

import functools
import hashlib
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from contextvars import ContextVar
from datetime import timedelta
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.tasks import Task, task
from django.utils.timezone import now

from accord.lib.freshness import after_commit

logger = logging.getLogger("accord.tasks")

# Seconds before the 2nd, 3rd, 4th and 5th try: about an hour from the first to the last.
DELAYS = (60, 5 * 60, 15 * 60, 40 * 60)
TRIES = len(DELAYS) + 1
TRY = "accord_try"  # the keyword a retried task carries its try number in
PENDING_TIMEOUT = 6 * 3600  # a waiting flag outlives no task by more than this

type AnyTask = Task[Any, Any]
type Call = tuple[AnyTask, tuple[Any, ...], dict[str, Any]]

# The calls held by the innermost `tasks_held()` block, by their pending key; None outside one.
_held: ContextVar[dict[str, Call] | None] = ContextVar("accord_tasks_held", default=None)


class TaskGaveUp(Exception):
    """Raised by a task's last try, so the failure stays on record."""


def background(
    func: Callable[..., Any] | None = None, *, tries: int = TRIES, queue: str = "default", atomic: bool = True
) -> Any:
    """Make `func` a task that is retried as the module says. Call it with `enqueue(task, ...)`.
    Each try is one transaction, unless `atomic=False`: then the task commits its own steps."""

    def wrap(f: Callable[..., Any]) -> AnyTask:
        @functools.wraps(f)
        def run(*args: Any, **kwargs: Any) -> Any:
            attempt = int(kwargs.pop(TRY, 1))
            _pending_clear(the_task, args, kwargs)
            try:
                with transaction.atomic() if atomic else nullcontext():
                    return f(*args, **kwargs)
            except Exception as error:
                if attempt >= tries:
                    raise TaskGaveUp(f"{the_task.name} failed {attempt} times; the last time: {error!r}") from error
                delay = DELAYS[min(attempt, len(DELAYS)) - 1]
                logger.warning("%s failed (try %d of %d), again in %d s: %r", f.__name__, attempt, tries, delay, error)
                _enqueue_now(the_task, args, {**kwargs, TRY: attempt + 1}, delay=delay)
                return {"failed": repr(error), "try": attempt, "next_try_in_seconds": delay}

        the_task: AnyTask = task(run, queue_name=queue)
        return the_task

    return wrap(func) if func is not None else wrap


def _enqueue_now(the_task: AnyTask, args: tuple[Any, ...], kwargs: dict[str, Any], *, delay: int = 0) -> None:
    if delay and the_task.get_backend().supports_defer:
        the_task = the_task.using(run_after=now() + timedelta(seconds=delay))
    the_task.enqueue(*args, **kwargs)


def enqueue(the_task: AnyTask, *args: Any, **kwargs: Any) -> None:
    """Queue `the_task` once the current transaction commits (at once outside one)."""
    if not _hold(the_task, args, kwargs):
        after_commit(lambda: _enqueue_now(the_task, args, kwargs))


def _hold(the_task: AnyTask, args: tuple[Any, ...], kwargs: dict[str, Any]) -> bool:
    held = _held.get()
    if held is None:
        return False
    held.setdefault(_pending_key(the_task, args, kwargs), (the_task, args, kwargs))
    return True


@contextmanager
def tasks_held() -> Iterator[None]:
    """Hold the tasks queued inside the block; as it ends (even by an error: whatever was written
    must still be refreshed), queue each distinct call once. Nested blocks hold for the outermost."""
    if _held.get() is not None:
        yield
        return
    calls: dict[str, Call] = {}
    token = _held.set(calls)
    try:
        yield
    finally:
        _held.reset(token)
        for the_task, args, kwargs in calls.values():
            enqueue_once(the_task, *args, **kwargs)


def _pending_key(the_task: AnyTask, args: tuple[Any, ...], kwargs: dict[str, Any]) -> str:
    call = repr((the_task.module_path, args, sorted(kwargs.items())))
    return "task-pending:" + hashlib.sha256(call.encode()).hexdigest()


def _pending_clear(the_task: AnyTask, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    """A try starting: a write from now on must queue again, since this try may read before it."""
    cache.delete(_pending_key(the_task, args, kwargs))


def enqueue_once(the_task: AnyTask, *args: Any, **kwargs: Any) -> None:
    """`enqueue`, unless the same call is already waiting to run: a burst of writes queues one task.
    The flag is cleared as a try starts, so a write after that queues another."""
    if _hold(the_task, args, kwargs):
        return

    def queue() -> None:
        key = _pending_key(the_task, args, kwargs)
        if cache.add(key, 1, PENDING_TIMEOUT):
            try:
                _enqueue_now(the_task, args, kwargs)
            except BaseException:
                cache.delete(key)
                raise

    after_commit(queue)
