"""Domain rules under any sequence of actions (Hypothesis): blind until reveal, agreed exactly when
every member's last word is a signature (an objection holds it open), and no undiscussed talking
point lost when a 1:1 ends."""

from __future__ import annotations

import itertools
from datetime import timedelta

import pytest
from django.utils.timezone import now
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accord.accounts.models import User
from accord.alignment.models import Decision
from accord.alignment.services import DecisionContent, decision_create, decision_object, decision_sign
from accord.conftest import make_user
from accord.lib.errors import Conflict
from accord.partnerships.models import Partnership, Role
from accord.partnerships.services import invitation_accept, invitation_create, partnership_create
from accord.rituals.models import AgendaItem
from accord.rituals.selectors import meeting_view
from accord.rituals.services import (
    agenda_item_add,
    agenda_item_update,
    card_add,
    meeting_complete,
    meeting_create,
    meeting_reveal,
)

RUNS = itertools.count()
SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
texts = st.text(min_size=1, max_size=30).filter(lambda t: t.strip() and "\x00" not in t)


def team(members: int) -> tuple[Partnership, list[User]]:
    run = next(RUNS)
    users = [make_user(f"m{i}-{run}@example.org", f"Member {i}") for i in range(members)]
    partnership = partnership_create(user=users[0], name=f"P{run}", role=Role.EM)
    for user in users[1:]:
        token = invitation_create(partnership=partnership, invited_by=users[0], role=Role.PM).token
        invitation_accept(token=token, user=user)
    return partnership, users


@pytest.mark.django_db
@SETTINGS
@given(
    members=st.integers(min_value=2, max_value=4),
    cards=st.lists(st.tuples(st.integers(min_value=0, max_value=3), texts), max_size=12),
    reveal_after=st.integers(min_value=0, max_value=12),
)
def test_nobody_sees_anothers_card_before_the_reveal(members, cards, reveal_after):
    partnership, users = team(members)
    retro = meeting_create(partnership=partnership, user=users[0], kind="retro", scheduled_for=now())
    written: list[tuple[int, int]] = []  # (author id, card id)
    for n, (who, text) in enumerate(cards):
        if n == reveal_after:
            retro = meeting_reveal(meeting=retro)
        card = card_add(meeting=retro, user=users[who % members], column="going_well", text=text)
        assert card.author_id is not None
        written.append((card.author_id, card.pk))
    for user in users:
        seen = {c.card.pk for c in meeting_view(meeting=retro, user=user).cards}
        if retro.revealed:
            assert seen == {pk for _, pk in written}
        else:
            assert seen == {pk for author, pk in written if author == user.pk}


@pytest.mark.django_db
@SETTINGS
@given(
    members=st.integers(min_value=2, max_value=4),
    steps=st.lists(st.tuples(st.sampled_from(["sign", "object"]), st.integers(min_value=0, max_value=3)), max_size=10),
)
def test_a_decision_is_agreed_exactly_when_every_member_last_signed(members, steps):
    partnership, users = team(members)
    decision = decision_create(partnership=partnership, user=users[0], content=DecisionContent(title="Release train"))
    stance: dict[int, str] = {}  # each member's latest word: a signature or an objection
    for action, who in steps:
        user = users[who % members]
        try:
            if action == "sign":
                decision_sign(decision=decision, user=user)
            else:
                decision_object(decision=decision, user=user, reason="Not yet")
        except Conflict:
            decision.refresh_from_db()
            assert decision.status != Decision.Status.PROPOSED  # refused only once settled
            continue
        stance[user.pk] = action
        decision.refresh_from_db()
        everyone_signed = all(stance.get(u.pk) == "sign" for u in users)
        assert (decision.status == Decision.Status.AGREED) == everyone_signed, stance


@pytest.mark.django_db
@SETTINGS
@given(
    points=st.lists(st.tuples(texts, st.booleans()), max_size=8),
    existing=st.integers(min_value=0, max_value=3),
)
def test_undiscussed_talking_points_carry_over_and_discussed_ones_stay(points, existing):
    partnership, users = team(2)
    meeting = meeting_create(partnership=partnership, user=users[0], kind="one_on_one", scheduled_for=now())
    nxt = meeting_create(
        partnership=partnership, user=users[0], kind="one_on_one", scheduled_for=now() + timedelta(days=7)
    )
    for n in range(existing):
        agenda_item_add(meeting=nxt, user=users[1], text=f"already there {n}")
    added = []
    for text, discussed in points:
        item = agenda_item_add(meeting=meeting, user=users[0], text=text)
        if discussed:
            agenda_item_update(item=item, discussed=True)
        added.append((item.pk, discussed))
    meeting_complete(meeting=meeting, user=users[0])
    for pk, discussed in added:
        item = AgendaItem.objects.get(pk=pk)
        assert item.meeting_id == (meeting.pk if discussed else nxt.pk)
        assert item.carried_from_id == (None if discussed else meeting.pk)
    positions = list(nxt.agenda.order_by("position").values_list("position", flat=True))
    assert len(positions) == len(set(positions)) == existing + sum(1 for _, d in added if not d)
