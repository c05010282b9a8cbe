"""What a coach sees of one partnership that shares its figures with their organisation: numbers,
dates and the names of its nudges. Never a word a partner wrote: no card, note, journal entry,
side of a disagreement, decision, measure or experiment title, and a dimension's title only when it
is ours or the organisation's (a partnership's own dimensions are numbered, not named)."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date

from accord.assessments.models import HealthCheck
from accord.insights.selectors import CadenceMonth, FollowThrough, HealthPoint, nudge_list
from accord.insights.stored import insights_stored
from accord.lib.dates import local_date
from accord.lib.errors import NotFound
from accord.lib.pagecache import cached_value
from accord.orgs.models import Organisation
from accord.orgs.selectors import org_partnership_list, org_public_titles
from accord.partnerships.models import Partnership


@dataclass(frozen=True)
class DimensionTrend:
    label: str
    own: bool  # a dimension the partnership wrote itself: numbered, its title kept from the coach
    today: list[float | None]  # the mean "today" at each revealed check, oldest first
    target: list[float | None]
    perception_gap: float | None  # at the latest check

    @property
    def latest_today(self) -> float | None:
        return next((v for v in reversed(self.today) if v is not None), None)

    @property
    def latest_target(self) -> float | None:
        return next((v for v in reversed(self.target) if v is not None), None)


@dataclass(frozen=True)
class CoachFigures:
    partnership_id: int
    name: str
    members: int
    health: list[HealthPoint]
    health_score: float | None
    health_trend: float | None
    dimensions: list[DimensionTrend]
    open_check_days: int | None
    open_check_answered: int
    last_retro_on: date | None
    cadence: list[CadenceMonth]
    action_items: FollowThrough
    experiments: dict[str, int]
    tensions_open: int
    tensions_resolved: int
    median_days_to_resolve: float | None
    decisions_agreed: int
    decisions_waiting: int
    nudges: list[str]

    @property
    def cadence_kept(self) -> tuple[int, int]:
        """Sessions held and planned over the months shown (1:1s and retros)."""
        held = sum(m.one_on_one_held + m.retro_held for m in self.cadence)
        planned = sum(m.one_on_one_planned + m.retro_planned for m in self.cadence)
        return held, planned


def _dimension_trends(partnership: Partnership, public_titles: Collection[str]) -> list[DimensionTrend]:
    """Per dimension ever asked, its means at every revealed check (None where it was not asked)."""
    checks = list(
        partnership.health_checks.filter(status=HealthCheck.Status.REVEALED).order_by("number").only("summary")
    )
    keys: dict[str, str] = {}  # key -> its latest title, in the order first asked
    for check in checks:
        for key, values in (check.summary or {}).items():
            keys[key] = values.get("title", key)
    out, own = [], 0
    for key, title in keys.items():
        figures = [(c.summary or {}).get(key, {}) for c in checks]
        public = title in public_titles
        if not public:
            own += 1
        out.append(
            DimensionTrend(
                title if public else f"Their own dimension {own}",
                not public,
                [f.get("today_mean") for f in figures],
                [f.get("target_mean") for f in figures],
                figures[-1].get("perception_gap") if figures else None,
            )
        )
    return out


def coach_figures_get(*, org: Organisation, pid: int) -> CoachFigures:
    """The figures of partnership `pid` for `org`'s coaches; NotFound unless every member granted
    `org` access."""
    partnership = Partnership.objects.filter(pk__in=org_partnership_list(org=org).filter(pk=pid).values("pk")).first()
    if partnership is None:
        raise NotFound()
    data = cached_value(
        f"p{partnership.pk}",
        partnership.version,
        partnership.created_at,
        "insights-data",
        lambda: insights_stored(partnership=partnership),
    )
    titles = org_public_titles(org=org)
    facts = data.facts
    return CoachFigures(
        partnership_id=partnership.pk,
        name=partnership.name,
        members=facts.members,
        health=data.health,
        health_score=facts.health_score,
        health_trend=facts.health_trend,
        dimensions=_dimension_trends(partnership, titles),
        open_check_days=facts.open_check_days if facts.open_check else None,
        open_check_answered=facts.open_check_answered,
        last_retro_on=local_date(facts.last_retro, partnership.timezone) if facts.last_retro else None,
        cadence=data.cadence,
        action_items=data.action_items,
        experiments=data.experiments,
        tensions_open=data.tensions_open,
        tensions_resolved=data.tensions_resolved,
        median_days_to_resolve=data.median_days_to_resolve,
        decisions_agreed=data.decisions_agreed,
        decisions_waiting=facts.decisions_waiting,
        nudges=[n.name for n in nudge_list(facts, public_titles=titles)],
    )
