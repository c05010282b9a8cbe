"""The dashboard for partners and the portfolio for their coach, in real browsers, with axe-core."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from accord.conftest import PHONE, browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_dashboard_and_portfolio(new_page, axe):
    call_command("demo")
    alice = new_page()
    browser_login(alice, "alice@example.com", "accord-demo")
    alice.get_by_role("heading", name="What needs doing").wait_for()
    assert alice.locator("svg.chart--bars rect.bar").count() >= 12
    axe(alice)
    alice.get_by_role("link", name="Quarterly partnership review").click()
    alice.get_by_role("heading", name="Health").first.wait_for()
    axe(alice)

    coach = new_page(viewport=PHONE)
    browser_login(coach, "coach@example.com", "accord-demo")
    coach.goto("/orgs/")
    coach.get_by_role("link", name="Acme Product & Engineering").click()
    coach.get_by_role("heading", name="Portfolio (1)").wait_for()
    assert coach.get_by_role("rowheader", name="Checkout leads").is_visible()
    axe(coach)
