from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from accord.assessments import charts, selectors, services
from accord.assessments.forms import DimensionForm, parse_answer
from accord.assessments.models import CheckDimension, HealthCheck, Rating
from accord.lib.errors import Conflict, ValidationError
from accord.lib.forms import add_errors
from accord.lib.http import AuthedRequest
from accord.lib.pagecache import cached_partnership_page
from accord.partnerships.views import page_partnership

SCALE = ["1", "2", "3", "4", "5"]


@dataclass(frozen=True)
class AnswerRow:
    """One dimension of the answer form, with what the member typed (or saved) and any errors."""

    dimension: CheckDimension
    today: str
    target: str
    guess: str
    note: str
    errors: dict[str, str]


def _answer_rows(view: selectors.CheckView, typed: QueryDict | None, field_errors: dict[str, str]) -> list[AnswerRow]:
    rows = []
    for d in view.dimensions:
        saved = view.my_ratings.get(d.key)

        def value(field: str, dimension: CheckDimension = d, rating: Rating | None = saved) -> str:
            if typed is not None:
                return str(typed.get(f"{field}-{dimension.key}", ""))
            stored = getattr(rating, field, None) if rating else None
            return "" if stored is None else str(stored)

        errors = {
            f: field_errors[f"{f}-{d.key}"]
            for f in ("today", "target", "guess", "note")
            if f"{f}-{d.key}" in field_errors
        }
        rows.append(AnswerRow(d, value("today"), value("target"), value("guess"), value("note"), errors))
    return rows


def _check_context(
    request: AuthedRequest,
    check: HealthCheck,
    *,
    typed: QueryDict | None = None,
    field_errors: dict[str, str] | None = None,
    form_error: str = "",
) -> dict[str, object]:
    previous = None if check.is_open else selectors.healthcheck_previous(check=check)
    view = selectors.healthcheck_view(check=check, user=request.user, previous=previous)
    context: dict[str, object] = {
        "partnership": check.partnership,
        "section": "assess",
        "view": view,
        "check": check,
        "previous": previous,
        "form_error": form_error,
        "scale": SCALE,
    }
    if view.results is not None:
        context["radar"] = charts.results_radar(view)
    elif not view.submitted or typed is not None:
        context["rows"] = _answer_rows(view, typed, field_errors or {})
    return context


@login_required
@cached_partnership_page
def assess_home(request: AuthedRequest, pid: int) -> HttpResponse:
    """Where the partnership stands: the open check, every past one, trends and the next one due."""
    partnership = page_partnership(request, pid)
    history = selectors.healthcheck_history(partnership=partnership)
    return render(
        request,
        "assessments/home.html",
        {
            "partnership": partnership,
            "section": "assess",
            "history": history,
            "trend_charts": charts.trend_charts(history),
        },
    )


@login_required
@require_POST
def check_start(request: AuthedRequest, pid: int) -> HttpResponse:
    partnership = page_partnership(request, pid)
    try:
        check = services.healthcheck_open(partnership=partnership, user=request.user)
    except Conflict as exc:
        messages.error(request, exc.message)
        return redirect("assessments-home", pid=partnership.pk)
    return redirect("assessments-check", pid=partnership.pk, hid=check.pk)


@login_required
@cached_partnership_page
def check_detail(request: AuthedRequest, pid: int, hid: int) -> HttpResponse:
    check = selectors.healthcheck_get(user=request.user, hid=hid, pid=pid)
    return render(request, "assessments/check.html", _check_context(request, check))


@login_required
@require_POST
def check_answer(request: AuthedRequest, pid: int, hid: int) -> HttpResponse:
    check = selectors.healthcheck_get(user=request.user, hid=hid, pid=pid)
    submit = request.POST.get("action") != "draft"
    ratings, field_errors = parse_answer(request.POST, list(check.dimensions.all()))
    form_error = ""
    if not field_errors:
        try:
            services.healthcheck_respond(check=check, user=request.user, ratings=ratings, submit=submit)
        except ValidationError as exc:
            form_error = " ".join(exc.messages)
        except Conflict as exc:
            messages.error(request, exc.message)
            return redirect("assessments-check", pid=pid, hid=hid)
        else:
            messages.success(request, "Answers submitted." if submit else "Draft saved. Only you can see it.")
            return redirect("assessments-check", pid=pid, hid=hid)
    context = _check_context(
        request,
        check,
        typed=request.POST,
        field_errors=field_errors,
        form_error=form_error or "Some answers need another look: they are marked below.",
    )
    return render(request, "assessments/check.html", context, status=422 if request.htmx else 200)


@login_required
@cached_partnership_page
def check_live(request: AuthedRequest, pid: int, hid: int) -> HttpResponse:
    """The waiting room's fragment, polled every few seconds: who has answered, then the results."""
    check = selectors.healthcheck_get(user=request.user, hid=hid, pid=pid)
    return render(request, "assessments/_live.html", _check_context(request, check))


@login_required
@require_POST
def check_close(request: AuthedRequest, pid: int, hid: int) -> HttpResponse:
    check = selectors.healthcheck_get(user=request.user, hid=hid, pid=pid)
    try:
        services.healthcheck_close(check=check, user=request.user)
    except Conflict as exc:
        messages.error(request, exc.message)
    return redirect("assessments-check", pid=pid, hid=hid)


@login_required
def template_edit(request: AuthedRequest, pid: int) -> HttpResponse:
    """The partnership's own dimensions: add, rename, reorder, retire and restore."""
    partnership = page_partnership(request, pid)
    add_form = DimensionForm(prefix="new")
    if request.method == "POST":
        action = request.POST.get("action", "")
        dimension_id = int(request.POST.get("dimension") or 0)
        try:
            if action == "add":
                add_form = DimensionForm(request.POST, prefix="new")
                if add_form.is_valid():
                    services.dimension_add(partnership=partnership, **add_form.cleaned_data)
                    messages.success(request, "Dimension added. Your next check asks it.")
                    return redirect("assessments-template", pid=pid)
            elif action == "update":
                form = DimensionForm(request.POST, prefix=f"d{dimension_id}")
                if not form.is_valid():
                    raise ValidationError(dict(form.errors.items()))
                services.dimension_update(partnership=partnership, dimension_id=dimension_id, **form.cleaned_data)
                messages.success(request, "Saved. Past checks keep the wording they were asked with.")
                return redirect("assessments-template", pid=pid)
            elif action in ("up", "down"):
                services.dimension_move(
                    partnership=partnership, dimension_id=dimension_id, offset=-1 if action == "up" else 1
                )
                return redirect("assessments-template", pid=pid)
            elif action in ("retire", "restore"):
                services.dimension_retire(partnership=partnership, dimension_id=dimension_id, retire=action == "retire")
                return redirect("assessments-template", pid=pid)
        except ValidationError as exc:
            if action == "add":
                add_errors(add_form, exc)
            else:
                messages.error(request, " ".join(exc.messages))
        except Conflict as exc:
            messages.error(request, exc.message)
    services.template_ensure(partnership=partnership)
    dimensions = selectors.dimension_list(partnership=partnership)
    forms = [
        (d, DimensionForm(initial={"title": d.title, "description": d.description}, prefix=f"d{d.pk}"))
        for d in dimensions
    ]
    return render(
        request,
        "assessments/template.html",
        {"partnership": partnership, "section": "assess", "forms": forms, "add_form": add_form},
    )
