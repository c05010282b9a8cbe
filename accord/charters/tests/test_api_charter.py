from __future__ import annotations

import pytest

from accord.charters.models import CharterRevision, Measure, Reading
from accord.charters.services import CharterContent, charter_propose, charter_revision_ratify
from accord.conftest import join, make_user, unchanged
from accord.partnerships.models import Role

pytestmark = pytest.mark.django_db

BODY = {
    "base": None,
    "purpose": "We lead checkout together.",
    "values": ["Candour"],
    "principles": ["Customers first"],
    "responsibilities": [{"area": "Roadmap", "owner": "PM"}, {"area": "Hiring", "owner": "shared"}],
    "agreements": ["Weekly 1:1"],
    "rationale": "A start",
}


def post(client, path, body=None):
    return client.post(f"/api/v1{path}", body or {}, content_type="application/json")


def locs(response):
    return {".".join(str(p) for p in e["loc"][1:]) for e in response.json()["detail"]}


def ratified(partnership, alice, bob, **changes):
    current = partnership.charter_revisions.filter(status="ratified").first()
    content = CharterContent(**{"purpose": "v", "agreements": ["a"], **changes})
    revision = charter_propose(
        rationale="What we learned since",
        partnership=partnership,
        user=alice,
        base=current.number if current else None,
        content=content,
    )
    charter_revision_ratify(revision=revision, user=alice)
    return charter_revision_ratify(revision=revision, user=bob)


class TestPropose:
    def test_an_empty_charter(self, api_client, alice, partnership):
        body = api_client(alice).get(f"/api/v1/partnerships/{partnership.pk}/charter").json()
        assert body == {"current": None, "proposals": []}

    def test_it_proposes_the_first_revision(self, api_client, alice, partnership):
        response = post(api_client(alice), f"/partnerships/{partnership.pk}/charter/revisions", BODY)
        assert response.status_code == 201
        body = response.json()
        assert (body["number"], body["status"], body["base"], body["author_id"]) == (None, "proposed", None, alice.pk)
        assert body["ratified_by"] == []
        assert body["responsibilities"] == BODY["responsibilities"]
        purpose = next(s for s in body["diff"] if s["section"] == "purpose")
        assert purpose["lines"] == [{"op": "added", "text": "We lead checkout together."}]
        charter = api_client(alice).get(f"/api/v1/partnerships/{partnership.pk}/charter").json()
        assert [p["id"] for p in charter["proposals"]] == [body["id"]]

    def test_a_stale_base_is_409_and_nothing_is_saved(self, api_client, alice, bob, partnership):
        ratified(partnership, alice, bob)
        client = api_client(bob)
        for base in (None, 2, 99):
            with unchanged():
                response = post(client, f"/partnerships/{partnership.pk}/charter/revisions", {**BODY, "base": base})
            assert response.status_code == 409
            assert "current" in response.json()["detail"]
        ok = post(client, f"/partnerships/{partnership.pk}/charter/revisions", {**BODY, "base": 1})
        assert ok.status_code == 201
        assert ok.json()["base"] == 1

    @pytest.mark.parametrize(
        ("change", "field"),
        [
            ({"responsibilities": [{"area": "Roadmap", "owner": "CEO"}]}, "responsibilities.0.owner"),
            ({"purpose": "x" * 8001}, "purpose"),
            ({"values": "Candour"}, "values"),
            ({"values": ["x" * 501]}, "values"),
            ({"values": [3]}, "values.0"),
            ({"base": "one"}, "base"),
            ({"purpose": "", "values": [], "principles": [], "responsibilities": [], "agreements": []}, "purpose"),
            ({"agreements": ["fine", "bad\x00"]}, "agreements"),
        ],
    )
    def test_bad_input_is_422_naming_the_field(self, api_client, alice, partnership, change, field):
        client = api_client(alice)
        with unchanged():
            response = post(client, f"/partnerships/{partnership.pk}/charter/revisions", {**BODY, **change})
        assert response.status_code == 422
        assert field in locs(response)


class TestRatify:
    def test_it_takes_effect_when_both_have_ratified(self, api_client, alice, bob, partnership):
        rid = post(api_client(alice), f"/partnerships/{partnership.pk}/charter/revisions", BODY).json()["id"]
        first = post(api_client(alice), f"/charter-revisions/{rid}/ratify").json()
        assert (first["status"], first["number"], first["ratified_by"], first["awaiting"]) == (
            "proposed",
            None,
            [alice.pk],
            [bob.pk],
        )
        second = post(api_client(bob), f"/charter-revisions/{rid}/ratify").json()
        assert (second["status"], second["number"]) == ("ratified", 1)
        assert sorted(second["ratified_by"]) == sorted([alice.pk, bob.pk])
        charter = api_client(bob).get(f"/api/v1/partnerships/{partnership.pk}/charter").json()
        assert charter["current"]["id"] == rid
        assert charter["proposals"] == []

    def test_three_members_all_ratify(self, api_client, alice, bob, partnership):
        dee = make_user("dee@example.org", "Dee Designer")
        join(partnership, alice, dee, Role.DESIGN)
        rid = post(api_client(alice), f"/partnerships/{partnership.pk}/charter/revisions", BODY).json()["id"]
        for user, status in ((alice, "proposed"), (bob, "proposed"), (dee, "ratified")):
            assert post(api_client(user), f"/charter-revisions/{rid}/ratify").json()["status"] == status

    def test_a_new_version_supersedes_the_old_one(self, api_client, alice, bob, partnership):
        v1 = ratified(partnership, alice, bob)
        v2 = ratified(partnership, alice, bob, purpose="second")
        assert v2.number == 2
        old = api_client(alice).get(f"/api/v1/charter-revisions/{v1.pk}").json()
        assert old["status"] == "superseded"
        assert old["number"] == 1
        new = api_client(alice).get(f"/api/v1/charter-revisions/{v2.pk}").json()
        purpose = next(s for s in new["diff"] if s["section"] == "purpose")
        assert purpose["lines"] == [{"op": "removed", "text": "v"}, {"op": "added", "text": "second"}]

    def test_concurrent_proposals_are_both_kept_and_the_outdated_one_is_409(self, api_client, alice, bob, partnership):
        path = f"/partnerships/{partnership.pk}/charter/revisions"
        mine = post(api_client(alice), path, {**BODY, "purpose": "Alice's version"}).json()["id"]
        theirs = post(api_client(bob), path, {**BODY, "purpose": "Bob's version"}).json()["id"]
        post(api_client(alice), f"/charter-revisions/{mine}/ratify")
        post(api_client(bob), f"/charter-revisions/{mine}/ratify")
        client = api_client(bob)
        with unchanged():
            response = post(client, f"/charter-revisions/{theirs}/ratify")
        assert response.status_code == 409
        assert "Rebase" in response.json()["detail"]
        kept = client.get(f"/api/v1/charter-revisions/{theirs}").json()
        assert kept["purpose"] == "Bob's version"
        assert kept["status"] == "proposed"
        assert kept["outdated"] is True

    def test_ratifying_a_ratified_revision_is_409(self, api_client, alice, bob, partnership):
        v1 = ratified(partnership, alice, bob)
        assert post(api_client(alice), f"/charter-revisions/{v1.pk}/ratify").status_code == 409


class TestWithdraw:
    def test_the_author_withdraws_and_the_text_stays(self, api_client, alice, bob, partnership):
        rid = post(api_client(alice), f"/partnerships/{partnership.pk}/charter/revisions", BODY).json()["id"]
        client = api_client(bob)
        with unchanged():
            assert post(client, f"/charter-revisions/{rid}/withdraw").status_code == 404
        body = post(api_client(alice), f"/charter-revisions/{rid}/withdraw").json()
        assert body["status"] == "withdrawn"
        assert body["purpose"] == BODY["purpose"]
        assert post(api_client(bob), f"/charter-revisions/{rid}/ratify").status_code == 409
        assert post(api_client(alice), f"/charter-revisions/{rid}/withdraw").status_code == 409


class TestMeasures:
    def test_create_read_and_on_track(self, api_client, alice, bob, partnership):
        client = api_client(alice)
        up = post(
            client,
            f"/partnerships/{partnership.pk}/measures",
            {"name": "Joint decisions", "method": "log", "target": 80, "direction": "up", "unit": "%"},
        )
        assert up.status_code == 201
        down = post(
            client,
            f"/partnerships/{partnership.pk}/measures",
            {"name": "Days to resolve", "method": "", "target": 7, "direction": "down"},
        )
        for mid, value in ((up.json()["id"], 60), (up.json()["id"], 85), (down.json()["id"], 9)):
            reading = post(api_client(bob), f"/measures/{mid}/readings", {"value": value, "taken_on": "2026-06-01"})
            assert reading.status_code == 201
        listing = {m["name"]: m for m in client.get(f"/api/v1/partnerships/{partnership.pk}/measures").json()}
        assert listing["Joint decisions"]["latest"]["value"] == 85
        assert listing["Joint decisions"]["on_track"] is True
        assert [r["value"] for r in listing["Joint decisions"]["readings"]] == [60, 85]
        assert listing["Days to resolve"]["on_track"] is False

    def test_no_readings_means_no_verdict(self, api_client, alice, partnership):
        client = api_client(alice)
        post(client, f"/partnerships/{partnership.pk}/measures", {"name": "M", "target": 1, "direction": "up"})
        assert client.get(f"/api/v1/partnerships/{partnership.pk}/measures").json()[0]["on_track"] is None

    @pytest.mark.parametrize(
        ("body", "field"),
        [
            ({"name": "", "target": 1, "direction": "up"}, "name"),
            ({"name": "M", "target": "lots", "direction": "up"}, "target"),
            ({"name": "M", "target": 1, "direction": "sideways"}, "direction"),
            ({"name": "M" * 121, "target": 1, "direction": "up"}, "name"),
        ],
    )
    def test_bad_measures_are_422(self, api_client, alice, partnership, body, field):
        client = api_client(alice)
        with unchanged():
            response = post(client, f"/partnerships/{partnership.pk}/measures", body)
        assert response.status_code == 422
        assert field in locs(response)

    def test_bad_readings_are_422(self, api_client, alice, partnership):
        measure = Measure.objects.create(partnership=partnership, name="M", target=1)
        client = api_client(alice)
        with unchanged():
            assert "taken_on" in locs(
                post(client, f"/measures/{measure.pk}/readings", {"value": 1, "taken_on": "2999-01-01"})
            )
            assert "value" in locs(
                post(client, f"/measures/{measure.pk}/readings", {"value": "x", "taken_on": "2026-01-01"})
            )
            assert "taken_on" in locs(
                post(client, f"/measures/{measure.pk}/readings", {"value": 1, "taken_on": "yesterday"})
            )


def test_outsiders_get_404_and_nothing_changes(api_client, alice, bob, carol, charlie, partnership):
    v1 = ratified(partnership, alice, bob)
    measure = Measure.objects.create(partnership=partnership, name="M", target=1)
    for outsider in (charlie, carol):
        client = api_client(outsider)
        with unchanged():
            assert client.get(f"/api/v1/partnerships/{partnership.pk}/charter").status_code == 404
            assert (
                post(client, f"/partnerships/{partnership.pk}/charter/revisions", {**BODY, "base": 1}).status_code
                == 404
            )
            assert client.get(f"/api/v1/charter-revisions/{v1.pk}").status_code == 404
            assert post(client, f"/charter-revisions/{v1.pk}/ratify").status_code == 404
            assert post(client, f"/charter-revisions/{v1.pk}/withdraw").status_code == 404
            assert (
                post(
                    client, f"/partnerships/{partnership.pk}/measures", {"name": "M", "target": 1, "direction": "up"}
                ).status_code
                == 404
            )
            assert client.get(f"/api/v1/partnerships/{partnership.pk}/measures").status_code == 404
            assert (
                post(client, f"/measures/{measure.pk}/readings", {"value": 1, "taken_on": "2026-01-01"}).status_code
                == 404
            )


def test_anonymous_callers_get_401(client, alice, bob, partnership):
    v1 = ratified(partnership, alice, bob)
    with unchanged():
        assert client.get(f"/api/v1/partnerships/{partnership.pk}/charter").status_code == 401
        assert post(client, f"/partnerships/{partnership.pk}/charter/revisions", BODY).status_code == 401
        assert client.get(f"/api/v1/charter-revisions/{v1.pk}").status_code == 401
        assert post(client, f"/charter-revisions/{v1.pk}/ratify").status_code == 401
        assert client.get(f"/api/v1/partnerships/{partnership.pk}/measures").status_code == 401
    assert CharterRevision.objects.count() == 1
    assert not Reading.objects.exists()


def test_the_last_member_can_delete_a_partnership_with_charter_history(api_client, carol, other_partnership):
    first = charter_propose(
        rationale="What we learned since",
        partnership=other_partnership,
        user=carol,
        base=None,
        content=CharterContent(purpose="a"),
    )
    charter_revision_ratify(revision=first, user=carol)
    second = charter_propose(
        rationale="What we learned since",
        partnership=other_partnership,
        user=carol,
        base=1,
        content=CharterContent(purpose="b"),
    )
    charter_revision_ratify(revision=second, user=carol)
    response = post(api_client(carol), f"/partnerships/{other_partnership.pk}/leave", {"confirm_delete": True})
    assert response.json() == {"partnership_deleted": True}
    assert not CharterRevision.objects.exists()
