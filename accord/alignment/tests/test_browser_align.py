"""A request comes in; both partners sign it from their own browsers; the team page goes out."""

from __future__ import annotations

import pytest

from accord.alignment.models import Decision
from accord.conftest import PHONE, browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_request_signed_by_both_and_team_page_published(new_page, axe, partnership):
    alice = new_page()
    browser_login(alice, "alice@example.org")
    alice.goto(f"/p/{partnership.pk}/align/")
    axe(alice)
    alice.get_by_role("link", name="Log an incoming request").first.click()
    alice.get_by_label("Title").fill("Sales: CRM integration for the Acme deal")
    alice.get_by_label("Requested by").fill("Sales (Dana)")
    alice.get_by_label("Triage").select_option("accept")
    alice.get_by_label("Outcome").fill("Accept for Q4, one week of work.")
    axe(alice)
    alice.get_by_role("button", name="Record it").click()
    alice.get_by_role("heading", name="Sales: CRM integration for the Acme deal").wait_for()
    axe(alice)
    # Whoever records it signs it as they record it ("I agree with this decision" stays ticked).
    alice.get_by_text("You signed it").wait_for()
    assert alice.get_by_role("button", name="Sign off").count() == 0

    bob = new_page(viewport=PHONE)
    browser_login(bob, "bob@example.org")
    bob.goto(f"/p/{partnership.pk}/align/")
    bob.get_by_role("link", name="Sales: CRM integration for the Acme deal").click()
    bob.get_by_role("button", name="Sign off").click()
    bob.get_by_text("Agreed by everyone.").wait_for()
    axe(bob)
    assert Decision.objects.get().status == "agreed"

    alice.goto(f"/p/{partnership.pk}/align/")
    alice.get_by_role("button", name="Publish the team page").click()
    url = alice.get_by_label("Team page link").input_value()

    visitor = new_page(viewport=PHONE)
    visitor.goto(url)
    visitor.get_by_role("heading", name="Checkout squad").wait_for()
    assert visitor.get_by_text("Sales: CRM integration for the Acme deal").is_visible()
    assert visitor.get_by_role("link", name="Log in").is_visible()  # nobody is signed in here
    axe(visitor)
