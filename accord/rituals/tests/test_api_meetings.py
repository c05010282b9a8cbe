from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils.timezone import now

from accord.conftest import unchanged
from accord.rituals.models import ActionItem, Card, Meeting, Vote
from accord.rituals.services import meeting_create, meeting_reveal

pytestmark = pytest.mark.django_db


def post(client, path, body=None):
    return client.post(f"/api/v1{path}", body or {}, content_type="application/json")


def patch(client, path, body):
    return client.patch(f"/api/v1{path}", body, content_type="application/json")


def locs(response):
    return {".".join(str(p) for p in e["loc"][1:]) for e in response.json()["detail"]}


def soon(days=1):
    return (now() + timedelta(days=days)).isoformat()


@pytest.fixture
def retro(partnership, alice):
    return meeting_create(partnership=partnership, user=alice, kind="retro", scheduled_for=now() + timedelta(days=2))


@pytest.fixture
def one_on_one(partnership, alice):
    return meeting_create(
        partnership=partnership, user=alice, kind="one_on_one", scheduled_for=now() + timedelta(days=1)
    )


class TestMeetings:
    def test_it_plans_a_meeting(self, api_client, alice, partnership):
        response = post(
            api_client(alice), f"/partnerships/{partnership.pk}/meetings", {"kind": "retro", "scheduled_for": soon()}
        )
        assert response.status_code == 201
        body = response.json()
        assert (body["kind"], body["status"], body["phase"], body["revealed"]) == ("retro", "planned", "write", False)
        assert body["columns"] == {
            "going_well": "Going well",
            "frustrating": "Frustrating",
            "try_next": "Try next month",
        }
        assert body["cards"] == [] and body["agenda"] == []

    @pytest.mark.parametrize(
        ("body", "field"),
        [
            ({"kind": "standup", "scheduled_for": "2026-12-01T10:00:00+00:00"}, "kind"),
            ({"kind": "retro", "scheduled_for": "next tuesday"}, "scheduled_for"),
            ({"kind": "retro"}, "scheduled_for"),
        ],
    )
    def test_bad_meetings_are_422(self, api_client, alice, partnership, body, field):
        client = api_client(alice)
        with unchanged():
            response = post(client, f"/partnerships/{partnership.pk}/meetings", body)
        assert response.status_code == 422
        assert field in locs(response)

    def test_the_list_filters_by_kind_and_status(self, api_client, alice, partnership, retro, one_on_one):
        client = api_client(alice)
        post(client, f"/meetings/{one_on_one.pk}/complete")
        base = f"/api/v1/partnerships/{partnership.pk}/meetings"
        assert {m["id"] for m in client.get(f"{base}?kind=retro").json()} == {retro.pk}
        held = client.get(f"{base}?status=held").json()
        assert [m["id"] for m in held] == [one_on_one.pk]
        everything = client.get(base).json()
        assert [m["scheduled_for"] for m in everything] == sorted(
            (m["scheduled_for"] for m in everything), reverse=True
        )

    def test_completing_plans_the_next_one_from_the_cadence(self, api_client, alice, partnership, one_on_one):
        body = post(api_client(alice), f"/meetings/{one_on_one.pk}/complete", {"notes": "Good one"}).json()
        assert (body["status"], body["notes"]) == ("held", "Good one")
        nxt = Meeting.objects.get(status="planned", kind="one_on_one")
        assert (nxt.scheduled_for.date() - one_on_one.scheduled_for.date()).days == partnership.one_on_one_days
        assert post(api_client(alice), f"/meetings/{one_on_one.pk}/complete").status_code == 409

    def test_rescheduling_and_cancelling(self, api_client, alice, one_on_one):
        client = api_client(alice)
        moved = patch(client, f"/meetings/{one_on_one.pk}", {"scheduled_for": "2027-01-05T09:30:00+01:00"}).json()
        assert moved["scheduled_for"].startswith("2027-01-05T08:30:00")
        assert patch(client, f"/meetings/{one_on_one.pk}", {"status": "cancelled"}).json()["status"] == "cancelled"
        assert patch(client, f"/meetings/{one_on_one.pk}", {"scheduled_for": soon()}).status_code == 409

    def test_stale_notes_are_refused(self, api_client, alice, bob, one_on_one):
        rev = api_client(alice).get(f"/api/v1/meetings/{one_on_one.pk}").json()["notes_revision"]
        assert (
            patch(api_client(alice), f"/meetings/{one_on_one.pk}", {"notes": "A", "notes_revision": rev}).status_code
            == 200
        )
        stale = patch(api_client(bob), f"/meetings/{one_on_one.pk}", {"notes": "B", "notes_revision": rev})
        assert stale.status_code == 409
        assert Meeting.objects.get(pk=one_on_one.pk).notes == "A"


class TestAgenda:
    def test_talking_points_are_added_reordered_and_ticked(self, api_client, alice, bob, one_on_one):
        first = post(api_client(alice), f"/meetings/{one_on_one.pk}/agenda-items", {"text": "Hiring"}).json()
        second = post(api_client(bob), f"/meetings/{one_on_one.pk}/agenda-items", {"text": "Roadmap"}).json()
        patch(api_client(bob), f"/agenda-items/{second['id']}", {"move": -1})
        patch(api_client(alice), f"/agenda-items/{first['id']}", {"discussed": True})
        agenda = api_client(alice).get(f"/api/v1/meetings/{one_on_one.pk}").json()["agenda"]
        assert [(a["text"], a["discussed"]) for a in agenda] == [("Roadmap", False), ("Hiring", True)]

    def test_undiscussed_points_move_to_the_next_one_on_one(self, api_client, alice, one_on_one):
        client = api_client(alice)
        done = post(client, f"/meetings/{one_on_one.pk}/agenda-items", {"text": "Done"}).json()
        post(client, f"/meetings/{one_on_one.pk}/agenda-items", {"text": "Later"})
        patch(client, f"/agenda-items/{done['id']}", {"discussed": True})
        post(client, f"/meetings/{one_on_one.pk}/complete")
        nxt = Meeting.objects.get(status="planned", kind="one_on_one")
        carried = client.get(f"/api/v1/meetings/{nxt.pk}").json()["agenda"]
        assert [(a["text"], a["carried_from"]) for a in carried] == [("Later", one_on_one.pk)]
        held = client.get(f"/api/v1/meetings/{one_on_one.pk}").json()["agenda"]
        assert [a["text"] for a in held] == ["Done"]

    @pytest.mark.parametrize("text", ["", "   ", "x" * 501])
    def test_bad_talking_points_are_422(self, api_client, alice, one_on_one, text):
        client = api_client(alice)
        with unchanged():
            response = post(client, f"/meetings/{one_on_one.pk}/agenda-items", {"text": text})
        assert response.status_code == 422
        assert "text" in locs(response)


class TestRetro:
    def test_cards_are_blind_until_reveal(self, api_client, alice, bob, retro):
        post(api_client(alice), f"/meetings/{retro.pk}/cards", {"column": "frustrating", "text": "ALICE-SECRET"})
        post(api_client(bob), f"/meetings/{retro.pk}/cards", {"column": "going_well", "text": "Bob's card"})
        bob_view = api_client(bob).get(f"/api/v1/meetings/{retro.pk}")
        assert "ALICE-SECRET" not in bob_view.content.decode()
        assert [c["text"] for c in bob_view.json()["cards"]] == ["Bob's card"]
        revealed = post(api_client(bob), f"/meetings/{retro.pk}/reveal").json()
        assert revealed["revealed"] is True
        assert {c["text"] for c in revealed["cards"]} == {"ALICE-SECRET", "Bob's card"}

    def test_a_card_in_a_one_on_one_is_422(self, api_client, alice, one_on_one):
        client = api_client(alice)
        with unchanged():
            response = post(client, f"/meetings/{one_on_one.pk}/cards", {"column": "going_well", "text": "x"})
        assert response.status_code == 422

    @pytest.mark.parametrize(
        ("body", "field"),
        [
            ({"column": "meh", "text": "x"}, "column"),
            ({"column": "going_well", "text": ""}, "text"),
            ({"column": "going_well", "text": "x" * 501}, "text"),
        ],
    )
    def test_bad_cards_are_422(self, api_client, alice, retro, body, field):
        client = api_client(alice)
        with unchanged():
            response = post(client, f"/meetings/{retro.pk}/cards", body)
        assert response.status_code == 422
        assert field in locs(response)

    def test_votes_need_a_reveal_and_run_out(self, api_client, alice, bob, retro):
        card = post(api_client(bob), f"/meetings/{retro.pk}/cards", {"column": "try_next", "text": "Pre-reads"}).json()
        client, bob_client = api_client(alice), api_client(bob)
        with unchanged():
            assert post(client, f"/cards/{card['id']}/votes").status_code == 404  # Alice cannot even see it yet
            assert post(bob_client, f"/cards/{card['id']}/votes").status_code == 409
        post(client, f"/meetings/{retro.pk}/reveal")
        for expected in (1, 2, 3):
            response = post(client, f"/cards/{card['id']}/votes")
            assert response.status_code == 201
            assert response.json()["my_votes"] == expected
        assert post(client, f"/cards/{card['id']}/votes").status_code == 409
        assert client.delete(f"/api/v1/cards/{card['id']}/votes").json()["my_votes"] == 2
        assert Vote.objects.count() == 2

    def test_phases_move_forward_and_back_and_reveal_on_the_way(self, api_client, alice, bob, retro):
        post(api_client(bob), f"/meetings/{retro.pk}/cards", {"column": "going_well", "text": "hidden"})
        client = api_client(alice)
        assert post(client, f"/meetings/{retro.pk}/phase", {"phase": "group"}).json()["revealed"] is True
        for phase in ("vote", "discuss", "write", "decide", "reveal"):
            assert post(client, f"/meetings/{retro.pk}/phase", {"phase": phase}).json()["phase"] == phase
        assert [c["text"] for c in client.get(f"/api/v1/meetings/{retro.pk}").json()["cards"]] == ["hidden"]
        assert post(client, f"/meetings/{retro.pk}/phase", {"phase": "nap"}).status_code == 422

    def test_similar_cards_are_grouped_and_their_votes_add_up(self, api_client, alice, bob, retro):
        a = post(
            api_client(alice), f"/meetings/{retro.pk}/cards", {"column": "frustrating", "text": "Surprises"}
        ).json()
        b = post(
            api_client(bob), f"/meetings/{retro.pk}/cards", {"column": "frustrating", "text": "Heard it late"}
        ).json()
        client = api_client(alice)
        assert post(client, f"/meetings/{retro.pk}/groups", {"card_ids": [a["id"], b["id"]]}).status_code == 409
        post(client, f"/meetings/{retro.pk}/reveal")
        group = post(client, f"/meetings/{retro.pk}/groups", {"card_ids": [a["id"], b["id"]], "title": "No surprises"})
        assert group.status_code == 201
        post(client, f"/cards/{a['id']}/votes")
        post(api_client(bob), f"/cards/{b['id']}/votes")
        groups = client.get(f"/api/v1/meetings/{retro.pk}").json()["groups"]
        assert groups == [
            {"id": group.json()["id"], "title": "No surprises", "card_ids": [a["id"], b["id"]], "votes": 2}
        ]


class TestActionItems:
    def test_open_items_carry_over_to_each_next_meeting_until_done(
        self, api_client, alice, bob, partnership, one_on_one
    ):
        client = api_client(alice)
        item = post(
            client,
            f"/partnerships/{partnership.pk}/action-items",
            {"text": "Draft hiring plan", "owner_id": bob.pk, "due_on": "2026-12-01", "meeting_id": one_on_one.pk},
        )
        assert item.status_code == 201
        aid = item.json()["id"]
        this = client.get(f"/api/v1/meetings/{one_on_one.pk}").json()
        assert [i["id"] for i in this["action_items"]] == [aid]
        assert this["carried_action_items"] == []
        current = one_on_one
        for _ in range(3):  # carried across several meetings
            post(client, f"/meetings/{current.pk}/complete")
            current = Meeting.objects.get(status="planned", kind="one_on_one")
            assert [i["id"] for i in client.get(f"/api/v1/meetings/{current.pk}").json()["carried_action_items"]] == [
                aid
            ]
        assert patch(api_client(bob), f"/action-items/{aid}", {"done": True}).json()["done"] is True
        assert client.get(f"/api/v1/meetings/{current.pk}").json()["carried_action_items"] == []

    def test_only_the_next_planned_meeting_carries_them(self, api_client, alice, partnership, one_on_one, retro):
        client = api_client(alice)
        post(client, f"/partnerships/{partnership.pk}/action-items", {"text": "x", "owner_id": alice.pk})
        assert len(client.get(f"/api/v1/meetings/{one_on_one.pk}").json()["carried_action_items"]) == 1
        assert client.get(f"/api/v1/meetings/{retro.pk}").json()["carried_action_items"] == []

    @pytest.mark.parametrize(
        ("body", "field"),
        [
            ({"text": "", "owner_id": 0}, "text"),
            ({"text": "x", "owner_id": "bob"}, "owner_id"),
            ({"text": "x", "due_on": "soon"}, "due_on"),
        ],
    )
    def test_bad_items_are_422(self, api_client, alice, partnership, body, field):
        body = (
            {"owner_id": alice.pk, **body}
            if "owner_id" not in body or body["owner_id"]
            else {**body, "owner_id": alice.pk}
        )
        client = api_client(alice)
        with unchanged():
            response = post(client, f"/partnerships/{partnership.pk}/action-items", body)
        assert response.status_code == 422
        assert field in locs(response)

    def test_other_partnerships_ids_are_refused(self, api_client, alice, carol, partnership, other_partnership):
        theirs = meeting_create(partnership=other_partnership, user=carol, kind="retro", scheduled_for=now())
        client = api_client(alice)
        with unchanged():
            r1 = post(client, f"/partnerships/{partnership.pk}/action-items", {"text": "x", "owner_id": carol.pk})
            r2 = post(
                client,
                f"/partnerships/{partnership.pk}/action-items",
                {"text": "x", "owner_id": alice.pk, "meeting_id": theirs.pk},
            )
        assert "owner_id" in locs(r1)
        assert "meeting_id" in locs(r2)


class TestExperiments:
    def test_an_experiment_from_a_card_reviewed_at_the_next_retro(self, api_client, alice, partnership, retro):
        client = api_client(alice)
        card = post(client, f"/meetings/{retro.pk}/cards", {"column": "try_next", "text": "Pre-reads"}).json()
        meeting_reveal(meeting=retro)  # cards become experiments once everyone can read them
        response = post(
            client,
            f"/partnerships/{partnership.pk}/experiments",
            {"title": "Pre-reads", "hypothesis": "Shorter 1:1s", "success_signal": "30 min", "card_id": card["id"]},
        )
        assert response.status_code == 201
        body = response.json()
        assert body["status"] == "running"
        assert body["review_on"] == retro.scheduled_for.date().isoformat()
        assert [e["id"] for e in client.get(f"/api/v1/meetings/{retro.pk}").json()["experiments_due"]] == [body["id"]]

    def test_a_kept_experiment_becomes_a_charter_proposal(self, api_client, alice, bob, partnership):
        client = api_client(alice)
        eid = post(
            client,
            f"/partnerships/{partnership.pk}/experiments",
            {
                "title": "Decisions logged in one place",
                "hypothesis": "One log ends the 'did we decide that?' threads",
                "success_signal": "No decision asked twice in a month",
                "review_on": "2026-12-01",
            },
        ).json()["id"]
        with unchanged():
            assert post(client, f"/experiments/{eid}/charter-proposal").status_code == 409
        verdict = patch(client, f"/experiments/{eid}", {"status": "kept", "outcome": "Fewer reopened decisions"})
        assert verdict.json()["status"] == "kept"
        revision = post(client, f"/experiments/{eid}/charter-proposal")
        assert revision.status_code == 201
        body = revision.json()
        assert body["status"] == "proposed"
        assert body["agreements"] == ["Decisions logged in one place"]
        assert "Fewer reopened decisions" in body["rationale"]
        assert post(client, f"/experiments/{eid}/charter-proposal").status_code == 409

    def test_a_card_the_caller_cannot_see_is_refused(self, api_client, alice, bob, partnership, retro):
        card = Card.objects.create(meeting=retro, author=bob, column="try_next", text="hidden")
        client = api_client(alice)
        with unchanged():
            response = post(
                client,
                f"/partnerships/{partnership.pk}/experiments",
                {"hypothesis": "It helps", "success_signal": "We see it", "title": "x", "card_id": card.pk},
            )
        assert "card_id" in locs(response)


def test_outsiders_get_404_everywhere(api_client, alice, charlie, carol, partnership, retro):
    card = Card.objects.create(meeting=retro, author=alice, column="going_well", text="t")
    retro.revealed_at = now()
    retro.save()
    item = ActionItem.objects.create(partnership=partnership, text="t", owner=alice)
    agenda = retro.agenda.create(text="t", author=alice)
    eid = post(
        api_client(alice),
        f"/partnerships/{partnership.pk}/experiments",
        {"hypothesis": "It helps", "success_signal": "We see it", "title": "x"},
    ).json()["id"]
    for outsider in (charlie, carol):
        client = api_client(outsider)
        with unchanged():
            calls = [
                client.get(f"/api/v1/partnerships/{partnership.pk}/meetings"),
                post(client, f"/partnerships/{partnership.pk}/meetings", {"kind": "retro", "scheduled_for": soon()}),
                client.get(f"/api/v1/meetings/{retro.pk}"),
                patch(client, f"/meetings/{retro.pk}", {"notes": "x"}),
                post(client, f"/meetings/{retro.pk}/agenda-items", {"text": "x"}),
                patch(client, f"/agenda-items/{agenda.pk}", {"discussed": True}),
                post(client, f"/meetings/{retro.pk}/cards", {"column": "going_well", "text": "x"}),
                post(client, f"/meetings/{retro.pk}/reveal"),
                post(client, f"/meetings/{retro.pk}/phase", {"phase": "vote"}),
                post(client, f"/meetings/{retro.pk}/groups", {"card_ids": [card.pk, card.pk]}),
                post(client, f"/cards/{card.pk}/votes"),
                client.delete(f"/api/v1/cards/{card.pk}/votes"),
                post(client, f"/meetings/{retro.pk}/complete"),
                post(client, f"/partnerships/{partnership.pk}/action-items", {"text": "x", "owner_id": outsider.pk}),
                client.get(f"/api/v1/partnerships/{partnership.pk}/action-items"),
                patch(client, f"/action-items/{item.pk}", {"done": True}),
                post(
                    client,
                    f"/partnerships/{partnership.pk}/experiments",
                    {"hypothesis": "It helps", "success_signal": "We see it", "title": "x"},
                ),
                client.get(f"/api/v1/partnerships/{partnership.pk}/experiments"),
                patch(client, f"/experiments/{eid}", {"status": "kept"}),
                post(client, f"/experiments/{eid}/charter-proposal"),
            ]
        assert [r.status_code for r in calls] == [404] * len(calls)


def test_anonymous_callers_get_401(client, partnership, retro):
    with unchanged():
        for response in (
            client.get(f"/api/v1/partnerships/{partnership.pk}/meetings"),
            client.get(f"/api/v1/meetings/{retro.pk}"),
            post(client, f"/meetings/{retro.pk}/cards", {"column": "going_well", "text": "x"}),
            post(client, f"/meetings/{retro.pk}/reveal"),
            post(client, f"/partnerships/{partnership.pk}/action-items", {"text": "x", "owner_id": 1}),
        ):
            assert response.status_code == 401
