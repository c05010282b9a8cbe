"""Both partners on the same live retro: a card dragged onto another groups them on both screens
within three seconds, the group is renamed by keyboard, the keyboard's "Group with" groups too, a
click is never lost to a redraw, what the other is typing stays, and a converted card shows its link."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils.timezone import now

from accord.conftest import PHONE, browser_login
from accord.rituals.models import ActionItem, Card, CardGroup
from accord.rituals.services import card_add, meeting_create, meeting_phase_set

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
LIVE = 3_000  # the partner's screen follows within three seconds


def card(page, text):
    return page.locator(".retro-card").filter(has=page.locator(".card-text", has_text=text))


def drag(page, source, target) -> None:
    start, end = source.bounding_box(), target.bounding_box()
    page.mouse.move(start["x"] + 24, start["y"] + 14)
    page.mouse.down()
    page.mouse.move(start["x"] + 40, start["y"] + 30, steps=4)
    page.mouse.move(end["x"] + 30, end["y"] + 18, steps=12)
    assert "drop-target" in (target.get_attribute("class") or "")
    page.wait_for_timeout(300)  # a hand rests on the card before letting go
    page.mouse.up()


def test_grouping_together_on_a_live_board(new_page, axe, partnership, alice, bob):
    retro = meeting_create(partnership=partnership, user=None, kind="retro", scheduled_for=now() + timedelta(hours=1))
    card_add(meeting=retro, user=alice, column="frustrating", text="Too many status meetings")
    card_add(meeting=retro, user=alice, column="going_well", text="We pair on specs")
    card_add(meeting=retro, user=bob, column="frustrating", text="Too many status meetings")
    card_add(meeting=retro, user=bob, column="try_next", text="Demo to each other on Fridays")
    meeting_phase_set(meeting=retro, phase="group")
    url = f"/p/{partnership.pk}/iterate/meetings/{retro.pk}/"

    ann = new_page()
    # The server's first answer imports the whole app: on a busy machine longer than a page may wait.
    ann.goto("/accounts/login/", timeout=120_000)
    browser_login(ann, "alice@example.org")
    ann.goto(url)
    ben = new_page(viewport=PHONE)
    browser_login(ben, "bob@example.org")
    ben.goto(url)
    ben.evaluate("window.__sameDocument = true")
    axe(ann)
    axe(ben)
    # Same text, told apart by number and author.
    assert card(ann, "Too many status meetings").nth(0).locator(".card-meta").inner_text().startswith("#1 · You")
    assert card(ann, "Too many status meetings").nth(1).locator(".card-meta").inner_text().startswith("#3 · Bob")

    # Ben is halfway through a card while Ann drags one onto another.
    box = ben.get_by_label("Frustrating", exact=True)
    box.fill("Half a thought")

    drag(ann, card(ann, "Demo to each other on Fridays"), card(ann, "We pair on specs"))
    ann.locator(".retro-group").filter(has=card(ann, "Demo to each other on Fridays")).wait_for()
    group = ben.locator(".retro-group")
    group.filter(has=card(ben, "We pair on specs")).filter(has=card(ben, "Demo to each other on Fridays")).wait_for(
        timeout=LIVE
    )
    assert ben.get_by_label("Group title").input_value() == "We pair on specs"
    assert box.input_value() == "Half a thought"  # the redraw kept what Ben is typing, and where
    assert ben.evaluate("document.activeElement.id") == "card-text-frustrating"

    # Ben renames the group from the keyboard.
    title = ben.get_by_label("Group title")
    title.focus()
    ben.keyboard.press("Control+A")
    ben.keyboard.type("Showing our work")
    ben.keyboard.press("Enter")
    ann.locator("input[name=title][value='Showing our work']").wait_for(timeout=LIVE)
    # The board is not redrawn under a field being typed in (accord.js): Ben moves on to "Rename".
    ben.keyboard.press("Tab")
    assert ann.locator(".retro-group").get_attribute("aria-label") == "Group: Showing our work"

    # Ann groups the two identical cards from the keyboard: "Group with", then the button.
    mine, theirs = Card.objects.filter(text="Too many status meetings").order_by("id")
    choose = ann.locator(f"#group-{mine.pk}")
    choose.focus()
    choose.select_option(str(theirs.pk))
    ann.keyboard.press("Tab")
    assert ann.evaluate("document.activeElement.id") == f"group-btn-{mine.pk}"
    ann.keyboard.press("Enter")
    ben.locator(".retro-group").nth(1).filter(has=card(ben, "Too many status meetings").nth(0)).wait_for(timeout=LIVE)
    assert CardGroup.objects.filter(meeting=retro).count() == 2
    axe(ann)
    axe(ben)

    # A click held while the board redraws under it still lands: Ann presses "Vote", Ben adds a
    # card meanwhile, Ann's board morphs, then she lets go.
    ann.locator("#phase-vote").scroll_into_view_if_needed()
    vote = ann.locator("#phase-vote").bounding_box()
    ann.mouse.move(vote["x"] + vote["width"] / 2, vote["y"] + vote["height"] / 2)
    ann.mouse.down()
    ben.get_by_role("button", name="Add to “Frustrating”").click()
    card(ann, "Half a thought").wait_for(timeout=LIVE)
    ann.mouse.up()
    ann.get_by_text("Vote for what matters most").wait_for(timeout=LIVE)
    ben.get_by_text("Vote for what matters most").wait_for(timeout=LIVE)

    # Decide: Ann turns the top card into an action item; both see the link, neither the button.
    ben.get_by_role("button", name="+1 vote for #3: Too many status meetings").click()
    ben.get_by_text("2 votes left").wait_for()
    ann.locator("#phase-decide").click()
    topic = ann.locator(".topic").first
    topic.wait_for(timeout=LIVE)
    assert "Too many status meetings" in topic.inner_text()  # the group with the vote comes first
    topic.get_by_text("Make it an action item").click()
    topic.get_by_label("Action").fill("One status meeting a week, written")
    topic.get_by_role("button", name="Add action").click()
    ann.get_by_text("Action item added.").wait_for()
    item = ActionItem.objects.get()
    assert item.card is not None and item.card.text == "Too many status meetings"
    link = ben.locator(".topic").first.get_by_role("link", name="One status meeting a week, written")
    link.wait_for(timeout=LIVE)
    assert link.get_attribute("href") == f"#action-{item.pk}"
    assert ben.locator(".topic").first.get_by_text("Make it an action item").count() == 0
    assert ann.locator(".topic").first.get_by_text("Make it an action item").count() == 0
    assert ben.evaluate("window.__sameDocument === true")  # Ben never reloaded
    axe(ann)
    axe(ben)
