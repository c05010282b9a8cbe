"""The portfolio's rows kept between reads (accord.orgs.selectors.KEPT): after a write to one
partnership of many, only its row is worked out again, and a kept row never outlives what it was
made of: a figure, a name, a grant, the clock passing a day or an overdue moment, or going back."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.timezone import now

from accord.assessments.services import RatingInput, healthcheck_open, healthcheck_respond
from accord.conftest import on_hard_days
from accord.insights.facts import OVERDUE_GRACE, facts_for
from accord.lib.dates import day_start
from accord.orgs.selectors import portfolio_get
from accord.orgs.services import org_access_set, org_create, org_template_create
from accord.orgs.tests.test_orgs import _many
from accord.partnerships.services import partnership_update
from accord.rituals.services import action_item_create, meeting_create
from accord.tensions.services import tension_raise

pytestmark = pytest.mark.django_db


@pytest.fixture
def org(coach):
    return org_create(user=coach, name="Product & Engineering")


@pytest.fixture
def shared(org, partnership, alice, bob):
    for user in (alice, bob):
        org_access_set(partnership=partnership, user=user, org_id=org.pk, grant=True)
    return partnership


def row_of(org, partnership):
    return next(r for r in portfolio_get(org=org) if r.partnership_id == partnership.pk)


def figures_read(queries):
    return [q["sql"] for q in queries if "insights_partnershipfigures" in q["sql"]]


def test_after_a_write_to_one_partnership_only_its_row_is_worked_out_again(org, shared, alice):
    _many(12, org, 0)
    assert len(portfolio_get(org=org)) == 13
    with CaptureQueriesContext(connection) as again:
        assert len(portfolio_get(org=org)) == 13
    assert not figures_read(again.captured_queries)  # every row kept: no stored figures read

    tension_raise(partnership=shared, user=alice, topic="Who owns the roadmap")
    with CaptureQueriesContext(connection) as after:
        assert row_of(org, shared).open_tensions == 1
    [read] = figures_read(after.captured_queries)
    assert f"IN ({shared.pk})" in read  # that row alone


def test_a_kept_row_follows_a_new_name_and_a_withdrawn_grant(org, shared, alice):
    assert row_of(org, shared).name == "Checkout leads"
    partnership_update(partnership=shared, name="Checkout & payments")
    assert row_of(org, shared).name == "Checkout & payments"
    org_access_set(partnership=shared, user=alice, org_id=org.pk, grant=False)
    assert portfolio_get(org=org) == []


def test_a_kept_row_follows_the_titles_the_organisation_may_read(org, shared, alice, bob, coach):
    for days_ago, ratings in ((60, ([2] * 8, [2] * 8)), (10, ([4] + [3] * 7, [2] + [3] * 7))):
        check = healthcheck_open(partnership=shared, user=alice, at=now() - timedelta(days=days_ago))
        keys = [d.key for d in check.dimensions.all()]
        check.dimensions.filter(key=keys[0]).update(title="Candour at standups")  # the partnership's own title
        for user, todays in zip((alice, bob), ratings, strict=True):
            ratings_in = [RatingInput(k, t, 5) for k, t in zip(keys, todays, strict=True)]
            healthcheck_respond(check=check, user=user, at=now() - timedelta(days=days_ago), ratings=ratings_in)
    [widened] = [n for n in row_of(org, shared).due if n.kind == "perception_gap_widened"]
    assert "Candour" not in widened.name  # theirs alone: kept so
    org_template_create(org=org, user=coach, name="Ours", dimensions=[{"title": "Candour at standups"}])
    [widened] = [n for n in row_of(org, shared).due if n.kind == "perception_gap_widened"]
    assert "Candour at standups" in widened.name  # the organisation's own title now: the kept row is not


@on_hard_days
def test_a_kept_row_follows_the_clock_forward_and_back(org, shared, alice, clock):
    start = clock.now()
    retro = meeting_create(partnership=shared, user=alice, kind="retro", scheduled_for=start + timedelta(hours=1))
    action_item_create(partnership=shared, user=alice, text="Split the roadmap", owner_id=alice.pk, due_on=clock.today)
    first = row_of(org, shared)
    assert (first.overdue_items, first.nudges) == (0, 0)

    clock.move_to(retro.scheduled_for + OVERDUE_GRACE)  # not overdue yet, to the microsecond
    assert "retro_overdue" not in [n.kind for n in row_of(org, shared).due]
    clock.shift(timedelta(microseconds=1))
    assert "retro_overdue" in [n.kind for n in row_of(org, shared).due]

    clock.move_to(day_start(clock.today + timedelta(days=1), shared.timezone))  # the item's day has passed
    late = row_of(org, shared)
    assert late.overdue_items == 1 and "action_items_overdue" in [n.kind for n in late.due]
    assert any(n.name.startswith("Retro overdue") for n in late.due)

    clock.move_to(start)  # back: what was kept from later is not shown earlier
    assert row_of(org, shared) == first


@on_hard_days
def test_the_facts_hold_until_the_next_day_or_the_moment_the_retro_is_overdue(shared, alice, clock):
    tomorrow = day_start(clock.today + timedelta(days=1), shared.timezone)
    assert facts_for(shared).stable_until == tomorrow
    soon = clock.now() + timedelta(minutes=5) - OVERDUE_GRACE  # planned 11 h 55 min ago
    meeting_create(partnership=shared, user=alice, kind="retro", scheduled_for=soon)
    assert facts_for(shared).stable_until == min(tomorrow, soon + OVERDUE_GRACE)
