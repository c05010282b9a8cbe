"""Every route, every role: enumerated from the URL resolver and the OpenAPI schema, so that a new
route cannot be forgotten. Outsiders get 404 (visitors 401 on the API, the login page on pages),
partners get 404 on each other's private items, and no refused request changes anything."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils.timezone import now

from accord.accounts.models import User
from accord.accounts.services import api_token_create
from accord.alignment.models import Decision, KeyResult, Objective
from accord.alignment.services import DecisionContent, decision_create
from accord.api import api
from accord.assessments.models import Dimension, HealthCheck
from accord.assessments.services import healthcheck_open
from accord.charters.models import CharterRevision, Measure
from accord.charters.services import CharterContent, charter_propose
from accord.conftest import make_user, unchanged
from accord.demo.seed import seed
from accord.orgs.models import Organisation
from accord.partnerships.models import Partnership
from accord.partnerships.services import invitation_create
from accord.rituals.models import ActionItem, AgendaItem, Card, CardGroup, Experiment, Meeting
from accord.rituals.services import agenda_item_add, card_add, meeting_create
from accord.tensions.models import JournalEntry, Tension
from accord.tensions.services import tension_raise

pytestmark = pytest.mark.django_db

# Routes anyone may call, guarded by a secret in the path or by nothing at all.
PUBLIC_PAGES = {"", "healthz", "team/<str:token>/", "invite/<str:token>/", "org-invite/<str:token>/"}
PUBLIC_OPERATIONS = {"/api/v1/auth/signup", "/api/v1/auth/token", "/api/v1/calendar/{secret}.ics"}
# Routes about the caller alone (their account, their list of partnerships): every signed-in user
# reaches their own, so there is nobody to keep out beyond visitors.
OWN_PAGES = {
    "account/",
    "account/tokens/",
    "account/calendar/regenerate/",
    "p/new/",
    "p/import/",
    "p/import/preview/",
    "p/import/create/",
    "orgs/",
}
OWN_OPERATIONS = {
    "/api/v1/me",
    "/api/v1/partnerships",
    "/api/v1/orgs",
    "/api/v1/invitations/{token}/accept",
    "/api/v1/org-invitations/{token}/accept",
}


class World:
    """Two seeded partnerships with a year of everything, an organisation sharing both, and people
    in every role."""

    def __init__(self) -> None:
        seed(partnerships=2, years=1, password="pw-123456789")
        self.member = User.objects.get(email="em1@seed.example")
        self.partner = User.objects.get(email="pm1@seed.example")
        self.neighbour = User.objects.get(email="em2@seed.example")  # member of the other partnership
        self.coach = User.objects.get(email="coach@seed.example")
        self.outsider = make_user("outsider@example.org", "Olive Outsider")
        p = Partnership.objects.get(memberships__user=self.member)
        self.partnership = p
        self.org = Organisation.objects.get(name="Seed Org")
        retro = Meeting.objects.filter(partnership=p, kind="retro", cards__isnull=False).first()
        assert retro is not None
        self.ids: dict[str, Any] = {
            "partnership": p.pk,
            "check": HealthCheck.objects.filter(partnership=p).first().pk,
            "dimension": Dimension.objects.filter(partnership=p).first().pk,
            "revision": CharterRevision.objects.filter(partnership=p).first().pk,
            "measure": Measure.objects.filter(partnership=p).first().pk,
            "meeting": retro.pk,
            "agenda_item": AgendaItem.objects.filter(meeting__partnership=p).first().pk,
            "card": Card.objects.filter(meeting=retro).first().pk,
            "group": CardGroup.objects.filter(meeting__partnership=p).first().pk,
            "action_item": ActionItem.objects.filter(partnership=p).first().pk,
            "experiment": Experiment.objects.filter(partnership=p).first().pk,
            "tension": Tension.objects.filter(partnership=p).first().pk,
            "journal": JournalEntry.objects.filter(partnership=p, visibility="shared").first().pk,
            "objective": Objective.objects.filter(partnership=p).first().pk,
            "key_result": KeyResult.objects.filter(objective__partnership=p).first().pk,
            "decision": Decision.objects.filter(partnership=p).first().pk,
            "org": self.org.pk,
            "invitation": invitation_create(partnership=p, invited_by=self.member, role="Design").pk,
            "token": api_token_create(user=self.member, name="matrix")[0].pk,
        }
        private = JournalEntry.objects.filter(partnership=p, author=self.member, visibility="private").first()
        assert private is not None
        self.private_journal = private.pk

    def open_meetings(self) -> tuple[Meeting, Meeting]:
        """A planned retro and 1:1 to write into (the seeded history is mostly held)."""
        p, member = self.partnership, self.member
        retro = meeting_create(partnership=p, user=member, kind="retro", scheduled_for=now() + timedelta(days=3))
        one_on_one = meeting_create(
            partnership=p, user=member, kind="one_on_one", scheduled_for=now() + timedelta(days=2)
        )
        return retro, one_on_one

    def open_ids(self, retro: Meeting, one_on_one: Meeting) -> dict[str, Any]:
        """The ids with open things to write into instead of the settled history: an open check,
        tension, decision and charter proposal, a blind card and a talking point."""
        p, member = self.partnership, self.member
        HealthCheck.objects.filter(partnership=p, status=HealthCheck.Status.OPEN).delete()
        current = CharterRevision.objects.filter(partnership=p, status=CharterRevision.Status.RATIFIED).first()
        return {
            **self.ids,
            "check": healthcheck_open(partnership=p, user=member).pk,
            "tension": tension_raise(partnership=p, user=member, topic="Open question").pk,
            "decision": decision_create(partnership=p, user=member, content=DecisionContent(title="Open decision")).pk,
            "revision": charter_propose(
                rationale="What we learned since",
                partnership=p,
                user=member,
                base=current.number if current else None,
                content=CharterContent(purpose="An open proposal"),
            ).pk,
            "card": card_add(meeting=retro, user=member, column="going_well", text="A card").pk,
            "agenda_item": agenda_item_add(meeting=one_on_one, user=member, text="A point").pk,
        }


# The object a path parameter names, by the path segment before it.
SEGMENTS = {
    "p": "partnership",
    "partnerships": "partnership",
    "assess": "check",
    "dimensions": "dimension",
    "health-checks": "check",
    "revisions": "revision",
    "charter-revisions": "revision",
    "measures": "measure",
    "meetings": "meeting",
    "agenda-items": "agenda_item",
    "cards": "card",
    "groups": "group",
    "actions": "action_item",
    "action-items": "action_item",
    "experiments": "experiment",
    "tensions": "tension",
    "journal": "journal",
    "objectives": "objective",
    "key-results": "key_result",
    "decisions": "decision",
    "orgs": "org",
    "invitations": "invitation",
    "org-invitations": "invitation",
    "tokens": "token",
    # The public pages' secrets (the crawls of every page open them as a member would).
    "team": "team_page_secret",
    "invite": "invitation_token",
    "org-invite": "org_invitation_token",
}


def fill(path: str, ids: dict[str, Any]) -> str:
    """A concrete path: each parameter replaced by the id of the object its segment names."""

    def one(match: re.Match[str]) -> str:
        segment = path[: match.start()].rstrip("/").rsplit("/", 1)[-1]
        assert segment in SEGMENTS, f"{path}: add its parameter's segment {segment!r} to SEGMENTS"
        return str(ids[SEGMENTS[segment]])

    return re.sub(r"<[^>]+>|\{[^}]+\}", one, path)


def page_routes() -> list[str]:
    def walk(patterns: list[Any], prefix: str = "") -> list[str]:
        out = []
        for p in patterns:
            if isinstance(p, URLResolver):
                out += walk(p.url_patterns, prefix + str(p.pattern))
            elif isinstance(p, URLPattern):
                out.append(prefix + str(p.pattern))
        return out

    ours = [r for r in walk(get_resolver().url_patterns) if not r.startswith(("api/", "accounts/"))]
    assert len(ours) > 60
    return ours


def operations() -> list[tuple[str, str, dict[str, Any]]]:
    schema = api.get_openapi_schema()
    out = []
    for path, item in schema["paths"].items():
        for method, op in item.items():
            out.append((method.upper(), path, op))
    return out


def _free_text(schema: dict[str, Any], components: dict[str, Any]) -> bool:
    """A free-text string, or a list of them (optional ids, dates and choices are left out)."""
    if "$ref" in schema:
        schema = components[schema["$ref"].rsplit("/", 1)[-1]]
    if "anyOf" in schema:
        return any(_free_text(s, components) for s in schema["anyOf"] if s.get("type") != "null")
    if schema.get("type") == "array":
        return _free_text(schema.get("items", {}), components)
    return schema.get("type") == "string" and not ({"format", "enum", "pattern"} & set(schema))


def example(
    schema: dict[str, Any],
    components: dict[str, Any],
    text: Callable[[], str] | None = None,
    full: bool = False,
    known: dict[str, Any] | None = None,
) -> Any:
    """A body that passes the schema, so refusals are about access, not shape: minimal, or `full`
    (every optional free-text property too) with each free-text string from `text`, and `known`
    values for properties by name (ids of real rows)."""

    def again(part: dict[str, Any]) -> Any:
        return example(part, components, text, full, known)

    if "$ref" in schema:
        return again(components[schema["$ref"].rsplit("/", 1)[-1]])
    if "anyOf" in schema:
        return again(next(s for s in schema["anyOf"] if s.get("type") != "null"))
    if "allOf" in schema:
        return again(schema["allOf"][0])
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type")
    if kind == "object":
        required = schema.get("required", [])
        return {
            k: (known or {})[k] if k in (known or {}) else again(v)
            for k, v in schema.get("properties", {}).items()
            if k in required or (full and _free_text(v, components))
        }
    if kind == "array":
        return [again(schema["items"])] * max(schema.get("minItems", 0), 1 if full else 0)
    if kind in ("integer", "number"):
        return max(1, schema.get("minimum", 1))
    if kind == "boolean":
        return True
    if schema.get("format") == "date":
        return "2026-12-01"
    if schema.get("format") == "date-time":
        return "2026-12-01T10:00:00Z"
    if text is not None and "format" not in schema and "pattern" not in schema:
        return text()[: schema.get("maxLength", 10_000)]
    return "x" * max(1, schema.get("minLength", 1))


@pytest.fixture
def world() -> World:
    return World()


def client_for(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def test_pages_keep_everyone_but_members_out(world: World) -> None:
    checked = 0
    for route in page_routes():
        if route in PUBLIC_PAGES:
            continue
        path = "/" + fill(route, world.ids)
        if route in OWN_PAGES:
            for method in ("get", "post"):
                response = getattr(client_for(None), method)(path)
                assert response.status_code == 302 and "/accounts/login/" in response["Location"], (method, path)
                checked += 1
            continue
        is_org = route.startswith("orgs/")
        outsiders = [world.outsider, world.neighbour] + ([world.member] if is_org else [world.coach])
        visitor = client_for(None)
        with unchanged():
            for method in ("get", "post"):
                response = getattr(visitor, method)(path)
                assert response.status_code == 302 and "/accounts/login/" in response["Location"], (method, path)
                checked += 1
            for user in outsiders:
                client = client_for(user)
                for method in ("get", "post"):
                    status = getattr(client, method)(path).status_code
                    # 405: a POST-only route refuses GET before looking anything up, for everyone alike.
                    allowed = {404, 405} if method == "get" else {404}
                    assert status in allowed, (user.email, method, path, status)
                    checked += 1
    print(f"\npages: {checked} route × role × method calls refused")
    assert checked > 400


def test_a_partner_cannot_reach_the_others_private_journal_entry(world: World) -> None:
    ids = {**world.ids, "journal": world.private_journal}
    partner = client_for(world.partner)
    token = api_token_create(user=world.partner, name="matrix")[1]
    checked = 0
    with unchanged():
        for route in [r for r in page_routes() if "<int:jid>" in r]:
            path = "/" + fill(route, ids)
            seen = partner.get(path)
            if seen.status_code == 302:
                # A POST-only action opened by address leads to its page before any lookup: the
                # same answer as for an entry that does not exist, so nothing is told.
                nowhere = partner.get("/" + fill(route, {**ids, "journal": 2**40}))
                assert (nowhere.status_code, nowhere["Location"]) == (302, seen["Location"]), path
                assert str(world.private_journal) not in seen["Location"]
            else:
                assert seen.status_code == 404, path
            assert partner.post(path, {"text": "x", "visibility": "shared"}).status_code == 404
            checked += 2
        for method, route, op in operations():
            if "{jid}" in route:
                response = Client(headers={"Authorization": f"Bearer {token}"}).generic(
                    method, fill(route, ids), body_for(op), content_type="application/json"
                )
                assert response.status_code == 404, (method, route, response.content)
                checked += 1
    assert checked >= 6
    author = Client(headers={"Authorization": f"Bearer {api_token_create(user=world.member, name='own')[1]}"})
    assert author.get(f"/api/v1/journal/{world.private_journal}").status_code == 200  # the author still can


def body_for(op: dict[str, Any]) -> str:
    schema = op.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema")
    if not schema:
        return ""
    return json.dumps(example(schema, api.get_openapi_schema().get("components", {}).get("schemas", {})))


def test_api_operations_keep_everyone_but_members_out(world: World) -> None:
    tokens = {
        u.pk: api_token_create(user=u, name="matrix")[1]
        for u in (world.outsider, world.neighbour, world.coach, world.member)
    }
    checked = 0
    for method, route, op in operations():
        if route in PUBLIC_OPERATIONS:
            continue
        path, data = fill(route, world.ids), body_for(op)

        def call(user: User | None, method: str = method, path: str = path, data: str = data) -> Any:
            headers = {"Authorization": f"Bearer {tokens[user.pk]}"} if user else {}
            return Client(headers=headers).generic(method, path, data, content_type="application/json")

        with unchanged():
            response = call(None)
            assert response.status_code == 401 and "detail" in response.json(), (method, route)
            checked += 1
            if route in OWN_OPERATIONS:
                continue
            is_org = route.startswith("/api/v1/orgs/")
            outsiders = [world.outsider, world.neighbour] + ([world.member] if is_org else [world.coach])
            for user in outsiders:
                response = call(user)
                assert response.status_code == 404, (user.email, method, route, response.status_code, response.content)
                assert response.json() == {"detail": "Not found."}
                checked += 1
    print(f"\nAPI: {checked} operation × role calls refused")
    assert checked > 200
