"""Iterate: the cadence's sessions, action items, experiments and the retro format. A meeting's
own pages are in views_meeting."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from accord.lib.errors import NotFound
from accord.lib.http import AuthedRequest
from accord.lib.views import Failure, partnership_page, valid
from accord.partnerships.models import Partnership
from accord.rituals import selectors, services
from accord.rituals.forms import ActionItemForm, ExperimentForm, MeetingForm, RetroFormatForm, VerdictForm
from accord.rituals.models import Experiment, Meeting


def members(partnership: Partnership) -> list[tuple[int, str]]:
    return [(m.user_id, m.user.name) for m in partnership.memberships.all()]


def _back(request: AuthedRequest, fallback: str) -> HttpResponse:
    """Back to where a small form was sent from (our own pages only), else `fallback`."""
    target = request.POST.get("next", "")
    return redirect(target if target.startswith("/p/") else fallback)


def _home(request: AuthedRequest, partnership: Partnership, failure: Failure | None = None) -> HttpResponse:
    """Next sessions from the cadence, open action items, experiments, and past meetings; after a
    refused plan, the form as it was filled in."""
    meetings = list(selectors.meeting_list(partnership=partnership)[:40])
    return render(
        request,
        "rituals/home.html",
        {
            "partnership": partnership,
            "section": "iterate",
            "upcoming": selectors.meeting_list_upcoming(partnership=partnership),
            "planned": [m for m in meetings if m.status == Meeting.Status.PLANNED][::-1],
            "past": [m for m in meetings if m.status != Meeting.Status.PLANNED],
            "open_items": list(selectors.action_item_list(partnership=partnership, open_only=True)),
            "experiments": [e for e in selectors.experiment_list(partnership=partnership) if e.status == "running"],
            "form": failure.form if failure else MeetingForm(),
        },
    )


@partnership_page(cache=True)
def rituals_home(request: AuthedRequest, partnership: Partnership) -> HttpResponse:
    return _home(request, partnership)


@partnership_page(invalid=_home)
@require_POST
def meeting_plan(request: AuthedRequest, partnership: Partnership) -> HttpResponse:
    data = valid(request, MeetingForm(request.POST))
    meeting = services.meeting_create(partnership=partnership, user=request.user, **data)
    return redirect("rituals-meeting", pid=partnership.pk, mid=meeting.pk)


def _actions_page(request: AuthedRequest, partnership: Partnership, failure: Failure | None = None) -> HttpResponse:
    """Every action item; after a refused one (from whichever page), the form as it was filled in."""
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
            "members": members(partnership),
            "failed_action": failure.form if failure else None,
        },
    )


@partnership_page()
def action_items(request: AuthedRequest, partnership: Partnership) -> HttpResponse:
    return _actions_page(request, partnership)


def _posted_id(request: AuthedRequest, name: str) -> int | None:
    value = request.POST.get(name, "")
    return int(value) if value.isdigit() else None


@partnership_page(invalid=_actions_page)
@require_POST
def action_item_create(request: AuthedRequest, partnership: Partnership) -> HttpResponse:
    data = valid(request, ActionItemForm(request.POST, members=members(partnership)))
    meeting_id, card_id = _posted_id(request, "meeting"), _posted_id(request, "card")
    services.action_item_create(
        partnership=partnership, user=request.user, meeting_id=meeting_id, card_id=card_id, **data
    )
    messages.success(request, "Action item added.")
    return _back(request, f"/p/{partnership.pk}/iterate/actions/")


@partnership_page(back="rituals-actions")
@require_POST
def action_item_toggle(request: AuthedRequest, partnership: Partnership, aid: int) -> HttpResponse:
    item = selectors.action_item_get(user=request.user, aid=aid)
    if item.partnership_id != partnership.pk:
        raise NotFound()
    services.action_item_update(item=item, done=request.POST.get("done") == "1")
    return _back(request, f"/p/{partnership.pk}/iterate/actions/")


def _experiments_page(
    request: AuthedRequest, partnership: Partnership, failure: Failure | None = None, form: ExperimentForm | None = None
) -> HttpResponse:
    return render(
        request,
        "rituals/experiments.html",
        {
            "partnership": partnership,
            "section": "iterate",
            "experiments": list(selectors.experiment_list(partnership=partnership)),
            "form": failure.form if failure else form,
        },
    )


@partnership_page(invalid=_experiments_page)
def experiments(request: AuthedRequest, partnership: Partnership) -> HttpResponse:
    if request.method != "POST":
        return _experiments_page(request, partnership, form=ExperimentForm())
    data = valid(request, ExperimentForm(request.POST))
    experiment = services.experiment_create(
        partnership=partnership, user=request.user, card_id=_posted_id(request, "card"), **data
    )
    messages.success(
        request, f"Experiment “{experiment.title}” is running. You review it on {experiment.review_on:%-d %b}."
    )
    return _back(request, f"/p/{partnership.pk}/iterate/experiments/{experiment.pk}/")


def _experiment(request: AuthedRequest, partnership: Partnership, eid: int) -> Experiment:
    experiment = selectors.experiment_get(user=request.user, eid=eid)
    if experiment.partnership_id != partnership.pk:
        raise NotFound()
    return experiment


def _experiment_page(
    request: AuthedRequest, partnership: Partnership, failure: Failure | None = None, *, eid: int
) -> HttpResponse:
    experiment = _experiment(request, partnership, eid)
    form = failure.form if failure else VerdictForm(initial={"outcome": experiment.outcome})
    return render(
        request,
        "rituals/experiment.html",
        {"partnership": partnership, "section": "iterate", "experiment": experiment, "form": form},
    )


@partnership_page(invalid=_experiment_page)
def experiment_detail(request: AuthedRequest, partnership: Partnership, eid: int) -> HttpResponse:
    if request.method != "POST":
        return _experiment_page(request, partnership, eid=eid)
    experiment = _experiment(request, partnership, eid)
    services.experiment_update(experiment=experiment, **valid(request, VerdictForm(request.POST)))
    messages.success(request, f"Verdict recorded: {experiment.get_status_display().lower()}.")
    return _back(request, f"/p/{partnership.pk}/iterate/experiments/{eid}/")


@partnership_page(back="rituals-experiment")
@require_POST
def experiment_to_charter(request: AuthedRequest, partnership: Partnership, eid: int) -> HttpResponse:
    revision = services.experiment_charter_proposal(
        experiment=_experiment(request, partnership, eid), user=request.user
    )
    messages.success(request, "Proposed as a working agreement. It joins the charter when you both ratify it.")
    return redirect("charters-revision", pid=partnership.pk, rid=revision.pk)


def _format_page(
    request: AuthedRequest,
    partnership: Partnership,
    failure: Failure | None = None,
    form: RetroFormatForm | None = None,
) -> HttpResponse:
    return render(
        request,
        "rituals/format.html",
        {"partnership": partnership, "section": "iterate", "form": failure.form if failure else form},
    )


@partnership_page(invalid=_format_page)
def retro_format(request: AuthedRequest, partnership: Partnership) -> HttpResponse:
    if request.method != "POST":
        fmt = services.retro_format_get(partnership=partnership)
        form = RetroFormatForm(initial={**fmt.labels(), "votes_per_person": fmt.votes_per_person})
        return _format_page(request, partnership, form=form)
    data = dict(valid(request, RetroFormatForm(request.POST)))
    votes = data.pop("votes_per_person")
    services.retro_format_update(partnership=partnership, labels=data, votes_per_person=votes)
    messages.success(request, "Saved. Your next retros use these columns.")
    return redirect("rituals-home", pid=partnership.pk)
