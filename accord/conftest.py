"""The shared cast: alice (EM) and bob (PM) share a partnership; carol (PM) has her own;
charlie belongs nowhere and should see none of Alice's stuff; coach supports partnerships.

Every test runs on a frozen clock (the autouse `clock` fixture): no test reads the real date. A
test that needs time to pass says so with `@pytest.mark.real_clock`; a date-sensitive test runs
on the hard days of the calendar with `@on_hard_days`."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.apps import apps
from django.test import Client
from django.utils import timezone

from accord.accounts.models import User
from accord.accounts.services import api_token_create, user_create
from accord.lib.dates import local_today, zone
from accord.partnerships.models import Partnership, Role
from accord.partnerships.services import (
    invitation_accept,
    invitation_create,
    partnership_create,
    partnership_update,
)

PASSWORD = "correct horse battery staple"
ROOT = Path(__file__).resolve().parent.parent
# Tables whose rows are history or secrets rather than shared state (sessions, failed logins).
IGNORED_TABLES = {"sessions.session", "accounts.authfailure", "account.emailconfirmation"}
# Bookkeeping that a refused request may still touch (logging in, using a token).
IGNORED_FIELDS = {"last_login", "last_used_at"}


@dataclass(frozen=True)
class Instant:
    """A moment a test runs at (wall-clock time in `zone`), the time zone of the partnerships the
    shared cast creates, and the server's own time zone (settings.TIME_ZONE)."""

    wall: tuple[int, int, int, int, int]  # year, month, day, hour, minute in `zone`
    zone: str = "UTC"
    server_zone: str = "UTC"

    @property
    def at(self) -> datetime:
        year, month, day, hour, minute = self.wall
        return datetime(year, month, day, hour, minute, tzinfo=zone(self.zone)).astimezone(UTC)


# An ordinary Wednesday morning in the middle of a month and of a quarter.
ORDINARY_DAY = Instant((2026, 6, 17, 9, 30))
TODAY = ORDINARY_DAY.at.date()  # what tests on an ordinary day see as today (partnerships in UTC)
# Where calendars break: month and year ends, a leap day, the days clocks change, a week boundary,
# in zones far from UTC, on a server whose own zone is neither UTC nor the partnership's.
FAR = "Asia/Kathmandu"  # UTC+05:45: a server zone that matches nobody's
HARD_DAYS = [
    pytest.param(Instant((2027, 3, 1, 0, 20), "UTC", FAR), id="first-of-month"),
    pytest.param(Instant((2027, 4, 30, 23, 40), "UTC", FAR), id="last-of-month"),
    pytest.param(Instant((2028, 2, 29, 12, 0), "Europe/Berlin", FAR), id="leap-day"),
    pytest.param(Instant((2027, 12, 31, 23, 30), "Pacific/Auckland", FAR), id="new-year-eve-auckland"),
    pytest.param(Instant((2027, 12, 31, 23, 30), "America/Los_Angeles", FAR), id="new-year-eve-los-angeles"),
    pytest.param(Instant((2027, 9, 26, 3, 30), "Pacific/Auckland", FAR), id="clocks-forward-auckland"),
    pytest.param(Instant((2028, 4, 2, 2, 30), "Pacific/Auckland", FAR), id="clocks-back-auckland"),
    pytest.param(Instant((2027, 3, 14, 3, 30), "America/Los_Angeles", FAR), id="clocks-forward-los-angeles"),
    pytest.param(Instant((2027, 11, 7, 1, 30), "America/Los_Angeles", FAR), id="clocks-back-los-angeles"),
    pytest.param(Instant((2027, 6, 6, 23, 30), "America/Los_Angeles", FAR), id="sunday-night-los-angeles"),
]
# Run a test at every hard day: `@on_hard_days` above it, and the shared cast follows the clock.
on_hard_days = pytest.mark.parametrize("clock", HARD_DAYS, indirect=True)
# For slow tests (a whole demo): one of each kind, a month end, a year end far from UTC, a clock change.
on_some_hard_days = pytest.mark.parametrize(
    "clock",
    [d for d in HARD_DAYS if d.id in {"last-of-month", "new-year-eve-auckland", "clocks-forward-los-angeles"}],
    indirect=True,
)


class Clock:
    """The test's clock: frozen at its instant until the test moves it."""

    def __init__(self, instant: Instant, traveller: Any | None) -> None:
        self.instant = instant
        self._traveller = traveller

    @property
    def zone(self) -> str:
        return self.instant.zone

    def now(self) -> datetime:
        return timezone.now()

    @property
    def today(self) -> Any:
        """Today in the partnership's time zone."""
        return local_today(self.zone)

    def shift(self, delta: timedelta) -> None:
        assert self._traveller is not None, "a real_clock test cannot move time"
        self._traveller.shift(delta)

    def move_to(self, moment: datetime) -> None:
        assert self._traveller is not None, "a real_clock test cannot move time"
        self._traveller.move_to(moment)


@pytest.fixture(autouse=True)
def clock(request: pytest.FixtureRequest, settings: Any) -> Iterator[Clock]:
    """Every test runs at a fixed instant (an ordinary day, or the hard day it is parametrised
    with), unless marked `real_clock`: the tests that run servers in other processes."""
    instant: Instant = getattr(request, "param", ORDINARY_DAY)
    if request.node.get_closest_marker("real_clock"):
        yield Clock(ORDINARY_DAY, None)
        return
    settings.TIME_ZONE = instant.server_zone
    with time_machine.travel(instant.at, tick=False) as traveller:
        yield Clock(instant, traveller)


@pytest.fixture(autouse=True)
def _fast_passwords(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Background tasks run as they are queued (after the commit), so a test sees what they make.
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    locmem = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    settings.CACHES = {"default": locmem, "pages": {**locmem, "LOCATION": "pages"}}
    from django.core.cache import caches

    for alias in settings.CACHES:
        caches[alias].clear()
    from accord.orgs.selectors import KEPT

    KEPT.clear()  # rows one test's portfolio worked out are not another's (ids and clocks repeat)


@pytest.fixture
def database_queue(settings: Any, monkeypatch: Any) -> None:
    """The production queue: tasks wait in the database until a worker takes them, and queueing
    one costs its INSERT. (The worker closes stale connections as it wakes; the test's own one
    must stay open.)"""
    from django_tasks_db.management.commands import db_worker

    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def make_user(email: str, name: str) -> User:
    return user_create(email=email, password=PASSWORD, name=name)


@pytest.fixture
def alice(db: None) -> User:
    return make_user("alice@example.org", "Alice Martin")


@pytest.fixture
def bob(db: None) -> User:
    return make_user("bob@example.org", "Bob Okafor")


@pytest.fixture
def carol(db: None) -> User:
    return make_user("carol@example.org", "Carol Jensen")


@pytest.fixture
def charlie(db: None) -> User:
    return make_user("charlie@example.org", "Charlie Outsider")


@pytest.fixture
def coach(db: None) -> User:
    return make_user("coach@example.org", "Casey Coach")


def join(partnership: Partnership, inviter: User, user: User, role: str) -> None:
    invitation = invitation_create(partnership=partnership, invited_by=inviter, role=role)
    invitation_accept(token=invitation.token, user=user)


def in_zone(partnership: Partnership, clock: Clock) -> Partnership:
    """The partnership set to the clock's time zone (UTC on an ordinary day)."""
    if partnership.timezone != clock.zone:
        partnership_update(partnership=partnership, timezone_name=clock.zone)
    return partnership


@pytest.fixture
def partnership(alice: User, bob: User, clock: Clock) -> Partnership:
    p = partnership_create(user=alice, name="Checkout leads", team="Checkout squad", role=Role.EM)
    join(p, alice, bob, Role.PM)
    return in_zone(p, clock)


@pytest.fixture
def other_partnership(carol: User, clock: Clock) -> Partnership:
    return in_zone(partnership_create(user=carol, name="Search leads", team="Search", role=Role.PM), clock)


def login(client: Client, user: User) -> Client:
    client.force_login(user)
    return client


@pytest.fixture
def api_client() -> Callable[[User | None], Client]:
    """A JSON client for the API, with a bearer token for `user` (or none); one per user per test."""
    clients: dict[int | None, Client] = {}

    def make(user: User | None = None) -> Client:
        key = user.pk if user is not None else None
        if key not in clients:
            headers = {}
            if user is not None:
                _, raw = api_token_create(user=user, name="tests")
                headers["Authorization"] = f"Bearer {raw}"
            clients[key] = Client(headers=headers)
        return clients[key]

    return make


def snapshot() -> dict[str, list[dict[str, Any]]]:
    """Every row of every Accord and account table: to prove a refused request changed nothing."""
    state = {}
    for model in apps.get_models():
        label = model._meta.label_lower
        if label in IGNORED_TABLES or model._meta.app_label in {"contenttypes", "auth", "admin"}:
            continue
        names = [f.attname for f in model._meta.concrete_fields if f.attname not in IGNORED_FIELDS]
        state[label] = list(model._default_manager.order_by("pk").values(*names))
    return state


@contextmanager
def unchanged() -> Iterator[None]:
    before = snapshot()
    yield
    after = snapshot()
    changed = [label for label in before if before[label] != after[label]]
    assert not changed, f"refused request changed {changed}"


def require_tool(found: bool, what: str) -> None:
    """Browser tests need Chromium and axe-core: in CI their absence fails, elsewhere it skips."""
    if found:
        return
    if os.environ.get("CI"):
        pytest.fail(f"{what} is missing; CI must not skip browser tests.")
    pytest.skip(f"{what} is missing (see README: Tests)")


@pytest.fixture(scope="session")
def chromium_path() -> str:
    path = os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    require_tool(bool(path), "Chromium (apt-get install chromium)")
    assert path
    return path


@pytest.fixture(scope="session")
def axe_source() -> str:
    path = ROOT / "node_modules" / "axe-core" / "axe.min.js"
    require_tool(path.exists(), "axe-core (npm ci)")
    return path.read_text()


@pytest.fixture(scope="session")
def browser(chromium_path: str) -> Iterator[Any]:
    """Debian's Chromium driven by Playwright (never a downloaded browser)."""
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # Playwright's sync API runs an event loop here
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
        )
        yield browser
        browser.close()


PHONE = {"width": 390, "height": 844}


@pytest.fixture
def new_page(browser: Any, live_server: Any) -> Iterator[Callable[..., Any]]:
    """Open a page in a fresh browser context (its own cookies): one per person in a test."""
    contexts = []

    def make(viewport: dict[str, int] | None = None, csp: bool = False) -> Any:
        # bypass_csp lets the test inject axe-core; the app's own pages never need it, and `csp`
        # keeps the policy on to see what it refuses.
        context = browser.new_context(base_url=live_server.url, viewport=viewport, bypass_csp=not csp)
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def axe(axe_source: str) -> Callable[[Any], None]:
    """Assert that the page has no serious or critical axe-core violations."""

    def check(page: Any) -> None:
        page.add_script_tag(content=axe_source)
        result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
        bad = [
            f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
            for v in result["violations"]
            if v["impact"] in {"serious", "critical"}
        ]
        assert not bad, f"axe-core on {page.url}:\n" + "\n".join(bad)

    return check


def browser_login(page: Any, email: str, password: str = PASSWORD) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in", exact=True).click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


class _MarkupAudit(HTMLParser):
    """Collects what would execute in a browser: script/iframe/object elements, event-handler
    attributes, and javascript:/data: URLs in links and sources."""

    def __init__(self) -> None:
        super().__init__()
        self.problems: list[str] = []
        self.scripts_allowed: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "script" and not (attributes.get("src") or "").startswith("/static/"):
            self.problems.append(f"<script> without a static src: {attrs}")
        if tag in {"iframe", "object", "embed", "frame"}:
            self.problems.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=…>")
            if name in {"href", "src", "action", "formaction", "xlink:href"} and value:
                scheme = value.strip().lower().replace("\t", "").replace("\n", "")
                if scheme.startswith(("javascript:", "data:", "vbscript:")):
                    self.problems.append(f"<{tag} {name}={value[:40]}>")


def assert_no_executable_markup(html: str) -> None:
    audit = _MarkupAudit()
    audit.feed(html)
    assert not audit.problems, audit.problems
