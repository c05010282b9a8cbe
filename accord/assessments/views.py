from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from accord.assessments import charts, selectors, services
from accord.assessments.forms import DimensionForm, parse_answer
from accord.assessments.models import CheckDimension, HealthCheck, Rating
from accord.lib.errors import ValidationError
from accord.lib.http import AuthedRequest
from accord.lib.live import live_response
from accord.lib.views import Failure, partnership_page, valid
from accord.partnerships.middleware import request_partnership
from accord.partnerships.models import Partnership

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
        "partnership": request_partnership(request, check.partnership_id),
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


@partnership_page(cache=True)
def assess_home(request: AuthedRequest, partnership: Partnership) -> HttpResponse:
    """Where the partnership stands: the open check, every past one, trends and the next one due."""
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


@partnership_page(back="assessments-home")
@require_POST
def check_start(request: AuthedRequest, partnership: Partnership) -> HttpResponse:
    check = services.healthcheck_open(partnership=partnership, user=request.user)
    return redirect("assessments-check", pid=partnership.pk, hid=check.pk)


@partnership_page(cache=True)
def check_detail(request: AuthedRequest, partnership: Partnership, hid: int) -> HttpResponse:
    check = selectors.healthcheck_get(user=request.user, hid=hid, pid=partnership.pk)
    return render(request, "assessments/check.html", _check_context(request, check))


def _answer_refused(request: AuthedRequest, partnership: Partnership, failure: Failure, hid: int) -> HttpResponse:
    """The answers as they were chosen and typed, each message beside its dimension."""
    check = selectors.healthcheck_get(user=request.user, hid=hid, pid=partnership.pk)
    error = failure.error
    by_field = error.message_dict if isinstance(error, ValidationError) and hasattr(error, "error_dict") else {}
    # Errors named after a rating ("today-<dimension>") go beside it; the service's go above the form.
    field_errors = {key: " ".join(found) for key, found in by_field.items() if "-" in key}
    form_error = "Some answers need another look: they are marked below." if field_errors else failure.message
    context = _check_context(request, check, typed=request.POST, field_errors=field_errors, form_error=form_error)
    return render(request, "assessments/check.html", context)


def _answer(request: AuthedRequest, partnership: Partnership, hid: int, *, submit: bool) -> HttpResponse:
    check = selectors.healthcheck_get(user=request.user, hid=hid, pid=partnership.pk)
    ratings, field_errors = parse_answer(request.POST, list(check.dimensions.all()), submit=submit)
    if field_errors:
        raise ValidationError(dict(field_errors))
    services.healthcheck_respond(check=check, user=request.user, ratings=ratings, submit=submit)
    messages.success(request, "Answers submitted." if submit else "Draft saved. Only you can see it.")
    return redirect("assessments-check", pid=partnership.pk, hid=hid)


@partnership_page(invalid=_answer_refused)
@require_POST
def check_answer(request: AuthedRequest, partnership: Partnership, hid: int) -> HttpResponse:
    return _answer(request, partnership, hid, submit=True)


@partnership_page(invalid=_answer_refused)
@require_POST
def check_draft(request: AuthedRequest, partnership: Partnership, hid: int) -> HttpResponse:
    return _answer(request, partnership, hid, submit=False)


@partnership_page(cache=True)
def check_live(request: AuthedRequest, partnership: Partnership, hid: int) -> HttpResponse:
    """The check's live region (accord.lib.live): who has answered, then the results."""

    def region() -> HttpResponse:
        check = selectors.healthcheck_get(user=request.user, hid=hid, pid=partnership.pk)
        return render(request, "assessments/_live.html", _check_context(request, check))

    return live_response(request, partnership, region)


@partnership_page(back="assessments-check")
@require_POST
def check_close(request: AuthedRequest, partnership: Partnership, hid: int) -> HttpResponse:
    check = selectors.healthcheck_get(user=request.user, hid=hid, pid=partnership.pk)
    services.healthcheck_close(check=check, user=request.user)
    return redirect("assessments-check", pid=partnership.pk, hid=hid)


def _template_page(
    request: AuthedRequest, partnership: Partnership, failure: Failure | None = None, dimension_id: int | None = None
) -> HttpResponse:
    """The partnership's own dimensions; after a refused addition (or edit of `dimension_id`), that
    form as it was typed, its errors beside its fields."""
    services.template_ensure(partnership=partnership)
    posted = failure.form if failure else None
    forms = [
        (
            d,
            posted
            if posted is not None and d.pk == dimension_id
            else DimensionForm(initial={"title": d.title, "description": d.description}, prefix=f"d{d.pk}"),
        )
        for d in selectors.dimension_list(partnership=partnership)
    ]
    add_form = posted if posted is not None and dimension_id is None else DimensionForm(prefix="new")
    return render(
        request,
        "assessments/template.html",
        {"partnership": partnership, "section": "assess", "forms": forms, "add_form": add_form},
    )


@partnership_page()
def template_edit(request: AuthedRequest, partnership: Partnership) -> HttpResponse:
    """The partnership's own dimensions: add, rename, reorder, retire and restore."""
    return _template_page(request, partnership)


@partnership_page(invalid=_template_page)
@require_POST
def dimension_add(request: AuthedRequest, partnership: Partnership) -> HttpResponse:
    services.dimension_add(partnership=partnership, **valid(request, DimensionForm(request.POST, prefix="new")))
    messages.success(request, "Dimension added. Your next check asks it.")
    return redirect("assessments-template", pid=partnership.pk)


@partnership_page(invalid=_template_page)
@require_POST
def dimension_update(request: AuthedRequest, partnership: Partnership, dimension_id: int) -> HttpResponse:
    data = valid(request, DimensionForm(request.POST, prefix=f"d{dimension_id}"))
    services.dimension_update(partnership=partnership, dimension_id=dimension_id, **data)
    messages.success(request, "Saved. Past checks keep the wording they were asked with.")
    return redirect("assessments-template", pid=partnership.pk)


def _dimension_change(
    partnership: Partnership, dimension_id: int, *, move: int = 0, retire: bool | None = None
) -> HttpResponse:
    if move:
        services.dimension_move(partnership=partnership, dimension_id=dimension_id, offset=move)
    else:
        services.dimension_retire(partnership=partnership, dimension_id=dimension_id, retire=bool(retire))
    return redirect("assessments-template", pid=partnership.pk)


@partnership_page(back="assessments-template")
@require_POST
def dimension_up(request: AuthedRequest, partnership: Partnership, dimension_id: int) -> HttpResponse:
    return _dimension_change(partnership, dimension_id, move=-1)


@partnership_page(back="assessments-template")
@require_POST
def dimension_down(request: AuthedRequest, partnership: Partnership, dimension_id: int) -> HttpResponse:
    return _dimension_change(partnership, dimension_id, move=1)


@partnership_page(back="assessments-template")
@require_POST
def dimension_retire(request: AuthedRequest, partnership: Partnership, dimension_id: int) -> HttpResponse:
    return _dimension_change(partnership, dimension_id, retire=True)


@partnership_page(back="assessments-template")
@require_POST
def dimension_restore(request: AuthedRequest, partnership: Partnership, dimension_id: int) -> HttpResponse:
    return _dimension_change(partnership, dimension_id, retire=False)
