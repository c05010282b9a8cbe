"""After both sides are shown a side is never silently rewritten (a later change is a dated
amendment below it), and a resolution holds only once every member has agreed to it."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from accord.conftest import login, unchanged
from accord.tensions.models import Tension
from accord.tensions.services import perspective_write, tension_raise

pytestmark = pytest.mark.django_db

SIDE = {"important_to_me": "Focus on the checkout", "why": "", "partner_priority_guess": ""}


@pytest.fixture
def shown(partnership, alice, bob):
    tension = tension_raise(partnership=partnership, user=alice, topic="Scope of Q3")
    for user in (alice, bob):
        perspective_write(tension=tension, user=user, important_to_me=f"What {user.name} needs most")
    return tension


def call(client, method, path, body=None):
    return client.generic(method, f"/api/v1{path}", json.dumps(body or {}), content_type="application/json")


def test_it_refuses_to_rewrite_a_shown_side_and_keeps_a_dated_amendment_below_it(api_client, alice, bob, shown, clock):
    mine = api_client(alice)
    with unchanged():
        assert call(mine, "PUT", f"/tensions/{shown.pk}/perspective", SIDE).status_code == 409
    clock.shift(timedelta(days=2))
    added = call(mine, "POST", f"/tensions/{shown.pk}/amendments", {"text": "Since the launch moved, less so"})
    assert added.status_code == 201
    seen = api_client(bob).get(f"/api/v1/tensions/{shown.pk}").json()
    side = next(p for p in seen["perspectives"] if p["author_id"] == alice.pk)
    assert side["important_to_me"] == f"What {alice.name} needs most"  # the side as it was read
    assert [a["text"] for a in side["amendments"]] == ["Since the launch moved, less so"]
    assert side["amendments"][0]["created_at"].startswith(clock.now().date().isoformat())


def test_it_refuses_an_amendment_before_the_reveal_or_without_a_side(api_client, alice, bob, carol, partnership):
    tension = tension_raise(partnership=partnership, user=alice, topic="Hiring")
    perspective_write(tension=tension, user=alice, important_to_me="A senior first")
    mine, outsider = api_client(alice), api_client(carol)
    with unchanged():
        early = call(mine, "POST", f"/tensions/{tension.pk}/amendments", {"text": "Changed"})
        assert early.status_code == 409
        assert call(outsider, "POST", f"/tensions/{tension.pk}/amendments", {"text": "x"}).status_code == 404
        empty = call(mine, "POST", f"/tensions/{tension.pk}/amendments", {"text": "  "})
        assert empty.status_code == 422


def test_a_resolution_holds_only_once_every_member_agreed(api_client, alice, bob, shown):
    as_alice, as_bob = api_client(alice), api_client(bob)
    with unchanged():
        assert call(as_bob, "POST", f"/tensions/{shown.pk}/resolution/agree").status_code == 409  # none yet
    proposed = call(as_alice, "POST", f"/tensions/{shown.pk}/resolve", {"resolution": "Checkout first"})
    assert (proposed.json()["status"], proposed.json()["agreed_by"]) == ("open", [alice.pk])
    counter = call(as_bob, "POST", f"/tensions/{shown.pk}/resolve", {"resolution": "Both, in turns"})
    assert counter.json()["agreed_by"] == [bob.pk]  # a new proposal starts the agreement again
    agreed = call(as_alice, "POST", f"/tensions/{shown.pk}/resolution/agree")
    body = agreed.json()
    assert (body["status"], body["resolution"], body["resolution_proposed_by"]) == (
        "resolved",
        "Both, in turns",
        bob.pk,
    )
    assert Tension.objects.get(pk=shown.pk).resolved_at is not None
    with unchanged():
        assert call(as_bob, "POST", f"/tensions/{shown.pk}/resolution/agree").status_code == 409


def test_the_page_proposes_shows_who_agreed_and_lets_the_partner_agree(client, alice, bob, shown, partnership):
    page = f"/p/{partnership.pk}/tensions/{shown.pk}/"
    login(client, alice)
    assert "Save my side" not in client.get(page).content.decode()  # shown: amend, not rewrite
    client.post(f"{page}amendments/new/", {"text": "Less urgent now"})
    client.post(f"{page}resolve/", {"resolution": "Checkout first", "decision_id": ""})
    login(client, bob)
    html = client.get(page).content.decode()
    assert "Less urgent now" in html and "Amended" in html
    assert "Checkout first" in html and "I agree: resolve it" in html
    response = client.post(f"{page}resolution/agree/", follow=True)
    assert "Resolved. It stays in your log with both sides." in response.content.decode()
    assert Tension.objects.get(pk=shown.pk).status == "resolved"
