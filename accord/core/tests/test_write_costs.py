"""What a write costs in SQL statements, every one the service call issues, with the production
queue (a task queued is its INSERT): a card, a talking point or a journal entry is its INSERT and at
most two more (the partnership's version raised, the refresh of its figures queued)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.timezone import now
from django_tasks_db.models import DBTaskResult

from accord.accounts.models import User
from accord.orgs.services import org_access_set, org_create
from accord.partnerships.models import Partnership
from accord.rituals.models import Meeting
from accord.rituals.services import agenda_item_add, card_add, meeting_create
from accord.tensions.services import journal_write

pytestmark = pytest.mark.django_db


def statements(write: Any) -> list[str]:
    """Every statement `write()` issues, less the test's savepoints (which stand for the BEGIN and
    COMMIT a request's transaction issues unlogged), when no task it queues is waiting already (as
    once a worker has taken the last one): the dearest case."""
    caches["default"].clear()  # the flags of tasks waiting (accord.lib.tasks.enqueue_once)
    with CaptureQueriesContext(connection) as captured:
        write()
    return [q["sql"] for q in captured.captured_queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE"))]


@pytest.fixture
def shared(partnership: Partnership, alice: User, bob: User, coach: User) -> Partnership:
    """Shared with an organisation: a write must not cost more for it."""
    org = org_create(user=coach, name="Org")
    for user in (alice, bob):
        org_access_set(partnership=partnership, user=user, org_id=org.pk, grant=True)
    return Partnership.objects.get(pk=partnership.pk)


def _meeting(partnership: Partnership, user: User, kind: str) -> Meeting:
    return meeting_create(partnership=partnership, user=user, kind=kind, scheduled_for=now() + timedelta(days=1))


def test_a_card_costs_its_insert_and_two_more(shared: Partnership, alice: User, database_queue: None) -> None:
    retro = _meeting(shared, alice, "retro")
    added = statements(lambda: card_add(meeting=retro, user=alice, column="going_well", text="One"))
    assert len(added) <= 3, added
    with CaptureQueriesContext(connection) as second:  # while that refresh waits: nothing more queued
        card_add(meeting=retro, user=alice, column="going_well", text="Two")
    assert not [q for q in second.captured_queries if DBTaskResult._meta.db_table in q["sql"]]


def test_a_talking_point_costs_its_insert_and_two_more(shared: Partnership, alice: User, database_queue: None) -> None:
    one_on_one = _meeting(shared, alice, "one_on_one")
    agenda_item_add(meeting=one_on_one, user=alice, text="First")
    added = statements(lambda: agenda_item_add(meeting=one_on_one, user=alice, text="Second"))
    assert len(added) <= 3, added
    assert list(one_on_one.agenda.order_by("position").values_list("text", "position")) == [
        ("First", 1),
        ("Second", 2),
    ]


@pytest.mark.parametrize("visibility", ["shared", "private"])
def test_a_journal_entry_costs_its_insert_and_two_more(
    shared: Partnership, alice: User, visibility: str, database_queue: None
) -> None:
    written = statements(lambda: journal_write(partnership=shared, user=alice, text="Noted", visibility=visibility))
    assert len(written) <= 3, written
