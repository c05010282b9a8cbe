"""Partners using Accord at once: reading their pages and writing agenda items and journal entries.
Run through `make loadtest` (bench/loadtest.py). With several servers (ACCORD_LOAD_HOSTS), each
request goes to the next one in turn: a partner writes through one and reads through another."""

from __future__ import annotations

import itertools
import json
import os
import re
from pathlib import Path

from locust import HttpUser, between, task

# Sessions made beforehand by bench/loadtest.py: the scenario is partners using Accord, not fifty
# password hashes at once (which the login rate limit would rightly refuse from one address).
SESSIONS: list[str] = json.loads(Path(os.environ["ACCORD_LOAD_SESSIONS"]).read_text())
_numbers = itertools.count()
HOSTS = [h for h in os.environ.get("ACCORD_LOAD_HOSTS", "").split(",") if h]
_turns = itertools.count()


def at(path: str) -> str:
    """`path` on the next server in turn (on --host alone when there is one)."""
    return HOSTS[next(_turns) % len(HOSTS)] + path if HOSTS else path


class Partner(HttpUser):
    wait_time = between(0.2, 1.0)

    def on_start(self) -> None:
        n = next(_numbers)
        self.client.cookies.set("sessionid", SESSIONS[n % len(SESSIONS)])
        home = self.client.get(at("/"), name="home")
        match = re.search(r"/p/(\d+)/", home.url or "")
        assert match, "the session did not log in"
        self.pid = int(match[1])
        meetings = self.client.get(at(f"/p/{self.pid}/iterate/"), name="meetings").text
        ids = re.findall(rf"/p/{self.pid}/iterate/meetings/(\d+)/", meetings)
        self.meeting = int(ids[0]) if ids else None

    def csrf(self) -> str:
        return self.client.cookies.get("csrftoken", "")

    @task(4)
    def dashboard(self) -> None:
        self.client.get(at(f"/p/{self.pid}/"), name="dashboard")

    @task(2)
    def meetings(self) -> None:
        self.client.get(at(f"/p/{self.pid}/iterate/"), name="meetings")

    @task(2)
    def history(self) -> None:
        self.client.get(at(f"/p/{self.pid}/assess/"), name="health history")

    @task(2)
    def meeting(self) -> None:
        if self.meeting:
            self.client.get(at(f"/p/{self.pid}/iterate/meetings/{self.meeting}/"), name="next session")

    @task(2)
    def write_journal(self) -> None:
        self.client.post(
            at(f"/p/{self.pid}/journal/"),
            {"csrfmiddlewaretoken": self.csrf(), "text": "Load test note", "visibility": "private"},
            headers={"HX-Request": "true", "X-CSRFToken": self.csrf()},
            name="write journal",
        )

    @task(1)
    def write_talking_point(self) -> None:
        if self.meeting:
            self.client.post(
                at(f"/p/{self.pid}/iterate/meetings/{self.meeting}/agenda-items/new/"),
                {"csrfmiddlewaretoken": self.csrf(), "text": "Load test point"},
                name="add talking point",
            )
