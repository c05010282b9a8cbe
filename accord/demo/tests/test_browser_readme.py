"""The README's pictures, taken from the demo data in a real browser every time this runs, so they
never show a screen that no longer exists. The bytes differ from run to run (fonts, anti-aliasing):
the test asserts that each picture was written and is a real PNG of the desktop width, not its pixels."""

from __future__ import annotations

import struct
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils.timezone import now

from accord.accounts.models import User
from accord.assessments.models import HealthCheck
from accord.conftest import browser_login
from accord.demo.loader import DEMO_PARTNERSHIP
from accord.demo.rituals import CARDS
from accord.partnerships.models import Partnership
from accord.rituals.services import card_add, meeting_create, meeting_phase_set, meeting_reveal, vote_add

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SCREENSHOTS = Path(__file__).resolve().parents[3] / "docs" / "screenshots"
VIEWPORT = {"width": 1280, "height": 800}
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def png_size(path: Path) -> tuple[int, int]:
    """Width and height from the PNG's header (its IHDR chunk comes first)."""
    head = path.read_bytes()[:24]
    assert head[:8] == PNG_SIGNATURE and head[12:16] == b"IHDR", f"{path.name} is not a PNG"
    width, height = struct.unpack(">II", head[16:24])
    return width, height


def live_retro(partnership: Partnership) -> str:
    """A retro in its voting phase: both partners' cards revealed, a few votes cast."""
    alice, bob = (User.objects.get(email=f"{name}@example.com") for name in ("alice", "bob"))
    started = now() - timedelta(minutes=20)
    retro = meeting_create(partnership=partnership, user=alice, kind="retro", scheduled_for=started)
    cards = []
    for person, pick in ((alice, 0), (bob, 1)):
        for column, texts in CARDS.items():
            cards.append(card_add(meeting=retro, user=person, column=column, text=texts[pick]))
            if column != "try_next":
                cards.append(card_add(meeting=retro, user=person, column=column, text=texts[pick + 2]))
    retro = meeting_reveal(meeting=retro)
    for person, picks in ((alice, (2, 5, 6)), (bob, (2, 6, 9))):
        for i in picks:
            vote_add(card=cards[i], user=person)
    meeting_phase_set(meeting=retro, phase="vote")
    return f"/p/{partnership.pk}/iterate/meetings/{retro.pk}/"


def test_the_readme_pictures_are_taken_from_the_demo(new_page):
    call_command("demo")
    partnership = Partnership.objects.get(name=DEMO_PARTNERSHIP)
    check = HealthCheck.objects.filter(partnership=partnership, status=HealthCheck.Status.REVEALED).first()
    assert check is not None
    retro = live_retro(partnership)

    page = new_page(viewport=VIEWPORT)
    page.set_default_timeout(30_000)
    browser_login(page, "alice@example.com", "accord-demo")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for name, url, ready in (
        ("dashboard", f"/p/{partnership.pk}/", "What needs doing"),
        ("health-check", f"/p/{partnership.pk}/assess/{check.pk}/", "How each of you sees it"),
        ("retro", retro, "Retro on"),
    ):
        page.goto(url)
        page.get_by_role("heading", name=ready).first.wait_for()
        path = SCREENSHOTS / f"{name}.png"
        path.unlink(missing_ok=True)
        page.screenshot(path=str(path))
        assert png_size(path) == (1280, 800)
        assert 20_000 < path.stat().st_size < 800_000, f"{name}.png is {path.stat().st_size} bytes"
