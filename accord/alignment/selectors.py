"""Reads for Align, always through the caller's partnerships."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from django.db.models import Prefetch, QuerySet

from accord.alignment.models import Decision, KeyResult, KeyResultReading, Objective, SignOff
from accord.charters.selectors import charter_current
from accord.lib.dates import local_today
from accord.lib.errors import NotFound
from accord.partnerships.models import Membership, Partnership

if TYPE_CHECKING:
    from accord.accounts.models import User


@dataclass(frozen=True)
class KeyResultView:
    key_result: KeyResult
    readings: list[KeyResultReading]

    @property
    def latest(self) -> KeyResultReading | None:
        return self.readings[-1] if self.readings else None

    @property
    def progress(self) -> float:
        """How far from baseline to target the latest reading is, from 0 to 1 (either direction)."""
        kr = self.key_result
        if self.latest is None or kr.target == kr.baseline:
            return 0.0
        share = (self.latest.value - kr.baseline) / (kr.target - kr.baseline)
        return round(min(max(share, 0.0), 1.0), 3)

    @property
    def percent(self) -> int:
        return round(self.progress * 100)


@dataclass(frozen=True)
class ObjectiveView:
    objective: Objective
    key_results: list[KeyResultView]
    archived: bool

    @property
    def progress(self) -> float:
        return round(sum(k.progress for k in self.key_results) / len(self.key_results), 3) if self.key_results else 0.0

    @property
    def percent(self) -> int:
        return round(self.progress * 100)


def _objectives() -> QuerySet[Objective]:
    return Objective.objects.select_related("partnership").prefetch_related(
        Prefetch(
            "key_results",
            queryset=KeyResult.objects.prefetch_related(
                Prefetch("readings", queryset=KeyResultReading.objects.order_by("taken_on", "id"))
            ),
        )
    )


def _view(objective: Objective, today: date) -> ObjectiveView:
    return ObjectiveView(
        objective,
        [KeyResultView(kr, list(kr.readings.all())) for kr in objective.key_results.all()],
        objective.is_archived(today),
    )


def objective_list(*, partnership: Partnership) -> list[ObjectiveView]:
    today = local_today(partnership.timezone)
    return [_view(o, today) for o in _objectives().filter(partnership=partnership)]


def objective_get(*, user: User, oid: int, pid: int | None = None) -> Objective:
    objective = _objectives().filter(partnership__in=Partnership.objects.for_user(user), pk=oid).first()
    if objective is None or (pid is not None and objective.partnership_id != pid):
        raise NotFound()
    return objective


def objective_view(*, objective: Objective) -> ObjectiveView:
    return _view(objective, local_today(objective.partnership.timezone))


def key_result_get(*, user: User, kid: int) -> KeyResult:
    kr = (
        KeyResult.objects.filter(objective__partnership__in=Partnership.objects.for_user(user), pk=kid)
        .select_related("objective__partnership")
        .first()
    )
    if kr is None:
        raise NotFound()
    return kr


def _decisions() -> QuerySet[Decision]:
    return Decision.objects.select_related("partnership", "revisits", "created_by").prefetch_related(
        "objectives",
        "revisited_by",
        Prefetch("signoffs", queryset=SignOff.objects.select_related("user")),
        Prefetch("partnership__memberships", queryset=Membership.objects.select_related("user")),
    )


@dataclass(frozen=True)
class DecisionView:
    decision: Decision
    signed: list[SignOff]
    objections: list[SignOff]
    waiting_for: list[Membership]

    @property
    def unaligned(self) -> bool:
        """It serves no objective: flagged on the list."""
        return not self.decision.objectives.all()


def decision_view(*, decision: Decision) -> DecisionView:
    signoffs = list(decision.signoffs.all())
    signed = [s for s in signoffs if s.kind == SignOff.Kind.SIGNED]
    answered = {s.user_id for s in signoffs}
    members = list(decision.partnership.memberships.all())
    waiting = [m for m in members if m.user_id not in answered] if decision.status == Decision.Status.PROPOSED else []
    return DecisionView(decision, signed, [s for s in signoffs if s.kind == SignOff.Kind.OBJECTED], waiting)


def decision_list(*, partnership: Partnership, kind: str | None = None) -> list[DecisionView]:
    decisions = _decisions().filter(partnership=partnership)
    if kind in Decision.Kind.values:
        decisions = decisions.filter(kind=kind)
    return [decision_view(decision=d) for d in decisions]


def decision_get(*, user: User, did: int, pid: int | None = None) -> Decision:
    decision = _decisions().filter(partnership__in=Partnership.objects.for_user(user), pk=did).first()
    if decision is None or (pid is not None and decision.partnership_id != pid):
        raise NotFound()
    return decision


def decision_choices(*, partnership: Partnership) -> list[Decision]:
    """Decisions a tension's resolution can point to (any, newest first)."""
    return list(partnership.decisions.order_by("-created_at")[:100])


@dataclass(frozen=True)
class TeamPage:
    objectives: list[ObjectiveView]
    decisions: list[Decision]
    agreements: list[str]


def team_page_get(*, partnership: Partnership) -> TeamPage:
    """Only what every partner already agreed: current objectives, agreed decisions, the charter's
    working agreements. Nothing private or unrevealed ever comes through here."""
    current = charter_current(partnership=partnership)
    agreed = list(
        partnership.decisions.filter(status=Decision.Status.AGREED)
        .prefetch_related("objectives")
        .order_by("-agreed_at")[:10]
    )
    return TeamPage(
        objectives=[v for v in objective_list(partnership=partnership) if not v.archived],
        decisions=agreed,
        agreements=list(current.agreements) if current else [],
    )
