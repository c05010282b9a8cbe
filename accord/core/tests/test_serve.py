"""`accord serve` for real: a subprocess on a free port, its own data directory, its own SQLite."""

from __future__ import annotations

import os
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path

import pytest

# The servers run in other processes, on the real clock.
pytestmark = pytest.mark.real_clock
ROOT = Path(__file__).resolve().parents[3]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(url: str, process: subprocess.Popen[str], seconds: float = 150) -> bytes:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"server exited early:\n{process.stdout.read() if process.stdout else ''}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - our own server
                return bytes(response.read())
        except OSError:
            time.sleep(0.3)
    raise AssertionError(f"{url} did not answer within {seconds}s")


def serve(env: dict[str, str], *args: str) -> subprocess.Popen[str]:
    """`accord serve *args` in another process, with `env` alone; its output kept to read."""
    return subprocess.Popen(
        [sys.executable, "-m", "accord.cli", "serve", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


@pytest.mark.parametrize("mode", [[], ["--prod"]], ids=["development", "production"])
def test_serve_migrates_loads_the_demo_and_serves(tmp_path, mode):
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}}
    env |= {"ACCORD_DATA_DIR": str(tmp_path), "PORT": str(port), "WEB_CONCURRENCY": "1", "DEBUG": "0"}
    process = serve(env, "--demo", *mode)
    try:
        assert wait_for(f"http://127.0.0.1:{port}/healthz", process) == b"ok"
        home = wait_for(f"http://127.0.0.1:{port}/", process)
        assert b"Start your partnership" in home
        css = wait_for(f"http://127.0.0.1:{port}/static/accord/accord.css", process)
        assert b"--accent" in css
        # As users see it: a wrong address gets the friendly page, styled, with a way home, and
        # never Django's debug page listing the URL map.
        with pytest.raises(urllib.error.HTTPError) as missing:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/no-such-page/", timeout=10)
        page = missing.value.read().decode()
        assert missing.value.code == 404 and "<h1>Not found</h1>" in page and 'href="/"' in page
        assert "/static/accord/accord." in page and "URLconf" not in page and "DEBUG = True" not in page
        assert (tmp_path / "accord.sqlite3").exists()
        # A worker runs beside the server: it takes the queue's first upkeep round at once.
        assert wait_until(lambda: "SUCCESSFUL" in task_statuses(tmp_path, "tasks_prune"))
        assert processes_of(tmp_path), "the server and its worker run with this data directory"
    finally:
        process.terminate()
        output = process.communicate(timeout=20)[0]
    assert "alice@example.com / accord-demo" in output
    assert wait_until(lambda: not processes_of(tmp_path)), "the worker stops with the server"


def wait_until(condition: Callable[[], bool], seconds: float = 30) -> bool:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.2)
    return True


def task_statuses(data_dir: Path, name: str) -> list[str]:
    with sqlite3.connect(data_dir / "accord.sqlite3") as db:
        rows = db.execute(
            "SELECT status FROM django_tasks_database_dbtaskresult WHERE task_path LIKE ?", (f"%.{name}",)
        ).fetchall()
    return [status for (status,) in rows]


def processes_of(data_dir: Path) -> list[int]:
    """The processes running with `data_dir` as their data directory."""
    mine = f"ACCORD_DATA_DIR={data_dir}".encode()
    found = []
    for environ in Path("/proc").glob("[0-9]*/environ"):
        try:
            if mine in environ.read_bytes().split(b"\0"):
                found.append(int(environ.parent.name))
        except OSError:
            continue
    return found


def test_the_error_page_is_accords_own_and_leads_home():
    """Drawn with no request and no database (the server is failing): styled, with a way home."""
    from django.template.loader import render_to_string

    page = render_to_string("500.html")
    assert "Something went wrong" in page and 'href="/"' in page and "accord/accord.css" in page
