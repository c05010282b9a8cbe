"""Many writers at once: nothing lost, no "database is locked", and races that end in one
consistent result."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from datetime import timedelta
from functools import partial

import pytest
from django.db import connection, connections
from django.utils.timezone import now

from accord.alignment.models import Decision, SignOff
from accord.alignment.services import DecisionContent, decision_create, decision_sign
from accord.charters.models import CharterRevision, Ratification
from accord.charters.services import CharterContent, charter_propose, charter_revision_ratify
from accord.conftest import join, make_user
from accord.rituals.models import Card, Vote
from accord.rituals.services import card_add, meeting_create, meeting_reveal, vote_add

pytestmark = pytest.mark.django_db(transaction=True)
WRITERS = 20


def at_once(jobs: Sequence[Callable[[], object]]) -> tuple[list[object], list[BaseException]]:
    """Run every job in its own thread (its own database connection), released together."""
    start = threading.Barrier(len(jobs))
    results: list[object] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def run(job: Callable[[], object]) -> None:
        try:
            start.wait()
            result = job()
            with lock:
                results.append(result)
        except BaseException as exc:
            with lock:
                errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results, errors


def test_twenty_writers_add_cards_and_votes_and_lose_nothing(partnership, alice, bob):
    retro = meeting_create(partnership=partnership, user=alice, kind="retro", scheduled_for=now() + timedelta(days=1))
    writers = [alice, bob]
    per_writer = 10

    def cards(i: int) -> Callable[[], object]:
        return lambda: [
            card_add(meeting=retro, user=writers[i % 2], column="going_well", text=f"writer {i} card {n}")
            for n in range(per_writer)
        ]

    _, errors = at_once([cards(i) for i in range(WRITERS)])
    assert not errors, errors
    assert Card.objects.filter(meeting=retro).count() == WRITERS * per_writer

    retro = meeting_reveal(meeting=retro)
    targets = list(Card.objects.filter(meeting=retro).order_by("pk")[:WRITERS])
    retro.votes_per_person = WRITERS
    retro.save(update_fields=["votes_per_person"])
    _, errors = at_once([partial(vote_add, card=c, user=writers[i % 2]) for i, c in enumerate(targets)])
    assert not errors, errors
    assert Vote.objects.filter(card__meeting=retro).count() == WRITERS


def test_both_partners_ratifying_at_the_same_instant_make_one_charter(partnership, alice, bob):
    revision = charter_propose(
        rationale="What we learned since",
        partnership=partnership,
        user=alice,
        base=None,
        content=CharterContent(purpose="Ship together"),
    )
    _, errors = at_once([partial(charter_revision_ratify, revision=revision, user=u) for u in (alice, bob)])
    assert not errors, errors
    revision.refresh_from_db()
    assert revision.status == CharterRevision.Status.RATIFIED
    assert Ratification.objects.filter(revision=revision).count() == 2
    assert CharterRevision.objects.filter(partnership=partnership, status=CharterRevision.Status.RATIFIED).count() == 1


def test_every_member_signing_at_once_agrees_the_decision_once(partnership, alice, bob):
    for n in range(2):
        join(partnership, alice, make_user(f"third{n}@example.org", f"Third {n}"), "Other")
    members = list(partnership.memberships.select_related("user"))
    decision = decision_create(
        partnership=partnership, user=alice, content=DecisionContent(title="Weekly release train", context="")
    )
    _, errors = at_once([partial(decision_sign, decision=decision, user=m.user) for m in members])
    assert not errors, errors
    decision.refresh_from_db()
    assert decision.status == Decision.Status.AGREED
    assert SignOff.objects.filter(decision=decision).count() == len(members)


def test_the_database_is_whole_afterwards(partnership, alice):
    retro = meeting_create(partnership=partnership, user=alice, kind="retro", scheduled_for=now())
    jobs = [partial(card_add, meeting=retro, user=alice, column="frustrating", text=f"{i}") for i in range(WRITERS)]
    _, errors = at_once(jobs)
    assert not errors, errors
    assert Card.objects.filter(meeting=retro).count() == WRITERS
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA integrity_check")
            assert cursor.fetchone()[0] == "ok"


def test_every_member_answering_a_health_check_at_once_reveals_it_once(partnership, alice):
    from accord.assessments.models import HealthCheck, Rating, Response
    from accord.assessments.services import RatingInput, healthcheck_open, healthcheck_respond

    for n in range(2):
        join(partnership, alice, make_user(f"rater{n}@example.org", f"Rater {n}"), "Other")
    members = [m.user for m in partnership.memberships.select_related("user")]
    check = healthcheck_open(partnership=partnership, user=alice)
    keys = list(check.dimensions.values_list("key", flat=True))
    answers = [RatingInput(dimension=k, today=3, target=4) for k in keys]
    # Each member answers (and re-answers) at once: 4 members × 5 submissions = 20 writers.
    jobs = [partial(healthcheck_respond, check=check, user=u, ratings=answers) for u in members for _ in range(5)]
    _, errors = at_once(jobs)
    refused = [e for e in errors if "already revealed" in str(e)]
    assert len(errors) == len(refused), errors  # late re-answers after the reveal are refused, nothing else
    check.refresh_from_db()
    assert check.status == HealthCheck.Status.REVEALED and check.score is not None
    assert Response.objects.filter(check_run=check).count() == len(members)
    assert Rating.objects.filter(response__check_run=check).count() == len(members) * len(keys)
