"""The Overview's guidance: the start-here path ticks off from the data, then the one next action."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils.timezone import now

from accord.assessments.services import RatingInput, healthcheck_open, healthcheck_respond
from accord.charters.services import charter_propose, charter_revision_ratify
from accord.charters.starter import STARTER_RATIONALE, starter_content
from accord.conftest import login
from accord.insights.facts import facts_for
from accord.insights.guide import guide_get
from accord.insights.selectors import nudge_list
from accord.partnerships.services import partnership_create
from accord.rituals.models import Meeting
from accord.rituals.services import experiment_create, meeting_create

pytestmark = pytest.mark.django_db
SECRET_NOTE = "bob-private-note-about-trust"


def answer(check, user, today=3, note=""):
    keys = [d.key for d in check.dimensions.all()]
    healthcheck_respond(check=check, user=user, ratings=[RatingInput(k, today, 4, note=note) for k in keys])


def steps(guide):
    return {s.key: s.done for s in guide.steps}


def walk_the_path(partnership, alice, bob):
    """Every step of the path, done as a pair would."""
    check = healthcheck_open(partnership=partnership, user=alice)
    answer(check, alice)
    answer(check, bob)
    revision = charter_propose(
        partnership=partnership,
        user=alice,
        base=None,
        content=starter_content(partnership),
        rationale=STARTER_RATIONALE,
    )
    charter_revision_ratify(revision=revision, user=bob)
    charter_revision_ratify(revision=revision, user=alice)
    for kind in ("one_on_one", "retro"):
        meeting_create(partnership=partnership, user=alice, kind=kind, scheduled_for=now() + timedelta(days=2))
    experiment_create(
        partnership=partnership,
        user=bob,
        title="Async Friday update",
        hypothesis="A written update cuts surprise escalations.",
        success_signal="No escalation we did not see coming in a month.",
    )


def test_before_the_partner_joins_it_guides_to_the_invitation(client, alice, clock):
    partnership = partnership_create(user=alice, name="Solo leads", team="", role="EM")
    guide = guide_get(partnership=partnership, user=alice)
    assert not guide.partner_joined and guide.current.key == "invite"
    assert guide.current.action.url == "#invite-heading"
    assert guide.steps[1].action is None  # no health check before there is someone to compare with
    html = login(client, alice).get(f"/p/{partnership.pk}/").content.decode()
    assert "Start here" in html and 'href="#invite-heading"' in html
    assert "Start the first health check" not in html


def test_the_steps_tick_off_from_the_data(partnership, alice, bob):
    guide = guide_get(partnership=partnership, user=alice)
    assert steps(guide) == dict.fromkeys(("invite",), True) | dict.fromkeys(
        ("health-check", "charter", "rhythm", "experiment"), False
    )
    start = guide.current.action
    assert guide.current.key == "health-check" and start.post and start.url == f"/p/{partnership.pk}/assess/start/"
    meeting_create(partnership=partnership, user=alice, kind="retro", scheduled_for=now() + timedelta(days=3))
    rhythm = next(s for s in guide_get(partnership=partnership, user=alice).steps if s.key == "rhythm")
    assert not rhythm.done and rhythm.status == "Not planned yet: your 1:1."
    walk_the_path(partnership, alice, bob)
    guide = guide_get(partnership=partnership, user=bob)
    assert guide.path_done and guide.done_count == 5 and guide.next_action is not None


def test_a_partner_sees_that_the_other_answered_never_what(client, partnership, alice, bob):
    check = healthcheck_open(partnership=partnership, user=alice)
    answer(check, bob, today=1, note=SECRET_NOTE)
    html = login(client, alice).get(f"/p/{partnership.pk}/").content.decode()
    assert f"Bob Okafor answered health check #{check.number}: your turn." in html
    assert f'href="/p/{partnership.pk}/assess/{check.pk}/"' in html
    assert SECRET_NOTE not in html
    bob_guide = guide_get(partnership=partnership, user=bob)
    assert bob_guide.current.status == f"You answered health check #{check.number}; waiting for Alice Martin."
    assert bob_guide.waiting is None


def test_once_the_path_is_done_the_next_action_comes_from_the_nudges(client, partnership, alice, bob, clock):
    walk_the_path(partnership, alice, bob)
    guide = guide_get(partnership=partnership, user=alice)
    assert guide.next_action.message.startswith("Nothing is waiting. Your next 1:1 is on ")
    # The planned sessions pass, unheld: the retro is the nudge, said with how late it is.
    Meeting.objects.filter(partnership=partnership).update(status="held", held_at=now())
    clock.shift(timedelta(days=partnership.retro_days + 12))
    action = guide_get(partnership=partnership, user=alice).next_action
    assert action.message.startswith("Your health check is overdue") or "retro is overdue by" in action.message
    html = login(client, alice).get(f"/p/{partnership.pk}/").content.decode()
    assert action.message in html and "Start here" not in html


def test_a_late_retro_is_said_in_days(partnership, alice, bob, clock):
    walk_the_path(partnership, alice, bob)
    Meeting.objects.filter(partnership=partnership).update(status="held", held_at=now())
    clock.shift(timedelta(days=partnership.retro_days + 20))
    retro = next(n for n in nudge_list(facts_for(partnership)) if n.kind == "retro_overdue")
    late = re.fullmatch(r"Your partnership retro is overdue by (\d+) days\.", retro.message)
    assert late is not None and 12 <= int(late[1]) <= 20


def test_a_later_check_waiting_for_you_is_the_next_action(client, partnership, alice, bob):
    walk_the_path(partnership, alice, bob)
    second = healthcheck_open(partnership=partnership, user=bob)
    answer(second, bob)
    guide = guide_get(partnership=partnership, user=alice)
    assert guide.next_action == guide.waiting
    assert guide.waiting.message == f"Bob Okafor answered health check #{second.number}: your turn."
    html = login(client, alice).get(f"/p/{partnership.pk}/").content.decode()
    assert f"Answer health check #{second.number}" in html
