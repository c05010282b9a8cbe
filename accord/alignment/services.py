"""Writes for Align: objectives, key results and readings; decisions, sign-offs and objections."""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import TYPE_CHECKING

from django.utils.timezone import now

from accord.alignment.models import Decision, KeyResult, KeyResultReading, Objective, SignOff
from accord.lib.dates import local_today
from accord.lib.errors import Conflict, ValidationError
from accord.lib.freshness import partnership_write
from accord.lib.text import clean_text
from accord.partnerships.models import Membership, Partnership

if TYPE_CHECKING:
    from accord.accounts.models import User


def _number(value: float, field_name: str) -> float:
    if not math.isfinite(value):
        raise ValidationError({field_name: "Enter a number."})
    return value


# --- Objectives ------------------------------------------------------------------------------


def objective_create(
    *,
    partnership: Partnership,
    user: User,
    title: str,
    why: str,
    starts_on: date,
    ends_on: date,
    at: datetime | None = None,
) -> Objective:
    if ends_on < starts_on:
        raise ValidationError({"ends_on": "The period must end on or after its start."})
    with partnership_write(partnership):
        return Objective.objects.create(
            partnership=partnership,
            title=clean_text(title, "title", 200, required=True),
            why=clean_text(why, "why", 2000),
            starts_on=starts_on,
            ends_on=ends_on,
            created_by=user,
            created_at=at or now(),
        )


def objective_archive(*, objective: Objective, archive: bool = True) -> Objective:
    """Archive (or bring back) an objective before its period ends. Objectives are never deleted."""
    objective.archived_at = now() if archive else None
    with partnership_write(objective.partnership_id):
        objective.save(update_fields=["archived_at"])
    return objective


def key_result_add(*, objective: Objective, name: str, baseline: float, target: float, unit: str = "") -> KeyResult:
    if _number(baseline, "baseline") == _number(target, "target"):
        raise ValidationError({"target": "The target must differ from the baseline."})
    with partnership_write(objective.partnership_id):
        return KeyResult.objects.create(
            objective=objective,
            name=clean_text(name, "name", 200, required=True),
            baseline=baseline,
            target=target,
            unit=clean_text(unit, "unit", 20),
        )


def key_result_reading_add(*, key_result: KeyResult, user: User, value: float, taken_on: date) -> KeyResultReading:
    if taken_on > local_today(key_result.objective.partnership.timezone):
        raise ValidationError({"taken_on": "A reading cannot be taken in the future."})
    with partnership_write(key_result.objective.partnership_id):
        return KeyResultReading.objects.create(
            key_result=key_result, value=_number(value, "value"), taken_on=taken_on, entered_by=user
        )


# --- Decisions -------------------------------------------------------------------------------


@dataclass(frozen=True)
class DecisionContent:
    title: str
    context: str = ""
    options: list[str] = field(default_factory=list)
    evidence: str = ""
    outcome: str = ""
    objective_ids: list[int] = field(default_factory=list)
    kind: str = Decision.Kind.DECISION
    requester: str = ""
    needed_by: date | None = None
    triage: str = ""


def _clean(partnership: Partnership, content: DecisionContent) -> tuple[dict[str, object], list[Objective]]:
    if content.kind not in Decision.Kind.values:
        raise ValidationError({"kind": "Choose decision or request."})
    if content.triage and content.triage not in Decision.Triage.values:
        raise ValidationError({"triage": "Choose accept, decline or defer."})
    options = [clean_text(o, "options", 500) for o in content.options]
    options = [o for o in options if o]
    if len(options) > 20:
        raise ValidationError({"options": "Keep it to 20 options."})
    ids = set(content.objective_ids)
    objectives = list(partnership.objectives.filter(pk__in=ids))
    if len(objectives) != len(ids):
        raise ValidationError({"objective_ids": "Choose objectives of this partnership."})
    values: dict[str, object] = {
        "kind": content.kind,
        "title": clean_text(content.title, "title", 200, required=True),
        "context": clean_text(content.context, "context", 4000),
        "options": options,
        "evidence": clean_text(content.evidence, "evidence", 4000),
        "outcome": clean_text(content.outcome, "outcome", 4000),
        "requester": clean_text(content.requester, "requester", 200, required=content.kind == Decision.Kind.REQUEST),
        "needed_by": content.needed_by,
        "triage": content.triage if content.kind == Decision.Kind.REQUEST else "",
    }
    return values, objectives


def decision_create(
    *,
    partnership: Partnership,
    user: User,
    content: DecisionContent,
    revisits: int | None = None,
    at: datetime | None = None,
    sign: bool = False,
) -> Decision:
    """Record a decision (or an incoming request) for every member to sign; with `sign`, the one
    who records it signs it in the same unit (a request once it is triaged). Revisiting an earlier
    decision links the two and marks the earlier one superseded: its record stays as it was."""
    values, objectives = _clean(partnership, content)
    with partnership_write(partnership):
        old = None
        if revisits is not None:
            old = partnership.decisions.select_for_update().filter(pk=revisits).first()
            if old is None:
                raise ValidationError({"revisits": "Choose a decision of this partnership."})
            if old.status == Decision.Status.SUPERSEDED:
                raise Conflict("That decision was already revisited; revisit the newest one instead.")
        decision = Decision.objects.create(
            partnership=partnership, created_by=user, revisits=old, created_at=at or now(), **values
        )
        decision.objectives.set(objectives)
        if old is not None:
            old.status = Decision.Status.SUPERSEDED
            old.save(update_fields=["status"])
        if sign and (decision.kind != Decision.Kind.REQUEST or decision.triage):
            decision = decision_sign(decision=decision, user=user, at=at)
    return decision


def decision_update(*, decision: Decision, content: DecisionContent, revisits: int | None = None) -> Decision:
    """Change a decision that is still waiting: every sign-off starts again, since it is a new text.
    What it revisits is fixed when it is recorded: naming another is refused, never ignored."""
    if revisits is not None and revisits != decision.revisits_id:
        raise ValidationError(
            {"revisits": "Fixed when the decision was recorded: record a new decision to revisit another."}
        )
    values, objectives = _clean(decision.partnership, content)
    with partnership_write(decision.partnership_id):
        # Re-read under a lock: a last signature committed meanwhile has agreed it, and stays.
        decision = Decision.objects.select_for_update().select_related("partnership").get(pk=decision.pk)
        if decision.status != Decision.Status.PROPOSED:
            raise Conflict("Only a decision waiting for sign-off can change; revisit an agreed one instead.")
        for key, value in values.items():
            setattr(decision, key, value)
        decision.save()
        decision.objectives.set(objectives)
        decision.signoffs.all().delete()
    return decision


def _members(decision: Decision) -> set[int]:
    return set(Membership.objects.filter(partnership_id=decision.partnership_id).values_list("user_id", flat=True))


def decision_sign(*, decision: Decision, user: User, at: datetime | None = None) -> Decision:
    """Sign off. When every member has signed (and nobody objects), the decision is agreed."""
    moment = at or now()
    with partnership_write(decision.partnership_id):
        decision = Decision.objects.select_for_update().get(pk=decision.pk)
        if decision.status != Decision.Status.PROPOSED:
            raise Conflict(f"This decision is {decision.get_status_display().lower()}.")
        if decision.kind == Decision.Kind.REQUEST and not decision.triage:
            raise Conflict("Choose accept, decline or defer for this request before signing it.")
        SignOff.objects.update_or_create(
            decision=decision, user=user, defaults={"kind": SignOff.Kind.SIGNED, "reason": "", "at": moment}
        )
        signed = set(decision.signoffs.filter(kind=SignOff.Kind.SIGNED).values_list("user_id", flat=True))
        if _members(decision) <= signed:
            decision.status, decision.agreed_at = Decision.Status.AGREED, moment
            decision.save(update_fields=["status", "agreed_at"])
    return decision


def decision_object(*, decision: Decision, user: User, reason: str, at: datetime | None = None) -> Decision:
    """Object instead of signing, with a reason: the decision stays open and shows the objection."""
    reason = clean_text(reason, "reason", 2000, required=True)
    with partnership_write(decision.partnership_id):
        decision = Decision.objects.select_for_update().get(pk=decision.pk)
        if decision.status != Decision.Status.PROPOSED:
            raise Conflict(f"This decision is {decision.get_status_display().lower()}.")
        SignOff.objects.update_or_create(
            decision=decision, user=user, defaults={"kind": SignOff.Kind.OBJECTED, "reason": reason, "at": at or now()}
        )
    return decision


def decision_content(decision: Decision) -> DecisionContent:
    """A decision's current content, to change one part of it."""
    return DecisionContent(
        title=decision.title,
        context=decision.context,
        options=list(decision.options),
        evidence=decision.evidence,
        outcome=decision.outcome,
        objective_ids=[o.pk for o in decision.objectives.all()],
        kind=decision.kind,
        requester=decision.requester,
        needed_by=decision.needed_by,
        triage=decision.triage,
    )


def decision_triage(*, decision: Decision, triage: str) -> Decision:
    """Set a request's outcome (accept, decline, defer). Every member then signs it afresh."""
    if decision.kind != Decision.Kind.REQUEST:
        raise ValidationError({"triage": "Only incoming requests are triaged."})
    if triage not in Decision.Triage.values:
        raise ValidationError({"triage": "Choose accept, decline or defer."})
    return decision_update(decision=decision, content=replace(decision_content(decision), triage=triage))
