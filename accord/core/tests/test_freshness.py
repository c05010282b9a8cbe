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
from accord.accounts.services import api_token_create, user_calendar_secret_regenerate, user_update
from accord.alignment.models import Objective
from accord.alignment.services import DecisionContent, decision_create, decision_triage, objective_archive
from accord.api import api
from accord.assessments.models import Dimension, HealthCheck
from accord.assessments.services import (
    RatingInput,
    dimension_add,
    dimension_move,
    dimension_retire,
    dimension_update,
    healthcheck_close,
    healthcheck_open,
    healthcheck_respond,
    template_ensure,
)
from accord.conftest import TODAY
from accord.core.tests.test_authorization_matrix import PUBLIC_OPERATIONS, World, example, fill, operations
from accord.lib.freshness import partnership_write
from accord.orgs.models import Organisation, OrgTemplate
from accord.orgs.services import org_invitation_accept, org_invitation_create, org_template_adopt, org_template_create
from accord.partnerships.models import Invitation, Membership, Partnership
from accord.partnerships.services import invitation_accept, invitation_revoke, partnership_team_page_regenerate
from accord.rituals.models import Card, Meeting, Vote
from accord.rituals.services import (
    agenda_item_add,
    agenda_item_delete,
    card_add,
    card_delete,
    card_group,
    card_ungroup,
    card_update,
    group_rename,
    meeting_create,
    meeting_plan_next,
    meeting_reveal,
    meeting_update,
    retro_format_update,
    vote_add,
    vote_remove,
)
from accord.tensions.models import Tension
from accord.tensions.services import (
    guess_rate,
    journal_write,
    perspective_write,
    tension_raise,
    tension_resolve,
    tension_retag,
    tension_reveal,
)

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
# Rows no page shows: writing them raises nothing.
QUIET_TABLES = {"accounts_apitoken", "accounts_authfailure", "rituals_remindersent"}
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

    def read(self) -> dict[str, int]:
        w = self.world
        other = Partnership.objects.exclude(pk=w.partnership.pk).get(memberships__user=w.neighbour)
        return {
            "partnership": Partnership.objects.get(pk=w.partnership.pk).version,
            "other partnership": other.version,
            "member": User.objects.get(pk=w.member.pk).version,
            "partner": User.objects.get(pk=w.partner.pk).version,
            "neighbour": User.objects.get(pk=w.neighbour.pk).version,
            "org": Organisation.objects.get(pk=w.org.pk).version,
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
    partnership: Partnership, alice: User, bob: User, django_assert_max_num_queries: Any
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


# Services that change nothing a page shows, or only compute: they need no unit of work.
NOT_WRITING = {
    "api_token_authenticate",
    "api_token_create",
    "api_token_issue",
    "api_token_revoke",
    "charter_content_clean",
    "clean_tags",
    "credentials_failure_record",
    "credentials_rate_check",
    "decision_content",
    "default_review_on",
    "healthcheck_summarise",
    "invitation_url",
    "invitee_check",
    "org_invitation_url",
    "planned",
    "reminder_claim",
    "reminder_release",
    "retro_format_get",
    "team_page_path",
    "team_page_url",
    "user_create",  # a new account: no page shows it yet
}
# Reached by the API test above with a successful request.
BY_API = {
    "action_item_create", "action_item_update", "agenda_item_add", "agenda_item_update", "card_add",
    "charter_propose", "charter_revision_ratify", "charter_revision_withdraw", "decision_create",
    "decision_object", "decision_sign", "decision_update", "experiment_charter_proposal", "experiment_create",
    "experiment_update", "invitation_create", "journal_bring", "journal_delete", "journal_update", "journal_write",
    "key_result_add", "key_result_reading_add", "measure_create", "measure_reading_add", "meeting_complete",
    "meeting_create", "meeting_phase_set", "meeting_reveal", "membership_leave", "objective_create",
    "org_access_set", "org_create", "partnership_create", "partnership_update", "perspective_write", "tension_raise",
}  # fmt: skip


def test_every_service_is_driven_by_a_freshness_test_or_writes_nothing() -> None:
    assert set(service_functions().values()) == NOT_WRITING | BY_API | set(DIRECT)


def _revealed_retro(w: World, retro: Meeting) -> list[Card]:
    cards = [card_add(meeting=retro, user=u, column="going_well", text=f"From {u.name}") for u in (w.member, w.partner)]
    meeting_reveal(meeting=retro)
    return [Card.objects.select_related("meeting").get(pk=c.pk) for c in cards]


def _revealed_tension(w: World) -> Tension:
    tension = tension_raise(partnership=w.partnership, user=w.member, topic="Scope")
    for user in (w.member, w.partner):
        perspective_write(tension=tension, user=user, important_to_me=f"{user.name} wants it")
    return Tension.objects.get(pk=tension.pk)


def _respond(w: World) -> None:
    check = HealthCheck.objects.get(partnership=w.partnership, status="open")
    ratings = [RatingInput(d.key, 3, 4) for d in check.dimensions.all()]
    healthcheck_respond(check=check, user=w.member, ratings=ratings)


PARTNERSHIP = {"partnership", "org"}
# Writes the pages reach (and the API does not, or not from the example bodies): each with what it moves.
DIRECT: dict[str, tuple[set[str], Any]] = {
    "agenda_item_delete": (PARTNERSHIP, lambda w, r, o: agenda_item_delete(item=o.agenda.get(), user=w.member)),
    "card_update": (PARTNERSHIP, lambda w, r, o: card_update(card=r.cards.get(), user=w.member, text="Edited")),
    "card_delete": (PARTNERSHIP, lambda w, r, o: card_delete(card=r.cards.get(), user=w.member)),
    "card_group": (PARTNERSHIP, lambda w, r, o: _group_then(w, r, lambda g, c: None)),
    "card_ungroup": (PARTNERSHIP, lambda w, r, o: _group_then(w, r, lambda g, c: card_ungroup(card=c))),
    "group_rename": (PARTNERSHIP, lambda w, r, o: _group_then(w, r, lambda g, c: group_rename(group=g, title="T"))),
    "vote_add": (PARTNERSHIP, lambda w, r, o: vote_add(card=_revealed_retro(w, r)[0], user=w.member)),
    "vote_remove": (PARTNERSHIP, lambda w, r, o: _vote_then_remove(w, r)),
    "meeting_update": (PARTNERSHIP, lambda w, r, o: meeting_update(meeting=o, notes="Shared notes")),
    "meeting_plan_next": (PARTNERSHIP, lambda w, r, o: _plan_next(w)),
    "retro_format_update": (
        PARTNERSHIP,
        lambda w, r, o: retro_format_update(
            partnership=w.partnership,
            labels={"going_well": "Good", "frustrating": "Hard", "try_next": "Next"},
            votes_per_person=4,
        ),
    ),
    "healthcheck_open": (PARTNERSHIP, lambda w, r, o: _reopen(w)),
    "healthcheck_respond": (PARTNERSHIP, lambda w, r, o: _respond(w)),
    "healthcheck_close": (PARTNERSHIP, lambda w, r, o: _respond_then_close(w)),
    "template_ensure": (PARTNERSHIP, lambda w, r, o: _template_afresh(w)),
    "dimension_add": (
        PARTNERSHIP,
        lambda w, r, o: dimension_add(partnership=w.partnership, title="Trust", description=""),
    ),
    "dimension_update": (PARTNERSHIP, lambda w, r, o: _dimension(w, dimension_update, title="Renamed", description="")),
    "dimension_move": (PARTNERSHIP, lambda w, r, o: _dimension(w, dimension_move, offset=1)),
    "dimension_retire": (PARTNERSHIP, lambda w, r, o: _dimension(w, dimension_retire)),
    "tension_retag": (PARTNERSHIP, lambda w, r, o: tension_retag(tension=_revealed_tension(w), tags=["scope"])),
    "tension_reveal": (PARTNERSHIP, lambda w, r, o: _reveal_after_leaving(w)),
    "guess_rate": (
        PARTNERSHIP,
        lambda w, r, o: guess_rate(
            tension=_revealed_tension(w), user=w.member, of_user_id=w.partner.pk, rating="right"
        ),
    ),
    "tension_resolve": (
        PARTNERSHIP,
        lambda w, r, o: tension_resolve(tension=_revealed_tension(w), user=w.member, resolution="Agreed"),
    ),
    "objective_archive": (
        PARTNERSHIP,
        lambda w, r, o: objective_archive(objective=Objective.objects.get(pk=w.ids["objective"])),
    ),
    "decision_triage": (PARTNERSHIP, lambda w, r, o: _triage(w)),
    "partnership_team_page_regenerate": (
        PARTNERSHIP,
        lambda w, r, o: partnership_team_page_regenerate(partnership=w.partnership),
    ),
    "invitation_revoke": (
        PARTNERSHIP,
        lambda w, r, o: invitation_revoke(partnership=w.partnership, invitation_id=w.ids["invitation"]),
    ),
    "invitation_accept": ({"partnership", "org", "outsider"}, lambda w, r, o: _accept(w)),
    "user_update": ({"member", "partnership", "org"}, lambda w, r, o: user_update(user=w.member, name="Alice Renamed")),
    "user_calendar_secret_regenerate": ({"member"}, lambda w, r, o: user_calendar_secret_regenerate(user=w.member)),
    "org_invitation_create": ({"org"}, lambda w, r, o: org_invitation_create(org=w.org, user=w.coach, role="coach")),
    "org_invitation_accept": ({"org", "outsider"}, lambda w, r, o: _org_accept(w)),
    "org_template_create": ({"org"}, lambda w, r, o: _template(w)),
    "org_template_adopt": (
        PARTNERSHIP,
        lambda w, r, o: org_template_adopt(partnership=w.partnership, template=_template(w)),
    ),
}


def _group_then(w: World, retro: Meeting, then: Any) -> None:
    cards = _revealed_retro(w, retro)
    group = card_group(meeting=cards[0].meeting, card_ids=[c.pk for c in cards])
    then(group, Card.objects.select_related("meeting").get(pk=cards[0].pk))


def _vote_then_remove(w: World, retro: Meeting) -> None:
    card = _revealed_retro(w, retro)[0]
    vote_add(card=card, user=w.member)
    vote_remove(card=card, user=w.member)


def _plan_next(w: World) -> None:
    with partnership_write(w.partnership):  # the test's own setup, watched like any write
        Meeting.objects.filter(partnership=w.partnership, kind="retro", status="planned").update(status="cancelled")
    assert meeting_plan_next(partnership=w.partnership, kind="retro") is not None


def _reopen(w: World) -> None:
    with partnership_write(w.partnership):
        HealthCheck.objects.filter(partnership=w.partnership, status="open").delete()
    healthcheck_open(partnership=w.partnership, user=w.member)


def _respond_then_close(w: World) -> None:
    _respond(w)
    healthcheck_close(check=HealthCheck.objects.get(partnership=w.partnership, status="open"), user=w.member)


def _template_afresh(w: World) -> None:
    with partnership_write(w.partnership):
        Dimension.objects.filter(partnership=w.partnership).delete()
    assert template_ensure(partnership=w.partnership)


def _dimension(w: World, service: Any, **kwargs: Any) -> None:
    first = Dimension.objects.filter(partnership=w.partnership, retired_at__isnull=True).order_by("position").first()
    assert first is not None
    service(partnership=w.partnership, dimension_id=first.pk, **kwargs)


def _reveal_after_leaving(w: World) -> None:
    tension = tension_raise(partnership=w.partnership, user=w.member, topic="Scope")
    perspective_write(tension=tension, user=w.member, important_to_me="Mine")
    with partnership_write(w.partnership):
        Membership.objects.filter(partnership=w.partnership, user=w.partner).delete()  # left without writing
    tension_reveal(tension=tension, user=w.member)


def _triage(w: World) -> None:
    request = decision_create(
        partnership=w.partnership,
        user=w.member,
        content=DecisionContent(title="Asked", kind="request", requester="Sales"),
    )
    decision_triage(decision=request, triage="accept")


def _accept(w: World) -> None:
    invitation = Invitation.objects.get(pk=w.ids["invitation"])
    invitation_accept(token=invitation.token, user=w.outsider)


def _org_accept(w: World) -> None:
    invitation = org_invitation_create(org=w.org, user=w.coach, role="coach")
    org_invitation_accept(token=invitation.token, user=w.outsider)


def _template(w: World) -> OrgTemplate:
    return org_template_create(org=w.org, user=w.coach, name="House", dimensions=[{"title": "Trust"}])


def test_every_write_the_pages_reach_moves_the_right_versions(world: World) -> None:
    retro, one_on_one = world.open_meetings()
    agenda_item_add(meeting=one_on_one, user=world.member, text="A point")
    card_add(meeting=retro, user=world.member, column="going_well", text="Blind")
    if not HealthCheck.objects.filter(partnership=world.partnership, status="open").exists():
        healthcheck_open(partnership=world.partnership, user=world.member)
    for name, (expected, call) in DIRECT.items():
        point = transaction.savepoint_create()
        retro_now = Meeting.objects.get(pk=retro.pk)
        versions = Versions(world)
        with watched() as outside, calls() as called:
            call(world, retro_now, Meeting.objects.get(pk=one_on_one.pk))
        moved = versions.moved()
        transaction.savepoint_rollback(point)
        assert name in called, name
        assert not outside, (name, outside)
        assert expected <= moved and not moved & {"other partnership", "neighbour"}, (name, moved, expected)
