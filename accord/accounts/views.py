from __future__ import annotations

from allauth.mfa.utils import is_mfa_enabled
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from accord.accounts import selectors, services
from accord.accounts.forms import ProfileForm, TokenForm
from accord.accounts.models import User
from accord.lib.http import AuthedRequest
from accord.lib.views import Failure, own_page, valid


def _account_context(request: AuthedRequest, user: User, **extra: object) -> dict[str, object]:
    return {
        "profile_form": ProfileForm(initial={"name": user.name}),
        "token_form": TokenForm(),
        "tokens": selectors.api_token_list(user=user),
        "calendar_url": selectors.user_calendar_url(user, request),
        "mfa_enabled": is_mfa_enabled(user),
        **extra,
    }


def _account_page(request: AuthedRequest, failure: Failure | None = None, **extra: object) -> HttpResponse:
    """The account page; after a refused name or token, that form as it was typed, errors beside it."""
    if failure is not None and failure.form is not None:
        extra["profile_form" if isinstance(failure.form, ProfileForm) else "token_form"] = failure.form
    template = "accounts/_tokens.html" if request.htmx and "token_form" in extra else "accounts/account.html"
    return render(request, template, _account_context(request, request.user, **extra))


@own_page(invalid=_account_page)
def account(request: AuthedRequest) -> HttpResponse:
    if request.method != "POST":
        return _account_page(request)
    services.user_update(user=request.user, name=valid(request, ProfileForm(request.POST))["name"])
    messages.success(request, "Your name is saved.")
    return redirect("accounts-account")


@own_page(invalid=_account_page)
@require_POST
def token_create(request: AuthedRequest) -> HttpResponse:
    name = valid(request, TokenForm(request.POST))["name"]
    _, new_token = services.api_token_create(user=request.user, name=name)
    template = "accounts/_tokens.html" if request.htmx else "accounts/account.html"
    return render(request, template, _account_context(request, request.user, new_token=new_token))


@login_required
@require_POST
def token_revoke(request: AuthedRequest, token_id: int) -> HttpResponse:
    user = request.user
    services.api_token_revoke(user=user, token_id=token_id)
    messages.success(request, "The token is revoked: it no longer works.")
    return redirect("accounts-account")


@login_required
@require_POST
def calendar_regenerate(request: AuthedRequest) -> HttpResponse:
    user = request.user
    services.user_calendar_secret_regenerate(user=user)
    messages.success(request, "Your calendar link is new; the old one no longer works.")
    return redirect("accounts-account")
