"""`make loadtest`: concurrent partners for 60 s against the production server on a seeded database
(SQLite by default, PostgreSQL with DATABASE_URL). `SERVERS=2 make loadtest` starts two servers
sharing the database and Redis (REDIS_URL, by default database 14 of the Redis on 127.0.0.1, which
it flushes), 100 partners sending each request to the next server in turn. Fails unless there are
no errors and p95 stays under 250 ms."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import redis

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import PASSWORD, ROOT, accord, analyze, fresh_postgres, serve

PARTNERSHIPS = 25
SESSIONS = r"""
import json, sys
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from accord.accounts.models import User
keys = []
for user in User.objects.filter(email__endswith="@seed.example").exclude(email__startswith="coach").order_by("pk")[:50]:
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    keys.append(session.session_key)
print(json.dumps(keys))
"""


def main() -> int:
    data_dir = tempfile.mkdtemp(prefix="accord-load-")
    env = {
        **os.environ,
        "ACCORD_DATA_DIR": data_dir,
        "DEBUG": "0",
        "WEB_CONCURRENCY": os.environ.get("WEB_CONCURRENCY", "3"),
    }
    count = int(os.environ.get("SERVERS", "1"))
    users = int(os.environ.get("USERS", str(50 * count)))
    if count > 1:
        env["REDIS_URL"] = env.get("REDIS_URL") or "redis://127.0.0.1:6379/14"
        redis.Redis.from_url(env["REDIS_URL"]).flushdb()  # unreachable: the test fails here
    database = "PostgreSQL" if env.get("DATABASE_URL", "").startswith("postgres") else "SQLite"
    if database == "PostgreSQL":
        fresh_postgres(env["DATABASE_URL"])
    accord(env, "migrate", "-v0")
    accord(env, "seed", f"--partnerships={PARTNERSHIPS}", "--years=1", f"--password={PASSWORD}", "-v0")
    if database == "PostgreSQL":
        analyze(env["DATABASE_URL"])
    sessions = Path(data_dir) / "sessions.json"
    made = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()\n" + SESSIONS],
        env={**env, "DJANGO_SETTINGS_MODULE": "accord.settings"},
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    sessions.write_text(made.stdout.strip().splitlines()[-1])
    bases, servers = [], []
    try:
        for _ in range(count):  # one after the other: each collects the static files in turn
            base, server = serve(env, stderr=subprocess.PIPE)
            bases.append(base)
            servers.append(server)
        prefix = Path(data_dir) / "locust"
        subprocess.run(
            [
                sys.executable,
                "-m",
                "locust",
                "-f",
                str(ROOT / "bench" / "locustfile.py"),
                "--headless",
                "-u",
                str(users),
                "-r",
                str(users // 5),
                "-t",
                os.environ.get("DURATION", "60s"),
                "--host",
                bases[0],
                "--csv",
                str(prefix),
                "--only-summary",
            ],
            env={
                **env,
                "ACCORD_LOAD_SESSIONS": str(sessions),
                "ACCORD_LOAD_HOSTS": ",".join(bases) if count > 1 else "",
            },
            check=False,
        )
    finally:
        for server in servers:
            server.terminate()
        errors = "".join(server.communicate(timeout=30)[1] for server in servers)
    with open(f"{prefix}_stats.csv", encoding="utf-8") as stats:
        rows = list(csv.DictReader(stats))
    total = next(r for r in rows if r["Name"] == "Aggregated")
    failures, requests = int(total["Failure Count"]), int(total["Request Count"])
    p95 = float(total["95%"])
    locked = errors.count("database is locked")
    print(
        f"\nLoad test on {database}{' + Redis' if count > 1 else ''}, {count} server(s), {users} users: {requests} requests, {failures} failures, median {total['50%']} ms, "
        f"p95 {p95:.0f} ms, {float(total['Requests/s']):.1f} req/s; 'database is locked' in server log: {locked}"
    )
    for r in rows:
        if r["Name"] != "Aggregated":
            print(
                f"  {r['Name']:<20} {r['Request Count']:>6} req  median {r['50%']:>5} ms  p95 {r['95%']:>5} ms  failures {r['Failure Count']}"
            )
    if failures:
        print("Server log, last lines:", *errors.splitlines()[-20:], sep="\n  ")
    ok = failures == 0 and locked == 0 and p95 < 250
    print("PASS" if ok else "FAIL: needs 0 failures, no 'database is locked' and p95 under 250 ms")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
