"""Every page form, enumerated from the URL resolver like the authorization matrix: posted with
something invalid, it comes back with every value typed and the message beside its field, and
nothing is saved. A route is a form, an action (buttons, choices: nothing typed to lose) or a read;
a new route fails here until it says which."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.test import Client
from django.utils.timezone import now

from accord.accounts.models import User
from accord.accounts.services import api_token_create
from accord.alignment.services import DecisionContent, decision_create, key_result_add, objective_create
from accord.assessments.services import healthcheck_open, template_ensure
from accord.charters.services import measure_create
from accord.conftest import login, unchanged
from accord.core.tests.test_authorization_matrix import page_routes
from accord.lib.views import REFUSED_HEADER
from accord.orgs.services import org_create
from accord.partnerships.models import Partnership
from accord.rituals.services import card_add, card_group, experiment_create, meeting_create, meeting_reveal
from accord.tensions.services import journal_write, perspective_write, tension_raise, tension_reveal

pytestmark = pytest.mark.django_db


def typed(name: str) -> str:
    return f"Typed-Value-7391-{name}"


def too_long(name: str, limit: int) -> str:
    """A typed value one word past a field's limit."""
    return typed(name) + "x" * limit


class World:
    """Alice's partnership with one of everything a form names, and the ids their URLs take."""

    def __init__(self, alice: User, bob: User, partnership: Partnership) -> None:
        self.p = partnership.pk
        today = now().date()
        self.dimension = template_ensure(partnership=partnership)[0].pk
        check = healthcheck_open(partnership=partnership, user=alice)
        self.check, self.key = check.pk, check.dimensions.all()[0].key
        self.measure = measure_create(partnership=partnership, user=alice, name="M", target=10, direction="up").pk
        soon = now() + timedelta(days=1)
        self.one_on_one = meeting_create(partnership=partnership, user=alice, kind="one_on_one", scheduled_for=soon).pk
        retro = meeting_create(partnership=partnership, user=alice, kind="retro", scheduled_for=soon)
        cards = [card_add(meeting=retro, user=u, column="going_well", text=u.name) for u in (alice, bob)]
        retro = meeting_reveal(meeting=retro)
        self.retro, self.card = retro.pk, cards[0].pk
        self.group = card_group(meeting=retro, card_ids=[c.pk for c in cards], title="G").pk
        self.experiment = experiment_create(
            hypothesis="Trying it helps us",
            success_signal="We both notice it",
            partnership=partnership,
            user=alice,
            title="E",
        ).pk
        tension = tension_raise(partnership=partnership, user=alice, topic="T")
        for user in (alice, bob):
            perspective_write(tension=tension, user=user, important_to_me="x")
        tension_reveal(tension=tension, user=alice)
        self.tension = tension.pk
        self.unrevealed = tension_raise(partnership=partnership, user=alice, topic="U").pk
        self.journal = journal_write(partnership=partnership, user=alice, text="J").pk
        objective = objective_create(
            partnership=partnership, user=alice, title="O", why="", starts_on=today, ends_on=today + timedelta(90)
        )
        self.objective = objective.pk
        self.key_result = key_result_add(objective=objective, name="K", baseline=0, target=10).pk
        self.decision = decision_create(partnership=partnership, user=alice, content=DecisionContent(title="D")).pk
        self.org = org_create(user=alice, name="Org").pk
        self.token = api_token_create(user=alice, name="t")[0].pk


Form = Callable[[World], tuple[str, dict[str, str]]]

# Each form's URL, with data that fails one rule (an empty required field or one past its limit)
# and a distinctive value in every other field.
FORMS: dict[str, Form] = {
    "account/": lambda w: ("/account/", {"name": too_long("name", 150)}),
    "account/tokens/": lambda w: ("/account/tokens/", {"name": too_long("token", 100)}),
    "p/new/": lambda w: ("/p/new/", {"name": "", "team": typed("team"), "role": "pm"}),
    "p/import/": lambda w: ("/p/import/", {}),
    "p/<int:pid>/settings/": lambda w: (
        f"/p/{w.p}/settings/",
        {
            "name": "",
            "team": typed("team"),
            "timezone": "Europe/Berlin",
            "one_on_one_days": "7",
            "retro_days": "21",
            "health_check_days": "45",
        },
    ),
    "p/<int:pid>/invitations/": lambda w: (f"/p/{w.p}/invitations/", {"email": typed("email"), "role": "pm"}),
    "p/<int:pid>/assess/template/dimensions/new/": lambda w: (
        f"/p/{w.p}/assess/template/dimensions/new/",
        {"new-title": "", "new-description": typed("description")},
    ),
    "p/<int:pid>/assess/template/dimensions/<int:dimension_id>/": lambda w: (
        f"/p/{w.p}/assess/template/dimensions/{w.dimension}/",
        {f"d{w.dimension}-title": "", f"d{w.dimension}-description": typed("description")},
    ),
    "p/<int:pid>/assess/<int:hid>/answer/": lambda w: (
        f"/p/{w.p}/assess/{w.check}/answer/",
        {f"today-{w.key}": "9", f"note-{w.key}": typed("note")},
    ),
    "p/<int:pid>/assess/<int:hid>/draft/": lambda w: (
        f"/p/{w.p}/assess/{w.check}/draft/",
        {f"today-{w.key}": "9", f"note-{w.key}": typed("note")},
    ),
    "p/<int:pid>/design/propose/": lambda w: (
        f"/p/{w.p}/design/propose/",
        {"purpose": too_long("purpose", 8000), "values": typed("values"), "rationale": typed("rationale")},
    ),
    "p/<int:pid>/design/measures/new/": lambda w: (
        f"/p/{w.p}/design/measures/new/",
        {"name": "", "method": typed("method"), "target": "12", "direction": "up", "unit": "pts"},
    ),
    "p/<int:pid>/design/measures/<int:mid>/": lambda w: (
        f"/p/{w.p}/design/measures/{w.measure}/",
        {"value": typed("value"), "taken_on": "2026-11-30", "note": typed("note")},
    ),
    "p/<int:pid>/iterate/plan/": lambda w: (
        f"/p/{w.p}/iterate/plan/",
        {"kind": "retro", "scheduled_for": typed("when")},
    ),
    "p/<int:pid>/iterate/format/": lambda w: (
        f"/p/{w.p}/iterate/format/",
        {"going_well": "", "frustrating": typed("second"), "try_next": typed("third"), "votes_per_person": "4"},
    ),
    "p/<int:pid>/iterate/meetings/<int:mid>/notes/": lambda w: (
        f"/p/{w.p}/iterate/meetings/{w.one_on_one}/notes/",
        {"notes": too_long("notes", 20000), "notes_revision": "0"},
    ),
    "p/<int:pid>/iterate/meetings/<int:mid>/reschedule/": lambda w: (
        f"/p/{w.p}/iterate/meetings/{w.one_on_one}/reschedule/",
        {"scheduled_for": typed("when")},
    ),
    "p/<int:pid>/iterate/meetings/<int:mid>/agenda-items/new/": lambda w: (
        f"/p/{w.p}/iterate/meetings/{w.one_on_one}/agenda-items/new/",
        {"text": too_long("point", 500)},
    ),
    "p/<int:pid>/iterate/meetings/<int:mid>/cards/new/": lambda w: (
        f"/p/{w.p}/iterate/meetings/{w.retro}/cards/new/",
        {"column": "frustrating", "text": too_long("card", 500)},
    ),
    "p/<int:pid>/iterate/meetings/<int:mid>/groups/<int:gid>/rename/": lambda w: (
        f"/p/{w.p}/iterate/meetings/{w.retro}/groups/{w.group}/rename/",
        {"title": too_long("group", 200)},
    ),
    "p/<int:pid>/iterate/actions/new/": lambda w: (
        f"/p/{w.p}/iterate/actions/new/",
        {"text": too_long("action", 500), "due_on": "2026-12-30", "meeting": str(w.one_on_one)},
    ),
    "p/<int:pid>/iterate/experiments/": lambda w: (
        f"/p/{w.p}/iterate/experiments/",
        {"title": "", "hypothesis": typed("hypothesis"), "success_signal": typed("signal")},
    ),
    "p/<int:pid>/iterate/experiments/<int:eid>/": lambda w: (
        f"/p/{w.p}/iterate/experiments/{w.experiment}/",
        {"status": "", "outcome": typed("outcome")},
    ),
    "p/<int:pid>/tensions/": lambda w: (f"/p/{w.p}/tensions/", {"topic": "", "free_tags": typed("tags")}),
    "p/<int:pid>/tensions/<int:tid>/perspective/": lambda w: (
        f"/p/{w.p}/tensions/{w.unrevealed}/perspective/",
        {"important_to_me": "", "why": typed("why"), "partner_priority_guess": typed("guess")},
    ),
    "p/<int:pid>/tensions/<int:tid>/amendments/new/": lambda w: (
        f"/p/{w.p}/tensions/{w.tension}/amendments/new/",
        {"text": too_long("amendment", 2000)},
    ),
    "p/<int:pid>/tensions/<int:tid>/resolve/": lambda w: (
        f"/p/{w.p}/tensions/{w.tension}/resolve/",
        {"resolution": too_long("resolution", 4000)},
    ),
    "p/<int:pid>/journal/": lambda w: (
        f"/p/{w.p}/journal/",
        {"text": too_long("entry", 4000), "visibility": "shared"},
    ),
    "p/<int:pid>/journal/<int:jid>/edit/": lambda w: (
        f"/p/{w.p}/journal/{w.journal}/edit/",
        {f"e{w.journal}-text": too_long("entry", 4000)},
    ),
    "p/<int:pid>/align/objectives/new/": lambda w: (
        f"/p/{w.p}/align/objectives/new/",
        {"title": "", "why": typed("why"), "starts_on": "2026-06-10", "ends_on": "2026-06-01"},
    ),
    "p/<int:pid>/align/objectives/<int:oid>/key-results/new/": lambda w: (
        f"/p/{w.p}/align/objectives/{w.objective}/key-results/new/",
        {"kr-name": "", "kr-baseline": "3", "kr-target": "17", "kr-unit": "Typed-7391"},
    ),
    "p/<int:pid>/align/key-results/<int:kid>/readings/new/": lambda w: (
        f"/p/{w.p}/align/key-results/{w.key_result}/readings/new/",
        {f"r{w.key_result}-value": typed("value"), f"r{w.key_result}-taken_on": "2026-11-30"},
    ),
    "p/<int:pid>/align/decisions/new/": lambda w: (
        f"/p/{w.p}/align/decisions/new/",
        {
            "kind": "decision",
            "title": "",
            "context": typed("context"),
            "options": typed("options"),
            "evidence": typed("evidence"),
            "outcome": typed("outcome"),
        },
    ),
    "p/<int:pid>/align/decisions/<int:did>/object/": lambda w: (
        f"/p/{w.p}/align/decisions/{w.decision}/object/",
        {"reason": too_long("reason", 2000)},
    ),
    "orgs/": lambda w: ("/orgs/", {"name": too_long("org", 120)}),
    "orgs/<int:oid>/invite/": lambda w: (f"/orgs/{w.org}/invite/", {"email": typed("email"), "role": "admin"}),
    "orgs/<int:oid>/templates/": lambda w: (
        f"/orgs/{w.org}/templates/",
        {"name": "", "dimensions": typed("dimensions")},
    ),
    "orgs/<int:oid>/access-invitations/": lambda w: (f"/orgs/{w.org}/access-invitations/", {"email": typed("email")}),
}

# Buttons and choices: a click, nothing typed that a refusal could lose (refusals say why above
# the page they return to).
ACTIONS = {
    "account/tokens/<int:token_id>/revoke/",
    "account/calendar/regenerate/",
    "p/<int:pid>/team-page/regenerate/",
    "p/<int:pid>/invitations/<int:invitation_id>/revoke/",
    "p/<int:pid>/leave/",
    "p/import/create/",
    "invite/<str:token>/",
    "p/<int:pid>/assess/start/",
    "p/<int:pid>/assess/template/dimensions/<int:dimension_id>/up/",
    "p/<int:pid>/assess/template/dimensions/<int:dimension_id>/down/",
    "p/<int:pid>/assess/template/dimensions/<int:dimension_id>/retire/",
    "p/<int:pid>/assess/template/dimensions/<int:dimension_id>/restore/",
    "p/<int:pid>/assess/<int:hid>/close/",
    "p/<int:pid>/design/cadence/",
    "p/<int:pid>/design/revisions/<int:rid>/ratify/",
    "p/<int:pid>/design/revisions/<int:rid>/withdraw/",
    "p/<int:pid>/iterate/meetings/<int:mid>/cancel/",
    "p/<int:pid>/iterate/meetings/<int:mid>/complete/",
    "p/<int:pid>/iterate/meetings/<int:mid>/agenda-items/<int:item_id>/discussed/",
    "p/<int:pid>/iterate/meetings/<int:mid>/agenda-items/<int:item_id>/up/",
    "p/<int:pid>/iterate/meetings/<int:mid>/agenda-items/<int:item_id>/down/",
    "p/<int:pid>/iterate/meetings/<int:mid>/agenda-items/<int:item_id>/delete/",
    "p/<int:pid>/iterate/meetings/<int:mid>/reveal/",
    "p/<int:pid>/iterate/meetings/<int:mid>/phase/",
    "p/<int:pid>/iterate/meetings/<int:mid>/cards/<int:cid>/group/",
    "p/<int:pid>/iterate/meetings/<int:mid>/cards/<int:cid>/ungroup/",
    "p/<int:pid>/iterate/meetings/<int:mid>/cards/<int:cid>/votes/new/",
    "p/<int:pid>/iterate/meetings/<int:mid>/cards/<int:cid>/votes/remove/",
    "p/<int:pid>/iterate/meetings/<int:mid>/cards/<int:cid>/delete/",
    "p/<int:pid>/iterate/actions/<int:aid>/toggle/",
    "p/<int:pid>/iterate/experiments/<int:eid>/charter/",
    "p/<int:pid>/tensions/<int:tid>/reveal/",
    "p/<int:pid>/tensions/<int:tid>/reads/",
    "p/<int:pid>/tensions/<int:tid>/resolution/agree/",
    "p/<int:pid>/journal/<int:jid>/share/",
    "p/<int:pid>/journal/<int:jid>/private/",
    "p/<int:pid>/journal/<int:jid>/delete/",
    "p/<int:pid>/journal/<int:jid>/bring/one-on-one/",
    "p/<int:pid>/journal/<int:jid>/bring/retro/",
    "p/<int:pid>/align/objectives/<int:oid>/archive/",
    "p/<int:pid>/align/objectives/<int:oid>/restore/",
    "p/<int:pid>/align/decisions/<int:did>/sign/",
    "p/<int:pid>/align/decisions/<int:did>/triage/",
    "p/<int:pid>/align/team-page/publish/",
    "p/<int:pid>/align/team-page/unpublish/",
    "p/<int:pid>/align/team-page/regenerate/",
    "org-invite/<str:token>/",
    "p/<int:pid>/coach-access/grant/",
    "p/<int:pid>/coach-access/answer/",
    "p/<int:pid>/coach-access/revoke/",
    "p/<int:pid>/coach-access/templates/adopt/",
}

# Pages that only show (their forms post elsewhere).
READS = {
    "",
    "p/import/preview/",
    "healthz",
    "p/<int:pid>/",
    "p/<int:pid>/handover/",
    "p/<int:pid>/review/",
    "p/<int:pid>/health.csv",
    "p/<int:pid>/export.json",
    "p/<int:pid>/assess/",
    "p/<int:pid>/assess/template/",
    "p/<int:pid>/assess/<int:hid>/",
    "p/<int:pid>/assess/<int:hid>/live/",
    "p/<int:pid>/design/",
    "p/<int:pid>/design/history/",
    "p/<int:pid>/design/compare/",
    "p/<int:pid>/design/revisions/<int:rid>/",
    "p/<int:pid>/iterate/",
    "p/<int:pid>/iterate/meetings/<int:mid>/",
    "p/<int:pid>/iterate/meetings/<int:mid>/live/",
    "p/<int:pid>/iterate/meetings/<int:mid>/one-on-one/live/",
    "p/<int:pid>/align/decisions/<int:did>/live/",
    "p/<int:pid>/design/revisions/<int:rid>/live/",
    "p/<int:pid>/tensions/<int:tid>/live/",
    "p/<int:pid>/iterate/actions/",
    "p/<int:pid>/tensions/<int:tid>/",
    "p/<int:pid>/align/",
    "p/<int:pid>/align/objectives/<int:oid>/",
    "p/<int:pid>/align/decisions/",
    "p/<int:pid>/align/decisions/<int:did>/",
    "team/<str:token>/",
    "orgs/<int:oid>/",
    "orgs/<int:oid>/partnerships/<int:pid>/",
    "p/<int:pid>/coach-access/",
}


@pytest.fixture
def world(alice: User, bob: User, partnership: Partnership) -> World:
    return World(alice, bob, partnership)


def test_it_knows_every_route_as_a_form_an_action_or_a_read():
    routes = set(page_routes())
    kinds = [set(FORMS), ACTIONS, READS]
    assert not (kinds[0] & kinds[1] or kinds[0] & kinds[2] or kinds[1] & kinds[2])
    unknown = routes - set().union(*kinds)
    assert not unknown, f"say whether these are forms, actions or reads: {sorted(unknown)}"
    assert set().union(*kinds) - routes == set(), "these routes are gone"


def _typed_values(data: dict[str, str]) -> list[str]:
    return [value for value in data.values() if value]


@pytest.mark.parametrize("route", sorted(FORMS))
def test_it_brings_back_every_value_typed_and_saves_nothing(client: Client, alice: User, world: World, route: str):
    path, data = FORMS[route](world)
    login(client, alice)
    with unchanged():
        response = client.post(path, data)
    assert response.status_code == 200, (path, response.status_code, response.get("Location"))
    html = response.content.decode()
    for value in _typed_values(data):
        assert value in html, (path, value[:40])
    assert 'class="errorlist' in html, path  # and says what is wrong
    assert 'aria-invalid="true"' in html, path  # beside the field it is about, tied to it


@pytest.mark.parametrize("route", sorted(FORMS))
def test_it_answers_htmx_with_the_form_refused_and_saves_nothing(client: Client, alice: User, world: World, route: str):
    """A 200 with the form and its message, swapped in like any answer (a 4xx would be a failed
    load in the browser's console), and the refusal's 422 in its header."""
    path, data = FORMS[route](world)
    login(client, alice)
    with unchanged():
        response = client.post(path, data, headers={"HX-Request": "true"})
    assert (response.status_code, response.get(REFUSED_HEADER)) == (200, "422"), (path, response.status_code)
    assert 'class="errorlist' in response.content.decode(), path


@pytest.mark.parametrize("route", sorted(FORMS))
def test_it_opens_a_forms_address_again_as_its_page_not_an_error(client: Client, alice: User, world: World, route: str):
    """After a refused form is drawn again its action's address stays in the address bar; opening
    it again (a reload after leaving, a bookmark) leads to the page, never to a 405."""
    path, _ = FORMS[route](world)
    login(client, alice)
    response = client.get(path, follow=True)
    assert response.status_code == 200, (path, response.status_code)
