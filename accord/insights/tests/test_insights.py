"""Every dashboard figure against values computed by hand on a small, known history."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils.timezone import now

from accord.alignment.services import DecisionContent, decision_create, decision_sign, objective_create
from accord.assessments.services import RatingInput, healthcheck_open, healthcheck_respond
from accord.charters.services import CharterContent, charter_propose, measure_create, measure_reading_add
from accord.conftest import login, on_hard_days
from accord.insights.facts import facts_for
from accord.insights.selectors import insights_get, nudge_list
from accord.lib.dates import day_start, month_start
from accord.rituals.models import ActionItem, Meeting
from accord.rituals.services import experiment_create, experiment_update, meeting_create
from accord.tensions.services import perspective_write, tension_raise, tension_resolution_agree, tension_resolve

pytestmark = pytest.mark.django_db


def check(partnership, alice, bob, alice_today, bob_today, days_ago):
    c = healthcheck_open(partnership=partnership, user=alice, at=now() - timedelta(days=days_ago))
    keys = [d.key for d in c.dimensions.all()]
    for user, todays in ((alice, alice_today), (bob, bob_today)):
        healthcheck_respond(
            check=c,
            user=user,
            at=now() - timedelta(days=days_ago),
            ratings=[RatingInput(k, t, 5) for k, t in zip(keys, todays, strict=True)],
        )
    return c


@pytest.fixture
def history(partnership, alice, bob, clock):
    today = clock.today  # in the partnership's time zone
    # Two checks: scores 2.5 then 3.5; "trust" perception gap widens from 0 to 2.
    check(partnership, alice, bob, [2] * 8, [3] * 8, 120)  # every dimension: today mean 2.5
    check(partnership, alice, bob, [4, 3, 3, 3, 3, 3, 3, 3], [2, 4, 4, 4, 4, 4, 4, 4], 20)
    # Meetings this month (the partnership's month): 2 one-on-ones planned, 1 held; 1 retro held.
    start = day_start(month_start(today), partnership.timezone)
    for kind, status in (("one_on_one", "held"), ("one_on_one", "planned"), ("retro", "held")):
        m = meeting_create(partnership=partnership, user=alice, kind=kind, scheduled_for=start)
        if status == "held":
            Meeting.objects.filter(pk=m.pk).update(status="held", held_at=start)
    # The next retro is planned (in days, not counted yet): a retro is not overdue on any day.
    meeting_create(partnership=partnership, user=alice, kind="retro", scheduled_for=now() + timedelta(days=3))
    # Action items: on time, late, open (overdue), open (not due).
    for due, done in ((-10, -12), (-10, -5), (-3, None), (5, None)):
        ActionItem.objects.create(
            partnership=partnership,
            text="a",
            owner=alice,
            due_on=today + timedelta(days=due),
            done_at=now() + timedelta(days=done) if done is not None else None,
        )
    # Experiments: one running past review, one kept, one dropped.
    late = experiment_create(
        hypothesis="Trying it helps us",
        success_signal="We both notice it",
        partnership=partnership,
        user=alice,
        title="late",
        review_on=today - timedelta(days=2),
    )
    for verdict in ("kept", "dropped"):
        e = experiment_create(
            hypothesis="Trying it helps us",
            success_signal="We both notice it",
            partnership=partnership,
            user=alice,
            title=verdict,
            review_on=today,
        )
        experiment_update(experiment=e, status=verdict)
    # Tensions: resolved after 2 and 6 days, one open.
    for days in (2, 6):
        t = tension_raise(partnership=partnership, user=alice, topic=f"t{days}", at=now() - timedelta(days=30))
        for user in (alice, bob):
            perspective_write(tension=t, user=user, important_to_me="x")
        tension_resolve(tension=t, user=alice, resolution="ok", at=now() - timedelta(days=30 - days))
        tension_resolution_agree(tension=t, user=bob, at=now() - timedelta(days=30 - days))
    tension_raise(partnership=partnership, user=bob, topic="open one")
    # Decisions: three agreed, two of them linked to an objective; one waiting.
    objective = objective_create(
        partnership=partnership, user=alice, title="O", why="", starts_on=today, ends_on=today + timedelta(days=30)
    )
    for i, linked in enumerate((True, True, False)):
        d = decision_create(
            partnership=partnership,
            user=alice,
            content=DecisionContent(title=f"d{i}", objective_ids=[objective.pk] if linked else []),
        )
        decision_sign(decision=d, user=alice)
        decision_sign(decision=d, user=bob)
    decision_create(partnership=partnership, user=bob, content=DecisionContent(title="waiting"))
    # A success measure on track.
    measure = measure_create(partnership=partnership, user=alice, name="Joint decisions", target=80, direction="up")
    measure_reading_add(measure=measure, user=bob, value=85, taken_on=today)
    return late


@on_hard_days
def test_every_figure_matches_the_hand_computed_value(partnership, history, clock):
    data = insights_get(partnership=partnership)
    assert [p.score for p in data.health] == [2.5, 3.44]  # (3 + 7 × 3.5) / 8 = 3.4375
    assert (data.facts.health_score, data.facts.health_trend) == (3.44, 0.94)
    assert data.gaps[0].title == "Trust and candour" and data.gaps[0].perception_gap == 2
    this_month = data.cadence[-1]
    assert this_month.month == month_start(clock.today)
    assert (
        this_month.one_on_one_planned,
        this_month.one_on_one_held,
        this_month.retro_planned,
        this_month.retro_held,
    ) == (2, 1, 1, 1)
    assert (data.action_items.on_time, data.action_items.late, data.action_items.open, data.action_items.overdue) == (
        1,
        1,
        2,
        1,
    )
    assert data.experiments == {"running": 1, "kept": 1, "adapted": 0, "dropped": 1}
    assert (data.tensions_open, data.tensions_resolved, data.median_days_to_resolve) == (1, 2, 4.0)
    assert (data.decisions_agreed, data.decisions_linked_share) == (3, 0.67)
    assert [(m.measure.name, m.on_track) for m in data.measures] == [("Joint decisions", True)]


@on_hard_days
def test_the_api_carries_the_same_figures(api_client, alice, partnership, history):
    body = api_client(alice).get(f"/api/v1/partnerships/{partnership.pk}/insights").json()
    assert set(body) >= {
        "health",
        "cadence",
        "action_items",
        "experiments",
        "tensions",
        "decisions",
        "nudges",
        "themes",
    }
    assert body["health"]["score"] == 3.44 and body["health"]["trend"] == 0.94
    assert body["action_items"] == {"done_on_time": 1, "done_late": 1, "open": 2, "overdue": 1}
    assert body["tensions"] == {"open": 1, "resolved": 2, "median_days_to_resolve": 4.0}
    assert body["decisions"] == {"agreed": 3, "linked_to_objective_share": 0.67}
    assert {n["kind"] for n in body["nudges"]} == {
        "perception_gap_widened",
        "action_items_overdue",
        "experiment_review_due",
        "decision_signoff",
    }


@on_hard_days
def test_nudges_fire_and_clear(partnership, alice, bob, history):
    kinds = {n.kind for n in nudge_list(facts_for(partnership))}
    assert "experiment_review_due" in kinds and "action_items_overdue" in kinds
    experiment_update(experiment=history, status="adapted")
    ActionItem.objects.filter(done_at__isnull=True).update(done_at=now())
    from accord.alignment.models import Decision

    for d in Decision.objects.filter(status="proposed"):
        decision_sign(decision=d, user=alice)
        decision_sign(decision=d, user=bob)
    kinds = {n.kind for n in nudge_list(facts_for(partnership))}
    assert kinds == {"perception_gap_widened"}


@on_hard_days
def test_overdue_rituals_and_ratification_nudge(partnership, alice, bob):
    meeting_create(partnership=partnership, user=alice, kind="retro", scheduled_for=now() - timedelta(days=3))
    check(partnership, alice, bob, [3] * 8, [3] * 8, 100)
    charter_propose(
        rationale="What we learned since",
        partnership=partnership,
        user=alice,
        base=None,
        content=CharterContent(purpose="x"),
    )
    messages = {n.kind: n for n in nudge_list(facts_for(partnership))}
    assert set(messages) == {"retro_overdue", "health_check_overdue", "charter_ratification"}
    assert messages["retro_overdue"].url == f"/p/{partnership.pk}/iterate/"


def test_the_dashboard_is_home_once_there_is_data(client, alice, partnership, history, django_assert_max_num_queries):
    login(client, alice)
    with django_assert_max_num_queries(40):
        response = client.get(f"/p/{partnership.pk}/")
    html = response.content.decode()
    assert "What needs doing" in html and "Follow-through on action items" in html
    assert "chart--bars" in html and "chart--line" in html


def test_the_dashboard_costs_the_same_with_more_history(
    client, alice, bob, partnership, history, django_assert_max_num_queries
):
    login(client, alice)
    with django_assert_max_num_queries(40) as small:
        client.get(f"/p/{partnership.pk}/")
    for i in range(6):
        check(partnership, alice, bob, [3] * 8, [4] * 8, 10 - i)
        ActionItem.objects.bulk_create(ActionItem(partnership=partnership, text="x", owner=alice) for _ in range(30))
        tension_raise(partnership=partnership, user=alice, topic=f"more {i}")
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(f"/p/{partnership.pk}/").status_code == 200


@on_hard_days
def test_reports_and_csv(client, alice, partnership, history):
    login(client, alice)
    html = client.get(f"/p/{partnership.pk}/review/").content.decode()
    assert "Health" in html and "d0" in html
    md = client.get(f"/p/{partnership.pk}/review/?format=md")
    assert md["Content-Type"].startswith("text/markdown")
    assert "## Decisions" in md.content.decode()
    csv_text = client.get(f"/p/{partnership.pk}/health.csv").content.decode()
    assert csv_text.splitlines()[0].startswith("check,revealed_on,dimension")
    assert len(csv_text.splitlines()) == 1 + 2 * 8


def test_handover_never_shows_a_leavers_private_journal(client, alice, bob, carol, partnership):
    from accord.conftest import join
    from accord.partnerships.services import membership_leave
    from accord.tensions.services import journal_write

    journal_write(partnership=partnership, user=bob, text="BOB-PRIVATE-THOUGHT")
    journal_write(partnership=partnership, user=bob, text="Bob shared this", visibility="shared")
    membership_leave(partnership=partnership, user=bob)
    join(partnership, alice, carol, "PM")
    login(client, carol)
    for path in (f"/p/{partnership.pk}/handover/", f"/p/{partnership.pk}/journal/", f"/p/{partnership.pk}/"):
        assert "BOB-PRIVATE-THOUGHT" not in client.get(path).content.decode()
    assert "Bob shared this" in client.get(f"/p/{partnership.pk}/journal/").content.decode()


def test_widened_gaps_come_widest_first_whatever_order_the_summary_keeps():
    from types import SimpleNamespace

    from accord.insights.facts import _widened

    def check(gaps):
        return SimpleNamespace(summary={k: {"title": k.title(), "perception_gap": g} for k, g in gaps})

    before = check([("pace", 0), ("trust", 0), ("scope", 1)])
    for order in ([("trust", 1), ("pace", 1), ("scope", 3)], [("scope", 3), ("pace", 1), ("trust", 1)]):
        assert _widened(check(order), before) == [("Scope", 1, 3), ("Pace", 0, 1), ("Trust", 0, 1)]
