"""Every kind of nudge has its words for the partners, its name for a coach and its place, put
together when read from the kind and the figures (accord.insights.selectors.Nudge)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils.timezone import now

from accord.insights.facts import Facts
from accord.insights.selectors import ACTIONS, nudge_list
from accord.partnerships.models import Partnership

pytestmark = pytest.mark.django_db


def test_every_kind_of_nudge_has_its_words_name_and_place(partnership: Partnership) -> None:
    late = Facts(
        partnership,
        last_check_opened=now() - timedelta(days=200),
        last_retro=now() - timedelta(days=90),
        widened=[("Trust and candour", 1.0, 2.5), ("Our own thing", 0.5, 2.0)],
        overdue_items=2,
        experiments_past_review=1,
        charter_waiting=1,
        decisions_waiting=3,
        members=2,
    )
    waiting = Facts(
        partnership, open_check=True, open_check_since=now() - timedelta(days=9), open_check_answered=1, members=2
    )
    nudges = nudge_list(late, public_titles={"Trust and candour"}) + nudge_list(waiting)
    assert {n.kind for n in nudges} == set(ACTIONS)
    for n in nudges:
        assert n.message and n.name and n.action
        assert n.url.startswith(f"/p/{partnership.pk}/") and n.place[1] == partnership.pk
    words = {(n.message, n.name) for n in nudges}
    assert ("3 decisions are waiting for sign-off.", "3 decisions awaiting sign-off") in words
    assert ("1 experiment is past the review date.", "1 experiment past review date") in words
    assert ("2 action items are past due.", "2 action items overdue") in words
    names = [n.name for n in nudges]
    assert "Perception gap widened on “Trust and candour”, 1 → 2.5" in names
    assert "Perception gap widened on one of their own dimensions, 0.5 → 2" in names  # its title stays theirs
    assert "Health check open 9 days, 1 of 2 answered" in names
    assert any(m.startswith("Your health check has been open 9 days: 1 of 2 of you answered") for m, _ in words)
