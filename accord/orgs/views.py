from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from accord.lib.errors import Conflict, Forbidden, NotFound, ValidationError
from accord.lib.http import AuthedRequest, Request
from accord.lib.pagecache import cached_org_page
from accord.orgs import selectors, services
from accord.orgs.models import OrgMembership
from accord.partnerships.selectors import partnership_get


@login_required
def org_list(request: AuthedRequest) -> HttpResponse:
    """Your organisations, and a form to start one."""
    if request.method == "POST":
        try:
            org = services.org_create(user=request.user, name=request.POST.get("name", ""))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, f"{org.name} is ready. Invite coaches, then ask partnerships to grant access.")
            return redirect("orgs-portfolio", oid=org.pk)
    return render(request, "orgs/list.html", {"orgs": selectors.org_list(user=request.user)})


@login_required
@cached_org_page
def org_portfolio(request: AuthedRequest, oid: int) -> HttpResponse:
    """The coach's portfolio: figures only, sorted by who needs support."""
    org, role = selectors.org_get(user=request.user, oid=oid)
    sort = request.GET.get("sort", "support")
    return render(
        request,
        "orgs/portfolio.html",
        {
            "org": org,
            "role": role,
            "rows": selectors.portfolio(org=org, sort=sort),
            "sort": sort,
            "members": selectors.org_members(org=org),
            "templates": selectors.org_templates(org=org),
        },
    )


@login_required
@require_POST
def org_invite(request: AuthedRequest, oid: int) -> HttpResponse:
    org, _ = selectors.org_get(user=request.user, oid=oid)
    try:
        invitation = services.org_invitation_create(
            org=org,
            user=request.user,
            role=request.POST.get("role", ""),
            email=request.POST.get("email", ""),
            request=request,
        )
    except Forbidden as exc:
        messages.error(request, exc.message)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"Invitation link: {services.org_invitation_url(invitation, request)}")
    return redirect("orgs-portfolio", oid=oid)


@login_required
@require_POST
def org_template_create(request: AuthedRequest, oid: int) -> HttpResponse:
    org, _ = selectors.org_get(user=request.user, oid=oid)
    lines = [line for line in request.POST.get("dimensions", "").splitlines() if line.strip()]
    dimensions = [
        {"title": line.split("|", 1)[0].strip(), "description": line.split("|", 1)[1].strip() if "|" in line else ""}
        for line in lines
    ]
    try:
        services.org_template_create(
            org=org, user=request.user, name=request.POST.get("name", ""), dimensions=dimensions
        )
    except Forbidden as exc:
        messages.error(request, exc.message)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Template saved. Partnerships that share figures with you can adopt it.")
    return redirect("orgs-portfolio", oid=oid)


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


@login_required
def partnership_access(request: AuthedRequest, pid: int) -> HttpResponse:
    """Which organisations may see this partnership's figures; grant, revoke, adopt a template."""
    partnership = partnership_get(user=request.user, pid=pid)
    if request.method == "POST":
        what = request.POST.get("what", "")
        raw = request.POST.get("org_id", "")
        try:
            if what in ("grant", "revoke"):
                org = services.org_access_set(
                    partnership=partnership,
                    user=request.user,
                    org_id=int(raw) if raw.isdigit() else 0,
                    grant=what == "grant",
                )
                messages.success(
                    request,
                    f"You granted {org.name} access. It sees your figures once every partner has granted it."
                    if what == "grant"
                    else f"You revoked {org.name}'s access: it no longer sees this partnership.",
                )
            elif what == "adopt":
                template = next(
                    (
                        t
                        for t in selectors.templates_for(partnership=partnership)
                        if str(t.pk) == request.POST.get("template")
                    ),
                    None,
                )
                if template is None:
                    raise NotFound()
                services.org_template_adopt(partnership=partnership, template=template)
                messages.success(request, f"Your next health check uses “{template.name}”.")
            else:
                raise NotFound()
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return redirect("orgs-access", pid=pid)
    return render(
        request,
        "orgs/access.html",
        {
            "partnership": partnership,
            "section": "overview",
            "access": selectors.access_for(partnership=partnership),
            "templates": selectors.templates_for(partnership=partnership),
            "roles": OrgMembership.Role,
        },
    )
