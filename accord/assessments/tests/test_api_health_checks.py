from __future__ import annotations

import pytest
from django.core import mail

from accord.assessments.defaults import DEFAULT_DIMENSIONS
from accord.assessments.models import HealthCheck, Rating, Response
from accord.assessments.services import healthcheck_open
from accord.conftest import unchanged

pytestmark = pytest.mark.django_db
KEYS = [key for key, _, _ in DEFAULT_DIMENSIONS]


def full(today=3, target=4, **extra):
    return {"ratings": [{"dimension": k, "today": today, "target": target, **extra} for k in KEYS]}


def put(client, hid, body):
    return client.put(f"/api/v1/health-checks/{hid}/response", body, content_type="application/json")


def locs(response):
    return {".".join(str(p) for p in e["loc"][1:]) for e in response.json()["detail"]}


class TestOpen:
    def test_it_opens_a_check_with_the_default_dimensions(self, api_client, alice, partnership):
        response = api_client(alice).post(
            f"/api/v1/partnerships/{partnership.pk}/health-checks", {}, content_type="application/json"
        )
        assert response.status_code == 201
        body = response.json()
        assert body["status"] == "open"
        assert body["number"] == 1
        assert [d["key"] for d in body["dimensions"]] == KEYS
        assert body["responded"] == []
        assert body["my_response"] is None
        assert body["results"] is None

    def test_it_tells_the_partner_without_any_ratings(self, api_client, alice, partnership):
        api_client(alice).post(f"/api/v1/partnerships/{partnership.pk}/health-checks", {}, "application/json")
        assert [m.to for m in mail.outbox] == [["bob@example.org"]]
        assert "Alice Martin started a health check" in mail.outbox[0].subject

    def test_only_one_check_is_open_at_a_time(self, api_client, alice, partnership):
        healthcheck_open(partnership=partnership, user=alice)
        client = api_client(alice)
        with unchanged():
            response = client.post(f"/api/v1/partnerships/{partnership.pk}/health-checks", {}, "application/json")
        assert response.status_code == 409

    def test_an_unknown_template_is_422(self, api_client, alice, partnership):
        response = api_client(alice).post(
            f"/api/v1/partnerships/{partnership.pk}/health-checks", {"template": "mine"}, "application/json"
        )
        assert response.status_code == 422
        assert "template" in locs(response)

    def test_charlie_gets_404_and_nothing_opens(self, api_client, charlie, partnership):
        client = api_client(charlie)
        with unchanged():
            response = client.post(f"/api/v1/partnerships/{partnership.pk}/health-checks", {}, "application/json")
        assert response.status_code == 404
        assert client.get(f"/api/v1/partnerships/{partnership.pk}/health-checks").status_code == 404


class TestRespond:
    @pytest.fixture
    def check(self, partnership, alice):
        return healthcheck_open(partnership=partnership, user=alice)

    def test_it_saves_a_full_answer(self, api_client, alice, check):
        response = put(api_client(alice), check.pk, full(note="We talk weekly now."))
        assert response.status_code == 200
        body = response.json()
        assert body["responded"] == [alice.pk]
        assert body["my_response"]["submitted"] is True
        assert body["my_response"]["ratings"][0] == {
            "dimension": KEYS[0],
            "today": 3,
            "target": 4,
            "note": "We talk weekly now.",
            "guess": None,
        }
        assert body["status"] == "open"

    @pytest.mark.parametrize(
        ("mutate", "field"),
        [
            (lambda b: b["ratings"].pop(), "ratings"),
            (lambda b: b["ratings"].append(dict(b["ratings"][0])), "ratings"),
            (lambda b: b["ratings"][0].update(dimension="vibes"), "ratings"),
            (lambda b: b["ratings"][0].update(today=0), "ratings.0.today"),
            (lambda b: b["ratings"][0].update(target=6), "ratings.0.target"),
            (lambda b: b["ratings"][0].update(today="three"), "ratings.0.today"),
            (lambda b: b["ratings"][0].update(guess=9), "ratings.0.guess"),
            (lambda b: b["ratings"][0].pop("today"), "ratings"),
            (lambda b: b["ratings"][0].update(note="x" * 2001), "ratings.0.note"),
            (lambda b: b.update(ratings="all good"), "ratings"),
        ],
    )
    def test_it_refuses_a_bad_answer_and_saves_nothing(self, api_client, alice, check, mutate, field):
        body = full()
        mutate(body)
        client = api_client(alice)
        with unchanged():
            response = put(client, check.pk, body)
        assert response.status_code == 422
        assert field in locs(response)

    def test_a_draft_may_be_partial_and_stays_unanswered(self, api_client, alice, bob, check):
        response = put(api_client(alice), check.pk, {"ratings": [{"dimension": KEYS[0], "today": 2}], "draft": True})
        assert response.status_code == 200
        body = response.json()
        assert body["responded"] == []
        assert body["my_response"]["submitted"] is False
        assert api_client(bob).get(f"/api/v1/health-checks/{check.pk}").json()["responded"] == []

    def test_it_reveals_when_every_member_has_answered(self, api_client, alice, bob, check):
        put(api_client(alice), check.pk, full(today=2, target=5))
        mail.outbox.clear()
        response = put(api_client(bob), check.pk, full(today=4, target=4))
        body = response.json()
        assert body["status"] == "revealed"
        first = body["results"][0]
        assert first["today_mean"] == 3
        assert first["target_mean"] == 4.5
        assert first["improvement_gap"] == 1.5
        assert first["perception_gap"] == 2
        assert {(r["user_id"], r["today"]) for r in first["ratings"]} == {(alice.pk, 2), (bob.pk, 4)}
        assert sorted(m.to[0] for m in mail.outbox) == ["alice@example.org", "bob@example.org"]

    def test_answers_are_final_after_reveal(self, api_client, alice, bob, check):
        put(api_client(alice), check.pk, full())
        put(api_client(bob), check.pk, full())
        client = api_client(alice)
        with unchanged():
            response = put(client, check.pk, full(today=1))
        assert response.status_code == 409

    def test_charlie_cannot_answer_or_read(self, api_client, charlie, check):
        client = api_client(charlie)
        with unchanged():
            assert put(client, check.pk, full()).status_code == 404
            assert client.get(f"/api/v1/health-checks/{check.pk}").status_code == 404
            assert client.post(f"/api/v1/health-checks/{check.pk}/close").status_code == 404

    def test_carol_cannot_reach_it_from_her_partnership(self, api_client, carol, other_partnership, check):
        assert api_client(carol).get(f"/api/v1/health-checks/{check.pk}").status_code == 404


class TestClose:
    def test_it_reveals_what_was_submitted_and_drops_drafts(self, api_client, alice, bob, partnership):
        check = healthcheck_open(partnership=partnership, user=alice)
        put(api_client(alice), check.pk, full(today=2))
        put(api_client(bob), check.pk, {"ratings": [{"dimension": KEYS[0], "today": 5}], "draft": True})
        response = api_client(bob).post(f"/api/v1/health-checks/{check.pk}/close")
        assert response.status_code == 200
        body = response.json()
        assert body["status"] == "revealed"
        assert body["closed_early"] is True
        assert [r["user_id"] for r in body["results"][0]["ratings"]] == [alice.pk]
        assert not Response.objects.filter(user=bob).exists()

    def test_closing_with_no_answers_or_twice_is_409(self, api_client, alice, bob, partnership):
        check = healthcheck_open(partnership=partnership, user=alice)
        client = api_client(alice)
        with unchanged():
            assert client.post(f"/api/v1/health-checks/{check.pk}/close").status_code == 409
        put(client, check.pk, full())
        assert client.post(f"/api/v1/health-checks/{check.pk}/close").status_code == 200
        assert client.post(f"/api/v1/health-checks/{check.pk}/close").status_code == 409


def test_the_list_is_newest_first(api_client, alice, bob, partnership):
    first = healthcheck_open(partnership=partnership, user=alice)
    put(api_client(alice), first.pk, full())
    put(api_client(bob), first.pk, full())
    second = healthcheck_open(partnership=partnership, user=alice)
    body = api_client(bob).get(f"/api/v1/partnerships/{partnership.pk}/health-checks").json()
    assert [c["id"] for c in body] == [second.pk, first.pk]
    assert body[1]["results"] is not None
    assert body[0]["results"] is None


def test_anonymous_callers_get_401(client, alice, partnership):
    check = healthcheck_open(partnership=partnership, user=alice)
    with unchanged():
        assert client.get(f"/api/v1/partnerships/{partnership.pk}/health-checks").status_code == 401
        assert client.post(f"/api/v1/partnerships/{partnership.pk}/health-checks").status_code == 401
        assert client.get(f"/api/v1/health-checks/{check.pk}").status_code == 401
        assert put(client, check.pk, full()).status_code == 401
        assert client.post(f"/api/v1/health-checks/{check.pk}/close").status_code == 401
    assert HealthCheck.objects.count() == 1
    assert not Rating.objects.exists()
