"""Insights for one partnership: the dashboard's figures and its nudges. Everything here is computed
from what both partners can already see: nothing private, nothing unrevealed."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, timedelta
from statistics import median
from typing import TYPE_CHECKING

from django.db.models import Count, Q
from django.db.models.functions import TruncMonth
from django.urls import reverse
from django.utils.timezone import now

from accord.alignment.models import Decision
from accord.assessments.defaults import DEFAULT_TITLES
from accord.assessments.models import HealthCheck
from accord.charters.selectors import MeasureView, measure_list
from accord.insights.facts import Facts, facts_for
from accord.lib.dates import day_start, local_date, local_today, months_up_to, zone
from accord.partnerships.models import Partnership
from accord.rituals.models import Experiment, Meeting
from accord.tensions.models import Tension

if TYPE_CHECKING:
    from accord.accounts.models import User

MONTHS = 6


@dataclass(frozen=True)
class Nudge:
    kind: str
    message: str  # to the partners
    action: str
    place: tuple[str, int]  # the view where it is done, and the partnership's id
    name: str  # what it is, with its figures and no word a partner wrote: "Retro overdue 12 days"

    @property
    def url(self) -> str:
        """Where it is done: reversed when read, as a coach's portfolio reads only names (a
        thousand partnerships' nudges took 150 ms of URL reversing, cold)."""
        view, pid = self.place
        return reverse(view, args=[pid])


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def _by(days: int | None) -> str:
    """How late, as words: " by 12 days", or nothing when it fell due today."""
    return f" by {_plural(days, 'day', 'days')}" if days else ""


def nudge_list(facts: Facts, *, public_titles: Collection[str] = DEFAULT_TITLES) -> list[Nudge]:
    """What needs doing, each with the place to do it and its name for a coach. Computed on the fly,
    never stored. A dimension is named to a coach only when its title is one of `public_titles`
    (ours, or the coach's organisation's template): a title a partnership typed itself stays theirs."""
    pid = facts.partnership.pk
    out = []
    if facts.retro_overdue:
        days = facts.retro_overdue_days
        out.append(
            Nudge(
                "retro_overdue",
                f"Your partnership retro is overdue{_by(days)}.",
                "Plan or hold it",
                ("rituals-home", pid),
                f"Retro overdue {_plural(days, 'day', 'days')}" if days else "Retro overdue",
            )
        )
    if facts.health_overdue:
        days = facts.health_overdue_days
        out.append(
            Nudge(
                "health_check_overdue",
                f"Your health check is overdue{_by(days)}: it was due on {facts.health_due:%-d %b}.",
                "Start a health check",
                ("assessments-home", pid),
                f"Health check overdue {_plural(days, 'day', 'days')}",
            )
        )
    if facts.check_waiting:
        days, answered = facts.open_check_days, facts.open_check_answered
        out.append(
            Nudge(
                "health_check_waiting",
                f"Your health check has been open {_plural(days, 'day', 'days')}: "
                f"{answered} of {facts.members} of you answered.",
                "Answer it",
                ("assessments-home", pid),
                f"Health check open {_plural(days, 'day', 'days')}, {answered} of {facts.members} answered",
            )
        )
    for title, before, after in facts.widened:
        shown = f"“{title}”" if title in public_titles else "one of their own dimensions"
        out.append(
            Nudge(
                "perception_gap_widened",
                f"You see “{title}” further apart than last time (gap {before:g} → {after:g}).",
                "Bring it to your next retro",
                ("assessments-home", pid),
                f"Perception gap widened on {shown}, {before:g} → {after:g}",
            )
        )
    if facts.overdue_items:
        n = facts.overdue_items
        out.append(
            Nudge(
                "action_items_overdue",
                f"{n} action item{'s are' if n != 1 else ' is'} past due.",
                "Finish or re-plan them",
                ("rituals-actions", pid),
                f"{_plural(n, 'action item', 'action items')} overdue",
            )
        )
    if facts.experiments_past_review:
        n = facts.experiments_past_review
        out.append(
            Nudge(
                "experiment_review_due",
                f"{n} experiment{'s are' if n != 1 else ' is'} past the review date.",
                "Keep, adapt or drop",
                ("rituals-experiments", pid),
                f"{_plural(n, 'experiment', 'experiments')} past review date",
            )
        )
    if facts.charter_waiting:
        n = facts.charter_waiting
        out.append(
            Nudge(
                "charter_ratification",
                "A charter revision is waiting for ratification.",
                "Read and ratify it",
                ("charters-home", pid),
                f"{_plural(n, 'charter revision', 'charter revisions')} awaiting ratification",
            )
        )
    if facts.decisions_waiting:
        n = facts.decisions_waiting
        out.append(
            Nudge(
                "decision_signoff",
                f"{n} decision{'s are' if n != 1 else ' is'} waiting for sign-off.",
                "Sign or object",
                ("alignment-home", pid),
                f"{_plural(n, 'decision', 'decisions')} awaiting sign-off",
            )
        )
    return out


@dataclass(frozen=True)
class HealthPoint:
    number: int
    on: date
    score: float | None


@dataclass(frozen=True)
class Gap:
    title: str
    today_mean: float | None
    target_mean: float | None
    improvement_gap: float | None
    perception_gap: float | None


@dataclass(frozen=True)
class CadenceMonth:
    month: date
    one_on_one_planned: int
    one_on_one_held: int
    retro_planned: int
    retro_held: int


@dataclass(frozen=True)
class FollowThrough:
    on_time: int
    late: int
    open: int
    overdue: int


@dataclass(frozen=True)
class Insights:
    facts: Facts
    health: list[HealthPoint]
    gaps: list[Gap]
    measures: list[MeasureView]
    cadence: list[CadenceMonth]
    action_items: FollowThrough
    experiments: dict[str, int]
    tensions_open: int
    tensions_resolved: int
    median_days_to_resolve: float | None
    decisions_agreed: int
    decisions_linked_share: float | None
    nudges: list[Nudge]


def insights_get(*, partnership: Partnership) -> Insights:
    """Every figure of the dashboard, in a fixed number of queries."""
    facts = facts_for(partnership)
    tz = partnership.timezone
    today = local_today(tz)
    checks = list(
        partnership.health_checks.filter(status=HealthCheck.Status.REVEALED)
        .order_by("number")
        .only("number", "opened_at", "score", "summary")
    )
    health = [HealthPoint(c.number, local_date(c.opened_at, tz), c.score) for c in checks]
    gaps: list[Gap] = []
    if checks:
        latest = checks[-1].summary or {}
        gaps = sorted(
            (
                Gap(
                    v.get("title", k),
                    v.get("today_mean"),
                    v.get("target_mean"),
                    v.get("improvement_gap"),
                    v.get("perception_gap"),
                )
                for k, v in latest.items()
            ),
            key=lambda g: -max(g.improvement_gap or 0, g.perception_gap or 0),
        )

    # The last months in the partnership's calendar, none from before it began.
    months = months_up_to(today, MONTHS, since=local_date(partnership.created_at, tz))
    rows = (
        partnership.meetings.filter(scheduled_for__gte=day_start(months[0], tz), scheduled_for__lt=now())
        .annotate(month=TruncMonth("scheduled_for", tzinfo=zone(tz)))
        .values("month", "kind")
        .annotate(planned=Count("id"), held=Count("id", filter=Q(status=Meeting.Status.HELD)))
    )
    per: dict[tuple[date, str], tuple[int, int]] = {}
    for row in rows:
        month = row["month"].date() if hasattr(row["month"], "date") else row["month"]
        per[(month, row["kind"])] = (row["planned"], row["held"])
    cadence = [
        CadenceMonth(
            m,
            per.get((m, "one_on_one"), (0, 0))[0],
            per.get((m, "one_on_one"), (0, 0))[1],
            per.get((m, "retro"), (0, 0))[0],
            per.get((m, "retro"), (0, 0))[1],
        )
        for m in months
    ]

    items = list(partnership.action_items.values("due_on", "done_at"))
    done_on = [(i["due_on"], local_date(i["done_at"], tz)) for i in items if i["done_at"]]
    on_time = sum(1 for due, done in done_on if due is None or done <= due)
    late = len(done_on) - on_time
    open_items = [i for i in items if not i["done_at"]]
    follow = FollowThrough(
        on_time, late, len(open_items), sum(1 for i in open_items if i["due_on"] and i["due_on"] < today)
    )

    experiments = dict.fromkeys(Experiment.Status.values, 0)
    for status, count in partnership.experiments.values_list("status").annotate(n=Count("id")):
        experiments[status] = count

    tensions = list(partnership.tensions.values("status", "created_at", "resolved_at"))
    resolved_days = [(t["resolved_at"] - t["created_at"]).total_seconds() / 86400 for t in tensions if t["resolved_at"]]

    agreed = list(
        partnership.decisions.filter(status=Decision.Status.AGREED)
        .annotate(n=Count("objectives"))
        .values_list("n", flat=True)
    )
    return Insights(
        facts=facts,
        health=health,
        gaps=gaps,
        measures=measure_list(partnership=partnership),
        cadence=cadence,
        action_items=follow,
        experiments=experiments,
        tensions_open=sum(1 for t in tensions if t["status"] == Tension.Status.OPEN),
        tensions_resolved=len(resolved_days),
        median_days_to_resolve=round(median(resolved_days), 1) if resolved_days else None,
        decisions_agreed=len(agreed),
        decisions_linked_share=round(sum(1 for n in agreed if n) / len(agreed), 2) if agreed else None,
        nudges=nudge_list(facts),
    )


def membership_is_newcomer(*, partnership: Partnership, user: User) -> bool:
    """Joined in the last 30 days a partnership that has history from before: show the handover."""
    membership = next((m for m in partnership.memberships.all() if m.user_id == user.pk), None)
    if membership is None:
        return False
    recent = membership.joined_at > now() - timedelta(days=30)
    return recent and partnership.created_at < membership.joined_at - timedelta(days=7)
