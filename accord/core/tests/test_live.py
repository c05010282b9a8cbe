"""The live regions of shared screens (accord.lib.live): each live view answers 204 while the
reader's region is current, the region drawn afresh once anything changed, 404 to outsiders, and
never carries a partner's input before it is revealed."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.test import Client
from django.utils.timezone import now

from accord.accounts.models import User
from accord.alignment.services import DecisionContent, decision_create, decision_sign
from accord.assessments.services import RatingInput, healthcheck_open, healthcheck_respond
from accord.charters.services import CharterContent, charter_propose, charter_revision_ratify
from accord.conftest import login
from accord.partnerships.models import Partnership
from accord.rituals.services import agenda_item_add, meeting_create
from accord.tensions.services import perspective_write, tension_raise

SECRET = "Words Alice has not revealed"


@dataclass(frozen=True)
class Screen:
    page: str
    change: Callable[[], object]  # something the partner (Alice) does, seen by Bob
    shows: str  # what the region then shows


def screens(partnership: Partnership, alice: User, bob: User) -> dict[str, Screen]:
    pid = partnership.pk
    meeting = meeting_create(
        partnership=partnership, user=None, kind="one_on_one", scheduled_for=now() + timedelta(days=1)
    )
    check = healthcheck_open(partnership=partnership, user=alice)
    decision = decision_create(partnership=partnership, user=alice, content=DecisionContent(title="Queue retries"))
    content = CharterContent(purpose="Ship calmly", agreements=["Weekly"])
    revision = charter_propose(partnership=partnership, user=bob, base=None, content=content, rationale="A start")
    tension = tension_raise(partnership=partnership, user=alice, topic="Beta scope")
    perspective_write(tension=tension, user=bob, important_to_me="Bob's side")
    ratings = [RatingInput(d.key, 1, 5, note=SECRET) for d in check.dimensions.all()]
    return {
        "1:1": Screen(
            f"/p/{pid}/iterate/meetings/{meeting.pk}/",
            lambda: agenda_item_add(meeting=meeting, user=alice, text="The launch date"),
            "The launch date",
        ),
        "health check": Screen(
            f"/p/{pid}/assess/{check.pk}/",
            lambda: healthcheck_respond(check=check, user=alice, ratings=ratings),
            '<span class="badge badge--ok">Answered</span> Alice Martin',
        ),
        "decision": Screen(
            f"/p/{pid}/align/decisions/{decision.pk}/",
            lambda: decision_sign(decision=decision, user=alice),
            '<span class="badge badge--ok">Signed</span> Alice Martin',
        ),
        "charter": Screen(
            f"/p/{pid}/design/revisions/{revision.pk}/",
            lambda: charter_revision_ratify(revision=revision, user=alice),
            "Ratified so far by Alice Martin",
        ),
        "tension": Screen(
            f"/p/{pid}/tensions/{tension.pk}/",
            lambda: perspective_write(tension=tension, user=alice, important_to_me=SECRET),
            SECRET,  # both have written: the sides are shown
        ),
    }


NAMES = ["1:1", "health check", "decision", "charter", "tension"]


def live_url(html: str) -> str:
    """The address the page's live region polls, with the version it was drawn at."""
    found = re.search(
        r'data-live data-hx-get="([^"]+)" data-hx-trigger="every 2s" data-hx-swap="morph:outerHTML"', html
    )
    assert found, "the page has no live region"
    return found.group(1).replace("&amp;", "&")


@pytest.mark.parametrize("name", NAMES)
def test_a_live_region_answers_204_until_something_changes(client: Client, partnership, alice, bob, name):
    screen = screens(partnership, alice, bob)[name]
    page = login(client, bob).get(screen.page).content.decode()
    url = live_url(page)
    assert screen.shows not in page
    assert client.get(url).status_code == 204
    assert client.get(url).status_code == 204  # from the page cache alike

    screen.change()
    response = client.get(url)
    fragment = response.content.decode()
    assert response.status_code == 200
    assert screen.shows in fragment and "<html" not in fragment
    fresh = live_url(fragment)
    assert fresh != url and client.get(fresh).status_code == 204  # drawn at the version it shows


@pytest.mark.parametrize("name", NAMES)
def test_a_live_region_is_nobody_elses(client: Client, partnership, alice, bob, charlie, name):
    screen = screens(partnership, alice, bob)[name]
    url = live_url(login(client, bob).get(screen.page).content.decode())
    client.logout()
    assert login(client, charlie).get(url).status_code == 404
    assert login(client, charlie).get(url.partition("?")[0]).status_code == 404


def test_the_blind_stays_blind_in_live_regions(client: Client, partnership, alice, bob):
    """Alice's answers and side, written, never reach Bob's live regions before the reveal."""
    check = screens(partnership, alice, bob)["health check"]
    login(client, bob)
    url = live_url(client.get(check.page).content.decode())
    check.change()
    fragment = client.get(url).content.decode()
    assert "Answered</span> Alice Martin" in fragment and SECRET not in fragment

    tension = tension_raise(partnership=partnership, user=alice, topic="Who presents")
    url = live_url(client.get(f"/p/{partnership.pk}/tensions/{tension.pk}/").content.decode())
    perspective_write(tension=tension, user=alice, important_to_me=SECRET)
    fragment = client.get(url).content.decode()
    assert "Written so far: Alice." in fragment and SECRET not in fragment and "Sides hidden" in fragment


def test_after_the_reveal_the_check_no_longer_promises_privacy(client: Client, partnership, alice, bob):
    check = healthcheck_open(partnership=partnership, user=alice)
    healthcheck_respond(check=check, user=bob, ratings=[RatingInput(d.key, 3, 3) for d in check.dimensions.all()])
    page = login(client, bob).get(f"/p/{partnership.pk}/assess/{check.pk}/").content.decode()
    assert "Only you can see these until the check is revealed." in page
    healthcheck_respond(check=check, user=alice, ratings=[RatingInput(d.key, 2, 4) for d in check.dimensions.all()])
    fragment = client.get(live_url(page)).content.decode()
    assert "How each of you sees it" in fragment
    assert "Only you can see" not in fragment and "Waiting for" not in fragment
    assert "data-live" not in fragment  # revealed: nothing more to follow
