from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils.timezone import now

from accord.alignment.models import Decision, KeyResultReading
from accord.alignment.services import (
    DecisionContent,
    decision_create,
    decision_sign,
    key_result_add,
    key_result_reading_add,
    objective_create,
)
from accord.assessments.services import RatingInput, healthcheck_open, healthcheck_respond
from accord.charters.services import CharterContent, charter_propose, charter_revision_ratify
from accord.conftest import TODAY, assert_no_executable_markup, login, unchanged
from accord.lib.tasks import tasks_held
from accord.partnerships.services import partnership_team_page_regenerate, partnership_update
from accord.rituals.services import card_add, meeting_create
from accord.tensions.services import journal_write, perspective_write, tension_raise

pytestmark = pytest.mark.django_db
PRIVATE = "PRIVATE-TEXT-MUST-NOT-LEAK"


@pytest.fixture
def objective(partnership, alice):
    objective = objective_create(
        partnership=partnership,
        user=alice,
        title="Faster checkout",
        why="Conversion matters",
        starts_on=TODAY - timedelta(days=5),
        ends_on=TODAY + timedelta(days=60),
    )
    kr = key_result_add(objective=objective, name="p75 seconds", baseline=9, target=4, unit="s")
    key_result_reading_add(key_result=kr, user=alice, value=7, taken_on=TODAY)
    return objective


@pytest.fixture
def decision(partnership, alice):
    return decision_create(partnership=partnership, user=alice, content=DecisionContent(title="Queue retries"))


def pages(pid, oid, did):
    return [
        f"/p/{pid}/align/",
        f"/p/{pid}/align/objectives/{oid}/",
        f"/p/{pid}/align/decisions/",
        f"/p/{pid}/align/decisions/new/",
        f"/p/{pid}/align/decisions/new/?kind=request",
        f"/p/{pid}/align/decisions/new/?revisits={did}",
        f"/p/{pid}/align/decisions/{did}/",
    ]


def posts(pid, oid, did):
    return [
        (f"/p/{pid}/align/objectives/new/", {"title": "x", "starts_on": "2026-01-01", "ends_on": "2026-02-01"}),
        (f"/p/{pid}/align/objectives/{oid}/archive/", {}),
        (f"/p/{pid}/align/decisions/new/", {"title": "x", "kind": "decision"}),
        (f"/p/{pid}/align/decisions/{did}/sign/", {}),
        (f"/p/{pid}/align/team-page/publish/", {}),
    ]


def test_members_see_every_page(client, bob, partnership, objective, decision):
    login(client, bob)
    for path in pages(partnership.pk, objective.pk, decision.pk):
        assert client.get(path).status_code == 200, path


def test_charlie_gets_404_and_nothing_changes(client, charlie, partnership, objective, decision):
    login(client, charlie)
    with unchanged():
        for path in pages(partnership.pk, objective.pk, decision.pk):
            assert client.get(path).status_code == 404, path
        for path, data in posts(partnership.pk, objective.pk, decision.pk):
            assert client.post(path, data).status_code == 404, path


def test_visitors_are_sent_to_log_in(client, partnership, objective, decision):
    with unchanged():
        for path in pages(partnership.pk, objective.pk, decision.pk):
            assert client.get(path)["Location"].startswith("/accounts/login/"), path
        for path, data in posts(partnership.pk, objective.pk, decision.pk):
            assert client.post(path, data)["Location"].startswith("/accounts/login/"), path


def test_recording_signing_objecting_and_revisiting_through_the_pages(client, alice, bob, partnership, objective):
    login(client, alice)
    response = client.post(
        f"/p/{partnership.pk}/align/decisions/new/",
        {"kind": "decision", "title": "Weekly train", "options": "weekly\non demand", "objective_ids": [objective.pk]},
    )
    decision = Decision.objects.get()
    assert response["Location"] == f"/p/{partnership.pk}/align/decisions/{decision.pk}/"
    assert decision.options == ["weekly", "on demand"]
    client.post(response["Location"] + "sign/")
    login(client, bob)
    empty = client.post(response["Location"] + "object/", {"reason": ""})
    assert b"This field is required" in empty.content
    client.post(response["Location"] + "object/", {"reason": "Too slow"})
    assert b"Too slow" in client.get(response["Location"]).content
    client.post(response["Location"] + "sign/")
    decision.refresh_from_db()
    assert decision.status == "agreed"
    revisit = client.post(
        f"/p/{partnership.pk}/align/decisions/new/",
        {"kind": "decision", "title": "Twice weekly", "revisits": decision.pk},
    )
    decision.refresh_from_db()
    assert decision.status == "superseded"
    assert b"Superseded by" in client.get(response["Location"]).content
    assert revisit.status_code == 302


def test_a_request_is_triaged_then_signed(client, alice, bob, partnership):
    login(client, alice)
    client.post(f"/p/{partnership.pk}/align/decisions/new/", {"kind": "request", "title": "CRM", "requester": "Sales"})
    request = Decision.objects.get()
    url = f"/p/{partnership.pk}/align/decisions/{request.pk}/"
    too_early = client.post(f"{url}sign/", follow=True)
    assert b"Choose accept, decline or defer" in too_early.content
    client.post(f"{url}triage/", {"triage": "defer"})
    client.post(f"{url}sign/")
    login(client, bob).post(f"{url}sign/")
    request.refresh_from_db()
    assert (request.triage, request.status) == ("defer", "agreed")


def test_a_request_without_requester_keeps_what_was_typed(client, alice, partnership):
    login(client, alice)
    with unchanged():
        response = client.post(f"/p/{partnership.pk}/align/decisions/new/", {"kind": "request", "title": "Kept title"})
    assert b"This field is required" in response.content and b"Kept title" in response.content


def test_objective_pages_add_key_results_and_readings(client, alice, partnership):
    login(client, alice)
    client.post(
        f"/p/{partnership.pk}/align/objectives/new/",
        {"title": "Reorder", "why": "Asked for", "starts_on": str(TODAY), "ends_on": str(TODAY + timedelta(days=90))},
    )
    from accord.alignment.models import Objective

    objective = Objective.objects.get()
    url = f"/p/{partnership.pk}/align/objectives/{objective.pk}/"
    client.post(
        f"{url}key-results/new/", {"kr-name": "Reorders", "kr-baseline": "0", "kr-target": "25", "kr-unit": "%"}
    )
    kr = objective.key_results.get()
    client.post(
        f"/p/{partnership.pk}/align/key-results/{kr.pk}/readings/new/",
        {f"r{kr.pk}-value": "10", f"r{kr.pk}-taken_on": str(TODAY)},
    )
    page = client.get(url).content.decode()
    assert 'aria-valuenow="40"' in page
    assert KeyResultReading.objects.count() == 1
    bad = client.post(f"{url}key-results/new/", {"kr-name": "Same", "kr-baseline": "5", "kr-target": "5"})
    assert b"must differ from the baseline" in bad.content


def test_the_list_flags_unaligned_decisions(client, alice, partnership, objective, decision):
    html = login(client, alice).get(f"/p/{partnership.pk}/align/decisions/?show=unaligned").content.decode()
    assert "Queue retries" in html and "No objective" in html


def test_pages_cost_the_same_with_many_decisions(
    client, alice, bob, partnership, objective, django_assert_max_num_queries
):
    with tasks_held():
        for i in range(60):
            d = decision_create(
                partnership=partnership,
                user=alice,
                content=DecisionContent(title=f"D{i}", objective_ids=[objective.pk] if i % 2 else []),
            )
            decision_sign(decision=d, user=alice)
    login(client, alice)
    with django_assert_max_num_queries(16):
        assert client.get(f"/p/{partnership.pk}/align/").status_code == 200
    with django_assert_max_num_queries(14):
        assert client.get(f"/p/{partnership.pk}/align/decisions/").status_code == 200


class TestTeamPage:
    def seed_private_everywhere(self, partnership, alice, bob):
        journal_write(partnership=partnership, user=alice, text=PRIVATE)
        journal_write(partnership=partnership, user=bob, text=PRIVATE, visibility="shared")
        tension = tension_raise(partnership=partnership, user=alice, topic=PRIVATE, tags=[PRIVATE[:40]])
        perspective_write(
            tension=tension, user=alice, important_to_me=PRIVATE, why=PRIVATE, partner_priority_guess=PRIVATE
        )
        retro = meeting_create(partnership=partnership, user=alice, kind="retro", scheduled_for=now())
        card_add(meeting=retro, user=alice, column="frustrating", text=PRIVATE)
        check = healthcheck_open(partnership=partnership, user=alice)
        healthcheck_respond(
            check=check, user=alice, ratings=[RatingInput(d.key, 1, 5, note=PRIVATE) for d in check.dimensions.all()]
        )
        unagreed = decision_create(
            partnership=partnership, user=alice, content=DecisionContent(title=PRIVATE, outcome=PRIVATE)
        )
        del unagreed
        proposal = charter_propose(
            rationale="What we learned since",
            partnership=partnership,
            user=alice,
            base=None,
            content=CharterContent(purpose=PRIVATE, agreements=[PRIVATE]),
        )
        del proposal

    def test_it_shows_only_what_both_agreed_and_nothing_private(self, client, alice, bob, partnership, objective):
        self.seed_private_everywhere(partnership, alice, bob)
        agreed = decision_create(
            partnership=partnership, user=alice, content=DecisionContent(title="Queue retries", outcome="Queue")
        )
        for user in (alice, bob):
            decision_sign(decision=agreed, user=user)
        charter = charter_propose(
            rationale="What we learned since",
            partnership=partnership,
            user=bob,
            base=None,
            content=CharterContent(agreements=["Weekly 1:1"]),
        )
        charter_revision_ratify(revision=charter, user=alice)
        charter_revision_ratify(revision=charter, user=bob)
        partnership_update(partnership=partnership, team_page_published=True)
        for path in (f"/team/{partnership.team_page_secret}/", f"/api/v1/team/{partnership.team_page_secret}"):
            response = client.get(path)
            assert response.status_code == 200
            html = response.content.decode()
            assert PRIVATE not in html, path
            for expected in ("Faster checkout", "Conversion matters", "p75 seconds", "Queue retries", "Weekly 1:1"):
                assert expected in html, expected
            assert_no_executable_markup(html)

    def test_unpublished_or_regenerated_links_are_404(self, client, alice, partnership):
        login(client, alice).post(f"/p/{partnership.pk}/align/team-page/publish/")
        partnership.refresh_from_db()
        old = partnership.team_page_secret
        client.logout()
        assert client.get(f"/team/{old}/").status_code == 200
        partnership_team_page_regenerate(partnership=partnership)
        assert client.get(f"/team/{old}/").status_code == 404
        assert client.get(f"/team/{partnership.team_page_secret}/").status_code == 200
        login(client, alice).post(f"/p/{partnership.pk}/align/team-page/unpublish/")
        client.logout()
        assert client.get(f"/team/{partnership.team_page_secret}/").status_code == 404
        assert client.get("/team/no-such-secret/").status_code == 404


def test_an_objective_that_ends_before_it_starts_comes_back_as_typed(client, alice, partnership):
    from accord.alignment.models import Objective

    response = login(client, alice).post(
        f"/p/{partnership.pk}/align/objectives/new/",
        {
            "title": "Faster checkout",
            "why": "Every second costs 2%",
            "starts_on": "2026-06-10",
            "ends_on": "2026-06-01",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'value="Faster checkout"' in html and "Every second costs 2%" in html
    assert 'value="2026-06-10"' in html and 'value="2026-06-01"' in html
    assert '<details class="card" open>' in html and "errorlist" in html
    assert not Objective.objects.exists()
