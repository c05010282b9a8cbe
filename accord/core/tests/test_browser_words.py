"""Words and numbers as people read them, in a browser, across the demo's screens: a space between
a number and its unit, plurals that agree, one decimal for a mean, no "0.0 days" for no data, dates
under the trend lines, one spelling of "Log in" and "Sign up", and a partnership's proposals counted
from 1."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.management import call_command

from accord.charters.models import CharterRevision
from accord.conftest import PHONE, browser_login
from accord.demo.loader import DEMO_PARTNERSHIP
from accord.orgs.models import Organisation
from accord.partnerships.models import Partnership

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# A number run into its unit ("35signups", "3days"); ordinals (1st, 2nd, 3rd, 4th) are words.
RUN_ON = re.compile(r"\b\d+(?:\.\d+)?(?!st\b|nd\b|rd\b|th\b)[a-z]{2,}\b")
# A one that does not agree with its noun.
ONE_MANY = re.compile(r"(?<![\d.,])\b1 (people|days|votes|cards|items|action items|times|decisions|partners|answers)\b")
OTHER_SPELLINGS = re.compile(r"\b(Sign in|Sign In|Login|Log-in|Signup|Sign-up|Log In|Sign Up)\b")
MEAN = re.compile(r"^\d\.\d$")
MONTH_YEAR = re.compile(r"^(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4}$")


def read(page: Any) -> str:
    return str(page.locator("main").inner_text())


def assert_words(page, text: str) -> None:
    assert not RUN_ON.findall(text), f"{page.url}: a number run into its unit: {RUN_ON.findall(text)}"
    assert not ONE_MANY.findall(text), f"{page.url}: a plural after 1: {ONE_MANY.findall(text)}"
    assert "0.0 days" not in text, page.url
    assert not OTHER_SPELLINGS.findall(text), f"{page.url}: {OTHER_SPELLINGS.findall(text)}"


def test_the_demo_reads_right_on_every_main_screen(new_page, axe):
    call_command("demo")
    partnership = Partnership.objects.get(name=DEMO_PARTNERSHIP)
    pid = partnership.pk

    visitor = new_page()
    visitor.goto("/")
    header = visitor.locator("header").inner_text()
    assert "Log in" in header and "Sign up" in header and not OTHER_SPELLINGS.findall(header)
    visitor.goto("/accounts/login/")
    assert_words(visitor, read(visitor))
    assert visitor.get_by_role("button", name="Log in").count() == 1

    page = new_page()
    browser_login(page, "alice@example.com", "accord-demo")
    page.goto(f"/p/{pid}/")
    axe(page)
    score = page.locator(".kpi__value").first.inner_text()
    assert MEAN.match(score), f"the health score is a mean, one decimal: {score!r}"
    dates = page.locator("svg.chart .axis-label").all_text_contents()
    assert [d for d in dates if MONTH_YEAR.match(d)], f"the trend line carries its dates: {dates}"
    for path in ("", "assess/", "design/", "iterate/", "align/", "review/", "tensions/", "iterate/actions/"):
        page.goto(f"/p/{pid}/{path}")
        assert_words(page, read(page))

    # Proposals are counted per partnership, from 1.
    numbers = sorted(CharterRevision.objects.filter(partnership=partnership).values_list("proposal_number", flat=True))
    assert numbers[0] == 1 and numbers == list(range(1, len(numbers) + 1))
    for path in ("design/", "design/history/"):
        page.goto(f"/p/{pid}/{path}")
        shown = [int(n) for n in re.findall(r"Proposal (\d+)", read(page))]
        assert all(1 <= n <= len(numbers) for n in shown), f"{path}: proposals {shown} of {len(numbers)}"

    coach = new_page(viewport=PHONE)
    browser_login(coach, "coach@example.com", "accord-demo")
    org = Organisation.objects.get()
    coach.goto(f"/orgs/{org.pk}/")
    assert_words(coach, read(coach))
    coach.goto(f"/orgs/{org.pk}/partnerships/{pid}/")
    text = read(coach)
    assert_words(coach, text)
    assert MEAN.match(coach.locator(".kpi__value").first.inner_text())
    axe(coach)
