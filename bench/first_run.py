"""The first run on a machine with no package cache: from a copy of the committed tree, `make run`
with a new virtual environment and empty pip and uv caches, timed until the home page is served.

    python bench/first_run.py [--output bench/first_run.json]

It downloads every package (from PyPI, as a fresh machine would), so it needs the network.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOAL_SECONDS = 60


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def first_run(work: Path, timeout: float = 600) -> float:
    """Seconds from `make run` in a fresh copy of the tree to its first served page."""
    tree = work / "accord"
    tree.mkdir()
    archive = subprocess.run(["git", "archive", "HEAD"], cwd=ROOT, check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(tree)], input=archive, check=True)
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "VIRTUAL_ENV", "PYTHONPATH"}}
    env |= {
        "PIP_CACHE_DIR": str(work / "pip-cache"),
        "UV_CACHE_DIR": str(work / "uv-cache"),
        "ACCORD_DATA_DIR": str(work / "var"),
        "PIP_NO_INPUT": "1",
    }
    started = time.monotonic()
    make = subprocess.Popen(
        ["make", "run", f"PORT={port}"],
        cwd=tree,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # stopped as a group: make, the server and its worker
    )
    try:
        while time.monotonic() - started < timeout:
            if make.poll() is not None:
                raise SystemExit(f"make run stopped before serving: {make.stderr.read() if make.stderr else ''}")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as response:
                    if response.status == 200:
                        return time.monotonic() - started
            except OSError:
                time.sleep(0.2)
        raise SystemExit(f"no page within {timeout:.0f} s")
    finally:
        if make.poll() is None:
            os.killpg(make.pid, signal.SIGTERM)
            try:
                make.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(make.pid, signal.SIGKILL)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--output", default=str(ROOT / "bench" / "first_run.json"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="accord-first-run-") as work:
        seconds = first_run(Path(work))
    verdict = "met" if seconds < GOAL_SECONDS else "NOT met"
    print(
        f"First run, no package cache: make run to a served page in {seconds:.1f} s (goal < {GOAL_SECONDS} s: {verdict})"
    )
    Path(args.output).write_text(json.dumps({"first_run_seconds": round(seconds, 1), "goal_seconds": GOAL_SECONDS}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
