from __future__ import annotations

import hashlib
from datetime import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from accord.lib.errors import Conflict, NotFound, ValidationError
from accord.lib.forms import add_errors, errors_text
from accord.lib.http import AuthedRequest
from accord.lib.pagecache import cached_partnership_page
from accord.partnerships.models import Partnership
from accord.partnerships.views import page_partnership
from accord.rituals import selectors, services
from accord.rituals.forms import (
    ActionItemForm,
    ExperimentForm,
    MeetingForm,
    NotesForm,
    RescheduleForm,
    RetroFormatForm,
    TalkingPointForm,
    VerdictForm,
)
from accord.rituals.models import PHASES, Card, Meeting


def _members(partnership: Partnership) -> list[tuple[int, str]]:
    return [(m.user_id, m.user.name) for m in partnership.memberships.all()]


def _back(request: AuthedRequest, fallback: str) -> HttpResponse:
    """Back to where a small form was sent from (our own pages only), else `fallback`."""
    target = request.POST.get("next", "")
    return redirect(target if target.startswith("/p/") else fallback)


@login_required
@cached_partnership_page
def rituals_home(request: AuthedRequest, pid: int) -> HttpResponse:
    """Next sessions from the cadence, open action items, experiments, and past meetings."""
    partnership = page_partnership(request, pid)
    meetings = list(selectors.meeting_list(partnership=partnership)[:40])
    return render(
        request,
        "rituals/home.html",
        {
            "partnership": partnership,
            "section": "iterate",
            "upcoming": selectors.upcoming(partnership=partnership),
            "planned": [m for m in meetings if m.status == Meeting.Status.PLANNED][::-1],
            "past": [m for m in meetings if m.status != Meeting.Status.PLANNED],
            "open_items": list(selectors.action_item_list(partnership=partnership, open_only=True)),
            "experiments": [e for e in selectors.experiment_list(partnership=partnership) if e.status == "running"],
            "form": MeetingForm(),
        },
    )


@login_required
@require_POST
def meeting_plan(request: AuthedRequest, pid: int) -> HttpResponse:
    partnership = page_partnership(request, pid)
    form = MeetingForm(request.POST)
    if not form.is_valid():
        messages.error(request, errors_text(form))
        return redirect("rituals-home", pid=pid)
    meeting = services.meeting_create(partnership=partnership, user=request.user, **form.cleaned_data)
    return redirect("rituals-meeting", pid=pid, mid=meeting.pk)


def _meeting_context(request: AuthedRequest, meeting: Meeting, **extra: object) -> dict[str, object]:
    view = selectors.meeting_view(meeting=meeting, user=request.user)
    members = _members(meeting.partnership)
    context: dict[str, object] = {
        "partnership": meeting.partnership,
        "section": "iterate",
        "meeting": meeting,
        "view": view,
        "phases": PHASES,
        "version": _version(view),
        "page_url": reverse("rituals-meeting", args=[meeting.partnership_id, meeting.pk]),
        "overdue": selectors.is_overdue(meeting),
        "action_form": ActionItemForm(members=members, initial={"owner_id": request.user.pk}),
        "members": members,
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
        [(c.card.pk, c.card.text, c.card.group_id, c.votes, c.my_votes) for c in view.cards],
        [(g.pk, g.title) for g in view.groups],
        [(i.pk, i.done) for i in view.action_items],
        [e.pk for e in view.experiments_due],
    ]
    return hashlib.sha256(repr(state).encode()).hexdigest()[:16]


@login_required
@cached_partnership_page
def meeting_detail(request: AuthedRequest, pid: int, mid: int) -> HttpResponse:
    meeting = selectors.meeting_get(user=request.user, mid=mid, pid=pid)
    template = "rituals/retro.html" if meeting.is_retro else "rituals/one_on_one.html"
    return render(request, template, _meeting_context(request, meeting))


@login_required
@cached_partnership_page
def retro_live(request: AuthedRequest, pid: int, mid: int) -> HttpResponse:
    """The live board, polled every two seconds. Nothing changed since `v`: 204, nothing to swap."""
    meeting = selectors.meeting_get(user=request.user, mid=mid, pid=pid)
    context = _meeting_context(request, meeting)
    if request.GET.get("v") == context["version"]:
        return HttpResponse(status=204)
    return render(request, "rituals/_retro_live.html", context)


def _after_retro_action(request: AuthedRequest, meeting: Meeting) -> HttpResponse:
    if request.htmx:
        fresh = selectors.meeting_get(user=request.user, mid=meeting.pk)
        return render(request, "rituals/_retro_live.html", _meeting_context(request, fresh))
    return redirect("rituals-meeting", pid=meeting.partnership_id, mid=meeting.pk)


def _posted_id(request: AuthedRequest, name: str) -> int:
    value = request.POST.get(name, "")
    return int(value) if value.isdigit() else 0


def _posted_card(request: AuthedRequest, meeting: Meeting) -> Card:
    """The card a retro form names: one of this meeting's that the caller may see, or 404."""
    card = selectors.card_get(user=request.user, cid=_posted_id(request, "card"))
    if card.meeting_id != meeting.pk:
        raise NotFound()
    return card


def _retro_action(request: AuthedRequest, pid: int, mid: int, action: str) -> HttpResponse:
    meeting = selectors.meeting_get(user=request.user, mid=mid, pid=pid)
    try:
        if action == "card":
            services.card_add(
                meeting=meeting,
                user=request.user,
                column=request.POST.get("column", ""),
                text=request.POST.get("text", ""),
            )
        elif action == "reveal":
            services.meeting_reveal(meeting=meeting)
        elif action == "phase":
            services.meeting_phase_set(meeting=meeting, phase=request.POST.get("phase", ""))
        elif action == "group":
            card_ids = [_posted_id(request, "card"), _posted_id(request, "target")]
            services.card_group(meeting=meeting, card_ids=card_ids, title=request.POST.get("title", ""))
        elif action == "ungroup":
            services.card_ungroup(card=_posted_card(request, meeting))
        elif action == "rename":
            group = selectors.group_get(user=request.user, gid=_posted_id(request, "group"))
            services.group_rename(group=group, title=request.POST.get("title", ""))
        elif action == "vote":
            services.vote_add(card=_posted_card(request, meeting), user=request.user)
        elif action == "unvote":
            services.vote_remove(card=_posted_card(request, meeting), user=request.user)
        elif action == "delete":
            services.card_delete(card=_posted_card(request, meeting), user=request.user)
        else:
            raise NotFound()
    except (ValidationError, Conflict) as exc:
        message = " ".join(exc.messages) if isinstance(exc, ValidationError) else exc.message
        if request.htmx:
            fresh = selectors.meeting_get(user=request.user, mid=meeting.pk)
            return render(
                request, "rituals/_retro_live.html", _meeting_context(request, fresh, board_error=message), status=422
            )
        messages.error(request, message)
    return _after_retro_action(request, meeting)


@login_required
@require_POST
def retro_action(request: AuthedRequest, pid: int, mid: int, action: str) -> HttpResponse:
    return _retro_action(request, pid, mid, action)


@login_required
@require_POST
def meeting_update(request: AuthedRequest, pid: int, mid: int) -> HttpResponse:
    """Reschedule, cancel, save notes or complete the meeting."""
    meeting = selectors.meeting_get(user=request.user, mid=mid, pid=pid)
    what = request.POST.get("what", "")
    try:
        if what == "notes":
            notes_form = NotesForm(request.POST)
            if notes_form.is_valid():
                services.meeting_update(
                    meeting=meeting,
                    notes=notes_form.cleaned_data["notes"],
                    notes_revision=notes_form.cleaned_data["notes_revision"],
                )
                messages.success(request, "Notes saved.")
            else:
                messages.error(request, errors_text(notes_form))
        elif what == "reschedule":
            reschedule_form = RescheduleForm(request.POST)
            if reschedule_form.is_valid():
                when: datetime = reschedule_form.cleaned_data["scheduled_for"]
                services.meeting_update(meeting=meeting, scheduled_for=when)
                messages.success(request, "Rescheduled.")
            else:
                messages.error(request, errors_text(reschedule_form))
        elif what == "cancel":
            services.meeting_update(meeting=meeting, cancel=True)
            messages.success(request, "Cancelled. It stays in your history.")
        elif what == "complete":
            services.meeting_complete(meeting=meeting, user=request.user)
            messages.success(request, "Marked as held. Undiscussed points and open actions carry over to the next one.")
        else:
            raise NotFound()
    except Conflict as exc:
        if what == "notes":
            template = "rituals/retro.html" if meeting.is_retro else "rituals/one_on_one.html"
            fresh = selectors.meeting_get(user=request.user, mid=mid)
            conflict_form = NotesForm(
                initial={"notes": request.POST.get("notes", ""), "notes_revision": fresh.notes_revision}
            )
            return render(
                request,
                template,
                _meeting_context(request, fresh, notes_form=conflict_form, notes_conflict=exc.message),
                status=409,
            )
        messages.error(request, exc.message)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("rituals-meeting", pid=pid, mid=mid)


@login_required
@require_POST
def agenda_action(request: AuthedRequest, pid: int, mid: int) -> HttpResponse:
    meeting = selectors.meeting_get(user=request.user, mid=mid, pid=pid)
    what = request.POST.get("what", "")
    try:
        if what == "add":
            services.agenda_item_add(meeting=meeting, user=request.user, text=request.POST.get("text", ""))
        else:
            item = selectors.agenda_item_get(user=request.user, item_id=int(request.POST.get("item") or 0))
            if item.meeting_id != meeting.pk:
                raise NotFound()
            if what == "discussed":
                services.agenda_item_update(item=item, discussed=request.POST.get("value") == "1")
            elif what in ("up", "down"):
                services.agenda_item_update(item=item, move=-1 if what == "up" else 1)
            elif what == "delete":
                services.agenda_item_delete(item=item, user=request.user)
            else:
                raise NotFound()
    except (ValidationError, Conflict) as exc:
        messages.error(request, " ".join(exc.messages) if isinstance(exc, ValidationError) else exc.message)
    return redirect(f"/p/{pid}/iterate/meetings/{mid}/#agenda")


@login_required
@require_POST
def action_item_create(request: AuthedRequest, pid: int) -> HttpResponse:
    partnership = page_partnership(request, pid)
    form = ActionItemForm(request.POST, members=_members(partnership))
    meeting_id = int(request.POST["meeting"]) if request.POST.get("meeting", "").isdigit() else None
    card_id = int(request.POST["card"]) if request.POST.get("card", "").isdigit() else None
    if form.is_valid():
        try:
            services.action_item_create(
                partnership=partnership, user=request.user, meeting_id=meeting_id, card_id=card_id, **form.cleaned_data
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, "Action item added.")
    else:
        messages.error(request, errors_text(form))
    return _back(request, f"/p/{pid}/iterate/actions/")


@login_required
@require_POST
def action_item_toggle(request: AuthedRequest, pid: int, aid: int) -> HttpResponse:
    item = selectors.action_item_get(user=request.user, aid=aid)
    if item.partnership_id != pid:
        raise NotFound()
    services.action_item_update(item=item, done=request.POST.get("done") == "1")
    return _back(request, f"/p/{pid}/iterate/actions/")


@login_required
def action_items(request: AuthedRequest, pid: int) -> HttpResponse:
    partnership = page_partnership(request, pid)
    items = list(selectors.action_item_list(partnership=partnership))
    return render(
        request,
        "rituals/actions.html",
        {
            "partnership": partnership,
            "section": "iterate",
            "open_items": [i for i in items if not i.done],
            "done_items": sorted((i for i in items if i.done), key=lambda i: i.done_at or i.created_at, reverse=True)[
                :50
            ],
            "action_form": ActionItemForm(members=_members(partnership), initial={"owner_id": request.user.pk}),
        },
    )


@login_required
def experiments(request: AuthedRequest, pid: int) -> HttpResponse:
    partnership = page_partnership(request, pid)
    form = ExperimentForm(request.POST if request.method == "POST" else None)
    card_id = int(request.POST["card"]) if request.POST.get("card", "").isdigit() else None
    if request.method == "POST" and form.is_valid():
        try:
            experiment = services.experiment_create(
                partnership=partnership, user=request.user, card_id=card_id, **form.cleaned_data
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(
                request, f"Experiment “{experiment.title}” is running. You review it on {experiment.review_on:%-d %b}."
            )
            return _back(request, f"/p/{pid}/iterate/experiments/{experiment.pk}/")
    return render(
        request,
        "rituals/experiments.html",
        {
            "partnership": partnership,
            "section": "iterate",
            "experiments": list(selectors.experiment_list(partnership=partnership)),
            "form": form,
        },
    )


@login_required
def experiment_detail(request: AuthedRequest, pid: int, eid: int) -> HttpResponse:
    experiment = selectors.experiment_get(user=request.user, eid=eid)
    if experiment.partnership_id != pid:
        raise NotFound()
    form = VerdictForm(request.POST if request.method == "POST" else None, initial={"outcome": experiment.outcome})
    if request.method == "POST" and form.is_valid():
        services.experiment_update(experiment=experiment, **form.cleaned_data)
        messages.success(request, f"Verdict recorded: {experiment.get_status_display().lower()}.")
        return _back(request, f"/p/{pid}/iterate/experiments/{eid}/")
    return render(
        request,
        "rituals/experiment.html",
        {"partnership": experiment.partnership, "section": "iterate", "experiment": experiment, "form": form},
    )


@login_required
@require_POST
def experiment_to_charter(request: AuthedRequest, pid: int, eid: int) -> HttpResponse:
    experiment = selectors.experiment_get(user=request.user, eid=eid)
    if experiment.partnership_id != pid:
        raise NotFound()
    try:
        revision = services.experiment_charter_proposal(experiment=experiment, user=request.user)
    except Conflict as exc:
        messages.error(request, exc.message)
        return redirect("rituals-experiment", pid=pid, eid=eid)
    messages.success(request, "Proposed as a working agreement. It joins the charter when you both ratify it.")
    return redirect("charters-revision", pid=pid, rid=revision.pk)


@login_required
def retro_format(request: AuthedRequest, pid: int) -> HttpResponse:
    partnership = page_partnership(request, pid)
    fmt = services.retro_format_get(partnership=partnership)
    form = RetroFormatForm(
        request.POST if request.method == "POST" else None,
        initial={**fmt.labels(), "votes_per_person": fmt.votes_per_person},
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        votes = data.pop("votes_per_person")
        try:
            services.retro_format_update(partnership=partnership, labels=data, votes_per_person=votes)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, "Saved. Your next retros use these columns.")
            return redirect("rituals-home", pid=pid)
    return render(request, "rituals/format.html", {"partnership": partnership, "section": "iterate", "form": form})
