from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from accord.insights import charts
from accord.lib.errors import Conflict, NotFound, ValidationError
from accord.lib.http import AuthedRequest, Request
from accord.lib.views import Failure, org_page, own_page, partnership_page
from accord.orgs import figures, selectors, services
from accord.orgs.models import Organisation
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


PORTFOLIO_PAGE = 50  # rows a page of the portfolio shows; sorted over them all, then paged


def _portfolio_page(
    request: AuthedRequest, org: Organisation, role: str, failure: Failure | None = None
) -> HttpResponse:
    """The coach's portfolio: figures only, sorted by who needs support; after a refused invitation
    or template, that form as it was typed with the message beside it."""
    sort = request.GET.get("sort", "support")
    rows = Paginator(selectors.portfolio_get(org=org, sort=sort), PORTFOLIO_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "orgs/portfolio.html",
        {
            "org": org,
            "role": role,
            "rows": rows,
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
def org_access_invite(request: AuthedRequest, org: Organisation, role: str) -> HttpResponse:
    """Ask a partner, by the email they sign in with, to share their partnership's figures."""
    invitation = services.org_access_invitation_create(
        org=org, user=request.user, email=request.POST.get("email", ""), request=request
    )
    messages.success(
        request,
        f"We asked {invitation.email} to share their partnership's figures with {org.name}. "
        "It appears here once every partner has agreed.",
    )
    return redirect("orgs-portfolio", oid=org.pk)


@org_page(cache=True)
def org_partnership_figures(request: AuthedRequest, org: Organisation, role: str, pid: int) -> HttpResponse:
    """One partnership's figures for the organisation's coaches: numbers and dates, never its text.
    A partnership that has not granted the organisation access is not found."""
    data = figures.coach_figures_get(org=org, pid=pid)
    return render(
        request,
        "orgs/figures.html",
        {
            "org": org,
            "f": data,
            "health_chart": charts.health_chart(data.health),
            "dimension_charts": [(d, charts.dimension_chart(data.health, d.today, d.target)) for d in data.dimensions],
            "cadence_chart": charts.cadence_chart(data.cadence),
            "follow": charts.follow_through(data.action_items),
        },
    )


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
    """Which organisations may see this partnership's figures, which ask to, and the ones the caller
    may choose from; after a refused choice, the message beside the list."""
    return render(
        request,
        "orgs/access.html",
        {
            "partnership": partnership,
            "section": "overview",
            "access": selectors.org_access_list(partnership=partnership),
            "requests": selectors.org_access_invitations_for(user=request.user),
            "choices": selectors.org_access_choices(user=request.user, partnership=partnership),
            "templates": selectors.org_template_list_for(partnership=partnership),
            "error": failure.message if failure else "",
        },
    )


@partnership_page()
def partnership_access(request: AuthedRequest, partnership: Partnership) -> HttpResponse:
    """Which organisations may see this partnership's figures; accept or decline a request, grant,
    revoke, adopt a template."""
    return _access_page(request, partnership)


def _granted(request: AuthedRequest, partnership: Partnership, org: Organisation) -> HttpResponse:
    visible = any(a.visible for a in selectors.org_access_list(partnership=partnership) if a.organisation.pk == org.pk)
    messages.success(
        request,
        f"You granted {org.name} access: every partner has, so it now sees your figures."
        if visible
        else f"You granted {org.name} access. It sees your figures once every partner has granted it.",
    )
    return redirect("orgs-access", pid=partnership.pk)


@partnership_page(invalid=_access_page)
@require_POST
def access_grant(request: AuthedRequest, partnership: Partnership) -> HttpResponse:
    """Grant an organisation from the list: one the caller belongs to, one asking them, or one another
    partner granted. Never a number typed in."""
    allowed = selectors.org_access_choices(user=request.user, partnership=partnership) + [
        a.organisation for a in selectors.org_access_list(partnership=partnership)
    ]
    org = next((o for o in allowed if str(o.pk) == request.POST.get("org_id", "")), None)
    if org is None:
        raise ValidationError({"org_id": "Choose an organisation from the list."})
    services.org_access_set(partnership=partnership, user=request.user, org_id=org.pk, grant=True)
    return _granted(request, partnership, org)


@partnership_page(back="orgs-access")
@require_POST
def access_revoke(request: AuthedRequest, partnership: Partnership) -> HttpResponse:
    raw = request.POST.get("org_id", "")
    org = services.org_access_set(
        partnership=partnership, user=request.user, org_id=int(raw) if raw.isdigit() else 0, grant=False
    )
    messages.success(request, f"You revoked {org.name}'s access: it no longer sees this partnership.")
    return redirect("orgs-access", pid=partnership.pk)


@partnership_page(back="orgs-access")
@require_POST
def access_answer(request: AuthedRequest, partnership: Partnership) -> HttpResponse:
    """Accept (grant my consent for this partnership) or decline an organisation's request."""
    raw = request.POST.get("request", "")
    accept = request.POST.get("answer") == "accept"
    invitation = services.org_access_invitation_answer(
        invitation_id=int(raw) if raw.isdigit() else 0, partnership=partnership, user=request.user, accept=accept
    )
    if accept:
        return _granted(request, partnership, invitation.organisation)
    messages.success(request, f"You declined {invitation.organisation.name}'s request. It sees nothing.")
    return redirect("orgs-access", pid=partnership.pk)


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
