from __future__ import annotations

from datetime import timedelta

import pytest

from accord.alignment.models import Decision, Objective
from accord.alignment.services import DecisionContent, decision_create, objective_create
from accord.conftest import TODAY, join, make_user, unchanged
from accord.partnerships.models import Role

pytestmark = pytest.mark.django_db


def post(client, path, body=None):
    return client.post(f"/api/v1{path}", body or {}, content_type="application/json")


def locs(response):
    return {".".join(str(p) for p in e["loc"][1:]) for e in response.json()["detail"]}


@pytest.fixture
def objective(partnership, alice):
    return objective_create(
        partnership=partnership,
        user=alice,
        title="Faster checkout",
        why="Conversion",
        starts_on=TODAY - timedelta(days=10),
        ends_on=TODAY + timedelta(days=80),
    )


class TestObjectives:
    def test_objectives_key_results_and_readings(self, api_client, alice, bob, partnership):
        client = api_client(alice)
        response = post(
            client,
            f"/partnerships/{partnership.pk}/objectives",
            {
                "title": "Faster checkout",
                "why": "Every second costs 2% conversion",
                "starts_on": str(TODAY - timedelta(days=5)),
                "ends_on": str(TODAY + timedelta(days=85)),
            },
        )
        assert response.status_code == 201
        oid = response.json()["id"]
        kr = post(
            client, f"/objectives/{oid}/key-results", {"name": "p75 seconds", "baseline": 9, "target": 4, "unit": "s"}
        )
        assert kr.status_code == 201
        for value in (8, 6.5):
            assert (
                post(
                    api_client(bob),
                    f"/key-results/{kr.json()['id']}/readings",
                    {"value": value, "taken_on": str(TODAY)},
                ).status_code
                == 201
            )
        body = client.get(f"/api/v1/partnerships/{partnership.pk}/objectives").json()
        assert body[0]["status"] == "active"
        result = body[0]["key_results"][0]
        assert result["latest"]["value"] == 6.5
        assert result["progress"] == 0.5  # from 9 towards 4, halfway
        assert [r["value"] for r in result["readings"]] == [8, 6.5]

    def test_an_objective_past_its_period_is_archived_not_deleted(self, api_client, alice, partnership):
        objective_create(
            partnership=partnership,
            user=alice,
            title="Old",
            why="",
            starts_on=TODAY - timedelta(days=100),
            ends_on=TODAY - timedelta(days=10),
        )
        body = api_client(alice).get(f"/api/v1/partnerships/{partnership.pk}/objectives").json()
        assert [(o["title"], o["status"]) for o in body] == [("Old", "archived")]

    @pytest.mark.parametrize(
        ("body", "field"),
        [
            ({"title": "", "starts_on": "2026-01-01", "ends_on": "2026-03-31"}, "title"),
            ({"title": "x", "starts_on": "2026-04-01", "ends_on": "2026-03-31"}, "ends_on"),
            ({"title": "x", "starts_on": "Q1", "ends_on": "2026-03-31"}, "starts_on"),
        ],
    )
    def test_bad_objectives_are_422(self, api_client, alice, partnership, body, field):
        client = api_client(alice)
        with unchanged():
            response = post(client, f"/partnerships/{partnership.pk}/objectives", body)
        assert response.status_code == 422
        assert field in locs(response)

    def test_bad_key_results_and_readings_are_422(self, api_client, alice, objective):
        client = api_client(alice)
        with unchanged():
            assert "target" in locs(
                post(client, f"/objectives/{objective.pk}/key-results", {"name": "x", "baseline": 1, "target": 1})
            )
            assert "name" in locs(
                post(client, f"/objectives/{objective.pk}/key-results", {"name": "", "baseline": 1, "target": 2})
            )
        kid = post(client, f"/objectives/{objective.pk}/key-results", {"name": "x", "baseline": 1, "target": 2}).json()[
            "id"
        ]
        with unchanged():
            assert "taken_on" in locs(
                post(client, f"/key-results/{kid}/readings", {"value": 1, "taken_on": str(TODAY + timedelta(days=3))})
            )
            assert "value" in locs(
                post(client, f"/key-results/{kid}/readings", {"value": "lots", "taken_on": str(TODAY)})
            )


class TestDecisions:
    def test_agreed_only_when_every_member_signed(self, api_client, alice, bob, partnership, objective):
        client = api_client(alice)
        response = post(
            client,
            f"/partnerships/{partnership.pk}/decisions",
            {
                "title": "Queue retries",
                "context": "Retry storms",
                "options": ["keep", "queue"],
                "evidence": "3 incidents",
                "outcome": "Queue",
                "objective_ids": [objective.pk],
            },
        )
        assert response.status_code == 201
        body = response.json()
        assert (body["status"], body["unaligned"], body["awaiting"]) == ("proposed", False, [alice.pk, bob.pk])
        did = body["id"]
        assert post(client, f"/decisions/{did}/sign").json()["status"] == "proposed"
        agreed = post(api_client(bob), f"/decisions/{did}/sign").json()
        assert agreed["status"] == "agreed" and agreed["agreed_at"]
        assert post(client, f"/decisions/{did}/sign").status_code == 409

    def test_three_members_all_sign(self, api_client, alice, bob, partnership):
        dee = make_user("dee@example.org", "Dee")
        join(partnership, alice, dee, Role.DESIGN)
        did = post(api_client(alice), f"/partnerships/{partnership.pk}/decisions", {"title": "Trio decision"}).json()[
            "id"
        ]
        statuses = [post(api_client(u), f"/decisions/{did}/sign").json()["status"] for u in (alice, bob, dee)]
        assert statuses == ["proposed", "proposed", "agreed"]

    def test_an_objection_keeps_it_open_and_shows(self, api_client, alice, bob, partnership):
        did = post(
            api_client(alice), f"/partnerships/{partnership.pk}/decisions", {"title": "Hardening sprint"}
        ).json()["id"]
        post(api_client(alice), f"/decisions/{did}/sign")
        objected = post(api_client(bob), f"/decisions/{did}/object", {"reason": "Delays reorder"}).json()
        assert objected["status"] == "proposed"
        assert [(o["user_id"], o["reason"]) for o in objected["objections"]] == [(bob.pk, "Delays reorder")]
        with unchanged():
            assert "reason" in locs(post(api_client(bob), f"/decisions/{did}/object", {"reason": " "}))
        assert post(api_client(bob), f"/decisions/{did}/sign").json()["status"] == "agreed"  # changing one's mind

    def test_revisiting_supersedes_the_old_record(self, api_client, alice, bob, partnership):
        old = post(api_client(alice), f"/partnerships/{partnership.pk}/decisions", {"title": "Weekly train"}).json()[
            "id"
        ]
        new = post(
            api_client(bob), f"/partnerships/{partnership.pk}/decisions", {"title": "Twice weekly", "revisits": old}
        )
        assert new.status_code == 201
        assert new.json()["revisits"] == old
        old_body = api_client(alice).get(f"/api/v1/decisions/{old}").json()
        assert (old_body["status"], old_body["revisited_by"], old_body["title"]) == (
            "superseded",
            [new.json()["id"]],
            "Weekly train",
        )
        with unchanged():
            again = post(
                api_client(alice), f"/partnerships/{partnership.pk}/decisions", {"title": "x", "revisits": old}
            )
        assert again.status_code == 409

    def test_unaligned_decisions_are_flagged(self, api_client, alice, partnership, objective):
        client = api_client(alice)
        post(client, f"/partnerships/{partnership.pk}/decisions", {"title": "Aligned", "objective_ids": [objective.pk]})
        post(client, f"/partnerships/{partnership.pk}/decisions", {"title": "Async Fridays"})
        flags = {
            d["title"]: d["unaligned"] for d in client.get(f"/api/v1/partnerships/{partnership.pk}/decisions").json()
        }
        assert flags == {"Aligned": False, "Async Fridays": True}

    def test_a_request_needs_triage_and_both_signatures(self, api_client, alice, bob, partnership):
        client = api_client(alice)
        body = {
            "title": "CRM integration",
            "kind": "request",
            "requester": "Sales",
            "needed_by": str(TODAY + timedelta(days=20)),
        }
        did = post(client, f"/partnerships/{partnership.pk}/decisions", body).json()["id"]
        with unchanged():
            assert post(client, f"/decisions/{did}/sign").status_code == 409
        updated = client.put(f"/api/v1/decisions/{did}", {**body, "triage": "accept"}, content_type="application/json")
        assert updated.json()["triage"] == "accept"
        post(client, f"/decisions/{did}/sign")
        assert post(api_client(bob), f"/decisions/{did}/sign").json()["status"] == "agreed"
        requests = client.get(f"/api/v1/partnerships/{partnership.pk}/decisions?kind=request").json()
        assert [r["id"] for r in requests] == [did]

    def test_changing_a_decision_restarts_the_sign_off(self, api_client, alice, bob, partnership):
        did = post(api_client(alice), f"/partnerships/{partnership.pk}/decisions", {"title": "A"}).json()["id"]
        post(api_client(alice), f"/decisions/{did}/sign")
        changed = (
            api_client(bob).put(f"/api/v1/decisions/{did}", {"title": "B"}, content_type="application/json").json()
        )
        assert (changed["title"], changed["signed_by"]) == ("B", [])

    @pytest.mark.parametrize(
        ("body", "field"),
        [
            ({"title": ""}, "title"),
            ({"title": "x" * 201}, "title"),
            ({"title": "x", "kind": "memo"}, "kind"),
            ({"title": "x", "kind": "request"}, "requester"),
            ({"title": "x", "objective_ids": [999999]}, "objective_ids"),
            ({"title": "x", "revisits": 999999}, "revisits"),
            ({"title": "x", "options": "a"}, "options"),
            ({"title": "x", "triage": "maybe"}, "triage"),
        ],
    )
    def test_bad_decisions_are_422(self, api_client, alice, partnership, body, field):
        client = api_client(alice)
        with unchanged():
            response = post(client, f"/partnerships/{partnership.pk}/decisions", body)
        assert response.status_code == 422
        assert field in locs(response)

    def test_another_partnerships_objective_is_refused(self, api_client, alice, carol, partnership, other_partnership):
        theirs = objective_create(
            partnership=other_partnership, user=carol, title="Theirs", why="", starts_on=TODAY, ends_on=TODAY
        )
        client = api_client(alice)
        with unchanged():
            response = post(
                client, f"/partnerships/{partnership.pk}/decisions", {"title": "x", "objective_ids": [theirs.pk]}
            )
        assert "objective_ids" in locs(response)


class TestLinks:
    def test_a_tension_resolution_points_to_its_decision(self, api_client, alice, bob, partnership):
        from accord.tensions.services import perspective_write, tension_raise

        decision = decision_create(partnership=partnership, user=alice, content=DecisionContent(title="Say yes in Q4"))
        tension = tension_raise(partnership=partnership, user=alice, topic="CRM")
        for user in (alice, bob):
            perspective_write(tension=tension, user=user, important_to_me="x")
        body = post(
            api_client(bob), f"/tensions/{tension.pk}/resolve", {"resolution": "Q4", "decision_id": decision.pk}
        ).json()
        assert body["decision_id"] == decision.pk

    def test_an_experiment_serves_an_objective(
        self, api_client, alice, partnership, objective, carol, other_partnership
    ):
        client = api_client(alice)
        body = post(
            client,
            f"/partnerships/{partnership.pk}/experiments",
            {
                "hypothesis": "It helps",
                "success_signal": "We see it",
                "title": "Pre-reads",
                "objective_id": objective.pk,
            },
        ).json()
        assert body["objective_id"] == objective.pk
        theirs = objective_create(
            partnership=other_partnership, user=carol, title="T", why="", starts_on=TODAY, ends_on=TODAY
        )
        with unchanged():
            assert "objective_id" in locs(
                post(
                    client,
                    f"/partnerships/{partnership.pk}/experiments",
                    {"hypothesis": "It helps", "success_signal": "We see it", "title": "x", "objective_id": theirs.pk},
                )
            )


def test_outsiders_get_404(api_client, alice, charlie, carol, partnership, objective):
    kid = post(
        api_client(alice), f"/objectives/{objective.pk}/key-results", {"name": "x", "baseline": 0, "target": 1}
    ).json()["id"]
    decision = decision_create(partnership=partnership, user=alice, content=DecisionContent(title="x"))
    for outsider in (charlie, carol):
        client = api_client(outsider)
        with unchanged():
            calls = [
                post(
                    client,
                    f"/partnerships/{partnership.pk}/objectives",
                    {"title": "x", "starts_on": "2026-01-01", "ends_on": "2026-02-01"},
                ),
                client.get(f"/api/v1/partnerships/{partnership.pk}/objectives"),
                post(client, f"/objectives/{objective.pk}/key-results", {"name": "x", "baseline": 0, "target": 1}),
                post(client, f"/key-results/{kid}/readings", {"value": 1, "taken_on": str(TODAY)}),
                post(client, f"/partnerships/{partnership.pk}/decisions", {"title": "x"}),
                client.get(f"/api/v1/partnerships/{partnership.pk}/decisions"),
                client.get(f"/api/v1/decisions/{decision.pk}"),
                client.put(f"/api/v1/decisions/{decision.pk}", {"title": "y"}, content_type="application/json"),
                post(client, f"/decisions/{decision.pk}/sign"),
                post(client, f"/decisions/{decision.pk}/object", {"reason": "no"}),
            ]
        assert [r.status_code for r in calls] == [404] * len(calls)
    assert Objective.objects.count() == 1 and Decision.objects.count() == 1


def test_anonymous_callers_get_401(client, partnership):
    with unchanged():
        assert client.get(f"/api/v1/partnerships/{partnership.pk}/objectives").status_code == 401
        assert post(client, f"/partnerships/{partnership.pk}/decisions", {"title": "x"}).status_code == 401
