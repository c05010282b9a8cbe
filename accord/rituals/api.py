from datetime import datetime
from typing import Literal

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Schema, Status
from pydantic import Field

from accord.accounts.selectors import user_get_by_calendar_secret
from accord.lib.errors import NotFound
from accord.lib.http import AuthedRequest
from accord.lib.pagecache import cached_read
from accord.lib.schemas import Id, Moment, Page, errors
from accord.partnerships.selectors import partnership_get, partnership_stamp, partnership_stamp_of
from accord.rituals import selectors, services
from accord.rituals.api_actions import ActionItemOut, ExperimentOut, action_item_out, experiment_out
from accord.rituals.api_actions import router as actions_router
from accord.rituals.models import AgendaItem, Card, Meeting

router = Router(tags=["Iterate: meetings, action items, experiments"])
router.add_router("", actions_router)

Kind = Literal["one_on_one", "retro"]
Column = Literal["going_well", "frustrating", "try_next"]
Phase = Literal["write", "reveal", "group", "vote", "discuss", "decide"]


class AgendaItemOut(Schema):
    id: int
    text: str
    author_id: int | None
    discussed: bool
    position: int
    carried_from: int | None


class CardOut(Schema):
    id: int
    column: Column
    text: str
    author_id: int | None
    group_id: int | None
    votes: int
    my_votes: int


class GroupOut(Schema):
    id: int
    title: str
    card_ids: list[int]
    votes: int


class MeetingSummaryOut(Schema):
    id: int
    partnership_id: int
    kind: Kind
    scheduled_for: datetime
    status: Literal["planned", "held", "cancelled"]
    overdue: bool
    held_at: datetime | None


class MeetingOut(MeetingSummaryOut):
    phase: Phase | None
    revealed: bool
    columns: dict[str, str]
    votes_left: int | None
    notes: str
    notes_revision: int
    agenda: list[AgendaItemOut]
    cards: list[CardOut]
    groups: list[GroupOut]
    action_items: list[ActionItemOut]
    carried_action_items: list[ActionItemOut]
    experiments_due: list[ExperimentOut]


class MeetingIn(Schema):
    kind: Kind
    scheduled_for: Moment


class MeetingPatch(Schema):
    scheduled_for: Moment | None = None
    notes: str | None = Field(default=None, max_length=20000)
    notes_revision: int | None = Field(default=None, description="Send it back to refuse overwriting newer notes")
    status: Literal["cancelled"] | None = None


class TextIn(Schema):
    text: str = Field(max_length=500)


class AgendaPatch(Schema):
    text: str | None = Field(default=None, max_length=500)
    discussed: bool | None = None
    move: Literal[-1, 1] | None = None


class CardIn(Schema):
    column: Column
    text: str = Field(max_length=500)


class PhaseIn(Schema):
    phase: Phase


class GroupIn(Schema):
    card_ids: list[Id] = Field(max_length=200)
    title: str = Field(default="", max_length=200)


class CompleteIn(Schema):
    notes: str | None = Field(default=None, max_length=20000)


def agenda_item_out(item: AgendaItem) -> dict[str, object]:
    return {
        "id": item.pk,
        "text": item.text,
        "author_id": item.author_id,
        "discussed": item.discussed,
        "position": item.position,
        "carried_from": item.carried_from_id,
    }


def card_out(card: Card, votes: int = 0, my_votes: int = 0) -> dict[str, object]:
    return {
        "id": card.pk,
        "column": card.column,
        "text": card.text,
        "author_id": card.author_id,
        "group_id": card.group_id,
        "votes": votes,
        "my_votes": my_votes,
    }


def summary_out(meeting: Meeting) -> dict[str, object]:
    return {
        "id": meeting.pk,
        "partnership_id": meeting.partnership_id,
        "kind": meeting.kind,
        "scheduled_for": meeting.scheduled_for,
        "status": meeting.status,
        "overdue": selectors.meeting_is_overdue(meeting),
        "held_at": meeting.held_at,
    }


def meeting_out(request: AuthedRequest, meeting: Meeting) -> dict[str, object]:
    view = selectors.meeting_view(meeting=meeting, user=request.user)
    retro = meeting.is_retro
    return {
        **summary_out(meeting),
        "phase": meeting.phase if retro else None,
        "revealed": meeting.revealed,
        "columns": {key: label for key, label, _ in view.columns} if retro else {},
        "votes_left": view.votes_left if retro else None,
        "notes": meeting.notes,
        "notes_revision": meeting.notes_revision,
        "agenda": [agenda_item_out(i) for i in view.agenda],
        "cards": [card_out(c.card, c.votes, c.my_votes) for c in view.cards],
        "groups": [
            {"id": t.group.pk, "title": t.group.title, "card_ids": [c.card.pk for c in t.cards], "votes": t.votes}
            for t in view.topics
            if t.group is not None
        ],
        "action_items": [action_item_out(i) for i in view.action_items],
        "carried_action_items": [action_item_out(i) for i in view.carried_action_items],
        "experiments_due": [experiment_out(e) for e in view.experiments_due],
    }


def _meeting(request: AuthedRequest, mid: int) -> Meeting:
    return selectors.meeting_get(user=request.user, mid=mid)


@router.post("/partnerships/{pid}/meetings", response={201: MeetingOut, **errors(404)})
def meeting_create(request: AuthedRequest, pid: int, payload: MeetingIn) -> Status[dict[str, object]]:
    """Plan a 1:1 or a retro by hand (status `planned`)."""
    partnership = partnership_get(user=request.user, pid=pid)
    meeting = services.meeting_create(
        partnership=partnership, user=request.user, kind=payload.kind, scheduled_for=payload.scheduled_for
    )
    return Status(201, meeting_out(request, _meeting(request, meeting.pk)))


@router.get("/partnerships/{pid}/meetings", response={200: list[MeetingSummaryOut], **errors(404)})
def meeting_list(
    request: AuthedRequest,
    pid: int,
    page: Query[Page],
    kind: Kind | None = None,
    status: Literal["planned", "held", "cancelled"] | None = None,
) -> HttpResponse:
    """Meetings, newest first; filter by `kind` and `status`."""

    def compute() -> list[dict[str, object]]:
        partnership = partnership_get(user=request.user, pid=pid)
        meetings = selectors.meeting_list(partnership=partnership, kind=kind, status=status)
        return [summary_out(m) for m in page.of(meetings)]

    return cached_read(request, pid, partnership_stamp(user=request.user, pid=pid), list[MeetingSummaryOut], compute)


@router.get("/meetings/{mid}", response={200: MeetingOut, **errors(404)})
def meeting_detail(request: AuthedRequest, mid: int) -> HttpResponse:
    """A meeting with its agenda, cards (before reveal: only yours), action items and carried items."""
    pid, stamp = partnership_stamp_of(user=request.user, model=Meeting, pk=mid)
    return cached_read(request, pid, stamp, MeetingOut, lambda: meeting_out(request, _meeting(request, mid)))


@router.patch("/meetings/{mid}", response={200: MeetingOut, **errors(404, 409)})
def meeting_update(request: AuthedRequest, mid: int, payload: MeetingPatch) -> dict[str, object]:
    """Reschedule, cancel, or save the shared notes."""
    services.meeting_update(
        meeting=_meeting(request, mid),
        scheduled_for=payload.scheduled_for,
        notes=payload.notes,
        notes_revision=payload.notes_revision,
        cancel=payload.status == "cancelled",
    )
    return meeting_out(request, _meeting(request, mid))


@router.post("/meetings/{mid}/agenda-items", response={201: AgendaItemOut, **errors(404, 409)})
def agenda_item_add(request: AuthedRequest, mid: int, payload: TextIn) -> Status[dict[str, object]]:
    item = services.agenda_item_add(meeting=_meeting(request, mid), user=request.user, text=payload.text)
    return Status(201, agenda_item_out(item))


@router.patch("/agenda-items/{item_id}", response={200: AgendaItemOut, **errors(404)})
def agenda_item_update(request: AuthedRequest, item_id: int, payload: AgendaPatch) -> dict[str, object]:
    """Edit a talking point, mark it discussed, or move it up (-1) or down (1)."""
    item = selectors.agenda_item_get(user=request.user, item_id=item_id)
    services.agenda_item_update(item=item, text=payload.text, discussed=payload.discussed, move=payload.move)
    return agenda_item_out(selectors.agenda_item_get(user=request.user, item_id=item_id))


@router.post("/meetings/{mid}/cards", response={201: CardOut, **errors(404, 409)})
def card_add(request: AuthedRequest, mid: int, payload: CardIn) -> Status[dict[str, object]]:
    """A retro card, hidden from the other members until the retro is revealed. Not a retro: 422."""
    card = services.card_add(
        meeting=_meeting(request, mid), user=request.user, column=payload.column, text=payload.text
    )
    return Status(201, card_out(card))


@router.post("/meetings/{mid}/reveal", response={200: MeetingOut, **errors(404)})
def meeting_reveal(request: AuthedRequest, mid: int) -> dict[str, object]:
    """Show every member's cards."""
    services.meeting_reveal(meeting=_meeting(request, mid))
    return meeting_out(request, _meeting(request, mid))


@router.post("/meetings/{mid}/phase", response={200: MeetingOut, **errors(404)})
def meeting_phase(request: AuthedRequest, mid: int, payload: PhaseIn) -> dict[str, object]:
    """Go to any retro phase, forward or back; any phase after `write` reveals the cards."""
    services.meeting_phase_set(meeting=_meeting(request, mid), phase=payload.phase)
    return meeting_out(request, _meeting(request, mid))


@router.post("/meetings/{mid}/groups", response={201: GroupOut, **errors(404, 409)})
def card_group(request: AuthedRequest, mid: int, payload: GroupIn) -> Status[dict[str, object]]:
    """Merge similar cards into one group (after reveal)."""
    group = services.card_group(meeting=_meeting(request, mid), card_ids=payload.card_ids, title=payload.title)
    cards = list(group.cards.prefetch_related("votes"))
    return Status(
        201,
        {
            "id": group.pk,
            "title": group.title,
            "card_ids": [c.pk for c in cards],
            "votes": sum(len(c.votes.all()) for c in cards),
        },
    )


@router.post("/cards/{cid}/votes", response={201: CardOut, **errors(404, 409)})
def vote_add(request: AuthedRequest, cid: int) -> Status[dict[str, object]]:
    """Put one of your votes on a card. Before reveal, or with no votes left: 409."""
    card = selectors.card_get(user=request.user, cid=cid)
    services.vote_add(card=card, user=request.user)
    return Status(201, _card_out(request, cid))


@router.delete("/cards/{cid}/votes", response={200: CardOut, **errors(404, 409)})
def vote_remove(request: AuthedRequest, cid: int) -> dict[str, object]:
    """Take one of your votes back from a card."""
    services.vote_remove(card=selectors.card_get(user=request.user, cid=cid), user=request.user)
    return _card_out(request, cid)


def _card_out(request: AuthedRequest, cid: int) -> dict[str, object]:
    card = selectors.card_get(user=request.user, cid=cid)
    votes = list(card.votes.all())
    return card_out(card, len(votes), sum(1 for v in votes if v.user_id == request.user.pk))


@router.post("/meetings/{mid}/complete", response={200: MeetingOut, **errors(404, 409)})
def meeting_complete(request: AuthedRequest, mid: int, payload: CompleteIn) -> dict[str, object]:
    """Mark it held. A 1:1's undiscussed talking points move to the next 1:1."""
    services.meeting_complete(meeting=_meeting(request, mid), user=request.user, notes=payload.notes)
    return meeting_out(request, _meeting(request, mid))


@router.get("/calendar/{secret}.ics", auth=None, url_name="calendar_feed", include_in_schema=False)
def calendar_feed(request: HttpRequest, secret: str) -> HttpResponse:
    """A user's private iCalendar feed (RFC 5545); the secret in its URL is the only key."""
    user = user_get_by_calendar_secret(secret=secret)
    if user is None:
        raise NotFound()
    body = selectors.calendar_get(user=user, site_url=request.build_absolute_uri("/").rstrip("/"))
    return HttpResponse(body, content_type="text/calendar; charset=utf-8")
