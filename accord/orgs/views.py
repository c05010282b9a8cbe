from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from accord.lib.errors import Conflict, NotFound, ValidationError
from accord.lib.http import AuthedRequest, Request
from accord.lib.views import Failure, org_page, own_page, partnership_page
from accord.orgs import selectors, services
from accord.orgs.models import Organisation, OrgMembership
from accord.partnerships.models import Partnership


def _list_page(request: AuthedRequest, failure: Failure | None = None) -> HttpResponse:
    """Your organisations; after a refused one, the name as it was typed with the message beside it."""
    return render(
        request,
        "orgs/list.html",
        {"orgs": selectors.org_list(user=request.user), "error": failure.message if failure else ""},
    )


@own_page(invalid=_list_page)
def org_list(request: AuthedRequest) -> HttpResponse:
    """Your organisations, and a form to start one."""
    if request.method != "POST":
        return _list_page(request)
    org = services.org_create(user=request.user, name=request.POST.get("name", ""))
    messages.success(request, f"{org.name} is ready. Invite coaches, then ask partnerships to grant access.")
    return redirect("orgs-portfolio", oid=org.pk)


def _portfolio_page(
    request: AuthedRequest, org: Organisation, role: str, failure: Failure | None = None
) -> HttpResponse:
    """The coach's portfolio: figures only, sorted by who needs support; after a refused invitation
    or template, that form as it was typed with the message beside it."""
    sort = request.GET.get("sort", "support")
    return render(
        request,
        "orgs/portfolio.html",
        {
            "org": org,
            "role": role,
            "rows": selectors.portfolio_get(org=org, sort=sort),
            "sort": sort,
            "members": selectors.org_member_list(org=org),
            "templates": selectors.org_template_list(org=org),
            "refused": request.resolver_match.url_name if failure and request.resolver_match else "",
            "error": failure.message if failure else "",
            "error_field": failure.field if failure else "",
        },
    )


@org_page(cache=True)
def org_portfolio(request: AuthedRequest, org: Organisation, role: str) -> HttpResponse:
    return _portfolio_page(request, org, role)


@org_page(invalid=_portfolio_page)
@require_POST
def org_invite(request: AuthedRequest, org: Organisation, role: str) -> HttpResponse:
    invitation = services.org_invitation_create(
        org=org,
        user=request.user,
        role=request.POST.get("role", ""),
        email=request.POST.get("email", ""),
        request=request,
    )
    messages.success(request, f"Invitation link: {services.org_invitation_url(invitation, request)}")
    return redirect("orgs-portfolio", oid=org.pk)


@org_page(invalid=_portfolio_page)
@require_POST
def org_template_create(request: AuthedRequest, org: Organisation, role: str) -> HttpResponse:
    lines = [line for line in request.POST.get("dimensions", "").splitlines() if line.strip()]
    dimensions = [
        {"title": line.split("|", 1)[0].strip(), "description": line.split("|", 1)[1].strip() if "|" in line else ""}
        for line in lines
    ]
    services.org_template_create(org=org, user=request.user, name=request.POST.get("name", ""), dimensions=dimensions)
    messages.success(request, "Template saved. Partnerships that share figures with you can adopt it.")
    return redirect("orgs-portfolio", oid=org.pk)


def org_invitation(request: Request, token: str) -> HttpResponse:
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect_to_login(request.path)
        try:
            org = services.org_invitation_accept(token=token, user=request.user)
        except Conflict as exc:
            messages.error(request, exc.message)
            return redirect("orgs-invitation", token=token)
        messages.success(request, f"Welcome to {org.name}.")
        return redirect("orgs-portfolio", oid=org.pk)
    pending = selectors.org_invitation_pending(token=token)
    return render(request, "orgs/invitation.html", {"invitation": pending})


def _access_page(request: AuthedRequest, partnership: Partnership, failure: Failure | None = None) -> HttpResponse:
    """Which organisations may see this partnership's figures; after a refused grant, the number as
    it was typed with the message beside it."""
    return render(
        request,
        "orgs/access.html",
        {
            "partnership": partnership,
            "section": "overview",
            "access": selectors.org_access_list(partnership=partnership),
            "templates": selectors.org_template_list_for(partnership=partnership),
            "roles": OrgMembership.Role,
            "error": failure.message if failure else "",
            "error_field": failure.field if failure else "",
        },
    )


@partnership_page()
def partnership_access(request: AuthedRequest, partnership: Partnership) -> HttpResponse:
    """Which organisations may see this partnership's figures; grant, revoke, adopt a template."""
    return _access_page(request, partnership)


def _access_set(request: AuthedRequest, partnership: Partnership, *, grant: bool) -> HttpResponse:
    raw = request.POST.get("org_id", "").strip()
    if grant and not raw:
        raise ValidationError({"org_id": "Enter the organisation's number: your coach has it."})
    org = services.org_access_set(
        partnership=partnership, user=request.user, org_id=int(raw) if raw.isdigit() else 0, grant=grant
    )
    messages.success(
        request,
        f"You granted {org.name} access. It sees your figures once every partner has granted it."
        if grant
        else f"You revoked {org.name}'s access: it no longer sees this partnership.",
    )
    return redirect("orgs-access", pid=partnership.pk)


@partnership_page(invalid=_access_page)
@require_POST
def access_grant(request: AuthedRequest, partnership: Partnership) -> HttpResponse:
    return _access_set(request, partnership, grant=True)


@partnership_page(back="orgs-access")
@require_POST
def access_revoke(request: AuthedRequest, partnership: Partnership) -> HttpResponse:
    return _access_set(request, partnership, grant=False)


@partnership_page(back="orgs-access")
@require_POST
def template_adopt(request: AuthedRequest, partnership: Partnership) -> HttpResponse:
    chosen = request.POST.get("template")
    template = next((t for t in selectors.org_template_list_for(partnership=partnership) if str(t.pk) == chosen), None)
    if template is None:
        raise NotFound()
    services.org_template_adopt(partnership=partnership, template=template)
    messages.success(request, f"Your next health check uses “{template.name}”.")
    return redirect("orgs-access", pid=partnership.pk)
