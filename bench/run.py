"""`make bench`: seed a database, serve Accord in production mode, and time its pages against the
floor (/healthz, the smallest view through the same middleware). Prints a table and writes
bench/results.json.

    python bench/run.py [--partnerships 1] [--years 5] [--requests 200] [--warmup 30]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/accord_bench python bench/run.py --partnerships 1000 --years 2
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import os
import re
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

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


SETUP = r"""
import json, sys
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.db import connection
from django.db.models import F
from django.utils.timezone import now
from accord.accounts.models import User
from accord.orgs.models import Organisation
from accord.partnerships.models import Partnership
from accord.rituals.services import meeting_create, card_add, meeting_reveal, meeting_phase_set
from accord.assessments.models import HealthCheck
from accord.rituals.models import Meeting, Card, ActionItem

em = User.objects.get(email="em1@seed.example")
pm = User.objects.get(email="pm1@seed.example")
p = Partnership.objects.get(memberships__user=em)
retro = meeting_create(partnership=p, user=em, kind="retro", scheduled_for=now())
for i in range(60):
    card_add(meeting=retro, user=em if i % 2 else pm, column=("going_well", "frustrating", "try_next")[i % 3], text=f"Bench card {i}")
meeting_reveal(meeting=retro)
meeting_phase_set(meeting=retro, phase="vote")
org = Organisation.objects.get(name="Seed Org")
paths = {
    "floor: /healthz": "/healthz",
    "dashboard": f"/p/{p.pk}/",
    "insights API": f"/api/v1/partnerships/{p.pk}/insights",
    "health-check history": f"/p/{p.pk}/assess/",
    "meetings list": f"/p/{p.pk}/iterate/",
    "retro, 60 cards": f"/p/{p.pk}/iterate/meetings/{retro.pk}/",
    "portfolio page": f"/orgs/{org.pk}/",
    "portfolio API": f"/api/v1/orgs/{org.pk}/portfolio",
    "health-checks API": f"/api/v1/partnerships/{p.pk}/health-checks",
    "health check API": f"/api/v1/health-checks/{p.health_checks.order_by('-number')[0].pk}",
    "decisions API": f"/api/v1/partnerships/{p.pk}/decisions",
    "meetings API": f"/api/v1/partnerships/{p.pk}/meetings",
    "retro API, 60 cards": f"/api/v1/meetings/{retro.pk}",
}
coach = User.objects.get(email="coach@seed.example")
from accord.accounts.services import api_token_create
tokens = {u.email: api_token_create(user=u, name="bench")[1] for u in (em, coach)}
queries, cold_queries = {}, {}
for name, path in paths.items():
    user = coach if "portfolio" in name else em
    client = Client(headers={"Authorization": f"Bearer {tokens[user.email]}"} if "API" in name else {})
    if "API" not in name and name != "floor: /healthz":
        client.force_login(user)
    client.get(path)
    with CaptureQueriesContext(connection) as ctx:
        status = client.get(path).status_code
    assert status == 200, (name, status)
    queries[name] = len(ctx.captured_queries)
    Partnership.objects.filter(pk=p.pk).update(version=F("version") + 1)
    Organisation.objects.update(version=F("version") + 1)
    with CaptureQueriesContext(connection) as ctx:
        client.get(path)
    cold_queries[name] = len(ctx.captured_queries)
volume = {
    "partnerships": Partnership.objects.count(),
    "meetings": Meeting.objects.count(),
    "cards": Card.objects.count(),
    "health_checks": HealthCheck.objects.count(),
    "action_items": ActionItem.objects.count(),
}
print(json.dumps({"pid": p.pk, "paths": paths, "queries": queries, "cold_queries": cold_queries, "tokens": tokens, "volume": volume}))
"""


class Session:
    def __init__(self, base: str) -> None:
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def get(self, path: str, headers: dict[str, str] | None = None) -> tuple[int, bytes]:
        request = urllib.request.Request(self.base + path, headers=headers or {})
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


def bumper(env: dict[str, str], pid: int) -> Callable[[], None]:
    """What a write in the measured partnership does to cached pages: raise its version and its
    organisation's, so the next request renders afresh (other partnerships' cached figures stay)."""
    statements = [
        f"UPDATE partnerships_partnership SET version = version + 1 WHERE id = {int(pid)}",  # noqa: S608 - an int
        "UPDATE orgs_organisation SET version = version + 1",
    ]
    url = env.get("DATABASE_URL", "")
    connection: Any
    if url.startswith("postgres"):
        import psycopg

        connection = psycopg.connect(url, autocommit=True)
    else:
        connection = sqlite3.connect(Path(env["ACCORD_DATA_DIR"]) / "accord.sqlite3", isolation_level=None)

    def bump() -> None:
        for statement in statements:
            connection.execute(statement)

    return bump


def measure(
    session: Session,
    path: str,
    headers: dict[str, str],
    warmup: int,
    requests: int,
    before_each: Callable[[], None] | None = None,
) -> list[float]:
    for _ in range(warmup):
        session.get(path, headers)
    times = []
    for _ in range(requests):
        if before_each:
            before_each()
        started = time.perf_counter()
        status, _ = session.get(path, headers)
        times.append((time.perf_counter() - started) * 1000)
        assert status == 200
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--partnerships", type=int, default=1)
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--warmup", type=int, default=30)
    parser.add_argument("--cold-requests", type=int, default=30)
    parser.add_argument("--workers", default="2")
    parser.add_argument("--output", default=str(ROOT / "bench" / "results.json"))
    args = parser.parse_args()

    data_dir = tempfile.mkdtemp(prefix="accord-bench-")
    env = {
        **os.environ,
        "ACCORD_DATA_DIR": data_dir,
        "DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "WEB_CONCURRENCY": args.workers,
        "DJANGO_SETTINGS_MODULE": "accord.settings",
    }
    database = "PostgreSQL" if env.get("DATABASE_URL", "").startswith("postgres") else "SQLite"
    if database == "PostgreSQL":
        fresh_postgres(env["DATABASE_URL"])
    print(f"Seeding {args.partnerships} partnership(s) × {args.years} year(s) on {database} …", flush=True)
    started = time.monotonic()
    accord(env, "migrate", "-v0")
    print(
        accord(
            env, "seed", f"--partnerships={args.partnerships}", f"--years={args.years}", f"--password={PASSWORD}", "-v0"
        ).strip()
    )
    # The figures the seed's writes queued, computed as the worker beside the server would, so the
    # measurements do not share the machine with it.
    accord(env, "worker", "--batch", "--no-startup-delay", "-v0")
    seed_seconds = time.monotonic() - started
    if database == "PostgreSQL":
        analyze(env["DATABASE_URL"])
    setup = json.loads(
        subprocess.run(
            [sys.executable, "-c", "import django; django.setup()\n" + SETUP],
            env=env,
            cwd=ROOT,
            check=True,
            capture_output=True,
            text=True,
        )
        .stdout.strip()
        .splitlines()[-1]
    )

    base, server = serve(env)
    try:
        bump = bumper(env, setup["pid"])
        partner, coach = Session(base), Session(base)
        partner.login("em1@seed.example")
        coach.login("coach@seed.example")
        targets = {}
        for name, path in setup["paths"].items():
            email = "coach@seed.example" if "portfolio" in name else "em1@seed.example"
            headers = {"Authorization": f"Bearer {setup['tokens'][email]}"} if "API" in name else {}
            targets[name] = (coach if "portfolio" in name else partner, path, headers)
        # Round-robin over the pages, so that a noisy moment on this shared machine weighs on all
        # of them alike instead of on whichever page was being timed.
        times: dict[str, list[float]] = {name: [] for name in targets}
        cold: dict[str, list[float]] = {name: [] for name in targets}
        for who, path, headers in targets.values():
            measure(who, path, headers, args.warmup, 0)
        for _ in range(args.requests):
            for name, (who, path, headers) in targets.items():
                times[name] += measure(who, path, headers, 0, 1)
        # Cold: every request right after a write, so nothing comes from the page cache.
        for _ in range(args.cold_requests):
            for name, (who, path, headers) in targets.items():
                cold[name] += measure(who, path, headers, 0, 1, None if "floor" in name else bump)
        results = {}
        for name, (_, path, _) in targets.items():
            warm, fresh = sorted(times[name]), sorted(cold[name])
            results[name] = {
                "path": path,
                "median_ms": round(statistics.median(warm), 2),
                "p95_ms": round(warm[int(len(warm) * 0.95) - 1], 2),
                "queries": setup["queries"][name],
                "cold_median_ms": round(statistics.median(fresh), 2),
                "cold_queries": setup["cold_queries"][name],
            }
    finally:
        server.terminate()
        server.wait(timeout=20)
    floor = results["floor: /healthz"]["median_ms"]
    for figures in results.values():
        figures["ratio_to_floor"] = round(figures["median_ms"] / floor, 2) if floor else None

    title = f"Accord on {database}: {args.partnerships} partnership(s) × {args.years} year(s), {args.requests} requests each"
    print("\n" + title)
    print(f"{'page':<24}{'median ms':>11}{'p95 ms':>9}{'× floor':>9}{'queries':>9}{'cold ms':>10}{'cold q':>8}")
    for name, f in results.items():
        print(
            f"{name:<24}{f['median_ms']:>11.2f}{f['p95_ms']:>9.2f}{f['ratio_to_floor']:>9.2f}{f['queries']:>9}"
            f"{f['cold_median_ms']:>10.2f}{f['cold_queries']:>8}"
        )
    print("cold: the same page right after a write in the partnership, rendered afresh (no page cache)")
    print("data: " + ", ".join(f"{k} {v:,}" for k, v in setup["volume"].items()) + f"; seeded in {seed_seconds:.0f} s")
    output = {
        "database": database,
        "partnerships": args.partnerships,
        "years": args.years,
        "requests": args.requests,
        "volume": setup["volume"],
        "seed_seconds": round(seed_seconds, 1),
        "results": results,
    }
    Path(args.output).write_text(json.dumps(output, indent=2))
    print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
