"""A whole partnership retro with two partners in two browsers: blind writing, a live reveal on the
other screen without reloading, voting, and a card turned into an experiment."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils.timezone import now

from accord.conftest import PHONE, browser_login
from accord.rituals.models import Experiment
from accord.rituals.services import meeting_create

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def write(page, column_label: str, text: str) -> None:
    page.get_by_label(column_label, exact=True).fill(text)
    page.get_by_role("button", name=f"Add to “{column_label}”").click()
    page.locator("#retro-live .retro-card p").get_by_text(text, exact=True).wait_for()


def test_a_whole_retro(new_page, axe, partnership):
    retro = meeting_create(partnership=partnership, user=None, kind="retro", scheduled_for=now() + timedelta(hours=1))
    url = f"/p/{partnership.pk}/iterate/meetings/{retro.pk}/"

    alice = new_page()
    browser_login(alice, "alice@example.org")
    alice.goto(url)
    axe(alice)
    write(alice, "Frustrating", "I heard about the scope change in standup")

    bob = new_page(viewport=PHONE)
    browser_login(bob, "bob@example.org")
    bob.goto(url)
    write(bob, "Try next month", "No announcements before we both agree")
    assert "I heard about the scope change" not in bob.content()  # blind
    axe(bob)
    bob.evaluate("window.__sameDocument = true")

    alice.get_by_role("button", name="Reveal all cards").click()
    alice.locator("#retro-live .retro-card p").get_by_text("No announcements before we both agree").wait_for()
    # Bob never reloads: the board redraws itself with Alice's card.
    bob.locator("#retro-live .retro-card p").get_by_text("I heard about the scope change in standup").wait_for(
        timeout=8_000
    )
    assert bob.evaluate("window.__sameDocument === true")

    alice.get_by_role("button", name="4. Vote").click()
    bob.get_by_text("Vote for what matters most").wait_for(timeout=8_000)
    bob.get_by_role("button", name=re.compile(r"^\+1 vote for #\d+: No announcements before we both agree$")).click()
    bob.get_by_text("2 votes left").wait_for()
    card = "#card-" + str(retro.cards.get(column="try_next").pk)
    alice.locator(f"{card} .card-meta").get_by_text("1 vote").wait_for(timeout=8_000)
    axe(bob)

    alice.get_by_role("button", name="6. Decide").click()
    topic = alice.locator(".topic").first
    assert "No announcements before we both agree" in topic.inner_text()  # most votes first
    topic.get_by_text("Start an experiment").click()
    topic.get_by_label("We believe that…").fill("Fewer surprises for both of us")
    topic.get_by_label("We will know it works when…").fill("A month without learning of a change second-hand")
    axe(alice)
    topic.get_by_role("button", name="Start experiment").click()
    alice.get_by_text("is running").wait_for()
    experiment = Experiment.objects.get()
    assert experiment.card is not None
    assert experiment.title == "No announcements before we both agree"
    assert experiment.review_on is not None

    alice.get_by_role("link", name="Iterate").first.click()
    alice.get_by_role("heading", name="Iterate on your partnership").wait_for()
    axe(alice)
