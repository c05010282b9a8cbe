"""One door for pages (STYLE.md rule 10): every page view of a partnership (or an organisation) is
wrapped by one decorator that signs the visitor in, resolves what the URL names once (the access
check; outsiders get 404, the same answer as "does not exist"), serves it from the page cache where
asked, and maps domain errors in one place, as `accord.api` does for the API:

- `ValidationError` (from a form, through `valid()`, or from a service): the view's `invalid`
  renderer draws the page again with the bound form, everything typed kept and each message beside
  its field. Without a renderer: a message and back.
- `Conflict` (or `Forbidden`, a role the member lacks): the same renderer with the message above the
  form, or a message and back.

A refused page is a 200 (the page, drawn again); a refused htmx fragment too, swapped in like any
other, with the refusal's status (422, 409 or 403) in the `Accord-Refused` header: a 4xx would be
logged as a failed load in the browser's console, and this is the form doing its job. The API keeps
its 4xx statuses.
- `NotFound`: 404.

A page action is then a few lines, like its API endpoint:

    @partnership_page(invalid=_with_form)
    @require_POST
    def objective_create(request, partnership):
        data = valid(request, ObjectiveForm(request.POST))
        objective = services.objective_create(partnership=partnership, user=request.user, **data)
        return redirect("alignment-objective", pid=partnership.pk, oid=objective.pk)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import NoReverseMatch, reverse
from django.utils.http import url_has_allowed_host_and_scheme

from accord.lib.errors import Conflict, Forbidden, ValidationError
from accord.lib.forms import add_errors, errors_text
from accord.lib.http import AuthedRequest
from accord.lib.pagecache import serve_cached

if TYPE_CHECKING:
    from accord.partnerships.models import Partnership

__all__ = ["REFUSED_HEADER", "Failure", "org_page", "own_page", "partnership_page", "remember_partnership", "valid"]


REFUSED_HEADER = "Accord-Refused"

# (request, partnership or organisation [, role], **the URL's other arguments) -> a response
type PageView = Callable[..., HttpResponse]


class Invalid(Exception):
    """A posted form did not validate: its errors are on the form already."""


@dataclass(frozen=True)
class Failure:
    """Why a page action was refused, for the view's `invalid` renderer."""

    error: ValidationError | Conflict | Forbidden | Invalid
    form: forms.BaseForm | None
    message: str
    status: int

    @property
    def field(self) -> str:
        """The field the refusal is about, for a hand-written form to mark ("" when none is named)."""
        if isinstance(self.error, ValidationError) and hasattr(self.error, "error_dict"):
            return next(iter(self.error.error_dict), "")
        return ""


def valid(request: AuthedRequest, form: forms.BaseForm) -> dict[str, Any]:
    """The cleaned data of a posted `form`, which becomes the form the page draws again should this
    request fail (here, or in the service it goes on to call)."""
    request._accord_form = form  # type: ignore[attr-defined]
    if not form.is_valid():
        raise Invalid()
    return form.cleaned_data


def remember_partnership(request: AuthedRequest, pid: int) -> None:
    """The partnership the user is working in, for the switcher; the session is written only when
    it changes, so reading pages does not write."""
    if request.session.get("partnership_id") != pid:
        request.session["partnership_id"] = pid


def _failure(request: AuthedRequest, error: ValidationError | Conflict | Forbidden | Invalid) -> Failure:
    form: forms.BaseForm | None = getattr(request, "_accord_form", None)
    if isinstance(error, Conflict | Forbidden):
        if form is not None:
            form.add_error(None, error.message)
        status = 409 if isinstance(error, Conflict) else 403
        return Failure(error, form, error.message, status)
    if isinstance(error, ValidationError) and form is not None:
        add_errors(form, error)  # type: ignore[arg-type]
    if form is not None and form.errors:
        message = errors_text(form)  # type: ignore[arg-type]
    else:
        message = " ".join(error.messages) if isinstance(error, ValidationError) else "Check what you typed."
    return Failure(error, form, message, 422)


def _back(request: AuthedRequest, back: str, kwargs: dict[str, Any]) -> str:
    """Where a refused action sends the user: the page the form says it came from (`next`, ours
    only), else the URL named `back` (`name#anchor`) with as many of the view's arguments as it takes."""
    target = request.POST.get("next", "")
    if target.startswith("/") and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    name, _, anchor = back.partition("#")
    names = list(kwargs)
    while True:
        try:
            url = reverse(name, kwargs={k: kwargs[k] for k in names})
        except NoReverseMatch:
            if not names:
                raise
            names.pop()
        else:
            return f"{url}#{anchor}" if anchor else url


def _door(
    request: AuthedRequest,
    view: PageView,
    args: tuple[object, ...],
    kwargs: dict[str, Any],
    *,
    cache: tuple[str, int | str, object] | None,
    invalid: PageView | None,
    back: tuple[str, dict[str, Any]],
) -> HttpResponse:
    """The view's response (from the page cache under `cache`'s scope, version and birth when it is
    given), or its refusal drawn in one place."""
    try:
        if cache is None:
            response = view(request, *args, **kwargs)
        else:
            response = serve_cached(request, *cache, lambda: view(request, *args, **kwargs))
    except (Invalid, ValidationError, Conflict, Forbidden) as error:
        failure = _failure(request, error)
    else:
        if response.status_code == 405 and request.method == "GET" and not request.htmx:
            # An action's address, opened again (it stays in the address bar after a refused form
            # was drawn again): the page the action belongs to, not an error page.
            return redirect(_back(request, *back))
        return response
    if invalid is not None:
        response = invalid(request, *args, failure, **kwargs)
        if not request.htmx:  # the page drawn again (its renderer may say 409: notes saved meanwhile)
            return response
        return refused(response, response.status_code if response.status_code != 200 else failure.status)
    messages.error(request, failure.message)
    url = _back(request, *back)
    if request.htmx:
        response = HttpResponse()
        response["HX-Redirect"] = url
        return refused(response, failure.status)
    return redirect(url)


def refused(response: HttpResponse, status: int) -> HttpResponse:
    """A refused htmx request's answer: 200, swapped in like any other, with the refusal's `status`
    in the `Accord-Refused` header (accord.js then keeps what was typed)."""
    response.status_code = 200
    response[REFUSED_HEADER] = str(status)
    return response


def partnership_page(
    *,
    cache: bool = False,
    invalid: PageView | None = None,
    back: str = "partnerships-detail",
) -> Callable[[PageView], PageView]:
    """For a view taking (request, partnership, **the URL's other arguments) under a URL with `pid`.

    `cache`: GET responses come from the page cache for this reader and version of the partnership.
    `invalid(request, partnership, failure, **kwargs)`: draws the page again when the action is
    refused (the status is set for it). `back`: the URL name a refused action without a renderer
    returns to (reversed with the view's arguments it takes; `name#anchor` for a place on it).
    """

    def decorate(view: PageView) -> PageView:
        def with_members(request: AuthedRequest, partnership: Partnership, **kwargs: Any) -> HttpResponse:
            from accord.partnerships.selectors import partnership_members_load

            return view(request, partnership_members_load(partnership), **kwargs)

        @login_required
        @wraps(view)
        def wrapper(request: AuthedRequest, pid: int, **kwargs: Any) -> HttpResponse:
            from accord.partnerships.middleware import request_partnership

            partnership = request_partnership(request, pid)  # the access check: 404 for outsiders
            remember_partnership(request, pid)
            stamp = (f"p{pid}", partnership.version, partnership.created_at) if cache else None
            return _door(
                request,
                with_members,
                (partnership,),
                kwargs,
                cache=stamp,
                invalid=invalid,
                back=(back, {"pid": pid, **kwargs}),
            )

        return wrapper

    return decorate


def org_page(
    *,
    cache: bool = False,
    invalid: PageView | None = None,
    back: str = "orgs-portfolio",
) -> Callable[[PageView], PageView]:
    """For a view taking (request, organisation, role, **the URL's other arguments) under a URL with
    `oid`: as `partnership_page`, for the organisation's members."""

    def decorate(view: PageView) -> PageView:
        @login_required
        @wraps(view)
        def wrapper(request: AuthedRequest, oid: int, **kwargs: Any) -> HttpResponse:
            from accord.orgs.selectors import org_get

            org, role = org_get(user=request.user, oid=oid)  # the access check: 404 for non-members
            stamp = (f"o{oid}", org.pages_version, org.created_at) if cache else None
            return _door(
                request, view, (org, role), kwargs, cache=stamp, invalid=invalid, back=(back, {"oid": oid, **kwargs})
            )

        return wrapper

    return decorate


def own_page(*, invalid: PageView | None = None, back: str = "home") -> Callable[[PageView], PageView]:
    """For a page about the caller alone (their account, their organisations), taking (request,
    **the URL's arguments): signed in, and refusals mapped as by `partnership_page`;
    `invalid(request, failure, **kwargs)`."""

    def decorate(view: PageView) -> PageView:
        @login_required
        @wraps(view)
        def wrapper(request: AuthedRequest, **kwargs: Any) -> HttpResponse:
            return _door(request, view, (), kwargs, cache=None, invalid=invalid, back=(back, kwargs))

        return wrapper

    return decorate
