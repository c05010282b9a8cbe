"""Shared screens follow the partners without a reload (accord.lib.live): two partners in two
browsers, each seeing what the other does within three seconds, while what they type is kept."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils.timezone import now

from accord.alignment.services import DecisionContent, decision_create
from accord.assessments.services import RatingInput, healthcheck_open, healthcheck_respond
from accord.charters.services import CharterContent, charter_propose, charter_revision_ratify
from accord.conftest import PHONE, browser_login
from accord.rituals.services import meeting_create
from accord.tensions.services import perspective_write, tension_raise

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SOON = 3_000  # the promise: a partner's change shows within three seconds


def two(new_page, url):
    alice, bob = new_page(), new_page(viewport=PHONE)
    for page, email in ((alice, "alice@example.org"), (bob, "bob@example.org")):
        browser_login(page, email)
        page.goto(url)
        page.evaluate("window.__sameDocument = true")
    return alice, bob


def same_document(page) -> None:
    assert page.evaluate("window.__sameDocument") is True, "the page was reloaded"


def test_a_talking_point_shows_on_the_other_screen_while_typing_goes_on(new_page, axe, partnership):
    meeting = meeting_create(
        partnership=partnership, user=None, kind="one_on_one", scheduled_for=now() + timedelta(hours=1)
    )
    alice, bob = two(new_page, f"/p/{partnership.pk}/iterate/meetings/{meeting.pk}/")
    axe(bob)
    box = bob.get_by_label("Add a talking point")
    box.click()
    box.press_sequentially("Hiring plan for")
    bob.evaluate("document.getElementById('talking-point').setSelectionRange(6, 6)")  # the caret mid-word

    alice.get_by_label("Add a talking point").fill("The launch date")
    alice.get_by_role("button", name="Add", exact=True).click()
    alice.locator(".agenda-text").get_by_text("The launch date").wait_for()

    bob.locator("#meeting-live .agenda-text").get_by_text("The launch date").wait_for(timeout=SOON)
    same_document(bob)
    assert box.input_value() == "Hiring plan for"
    assert bob.evaluate("document.activeElement.id") == "talking-point"
    assert bob.evaluate("document.getElementById('talking-point').selectionStart") == 6
    box.press_sequentially("X")
    assert box.input_value() == "HiringX plan for"

    # A second change comes through as well: the region asks with the version it now shows.
    alice.get_by_label("Add a talking point").fill("Budget")
    alice.get_by_role("button", name="Add", exact=True).click()
    bob.locator("#meeting-live .agenda-text").get_by_text("Budget").wait_for(timeout=SOON)
    assert box.input_value() == "HiringX plan for"
    axe(bob)


def test_the_health_check_says_who_answered_then_stops_promising_privacy(new_page, axe, partnership, alice, bob):
    check = healthcheck_open(partnership=partnership, user=alice)
    alice_page, bob_page = two(new_page, f"/p/{partnership.pk}/assess/{check.pk}/")
    ratings = [RatingInput(d.key, 2, 4, note="A note Bob must not see yet") for d in check.dimensions.all()]
    healthcheck_respond(check=check, user=alice, ratings=ratings)

    bob_page.locator("#check-live .status-list li", has_text="Alice Martin").get_by_text("Answered").wait_for(
        timeout=SOON
    )
    assert "A note Bob must not see yet" not in bob_page.content()  # blind until revealed
    same_document(bob_page)
    axe(bob_page)

    bob_page.get_by_role("button", name="Submit").first.wait_for()  # Bob still answers on the same page
    healthcheck_respond(check=check, user=bob, ratings=[RatingInput(d.key, 3, 3) for d in check.dimensions.all()])
    alice_page.get_by_role("heading", name="How each of you sees it").wait_for(timeout=SOON)
    assert "Only you can see these" not in alice_page.content()
    same_document(alice_page)
    axe(alice_page)


def test_a_sign_off_shows_on_the_other_screen(new_page, axe, partnership, alice):
    decision = decision_create(partnership=partnership, user=alice, content=DecisionContent(title="Queue retries"))
    alice_page, bob_page = two(new_page, f"/p/{partnership.pk}/align/decisions/{decision.pk}/")
    bob_page.locator(".signoff-state").get_by_text("Waiting for you").wait_for()
    alice_page.get_by_role("button", name="Sign off").click()
    alice_page.locator(".signoff-state").get_by_text("You signed it").wait_for()
    alice_page.evaluate("window.__sameDocument = true")  # her own sign-off loaded the page; Bob's must not

    bob_page.locator("#decision-live .status-list li", has_text="Alice Martin").get_by_text("Signed").wait_for(
        timeout=SOON
    )
    bob_page.get_by_role("button", name="Sign off").click()
    bob_page.locator(".signoff-state").get_by_text("Agreed by Alice Martin and Bob Okafor").wait_for()
    alice_page.locator("#decision-live .signoff-state").get_by_text("Agreed by Alice Martin and Bob Okafor").wait_for(
        timeout=SOON
    )
    same_document(alice_page)
    axe(alice_page)


def test_a_ratification_shows_on_the_other_screen(new_page, axe, partnership, alice):
    content = CharterContent(purpose="Ship calmly", agreements=["Weekly 1:1"])
    revision = charter_propose(partnership=partnership, user=alice, base=None, content=content, rationale="A start")
    charter_revision_ratify(revision=revision, user=alice)  # the proposing page ratifies for its author
    alice_page, bob_page = two(new_page, f"/p/{partnership.pk}/design/revisions/{revision.pk}/")
    alice_page.locator(".ratify-state").get_by_text("You ratified it").wait_for()
    bob_page.get_by_role("button", name="Ratify").click()
    bob_page.locator(".ratify-state").get_by_text("Ratified by everyone").wait_for()
    alice_page.locator("#revision-live .ratify-state").get_by_text("Ratified by everyone").wait_for(timeout=SOON)
    assert "You ratified it" not in alice_page.locator(".ratify-state").inner_text()
    same_document(alice_page)
    axe(alice_page)


def test_the_sides_show_on_both_screens_once_both_are_written(new_page, axe, partnership, alice, bob):
    tension = tension_raise(partnership=partnership, user=alice, topic="Scope of the beta")
    perspective_write(tension=tension, user=alice, important_to_me="Alice's side, hidden from Bob until Bob writes")
    alice_page, bob_page = two(new_page, f"/p/{partnership.pk}/tensions/{tension.pk}/")
    assert "hidden from Bob" not in bob_page.content()
    bob_page.get_by_text("Written so far: Alice").wait_for()
    bob_page.get_by_label("What is important to me").fill("Bob's own side")
    bob_page.get_by_role("button", name="Save my side").click()
    bob_page.get_by_role("heading", name="Both sides").wait_for()

    alice_page.locator("#tension-live").get_by_text("Bob's own side").wait_for(timeout=SOON)
    alice_page.locator("#tension-live .badge").get_by_text("Sides shown").wait_for()
    same_document(alice_page)
    axe(alice_page)
