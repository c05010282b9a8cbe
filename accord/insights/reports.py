"""The quarterly partnership review, the health-check CSV and the handover summary. They hold only
what every partner can see: revealed results, ratified charter versions, agreed decisions."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from accord.alignment.models import Decision
from accord.assessments.models import HealthCheck
from accord.charters.models import CharterRevision
from accord.charters.selectors import charter_current
from accord.insights.themes import Theme, recurring_themes
from accord.lib.dates import day_range, local_date, local_today
from accord.partnerships.models import Partnership
from accord.rituals.models import Experiment, Meeting
from accord.tensions.models import Tension


@dataclass(frozen=True)
class Quarter:
    year: int
    number: int

    @property
    def start(self) -> date:
        return date(self.year, 3 * (self.number - 1) + 1, 1)

    @property
    def end(self) -> date:
        nxt = Quarter(self.year + (self.number == 4), self.number % 4 + 1)
        return nxt.start - timedelta(days=1)

    @property
    def label(self) -> str:
        return f"{self.year}-Q{self.number}"


def quarter_of(day: date) -> Quarter:
    return Quarter(day.year, (day.month - 1) // 3 + 1)


def parse_quarter(text: str) -> Quarter | None:
    match = re.fullmatch(r"(\d{4})-?Q([1-4])", text.strip().upper())
    return Quarter(int(match[1]), int(match[2])) if match else None


def current_quarter(partnership: Partnership) -> Quarter:
    """The quarter today falls in, in the partnership's calendar."""
    return quarter_of(local_today(partnership.timezone))


def recent_quarters(partnership: Partnership, count: int = 6) -> list[Quarter]:
    quarter, out = current_quarter(partnership), []
    for _ in range(count):
        out.append(quarter)
        quarter = quarter_of(quarter.start - timedelta(days=1))
    return out


@dataclass(frozen=True)
class Review:
    partnership: Partnership
    quarter: Quarter
    health_before: HealthCheck | None
    health_now: HealthCheck | None
    charter_changes: list[CharterRevision]
    experiments: list[Experiment]
    decisions: list[Decision]
    retros_held: int
    one_on_ones_held: int
    tensions_resolved: list[Tension]
    themes: list[Theme]

    @property
    def label(self) -> str:
        return self.quarter.label

    @property
    def health_rows(self) -> list[tuple[str, float | None, float | None]]:
        now_summary = (self.health_now.summary if self.health_now else {}) or {}
        before_summary = (self.health_before.summary if self.health_before else {}) or {}
        keys = list(now_summary) + [k for k in before_summary if k not in now_summary]
        return [
            (
                (now_summary.get(k) or before_summary.get(k) or {}).get("title", k),
                (before_summary.get(k) or {}).get("today_mean"),
                (now_summary.get(k) or {}).get("today_mean"),
            )
            for k in keys
        ]


def quarterly_review(*, partnership: Partnership, quarter: Quarter) -> Review:
    # The quarter's days in the partnership's calendar; `end` is the last instant before the next one.
    start, after = day_range(quarter.start, quarter.end, partnership.timezone)
    end = after - timedelta(microseconds=1)
    revealed = partnership.health_checks.filter(status=HealthCheck.Status.REVEALED)
    meetings = partnership.meetings.filter(status=Meeting.Status.HELD, held_at__range=(start, end))
    return Review(
        partnership=partnership,
        quarter=quarter,
        health_before=revealed.filter(revealed_at__lt=start).order_by("-number").first(),
        health_now=revealed.filter(revealed_at__lte=end).order_by("-number").first(),
        charter_changes=list(
            partnership.charter_revisions.filter(ratified_at__range=(start, end))
            .select_related("author")
            .order_by("number")
        ),
        experiments=list(
            partnership.experiments.filter(created_at__lte=end).exclude(decided_at__lt=start).order_by("created_at")
        ),
        decisions=list(
            partnership.decisions.filter(
                status__in=(Decision.Status.AGREED, Decision.Status.SUPERSEDED), agreed_at__range=(start, end)
            ).order_by("agreed_at")
        ),
        retros_held=meetings.filter(kind=Meeting.Kind.RETRO).count(),
        one_on_ones_held=meetings.filter(kind=Meeting.Kind.ONE_ON_ONE).count(),
        tensions_resolved=list(partnership.tensions.filter(resolved_at__range=(start, end)).order_by("resolved_at")),
        themes=[t for t in recurring_themes(partnership=partnership) if t.last_seen >= quarter.start],
    )


def _fmt(value: float | None) -> str:
    return "–" if value is None else f"{value:g}"


def review_markdown(review: Review) -> str:
    p = review.partnership
    lines = [f"# {p.name}: partnership review {review.label}", ""]
    lines += [f"{review.quarter.start:%-d %B %Y} to {review.quarter.end:%-d %B %Y}.", ""]
    lines += ["## Health", ""]
    if review.health_now:
        before = review.health_before.score if review.health_before else None
        lines += [f"Score then {_fmt(before)}, now {_fmt(review.health_now.score)} (mean “today”, 1–5).", ""]
        lines += ["| Dimension | Then | Now |", "|---|---|---|"]
        lines += [f"| {title} | {_fmt(then)} | {_fmt(now)} |" for title, then, now in review.health_rows]
    else:
        lines.append("No health check revealed yet.")
    lines += ["", "## Rhythm", "", f"{review.one_on_ones_held} 1:1s and {review.retros_held} retros held.", ""]
    lines += ["## Charter changes", ""]
    lines += [f"- Version {r.number}: {r.rationale or 'no rationale given'}" for r in review.charter_changes] or [
        "None."
    ]
    lines += ["", "## Experiments", ""]
    lines += [
        f"- {e.title}: {e.get_status_display().lower()}{f' ({e.outcome})' if e.outcome else ''}"
        for e in review.experiments
    ] or ["None."]
    lines += ["", "## Decisions", ""]
    lines += [f"- {d.title}{f': {d.outcome}' if d.outcome else ''}" for d in review.decisions] or ["None."]
    lines += ["", "## Disagreements resolved", ""]
    lines += [f"- {t.topic}: {t.resolution}" for t in review.tensions_resolved] or ["None."]
    lines += ["", "## Recurring themes", ""]
    lines += [f"- {t.label} ({len(t.occurrences)} times since {t.first_seen:%-d %b})" for t in review.themes] or [
        "None."
    ]
    return "\n".join(lines) + "\n"


def health_rows(*, partnership: Partnership) -> Iterator[list[object]]:
    yield ["check", "revealed_on", "dimension", "today_mean", "target_mean", "improvement_gap", "perception_gap"]
    for check in partnership.health_checks.filter(status=HealthCheck.Status.REVEALED).order_by("number"):
        for key, figures in (check.summary or {}).items():
            yield [
                check.number,
                local_date(check.revealed_at, partnership.timezone).isoformat() if check.revealed_at else "",
                figures.get("title", key),
                figures.get("today_mean"),
                figures.get("target_mean"),
                figures.get("improvement_gap"),
                figures.get("perception_gap"),
            ]


@dataclass(frozen=True)
class Handover:
    charter: CharterRevision | None
    decisions: list[Decision]
    checks: list[HealthCheck]
    experiments: list[Experiment]
    tensions: list[Tension]
    retros_held: int


def handover(*, partnership: Partnership) -> Handover:
    """What a partner who joins later should read first: all shared, none of anyone's private notes."""
    return Handover(
        charter=charter_current(partnership=partnership),
        decisions=list(partnership.decisions.filter(status=Decision.Status.AGREED).order_by("-agreed_at")[:15]),
        checks=list(partnership.health_checks.filter(status=HealthCheck.Status.REVEALED).order_by("-number")[:4]),
        experiments=list(
            partnership.experiments.exclude(status=Experiment.Status.RUNNING).order_by("-decided_at")[:10]
        ),
        tensions=list(partnership.tensions.filter(status=Tension.Status.RESOLVED).order_by("-resolved_at")[:10]),
        retros_held=partnership.meetings.filter(kind=Meeting.Kind.RETRO, status=Meeting.Status.HELD).count(),
    )
