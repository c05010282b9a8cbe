"""A meeting's pages: the 1:1 or retro itself, its live board, and one URL per thing done in it
(notes, status, agenda points, cards, groups, votes), mirroring /api/v1/meetings/...."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import datetime

from django.contrib import messages
from django.forms import BaseForm
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from accord.lib.errors import Conflict, NotFound
from accord.lib.http import AuthedRequest
from accord.lib.live import live_response
from accord.lib.views import Failure, partnership_page, valid
from accord.partnerships.models import Partnership
from accord.rituals import selectors, services
from accord.rituals.forms import ActionItemForm, NotesForm, RescheduleForm, TalkingPointForm
from accord.rituals.models import PHASES, AgendaItem, Card, Meeting
from accord.rituals.views import members


def _meeting_context(request: AuthedRequest, meeting: Meeting, **extra: object) -> dict[str, object]:
    view = selectors.meeting_view(meeting=meeting, user=request.user)
    people = members(meeting.partnership)
    context: dict[str, object] = {
        "partnership": meeting.partnership,
        "section": "iterate",
        "meeting": meeting,
        "view": view,
        "phases": PHASES,
        "version": _version(view),
        # Cards are dragged onto one another while the partners group them.
        "drag": meeting.status == Meeting.Status.PLANNED and meeting.revealed and meeting.phase == "group",
        "page_url": reverse("rituals-meeting", args=[meeting.partnership_id, meeting.pk]),
        "overdue": selectors.meeting_is_overdue(meeting),
        "action_form": ActionItemForm(members=people, initial={"owner_id": request.user.pk}),
        "members": people,
        "talking_point_form": TalkingPointForm(),
        "notes_form": NotesForm(initial={"notes": meeting.notes, "notes_revision": meeting.notes_revision}),
        "reschedule_form": RescheduleForm(initial={"scheduled_for": meeting.scheduled_for}),
    }
    context.update(extra)
    return context


def _version(view: selectors.MeetingView) -> str:
    """A digest of what a member sees on the live retro board; unchanged means nothing to redraw."""
    state = [
        view.meeting.phase,
        view.meeting.status,
        str(view.meeting.revealed_at),
        [
            (c.card.pk, c.card.text, c.card.group_id, c.votes, c.my_votes, c.action_item, c.experiment)
            for c in view.cards
        ],
        [(g.pk, g.title) for g in view.groups],
        [(i.pk, i.done) for i in view.action_items],
        [e.pk for e in view.experiments_due],
    ]
    return hashlib.sha256(repr(state).encode()).hexdigest()[:16]


def _meeting(request: AuthedRequest, partnership: Partnership, mid: int) -> Meeting:
    return selectors.meeting_of(partnership=partnership, mid=mid)


def _meeting_page(
    request: AuthedRequest,
    partnership: Partnership,
    failure: Failure | None = None,
    *,
    mid: int,
    gid: int | None = None,
    **_: object,
) -> HttpResponse:
    """The meeting; after a refused action, its form as it was typed with the message beside it."""
    meeting = _meeting(request, partnership, mid)
    extra: dict[str, object] = {}
    if failure is not None:
        form = failure.form
        if isinstance(form, NotesForm) and isinstance(failure.error, Conflict):
            # Someone saved first: their version is shown, and the form keeps yours on top of it.
            typed = form.data.get("notes", "")
            form = NotesForm(initial={"notes": typed, "notes_revision": meeting.notes_revision})
            extra["notes_conflict"] = failure.message
        names: dict[type[BaseForm], str] = {
            NotesForm: "notes_form",
            RescheduleForm: "reschedule_form",
            TalkingPointForm: "talking_point_form",
        }
        if form is not None and type(form) in names:
            extra[names[type(form)]] = form
        elif meeting.is_retro:
            extra["board_error"] = failure.message
            # What was typed on the board stays where it was typed.
            extra["card_typed"] = {"column": request.POST.get("column", ""), "text": request.POST.get("text", "")}
            extra["title_typed"] = {"group": gid, "title": request.POST.get("title", "")}
        else:
            messages.error(request, failure.message)
    status = 409 if "notes_conflict" in extra else 200
    if request.htmx and meeting.is_retro:
        return render(request, "rituals/_retro_live.html", _meeting_context(request, meeting, **extra), status=status)
    template = "rituals/retro.html" if meeting.is_retro else "rituals/one_on_one.html"
    return render(request, template, _meeting_context(request, meeting, **extra), status=status)


@partnership_page(cache=True)
def meeting_detail(request: AuthedRequest, partnership: Partnership, mid: int) -> HttpResponse:
    return _meeting_page(request, partnership, mid=mid)


@partnership_page(cache=True)
def retro_live(request: AuthedRequest, partnership: Partnership, mid: int) -> HttpResponse:
    """The live board, polled every two seconds. Nothing changed since `v`: 204, nothing to swap."""
    context = _meeting_context(request, _meeting(request, partnership, mid))
    if request.GET.get("v") == context["version"]:
        return HttpResponse(status=204)
    return render(request, "rituals/_retro_live.html", context)


@partnership_page(cache=True)
def one_on_one_live(request: AuthedRequest, partnership: Partnership, mid: int) -> HttpResponse:
    """The 1:1's live region (accord.lib.live): its agenda, action items, notes and status."""

    def region() -> HttpResponse:
        meeting = _meeting(request, partnership, mid)
        if meeting.is_retro:
            raise NotFound("No such 1:1.")
        return render(request, "rituals/_one_on_one_live.html", _meeting_context(request, meeting))

    return live_response(request, partnership, region)


# The meeting itself: notes, time, cancel, complete.


def _to_meeting(meeting: Meeting, anchor: str = "") -> HttpResponse:
    return redirect(reverse("rituals-meeting", args=[meeting.partnership_id, meeting.pk]) + anchor)


@partnership_page(invalid=_meeting_page)
@require_POST
def meeting_notes(request: AuthedRequest, partnership: Partnership, mid: int) -> HttpResponse:
    meeting = _meeting(request, partnership, mid)
    data = valid(request, NotesForm(request.POST))
    services.meeting_update(meeting=meeting, notes=data["notes"], notes_revision=data["notes_revision"])
    messages.success(request, "Notes saved.")
    return _to_meeting(meeting)


@partnership_page(invalid=_meeting_page)
@require_POST
def meeting_reschedule(request: AuthedRequest, partnership: Partnership, mid: int) -> HttpResponse:
    meeting = _meeting(request, partnership, mid)
    when: datetime = valid(request, RescheduleForm(request.POST))["scheduled_for"]
    services.meeting_update(meeting=meeting, scheduled_for=when)
    messages.success(request, "Rescheduled.")
    return _to_meeting(meeting)


@partnership_page(back="rituals-meeting")
@require_POST
def meeting_cancel(request: AuthedRequest, partnership: Partnership, mid: int) -> HttpResponse:
    meeting = _meeting(request, partnership, mid)
    services.meeting_update(meeting=meeting, cancel=True)
    messages.success(request, "Cancelled. It stays in your history.")
    return _to_meeting(meeting)


@partnership_page(back="rituals-meeting")
@require_POST
def meeting_complete(request: AuthedRequest, partnership: Partnership, mid: int) -> HttpResponse:
    meeting = _meeting(request, partnership, mid)
    services.meeting_complete(meeting=meeting, user=request.user)
    messages.success(request, "Marked as held. Undiscussed points and open actions carry over to the next one.")
    return _to_meeting(meeting)


# A 1:1's agenda.


@partnership_page(invalid=_meeting_page)
@require_POST
def agenda_item_add(request: AuthedRequest, partnership: Partnership, mid: int) -> HttpResponse:
    meeting = _meeting(request, partnership, mid)
    text = valid(request, TalkingPointForm(request.POST))["text"]
    services.agenda_item_add(meeting=meeting, user=request.user, text=text)
    return _to_meeting(meeting, "#agenda")


def _agenda_item(request: AuthedRequest, partnership: Partnership, mid: int, item_id: int) -> AgendaItem:
    meeting = _meeting(request, partnership, mid)
    item = selectors.agenda_item_get(user=request.user, item_id=item_id)
    if item.meeting_id != meeting.pk:
        raise NotFound()
    return item


def _agenda_change(
    request: AuthedRequest, partnership: Partnership, mid: int, item_id: int, *, move: int = 0, delete: bool = False
) -> HttpResponse:
    item = _agenda_item(request, partnership, mid, item_id)
    if delete:
        services.agenda_item_delete(item=item, user=request.user)
    elif move:
        services.agenda_item_update(item=item, move=move)
    else:
        services.agenda_item_update(item=item, discussed=request.POST.get("value") == "1")
    return _to_meeting(item.meeting, "#agenda")


AGENDA = "rituals-meeting#agenda"


@partnership_page(back=AGENDA)
@require_POST
def agenda_item_discussed(request: AuthedRequest, partnership: Partnership, mid: int, item_id: int) -> HttpResponse:
    return _agenda_change(request, partnership, mid, item_id)


@partnership_page(back=AGENDA)
@require_POST
def agenda_item_up(request: AuthedRequest, partnership: Partnership, mid: int, item_id: int) -> HttpResponse:
    return _agenda_change(request, partnership, mid, item_id, move=-1)


@partnership_page(back=AGENDA)
@require_POST
def agenda_item_down(request: AuthedRequest, partnership: Partnership, mid: int, item_id: int) -> HttpResponse:
    return _agenda_change(request, partnership, mid, item_id, move=1)


@partnership_page(back=AGENDA)
@require_POST
def agenda_item_delete(request: AuthedRequest, partnership: Partnership, mid: int, item_id: int) -> HttpResponse:
    return _agenda_change(request, partnership, mid, item_id, delete=True)


# A retro's board: htmx requests get the board fragment back, others the page.


def _board(request: AuthedRequest, meeting: Meeting) -> HttpResponse:
    if request.htmx:
        fresh = selectors.meeting_of(partnership=meeting.partnership, mid=meeting.pk)
        return render(request, "rituals/_retro_live.html", _meeting_context(request, fresh))
    return _to_meeting(meeting)


def _card(request: AuthedRequest, partnership: Partnership, mid: int, cid: int) -> Card:
    """A card of this meeting that the caller may see, or 404."""
    meeting = _meeting(request, partnership, mid)
    card = selectors.card_get(user=request.user, cid=cid)
    if card.meeting_id != meeting.pk:
        raise NotFound()
    return card


def _on_card(
    request: AuthedRequest, partnership: Partnership, mid: int, cid: int, act: Callable[[Card], object]
) -> HttpResponse:
    card = _card(request, partnership, mid, cid)
    act(card)
    return _board(request, card.meeting)


def _posted_id(request: AuthedRequest, name: str) -> int:
    value = request.POST.get(name, "")
    return int(value) if value.isdigit() else 0


@partnership_page(invalid=_meeting_page)
@require_POST
def card_add(request: AuthedRequest, partnership: Partnership, mid: int) -> HttpResponse:
    meeting = _meeting(request, partnership, mid)
    column, text = request.POST.get("column", ""), request.POST.get("text", "")
    services.card_add(meeting=meeting, user=request.user, column=column, text=text)
    return _board(request, meeting)


@partnership_page(invalid=_meeting_page)
@require_POST
def meeting_reveal(request: AuthedRequest, partnership: Partnership, mid: int) -> HttpResponse:
    meeting = _meeting(request, partnership, mid)
    services.meeting_reveal(meeting=meeting)
    return _board(request, meeting)


@partnership_page(invalid=_meeting_page)
@require_POST
def meeting_phase(request: AuthedRequest, partnership: Partnership, mid: int) -> HttpResponse:
    meeting = _meeting(request, partnership, mid)
    services.meeting_phase_set(meeting=meeting, phase=request.POST.get("phase", ""))
    return _board(request, meeting)


@partnership_page(invalid=_meeting_page)
@require_POST
def card_group(request: AuthedRequest, partnership: Partnership, mid: int, cid: int) -> HttpResponse:
    card = _card(request, partnership, mid, cid)
    title = request.POST.get("title", "")
    # The card joins the target's group when it has one: what a drop onto a grouped card means.
    services.card_group(meeting=card.meeting, card_ids=[_posted_id(request, "target"), card.pk], title=title)
    return _board(request, card.meeting)


@partnership_page(invalid=_meeting_page)
@require_POST
def card_ungroup(request: AuthedRequest, partnership: Partnership, mid: int, cid: int) -> HttpResponse:
    return _on_card(request, partnership, mid, cid, lambda card: services.card_ungroup(card=card))


@partnership_page(invalid=_meeting_page)
@require_POST
def vote_add(request: AuthedRequest, partnership: Partnership, mid: int, cid: int) -> HttpResponse:
    return _on_card(request, partnership, mid, cid, lambda card: services.vote_add(card=card, user=request.user))


@partnership_page(invalid=_meeting_page)
@require_POST
def vote_remove(request: AuthedRequest, partnership: Partnership, mid: int, cid: int) -> HttpResponse:
    return _on_card(request, partnership, mid, cid, lambda card: services.vote_remove(card=card, user=request.user))


@partnership_page(invalid=_meeting_page)
@require_POST
def card_delete(request: AuthedRequest, partnership: Partnership, mid: int, cid: int) -> HttpResponse:
    return _on_card(request, partnership, mid, cid, lambda card: services.card_delete(card=card, user=request.user))


@partnership_page(invalid=_meeting_page)
@require_POST
def card_group_rename(request: AuthedRequest, partnership: Partnership, mid: int, gid: int) -> HttpResponse:
    meeting = _meeting(request, partnership, mid)
    group = selectors.group_get(user=request.user, gid=gid)
    if group.meeting_id != meeting.pk:
        raise NotFound()
    services.card_group_rename(group=group, title=request.POST.get("title", ""))
    return _board(request, meeting)
