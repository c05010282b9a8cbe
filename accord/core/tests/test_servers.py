"""Two production servers (`accord serve --prod`) on one database and one Redis, as several app
servers run: what is written through one is read through the other at once, and a session opened
on one is valid on the other, and ended on both at logout.

The database is PostgreSQL when DATABASE_URL names it (a fresh database beside the tests'), else
one SQLite file both servers open. Redis is the one at 127.0.0.1:6379 (ACCORD_TEST_REDIS_URL),
in a database number of its own that this test flushes. Without Redis the test fails: CI has one."""

from __future__ import annotations

import html
import http.cookiejar
import os
import re
import subprocess
import urllib.parse
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
import redis

from accord.core.tests.test_serve import free_port, serve, wait_for

pytestmark = pytest.mark.real_clock
REDIS_URL = os.environ.get("ACCORD_TEST_REDIS_URL", "redis://127.0.0.1:6379/13")
SECRET_KEY = uuid.uuid4().hex * 2


class Browser:
    """One browser's cookies, sent to whichever server it is pointed at."""

    def __init__(self) -> None:
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def cookie(self, name: str) -> str:
        return next(c.value for c in self.jar if c.name == name and c.value is not None)

    def get(self, url: str) -> tuple[str, str]:
        with self.opener.open(url, timeout=30) as response:
            return response.geturl(), response.read().decode()

    def status(self, url: str) -> int:
        with self.opener.open(url, timeout=30) as response:
            return int(response.status)

    def post(self, url: str, fields: dict[str, str]) -> str:
        data = urllib.parse.urlencode({**fields, "csrfmiddlewaretoken": self.cookie("csrftoken")}).encode()
        with self.opener.open(urllib.request.Request(url, data=data), timeout=30) as response:  # noqa: S310
            return str(response.geturl())


def replayed(url: str, session: str) -> str:
    """Where `url` lands for a browser sending only the session cookie `session`."""
    request = urllib.request.Request(url, headers={"Cookie": f"sessionid={session}"})  # noqa: S310 - our own server
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
        return str(response.geturl())


@pytest.fixture
def shared_redis() -> Iterator[str]:
    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.ConnectionError as error:
        pytest.fail(f"Redis is required at {REDIS_URL} (several app servers share it): {error}")
    client.flushdb()
    yield REDIS_URL
    client.flushdb()


@pytest.fixture
def database(tmp_path: Path) -> Iterator[str]:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        yield f"sqlite:///{tmp_path / 'shared.sqlite3'}"
        return
    parts = urllib.parse.urlparse(url)
    name = f"accord_servers_{uuid.uuid4().hex[:8]}"
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    yield parts._replace(path=f"/{name}").geturl()
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE "{name}" WITH (FORCE)')


def start(tmp_path: Path, name: str, database: str, redis_url: str, *args: str) -> tuple[str, subprocess.Popen[str]]:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE"}}
    env |= {
        "ACCORD_DATA_DIR": str(tmp_path / name),  # each server its own files: only the database and Redis are shared
        "DATABASE_URL": database,
        "REDIS_URL": redis_url,
        "SECRET_KEY": SECRET_KEY,  # one for every server, as the README asks
        "PORT": str(port),
        "WEB_CONCURRENCY": "2",
        "DEBUG": "0",
    }
    process = serve(env, "--prod", *args)
    base = f"http://127.0.0.1:{port}"
    assert wait_for(f"{base}/healthz", process) == b"ok"
    return base, process


def test_two_servers_share_pages_sessions_and_live_regions(tmp_path, database, shared_redis):
    servers: list[subprocess.Popen[str]] = []
    try:
        # The first migrates and loads the demo; the second finds the database up to date.
        a, process = start(tmp_path, "a", database, shared_redis, "--demo")
        servers.append(process)
        b, process = start(tmp_path, "b", database, shared_redis)
        servers.append(process)

        alice = Browser()
        alice.get(f"{a}/accounts/login/")
        landed = alice.post(f"{a}/accounts/login/", {"login": "alice@example.com", "password": "accord-demo"})
        pid = re.search(r"/p/(\d+)/", landed)
        assert pid, f"the login through A did not land in a partnership: {landed}"
        # The session A opened is valid on B.
        url, meetings = alice.get(f"{b}/p/{pid[1]}/iterate/")
        assert "/accounts/login/" not in url
        mid = re.findall(rf"/p/{pid[1]}/iterate/meetings/(\d+)/", meetings)[0]
        meeting = f"/p/{pid[1]}/iterate/meetings/{mid}/"
        # B draws (and caches) the meeting; A takes a talking point; B shows it at once.
        _, page = alice.get(b + meeting)
        assert "Raised on server A" not in page
        live = html.unescape(re.search(r'data-hx-get="([^"]*one-on-one/live/\?v=[^"]*)"', page)[1])
        assert alice.status(b + live) == 204  # current: nothing to redraw
        alice.post(f"{a}{meeting}agenda-items/new/", {"text": "Raised on server A"})
        assert "Raised on server A" in alice.get(b + meeting)[1]
        # B's live region, polled with the version B drew it at, redraws with A's write.
        assert "Raised on server A" in alice.get(b + live)[1]
        # And the other way round.
        alice.post(f"{b}{meeting}agenda-items/new/", {"text": "Raised on server B"})
        assert "Raised on server B" in alice.get(a + meeting)[1]
        # Logging out through B ends the session on A too: its cookie, kept, opens nothing there.
        session = alice.cookie("sessionid")
        assert "/accounts/login/" not in replayed(a + meeting, session)
        alice.post(f"{b}/accounts/logout/", {})
        assert "/accounts/login/" in replayed(a + meeting, session), "a session ended on B still opens pages on A"
    finally:
        for process in servers:
            process.terminate()
        for process in servers:
            process.communicate(timeout=30)
