"""Blind means blind, whoever joins or leaves: input given by a member who leaves before the reveal
reaches nobody, through any channel; input revealed while its author was a member stays."""

from __future__ import annotations

import json

import pytest

from accord.assessments.services import RatingInput, healthcheck_open, healthcheck_respond
from accord.conftest import join, login
from accord.insights.themes import occurrences
from accord.partnerships.services import membership_leave
from accord.rituals.services import card_add, meeting_create, meeting_reveal
from accord.tensions.models import Perspective
from accord.tensions.services import perspective_write, tension_raise, tension_reveal

pytestmark = pytest.mark.django_db

ALICE_SIDE = "ALICE-SIDE-kept-for-history"
BOB_SIDE = "BOB-SIDE-never-revealed"
CAROL_SIDE = "CAROL-SIDE-written-last"


@pytest.fixture
def trio(partnership, alice, bob, carol):
    join(partnership, alice, carol, "Design")
    return partnership


def everything_carol_can_read(client, api_client, partnership, carol) -> str:
    """Every channel a member reads partner text through, as one string."""
    api = api_client(carol)
    pid = partnership.pk
    parts = [api.get(f"/api/v1/partnerships/{pid}/{path}").content.decode() for path in ("export", "insights")]
    parts += [api.get(f"/api/v1/partnerships/{pid}/tensions").content.decode()]
    login(client, carol)
    parts += [client.get(path).content.decode() for path in (f"/p/{pid}/", f"/p/{pid}/tensions/", f"/p/{pid}/review/")]
    parts += [json.dumps([o.text for o in occurrences(partnership=partnership)])]
    return "\n".join(parts)


def test_a_side_written_by_someone_who_leaves_before_the_reveal_reaches_nobody(
    client, api_client, trio, alice, bob, carol
):
    tension = tension_raise(partnership=trio, user=alice, topic="Who owns the roadmap")
    perspective_write(tension=tension, user=alice, important_to_me=ALICE_SIDE)
    perspective_write(tension=tension, user=bob, important_to_me=BOB_SIDE)
    membership_leave(partnership=trio, user=bob)
    # Carol has not written: nothing of the others reaches her, through any channel.
    seen = everything_carol_can_read(client, api_client, trio, carol)
    assert ALICE_SIDE not in seen and BOB_SIDE not in seen
    # Carol writes last: the sides of the members of the day are revealed; Bob's never is.
    perspective_write(tension=tension, user=carol, important_to_me=CAROL_SIDE)
    seen = everything_carol_can_read(client, api_client, trio, carol)
    assert ALICE_SIDE in seen and BOB_SIDE not in seen
    assert not Perspective.objects.filter(author=bob).exists()
    page = login(client, carol).get(f"/p/{trio.pk}/tensions/{tension.pk}/").content.decode()
    assert ALICE_SIDE in page and CAROL_SIDE in page and BOB_SIDE not in page


def test_when_the_one_missing_leaves_the_others_reveal_by_hand(client, trio, alice, bob, carol):
    tension = tension_raise(partnership=trio, user=alice, topic="Scope")
    perspective_write(tension=tension, user=alice, important_to_me=ALICE_SIDE)
    perspective_write(tension=tension, user=carol, important_to_me=CAROL_SIDE)
    membership_leave(partnership=trio, user=bob)
    page = login(client, carol).get(f"/p/{trio.pk}/tensions/{tension.pk}/").content.decode()
    assert "Reveal the sides" in page and ALICE_SIDE not in page
    client.post(f"/p/{trio.pk}/tensions/{tension.pk}/reveal/")
    page = client.get(f"/p/{trio.pk}/tensions/{tension.pk}/").content.decode()
    assert ALICE_SIDE in page and CAROL_SIDE in page


def test_revealed_sides_stay_as_history_after_their_author_leaves(client, api_client, trio, alice, bob, carol):
    tension = tension_raise(partnership=trio, user=alice, topic="Hiring")
    for user, text in ((alice, ALICE_SIDE), (bob, "BOB-REVEALED"), (carol, CAROL_SIDE)):
        perspective_write(tension=tension, user=user, important_to_me=text)
    membership_leave(partnership=trio, user=bob)
    assert "BOB-REVEALED" in everything_carol_can_read(client, api_client, trio, carol)


def test_a_newcomer_never_reads_a_leavers_unrevealed_side(client, api_client, partnership, alice, bob, carol):
    tension = tension_raise(partnership=partnership, user=alice, topic="Budget")
    perspective_write(tension=tension, user=bob, important_to_me=BOB_SIDE)
    membership_leave(partnership=partnership, user=bob)
    join(partnership, alice, carol, "PM")
    perspective_write(tension=tension, user=alice, important_to_me=ALICE_SIDE)
    perspective_write(tension=tension, user=carol, important_to_me=CAROL_SIDE)
    seen = everything_carol_can_read(client, api_client, partnership, carol)
    assert ALICE_SIDE in seen and BOB_SIDE not in seen


def test_a_leavers_cards_and_answers_are_withdrawn_at_the_reveal(client, api_client, trio, alice, bob, carol, clock):
    retro = meeting_create(partnership=trio, user=alice, kind="retro", scheduled_for=clock.now())
    card_add(meeting=retro, user=bob, column="frustrating", text="BOB-CARD-never-revealed")
    card_add(meeting=retro, user=alice, column="frustrating", text="ALICE-CARD")
    check = healthcheck_open(partnership=trio, user=alice)
    ratings = [RatingInput(d.key, 2, 5, note="BOB-NOTE-never-revealed") for d in check.dimensions.all()]
    healthcheck_respond(check=check, user=bob, ratings=ratings)
    membership_leave(partnership=trio, user=bob)
    meeting_reveal(meeting=retro)
    for user in (alice, carol):
        healthcheck_respond(check=check, user=user, ratings=[RatingInput(r.dimension, 4, 5) for r in ratings])
    seen = everything_carol_can_read(client, api_client, trio, carol)
    seen += login(client, carol).get(f"/p/{trio.pk}/iterate/meetings/{retro.pk}/").content.decode()
    seen += client.get(f"/p/{trio.pk}/assess/{check.pk}/").content.decode()
    assert "ALICE-CARD" in seen
    assert "BOB-CARD" not in seen and "BOB-NOTE" not in seen
    check.refresh_from_db()
    assert check.score == 4.0  # Bob's 2s are not in the figures either


def test_revealing_by_hand_needs_every_side(trio, alice):
    tension = tension_raise(partnership=trio, user=alice, topic="x")
    perspective_write(tension=tension, user=alice, important_to_me="mine")
    from accord.lib.errors import Conflict

    with pytest.raises(Conflict):
        tension_reveal(tension=tension, user=alice)


def test_the_api_reveals_by_hand_too(api_client, trio, alice, bob, carol):
    tension = tension_raise(partnership=trio, user=alice, topic="Scope")
    api = api_client(carol)
    assert api.post(f"/api/v1/tensions/{tension.pk}/reveal").status_code == 409
    perspective_write(tension=tension, user=alice, important_to_me=ALICE_SIDE)
    perspective_write(tension=tension, user=carol, important_to_me=CAROL_SIDE)
    membership_leave(partnership=trio, user=bob)
    body = api.post(f"/api/v1/tensions/{tension.pk}/reveal").json()
    assert body["revealed"] and {p["important_to_me"] for p in body["perspectives"]} == {ALICE_SIDE, CAROL_SIDE}


def test_an_unrevealed_card_cannot_become_an_experiment_or_action(api_client, partnership, alice, clock):
    from accord.rituals.services import experiment_create

    retro = meeting_create(partnership=partnership, user=alice, kind="retro", scheduled_for=clock.now())
    card = card_add(meeting=retro, user=alice, column="try_next", text="ALICE-BLIND-IDEA")
    api = api_client(alice)
    for path, body in (
        ("experiments", {"title": "x", "hypothesis": "h", "success_signal": "s", "card_id": card.pk}),
        ("action-items", {"text": "x", "owner_id": alice.pk, "card_id": card.pk}),
    ):
        response = api.post(f"/api/v1/partnerships/{partnership.pk}/{path}", body, content_type="application/json")
        assert response.status_code == 422 and "card_id" in str(response.json()["detail"])
    meeting_reveal(meeting=retro)
    assert (
        experiment_create(
            hypothesis="Trying it helps us",
            success_signal="We both notice it",
            partnership=partnership,
            user=alice,
            title="Now",
            card_id=card.pk,
        ).card
        == card
    )
