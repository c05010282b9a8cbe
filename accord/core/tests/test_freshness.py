"""Every write runs in a unit of work that raises the right versions, once, and no other: driven
through every write of the API in the authorization matrix's world, with every statement watched."""

from __future__ import annotations

import ast
import importlib
import inspect
import json
import pkgutil
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils.timezone import now

from accord.accounts.models import User
from accord.accounts.services import api_token_create
from accord.api import api
from accord.conftest import TODAY
from accord.core.tests.test_authorization_matrix import PUBLIC_OPERATIONS, World, example, fill, operations
from accord.lib.freshness import partnership_write
from accord.orgs.selectors import org_get
from accord.partnerships.models import Partnership
from accord.rituals.models import Card, Meeting, Vote
from accord.rituals.services import (
    card_add,
    meeting_create,
    meeting_reveal,
    vote_add,
)
from accord.tensions.services import (
    journal_write,
)

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
# Rows whose writes raise nothing: no page shows them, or they are derived after a raise (figures).
QUIET_TABLES = {"accounts_apitoken", "accounts_authfailure", "rituals_remindersent", "insights_partnershipfigures"}
WRITE = re.compile(r'^\s*(?:INSERT INTO|UPDATE|DELETE FROM)\s+"?(\w+)"?', re.IGNORECASE)


def test_it_has_no_signal_receivers_and_no_save_overrides() -> None:
    found = []
    for path in ROOT.rglob("*.py"):
        if "/tests/" in str(path) or "/migrations/" in str(path):
            continue
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.Name | ast.Attribute):
                name = node.id if isinstance(node, ast.Name) else node.attr
                if name in {"post_save", "pre_save", "post_delete", "pre_delete", "m2m_changed", "receiver"}:
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno} {name}")
            if isinstance(node, ast.ClassDef):
                found += [
                    f"{path.relative_to(ROOT)}:{f.lineno} {node.name}.{f.name}"
                    for f in node.body
                    if isinstance(f, ast.FunctionDef) and f.name in {"save", "delete"}
                ]
    assert not found


def service_functions() -> dict[Any, str]:
    """Every public function of every app's services, by its code object."""
    found: dict[Any, str] = {}
    for app in ("accounts", "partnerships", "assessments", "charters", "rituals", "tensions", "alignment", "orgs"):
        package = importlib.import_module(f"accord.{app}.services")
        modules = [package]
        if hasattr(package, "__path__"):
            modules = [
                importlib.import_module(f"{package.__name__}.{m.name}") for m in pkgutil.iter_modules(package.__path__)
            ]
        for module in modules:
            for name, function in inspect.getmembers(module, inspect.isfunction):
                if function.__module__ == module.__name__ and not name.startswith("_"):
                    found[function.__code__] = name
    return found


@contextmanager
def calls() -> Iterator[set[str]]:
    """The names of the services called meanwhile."""
    codes, called = service_functions(), set()

    def profile(frame: Any, event: str, arg: Any) -> None:
        if event == "call" and frame.f_code in codes:
            called.add(codes[frame.f_code])

    sys.setprofile(profile)
    try:
        yield called
    finally:
        sys.setprofile(None)


@contextmanager
def watched() -> Iterator[list[str]]:
    """Every write to Accord's tables made outside a unit of work (the raise of versions aside)."""
    ours = {m._meta.db_table for m in apps.get_models() if m.__module__.startswith("accord.")} - QUIET_TABLES
    outside: list[str] = []

    def watch(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        match = WRITE.match(sql)
        raising = re.search(r'SET\s+"version"\s*=\s*\(?"\w+"\."version" \+', sql)
        inside = any(hasattr(b, "_accord_changed") for b in connection.atomic_blocks)
        if match and match[1] in ours and not raising and not inside:
            outside.append(sql[:160])
        return execute(sql, params, many, context)

    with connection.execute_wrapper(watch):
        yield outside


@pytest.fixture
def world() -> World:
    return World()


class Versions:
    def __init__(self, world: World) -> None:
        self.world = world
        self.before = self.read()

    def read(self) -> dict[str, int | str]:
        w = self.world
        other = Partnership.objects.exclude(pk=w.partnership.pk).get(memberships__user=w.neighbour)
        return {
            "partnership": Partnership.objects.get(pk=w.partnership.pk).version,
            "other partnership": other.version,
            "member": User.objects.get(pk=w.member.pk).version,
            "partner": User.objects.get(pk=w.partner.pk).version,
            "neighbour": User.objects.get(pk=w.neighbour.pk).version,
            "org": org_get(user=w.coach, oid=w.org.pk)[0].pages_version,  # what its pages key on
            "outsider": User.objects.get(pk=w.outsider.pk).version,
        }

    def moved(self) -> set[str]:
        after = self.read()
        return {k for k, v in after.items() if v != self.before[k]}


# What a write moves besides the partnership's pages (and the organisation sharing it), by route.
MOVES: dict[tuple[str, str], set[str]] = {
    ("PATCH", "/api/v1/me"): {"member", "partnership", "org"},  # the name shows on the partnership's pages
    ("POST", "/api/v1/me/calendar-secret"): {"member"},
    ("PATCH", "/api/v1/partnerships/{pid}"): {"member", "partner", "partnership", "org"},  # every switcher
    ("POST", "/api/v1/orgs"): {"member"},
    # A private entry (the example's visibility) moves its author's pages alone.
    ("POST", "/api/v1/partnerships/{pid}/journal"): {"member"},
    ("POST", "/api/v1/partnerships"): {"member"},
    ("POST", "/api/v1/partnerships/{pid}/leave"): {"member", "partnership", "org"},
}
# Writes that move no page at all.
QUIET = {"/api/v1/me/tokens", "/api/v1/me/tokens/{tid}"}


# The services the API test reaches with a successful request (checked: it fails if one is not).
BY_API = {
    "action_item_create", "action_item_update", "agenda_item_add", "agenda_item_update", "card_add",
    "charter_propose", "charter_revision_ratify", "charter_revision_withdraw", "decision_create",
    "decision_object", "decision_sign", "decision_update", "experiment_charter_proposal", "experiment_create",
    "experiment_update", "invitation_create", "journal_bring", "journal_delete", "journal_update", "journal_write",
    "key_result_add", "key_result_reading_add", "measure_create", "measure_reading_add", "meeting_complete",
    "meeting_create", "meeting_phase_set", "meeting_reveal", "membership_leave", "objective_create",
    "org_access_set", "org_create", "partnership_create", "partnership_update", "perspective_write", "tension_raise",
}  # fmt: skip


def test_every_api_write_moves_the_right_versions_once_and_no_other(world: World) -> None:
    retro, one_on_one = world.open_meetings()
    ids = world.open_ids(retro, one_on_one)
    token = api_token_create(user=world.member, name="freshness")[1]
    components = api.get_openapi_schema().get("components", {}).get("schemas", {})
    known = {
        "owner_id": world.member.pk,
        "org_id": world.org.pk,
        "of_user_id": world.partner.pk,
        "timezone": "Europe/Berlin",
        "email": "newcomer@example.org",
        "taken_on": TODAY.isoformat(),
        "baseline": 1,
        "target": 2,
    }
    own = journal_write(partnership=world.partnership, user=world.member, text="Mine", visibility="shared")
    ids["journal"] = own.pk
    accepted, report, reached = 0, [], set()
    for method, route, op in operations():
        if method == "GET" or route in PUBLIC_OPERATIONS:
            continue
        schema = op.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema")
        body = json.dumps(example(schema, components, full=True, known=known)) if schema else ""
        for meeting in (retro, one_on_one) if "{mid}" in route and "/meetings/" in route else (None,):
            path = fill(route, {**ids, "meeting": meeting.pk} if meeting else ids)
            versions = Versions(world)
            point = transaction.savepoint_create()  # each write on the same world, undone afterwards
            with watched() as outside, CaptureQueriesContext(connection) as queries, calls() as called:
                response = Client(headers={"Authorization": f"Bearer {token}"}).generic(
                    method, path, body, content_type="application/json"
                )
            moved = versions.moved()
            transaction.savepoint_rollback(point)
            assert response.status_code < 500, (method, route, response.content[:300])
            assert not outside, (method, route, outside)
            raises = [q for q in queries.captured_queries if '"version" = (' in q["sql"] or '"version" + 1' in q["sql"]]
            if response.status_code >= 300:
                assert not moved, (method, route, response.status_code, moved)
                continue
            accepted += 1
            reached |= called
            expected = set() if route in QUIET else MOVES.get((method, route), {"partnership", "org"})
            if "/journal" in route:
                expected |= {"member"}  # a journal entry is on its author's own pages too
            report.append(f"{method} {route}: {sorted(moved)}")
            assert moved == expected, (method, route, moved, expected)
            assert len(raises) <= 3, (method, route, [q["sql"] for q in raises])  # each version once
    assert accepted >= 35, report
    assert reached >= BY_API, BY_API - reached


def test_a_unit_inside_a_unit_raises_once_after_the_outer_commit(partnership: Partnership) -> None:
    before = Partnership.objects.get(pk=partnership.pk).version
    with partnership_write(partnership), partnership_write(partnership.pk), partnership_write(partnership):
        assert Partnership.objects.get(pk=partnership.pk).version == before
    assert Partnership.objects.get(pk=partnership.pk).version == before + 1


def test_deleting_a_retro_with_twenty_cards_and_six_votes_takes_at_most_ten_queries(
    partnership: Partnership, alice: User, bob: User, django_assert_max_num_queries: Any, database_queue: None
) -> None:
    retro = meeting_create(partnership=partnership, user=alice, kind="retro", scheduled_for=now() + timedelta(days=1))
    cards = [
        card_add(meeting=retro, user=(alice, bob)[i % 2], column="going_well", text=f"Card {i}") for i in range(20)
    ]
    meeting_reveal(meeting=retro)
    for card in cards[:3]:
        vote_add(card=card, user=alice)
        vote_add(card=card, user=bob)
    before = Partnership.objects.get(pk=partnership.pk).version
    # Before: 99 queries, 54 of them raising versions (a signal per row deleted). Now the database
    # removes what hangs off the meeting (on_delete=DB_CASCADE) and the versions rise once.
    with django_assert_max_num_queries(10), partnership_write(partnership):
        Meeting.objects.get(pk=retro.pk).delete()
    assert Partnership.objects.get(pk=partnership.pk).version == before + 1
    assert not Card.objects.filter(meeting_id=retro.pk).exists() and not Vote.objects.exists()
