from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from accord.lib.errors import Conflict, ValidationError
from accord.lib.forms import add_errors
from accord.lib.http import AuthedRequest, Request
from accord.partnerships import selectors, services
from accord.partnerships.forms import InvitationForm, LeaveForm, PartnershipForm, SettingsForm
from accord.partnerships.models import Partnership


def page_partnership(request: AuthedRequest, pid: int) -> Partnership:
    """The partnership a page is about (checked once per request), remembered as the one the user
    is working in."""
    seen: dict[int, Partnership] = request.__dict__.setdefault("_accord_partnerships", {})
    if pid not in seen:
        seen[pid] = selectors.partnership_get(user=request.user, pid=pid)
        remember_partnership(request, pid)
    return seen[pid]


def remember_partnership(request: AuthedRequest, pid: int) -> None:
    """The partnership the user is working in, for the switcher; the session is written only when
    it changes, so reading pages does not write."""
    if request.session.get("partnership_id") != pid:
        request.session["partnership_id"] = pid


def _invitations_context(request: AuthedRequest, partnership: Partnership, **extra: object) -> dict[str, object]:
    invitations = list(selectors.invitation_list_pending(partnership=partnership))
    for invitation in invitations:
        invitation.url = services.invitation_url(invitation, request)  # type: ignore[attr-defined]
    return {
        "partnership": partnership,
        "invitations": invitations,
        "invitation_form": InvitationForm(),
        "can_invite": len(partnership.memberships.all()) < settings.ACCORD_MAX_MEMBERS,
        **extra,
    }


@login_required
def partnership_create(request: AuthedRequest) -> HttpResponse:
    form = PartnershipForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            partnership = services.partnership_create(user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, f"{partnership.name} is ready. Invite your partner to join.")
            return redirect("partnerships-detail", pid=partnership.pk)
    return render(request, "partnerships/create.html", {"form": form})


def overview_context(request: AuthedRequest, partnership: Partnership) -> dict[str, object]:
    """Members, invitations and the caller's membership: what every overview of a partnership shows."""
    context = _invitations_context(request, partnership)
    context["me"] = selectors.membership_get(partnership=partnership, user=request.user)
    context["section"] = "overview"
    return context


@login_required
def partnership_detail(request: AuthedRequest, pid: int) -> HttpResponse:
    partnership = page_partnership(request, pid)
    return render(request, "partnerships/detail.html", overview_context(request, partnership))


@login_required
def partnership_settings(request: AuthedRequest, pid: int) -> HttpResponse:
    partnership = page_partnership(request, pid)
    if request.method == "POST":
        form = SettingsForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.partnership_update(
                    partnership=partnership,
                    name=data["name"],
                    team=data["team"],
                    timezone_name=data["timezone"],
                    cadences={field: data[field] for field in services.CADENCE_FIELDS},
                    team_page_published=data["team_page_published"],
                )
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                messages.success(request, "Settings saved.")
                return redirect("partnerships-settings", pid=partnership.pk)
    else:
        form = SettingsForm(
            initial={
                "name": partnership.name,
                "team": partnership.team,
                "timezone": partnership.timezone,
                "one_on_one_days": partnership.one_on_one_days,
                "retro_days": partnership.retro_days,
                "health_check_days": partnership.health_check_days,
                "team_page_published": partnership.team_page_published,
            }
        )
    return render(
        request,
        "partnerships/settings.html",
        {
            "partnership": partnership,
            "form": form,
            "team_page_url": services.team_page_url(partnership, request),
            "section": "settings",
        },
    )


@login_required
@require_POST
def team_page_regenerate(request: AuthedRequest, pid: int) -> HttpResponse:
    partnership = page_partnership(request, pid)
    if partnership.team_page_published:
        services.partnership_team_page_regenerate(partnership=partnership)
        messages.success(request, "The team page has a new link; the old one no longer works.")
    return redirect("partnerships-settings", pid=partnership.pk)


@login_required
@require_POST
def invitation_create(request: AuthedRequest, pid: int) -> HttpResponse:
    partnership = page_partnership(request, pid)
    form = InvitationForm(request.POST)
    status = 200
    if form.is_valid():
        try:
            invitation = services.invitation_create(
                partnership=partnership, invited_by=request.user, request=request, **form.cleaned_data
            )
        except ValidationError as exc:
            add_errors(form, exc)
        except Conflict as exc:
            form.add_error(None, exc.message)
        else:
            note = f"We emailed the link to {invitation.email}." if invitation.email else "Copy the link below."
            messages.success(request, f"Invitation created. {note}")
            if not request.htmx:
                return redirect("partnerships-detail", pid=partnership.pk)
            form = InvitationForm()
    if form.errors:
        status = 422 if request.htmx else 200
    context = _invitations_context(request, partnership, invitation_form=form)
    if request.htmx:
        return render(request, "partnerships/_invitations.html", context, status=status)
    context["me"] = selectors.membership_get(partnership=partnership, user=request.user)
    return render(request, "partnerships/detail.html", context)


@login_required
@require_POST
def invitation_revoke(request: AuthedRequest, pid: int, invitation_id: int) -> HttpResponse:
    partnership = page_partnership(request, pid)
    services.invitation_revoke(partnership=partnership, invitation_id=invitation_id)
    messages.success(request, "Invitation revoked: its link no longer works.")
    return redirect("partnerships-detail", pid=partnership.pk)


@login_required
def partnership_leave(request: AuthedRequest, pid: int) -> HttpResponse:
    partnership = page_partnership(request, pid)
    is_last = len(partnership.memberships.all()) == 1
    form = LeaveForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            deleted = services.membership_leave(
                partnership=partnership, user=request.user, confirm_delete=form.cleaned_data["confirm_delete"]
            )
        except Conflict as exc:
            form.add_error("confirm_delete", exc.message)
        else:
            request.session.pop("partnership_id", None)
            verb = "deleted" if deleted else "left"
            messages.success(request, f"You {verb} {partnership.name}.")
            return redirect("home")
    return render(
        request,
        "partnerships/leave.html",
        {"partnership": partnership, "form": form, "is_last": is_last, "section": "settings"},
    )


def invitation(request: Request, token: str) -> HttpResponse:
    """The page an invitation link opens: who invites you where, and a button to accept."""
    pending = selectors.invitation_get_pending(token=token)
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect_to_login(request.path)
        try:
            partnership = services.invitation_accept(token=token, user=request.user)
        except Conflict as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, f"Welcome to {partnership.name}.")
            return redirect("partnerships-detail", pid=partnership.pk)
    return render(request, "partnerships/invitation.html", {"invitation": pending})
