from __future__ import annotations

from dataclasses import asdict
from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from accord.charters import charts, selectors, services
from accord.charters.cadence import cadence_offers
from accord.charters.forms import CharterForm, MeasureForm, ReadingForm
from accord.charters.models import CharterRevision
from accord.charters.starter import STARTER_RATIONALE, starter_content
from accord.lib.dates import local_today
from accord.lib.errors import Conflict
from accord.lib.http import AuthedRequest
from accord.lib.live import live_response
from accord.lib.views import Failure, partnership_page, valid
from accord.partnerships.models import Partnership
from accord.partnerships.services import partnership_update


def _content(revision: CharterRevision) -> dict[str, Any]:
    return {
        "purpose": revision.purpose,
        "values": revision.values,
        "principles": revision.principles,
        "responsibilities": revision.responsibilities,
        "agreements": revision.agreements,
    }


@partnership_page()
def design_home(request: AuthedRequest, partnership: Partnership) -> HttpResponse:
    """The current charter, the proposals waiting for ratification, and the success measures."""
    current = selectors.charter_current(partnership=partnership)
    proposals = selectors.charter_proposals(partnership=partnership)
    measures = selectors.measure_list(partnership=partnership)
    return render(
        request,
        "charters/home.html",
        {
            "partnership": partnership,
            "section": "design",
            "current": current,
            "proposals": [
                (p, selectors.charter_revision_is_outdated(p, current), selectors.charter_revision_awaiting(p))
                for p in proposals
            ],
            "measures": [(m, charts.measure_chart(m)) for m in measures],
            "cadence_offers": cadence_offers(partnership=partnership, current=current),
        },
    )


@partnership_page(back="charters-home")
@require_POST
def cadence_adopt(request: AuthedRequest, partnership: Partnership) -> HttpResponse:
    """Set a ritual's cadence to what the current charter agrees (the button beside that agreement)."""
    current = selectors.charter_current(partnership=partnership)
    offer = next(
        (o for o in cadence_offers(partnership=partnership, current=current) if o.field == request.POST.get("field")),
        None,
    )
    if offer is None:
        raise Conflict("The charter and the settings agree on that already.")
    partnership_update(partnership=partnership, cadences={offer.field: offer.days})
    every = ngettext("every day", "every %(n)d days", offer.days) % {"n": offer.days}
    messages.success(request, f"Your {offer.ritual} are {every} now, as your charter says.")
    return redirect("charters-home", pid=partnership.pk)


def _propose_page(
    request: AuthedRequest,
    partnership: Partnership,
    failure: Failure | None = None,
    form: CharterForm | None = None,
    rebasing: CharterRevision | None = None,
) -> HttpResponse:
    current = selectors.charter_current(partnership=partnership)
    conflict = ""
    if failure is not None and isinstance(failure.error, Conflict):
        # Keep every word typed; point the form at the current version so sending again works.
        conflict = failure.message
        data = request.POST.copy()
        data["base"] = "" if current is None else str(current.number)
        form = CharterForm(data)
        form.is_valid()
    elif failure is not None:
        form = failure.form  # type: ignore[assignment]
    return render(
        request,
        "charters/propose.html",
        {
            "partnership": partnership,
            "section": "design",
            "form": form,
            "current": current,
            "conflict": conflict,
            "rebasing": rebasing,
        },
    )


@partnership_page(invalid=_propose_page)
def propose(request: AuthedRequest, partnership: Partnership) -> HttpResponse:
    """Propose a revision: start from the current charter, the starter template, or a proposal to rebase."""
    if request.method != "POST":
        return _propose_start(request, partnership)
    form = CharterForm(request.POST)
    data = valid(request, form)
    replaces = None
    if data.get("replaces"):
        replaces = selectors.charter_revision_get(user=request.user, rid=data["replaces"], pid=partnership.pk)
    revision = services.charter_propose(
        partnership=partnership,
        user=request.user,
        base=data.get("base"),
        content=form.content(),
        rationale=data["rationale"],
        ratify=data["ratify"],
        replaces=replaces,
    )
    note = "It is the current charter now." if revision.number else "Your partner can now ratify it."
    messages.success(request, f"Proposal saved. {note}")
    return redirect("charters-revision", pid=partnership.pk, rid=revision.pk)


def _propose_start(request: AuthedRequest, partnership: Partnership) -> HttpResponse:
    """The proposal form, from the current charter, the starter template (`?start=starter`) or a
    proposal to rebase (`?from=<id>`)."""
    current = selectors.charter_current(partnership=partnership)
    rebasing = None
    if request.GET.get("start") == "starter":
        content = {**asdict(starter_content(partnership)), "rationale": STARTER_RATIONALE}
    elif request.GET.get("from", "").isdigit():
        rebasing = selectors.charter_revision_get(user=request.user, rid=int(request.GET["from"]), pid=partnership.pk)
        content = {**_content(rebasing), "rationale": rebasing.rationale}
    elif current is not None:
        content = _content(current)
    else:
        content = {}
    initial = {**CharterForm.initial_from(content), "base": current.number if current else None, "ratify": True}
    if rebasing is not None and rebasing.author_id == request.user.pk:
        initial["replaces"] = rebasing.pk
    rows = len(content.get("responsibilities", [])) + 3
    form = CharterForm(initial=initial, rows=max(rows, 6))
    return _propose_page(request, partnership, form=form, rebasing=rebasing)


def _revision_page(request: AuthedRequest, partnership: Partnership, rid: int, template: str) -> HttpResponse:
    revision = selectors.charter_revision_get(user=request.user, rid=rid, pid=partnership.pk)
    current = selectors.charter_current(partnership=partnership)
    awaiting = selectors.charter_revision_awaiting(revision)
    return render(
        request,
        template,
        {
            "partnership": partnership,
            "section": "design",
            "revision": revision,
            "current": current,
            "diff": selectors.charter_revision_diff(revision.base, revision),
            "outdated": selectors.charter_revision_is_outdated(revision, current),
            "awaiting": awaiting,
            "awaiting_others": [m for m in awaiting if m.user_id != request.user.pk],
            "i_ratified": any(r.user_id == request.user.pk for r in revision.ratifications.all()),
        },
    )


@partnership_page()
def revision_detail(request: AuthedRequest, partnership: Partnership, rid: int) -> HttpResponse:
    return _revision_page(request, partnership, rid, "charters/revision.html")


@partnership_page(cache=True)
def revision_live(request: AuthedRequest, partnership: Partnership, rid: int) -> HttpResponse:
    """The revision's live region (accord.lib.live): its state and ratification."""
    return live_response(
        request, partnership, lambda: _revision_page(request, partnership, rid, "charters/_revision_live.html")
    )


@partnership_page(back="charters-revision")
@require_POST
def revision_ratify(request: AuthedRequest, partnership: Partnership, rid: int) -> HttpResponse:
    revision = selectors.charter_revision_get(user=request.user, rid=rid, pid=partnership.pk)
    revision = services.charter_revision_ratify(revision=revision, user=request.user)
    if revision.number:
        messages.success(request, f"Ratified by everyone: version {revision.number} is your charter now.")
    else:
        messages.success(request, "You ratified it. It takes effect when everyone has.")
    return redirect("charters-revision", pid=partnership.pk, rid=rid)


@partnership_page(back="charters-revision")
@require_POST
def revision_withdraw(request: AuthedRequest, partnership: Partnership, rid: int) -> HttpResponse:
    revision = selectors.charter_revision_get(user=request.user, rid=rid, pid=partnership.pk)
    services.charter_revision_withdraw(revision=revision, user=request.user)
    messages.success(request, "Proposal withdrawn. Its text stays in the history.")
    return redirect("charters-revision", pid=partnership.pk, rid=rid)


@partnership_page()
def history(request: AuthedRequest, partnership: Partnership) -> HttpResponse:
    revisions = selectors.charter_history(partnership=partnership)
    return render(
        request,
        "charters/history.html",
        {"partnership": partnership, "section": "design", "revisions": revisions},
    )


@partnership_page()
def compare(request: AuthedRequest, partnership: Partnership) -> HttpResponse:
    """Any two revisions side by side, as a diff from the older to the newer."""
    pid = partnership.pk
    try:
        a_id, b_id = int(request.GET.get("a", "")), int(request.GET.get("b", ""))
    except ValueError:
        messages.error(request, "Choose two revisions to compare.")
        return redirect("charters-history", pid=pid)
    a = selectors.charter_revision_get(user=request.user, rid=a_id, pid=pid)
    b = selectors.charter_revision_get(user=request.user, rid=b_id, pid=pid)
    old, new = sorted((a, b), key=lambda r: (r.created_at, r.pk))
    return render(
        request,
        "charters/compare.html",
        {
            "partnership": partnership,
            "section": "design",
            "old": old,
            "new": new,
            "diff": selectors.charter_revision_diff(old, new),
        },
    )


def _measure_new_page(
    request: AuthedRequest, partnership: Partnership, failure: Failure | None = None, form: MeasureForm | None = None
) -> HttpResponse:
    return render(
        request,
        "charters/measure_new.html",
        {"partnership": partnership, "section": "design", "form": failure.form if failure else form},
    )


@partnership_page(invalid=_measure_new_page)
def measure_new(request: AuthedRequest, partnership: Partnership) -> HttpResponse:
    if request.method != "POST":
        return _measure_new_page(request, partnership, form=MeasureForm())
    measure = services.measure_create(
        partnership=partnership, user=request.user, **valid(request, MeasureForm(request.POST))
    )
    messages.success(request, "Measure added. Take its first reading.")
    return redirect("charters-measure", pid=partnership.pk, mid=measure.pk)


def _measure_page(
    request: AuthedRequest, partnership: Partnership, failure: Failure | None = None, *, mid: int
) -> HttpResponse:
    measure = selectors.measure_get(user=request.user, mid=mid, pid=partnership.pk)
    today = local_today(partnership.timezone)
    view = selectors.measure_view(measure=measure)
    return render(
        request,
        "charters/measure.html",
        {
            "partnership": partnership,
            "section": "design",
            "view": view,
            "chart": charts.measure_chart(view),
            "form": failure.form if failure else ReadingForm(initial={"taken_on": today}),
        },
    )


@partnership_page(invalid=_measure_page)
def measure_detail(request: AuthedRequest, partnership: Partnership, mid: int) -> HttpResponse:
    if request.method != "POST":
        return _measure_page(request, partnership, mid=mid)
    measure = selectors.measure_get(user=request.user, mid=mid, pid=partnership.pk)
    services.measure_reading_add(measure=measure, user=request.user, **valid(request, ReadingForm(request.POST)))
    messages.success(request, "Reading saved.")
    return redirect(reverse("charters-measure", args=[partnership.pk, mid]))
