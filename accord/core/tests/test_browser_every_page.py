"""Every page on a phone, in a browser with the Content-Security-Policy on: nothing scrolls sideways,
and neither the pages nor what is done on them (an invitation, a quick journal note, a retro's
phases, a refused form) writes an error to the console."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils.timezone import now

from accord.conftest import PHONE, browser_login
from accord.core.tests.every_page import PUBLIC_PAGES, member_pages
from accord.core.tests.test_authorization_matrix import World
from accord.rituals.services import card_add, meeting_create

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "pw-123456789"  # the seed's

# The element reaching furthest past the window's right edge, named for the failure message.
WIDEST = """() => {
  const edge = window.innerWidth;
  let worst = null, reach = edge;
  for (const el of document.body.querySelectorAll("*")) {
    const right = el.getBoundingClientRect().right;
    if (right > reach + 0.5) { worst = el; reach = right; }
  }
  if (!worst) return null;
  const name = worst.tagName.toLowerCase() + (worst.id ? "#" + worst.id : "") +
    (worst.classList.length ? "." + [...worst.classList].join(".") : "");
  return `${name} reaches ${Math.round(reach)}px: “${(worst.textContent || "").trim().slice(0, 60)}”`;
}"""
# Parts of the page that scroll sideways inside themselves (a table in a scroller, tabs cut off),
# the widest first. A field holding a long line scrolls as fields do, and what is hidden for the eye
# only (a 1px clipped label) is not a part one sees.
CLIPPED = """() => [...document.body.querySelectorAll("*")]
  .filter(el => !el.matches("input, textarea, select") && el.clientWidth > 1 && el.scrollWidth > el.clientWidth + 1 &&
    /auto|scroll|hidden|clip/.test(getComputedStyle(el).overflowX))
  .sort((a, b) => b.scrollWidth - a.scrollWidth)
  .map(el => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") +
    (el.classList.length ? "." + [...el.classList].join(".") : "") +
    ` holds ${el.scrollWidth}px in ${el.clientWidth}px`)
"""


class Console:
    """What the page wrote to its console as errors, and the errors it threw."""

    def __init__(self, page: Any) -> None:
        self.errors: list[str] = []
        page.on("console", lambda m: self.note(page, m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.note(page, str(e)))

    def note(self, page: Any, text: str) -> None:
        self.errors.append(f"{page.url}: {text}")

    def take(self) -> list[str]:
        errors, self.errors = self.errors, []
        return errors


def sideways(page: Any) -> str | None:
    """Why the page, or a part of it, scrolls sideways; None when nothing does."""
    width, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    if width > inner:
        return f"{page.url} is {width}px wide in a {inner}px window; widest: {page.evaluate(WIDEST)}"
    if clipped := page.evaluate(CLIPPED):
        return f"{page.url} scrolls sideways inside: " + "; ".join(clipped)
    return None


def test_every_page_fits_a_phone_and_logs_no_error(new_page):
    world = World()
    pages = member_pages(world)
    views: dict[int, tuple[Any, Console]] = {}
    too_wide, errors = [], []
    for user, path in pages:
        if user.pk not in views:
            page = new_page(viewport=PHONE, csp=True)
            browser_login(page, user.email, PASSWORD)
            views[user.pk] = (page, Console(page))
        page, console = views[user.pk]
        page.goto(path)
        page.wait_for_load_state("networkidle")
        if reason := sideways(page):
            too_wide.append(reason)
        errors += console.take()
    anyone = new_page(viewport=PHONE, csp=True)
    console = Console(anyone)
    for path in PUBLIC_PAGES:
        anyone.goto(path)
        anyone.wait_for_load_state("networkidle")
        if reason := sideways(anyone):
            too_wide.append(reason)
        errors += console.take()
    opened = len(pages) + len(PUBLIC_PAGES)
    assert not too_wide, f"{len(too_wide)} of {opened} pages scroll sideways at 390px:\n" + "\n".join(too_wide)
    assert not errors, "console errors:\n" + "\n".join(errors)


def test_what_is_done_on_a_phone_logs_no_error(new_page):
    world = World()
    p = world.partnership
    page = new_page(viewport=PHONE, csp=True)
    console = Console(page)
    browser_login(page, world.member.email, PASSWORD)

    page.goto(f"/p/{p.pk}/")
    page.get_by_label("Their role").select_option(index=0)
    page.get_by_role("button", name="Create invitation link").click()
    page.locator("#invitations .invitation-link").first.wait_for()

    page.locator("#quick-journal > summary").click()
    page.get_by_label("What is happening, what are you seeing?").fill("Standup ran long again")
    page.get_by_role("button", name="Save to journal").click()
    page.get_by_text("Saved to your journal").wait_for()
    # Refused (blank once trimmed): the form comes back with its message, as a 200.
    page.get_by_label("What is happening, what are you seeing?").fill("   ")
    page.get_by_role("button", name="Save to journal").click()
    page.locator("#quick-journal-body .errorlist").wait_for()

    retro = meeting_create(partnership=p, user=world.member, kind="retro", scheduled_for=now() + timedelta(hours=1))
    card_add(meeting=retro, user=world.partner, column="going_well", text="Pairing on the roadmap")
    page.goto(f"/p/{p.pk}/iterate/meetings/{retro.pk}/")
    page.get_by_role("button", name="Reveal all cards").click()
    page.get_by_text("Pairing on the roadmap").wait_for()
    for phase in ("3. Group", "4. Vote", "5. Discuss", "6. Decide"):
        page.get_by_role("button", name=phase).click()
        page.locator("button.phase--current", has_text=phase).wait_for()
    assert not sideways(page), sideways(page)
    errors = console.take()
    assert not errors, "console errors:\n" + "\n".join(errors)
