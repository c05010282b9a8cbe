"""Validation that helps (issue 17 point 6), in a real browser: an experiment without a hypothesis,
a charter proposal that changes nothing or says not why, an empty talking point, a health check
with dimensions left unanswered and an objective without its dates each come back with the message
beside the field it is about, everything typed kept, and axe-core passing on the page."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils.timezone import now

from accord.assessments.services import healthcheck_open
from accord.charters.services import CharterContent, charter_propose, charter_revision_ratify
from accord.conftest import PHONE, browser_login
from accord.rituals.services import meeting_create

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def beside(page, field_id: str) -> str:
    """The message tied to a field (aria-describedby), which must be marked invalid."""
    field = page.locator(f"#{field_id}")
    assert field.get_attribute("aria-invalid") == "true", field_id
    described = (field.get_attribute("aria-describedby") or "").split()
    return " ".join(page.locator(f"#{i}").inner_text() for i in described)


def test_every_refusal_says_why_beside_its_field(new_page, axe, partnership, alice, bob):
    v1 = charter_propose(
        partnership=partnership, user=alice, base=None, content=CharterContent(purpose="We lead."), rationale="First"
    )
    charter_revision_ratify(revision=v1, user=alice)
    charter_revision_ratify(revision=v1, user=bob)
    one_on_one = meeting_create(
        partnership=partnership, user=alice, kind="one_on_one", scheduled_for=now() + timedelta(1)
    )
    check = healthcheck_open(partnership=partnership, user=alice)
    p = partnership.pk
    page = new_page()
    browser_login(page, "alice@example.org")

    page.goto(f"/p/{p}/iterate/experiments/")
    page.get_by_label("What we will try").fill("Async Fridays")
    page.get_by_label("We will know it works when…").fill("Fewer meetings")
    page.get_by_role("button", name="Start experiment").click()
    assert "say what you believe it will change" in beside(page, "id_hypothesis")
    assert page.get_by_label("What we will try").input_value() == "Async Fridays"
    assert page.get_by_label("We will know it works when…").input_value() == "Fewer meetings"
    axe(page)

    page.goto(f"/p/{p}/design/propose/")
    page.get_by_role("button", name="Send proposal").click()
    assert "change something" in beside(page, "id_purpose")
    page.get_by_label("Working agreements").fill("We review this charter every quarter.")
    page.get_by_role("button", name="Send proposal").click()
    assert "Say why" in beside(page, "id_rationale")
    assert page.get_by_label("Working agreements").input_value() == "We review this charter every quarter."
    axe(page)

    page.goto(f"/p/{p}/iterate/meetings/{one_on_one.pk}/")
    page.get_by_role("button", name="Add", exact=True).click()
    assert beside(page, "talking-point")
    axe(page)

    page.goto(f"/p/{p}/assess/{check.pk}/")
    first = page.locator("fieldset.dimension").first
    first.locator("fieldset.scale").nth(0).get_by_text("4", exact=True).click()
    page.get_by_role("button", name="Submit my answers").click()
    page.locator("fieldset.scale--error").first.wait_for()
    assert page.locator("fieldset.dimension").first.locator('input[value="4"]').first.is_checked()  # kept
    assert page.locator("fieldset.scale--error p.errorlist").count() >= 2  # each unanswered scale says so
    axe(page)

    phone = new_page(viewport=PHONE)
    browser_login(phone, "alice@example.org")
    phone.goto(f"/p/{p}/align/")
    phone.get_by_text("Add an objective").click()
    phone.locator("#id_title").fill("Faster checkout")
    phone.get_by_label("From").fill("")
    phone.get_by_role("button", name="Add objective").click()
    assert beside(phone, "id_starts_on")
    assert phone.locator("#id_title").input_value() == "Faster checkout"
    axe(phone)
