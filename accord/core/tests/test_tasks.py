"""Background tasks (accord.lib.tasks): queued after the commit, retried with backoff, failures
listed by `accord tasks`, and never at the cost of the write that queued them."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.tasks import TaskResultStatus
from django.test import TestCase

from accord.lib.freshness import partnership_write
from accord.lib.tasks import DELAYS, TRIES, background, enqueue, enqueue_once, tasks_held
from accord.partnerships.models import Partnership

pytestmark = pytest.mark.django_db

RAN: list[tuple[str, int]] = []
FAILURES = {"left": 0}


@background
def note(label: str, pid: int) -> str:
    """Records that it ran, and what it read of the partnership then."""
    RAN.append((label, Partnership.objects.get(pk=pid).version))
    return label


@background
def flaky(label: str) -> str:
    if FAILURES["left"] > 0:
        FAILURES["left"] -= 1
        raise RuntimeError(f"receiver down ({label})")
    RAN.append((label, 0))
    return label


@pytest.fixture(autouse=True)
def _clean():
    RAN.clear()
    FAILURES["left"] = 0


def flaky_results():
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(task_path=flaky.module_path)


def notes():
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(task_path=note.module_path)


def work() -> None:
    """A worker takes what is due, then stops. Each task runs in its own transaction, whose commit
    (which the test's wrapping transaction never makes) runs what it queued."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        call_command("worker", "--batch", "--no-startup-delay", "--verbosity", "0")


def test_a_task_runs_after_the_commit_and_sees_what_was_written(partnership):
    partnership.refresh_from_db()
    with partnership_write(partnership):
        enqueue(note, "written", partnership.pk)
        Partnership.objects.filter(pk=partnership.pk).update(name="Renamed")
        assert RAN == []
    expected = [("written", partnership.version + 1)]
    assert expected == RAN


def test_a_rolled_back_write_queues_nothing(partnership):
    def write_that_fails() -> None:
        with partnership_write(partnership):
            enqueue(note, "never", partnership.pk)
            raise RuntimeError("the write failed")

    with pytest.raises(RuntimeError):
        write_that_fails()
    assert RAN == []


def test_a_failing_task_is_tried_again_and_the_write_stays(partnership, database_queue, clock):
    FAILURES["left"] = 2
    with partnership_write(partnership):
        Partnership.objects.filter(pk=partnership.pk).update(name="Kept")
        enqueue(flaky, "webhook")
    work()
    assert RAN == [] and Partnership.objects.get().name == "Kept"
    waiting = flaky_results().get(status=TaskResultStatus.READY)
    assert waiting.run_after == clock.now() + timedelta(seconds=DELAYS[0])
    work()
    assert RAN == [], "not before its time"
    clock.shift(timedelta(seconds=DELAYS[0]))
    work()
    clock.shift(timedelta(seconds=DELAYS[1]))
    work()
    assert RAN == [("webhook", 0)]
    statuses = list(flaky_results().order_by("enqueued_at").values_list("status", flat=True))
    assert statuses == [TaskResultStatus.SUCCESSFUL] * 3


def test_a_task_that_keeps_failing_is_given_up_and_listed(partnership, database_queue, clock):
    FAILURES["left"] = 99
    enqueue(flaky, "webhook")
    for delay in (0, *DELAYS):
        clock.shift(timedelta(seconds=delay))
        work()
    assert flaky_results().count() == TRIES
    assert flaky_results().filter(status=TaskResultStatus.FAILED).count() == 1
    assert sum(DELAYS) <= 3600 + 10 * 60, "five tries over about an hour"
    out = StringIO()
    call_command("tasks", stdout=out)
    listing = out.getvalue()
    assert "1 failed" in listing and "gave up" in listing and "tried again" in listing
    assert "receiver down (webhook)" in listing and "flaky" in listing


def test_tasks_says_so_when_nothing_failed(database_queue):
    out = StringIO()
    call_command("tasks", stdout=out)
    assert "No task failed in the last 7 days." in out.getvalue()


def test_a_burst_of_writes_queues_one_task(partnership, database_queue):
    for _ in range(5):
        with partnership_write(partnership):
            enqueue_once(note, "refresh", partnership.pk)
    assert notes().count() == 1
    work()
    with partnership_write(partnership):
        enqueue_once(note, "refresh", partnership.pk)
    assert notes().filter(status=TaskResultStatus.READY).count() == 1, "after a run, a write queues again"
    work()
    assert [label for label, _ in RAN] == ["refresh", "refresh"]


def test_a_bulk_write_queues_each_distinct_task_once_as_it_ends(partnership, other_partnership):
    for p in (partnership, other_partnership):
        p.refresh_from_db()
    with tasks_held():
        for _ in range(3):
            with partnership_write(partnership):
                enqueue_once(note, "refresh", partnership.pk)
            with tasks_held(), partnership_write(other_partnership):  # nested: held for the outer block
                enqueue(note, "refresh", other_partnership.pk)
        assert RAN == []
    assert sorted(RAN) == sorted([("refresh", partnership.version + 3), ("refresh", other_partnership.version + 3)])


def test_a_bulk_write_that_fails_still_queues_what_its_writes_asked_for(partnership):
    partnership.refresh_from_db()

    def a_refused_import() -> None:
        with tasks_held():
            with partnership_write(partnership):
                enqueue(note, "refresh", partnership.pk)
            raise RuntimeError("the rest of the import is refused")

    with pytest.raises(RuntimeError):
        a_refused_import()
    assert [("refresh", partnership.version + 1)] == RAN


def test_inside_a_callers_transaction_the_task_waits_for_the_outermost_commit(
    partnership, django_capture_on_commit_callbacks
):
    partnership.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        with partnership_write(partnership):
            enqueue(note, "inner", partnership.pk)
        assert RAN == []
    expected = [("inner", partnership.version + 1)]
    assert expected == RAN, "after the versions rose"


def test_the_worker_keeps_the_queue_small(database_queue, clock):
    from django_tasks_db.models import DBTaskResult

    enqueue(flaky, "old")
    work()
    clock.shift(timedelta(days=2))
    work()  # the worker's upkeep round is due at once, and removes what succeeded over a day ago
    assert not flaky_results().exists()
    prunes = DBTaskResult.objects.exclude(task_path=flaky.module_path)
    assert prunes.filter(status=TaskResultStatus.READY).count() == 1, "the next round waits an hour"
