"""Whoever records a decision signs it as they record it (unless they untick); archiving asks once,
on its own page; a key result is named once; an ended objective shows no empty box."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils.timezone import now

from accord.alignment.models import Decision, Objective, SignOff
from accord.alignment.services import key_result_add, objective_create
from accord.conftest import login, unchanged

pytestmark = pytest.mark.django_db


def record(client: Client, partnership, **extra):
    data = {"kind": "decision", "title": "Ship weekly", "context": "", "options": "", "evidence": "", "outcome": ""}
    return client.post(f"/p/{partnership.pk}/align/decisions/new/", {**data, **extra})


def test_the_form_offers_to_sign_ticked(client: Client, partnership, alice):
    html = login(client, alice).get(f"/p/{partnership.pk}/align/decisions/new/").content.decode()
    assert "I agree with this decision" in html
    assert re.search(r'<input type="checkbox" name="agree"[^>]* checked', html)


def test_recording_with_the_box_ticked_signs_it_in_the_same_unit(client: Client, partnership, alice, bob):
    login(client, alice)
    record(client, partnership, agree="on")
    decision = Decision.objects.get()
    assert list(decision.signoffs.values_list("user__email", "kind")) == [(alice.email, SignOff.Kind.SIGNED)]
    assert decision.status == Decision.Status.PROPOSED  # Bob has not signed yet


def test_unticked_it_is_recorded_unsigned(client: Client, partnership, alice):
    login(client, alice)
    record(client, partnership)
    assert not SignOff.objects.exists()


def test_an_untriaged_request_is_not_signed_yet(client: Client, partnership, alice):
    login(client, alice)
    client.post(
        f"/p/{partnership.pk}/align/decisions/new/?kind=request",
        {"kind": "request", "title": "More reports", "requester": "Sales", "triage": "", "agree": "on"},
    )
    assert Decision.objects.get().kind == "request" and not SignOff.objects.exists()


@pytest.fixture
def objective(partnership, alice) -> Objective:
    today = now().date()
    objective = objective_create(
        partnership=partnership,
        user=alice,
        title="Faster checkout",
        why="",
        starts_on=today,
        ends_on=today + timedelta(90),
    )
    key_result_add(objective=objective, name="Median checkout time", baseline=40, target=20, unit="s")
    return objective


def test_archiving_asks_once_on_its_own_page(client: Client, partnership, alice, objective):
    login(client, alice)
    page = client.get(f"/p/{partnership.pk}/align/objectives/{objective.pk}/").content.decode()
    assert f'href="/p/{partnership.pk}/align/objectives/{objective.pk}/archive/"' in page
    assert "confirm(" not in page
    with unchanged():
        ask = client.get(f"/p/{partnership.pk}/align/objectives/{objective.pk}/archive/")
    assert ask.status_code == 200 and "Archive “Faster checkout”?" in ask.content.decode()
    client.post(f"/p/{partnership.pk}/align/objectives/{objective.pk}/archive/")
    assert Objective.objects.get().archived_at is not None
    back = client.get(f"/p/{partnership.pk}/align/objectives/{objective.pk}/").content.decode()
    assert "Bring back from the archive" in back


def test_a_key_result_is_named_once_on_its_objective(client: Client, partnership, alice, objective):
    html = login(client, alice).get(f"/p/{partnership.pk}/align/objectives/{objective.pk}/").content.decode()
    assert html.count(">Median checkout time<") == 1
    assert "from 40 to 20 s" in html


def test_an_ended_objective_shows_no_empty_box(client: Client, partnership, alice, objective, clock):
    clock.shift(timedelta(days=120))
    html = login(client, alice).get(f"/p/{partnership.pk}/align/objectives/{objective.pk}/").content.decode()
    assert "so it is archived by itself" in html
    assert '<form method="post" class="card">\n  <input type="hidden" name="csrfmiddlewaretoken"' not in html
    assert "Archive it now" not in html
