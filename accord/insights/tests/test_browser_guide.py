"""A new pair's first minutes, in two browsers: from signing up to the first revealed health check,
counted action by action and timed with a stated model of a person's pace; and the Overview's
start-here path ticking off, then the next action, checked with axe-core at desktop and phone width."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils.timezone import now

from accord.assessments.models import HealthCheck
from accord.assessments.services import RatingInput, healthcheck_respond
from accord.charters.services import charter_propose, charter_revision_ratify
from accord.charters.starter import STARTER_RATIONALE, starter_content
from accord.conftest import PHONE, browser_login
from accord.rituals.services import experiment_create, meeting_create

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "a partnership is a product"
DESKTOP = {"width": 1280, "height": 800}

# The pace of a person, per action: a click, a choice (a rating, an option) or a pasted link takes
# 3 seconds (finding it, deciding, acting); a typed character 0.3 seconds. Reading is in the 3 s.
SECONDS_PER_CLICK = 3.0
SECONDS_PER_CHARACTER = 0.3
FIVE_MINUTES = 300.0


def patient(page):
    """A page that waits longer than the default for a busy machine (the walk is long)."""
    page.set_default_timeout(30_000)
    return page


@dataclass
class Person:
    """One partner's browser, counting everything they do in it."""

    page: Any
    clicks: int = 0
    choices: int = 0
    keys: int = 0  # keystrokes that are not typed text (a rating by number, Enter)
    characters: int = 0
    log: list[str] = field(default_factory=list)

    def visit(self, url: str) -> None:  # a link opened from an email or pasted: one action
        self.clicks += 1
        self.page.goto(url)

    def click(self, locator) -> None:
        self.clicks += 1
        locator.click()

    def choose(self, locator, value: str | None = None) -> None:
        self.choices += 1
        locator.select_option(value) if value is not None else locator.click()

    def type(self, locator, text: str) -> None:
        self.clicks += 1  # into the field
        self.characters += len(text)
        locator.fill(text)

    def press(self, key: str) -> None:
        self.keys += 1
        self.page.keyboard.press(key)

    @property
    def actions(self) -> int:
        return self.clicks + self.choices + self.keys

    @property
    def seconds(self) -> float:
        return self.actions * SECONDS_PER_CLICK + self.characters * SECONDS_PER_CHARACTER


def sign_up(person: Person, name: str, email: str) -> None:
    page = person.page
    person.type(page.get_by_label("Your name"), name)
    person.type(page.get_by_label("Email"), email)
    person.type(page.get_by_label("Password"), PASSWORD)
    person.click(page.get_by_role("button", name=re.compile("Sign Up", re.I)))


def test_a_new_pair_reaches_its_first_revealed_check_in_under_five_minutes(new_page, axe):
    em = Person(patient(new_page(viewport=DESKTOP)))
    em.visit("/")
    em.click(em.page.get_by_role("link", name="Start your partnership"))
    sign_up(em, "Erin Example", "erin@example.org")
    em.click(em.page.get_by_role("link", name="Create your partnership"))
    em.type(em.page.get_by_label("Partnership name"), "Checkout leads")
    em.choose(em.page.get_by_label("Your role"), "EM")
    em.click(em.page.get_by_role("button", name="Create partnership"))
    # Before the partner joins, the Overview guides to the invitation.
    em.page.get_by_role("heading", name="Start here").wait_for()
    assert em.page.locator("#step-invite.guide__step--current").is_visible()
    em.choose(em.page.get_by_label("Their role"), "PM")
    em.click(em.page.get_by_role("button", name="Create invitation link"))
    link = em.page.get_by_label("Invitation link")
    link.wait_for()
    invitation = link.input_value()
    em.click(em.page.get_by_role("button", name="Copy link"))

    pm = Person(patient(new_page(viewport=DESKTOP)))
    pm.visit(invitation)
    pm.click(pm.page.get_by_role("link", name="Sign up to accept"))
    sign_up(pm, "Pat Partner", "pat@example.org")
    pm.click(pm.page.get_by_role("button", name="Accept and join"))
    # The Overview's start here: the first check, in one click, with the default dimensions.
    pm.click(pm.page.get_by_role("button", name="Start the first health check"))
    pm.page.get_by_role("heading", name="Health check #1").wait_for()
    axe(pm.page)
    dimensions = pm.page.locator("fieldset.dimension").count()
    assert dimensions == 8
    # By keyboard: into the first scale (a click, or Tab), then a number per scale moves on to the next.
    pm.clicks += 1
    pm.page.locator('input[name="today-trust-candour"]').first.focus()
    for n in range(2 * dimensions):
        pm.choices += 1
        pm.page.keyboard.press("34"[n % 2])
    assert pm.page.evaluate("document.activeElement.textContent.trim()") == "Submit my answers"
    pm.press("Enter")
    pm.page.get_by_role("heading", name="Waiting for Erin").wait_for()

    # Erin's Overview says Pat answered (never what), with the way to answer.
    em.click(em.page.get_by_role("link", name="Overview"))
    em.page.get_by_text("Pat Partner answered health check #1: your turn.").wait_for()
    assert "Pat" in em.page.locator("#step-health-check").inner_text()
    em.click(em.page.get_by_role("link", name="Answer health check #1"))
    for fieldset in em.page.locator("fieldset.dimension").all():
        em.choose(fieldset.locator('label.pill:has(input[name^="today-"][value="4"])'))
        em.choose(fieldset.locator('label.pill:has(input[name^="target-"][value="5"])'))
    em.click(em.page.get_by_role("button", name="Submit my answers"))

    # Both see the revealed check: Erin at once, Pat's waiting room by itself.
    for person in (em, pm):
        person.page.get_by_role("heading", name="How each of you sees it").wait_for(timeout=15_000)
        axe(person.page)
    assert HealthCheck.objects.get().status == HealthCheck.Status.REVEALED

    counts = {who: (p.clicks, p.choices, p.keys, p.characters, round(p.seconds)) for who, p in (("EM", em), ("PM", pm))}
    print(f"\nfirst revealed check, per partner (clicks, choices, keys, characters, seconds): {counts}")
    for person in (em, pm):
        assert person.choices <= 2 * dimensions + 2  # the ratings, and at most a role or two
        assert person.clicks + person.keys <= 16
        assert person.seconds < FIVE_MINUTES


def ratings(check, today):
    return [RatingInput(d.key, today, 5) for d in check.dimensions.all()]


def shot(page, name: str, tmp_path: Path) -> None:
    where = Path(os.environ.get("ACCORD_SHOTS_DIR") or tmp_path)
    where.mkdir(parents=True, exist_ok=True)
    path = where / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    assert path.stat().st_size > 5_000


def test_the_start_here_steps_tick_off_then_the_next_action_shows(new_page, axe, partnership, alice, bob, tmp_path):
    url = f"/p/{partnership.pk}/"
    page = patient(new_page(viewport=DESKTOP))
    browser_login(page, alice.email)
    page.goto(url)
    page.get_by_text("1 of 5 done").wait_for()
    assert page.locator(".guide__step--done").count() == 1
    assert page.locator("#step-health-check.guide__step--current").is_visible()
    axe(page)
    shot(page, "guide-start-1280", tmp_path)
    phone = patient(new_page(viewport=PHONE))
    browser_login(phone, bob.email)
    phone.goto(url)
    phone.get_by_text("1 of 5 done").wait_for()
    assert not phone.evaluate("document.documentElement.scrollWidth > window.innerWidth")
    axe(phone)
    shot(phone, "guide-start-390", tmp_path)

    page.get_by_role("button", name="Start the first health check").click()
    page.get_by_role("heading", name="Health check #1").wait_for()
    check = HealthCheck.objects.get(partnership=partnership)
    healthcheck_respond(check=check, user=alice, ratings=ratings(check, 3))
    healthcheck_respond(check=check, user=bob, ratings=ratings(check, 4))
    page.goto(url)
    page.get_by_text("2 of 5 done").wait_for()
    assert page.locator("#step-health-check.guide__step--done").is_visible()
    assert page.locator("#step-charter.guide__step--current").is_visible()

    revision = charter_propose(
        partnership=partnership, user=bob, base=None, content=starter_content(partnership), rationale=STARTER_RATIONALE
    )
    page.goto(url)
    assert page.locator("#step-charter").get_by_role("link", name="Read and ratify it").is_visible()
    charter_revision_ratify(revision=revision, user=alice)
    charter_revision_ratify(revision=revision, user=bob)
    meeting_create(partnership=partnership, user=alice, kind="one_on_one", scheduled_for=now() + timedelta(days=2))
    page.goto(url)
    page.get_by_text("3 of 5 done").wait_for()
    assert "Not planned yet: partnership retro." in page.locator("#step-rhythm").inner_text()
    meeting_create(partnership=partnership, user=alice, kind="retro", scheduled_for=now() + timedelta(days=5))
    experiment_create(
        partnership=partnership,
        user=bob,
        title="Decide scope together on Mondays",
        hypothesis="Fewer surprise scope changes.",
        success_signal="No scope change heard in standup first, for a month.",
    )

    phone.goto(url)
    phone.get_by_role("heading", name="Next").wait_for()
    assert phone.get_by_role("heading", name="Start here").count() == 0
    assert phone.get_by_text(re.compile(r"^Nothing is waiting\. Your next 1:1 is on ")).is_visible()
    assert phone.get_by_role("link", name="Add to the agenda").is_visible()
    assert not phone.evaluate("document.documentElement.scrollWidth > window.innerWidth")
    axe(phone)
    shot(phone, "guide-next-390", tmp_path)
    page.goto(url)
    page.get_by_role("heading", name="Next").wait_for()
    shot(page, "guide-next-1280", tmp_path)
