from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from accord.lib.errors import Conflict
from accord.lib.http import AuthedRequest, Request
from accord.lib.views import Failure, own_page, partnership_page, valid
from accord.partnerships import selectors, services
from accord.partnerships.forms import InvitationForm, LeaveForm, PartnershipForm, SettingsForm
from accord.partnerships.models import Partnership


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


def _create_page(request: AuthedRequest, failure: Failure | None = None) -> HttpResponse:
    return render(request, "partnerships/create.html", {"form": failure.form if failure else PartnershipForm()})


@own_page(invalid=_create_page)
def partnership_create(request: AuthedRequest) -> HttpResponse:
    if request.method != "POST":
        return _create_page(request)
    partnership = services.partnership_create(user=request.user, **valid(request, PartnershipForm(request.POST)))
    messages.success(request, f"{partnership.name} is ready. Invite your partner to join.")
    return redirect("partnerships-detail", pid=partnership.pk)


def overview_context(request: AuthedRequest, partnership: Partnership) -> dict[str, object]:
    """Members, invitations and the caller's membership: what every overview of a partnership shows."""
    context = _invitations_context(request, partnership)
    context["me"] = selectors.membership_get(partnership=partnership, user=request.user)
    context["section"] = "overview"
    return context


@partnership_page()
def partnership_detail(request: AuthedRequest, partnership: Partnership) -> HttpResponse:
    return render(request, "partnerships/detail.html", overview_context(request, partnership))


def _settings_page(
    request: AuthedRequest, partnership: Partnership, failure: Failure | None = None, form: SettingsForm | None = None
) -> HttpResponse:
    return render(
        request,
        "partnerships/settings.html",
        {
            "partnership": partnership,
            "form": failure.form if failure else form,
            "team_page_url": services.team_page_url(partnership, request),
            "section": "settings",
        },
    )


@partnership_page(invalid=_settings_page)
def partnership_settings(request: AuthedRequest, partnership: Partnership) -> HttpResponse:
    if request.method != "POST":
        initial = {
            "name": partnership.name,
            "team": partnership.team,
            "timezone": partnership.timezone,
            "one_on_one_days": partnership.one_on_one_days,
            "retro_days": partnership.retro_days,
            "health_check_days": partnership.health_check_days,
            "team_page_published": partnership.team_page_published,
        }
        return _settings_page(request, partnership, form=SettingsForm(initial=initial))
    data = valid(request, SettingsForm(request.POST))
    services.partnership_update(
        partnership=partnership,
        name=data["name"],
        team=data["team"],
        timezone_name=data["timezone"],
        cadences={field: data[field] for field in services.CADENCE_FIELDS},
        team_page_published=data["team_page_published"],
    )
    messages.success(request, "Settings saved.")
    return redirect("partnerships-settings", pid=partnership.pk)


@partnership_page(back="partnerships-settings")
@require_POST
def team_page_regenerate(request: AuthedRequest, partnership: Partnership) -> HttpResponse:
    if partnership.team_page_published:
        services.partnership_team_page_regenerate(partnership=partnership)
        messages.success(request, "The team page has a new link; the old one no longer works.")
    return redirect("partnerships-settings", pid=partnership.pk)


def _invitations_page(
    request: AuthedRequest, partnership: Partnership, failure: Failure | None = None, form: InvitationForm | None = None
) -> HttpResponse:
    context = _invitations_context(request, partnership, invitation_form=failure.form if failure else form)
    if request.htmx:
        return render(request, "partnerships/_invitations.html", context)
    context["me"] = selectors.membership_get(partnership=partnership, user=request.user)
    context["section"] = "overview"
    return render(request, "partnerships/detail.html", context)


@partnership_page(invalid=_invitations_page)
@require_POST
def invitation_create(request: AuthedRequest, partnership: Partnership) -> HttpResponse:
    data = valid(request, InvitationForm(request.POST))
    invitation = services.invitation_create(partnership=partnership, invited_by=request.user, request=request, **data)
    note = f"We emailed the link to {invitation.email}." if invitation.email else "Copy the link below."
    messages.success(request, f"Invitation created. {note}")
    if not request.htmx:
        return redirect("partnerships-detail", pid=partnership.pk)
    return _invitations_page(request, partnership, form=InvitationForm())


@partnership_page()
@require_POST
def invitation_revoke(request: AuthedRequest, partnership: Partnership, invitation_id: int) -> HttpResponse:
    services.invitation_revoke(partnership=partnership, invitation_id=invitation_id)
    messages.success(request, "Invitation revoked: its link no longer works.")
    return redirect("partnerships-detail", pid=partnership.pk)


def _leave_page(
    request: AuthedRequest, partnership: Partnership, failure: Failure | None = None, form: LeaveForm | None = None
) -> HttpResponse:
    if failure is not None and isinstance(failure.error, Conflict) and failure.form is not None:
        # The conflict is about the confirmation: said beside it, not above the form.
        failure.form.errors.pop("__all__", None)
        failure.form.add_error("confirm_delete", failure.message)
    return render(
        request,
        "partnerships/leave.html",
        {
            "partnership": partnership,
            "form": failure.form if failure else form,
            "is_last": len(partnership.memberships.all()) == 1,
            "section": "settings",
        },
    )


@partnership_page(invalid=_leave_page)
def partnership_leave(request: AuthedRequest, partnership: Partnership) -> HttpResponse:
    if request.method != "POST":
        return _leave_page(request, partnership, form=LeaveForm())
    data = valid(request, LeaveForm(request.POST))
    deleted = services.membership_leave(
        partnership=partnership, user=request.user, confirm_delete=data["confirm_delete"]
    )
    request.session.pop("partnership_id", None)
    verb = "deleted" if deleted else "left"
    messages.success(request, f"You {verb} {partnership.name}.")
    return redirect("home")


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
