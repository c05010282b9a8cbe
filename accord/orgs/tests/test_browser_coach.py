"""A coach signs in, lands on the portfolio, opens a partnership's figures, and asks another
partnership to share; its partners accept from their own browsers. On a phone nothing scrolls sideways."""

from __future__ import annotations

import pytest

from accord.assessments.services import RatingInput, healthcheck_open, healthcheck_respond
from accord.conftest import browser_login
from accord.orgs.services import org_access_set, org_create

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FITS = "document.documentElement.scrollWidth <= window.innerWidth"


def _checks(partnership, user, ratings):
    for today in ratings:
        check = healthcheck_open(partnership=partnership, user=user)
        healthcheck_respond(
            check=check, user=user, ratings=[RatingInput(d.key, today, 5) for d in check.dimensions.all()]
        )


def test_a_coach_lands_on_the_portfolio_opens_figures_and_a_partnership_accepts(
    new_page, axe, coach, alice, bob, carol, partnership, other_partnership
):
    org = org_create(user=coach, name="Product & Engineering")
    _checks(other_partnership, carol, [2, 3])
    org_access_set(partnership=other_partnership, user=carol, org_id=org.pk, grant=True)

    c = new_page()
    browser_login(c, coach.email)
    c.wait_for_url(f"**/orgs/{org.pk}/")
    c.get_by_role("heading", name="Product & Engineering").wait_for()
    assert c.get_by_text("Create your partnership").count() == 0
    axe(c)
    c.get_by_role("link", name="Search leads").click()
    c.get_by_role("heading", name="Each dimension over time").wait_for()
    assert c.locator(".small-multiples .chart--line").count() == 8
    axe(c)

    c.get_by_role("link", name="Product & Engineering: portfolio").click()
    c.get_by_label("Ask a partnership to share its figures: a partner's email").fill(alice.email)
    c.get_by_role("button", name="Ask to share").click()
    c.get_by_text(f"We asked {alice.email}").wait_for()

    a = new_page()
    browser_login(a, alice.email)
    a.get_by_text("asks to see your partnership's figures").wait_for()
    axe(a)
    a.get_by_role("region", name="Invitations for you").get_by_role("link", name="Checkout leads").click()
    a.get_by_role("button", name="Accept for Checkout leads").click()
    a.get_by_text("You granted Product & Engineering access").wait_for()
    assert a.get_by_text("Waiting for every partner").is_visible()
    axe(a)

    b = new_page()
    browser_login(b, bob.email)
    b.goto(f"/p/{partnership.pk}/coach-access/")
    b.get_by_role("button", name="Grant my consent").click()
    b.get_by_text("Sees your figures", exact=True).wait_for()

    c.reload()
    c.get_by_role("link", name="Checkout leads").wait_for()

    phone = new_page(viewport={"width": 390, "height": 844})
    browser_login(phone, coach.email)
    phone.wait_for_url(f"**/orgs/{org.pk}/")
    assert phone.evaluate(FITS), "the portfolio scrolls sideways on a phone"
    axe(phone)
    phone.get_by_role("link", name="Search leads").click()
    phone.get_by_role("heading", name="Each dimension over time").wait_for()
    assert phone.evaluate(FITS), "the figures scroll sideways on a phone"
