from __future__ import annotations

import pytest

from accord.conftest import unchanged
from accord.tensions.models import JournalEntry, Tension
from accord.tensions.services import journal_write, perspective_write, tension_raise

pytestmark = pytest.mark.django_db
SECRET = "ALICE-SIDE-SECRET-55"


def post(client, path, body=None):
    return client.post(f"/api/v1{path}", body or {}, content_type="application/json")


def put(client, path, body):
    return client.put(f"/api/v1{path}", body, content_type="application/json")


def locs(response):
    return {".".join(str(p) for p in e["loc"][1:]) for e in response.json()["detail"]}


SIDE = {"important_to_me": "Focus", "why": "Two switches cost a sprint", "partner_priority_guess": "The Sales deal"}


@pytest.fixture
def tension(partnership, alice):
    return tension_raise(partnership=partnership, user=alice, topic="Sales integration", tags=["intake"])


class TestTensions:
    def test_it_logs_a_tension(self, api_client, bob, partnership):
        response = post(
            api_client(bob),
            f"/partnerships/{partnership.pk}/tensions",
            {"topic": "Pricing rewrite", "tags": ["Tech debt", "tech debt", " roadmap "]},
        )
        assert response.status_code == 201
        body = response.json()
        assert (body["status"], body["tags"], body["perspectives"], body["revealed"]) == (
            "open",
            ["Tech debt", "roadmap"],
            [],
            False,
        )

    @pytest.mark.parametrize(
        ("body", "field"),
        [
            ({"topic": ""}, "topic"),
            ({"topic": "x" * 201}, "topic"),
            ({"topic": "x", "tags": ["t" * 41]}, "tags"),
            ({"topic": "x", "tags": "intake"}, "tags"),
            ({"topic": "x", "tags": [str(i) for i in range(11)]}, "tags"),
        ],
    )
    def test_bad_tensions_are_422(self, api_client, alice, partnership, body, field):
        client = api_client(alice)
        with unchanged():
            response = post(client, f"/partnerships/{partnership.pk}/tensions", body)
        assert response.status_code == 422
        assert field in locs(response)

    def test_perspectives_are_blind_until_every_member_wrote(self, api_client, alice, bob, tension):
        mine = put(api_client(alice), f"/tensions/{tension.pk}/perspective", {**SIDE, "important_to_me": SECRET})
        assert mine.status_code == 200
        assert [p["important_to_me"] for p in mine.json()["perspectives"]] == [SECRET]
        theirs = api_client(bob).get(f"/api/v1/tensions/{tension.pk}")
        assert SECRET not in theirs.content.decode()
        assert theirs.json()["perspectives"] == []
        assert theirs.json()["written_by"] == [alice.pk]
        both = put(api_client(bob), f"/tensions/{tension.pk}/perspective", SIDE).json()
        assert both["revealed"] is True
        assert {p["author_id"] for p in both["perspectives"]} == {alice.pk, bob.pk}

    def test_resolving_needs_both_sides(self, api_client, alice, bob, tension):
        client, bob_client = api_client(alice), api_client(bob)
        put(client, f"/tensions/{tension.pk}/perspective", SIDE)
        with unchanged():
            early = post(client, f"/tensions/{tension.pk}/resolve", {"resolution": "Yes"})
        assert early.status_code == 409
        put(bob_client, f"/tensions/{tension.pk}/perspective", SIDE)
        assert (
            post(client, f"/tensions/{tension.pk}/reads", {"of_user_id": bob.pk, "rating": "partly"}).status_code == 200
        )
        proposed = post(bob_client, f"/tensions/{tension.pk}/resolve", {"resolution": "We say yes in Q4"})
        assert proposed.status_code == 200
        assert (proposed.json()["status"], proposed.json()["agreed_by"]) == ("open", [bob.pk])
        done = post(client, f"/tensions/{tension.pk}/resolution/agree", {})
        assert done.status_code == 200
        body = done.json()
        assert (body["status"], body["resolution"]) == ("resolved", "We say yes in Q4")
        assert (body["resolution_proposed_by"], body["agreed_by"]) == (bob.pk, [bob.pk, alice.pk])
        reads = {p["author_id"]: p["reads"] for p in body["perspectives"]}
        assert reads[bob.pk] == [{"by": alice.pk, "rating": "partly"}]
        assert post(client, f"/tensions/{tension.pk}/resolve", {"resolution": "again"}).status_code == 409
        assert put(client, f"/tensions/{tension.pk}/perspective", SIDE).status_code == 409

    def test_filters_by_status_and_tag(self, api_client, alice, bob, partnership, tension):
        other = tension_raise(partnership=partnership, user=bob, topic="Roadmap", tags=["Roadmap"])
        for user in (alice, bob):
            perspective_write(tension=other, user=user, important_to_me="x")
        post(api_client(alice), f"/tensions/{other.pk}/resolve", {"resolution": "ok"})
        post(api_client(bob), f"/tensions/{other.pk}/resolution/agree", {})
        base = f"/api/v1/partnerships/{partnership.pk}/tensions"
        client = api_client(alice)
        assert [t["id"] for t in client.get(f"{base}?status=open").json()] == [tension.pk]
        assert [t["id"] for t in client.get(f"{base}?tag=roadmap").json()] == [other.pk]

    def test_bad_sides_are_422(self, api_client, alice, tension):
        client = api_client(alice)
        with unchanged():
            assert "important_to_me" in locs(
                put(client, f"/tensions/{tension.pk}/perspective", {"important_to_me": " "})
            )
            assert "why" in locs(put(client, f"/tensions/{tension.pk}/perspective", {**SIDE, "why": "x" * 2001}))


class TestJournal:
    def test_entries_are_private_by_default(self, api_client, alice, bob, partnership):
        response = post(api_client(alice), f"/partnerships/{partnership.pk}/journal", {"text": SECRET})
        assert response.status_code == 201
        entry = response.json()
        assert entry["visibility"] == "private"
        bob_client = api_client(bob)
        assert bob_client.get(f"/api/v1/partnerships/{partnership.pk}/journal").json() == []
        with unchanged():
            assert bob_client.get(f"/api/v1/journal/{entry['id']}").status_code == 404
            assert (
                bob_client.patch(
                    f"/api/v1/journal/{entry['id']}", {"visibility": "shared"}, content_type="application/json"
                ).status_code
                == 404
            )
            assert bob_client.delete(f"/api/v1/journal/{entry['id']}").status_code == 404
            assert post(bob_client, f"/journal/{entry['id']}/bring", {"to": "one_on_one"}).status_code == 404

    def test_a_shared_entry_is_seen_but_only_the_author_edits_it(self, api_client, alice, bob, partnership):
        jid = post(
            api_client(alice),
            f"/partnerships/{partnership.pk}/journal",
            {"text": "Shared thought", "visibility": "shared"},
        ).json()["id"]
        bob_client = api_client(bob)
        assert [e["id"] for e in bob_client.get(f"/api/v1/partnerships/{partnership.pk}/journal").json()] == [jid]
        with unchanged():
            assert (
                bob_client.patch(
                    f"/api/v1/journal/{jid}", {"text": "edited"}, content_type="application/json"
                ).status_code
                == 404
            )
        changed = api_client(alice).patch(
            f"/api/v1/journal/{jid}", {"visibility": "private"}, content_type="application/json"
        )
        assert changed.json()["visibility"] == "private"
        assert bob_client.get(f"/api/v1/partnerships/{partnership.pk}/journal").json() == []

    def test_bringing_to_the_next_one_on_one_and_retro(self, api_client, alice, bob, partnership):
        client = api_client(alice)
        jid = post(client, f"/partnerships/{partnership.pk}/journal", {"text": "Estimates make me defensive"}).json()[
            "id"
        ]
        brought = post(client, f"/journal/{jid}/bring", {"to": "one_on_one"}).json()
        meeting = api_client(bob).get(f"/api/v1/meetings/{brought['brought_to']}").json()
        assert [a["text"] for a in meeting["agenda"]] == ["Estimates make me defensive"]
        assert api_client(bob).get(f"/api/v1/journal/{jid}").status_code == 404  # the entry itself stays private
        retro = post(client, f"/journal/{jid}/bring", {"to": "retro"}).json()["brought_to"]
        assert api_client(bob).get(f"/api/v1/meetings/{retro}").json()["cards"] == []  # a blind card
        assert [c["text"] for c in client.get(f"/api/v1/meetings/{retro}").json()["cards"]] == [
            "Estimates make me defensive"
        ]

    @pytest.mark.parametrize(
        ("body", "field"),
        [
            ({"text": ""}, "text"),
            ({"text": "x" * 4001}, "text"),
            ({"text": "x", "visibility": "public"}, "visibility"),
            ({"text": "x", "meeting_id": 999999}, "meeting_id"),
        ],
    )
    def test_bad_entries_are_422(self, api_client, alice, partnership, body, field):
        client = api_client(alice)
        with unchanged():
            response = post(client, f"/partnerships/{partnership.pk}/journal", body)
        assert response.status_code == 422
        assert field in locs(response)


def test_outsiders_get_404(api_client, alice, charlie, carol, partnership, tension):
    entry = journal_write(partnership=partnership, user=alice, text="shared", visibility="shared")
    for outsider in (charlie, carol):
        client = api_client(outsider)
        with unchanged():
            calls = [
                post(client, f"/partnerships/{partnership.pk}/tensions", {"topic": "x"}),
                client.get(f"/api/v1/partnerships/{partnership.pk}/tensions"),
                client.get(f"/api/v1/tensions/{tension.pk}"),
                put(client, f"/tensions/{tension.pk}/perspective", SIDE),
                post(client, f"/tensions/{tension.pk}/resolve", {"resolution": "x"}),
                post(client, f"/tensions/{tension.pk}/reads", {"of_user_id": alice.pk, "rating": "right"}),
                post(client, f"/partnerships/{partnership.pk}/journal", {"text": "x"}),
                client.get(f"/api/v1/partnerships/{partnership.pk}/journal"),
                client.get(f"/api/v1/journal/{entry.pk}"),
                client.patch(f"/api/v1/journal/{entry.pk}", {"text": "x"}, content_type="application/json"),
            ]
        assert [r.status_code for r in calls] == [404] * len(calls)
    assert Tension.objects.count() == 1 and JournalEntry.objects.count() == 1


def test_anonymous_callers_get_401(client, partnership, tension):
    with unchanged():
        assert client.get(f"/api/v1/tensions/{tension.pk}").status_code == 401
        assert post(client, f"/partnerships/{partnership.pk}/journal", {"text": "x"}).status_code == 401
        assert client.get(f"/api/v1/partnerships/{partnership.pk}/journal").status_code == 401
