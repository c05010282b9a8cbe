from datetime import date, datetime
from typing import Literal

from django.http import HttpResponse
from ninja import Router, Schema, Status
from pydantic import Field

from accord.charters import selectors, services
from accord.charters.models import CharterRevision, Reading
from accord.lib.http import AuthedRequest
from accord.lib.pagecache import cached_read
from accord.lib.schemas import Day, errors
from accord.partnerships.selectors import partnership_get, partnership_stamp, partnership_stamp_of

router = Router(tags=["Design: charter and success measures"])

Owner = Literal["EM", "PM", "Design", "Other", "shared"]


class ResponsibilityIO(Schema):
    area: str = Field(max_length=200)
    owner: Owner


class DiffLineOut(Schema):
    op: Literal["same", "added", "removed"]
    text: str


class SectionDiffOut(Schema):
    section: str
    title: str
    changed: bool
    lines: list[DiffLineOut]


class RevisionOut(Schema):
    id: int
    partnership_id: int
    number: int | None
    status: Literal["proposed", "ratified", "superseded", "withdrawn"]
    base: int | None
    author_id: int | None
    rationale: str
    purpose: str
    values: list[str]
    principles: list[str]
    responsibilities: list[ResponsibilityIO]
    agreements: list[str]
    ratified_by: list[int]
    awaiting: list[int]
    outdated: bool
    created_at: datetime
    ratified_at: datetime | None


class RevisionDetailOut(RevisionOut):
    diff: list[SectionDiffOut]


class CharterOut(Schema):
    current: RevisionOut | None
    proposals: list[RevisionOut]


class RevisionIn(Schema):
    base: int | None = Field(description="The number of the current revision, or null when there is none")
    purpose: str = Field(default="", max_length=8000)
    values: list[str] = Field(default_factory=list, max_length=50)
    principles: list[str] = Field(default_factory=list, max_length=50)
    responsibilities: list[ResponsibilityIO] = Field(default_factory=list, max_length=50)
    agreements: list[str] = Field(default_factory=list, max_length=50)
    rationale: str = Field(default="", max_length=4000)


class ReadingOut(Schema):
    id: int
    value: float
    taken_on: date
    note: str
    entered_by: int | None


class MeasureOut(Schema):
    id: int
    name: str
    method: str
    target: float
    direction: Literal["up", "down"]
    unit: str
    readings: list[ReadingOut]
    latest: ReadingOut | None
    on_track: bool | None


class MeasureIn(Schema):
    name: str = Field(max_length=120)
    method: str = Field(default="", max_length=1000)
    target: float
    direction: Literal["up", "down"]
    unit: str = Field(default="", max_length=20)


class ReadingIn(Schema):
    value: float
    taken_on: Day
    note: str = Field(default="", max_length=500)


def revision_out(revision: CharterRevision, current: CharterRevision | None) -> dict[str, object]:
    return {
        "id": revision.pk,
        "partnership_id": revision.partnership_id,
        "number": revision.number,
        "status": revision.status,
        "base": revision.base.number if revision.base else None,
        "author_id": revision.author_id,
        "rationale": revision.rationale,
        "purpose": revision.purpose,
        "values": revision.values,
        "principles": revision.principles,
        "responsibilities": revision.responsibilities,
        "agreements": revision.agreements,
        "ratified_by": [r.user_id for r in revision.ratifications.all()],
        "awaiting": [m.user_id for m in selectors.charter_revision_awaiting(revision)]
        if revision.status == CharterRevision.Status.PROPOSED
        else [],
        "outdated": selectors.charter_revision_is_outdated(revision, current),
        "created_at": revision.created_at,
        "ratified_at": revision.ratified_at,
    }


def revision_detail_out(revision: CharterRevision) -> dict[str, object]:
    current = selectors.charter_current(partnership=revision.partnership)
    diff = selectors.charter_revision_diff(revision.base, revision)
    return {
        **revision_out(revision, current),
        "diff": [
            {"section": s.key, "title": s.title, "changed": s.changed, "lines": [line.__dict__ for line in s.lines]}
            for s in diff
        ],
    }


def reading_out(r: Reading) -> dict[str, object]:
    return {"id": r.pk, "value": r.value, "taken_on": r.taken_on, "note": r.note, "entered_by": r.entered_by_id}


def measure_out(view: selectors.MeasureView) -> dict[str, object]:
    m = view.measure
    return {
        "id": m.pk,
        "name": m.name,
        "method": m.method,
        "target": m.target,
        "direction": m.direction,
        "unit": m.unit,
        "readings": [reading_out(r) for r in view.readings],
        "latest": reading_out(view.latest) if view.latest else None,
        "on_track": view.on_track,
    }


@router.get("/partnerships/{pid}/charter", response={200: CharterOut, **errors(404)})
def charter_detail(request: AuthedRequest, pid: int) -> HttpResponse:
    """The current charter (null before the first is ratified) and the open proposals."""

    def compute() -> dict[str, object]:
        partnership = partnership_get(user=request.user, pid=pid)
        current = selectors.charter_current(partnership=partnership)
        return {
            "current": revision_out(current, current) if current else None,
            "proposals": [revision_out(p, current) for p in selectors.charter_proposals(partnership=partnership)],
        }

    return cached_read(request, pid, partnership_stamp(user=request.user, pid=pid), CharterOut, compute)


@router.post("/partnerships/{pid}/charter/revisions", response={201: RevisionDetailOut, **errors(404, 409)})
def charter_propose(request: AuthedRequest, pid: int, payload: RevisionIn) -> Status[dict[str, object]]:
    """Propose a revision against the current one. `base` not current: 409, and nothing is saved."""
    partnership = partnership_get(user=request.user, pid=pid)
    content = services.CharterContent(
        purpose=payload.purpose,
        values=payload.values,
        principles=payload.principles,
        responsibilities=[r.model_dump() for r in payload.responsibilities],
        agreements=payload.agreements,
    )
    revision = services.charter_propose(
        partnership=partnership, user=request.user, base=payload.base, content=content, rationale=payload.rationale
    )
    return Status(201, revision_detail_out(selectors.charter_revision_get(user=request.user, rid=revision.pk)))


@router.get("/charter-revisions/{rid}", response={200: RevisionDetailOut, **errors(404)})
def charter_revision_detail(request: AuthedRequest, rid: int) -> HttpResponse:
    """A revision with its `diff` against the revision it was proposed on."""
    pid, stamp = partnership_stamp_of(user=request.user, model=CharterRevision, pk=rid)
    return cached_read(
        request,
        pid,
        stamp,
        RevisionDetailOut,
        lambda: revision_detail_out(selectors.charter_revision_get(user=request.user, rid=rid)),
    )


@router.post("/charter-revisions/{rid}/ratify", response={200: RevisionDetailOut, **errors(404, 409)})
def charter_revision_ratify(request: AuthedRequest, rid: int) -> dict[str, object]:
    """Ratify. Once every member has, it is the current charter. An outdated proposal: 409."""
    revision = selectors.charter_revision_get(user=request.user, rid=rid)
    services.charter_revision_ratify(revision=revision, user=request.user)
    return revision_detail_out(selectors.charter_revision_get(user=request.user, rid=rid))


@router.post("/charter-revisions/{rid}/withdraw", response={200: RevisionDetailOut, **errors(404, 409)})
def charter_revision_withdraw(request: AuthedRequest, rid: int) -> dict[str, object]:
    """Its author withdraws an unratified proposal (others: 404)."""
    revision = selectors.charter_revision_get(user=request.user, rid=rid)
    services.charter_revision_withdraw(revision=revision, user=request.user)
    return revision_detail_out(selectors.charter_revision_get(user=request.user, rid=rid))


@router.post("/partnerships/{pid}/measures", response={201: MeasureOut, **errors(404)})
def measure_create(request: AuthedRequest, pid: int, payload: MeasureIn) -> Status[dict[str, object]]:
    partnership = partnership_get(user=request.user, pid=pid)
    measure = services.measure_create(partnership=partnership, user=request.user, **payload.model_dump())
    return Status(201, measure_out(selectors.measure_view(measure=measure)))


@router.get("/partnerships/{pid}/measures", response={200: list[MeasureOut], **errors(404)})
def measure_list(request: AuthedRequest, pid: int) -> HttpResponse:
    """Success measures, each with its readings (oldest first), the latest one and `on_track`."""

    def compute() -> list[dict[str, object]]:
        return [measure_out(v) for v in selectors.measure_list(partnership=partnership_get(user=request.user, pid=pid))]

    return cached_read(request, pid, partnership_stamp(user=request.user, pid=pid), list[MeasureOut], compute)


@router.post("/measures/{mid}/readings", response={201: ReadingOut, **errors(404)})
def measure_reading_add(request: AuthedRequest, mid: int, payload: ReadingIn) -> Status[dict[str, object]]:
    measure = selectors.measure_get(user=request.user, mid=mid)
    reading = services.measure_reading_add(measure=measure, user=request.user, **payload.model_dump())
    return Status(201, reading_out(reading))
