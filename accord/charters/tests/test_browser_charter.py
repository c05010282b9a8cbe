"""Alice edits the charter, sees the diff; Bob ratifies it from his own browser."""

from __future__ import annotations

import pytest

from accord.charters.services import charter_propose, charter_revision_ratify
from accord.charters.starter import starter_content
from accord.conftest import PHONE, browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_edit_see_the_diff_and_the_partner_ratifies(new_page, axe, partnership, alice, bob):
    v1 = charter_propose(
        rationale="What we learned since",
        partnership=partnership,
        user=alice,
        base=None,
        content=starter_content(partnership),
    )
    charter_revision_ratify(revision=v1, user=alice)
    charter_revision_ratify(revision=v1, user=bob)

    page = new_page()
    browser_login(page, "alice@example.org")
    page.goto(f"/p/{partnership.pk}/design/")
    page.get_by_role("heading", name="Your charter").wait_for()
    axe(page)
    page.get_by_role("link", name="Propose a change").click()
    axe(page)
    agreements = page.get_by_label("Working agreements")
    agreements.fill(agreements.input_value() + "\nWe review this charter every quarter.")
    page.get_by_label("Why this change?").fill("Keep it alive.")
    page.get_by_role("button", name="Send proposal").click()
    page.get_by_role("heading", name="Changes against version 1").wait_for()
    added = page.locator("li.diff-added")
    assert added.count() == 1
    assert "We review this charter every quarter." in added.inner_text()
    axe(page)

    partner = new_page(viewport=PHONE)
    browser_login(partner, "bob@example.org")
    partner.goto(f"/p/{partnership.pk}/design/")
    partner.get_by_role("link", name="Proposal 2").click()
    partner.get_by_text("Keep it alive.").wait_for()
    partner.get_by_role("button", name="Ratify").click()
    partner.get_by_text("version 2 is your charter now").wait_for()
    assert partner.locator(".badge.status-ratified").inner_text() == "Current"
    axe(partner)
    partner.get_by_role("link", name="History").click()
    partner.get_by_role("heading", name="Charter history").wait_for()
    axe(partner)
    partner.get_by_role("button", name="Compare A with B").click()
    partner.get_by_role("heading", name="Version 1 → Version 2").wait_for()
    axe(partner)
