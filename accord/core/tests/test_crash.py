"""Pull the plug mid-write: the production server is killed with SIGKILL while partners write, then
restarted. Every write it acknowledged is still there, and the database is whole."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.db import connection

from accord.core.tests.test_serve import ROOT, free_port, wait_for

# The server runs in another process, on the real clock, and the test waits for it.
pytestmark = pytest.mark.real_clock
CRASHES = 3
WRITERS = 8


def call(base: str, method: str, path: str, body: object = None, token: str = "") -> tuple[int, dict[str, object]]:
    request = urllib.request.Request(  # noqa: S310 - our own server, over http
        base + path,
        method=method,
        data=None if body is None else json.dumps(body).encode(),
        headers={"Content-Type": "application/json", **({"Authorization": f"Bearer {token}"} if token else {})},
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - our own server
            return response.status, json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


def scratch_database() -> dict[str, str]:
    """The server's own database: SQLite in its data directory, or a fresh PostgreSQL database when
    the tests run on PostgreSQL."""
    if connection.vendor != "postgresql":
        return {}
    import psycopg

    s = connection.settings_dict
    host, port, user = s.get("HOST") or "127.0.0.1", s.get("PORT") or 5432, s.get("USER") or "postgres"
    with psycopg.connect(host=host, port=port, user=user, dbname="postgres", autocommit=True) as admin:
        admin.execute("DROP DATABASE IF EXISTS accord_crash_test")
        admin.execute("CREATE DATABASE accord_crash_test")
    return {"DATABASE_URL": f"postgres://{user}@{host}:{port}/accord_crash_test"}


@pytest.mark.django_db
def test_acknowledged_writes_survive_sigkill(tmp_path: Path) -> None:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}}
    env |= {"ACCORD_DATA_DIR": str(tmp_path), "PORT": str(port), "WEB_CONCURRENCY": "2", "DEBUG": "0"}
    env |= scratch_database()

    log = (tmp_path / "server.log").open("a")

    def start() -> subprocess.Popen[str]:
        # Its own session, so one signal reaches gunicorn's master and workers alike.
        process = subprocess.Popen(
            [sys.executable, "-m", "accord.cli", "serve", "--prod"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        wait_for(f"{base}/healthz", process, seconds=90)
        return process

    server = start()
    try:
        login = {"email": "k@example.org", "password": "kill -9 safely"}
        assert call(base, "POST", "/api/v1/auth/signup", {**login, "name": "K"})[0] == 201
        token = str(call(base, "POST", "/api/v1/auth/token", login)[1]["token"])
        pid = call(base, "POST", "/api/v1/partnerships", {"name": "Crash test", "role": "EM"}, token)[1]["id"]
        acknowledged: list[int] = []
        lock = threading.Lock()
        for crash in range(CRASHES):
            stop = threading.Event()

            def write(writer: int, crash: int = crash, stop: threading.Event = stop) -> None:
                n = 0
                while not stop.is_set():
                    n += 1
                    try:
                        status, entry = call(
                            base,
                            "POST",
                            f"/api/v1/partnerships/{pid}/journal",
                            {"text": f"{crash}/{writer}/{n}"},
                            token,
                        )
                    except (OSError, ValueError):
                        continue  # the server is gone: this write was never acknowledged
                    if status == 201:
                        with lock:
                            acknowledged.append(int(str(entry["id"])))

            writers = [threading.Thread(target=write, args=(w,)) for w in range(WRITERS)]
            for thread in writers:
                thread.start()
            time.sleep(2.5)
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=20)
            stop.set()
            for thread in writers:
                thread.join(timeout=30)
            server = start()
            missing = [
                jid for jid in acknowledged if call(base, "GET", f"/api/v1/journal/{jid}", token=token)[0] != 200
            ]
            assert not missing, f"after crash {crash + 1}, acknowledged writes are gone: {missing[:10]}"
        assert len(acknowledged) > 50
        print(
            f"\n{CRASHES} SIGKILLs during {WRITERS} concurrent writers: "
            f"{len(acknowledged)} acknowledged writes, none lost"
        )
    finally:
        os.killpg(server.pid, signal.SIGINT)  # gunicorn's quick shutdown
        server.wait(timeout=30)
    if connection.vendor == "sqlite":
        database = sqlite3.connect(tmp_path / "accord.sqlite3")
        assert database.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        database.close()
