from datetime import datetime
from typing import Literal

from django.http import HttpResponse
from ninja import Query, Router, Schema, Status
from pydantic import Field

from accord.lib.errors import NotFound
from accord.lib.http import AuthedRequest
from accord.lib.pagecache import cached_read
from accord.lib.schemas import Id, Page, errors
from accord.partnerships.selectors import partnership_get, partnership_stamp, partnership_stamp_of
from accord.tensions import selectors, services
from accord.tensions.models import JournalEntry, Tension

router = Router(tags=["Disagreements and journal"])

Visibility = Literal["private", "shared"]


class ReadOut(Schema):
    by: int
    rating: Literal["right", "partly", "wrong"]


class AmendmentOut(Schema):
    text: str
    created_at: datetime


class PerspectiveOut(Schema):
    author_id: int
    important_to_me: str
    why: str
    partner_priority_guess: str
    updated_at: datetime
    reads: list[ReadOut]
    amendments: list[AmendmentOut]


class TensionOut(Schema):
    id: int
    partnership_id: int
    topic: str
    tags: list[str]
    status: Literal["open", "resolved"]
    raised_by: int | None
    created_at: datetime
    resolved_at: datetime | None
    days_open: int
    resolution: str
    resolution_proposed_by: int | None
    resolution_proposed_at: datetime | None
    agreed_by: list[int]
    decision_id: int | None
    revealed: bool
    written_by: list[int]
    perspectives: list[PerspectiveOut]


class TensionIn(Schema):
    topic: str = Field(max_length=200)
    tags: list[str] = Field(default_factory=list, max_length=10)


class PerspectiveIn(Schema):
    important_to_me: str = Field(max_length=2000)
    why: str = Field(default="", max_length=2000)
    partner_priority_guess: str = Field(default="", max_length=2000)


class ResolveIn(Schema):
    resolution: str = Field(max_length=4000)
    decision_id: Id | None = None


class AmendmentIn(Schema):
    text: str = Field(max_length=2000)


class ReadIn(Schema):
    of_user_id: Id
    rating: Literal["right", "partly", "wrong"]


class JournalOut(Schema):
    id: int
    partnership_id: int
    author_id: int
    text: str
    visibility: Visibility
    created_at: datetime
    updated_at: datetime
    brought_to: int | None


class JournalIn(Schema):
    text: str = Field(max_length=4000)
    visibility: Visibility = "private"
    meeting_id: Id | None = None


class JournalPatch(Schema):
    text: str | None = Field(default=None, max_length=4000)
    visibility: Visibility | None = None


class BringIn(Schema):
    to: Literal["one_on_one", "retro"]
    column: Literal["going_well", "frustrating", "try_next"] = "frustrating"


def tension_out(view: selectors.TensionView) -> dict[str, object]:
    t = view.tension
    return {
        "id": t.pk,
        "partnership_id": t.partnership_id,
        "topic": t.topic,
        "tags": t.tags,
        "status": t.status,
        "raised_by": t.raised_by_id,
        "created_at": t.created_at,
        "resolved_at": t.resolved_at,
        "days_open": view.days_open,
        "resolution": t.resolution,
        "resolution_proposed_by": t.resolution_proposed_by_id,
        "resolution_proposed_at": t.resolution_proposed_at,
        "agreed_by": view.agreed_by,
        "decision_id": t.decision_id,
        "revealed": view.revealed,
        "written_by": view.written_by,
        "perspectives": [
            {
                "author_id": p.author_id,
                "important_to_me": p.important_to_me,
                "why": p.why,
                "partner_priority_guess": p.partner_priority_guess,
                "updated_at": p.updated_at,
                "reads": [{"by": r.rater_id, "rating": r.rating} for r in view.reads_of(p)],
                "amendments": [{"text": a.text, "created_at": a.created_at} for a in p.amendments.all()],
            }
            for p in view.perspectives
        ],
    }


def journal_out(entry: JournalEntry) -> dict[str, object]:
    return {
        "id": entry.pk,
        "partnership_id": entry.partnership_id,
        "author_id": entry.author_id,
        "text": entry.text,
        "visibility": entry.visibility,
        "created_at": entry.created_at,
        "updated_at": entry.updated_at,
        "brought_to": entry.brought_to_id,
    }


def _tension(request: AuthedRequest, tid: int) -> dict[str, object]:
    tension = selectors.tension_get(user=request.user, tid=tid)
    return tension_out(selectors.tension_view(tension=tension, user=request.user))


@router.post("/partnerships/{pid}/tensions", response={201: TensionOut, **errors(404)})
def tension_raise(request: AuthedRequest, pid: int, payload: TensionIn) -> Status[dict[str, object]]:
    """Log a disagreement, with free tags or the charter's values and principles."""
    partnership = partnership_get(user=request.user, pid=pid)
    tension = services.tension_raise(partnership=partnership, user=request.user, topic=payload.topic, tags=payload.tags)
    return Status(201, _tension(request, tension.pk))


@router.get("/partnerships/{pid}/tensions", response={200: list[TensionOut], **errors(404)})
def tension_list(
    request: AuthedRequest,
    pid: int,
    page: Query[Page],
    status: Literal["open", "resolved"] | None = None,
    tag: str | None = None,
) -> HttpResponse:
    def compute() -> list[dict[str, object]]:
        partnership = partnership_get(user=request.user, pid=pid)
        tensions = selectors.tension_list(partnership=partnership, user=request.user, status=status, tag=tag)
        return [tension_out(selectors.tension_view(tension=t, user=request.user)) for t in page.of(tensions)]

    return cached_read(request, pid, partnership_stamp(user=request.user, pid=pid), list[TensionOut], compute)


@router.get("/tensions/{tid}", response={200: TensionOut, **errors(404)})
def tension_detail(request: AuthedRequest, tid: int) -> HttpResponse:
    """`perspectives` holds only the caller's own until every member has written."""
    pid, stamp = partnership_stamp_of(user=request.user, model=Tension, pk=tid)
    return cached_read(request, pid, stamp, TensionOut, lambda: _tension(request, tid))


@router.put("/tensions/{tid}/perspective", response={200: TensionOut, **errors(404, 409)})
def perspective_write(request: AuthedRequest, tid: int, payload: PerspectiveIn) -> dict[str, object]:
    """Your side: what is important to you and why, and what you think your partner is prioritising.
    Once the sides are shown: 409 (amend it instead)."""
    tension = selectors.tension_get(user=request.user, tid=tid)
    services.perspective_write(tension=tension, user=request.user, **payload.model_dump())
    return _tension(request, tid)


@router.post("/tensions/{tid}/reveal", response={200: TensionOut, **errors(404, 409)})
def tension_reveal(request: AuthedRequest, tid: int) -> dict[str, object]:
    """Reveal the sides when every member has written one but the reveal has not happened (the last
    one missing left instead of writing). Before that: 409."""
    services.tension_reveal(tension=selectors.tension_get(user=request.user, tid=tid), user=request.user)
    return _tension(request, tid)


@router.post("/tensions/{tid}/reads", response={200: TensionOut, **errors(404, 409)})
def guess_rate(request: AuthedRequest, tid: int, payload: ReadIn) -> dict[str, object]:
    """After the reveal: how well did `of_user_id` read what matters to you?"""
    tension = selectors.tension_get(user=request.user, tid=tid)
    services.guess_rate(tension=tension, user=request.user, of_user_id=payload.of_user_id, rating=payload.rating)
    return _tension(request, tid)


@router.post("/tensions/{tid}/resolve", response={200: TensionOut, **errors(404, 409)})
def tension_resolve(request: AuthedRequest, tid: int, payload: ResolveIn) -> dict[str, object]:
    """Propose the resolution (you agree as you propose); `status` stays `open` until every member
    has agreed to it. Before every member has written their side: 409."""
    tension = selectors.tension_get(user=request.user, tid=tid)
    services.tension_resolve(
        tension=tension, user=request.user, resolution=payload.resolution, decision_id=payload.decision_id
    )
    return _tension(request, tid)


@router.post("/tensions/{tid}/resolution/agree", response={200: TensionOut, **errors(404, 409)})
def tension_resolution_agree(request: AuthedRequest, tid: int) -> dict[str, object]:
    """Agree to the proposed resolution; `status` becomes `resolved` once every member has. With no
    proposal yet: 409."""
    services.tension_resolution_agree(tension=selectors.tension_get(user=request.user, tid=tid), user=request.user)
    return _tension(request, tid)


@router.post("/tensions/{tid}/amendments", response={201: TensionOut, **errors(404, 409)})
def perspective_amend(request: AuthedRequest, tid: int, payload: AmendmentIn) -> Status[dict[str, object]]:
    """After the sides are shown, your side changes only by a dated amendment below it (the side
    stays as it was read; `PUT /tensions/{tid}/perspective` then answers 409)."""
    tension = selectors.tension_get(user=request.user, tid=tid)
    services.perspective_amend(tension=tension, user=request.user, text=payload.text)
    return Status(201, _tension(request, tid))


@router.post("/partnerships/{pid}/journal", response={201: JournalOut, **errors(404)})
def journal_write(request: AuthedRequest, pid: int, payload: JournalIn) -> Status[dict[str, object]]:
    """Process commentary, private unless `visibility` is shared. `meeting_id`: bring it to that session."""
    partnership = partnership_get(user=request.user, pid=pid)
    entry = services.journal_write(partnership=partnership, user=request.user, **payload.model_dump())
    return Status(201, journal_out(entry))


@router.get("/partnerships/{pid}/journal", response={200: list[JournalOut], **errors(404)})
def journal_list(request: AuthedRequest, pid: int, page: Query[Page]) -> HttpResponse:
    """Your own entries and the ones your partners shared, newest first."""

    def compute() -> list[dict[str, object]]:
        partnership = partnership_get(user=request.user, pid=pid)
        return [journal_out(e) for e in page.of(selectors.journal_list(partnership=partnership, user=request.user))]

    return cached_read(request, pid, partnership_stamp(user=request.user, pid=pid), list[JournalOut], compute)


@router.get("/journal/{jid}", response={200: JournalOut, **errors(404)})
def journal_detail(request: AuthedRequest, jid: int) -> HttpResponse:
    """One of your entries, or one a partner shared (another's private entry: 404)."""
    pid, stamp = partnership_stamp_of(user=request.user, model=JournalEntry, pk=jid)
    return cached_read(
        request, pid, stamp, JournalOut, lambda: journal_out(selectors.journal_get(user=request.user, jid=jid))
    )


@router.patch("/journal/{jid}", response={200: JournalOut, **errors(404)})
def journal_update(request: AuthedRequest, jid: int, payload: JournalPatch) -> dict[str, object]:
    """Edit or share an entry: only its author, anyone else 404."""
    entry = selectors.journal_get(user=request.user, jid=jid)
    if entry.author_id != request.user.pk:
        raise NotFound()
    return journal_out(
        services.journal_update(entry=entry, user=request.user, text=payload.text, visibility=payload.visibility)
    )


@router.delete("/journal/{jid}", response={204: None, **errors(404)})
def journal_delete(request: AuthedRequest, jid: int) -> Status[None]:
    services.journal_delete(entry=selectors.journal_get(user=request.user, jid=jid), user=request.user)
    return Status(204, None)


@router.post("/journal/{jid}/bring", response={200: JournalOut, **errors(404)})
def journal_bring(request: AuthedRequest, jid: int, payload: BringIn) -> dict[str, object]:
    """Bring an entry to the next 1:1 (a talking point) or the next retro (your card, blind until the reveal)."""
    entry = selectors.journal_get(user=request.user, jid=jid)
    services.journal_bring(entry=entry, user=request.user, to=payload.to, column=payload.column)
    return journal_out(selectors.journal_get(user=request.user, jid=jid))
