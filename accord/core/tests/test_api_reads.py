"""API reads (issue 18 point 3): every list and detail endpoint answers from the version-keyed cache,
per reader, in a number of queries that does not grow with the partnership's history."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.timezone import now

from accord.alignment.models import Decision
from accord.assessments.defaults import DEFAULT_DIMENSIONS
from accord.assessments.models import HealthCheck
from accord.charters.models import CharterRevision
from accord.conftest import join, make_user
from accord.demo.seed import SECTIONS
from accord.lib.schemas import LIMIT_DEFAULT, LIMIT_MAX
from accord.partnerships.models import Partnership, Role
from accord.partnerships.services import partnership_create
from accord.rituals.models import Meeting
from accord.tensions.models import JournalEntry, Tension
from accord.tensions.services import journal_write

pytestmark = pytest.mark.django_db


def history(name: str, days: int) -> tuple[Partnership, object]:
    """A partnership of two with `days` of seeded history: checks with answers, retros with cards and
    votes, decisions with sign-offs, tensions, charter revisions, a shared and a private journal entry."""
    em, pm = make_user(f"em-{name}@example.org", f"Em {name}"), make_user(f"pm-{name}@example.org", f"Pm {name}")
    p = partnership_create(user=em, name=name, team=name, role=Role.EM)
    join(p, em, pm, Role.PM)
    moment = now()
    rng = random.Random(7)
    for section in SECTIONS:
        section(p, em, pm, moment - timedelta(days=days), moment, rng)
    for i in range(days // 30 + 1):
        journal_write(partnership=p, user=em, text=f"Note {i}", visibility="shared")
        journal_write(partnership=p, user=pm, text=f"Mine {i}", visibility="private")
    return p, em


def reads(p: Partnership) -> list[str]:
    pid = p.pk
    latest = {
        model: model.objects.filter(partnership=p).order_by("-pk").values_list("pk", flat=True).first()
        for model in (HealthCheck, Decision, Meeting, Tension, JournalEntry, CharterRevision)
    }
    latest[JournalEntry] = JournalEntry.objects.filter(partnership=p, visibility="shared").order_by("-pk")[0].pk
    retro = Meeting.objects.filter(partnership=p, kind="retro", status="held").order_by("-pk").first()
    return [
        f"/api/v1/partnerships/{pid}",
        f"/api/v1/partnerships/{pid}/health-checks",
        f"/api/v1/health-checks/{latest[HealthCheck]}",
        f"/api/v1/partnerships/{pid}/decisions",
        f"/api/v1/decisions/{latest[Decision]}",
        f"/api/v1/partnerships/{pid}/meetings",
        f"/api/v1/meetings/{latest[Meeting]}",
        f"/api/v1/meetings/{retro.pk if retro else latest[Meeting]}",
        f"/api/v1/partnerships/{pid}/tensions",
        f"/api/v1/tensions/{latest[Tension]}",
        f"/api/v1/partnerships/{pid}/journal",
        f"/api/v1/journal/{latest[JournalEntry]}",
        f"/api/v1/partnerships/{pid}/objectives",
        f"/api/v1/partnerships/{pid}/measures",
        f"/api/v1/partnerships/{pid}/charter",
        f"/api/v1/charter-revisions/{latest[CharterRevision]}",
        f"/api/v1/partnerships/{pid}/action-items",
        f"/api/v1/partnerships/{pid}/experiments",
    ]


def queries(client, paths: list[str]) -> dict[str, tuple[int, int]]:
    """Each read's queries cold (its first read) and warm (read again)."""
    out = {}
    for n, path in enumerate(paths):
        with CaptureQueriesContext(connection) as cold:
            assert client.get(path).status_code == 200, path
        with CaptureQueriesContext(connection) as warm:
            assert client.get(path).status_code == 200, path
        out[f"{n}: {path.removeprefix('/api/v1/')}"] = (len(cold), len(warm))
    return out


def test_every_read_costs_the_same_queries_over_months_or_years_of_history(api_client):
    small, em_small = history("small", 200)
    large, em_large = history("large", 3 * 365)
    assert Meeting.objects.filter(partnership=large).count() > 5 * Meeting.objects.filter(partnership=small).count()
    assert (
        HealthCheck.objects.filter(partnership=large).count()
        > 3 * HealthCheck.objects.filter(partnership=small).count()
    )
    few, many = queries(api_client(em_small), reads(small)), queries(api_client(em_large), reads(large))
    assert [cost for cost, _ in few.values()] == [cost for cost, _ in many.values()], (few, many)
    # Warm: the token, then the partnership's stamp (the access check); the answer is cached bytes.
    assert {warm for _, warm in many.values()} == {2}, many


def meeting_with_card(client, pid: int) -> int:
    at = (now() + timedelta(days=1)).isoformat()
    body = {"kind": "retro", "scheduled_for": at}
    mid: int = client.post(f"/api/v1/partnerships/{pid}/meetings", body, "application/json").json()["id"]
    card = {"column": "frustrating", "text": "Alice's unrevealed card"}
    assert client.post(f"/api/v1/meetings/{mid}/cards", card, "application/json").status_code == 201
    return mid


def test_a_cached_answer_never_shows_a_partners_unrevealed_input(api_client, partnership, alice, bob):
    a, b = api_client(alice), api_client(bob)
    mid = meeting_with_card(a, partnership.pk)
    check = a.post(f"/api/v1/partnerships/{partnership.pk}/health-checks", {}, "application/json").json()
    ratings = [
        {"dimension": k, "today": 2, "target": 5, "note": "Alice's blind note"} for k, _, _ in DEFAULT_DIMENSIONS
    ]
    a.put(f"/api/v1/health-checks/{check['id']}/response", {"ratings": ratings, "draft": True}, "application/json")
    paths = [
        f"/api/v1/meetings/{mid}",
        f"/api/v1/health-checks/{check['id']}",
        f"/api/v1/partnerships/{partnership.pk}/health-checks",
    ]
    for path in paths:
        mine = a.get(path).text
        assert "Alice's unrevealed card" in mine or "Alice's blind note" in mine, path
        theirs = b.get(path).text
        assert "Alice's" not in theirs, path


def test_a_private_journal_entry_stays_its_authors_in_the_cached_list(api_client, partnership, alice, bob):
    journal_write(partnership=partnership, user=bob, text="Bob's own worry", visibility="private")
    path = f"/api/v1/partnerships/{partnership.pk}/journal"
    assert [e["text"] for e in api_client(bob).get(path).json()] == ["Bob's own worry"]
    assert api_client(alice).get(path).json() == []


def test_a_write_shows_in_the_next_read(api_client, partnership, alice, bob):
    path = f"/api/v1/partnerships/{partnership.pk}/meetings"
    assert api_client(bob).get(path).json() == []
    mid = meeting_with_card(api_client(alice), partnership.pk)
    assert [m["id"] for m in api_client(bob).get(path).json()] == [mid]
    assert api_client(bob).get(f"/api/v1/meetings/{mid}").json()["cards"] == []


def test_an_outsider_gets_404_from_a_cached_read(api_client, partnership, alice, charlie):
    mid = meeting_with_card(api_client(alice), partnership.pk)
    for path in (f"/api/v1/meetings/{mid}", f"/api/v1/partnerships/{partnership.pk}/meetings"):
        assert api_client(alice).get(path).status_code == 200
        assert api_client(charlie).get(path).status_code == 404


class TestPages:
    @pytest.fixture
    def entries(self, partnership, alice):
        for i in range(LIMIT_DEFAULT + 3):
            journal_write(partnership=partnership, user=alice, text=f"Entry {i}", visibility="shared")
        return f"/api/v1/partnerships/{partnership.pk}/journal"

    def test_a_list_gives_its_newest_by_default_and_pages_on(self, api_client, alice, entries):
        client = api_client(alice)
        first = [e["text"] for e in client.get(entries).json()]
        assert len(first) == LIMIT_DEFAULT and first[0] == f"Entry {LIMIT_DEFAULT + 2}"
        rest = [e["text"] for e in client.get(f"{entries}?offset={LIMIT_DEFAULT}").json()]
        assert rest == ["Entry 2", "Entry 1", "Entry 0"]
        assert [e["text"] for e in client.get(f"{entries}?limit=2&offset=1").json()] == [
            f"Entry {LIMIT_DEFAULT + 1}",
            f"Entry {LIMIT_DEFAULT}",
        ]

    @pytest.mark.parametrize(
        ("query", "field"),
        [
            ("limit=0", "limit"),
            (f"limit={LIMIT_MAX + 1}", "limit"),
            ("limit=ten", "limit"),
            ("offset=-1", "offset"),
            ("offset=1.5", "offset"),
            ("offset=99999999999999999999999", "offset"),
        ],
    )
    def test_out_of_range_is_422_naming_the_field(self, api_client, alice, partnership, query, field):
        for path in (
            "health-checks",
            "decisions",
            "meetings",
            "tensions",
            "journal",
            "objectives",
            "action-items",
            "experiments",
        ):
            response = api_client(alice).get(f"/api/v1/partnerships/{partnership.pk}/{path}?{query}")
            assert response.status_code == 422, path
            assert [e["loc"] for e in response.json()["detail"]] == [["query", field]], path
