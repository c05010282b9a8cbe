from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from accord.alignment import charts, selectors, services
from accord.alignment.forms import DecisionForm, KeyResultForm, ObjectionForm, ObjectiveForm, ReadingForm
from accord.alignment.models import Decision
from accord.lib.dates import local_today
from accord.lib.errors import Conflict, NotFound, ValidationError
from accord.lib.forms import add_errors, errors_text
from accord.lib.http import AuthedRequest, Request
from accord.partnerships import services as partnership_services
from accord.partnerships.middleware import use_partnership_zone
from accord.partnerships.models import Partnership
from accord.partnerships.selectors import partnership_by_team_secret
from accord.partnerships.views import page_partnership


@login_required
def align_home(request: AuthedRequest, pid: int) -> HttpResponse:
    """Objectives and their key results, decisions waiting for you, the intake queue, the team page."""
    return _align_home(request, page_partnership(request, pid))


def _align_home(
    request: AuthedRequest, partnership: Partnership, form: ObjectiveForm | None = None, status: int = 200
) -> HttpResponse:
    """The Align page; with `form`, the objective form as it was posted, its errors beside its fields."""
    objectives = selectors.objective_list(partnership=partnership)
    decisions = selectors.decision_list(partnership=partnership)
    return render(
        request,
        "alignment/home.html",
        {
            "partnership": partnership,
            "section": "align",
            "active": [
                (v, [(k, charts.key_result_chart(k)) for k in v.key_results]) for v in objectives if not v.archived
            ],
            "archived": [v for v in objectives if v.archived],
            "waiting": [d for d in decisions if d.decision.status == Decision.Status.PROPOSED],
            "recent": [d for d in decisions if d.decision.status == Decision.Status.AGREED][:5],
            "unaligned": sum(1 for d in decisions if d.unaligned and d.decision.status != Decision.Status.SUPERSEDED),
            "team_page_url": partnership_services.team_page_url(partnership, request),
            "form": form or ObjectiveForm(initial={"starts_on": local_today(partnership.timezone)}),
        },
        status=status,
    )


@login_required
@require_POST
def objective_create(request: AuthedRequest, pid: int) -> HttpResponse:
    partnership = page_partnership(request, pid)
    form = ObjectiveForm(request.POST)
    if form.is_valid():
        try:
            objective = services.objective_create(partnership=partnership, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, "Objective added. Give it a key result or two.")
            return redirect("alignment-objective", pid=pid, oid=objective.pk)
    # Everything typed comes back, each message beside its field; nothing was saved.
    return _align_home(request, partnership, form=form)


@login_required
def objective_detail(request: AuthedRequest, pid: int, oid: int) -> HttpResponse:
    objective = selectors.objective_get(user=request.user, oid=oid, pid=pid)
    kr_form = KeyResultForm(prefix="kr")
    if request.method == "POST":
        what = request.POST.get("what", "")
        try:
            if what == "key_result":
                kr_form = KeyResultForm(request.POST, prefix="kr")
                if kr_form.is_valid():
                    services.key_result_add(objective=objective, **kr_form.cleaned_data)
                    messages.success(request, "Key result added.")
                    return redirect("alignment-objective", pid=pid, oid=oid)
            elif what == "reading":
                kid = request.POST.get("key_result", "")
                kr = selectors.key_result_get(user=request.user, kid=int(kid) if kid.isdigit() else 0)
                if kr.objective_id != objective.pk:
                    raise NotFound()
                reading_form = ReadingForm(request.POST, prefix=f"r{kr.pk}")
                if reading_form.is_valid():
                    services.key_result_reading_add(key_result=kr, user=request.user, **reading_form.cleaned_data)
                    messages.success(request, "Reading saved.")
                else:
                    messages.error(request, errors_text(reading_form))
                return redirect("alignment-objective", pid=pid, oid=oid)
            elif what in ("archive", "restore"):
                services.objective_archive(objective=objective, archive=what == "archive")
                return redirect("alignment-objective", pid=pid, oid=oid)
            else:
                raise NotFound()
        except ValidationError as exc:
            if what == "key_result":
                add_errors(kr_form, exc)
            else:
                messages.error(request, " ".join(exc.messages))
                return redirect("alignment-objective", pid=pid, oid=oid)
    view = selectors.objective_view(objective=objective)
    today = local_today(objective.partnership.timezone)
    return render(
        request,
        "alignment/objective.html",
        {
            "partnership": objective.partnership,
            "section": "align",
            "view": view,
            "key_results": [
                (
                    k,
                    charts.key_result_chart(k),
                    ReadingForm(prefix=f"r{k.key_result.pk}", initial={"taken_on": today}),
                )
                for k in view.key_results
            ],
            "kr_form": kr_form,
        },
    )


def _objective_choices(partnership: Partnership) -> list[tuple[int, str]]:
    return [
        (v.objective.pk, v.objective.title) for v in selectors.objective_list(partnership=partnership) if not v.archived
    ]


@login_required
def decision_list(request: AuthedRequest, pid: int) -> HttpResponse:
    partnership = page_partnership(request, pid)
    show = request.GET.get("show", "")
    decisions = selectors.decision_list(partnership=partnership, kind="request" if show == "requests" else None)
    if show == "unaligned":
        decisions = [d for d in decisions if d.unaligned]
    return render(
        request,
        "alignment/decisions.html",
        {"partnership": partnership, "section": "align", "decisions": decisions, "show": show},
    )


@login_required
def decision_new(request: AuthedRequest, pid: int) -> HttpResponse:
    """Record a decision or an incoming request; `?revisits=<id>` starts from an earlier decision."""
    partnership = page_partnership(request, pid)
    kind = request.POST.get("kind") or request.GET.get("kind") or Decision.Kind.DECISION
    kind = kind if kind in Decision.Kind.values else Decision.Kind.DECISION
    revisits_raw = request.POST.get("revisits") or request.GET.get("revisits") or ""
    revisiting = (
        selectors.decision_get(user=request.user, did=int(revisits_raw), pid=pid) if revisits_raw.isdigit() else None
    )
    if revisiting is not None:
        kind = revisiting.kind
    choices = _objective_choices(partnership)
    if request.method == "POST":
        form = DecisionForm(request.POST, objectives=choices, kind=kind)
        if form.is_valid():
            data = form.cleaned_data
            content = services.DecisionContent(
                title=data["title"],
                context=data["context"],
                options=form.options_list(),
                evidence=data["evidence"],
                outcome=data["outcome"],
                objective_ids=data["objective_ids"],
                kind=kind,
                requester=data.get("requester", ""),
                needed_by=data.get("needed_by"),
                triage=data.get("triage", ""),
            )
            try:
                decision = services.decision_create(
                    partnership=partnership,
                    user=request.user,
                    content=content,
                    revisits=revisiting.pk if revisiting else None,
                )
            except ValidationError as exc:
                add_errors(form, exc)
            except Conflict as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, "Recorded. It is agreed once every partner has signed.")
                return redirect("alignment-decision", pid=pid, did=decision.pk)
    else:
        initial: dict[str, object] = {}
        if revisiting is not None:
            initial = {
                "title": revisiting.title,
                "context": revisiting.context,
                "options": "\n".join(revisiting.options),
                "evidence": revisiting.evidence,
                "outcome": revisiting.outcome,
                "objective_ids": [o.pk for o in revisiting.objectives.all()],
                "requester": revisiting.requester,
                "needed_by": revisiting.needed_by,
                "triage": revisiting.triage,
            }
        form = DecisionForm(initial=initial, objectives=choices, kind=kind)
    return render(
        request,
        "alignment/decision_new.html",
        {"partnership": partnership, "section": "align", "form": form, "kind": kind, "revisiting": revisiting},
    )


@login_required
def decision_detail(request: AuthedRequest, pid: int, did: int) -> HttpResponse:
    decision = selectors.decision_get(user=request.user, did=did, pid=pid)
    objection_form = ObjectionForm()
    if request.method == "POST":
        what = request.POST.get("what", "")
        try:
            if what == "sign":
                decision = services.decision_sign(decision=decision, user=request.user)
                messages.success(
                    request,
                    "Agreed by everyone."
                    if decision.status == Decision.Status.AGREED
                    else "Signed. Waiting for your partner.",
                )
                return redirect("alignment-decision", pid=pid, did=did)
            if what == "object":
                objection_form = ObjectionForm(request.POST)
                if objection_form.is_valid():
                    services.decision_object(decision=decision, user=request.user, **objection_form.cleaned_data)
                    messages.success(request, "Your objection is recorded; the decision stays open.")
                    return redirect("alignment-decision", pid=pid, did=did)
            elif what == "triage":
                services.decision_triage(decision=decision, triage=request.POST.get("triage", ""))
                messages.success(request, "Triage set. Both of you sign it to let it into the team.")
                return redirect("alignment-decision", pid=pid, did=did)
            else:
                raise NotFound()
        except Conflict as exc:
            messages.error(request, exc.message)
            return redirect("alignment-decision", pid=pid, did=did)
        except ValidationError as exc:
            if what == "object":
                add_errors(objection_form, exc)
            else:
                messages.error(request, " ".join(exc.messages))
    decision = selectors.decision_get(user=request.user, did=did, pid=pid)
    return render(
        request,
        "alignment/decision.html",
        {
            "partnership": decision.partnership,
            "section": "align",
            "view": selectors.decision_view(decision=decision),
            "decision": decision,
            "objection_form": objection_form,
            "mine": next((s for s in decision.signoffs.all() if s.user_id == request.user.pk), None),
        },
    )


@login_required
@require_POST
def team_page_publish(request: AuthedRequest, pid: int) -> HttpResponse:
    """Either partner publishes, regenerates or unpublishes the team page."""
    partnership = page_partnership(request, pid)
    what = request.POST.get("what", "")
    if what == "publish":
        partnership_services.partnership_update(partnership=partnership, team_page_published=True)
        messages.success(request, "Published. Share the link with your team.")
    elif what == "unpublish":
        partnership_services.partnership_update(partnership=partnership, team_page_published=False)
        messages.success(request, "Unpublished: the link no longer works.")
    elif what == "regenerate":
        partnership_services.partnership_team_page_regenerate(partnership=partnership)
        messages.success(request, "New link made; the old one no longer works.")
    else:
        raise NotFound()
    return redirect("alignment-home", pid=pid)


def team_page(request: Request, token: str) -> HttpResponse:
    """The read-only page partners publish for their team: only what both already agreed."""
    partnership = partnership_by_team_secret(secret=token)
    use_partnership_zone(partnership)
    return render(
        request, "alignment/team_page.html", {"team": partnership, "page": selectors.team_page(partnership=partnership)}
    )
