"""What the benchmark scripts share: a production server on a free port, the `accord` command, a
fresh PostgreSQL database, and a logged-in HTTP session."""

from __future__ import annotations

import http.cookiejar
import re
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "bench-pass-123"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def serve(env: dict[str, str], stderr: int = subprocess.DEVNULL) -> tuple[str, subprocess.Popen[str]]:
    """A production server on a free port, once it answers: its address and its process."""
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "accord.cli", "serve", "--prod", "--port", str(port)],
        env={**env, "PORT": str(port)},
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=stderr,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 300  # migrating and collecting static files first, on a busy machine
    while time.monotonic() < deadline and server.poll() is None:
        try:
            urllib.request.urlopen(base + "/healthz", timeout=1).read()
            return base, server
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit(f"the server on {base} did not answer: {server.communicate()[1] or ''}")


def accord(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "accord.cli", *args], env=env, cwd=ROOT, check=True, capture_output=True, text=True
    )
    return result.stdout


def analyze(url: str) -> None:
    """Fresh planner statistics after a bulk load, as a live PostgreSQL database has them."""
    parts = urllib.parse.urlparse(url)
    host, user = parts.hostname or "127.0.0.1", parts.username or "postgres"
    subprocess.run(["psql", "-h", host, "-U", user, "-d", parts.path.lstrip("/"), "-qc", "ANALYZE"], check=True)


def fresh_postgres(url: str) -> None:
    parts = urllib.parse.urlparse(url)
    name = parts.path.lstrip("/")
    base = [
        "psql",
        "-h",
        parts.hostname or "127.0.0.1",
        "-p",
        str(parts.port or 5432),
        "-U",
        parts.username or "postgres",
        "-q",
        "-c",
    ]
    subprocess.run([*base, f'DROP DATABASE IF EXISTS "{name}"'], check=True, capture_output=True)
    subprocess.run([*base, f'CREATE DATABASE "{name}"'], check=True, capture_output=True)


class Session:
    def __init__(self, base: str) -> None:
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def get(self, path: str, headers: dict[str, str] | None = None) -> tuple[int, bytes]:
        request = urllib.request.Request(self.base + path, headers=headers or {})
        with self.opener.open(request, timeout=30) as response:
            return response.status, response.read()

    def post(self, path: str, body: bytes, headers: dict[str, str] | None = None) -> tuple[int, bytes]:
        request = urllib.request.Request(self.base + path, data=body, headers=headers or {}, method="POST")
        with self.opener.open(request, timeout=30) as response:
            return response.status, response.read()

    def login(self, email: str) -> None:
        _, page = self.get("/accounts/login/")
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        assert token, "no CSRF token on the login page"
        data = urllib.parse.urlencode(
            {"csrfmiddlewaretoken": token[1].decode(), "login": email, "password": PASSWORD}
        ).encode()
        request = urllib.request.Request(
            self.base + "/accounts/login/", data=data, headers={"Referer": self.base + "/accounts/login/"}
        )
        self.opener.open(request, timeout=30).read()


# What a coach's portfolio reads of a partnership, copied to make many from a seeded few.
COPIED = (
    ("partnerships_partnership", "id", "id"),
    ("partnerships_membership", "id", "partnership_id"),
    ("orgs_orgaccess", "id", "partnership_id"),
    ("insights_partnershipfigures", None, "partnership_id"),
)


def copy_partnerships(url: str, copies: int) -> None:
    """Make each seeded partnership `copies` partnerships in all, on PostgreSQL: its row, members,
    grants and stored figures (what the portfolio reads), under new ids. Seeding 10,000 partnerships
    with their histories would take hours here."""
    parts = urllib.parse.urlparse(url)
    statements = ["BEGIN;"]
    for table, own, partnership in COPIED:
        shifted = [f"'{partnership}', t.{partnership} + g * 10000000"]
        if own and own != partnership:
            shifted.append(f"'{own}', t.{own} + g * 100000000")
        if table == "partnerships_partnership":
            shifted.append("'name', t.name || ' (' || g || ')'")
        record = f"jsonb_populate_record(NULL::{table}, to_jsonb(t) || jsonb_build_object({', '.join(shifted)}))"
        rows = f"FROM {table} t, generate_series(1, {copies - 1}) g"
        statements.append(f"INSERT INTO {table} SELECT ({record}).* {rows};")
    statements.append("COMMIT;")
    command = ["psql", "-h", parts.hostname or "127.0.0.1", "-U", parts.username or "postgres"]
    command += ["-d", parts.path.lstrip("/"), "-v", "ON_ERROR_STOP=1", "-qc", "\n".join(statements)]
    subprocess.run(command, check=True, capture_output=True)
