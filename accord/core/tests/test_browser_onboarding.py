"""A new user signs up, creates a partnership and invites a partner, who joins from another browser."""

from __future__ import annotations

import re

import pytest

from accord.partnerships.models import Membership

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "a partnership is a product"


def sign_up(page, name: str, email: str) -> None:
    page.get_by_label("Your name").fill(name)
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name=re.compile("Sign Up", re.I)).click()


def test_sign_up_create_invite_and_accept(new_page, axe):
    em = new_page()
    em.goto("/")
    axe(em)
    em.get_by_role("link", name="Start your partnership").click()
    axe(em)
    sign_up(em, "Erin Example", "erin@example.org")

    em.get_by_role("link", name="Create your partnership").click()
    axe(em)
    em.get_by_label("Partnership name").fill("Onboarding leads")
    em.get_by_label("Team").fill("Onboarding")
    em.get_by_label("Your role").select_option("EM")
    em.get_by_role("button", name="Create partnership").click()
    em.get_by_role("heading", name="Onboarding leads").wait_for()
    axe(em)

    em.get_by_label("Their role").select_option("PM")
    em.get_by_role("button", name="Create invitation link").click()
    link = em.get_by_label("Invitation link")
    link.wait_for()
    url = link.input_value()
    assert re.search(r"/invite/[\w-]+/$", url)
    axe(em)

    pm = new_page()
    pm.goto(url)
    pm.get_by_text("Erin Example invites you to join").wait_for()
    axe(pm)
    pm.get_by_role("link", name="Sign up to accept").click()
    sign_up(pm, "Pat Partner", "pat@example.org")
    pm.get_by_role("button", name="Accept and join").click()
    pm.get_by_role("heading", name="Onboarding leads").wait_for()
    assert pm.get_by_text("Erin Example").first.is_visible()
    axe(pm)

    em.reload()
    assert em.get_by_text("Pat Partner").first.is_visible()
    roles = set(Membership.objects.filter(partnership__name="Onboarding leads").values_list("user__name", "role"))
    assert roles == {("Erin Example", "EM"), ("Pat Partner", "PM")}


def test_it_works_at_phone_width_and_by_keyboard(new_page, axe):
    from accord.conftest import PHONE

    page = new_page(viewport=PHONE)
    page.goto("/accounts/signup/")
    axe(page)
    overflow = page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
    assert not overflow
    # The first Tab reaches the skip link, which moves focus to the main content.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Skip to content"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    # The form is filled and sent with the keyboard alone.
    page.get_by_label("Your name").focus()
    page.keyboard.type("Kim Keys")
    page.keyboard.press("Tab")
    page.keyboard.type("kim@example.org")
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.get_by_role("link", name="Create your partnership").wait_for()
    axe(page)
    assert not page.evaluate("document.documentElement.scrollWidth > window.innerWidth")


def test_the_accessibility_check_catches_a_violation(new_page, axe):
    page = new_page()
    page.goto("/healthz")
    page.set_content('<html lang="en"><body><main><img src="/x.png"><input type="text"></main></body></html>')
    with pytest.raises(AssertionError, match="image-alt"):
        axe(page)
