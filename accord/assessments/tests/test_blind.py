"""Blind, then reveal: before reveal nothing of a partner's answer reaches the other partner,
through any channel: pages, fragments, API, counts or emails."""

from __future__ import annotations

import json

import pytest
from django.core import mail

from accord.assessments.services import RatingInput, healthcheck_open, healthcheck_respond
from accord.conftest import login

pytestmark = pytest.mark.django_db
SECRET = "ALICE-PRIVATE-NOTE-7731"


@pytest.fixture
def check(partnership, alice):
    check = healthcheck_open(partnership=partnership, user=alice)
    ratings = [RatingInput(dimension=d.key, today=1, target=5, guess=2, note=SECRET) for d in check.dimensions.all()]
    healthcheck_respond(check=check, user=alice, ratings=ratings)
    return check


def bob_sees(client, bob, partnership, check) -> str:
    login(client, bob)
    pages = [
        f"/p/{partnership.pk}/assess/",
        f"/p/{partnership.pk}/assess/{check.pk}/",
        f"/p/{partnership.pk}/assess/{check.pk}/live/",
        f"/p/{partnership.pk}/",
    ]
    return "\n".join(client.get(path).content.decode() for path in pages)


def test_the_partner_sees_only_that_alice_answered_on_pages(client, bob, partnership, check):
    html = bob_sees(client, bob, partnership, check)
    assert SECRET not in html
    assert "Answered" in html  # who has answered is all there is to see
    assert "1 → 5" not in html
    assert "guessed" not in html


def test_the_page_context_holds_nothing_of_alices(client, bob, partnership, check):
    response = login(client, bob).get(f"/p/{partnership.pk}/assess/{check.pk}/")
    view = response.context["view"]
    assert view.results is None
    assert view.my_ratings == {}
    assert view.responded == [check.opened_by_id]


def test_the_partner_sees_nothing_through_the_api(api_client, bob, partnership, check):
    client = api_client(bob)
    for path in (f"/api/v1/health-checks/{check.pk}", f"/api/v1/partnerships/{partnership.pk}/health-checks"):
        text = client.get(path).content.decode()
        assert SECRET not in text
        body = json.loads(text)
        body = body[0] if isinstance(body, list) else body
        assert body["results"] is None
        assert body["my_response"] is None
        assert body["guess_accuracy"] is None


def test_a_draft_is_not_even_counted(api_client, client, alice, bob, partnership):
    check = healthcheck_open(partnership=partnership, user=alice)
    healthcheck_respond(
        check=check, user=alice, ratings=[RatingInput(dimension="trust-candour", today=1, note=SECRET)], submit=False
    )
    body = api_client(bob).get(f"/api/v1/health-checks/{check.pk}").json()
    assert body["responded"] == []
    assert SECRET not in bob_sees(client, bob, partnership, check)


def test_emails_carry_no_answers(partnership, alice, bob, check):
    healthcheck_respond(
        check=check,
        user=bob,
        ratings=[RatingInput(dimension=d.key, today=3, target=3) for d in check.dimensions.all()],
    )
    assert mail.outbox  # opened and revealed notices were sent
    for message in mail.outbox:
        assert SECRET not in message.body
        assert SECRET not in message.subject


def test_after_reveal_the_partner_sees_everything(client, api_client, bob, partnership, check):
    healthcheck_respond(
        check=check,
        user=bob,
        ratings=[RatingInput(dimension=d.key, today=3, target=3) for d in check.dimensions.all()],
    )
    assert SECRET in login(client, bob).get(f"/p/{partnership.pk}/assess/{check.pk}/").content.decode()
    assert SECRET in api_client(bob).get(f"/api/v1/health-checks/{check.pk}").content.decode()


def test_alice_sees_her_own_answer_while_she_waits(client, alice, partnership, check):
    response = login(client, alice).get(f"/p/{partnership.pk}/assess/{check.pk}/")
    html = response.content.decode()
    assert "Waiting for Bob" in html
    assert "1 → 5" in html
    assert response.context["view"].results is None
