from datetime import date, datetime
from typing import Literal

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from ninja import Query, Router, Schema, Status
from pydantic import Field

from accord.alignment import selectors, services
from accord.alignment.models import Decision, KeyResultReading
from accord.lib.http import AuthedRequest
from accord.lib.pagecache import cached_read
from accord.lib.schemas import Day, Id, Page, errors
from accord.partnerships.selectors import (
    partnership_get,
    partnership_get_by_team_secret,
    partnership_stamp,
    partnership_stamp_of,
)

router = Router(tags=["Align: objectives and decisions"])


class KeyResultReadingOut(Schema):
    id: int
    value: float
    taken_on: date


class KeyResultOut(Schema):
    id: int
    name: str
    baseline: float
    target: float
    unit: str
    readings: list[KeyResultReadingOut]
    latest: KeyResultReadingOut | None
    progress: float


class ObjectiveOut(Schema):
    id: int
    title: str
    why: str
    starts_on: date
    ends_on: date
    status: Literal["active", "archived"]
    progress: float
    key_results: list[KeyResultOut]


class ObjectiveIn(Schema):
    title: str = Field(max_length=200)
    why: str = Field(default="", max_length=2000)
    starts_on: Day
    ends_on: Day


class KeyResultIn(Schema):
    name: str = Field(max_length=200)
    baseline: float
    target: float
    unit: str = Field(default="", max_length=20)


class KeyResultReadingIn(Schema):
    value: float
    taken_on: Day


class SignOffOut(Schema):
    user_id: int
    kind: Literal["signed", "objected"]
    reason: str
    at: datetime


class DecisionOut(Schema):
    id: int
    partnership_id: int
    kind: Literal["decision", "request"]
    title: str
    context: str
    options: list[str]
    evidence: str
    outcome: str
    objective_ids: list[int]
    unaligned: bool
    requester: str
    needed_by: date | None
    triage: Literal["accept", "decline", "defer", ""]
    status: Literal["proposed", "agreed", "superseded"]
    revisits: int | None
    revisited_by: list[int]
    signed_by: list[int]
    objections: list[SignOffOut]
    awaiting: list[int]
    created_by: int | None
    created_at: datetime
    agreed_at: datetime | None


class DecisionIn(Schema):
    title: str = Field(max_length=200)
    context: str = Field(default="", max_length=4000)
    options: list[str] = Field(default_factory=list, max_length=20)
    evidence: str = Field(default="", max_length=4000)
    outcome: str = Field(default="", max_length=4000)
    objective_ids: list[Id] = Field(default_factory=list, max_length=50)
    revisits: Id | None = None
    kind: Literal["decision", "request"] = "decision"
    requester: str = Field(default="", max_length=200)
    needed_by: Day | None = None
    triage: Literal["accept", "decline", "defer", ""] = ""


class ObjectIn(Schema):
    reason: str = Field(max_length=2000)


def reading_out(r: KeyResultReading) -> dict[str, object]:
    return {"id": r.pk, "value": r.value, "taken_on": r.taken_on}


def objective_out(view: selectors.ObjectiveView) -> dict[str, object]:
    o = view.objective
    return {
        "id": o.pk,
        "title": o.title,
        "why": o.why,
        "starts_on": o.starts_on,
        "ends_on": o.ends_on,
        "status": "archived" if view.archived else "active",
        "progress": view.progress,
        "key_results": [
            {
                "id": k.key_result.pk,
                "name": k.key_result.name,
                "baseline": k.key_result.baseline,
                "target": k.key_result.target,
                "unit": k.key_result.unit,
                "readings": [reading_out(r) for r in k.readings],
                "latest": reading_out(k.latest) if k.latest else None,
                "progress": k.progress,
            }
            for k in view.key_results
        ],
    }


def decision_out(view: selectors.DecisionView) -> dict[str, object]:
    d = view.decision
    return {
        "id": d.pk,
        "partnership_id": d.partnership_id,
        "kind": d.kind,
        "title": d.title,
        "context": d.context,
        "options": d.options,
        "evidence": d.evidence,
        "outcome": d.outcome,
        "objective_ids": [o.pk for o in d.objectives.all()],
        "unaligned": view.unaligned,
        "requester": d.requester,
        "needed_by": d.needed_by,
        "triage": d.triage,
        "status": d.status,
        "revisits": d.revisits_id,
        "revisited_by": [r.pk for r in d.revisited_by.all()],
        "signed_by": [s.user_id for s in view.signed],
        "objections": [{"user_id": s.user_id, "kind": s.kind, "reason": s.reason, "at": s.at} for s in view.objections],
        "awaiting": [m.user_id for m in view.waiting_for],
        "created_by": d.created_by_id,
        "created_at": d.created_at,
        "agreed_at": d.agreed_at,
    }


def _decision(request: AuthedRequest, did: int) -> dict[str, object]:
    return decision_out(selectors.decision_view(decision=selectors.decision_get(user=request.user, did=did)))


def content_from(payload: DecisionIn) -> services.DecisionContent:
    return services.DecisionContent(
        title=payload.title,
        context=payload.context,
        options=payload.options,
        evidence=payload.evidence,
        outcome=payload.outcome,
        objective_ids=payload.objective_ids,
        kind=payload.kind,
        requester=payload.requester,
        needed_by=payload.needed_by,
        triage=payload.triage,
    )


@router.post("/partnerships/{pid}/objectives", response={201: ObjectiveOut, **errors(404)})
def objective_create(request: AuthedRequest, pid: int, payload: ObjectiveIn) -> Status[dict[str, object]]:
    """A business objective for a period, with its why."""
    partnership = partnership_get(user=request.user, pid=pid)
    objective = services.objective_create(partnership=partnership, user=request.user, **payload.model_dump())
    view = selectors.objective_view(objective=selectors.objective_get(user=request.user, oid=objective.pk))
    return Status(201, objective_out(view))


@router.get("/partnerships/{pid}/objectives", response={200: list[ObjectiveOut], **errors(404)})
def objective_list(request: AuthedRequest, pid: int, page: Query[Page]) -> HttpResponse:
    """Objectives with their key results; those past their period are `archived`, never deleted."""

    def compute() -> list[dict[str, object]]:
        partnership = partnership_get(user=request.user, pid=pid)
        return [objective_out(v) for v in page.of(selectors.objective_list(partnership=partnership))]

    return cached_read(request, pid, partnership_stamp(user=request.user, pid=pid), list[ObjectiveOut], compute)


@router.post("/objectives/{oid}/key-results", response={201: KeyResultOut, **errors(404)})
def key_result_add(request: AuthedRequest, oid: int, payload: KeyResultIn) -> Status[dict[str, object]]:
    objective = selectors.objective_get(user=request.user, oid=oid)
    kr = services.key_result_add(objective=objective, **payload.model_dump())
    return Status(
        201,
        {
            "id": kr.pk,
            "name": kr.name,
            "baseline": kr.baseline,
            "target": kr.target,
            "unit": kr.unit,
            "readings": [],
            "latest": None,
            "progress": 0.0,
        },
    )


@router.post("/key-results/{kid}/readings", response={201: KeyResultReadingOut, **errors(404)})
def key_result_reading_add(request: AuthedRequest, kid: int, payload: KeyResultReadingIn) -> Status[dict[str, object]]:
    kr = selectors.key_result_get(user=request.user, kid=kid)
    reading = services.key_result_reading_add(key_result=kr, user=request.user, **payload.model_dump())
    return Status(201, reading_out(reading))


@router.post("/partnerships/{pid}/decisions", response={201: DecisionOut, **errors(404, 409)})
def decision_create(request: AuthedRequest, pid: int, payload: DecisionIn) -> Status[dict[str, object]]:
    """Record a decision or incoming request (kind `request`, with requester, needed_by and a triage
    outcome). `revisits`: an earlier decision this one replaces, which becomes `superseded`."""
    partnership = partnership_get(user=request.user, pid=pid)
    decision = services.decision_create(
        partnership=partnership, user=request.user, content=content_from(payload), revisits=payload.revisits
    )
    return Status(201, _decision(request, decision.pk))


@router.get("/partnerships/{pid}/decisions", response={200: list[DecisionOut], **errors(404)})
def decision_list(
    request: AuthedRequest, pid: int, page: Query[Page], kind: Literal["decision", "request"] | None = None
) -> HttpResponse:
    """Newest first; `unaligned` flags those that serve no objective."""

    def compute() -> list[dict[str, object]]:
        partnership = partnership_get(user=request.user, pid=pid)
        return [decision_out(v) for v in page.of(selectors.decision_list(partnership=partnership, kind=kind))]

    return cached_read(request, pid, partnership_stamp(user=request.user, pid=pid), list[DecisionOut], compute)


@router.get("/decisions/{did}", response={200: DecisionOut, **errors(404)})
def decision_detail(request: AuthedRequest, did: int) -> HttpResponse:
    pid, stamp = partnership_stamp_of(user=request.user, model=Decision, pk=did)
    return cached_read(request, pid, stamp, DecisionOut, lambda: _decision(request, did))


@router.put("/decisions/{did}", response={200: DecisionOut, **errors(404, 409)})
def decision_update(request: AuthedRequest, did: int, payload: DecisionIn) -> dict[str, object]:
    """Change a decision still waiting for sign-off (e.g. set a request's triage). Sign-offs start over."""
    services.decision_update(
        decision=selectors.decision_get(user=request.user, did=did),
        content=content_from(payload),
        revisits=payload.revisits,
    )
    return _decision(request, did)


@router.post("/decisions/{did}/sign", response={200: DecisionOut, **errors(404, 409)})
def decision_sign(request: AuthedRequest, did: int) -> dict[str, object]:
    """Sign off. `agreed` once every member has."""
    services.decision_sign(decision=selectors.decision_get(user=request.user, did=did), user=request.user)
    return _decision(request, did)


@router.post("/decisions/{did}/object", response={200: DecisionOut, **errors(404, 409)})
def decision_object(request: AuthedRequest, did: int, payload: ObjectIn) -> dict[str, object]:
    """Object instead of signing, with a reason. The decision stays open and shows it."""
    services.decision_object(
        decision=selectors.decision_get(user=request.user, did=did), user=request.user, reason=payload.reason
    )
    return _decision(request, did)


@router.get("/team/{secret}", auth=None, include_in_schema=False)
def team_page(request: HttpRequest, secret: str) -> HttpResponse:
    """The published team page (HTML, no login); 404 when unpublished or regenerated."""
    partnership = partnership_get_by_team_secret(secret=secret)
    return render(
        request,
        "alignment/team_page.html",
        {"team": partnership, "page": selectors.team_page_get(partnership=partnership)},
    )
