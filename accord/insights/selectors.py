"""Insights for one partnership: the dashboard's figures and its nudges. Everything here is computed
from what both partners can already see: nothing private, nothing unrevealed."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, timedelta
from statistics import median
from typing import TYPE_CHECKING, Any

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


# What each kind of nudge asks for, and the view where it is done.
ACTIONS = {
    "retro_overdue": ("Plan or hold it", "rituals-home"),
    "health_check_overdue": ("Start a health check", "assessments-home"),
    "health_check_waiting": ("Answer it", "assessments-home"),
    "perception_gap_widened": ("Bring it to your next retro", "assessments-home"),
    "action_items_overdue": ("Finish or re-plan them", "rituals-actions"),
    "experiment_review_due": ("Keep, adapt or drop", "rituals-experiments"),
    "charter_ratification": ("Read and ratify it", "charters-home"),
    "decision_signoff": ("Sign or object", "alignment-home"),
}


@dataclass(frozen=True, slots=True)
class Nudge:
    """Something that needs doing: its kind, the partnership and the figures it is about. Its words
    are put together when read, so a coach's portfolio of thousands of partnerships counts nudges
    without writing a sentence for each (only the rows shown are named)."""

    kind: str
    pid: int
    figures: tuple[Any, ...] = ()

    @property
    def message(self) -> str:
        """To the partners."""
        return _words(self.kind, self.figures)[0]

    @property
    def name(self) -> str:
        """What it is, with its figures and no word a partner wrote: "Retro overdue 12 days"."""
        return _words(self.kind, self.figures)[1]

    @property
    def action(self) -> str:
        return ACTIONS[self.kind][0]

    @property
    def place(self) -> tuple[str, int]:
        """The view where it is done, and the partnership's id."""
        return ACTIONS[self.kind][1], self.pid

    @property
    def url(self) -> str:
        """Where it is done: reversed when read, as a coach's portfolio reads only names (a
        thousand partnerships' nudges took 150 ms of URL reversing, cold)."""
        return reverse(ACTIONS[self.kind][1], args=[self.pid])


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def _by(days: int | None) -> str:
    """How late, as words: " by 12 days", or nothing when it fell due today."""
    return f" by {_plural(days, 'day', 'days')}" if days else ""


def _are(n: int, thing: str) -> str:
    """ "3 decisions are", "1 decision is"."""
    return f"{n} {thing}{'s are' if n != 1 else ' is'}"


def _words(kind: str, figures: tuple[Any, ...]) -> tuple[str, str]:
    """A nudge's message to the partners and its name for a coach."""
    match kind, figures:
        case "retro_overdue", (days,):
            name = f"Retro overdue {_plural(days, 'day', 'days')}" if days else "Retro overdue"
            return f"Your partnership retro is overdue{_by(days)}.", name
        case "health_check_overdue", (days, due):
            message = f"Your health check is overdue{_by(days)}: it was due on {due:%-d %b}."
            return message, f"Health check overdue {_plural(days, 'day', 'days')}"
        case "health_check_waiting", (days, answered, members):
            open_for = _plural(days, "day", "days")
            message = f"Your health check has been open {open_for}: {answered} of {members} of you answered."
            return message, f"Health check open {open_for}, {answered} of {members} answered"
        case "perception_gap_widened", (title, before, after, public):
            shown = f"“{title}”" if public else "one of their own dimensions"
            message = f"You see “{title}” further apart than last time (gap {before:g} → {after:g})."
            return message, f"Perception gap widened on {shown}, {before:g} → {after:g}"
        case "action_items_overdue", (n,):
            return f"{_are(n, 'action item')} past due.", f"{_plural(n, 'action item', 'action items')} overdue"
        case "experiment_review_due", (n,):
            message = f"{_are(n, 'experiment')} past the review date."
            return message, f"{_plural(n, 'experiment', 'experiments')} past review date"
        case "charter_ratification", (n,):
            message = "A charter revision is waiting for ratification."
            return message, f"{_plural(n, 'charter revision', 'charter revisions')} awaiting ratification"
        case "decision_signoff", (n,):
            return (
                f"{_are(n, 'decision')} waiting for sign-off.",
                f"{_plural(n, 'decision', 'decisions')} awaiting sign-off",
            )
    raise ValueError(kind)


def nudge_list(facts: Facts, *, public_titles: Collection[str] = DEFAULT_TITLES) -> list[Nudge]:
    """What needs doing, each with the place to do it and its name for a coach. Computed on the fly,
    never stored. A dimension is named to a coach only when its title is one of `public_titles`
    (ours, or the coach's organisation's template): a title a partnership typed itself stays theirs."""
    pid = facts.partnership.pk
    out = []
    if facts.retro_overdue:
        out.append(Nudge("retro_overdue", pid, (facts.retro_overdue_days,)))
    if facts.health_overdue:
        out.append(Nudge("health_check_overdue", pid, (facts.health_overdue_days, facts.health_due)))
    if facts.check_waiting:
        out.append(
            Nudge("health_check_waiting", pid, (facts.open_check_days, facts.open_check_answered, facts.members))
        )
    for title, before, after in facts.widened:
        out.append(Nudge("perception_gap_widened", pid, (title, before, after, title in public_titles)))
    for kind, n in (
        ("action_items_overdue", facts.overdue_items),
        ("experiment_review_due", facts.experiments_past_review),
        ("charter_ratification", facts.charter_waiting),
        ("decision_signoff", facts.decisions_waiting),
    ):
        if n:
            out.append(Nudge(kind, pid, (n,)))
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
