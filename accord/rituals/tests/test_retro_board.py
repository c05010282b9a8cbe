"""The retro board: a card is turned into one action item or one experiment, once, and shows what it
became; cards with the same text are told apart; a card dropped onto a grouped card joins its group;
the words follow the retro's state."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils.timezone import now

from accord.conftest import login, unchanged
from accord.lib.errors import Conflict
from accord.rituals.models import ActionItem, Card, CardGroup, Meeting
from accord.rituals.services import (
    action_item_create,
    card_add,
    card_group,
    card_group_rename,
    card_ungroup,
    experiment_create,
    meeting_complete,
    meeting_create,
    meeting_phase_set,
    meeting_reveal,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def retro(partnership, alice):
    return meeting_create(partnership=partnership, user=alice, kind="retro", scheduled_for=now() + timedelta(days=1))


def page(partnership, retro, suffix=""):
    return f"/p/{partnership.pk}/iterate/meetings/{retro.pk}/{suffix}"


def experiment_from(partnership, user, card):
    return experiment_create(
        partnership=partnership, user=user, title="Demo on Fridays", hypothesis="Less drift",
        success_signal="No surprise in review", card_id=card.pk,
    )  # fmt: skip


class TestOnceOnly:
    def test_the_service_refuses_a_second_conversion_either_way(self, partnership, alice, bob, retro):
        card = card_add(meeting=retro, user=alice, column="try_next", text="Demo on Fridays")
        meeting_reveal(meeting=retro)
        item = action_item_create(
            partnership=partnership, user=bob, text="Book Fridays", owner_id=bob.pk, card_id=card.pk
        )
        with unchanged(), pytest.raises(Conflict, match="already the action item “Book Fridays”"):
            action_item_create(partnership=partnership, user=alice, text="Again", owner_id=alice.pk, card_id=card.pk)
        with unchanged(), pytest.raises(Conflict, match="already the action item “Book Fridays”"):
            experiment_from(partnership, alice, card)
        other = card_add(meeting=retro, user=bob, column="try_next", text="Pre-reads")
        experiment_from(partnership, bob, other)
        with unchanged(), pytest.raises(Conflict, match="already the experiment “Demo on Fridays”"):
            action_item_create(partnership=partnership, user=alice, text="Again", owner_id=alice.pk, card_id=other.pk)
        assert list(ActionItem.objects.filter(card=card)) == [item]
        # Without a card, as many as you like.
        action_item_create(partnership=partnership, user=alice, text="Unrelated", owner_id=alice.pk)

    def test_the_api_answers_409(self, api_client, partnership, alice, retro):
        card = card_add(meeting=retro, user=alice, column="try_next", text="Demo on Fridays")
        meeting_reveal(meeting=retro)
        client = api_client(alice)
        body = {"text": "Book Fridays", "owner_id": alice.pk, "card_id": card.pk}
        url = f"/api/v1/partnerships/{partnership.pk}/action-items"
        assert client.post(url, body, content_type="application/json").status_code == 201
        with unchanged():
            again = client.post(url, body, content_type="application/json")
            exp = client.post(
                f"/api/v1/partnerships/{partnership.pk}/experiments",
                {"title": "x", "hypothesis": "y", "success_signal": "z", "card_id": card.pk},
                content_type="application/json",
            )
        assert again.status_code == exp.status_code == 409
        assert "already the action item" in again.json()["detail"]

    def test_the_board_shows_the_link_instead_of_the_button(self, client, partnership, alice, bob, retro):
        card = card_add(meeting=retro, user=alice, column="try_next", text="Demo on Fridays")
        loose = card_add(meeting=retro, user=bob, column="frustrating", text="Late agendas")
        meeting_phase_set(meeting=retro, phase="decide")
        login(client, bob)
        before = client.get(page(partnership, retro)).content.decode()
        assert before.count("Make it an action item") == 2 and "Start an experiment" in before
        experiment = experiment_from(partnership, alice, card)
        after = client.get(page(partnership, retro)).content.decode()
        topic = after[after.index(f'id="topic-{card.pk}"') : after.index(f'id="topic-{loose.pk}"')]
        link = f"/p/{partnership.pk}/iterate/experiments/{experiment.pk}/"
        assert f'Became the experiment <a href="{link}">Demo on Fridays</a>' in topic
        assert "Make it an action item" not in topic and "Start an experiment" not in topic
        assert after.count("Make it an action item") == 1  # the other card still can

    def test_a_second_post_from_the_page_is_refused_with_the_reason(self, client, partnership, alice, bob, retro):
        card = card_add(meeting=retro, user=alice, column="going_well", text="Pairing on specs")
        meeting_phase_set(meeting=retro, phase="decide")
        login(client, bob)
        form = {"text": "Keep pairing", "owner_id": bob.pk, "meeting": retro.pk, "card": card.pk,
                "next": page(partnership, retro)}  # fmt: skip
        client.post(f"/p/{partnership.pk}/iterate/actions/new/", form)
        item = ActionItem.objects.get()
        html = client.get(page(partnership, retro)).content.decode()
        assert f'Became the action item <a href="#action-{item.pk}">Keep pairing</a>' in html
        assert f'id="action-{item.pk}"' in html  # where the link leads, on the same page
        with unchanged():
            refused = client.post(f"/p/{partnership.pk}/iterate/actions/new/", {**form, "text": "Twice"})
        assert "This card is already the action item “Keep pairing”." in refused.content.decode()
        assert ActionItem.objects.count() == 1

    def test_the_live_board_changes_version_when_a_card_is_converted(self, client, partnership, alice, bob, retro):
        card = card_add(meeting=retro, user=alice, column="going_well", text="Pairing on specs")
        meeting_phase_set(meeting=retro, phase="decide")
        login(client, bob)
        html = client.get(page(partnership, retro, "live/")).content.decode()
        version = html.split("?v=", 1)[1].split('"', 1)[0]
        assert client.get(page(partnership, retro, f"live/?v={version}")).status_code == 204
        action_item_create(partnership=partnership, user=alice, text="Keep pairing", owner_id=alice.pk, card_id=card.pk)
        fresh = client.get(page(partnership, retro, f"live/?v={version}"))
        assert fresh.status_code == 200 and "Became the action item" in fresh.content.decode()


class TestIdenticalTexts:
    def test_numbered_with_column_and_author_after_the_reveal_only(self, client, partnership, alice, bob, retro):
        mine = card_add(meeting=retro, user=alice, column="frustrating", text="Too many status meetings")
        theirs = card_add(meeting=retro, user=bob, column="frustrating", text="Too many status meetings")
        login(client, alice)
        blind = client.get(page(partnership, retro)).content.decode()
        assert f'id="card-{mine.pk}"' in blind and f'id="card-{theirs.pk}"' not in blind  # Bob's is not there
        assert 'class="card-number"' not in blind  # a number would tell how many cards Bob wrote
        meeting_phase_set(meeting=retro, phase="group")
        html = client.get(page(partnership, retro)).content.decode()
        first = html[html.index(f'id="card-{mine.pk}"') : html.index(f'id="card-{theirs.pk}"')]
        second = html[html.index(f'id="card-{theirs.pk}"') :]
        assert '<span class="card-number">#1</span> · You' in first
        assert '<span class="card-number">#2</span> · Bob' in second
        # The keyboard's "Group with" tells them apart too: number and column.
        assert f'<option value="{theirs.pk}">#2 Frustrating: Too many status meetings</option>' in first
        assert f'<option value="{mine.pk}">#1 Frustrating: Too many status meetings</option>' in second


class TestGroupingByDrop:
    def test_a_card_dropped_onto_a_grouped_card_joins_its_group(self, client, partnership, alice, bob, retro):
        a = card_add(meeting=retro, user=alice, column="frustrating", text="Late agendas")
        b = card_add(meeting=retro, user=bob, column="frustrating", text="Agendas arrive late")
        c = card_add(meeting=retro, user=bob, column="try_next", text="Agenda the day before")
        d = card_add(meeting=retro, user=alice, column="going_well", text="Pairing")
        retro = meeting_phase_set(meeting=retro, phase="group")
        first = card_group(meeting=retro, card_ids=[a.pk, b.pk], title="Agendas")
        second = card_group(meeting=retro, card_ids=[c.pk, d.pk])
        assert second.title == "Agenda the day before"  # named after the card dropped onto
        login(client, alice)
        # c (in the second group) is dropped onto b: it joins "Agendas", and d, left alone, is loose again.
        client.post(page(partnership, retro, f"cards/{c.pk}/group/"), {"target": b.pk})
        c.refresh_from_db()
        d.refresh_from_db()
        assert c.group_id == first.pk and d.group_id is None
        assert list(CardGroup.objects.filter(meeting=retro)) == [first]
        html = client.get(page(partnership, retro)).content.decode()
        group = html[html.index(f'id="retro-group-{first.pk}"') : html.index('class="board"')]
        for card in (a, b, c):
            assert f'id="card-{card.pk}"' in group
        assert f'id="card-{d.pk}"' not in group
        assert "data-retro-drop" in html and 'value="Agendas"' in group

    def test_a_held_retro_keeps_its_groups_as_they_were(self, api_client, partnership, alice, bob, retro):
        a = card_add(meeting=retro, user=alice, column="frustrating", text="Late agendas")
        b = card_add(meeting=retro, user=bob, column="frustrating", text="Agendas arrive late")
        c = card_add(meeting=retro, user=bob, column="try_next", text="Agenda the day before")
        retro = meeting_phase_set(meeting=retro, phase="group")
        group = card_group(meeting=retro, card_ids=[a.pk, b.pk], title="Agendas")
        meeting_complete(meeting=retro, user=alice)
        retro, group = Meeting.objects.get(pk=retro.pk), CardGroup.objects.get(pk=group.pk)
        a, c = Card.objects.get(pk=a.pk), Card.objects.get(pk=c.pk)
        with unchanged():
            for write in (
                lambda: card_group(meeting=retro, card_ids=[a.pk, c.pk]),
                lambda: card_ungroup(card=a),
                lambda: card_group_rename(group=group, title="Renamed"),
            ):
                with pytest.raises(Conflict, match="over"):
                    write()
        answer = api_client(alice).post(
            f"/api/v1/meetings/{retro.pk}/groups", {"card_ids": [a.pk, c.pk]}, "application/json"
        )
        assert answer.status_code == 409
        group.refresh_from_db()
        assert group.title == "Agendas" and set(group.cards.values_list("pk", flat=True)) == {a.pk, b.pk}


class TestWords:
    def test_a_held_retro_does_not_ask_for_votes(self, client, partnership, alice, bob, retro):
        card_add(meeting=retro, user=alice, column="frustrating", text="Late agendas")
        meeting_phase_set(meeting=retro, phase="vote")
        meeting_complete(meeting=retro, user=alice)
        html = login(client, bob).get(page(partnership, retro)).content.decode()
        assert "Held: the board as you left it." in html
        assert "votes left" not in html and "data-retro-drop" not in html and "retro.js" not in html

    def test_the_badge_follows_the_reveal_on_the_live_board(self, client, partnership, alice, retro):
        login(client, alice)
        meeting_reveal(meeting=retro)
        live = client.get(page(partnership, retro, "live/?v=stale"), headers={"HX-Request": "true"}).content.decode()
        assert 'id="retro-badge" data-hx-swap-oob="true" class="badge status-exp-running">In progress<' in live


def test_a_board_with_groups_has_no_id_twice(client, partnership, alice, bob, retro):
    """Morphing matches elements by id: an id used twice (a group's and a card's "Group with" box
    once shared one) made a regrouped card vanish from the board until a reload."""
    first = card_add(meeting=retro, user=alice, column="going_well", text="We pair on specs")
    second = card_add(meeting=retro, user=bob, column="try_next", text="Demo on Fridays")
    card_add(meeting=retro, user=bob, column="frustrating", text="Too many meetings")
    retro = meeting_phase_set(meeting=retro, phase="group")
    card_group(meeting=retro, card_ids=[first.pk, second.pk])
    html = login(client, alice).get(page(partnership, retro)).content.decode()
    assert 'class="retro-group"' in html
    ids = re.findall(r'\sid="([^"]+)"', html)
    assert sorted({i for i in ids if ids.count(i) > 1}) == []
