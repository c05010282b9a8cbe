"""Two partners write their sides of a disagreement blind, read them side by side, resolve it;
then a journal entry is shared and brought to the next 1:1."""

from __future__ import annotations

import pytest

from accord.conftest import PHONE, browser_login
from accord.rituals.models import AgendaItem
from accord.tensions.models import Tension

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def write_side(page, important: str, why: str, guess: str) -> None:
    page.get_by_label("What is important to me here").fill(important)
    page.get_by_label("Why:", exact=True).fill(why)
    page.get_by_label("What I think my partner is prioritising, and why").fill(guess)
    page.get_by_role("button", name="Save my side").click()


def test_sides_resolution_and_journal(new_page, axe, partnership):
    alice = new_page()
    browser_login(alice, "alice@example.org")
    alice.goto(f"/p/{partnership.pk}/tensions/")
    axe(alice)
    alice.get_by_label("What do you disagree about?").fill("Saying yes to the Sales integration")
    alice.get_by_label("Other tags").fill("intake, sales")
    alice.get_by_role("button", name="Log it").click()
    write_side(alice, "Protecting the team's focus", "Two switches cost a sprint", "Bob wants the deal to close")
    alice.get_by_text("Your side is saved").first.wait_for()
    axe(alice)

    bob = new_page(viewport=PHONE)
    browser_login(bob, "bob@example.org")
    bob.goto(f"/p/{partnership.pk}/tensions/")
    bob.get_by_role("link", name="Saying yes to the Sales integration").click()
    assert "Protecting the team's focus" not in bob.content()  # blind
    write_side(bob, "Keeping the Sales relationship", "They are closing our biggest deal", "Alice wants focus")
    bob.get_by_role("heading", name="Both sides").wait_for()
    assert bob.get_by_text("Protecting the team's focus").is_visible()
    axe(bob)
    bob.get_by_role("button", name="Spot on").click()
    bob.get_by_label("What changed since you wrote your side").fill("The deal is smaller than we thought.")
    bob.get_by_role("button", name="Add an amendment").click()
    bob.get_by_text("Amendment added below your side.").wait_for()
    bob.get_by_label("How you resolve it").fill("We say yes for Q4, scoped to one week of work.")
    bob.get_by_role("button", name="Propose this resolution").click()
    bob.get_by_text("It holds once your partner agrees too.").wait_for()
    assert Tension.objects.get().status == "open"
    axe(bob)
    alice.reload()
    assert alice.get_by_text("The deal is smaller than we thought.").is_visible()  # the amendment, dated
    alice.get_by_role("button", name="I agree: resolve it").click()
    alice.get_by_role("heading", name="Resolution").wait_for()
    assert Tension.objects.get().status == "resolved"
    axe(alice)

    alice.keyboard.press("Escape")
    alice.goto(f"/p/{partnership.pk}/journal/")
    alice.locator("body").press("j")  # the quick-capture shortcut
    assert alice.evaluate("document.activeElement.id") == "quick-journal-text"
    alice.get_by_label("What is happening, what are you seeing?", exact=True).first.fill(
        "I jumped to solutions before Bob finished."
    )
    alice.locator("#quick-journal").get_by_role("button", name="Save to journal").click()
    alice.get_by_text("Saved to your journal").wait_for()
    alice.reload()
    alice.get_by_role("button", name="Share with my partner").first.click()
    alice.get_by_text("Shared with your partner.").first.wait_for()
    alice.get_by_role("button", name="Bring to next 1:1").first.click()
    alice.get_by_text("Added to the next 1:1").wait_for()
    axe(alice)
    assert AgendaItem.objects.get().text == "I jumped to solutions before Bob finished."

    bob.goto(f"/p/{partnership.pk}/journal/")
    bob.get_by_text("I jumped to solutions before Bob finished.").wait_for()
    axe(bob)
