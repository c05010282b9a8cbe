"""Two partners answer a health check in two browsers; the first sees the reveal arrive by itself."""

from __future__ import annotations

import pytest

from accord.conftest import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def answer_all(page, today: str, target: str) -> None:
    for dimension in page.locator("fieldset.dimension").all():
        scales = dimension.locator("fieldset.scale")
        scales.nth(0).locator("label.pill").filter(has_text=today).click()
        scales.nth(1).locator("label.pill").filter(has_text=target).click()


def test_two_partners_answer_and_the_reveal_arrives_without_reload(new_page, axe, partnership):
    alice = new_page()
    browser_login(alice, "alice@example.org")
    alice.goto(f"/p/{partnership.pk}/assess/")
    axe(alice)
    alice.get_by_role("button", name="Start a health check").click()
    alice.get_by_role("heading", name="Health check #1").wait_for()
    axe(alice)

    # The first dimension by keyboard alone: focus its "today" scale, arrow to 2; then "target" to 4.
    first_today = alice.locator("fieldset.dimension").first.locator("fieldset.scale").nth(0)
    first_today.locator("input").first.focus()
    alice.keyboard.press("ArrowRight")
    assert first_today.locator("input:checked").get_attribute("value") == "2"
    answer_all(alice, "2", "5")
    alice.get_by_role("button", name="Submit my answers").click()
    alice.get_by_role("heading", name="Waiting for Bob").wait_for()
    axe(alice)
    alice.evaluate("window.__sameDocument = true")

    bob = new_page()
    browser_login(bob, "bob@example.org")
    bob.goto(f"/p/{partnership.pk}/assess/")
    bob.get_by_role("link", name="Open the check").click()
    answer_all(bob, "4", "4")
    bob.get_by_role("button", name="Submit my answers").click()
    bob.get_by_role("heading", name="How each of you sees it").wait_for()
    axe(bob)

    # Alice never reloads: the waiting room polls and swaps in the results.
    alice.get_by_role("heading", name="How each of you sees it").wait_for(timeout=10_000)
    assert alice.evaluate("window.__sameDocument === true")
    assert alice.locator("svg.chart--radar polygon.area").count() == 3  # Alice, Bob, target
    assert alice.locator(".results-table tbody tr").count() == 8
    axe(alice)
