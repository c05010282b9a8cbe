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
from accord.lib.errors import ValidationError
from accord.lib.forms import add_errors
from accord.lib.http import AuthedRequest


def _account_context(request: AuthedRequest, user: User, **extra: object) -> dict[str, object]:
    return {
        "profile_form": ProfileForm(initial={"name": user.name}),
        "token_form": TokenForm(),
        "tokens": selectors.api_token_list(user=user),
        "calendar_url": selectors.calendar_url(user, request),
        "mfa_enabled": is_mfa_enabled(user),
        **extra,
    }


@login_required
def account(request: AuthedRequest) -> HttpResponse:
    user = request.user
    if request.method == "POST":
        form = ProfileForm(request.POST)
        if form.is_valid():
            try:
                services.user_update(user=user, name=form.cleaned_data["name"])
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                messages.success(request, "Your name is saved.")
                return redirect("accounts-account")
        return render(request, "accounts/account.html", _account_context(request, user, profile_form=form))
    return render(request, "accounts/account.html", _account_context(request, user))


@login_required
@require_POST
def token_create(request: AuthedRequest) -> HttpResponse:
    user = request.user
    form = TokenForm(request.POST)
    new_token = None
    if form.is_valid():
        try:
            _, new_token = services.api_token_create(user=user, name=form.cleaned_data["name"])
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            form = TokenForm()
    template = "accounts/_tokens.html" if request.htmx else "accounts/account.html"
    return render(request, template, _account_context(request, user, token_form=form, new_token=new_token))


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
