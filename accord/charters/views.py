from __future__ import annotations

from dataclasses import asdict
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from accord.charters import charts, selectors, services
from accord.charters.forms import CharterForm, MeasureForm, ReadingForm
from accord.charters.models import CharterRevision
from accord.charters.starter import STARTER_RATIONALE, starter_content
from accord.lib.dates import local_today
from accord.lib.errors import Conflict, ValidationError
from accord.lib.forms import add_errors
from accord.lib.http import AuthedRequest
from accord.partnerships.views import page_partnership


def _content(revision: CharterRevision) -> dict[str, Any]:
    return {
        "purpose": revision.purpose,
        "values": revision.values,
        "principles": revision.principles,
        "responsibilities": revision.responsibilities,
        "agreements": revision.agreements,
    }


@login_required
def design_home(request: AuthedRequest, pid: int) -> HttpResponse:
    """The current charter, the proposals waiting for ratification, and the success measures."""
    partnership = page_partnership(request, pid)
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
            "proposals": [(p, selectors.is_outdated(p, current), selectors.awaiting(p)) for p in proposals],
            "measures": [(m, charts.measure_chart(m)) for m in measures],
        },
    )


@login_required
def propose(request: AuthedRequest, pid: int) -> HttpResponse:
    """Propose a revision: start from the current charter, the starter template, or a proposal to rebase."""
    partnership = page_partnership(request, pid)
    current = selectors.charter_current(partnership=partnership)
    base_number = current.number if current else None
    conflict = ""
    rebasing = None
    if request.method == "POST":
        form = CharterForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            replaces = None
            if data.get("replaces"):
                replaces = selectors.charter_revision_get(user=request.user, rid=data["replaces"], pid=pid)
            try:
                revision = services.charter_propose(
                    partnership=partnership,
                    user=request.user,
                    base=data.get("base"),
                    content=form.content(),
                    rationale=data["rationale"],
                    ratify=data["ratify"],
                    replaces=replaces,
                )
            except ValidationError as exc:
                add_errors(form, exc)
            except Conflict as exc:
                # Keep every word typed; point the form at the current version so sending again works.
                conflict = exc.message
                data_copy = request.POST.copy()
                data_copy["base"] = "" if base_number is None else str(base_number)
                form = CharterForm(data_copy)
                form.is_valid()
            else:
                note = "It is the current charter now." if revision.number else "Your partner can now ratify it."
                messages.success(request, f"Proposal saved. {note}")
                return redirect("charters-revision", pid=pid, rid=revision.pk)
    else:
        if request.GET.get("start") == "starter":
            content = {**asdict(starter_content(partnership)), "rationale": STARTER_RATIONALE}
        elif request.GET.get("from", "").isdigit():
            rebasing = selectors.charter_revision_get(user=request.user, rid=int(request.GET["from"]), pid=pid)
            content = {**_content(rebasing), "rationale": rebasing.rationale}
        elif current is not None:
            content = _content(current)
        else:
            content = {}
        initial = {**CharterForm.initial_from(content), "base": base_number, "ratify": True}
        if rebasing is not None and rebasing.author_id == request.user.pk:
            initial["replaces"] = rebasing.pk
        rows = len(content.get("responsibilities", [])) + 3
        form = CharterForm(initial=initial, rows=max(rows, 6))
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


@login_required
def revision_detail(request: AuthedRequest, pid: int, rid: int) -> HttpResponse:
    revision = selectors.charter_revision_get(user=request.user, rid=rid, pid=pid)
    partnership = revision.partnership
    current = selectors.charter_current(partnership=partnership)
    return render(
        request,
        "charters/revision.html",
        {
            "partnership": partnership,
            "section": "design",
            "revision": revision,
            "current": current,
            "diff": selectors.revision_diff(revision.base, revision),
            "outdated": selectors.is_outdated(revision, current),
            "awaiting": selectors.awaiting(revision),
            "i_ratified": any(r.user_id == request.user.pk for r in revision.ratifications.all()),
        },
    )


@login_required
@require_POST
def revision_ratify(request: AuthedRequest, pid: int, rid: int) -> HttpResponse:
    revision = selectors.charter_revision_get(user=request.user, rid=rid, pid=pid)
    try:
        revision = services.charter_revision_ratify(revision=revision, user=request.user)
    except Conflict as exc:
        messages.error(request, exc.message)
    else:
        if revision.number:
            messages.success(request, f"Ratified by everyone: version {revision.number} is your charter now.")
        else:
            messages.success(request, "You ratified it. It takes effect when everyone has.")
    return redirect("charters-revision", pid=pid, rid=rid)


@login_required
@require_POST
def revision_withdraw(request: AuthedRequest, pid: int, rid: int) -> HttpResponse:
    revision = selectors.charter_revision_get(user=request.user, rid=rid, pid=pid)
    try:
        services.charter_revision_withdraw(revision=revision, user=request.user)
    except Conflict as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "Proposal withdrawn. Its text stays in the history.")
    return redirect("charters-revision", pid=pid, rid=rid)


@login_required
def history(request: AuthedRequest, pid: int) -> HttpResponse:
    partnership = page_partnership(request, pid)
    revisions = selectors.charter_history(partnership=partnership)
    return render(
        request,
        "charters/history.html",
        {"partnership": partnership, "section": "design", "revisions": revisions},
    )


@login_required
def compare(request: AuthedRequest, pid: int) -> HttpResponse:
    """Any two revisions side by side, as a diff from the older to the newer."""
    partnership = page_partnership(request, pid)
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
            "diff": selectors.revision_diff(old, new),
        },
    )


@login_required
def measure_new(request: AuthedRequest, pid: int) -> HttpResponse:
    partnership = page_partnership(request, pid)
    form = MeasureForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            measure = services.measure_create(partnership=partnership, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, "Measure added. Take its first reading.")
            return redirect("charters-measure", pid=pid, mid=measure.pk)
    return render(request, "charters/measure_new.html", {"partnership": partnership, "section": "design", "form": form})


@login_required
def measure_detail(request: AuthedRequest, pid: int, mid: int) -> HttpResponse:
    measure = selectors.measure_get(user=request.user, mid=mid, pid=pid)
    today = local_today(measure.partnership.timezone)
    form = ReadingForm(request.POST if request.method == "POST" else None, initial={"taken_on": today})
    if request.method == "POST" and form.is_valid():
        try:
            services.measure_reading_add(measure=measure, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, "Reading saved.")
            return redirect(reverse("charters-measure", args=[pid, mid]))
    view = selectors.measure_view(measure=measure)
    return render(
        request,
        "charters/measure.html",
        {
            "partnership": measure.partnership,
            "section": "design",
            "view": view,
            "chart": charts.measure_chart(view),
            "form": form,
        },
    )
