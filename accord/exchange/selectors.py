"""Export a partnership as a versioned JSON document. An export holds everything the exporting
member may see, and nothing more: other members' unrevealed answers, cards and sides, and their
private journal entries are left out, because every partner text is read through its model's
`visible_to(user)` queryset, the same rule every page and the API follow."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch
from django.utils.timezone import now

from accord.accounts.models import User
from accord.assessments.models import Response
from accord.exchange.document import FORMAT, VERSION, Export, People, Progress, Refs, d_out, dt_out
from accord.exchange.selectors_meetings import meetings_export, tensions_export
from accord.partnerships.models import Membership, Partnership
from accord.rituals.models import RetroFormat


def partnership_export(*, partnership: Partnership, user: User, progress: Progress = None) -> dict[str, Any]:
    """Everything `user` may see of `partnership`, as plain JSON-ready data."""
    refs = Refs()
    ex = Export(partnership=partnership, user=user, refs=refs, people=People(refs))
    step = progress or (lambda _: None)
    doc: dict[str, Any] = {"format": FORMAT, "version": VERSION, "exported_at": now().isoformat()}
    doc |= _settings(ex)
    step("people and settings")
    doc |= _health_checks(ex)
    step("health checks")
    doc |= _charter(ex)
    step("charter")
    doc |= _alignment(ex)
    step("objectives and decisions")
    doc |= meetings_export(ex)
    step("meetings, actions and experiments")
    doc |= tensions_export(ex)
    step("disagreements and journal")
    doc["people"] = ex.people.listed()
    return doc


def _settings(ex: Export) -> dict[str, Any]:
    p = ex.partnership
    for membership in Membership.objects.filter(partnership=p).select_related("user").order_by("joined_at", "id"):
        ex.people.add_member(user=membership.user, role=membership.role, joined_at=membership.joined_at)
    fmt = RetroFormat.objects.filter(partnership=p).first()
    return {
        "partnership": {
            "name": p.name,
            "team": p.team,
            "timezone": p.timezone,
            "one_on_one_days": p.one_on_one_days,
            "retro_days": p.retro_days,
            "health_check_days": p.health_check_days,
            "created_at": dt_out(p.created_at),
        },
        "retro_format": fmt.labels() | {"votes_per_person": fmt.votes_per_person} if fmt else None,
    }


def _health_checks(ex: Export) -> dict[str, Any]:
    dimensions = [
        {
            "key": d.key,
            "title": d.title,
            "description": d.description,
            "position": d.position,
            "retired_at": dt_out(d.retired_at),
        }
        for d in ex.partnership.dimensions.order_by("pk")
    ]
    checks = []
    answers = Prefetch(
        "responses",
        queryset=Response.objects.visible_to(ex.user).prefetch_related("ratings__dimension").order_by("pk"),
        to_attr="visible_answers",
    )
    for c in ex.partnership.health_checks.order_by("pk").prefetch_related("dimensions", answers):
        responses = [
            {
                "user": ex.person(r.user_id),
                "submitted_at": dt_out(r.submitted_at),
                "updated_at": dt_out(r.updated_at),
                "ratings": [
                    {
                        "dimension": x.dimension.key,
                        "today": x.today,
                        "target": x.target,
                        "guess": x.guess,
                        "note": x.note,
                    }
                    for x in sorted(r.ratings.all(), key=lambda x: x.pk)
                ],
            }
            for r in c.visible_answers
        ]
        checks.append(
            {
                "ref": ex.refs.name("hc", c.pk),
                "number": c.number,
                "status": c.status,
                "opened_by": ex.person(c.opened_by_id),
                "opened_at": dt_out(c.opened_at),
                "revealed_at": dt_out(c.revealed_at),
                "closed_early": c.closed_early,
                "score": c.score,
                "summary": c.summary,
                "dimensions": [
                    {"key": d.key, "title": d.title, "description": d.description, "position": d.position}
                    for d in sorted(c.dimensions.all(), key=lambda d: d.pk)
                ],
                "responses": responses,
            }
        )
    return {"dimensions": dimensions, "health_checks": checks}


def _charter(ex: Export) -> dict[str, Any]:
    refs, person = ex.refs, ex.person
    revisions = list(ex.partnership.charter_revisions.order_by("pk").prefetch_related("ratifications"))
    for revision in revisions:
        refs.name("cr", revision.pk)
    return {
        "charter_revisions": [
            {
                "ref": refs.get("cr", r.pk),
                "number": r.number,
                "status": r.status,
                "base": refs.get("cr", r.base_id),
                "author": person(r.author_id),
                "rationale": r.rationale,
                "purpose": r.purpose,
                "values": r.values,
                "principles": r.principles,
                "responsibilities": r.responsibilities,
                "agreements": r.agreements,
                "created_at": dt_out(r.created_at),
                "ratified_at": dt_out(r.ratified_at),
                "closed_at": dt_out(r.closed_at),
                "ratifications": [
                    {"user": person(x.user_id), "at": dt_out(x.at)}
                    for x in sorted(r.ratifications.all(), key=lambda x: x.pk)
                ],
            }
            for r in revisions
        ],
        "measures": [
            {
                "name": m.name,
                "method": m.method,
                "target": m.target,
                "direction": m.direction,
                "unit": m.unit,
                "created_by": person(m.created_by_id),
                "created_at": dt_out(m.created_at),
                "readings": [
                    {
                        "value": x.value,
                        "taken_on": d_out(x.taken_on),
                        "note": x.note,
                        "entered_by": person(x.entered_by_id),
                        "created_at": dt_out(x.created_at),
                    }
                    for x in sorted(m.readings.all(), key=lambda x: x.pk)
                ],
            }
            for m in ex.partnership.measures.order_by("pk").prefetch_related("readings")
        ],
    }


def _alignment(ex: Export) -> dict[str, Any]:
    refs, person = ex.refs, ex.person
    objectives = [
        {
            "ref": refs.name("o", o.pk),
            "title": o.title,
            "why": o.why,
            "starts_on": d_out(o.starts_on),
            "ends_on": d_out(o.ends_on),
            "archived_at": dt_out(o.archived_at),
            "created_by": person(o.created_by_id),
            "created_at": dt_out(o.created_at),
            "key_results": [
                {
                    "name": k.name,
                    "baseline": k.baseline,
                    "target": k.target,
                    "unit": k.unit,
                    "created_at": dt_out(k.created_at),
                    "readings": [
                        {
                            "value": x.value,
                            "taken_on": d_out(x.taken_on),
                            "entered_by": person(x.entered_by_id),
                            "created_at": dt_out(x.created_at),
                        }
                        for x in sorted(k.readings.all(), key=lambda x: x.pk)
                    ],
                }
                for k in sorted(o.key_results.all(), key=lambda k: k.pk)
            ],
        }
        for o in ex.partnership.objectives.order_by("pk").prefetch_related("key_results__readings")
    ]
    decisions = list(ex.partnership.decisions.order_by("pk").prefetch_related("objectives", "signoffs"))
    for d in decisions:
        refs.name("d", d.pk)
    return {
        "objectives": objectives,
        "decisions": [
            {
                "ref": refs.get("d", d.pk),
                "kind": d.kind,
                "title": d.title,
                "context": d.context,
                "options": d.options,
                "evidence": d.evidence,
                "outcome": d.outcome,
                "objectives": sorted(refs.get("o", o.pk) or "" for o in d.objectives.all()),
                "requester": d.requester,
                "needed_by": d_out(d.needed_by),
                "triage": d.triage,
                "status": d.status,
                "revisits": refs.get("d", d.revisits_id),
                "created_by": person(d.created_by_id),
                "created_at": dt_out(d.created_at),
                "agreed_at": dt_out(d.agreed_at),
                "signoffs": [
                    {"user": person(s.user_id), "kind": s.kind, "reason": s.reason, "at": dt_out(s.at)}
                    for s in sorted(d.signoffs.all(), key=lambda s: s.pk)
                ],
            }
            for d in decisions
        ],
    }
