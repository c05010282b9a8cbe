from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from accord.alignment import charts, selectors, services
from accord.alignment.forms import DecisionForm, KeyResultForm, ObjectionForm, ObjectiveForm, ReadingForm
from accord.alignment.models import Decision, KeyResult, Objective
from accord.lib.dates import local_today
from accord.lib.errors import NotFound
from accord.lib.http import AuthedRequest, Request
from accord.lib.live import live_response
from accord.lib.views import Failure, partnership_page, valid
from accord.partnerships import services as partnership_services
from accord.partnerships.middleware import use_partnership_zone
from accord.partnerships.models import Partnership
from accord.partnerships.selectors import partnership_get_by_team_secret


def _align_home(request: AuthedRequest, partnership: Partnership, failure: Failure | None = None) -> HttpResponse:
    """The Align page; after a refused objective, the form as it was posted, its errors beside its fields."""
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
            "form": failure.form
            if failure
            else ObjectiveForm(initial={"starts_on": local_today(partnership.timezone)}),
        },
    )


@partnership_page()
def align_home(request: AuthedRequest, partnership: Partnership) -> HttpResponse:
    """Objectives and their key results, decisions waiting for you, the intake queue, the team page."""
    return _align_home(request, partnership)


@partnership_page(invalid=_align_home)
@require_POST
def objective_create(request: AuthedRequest, partnership: Partnership) -> HttpResponse:
    data = valid(request, ObjectiveForm(request.POST))
    objective = services.objective_create(partnership=partnership, user=request.user, **data)
    messages.success(request, "Objective added. Give it a key result or two.")
    return redirect("alignment-objective", pid=partnership.pk, oid=objective.pk)


def _objective_page(
    request: AuthedRequest, objective: Objective, failure: Failure | None = None, reading_of: int | None = None
) -> HttpResponse:
    """An objective; after a refused key result (or reading of key result `reading_of`), that form
    as it was posted, its errors beside its fields."""
    view = selectors.objective_view(objective=objective)
    today = local_today(objective.partnership.timezone)
    posted = failure.form if failure else None
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
                    posted
                    if posted is not None and reading_of == k.key_result.pk
                    else ReadingForm(prefix=f"r{k.key_result.pk}", initial={"taken_on": today}),
                )
                for k in view.key_results
            ],
            "kr_form": posted if posted is not None and reading_of is None else KeyResultForm(prefix="kr"),
        },
    )


@partnership_page()
def objective_detail(request: AuthedRequest, partnership: Partnership, oid: int) -> HttpResponse:
    return _objective_page(request, selectors.objective_get(user=request.user, oid=oid, pid=partnership.pk))


def _objective_refused(request: AuthedRequest, partnership: Partnership, failure: Failure, oid: int) -> HttpResponse:
    return _objective_page(request, selectors.objective_get(user=request.user, oid=oid, pid=partnership.pk), failure)


@partnership_page(invalid=_objective_refused)
@require_POST
def key_result_add(request: AuthedRequest, partnership: Partnership, oid: int) -> HttpResponse:
    objective = selectors.objective_get(user=request.user, oid=oid, pid=partnership.pk)
    services.key_result_add(objective=objective, **valid(request, KeyResultForm(request.POST, prefix="kr")))
    messages.success(request, "Key result added.")
    return redirect("alignment-objective", pid=partnership.pk, oid=oid)


def _key_result(request: AuthedRequest, partnership: Partnership, kid: int) -> KeyResult:
    kr = selectors.key_result_get(user=request.user, kid=kid)
    if kr.objective.partnership_id != partnership.pk:
        raise NotFound()
    return kr


def _reading_refused(request: AuthedRequest, partnership: Partnership, failure: Failure, kid: int) -> HttpResponse:
    kr = _key_result(request, partnership, kid)
    objective = selectors.objective_get(user=request.user, oid=kr.objective_id, pid=partnership.pk)
    return _objective_page(request, objective, failure, reading_of=kid)


@partnership_page(invalid=_reading_refused)
@require_POST
def key_result_reading_add(request: AuthedRequest, partnership: Partnership, kid: int) -> HttpResponse:
    kr = _key_result(request, partnership, kid)
    data = valid(request, ReadingForm(request.POST, prefix=f"r{kid}"))
    services.key_result_reading_add(key_result=kr, user=request.user, **data)
    messages.success(request, "Reading saved.")
    return redirect("alignment-objective", pid=partnership.pk, oid=kr.objective_id)


def _objective_archive(request: AuthedRequest, partnership: Partnership, oid: int, *, archive: bool) -> HttpResponse:
    objective = selectors.objective_get(user=request.user, oid=oid, pid=partnership.pk)
    services.objective_archive(objective=objective, archive=archive)
    if archive:
        messages.success(request, f"“{objective.title}” is archived. Bring it back from this page any time.")
    else:
        messages.success(request, f"“{objective.title}” is back among the active objectives.")
    return redirect("alignment-objective", pid=partnership.pk, oid=oid)


@partnership_page(back="alignment-objective")
def objective_archive(request: AuthedRequest, partnership: Partnership, oid: int) -> HttpResponse:
    """Archiving asks once, on its own page (opening this address); the button there archives."""
    if request.method != "POST":
        objective = selectors.objective_get(user=request.user, oid=oid, pid=partnership.pk)
        return render(request, "alignment/objective_archive.html", {"partnership": partnership, "objective": objective})
    return _objective_archive(request, partnership, oid, archive=True)


@partnership_page(back="alignment-objective")
@require_POST
def objective_restore(request: AuthedRequest, partnership: Partnership, oid: int) -> HttpResponse:
    return _objective_archive(request, partnership, oid, archive=False)


def _objective_choices(partnership: Partnership) -> list[tuple[int, str]]:
    return [
        (v.objective.pk, v.objective.title) for v in selectors.objective_list(partnership=partnership) if not v.archived
    ]


@partnership_page()
def decision_list(request: AuthedRequest, partnership: Partnership) -> HttpResponse:
    show = request.GET.get("show", "")
    decisions = selectors.decision_list(partnership=partnership, kind="request" if show == "requests" else None)
    if show == "unaligned":
        decisions = [d for d in decisions if d.unaligned]
    return render(
        request,
        "alignment/decisions.html",
        {"partnership": partnership, "section": "align", "decisions": decisions, "show": show},
    )


def _decision_kind(request: AuthedRequest, partnership: Partnership) -> tuple[str, Decision | None]:
    """The kind of decision the new-decision form records, and the decision it revisits if any
    (`?revisits=<id>`)."""
    kind = request.POST.get("kind") or request.GET.get("kind") or Decision.Kind.DECISION
    kind = kind if kind in Decision.Kind.values else Decision.Kind.DECISION
    revisits_raw = request.POST.get("revisits") or request.GET.get("revisits") or ""
    revisiting = (
        selectors.decision_get(user=request.user, did=int(revisits_raw), pid=partnership.pk)
        if revisits_raw.isdigit()
        else None
    )
    return (revisiting.kind if revisiting else kind), revisiting


def _decision_new_page(
    request: AuthedRequest, partnership: Partnership, failure: Failure | None = None, form: DecisionForm | None = None
) -> HttpResponse:
    kind, revisiting = _decision_kind(request, partnership)
    return render(
        request,
        "alignment/decision_new.html",
        {
            "partnership": partnership,
            "section": "align",
            "form": failure.form if failure else form,
            "kind": kind,
            "revisiting": revisiting,
        },
    )


@partnership_page(invalid=_decision_new_page)
def decision_new(request: AuthedRequest, partnership: Partnership) -> HttpResponse:
    """Record a decision or an incoming request; `?revisits=<id>` starts from an earlier decision."""
    kind, revisiting = _decision_kind(request, partnership)
    choices = _objective_choices(partnership)
    if request.method != "POST":
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
        return _decision_new_page(
            request, partnership, form=DecisionForm(initial=initial, objectives=choices, kind=kind)
        )
    posted = DecisionForm(request.POST, objectives=choices, kind=kind)
    data = valid(request, posted)
    content = services.DecisionContent(
        title=data["title"],
        context=data["context"],
        options=posted.options_list(),
        evidence=data["evidence"],
        outcome=data["outcome"],
        objective_ids=data["objective_ids"],
        kind=kind,
        requester=data.get("requester", ""),
        needed_by=data.get("needed_by"),
        triage=data.get("triage", ""),
    )
    decision = services.decision_create(
        partnership=partnership,
        user=request.user,
        content=content,
        revisits=revisiting.pk if revisiting else None,
        sign=data["agree"],
    )
    if decision.status == Decision.Status.AGREED:
        messages.success(request, "Recorded and agreed: everyone has signed.")
    elif decision.signoffs.filter(user=request.user).exists():
        messages.success(request, "Recorded with your sign-off. It is agreed once every partner has signed.")
    else:
        messages.success(request, "Recorded. It is agreed once every partner has signed.")
    return redirect("alignment-decision", pid=partnership.pk, did=decision.pk)


def _decision_page(
    request: AuthedRequest,
    partnership: Partnership,
    failure: Failure | None = None,
    *,
    did: int,
    template: str = "alignment/decision.html",
) -> HttpResponse:
    """A decision; after a refused objection, the objection as it was typed, its errors beside it."""
    decision = selectors.decision_get(user=request.user, did=did, pid=partnership.pk)
    return render(
        request,
        template,
        {
            "partnership": partnership,
            "section": "align",
            "view": selectors.decision_view(decision=decision),
            "decision": decision,
            "objection_form": failure.form if failure else ObjectionForm(),
            "mine": next((s for s in decision.signoffs.all() if s.user_id == request.user.pk), None),
        },
    )


@partnership_page()
def decision_detail(request: AuthedRequest, partnership: Partnership, did: int) -> HttpResponse:
    return _decision_page(request, partnership, did=did)


@partnership_page(cache=True)
def decision_live(request: AuthedRequest, partnership: Partnership, did: int) -> HttpResponse:
    """The decision's live region (accord.lib.live): its state and sign-off."""
    return live_response(
        request,
        partnership,
        lambda: _decision_page(request, partnership, did=did, template="alignment/_decision_live.html"),
    )


@partnership_page(back="alignment-decision")
@require_POST
def decision_sign(request: AuthedRequest, partnership: Partnership, did: int) -> HttpResponse:
    decision = selectors.decision_get(user=request.user, did=did, pid=partnership.pk)
    decision = services.decision_sign(decision=decision, user=request.user)
    agreed = decision.status == Decision.Status.AGREED
    messages.success(request, "Agreed by everyone." if agreed else "Signed. Waiting for your partner.")
    return redirect("alignment-decision", pid=partnership.pk, did=did)


@partnership_page(invalid=_decision_page)
@require_POST
def decision_object(request: AuthedRequest, partnership: Partnership, did: int) -> HttpResponse:
    decision = selectors.decision_get(user=request.user, did=did, pid=partnership.pk)
    services.decision_object(decision=decision, user=request.user, **valid(request, ObjectionForm(request.POST)))
    messages.success(request, "Your objection is recorded; the decision stays open.")
    return redirect("alignment-decision", pid=partnership.pk, did=did)


@partnership_page(back="alignment-decision")
@require_POST
def decision_triage(request: AuthedRequest, partnership: Partnership, did: int) -> HttpResponse:
    decision = selectors.decision_get(user=request.user, did=did, pid=partnership.pk)
    services.decision_triage(decision=decision, triage=request.POST.get("triage", ""))
    messages.success(request, "Triage set. Both of you sign it to let it into the team.")
    return redirect("alignment-decision", pid=partnership.pk, did=did)


def _team_page_change(request: AuthedRequest, partnership: Partnership, published: bool | None) -> HttpResponse:
    """Publish or unpublish the team page, or give it a new link (`published` None)."""
    if published is None:
        partnership_services.partnership_team_page_regenerate(partnership=partnership)
        messages.success(request, "New link made; the old one no longer works.")
    else:
        partnership_services.partnership_update(partnership=partnership, team_page_published=published)
        messages.success(
            request,
            "Published. Share the link with your team." if published else "Unpublished: the link no longer works.",
        )
    return redirect("alignment-home", pid=partnership.pk)


@partnership_page(back="alignment-home")
@require_POST
def team_page_publish(request: AuthedRequest, partnership: Partnership) -> HttpResponse:
    return _team_page_change(request, partnership, published=True)


@partnership_page(back="alignment-home")
@require_POST
def team_page_unpublish(request: AuthedRequest, partnership: Partnership) -> HttpResponse:
    return _team_page_change(request, partnership, published=False)


@partnership_page(back="alignment-home")
@require_POST
def team_page_regenerate(request: AuthedRequest, partnership: Partnership) -> HttpResponse:
    return _team_page_change(request, partnership, published=None)


def team_page(request: Request, token: str) -> HttpResponse:
    """The read-only page partners publish for their team: only what both already agreed."""
    partnership = partnership_get_by_team_secret(secret=token)
    use_partnership_zone(partnership)
    return render(
        request,
        "alignment/team_page.html",
        {"team": partnership, "page": selectors.team_page_get(partnership=partnership)},
    )
