from __future__ import annotations

from django.db import connection
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from accord.lib.http import Request
from accord.orgs import selectors as org_selectors
from accord.partnerships import selectors as partnership_selectors


def home(request: Request) -> HttpResponse:
    """Landing page for visitors; for a partner, the partnership they last worked in; for a coach
    with no partnership of their own, their portfolio (or the list of them, if several); for someone
    who is both, their partnerships and their portfolios side by side."""
    user = request.user
    if not user.is_authenticated:
        return render(request, "core/landing.html")
    partnerships = list(partnership_selectors.partnership_list(user=user))
    invitations = list(partnership_selectors.invitation_list_for_email(email=user.email))
    orgs = list(org_selectors.org_list(user=user))
    # organisations asking to see figures: answered from a partnership, so only a partner's
    requests = list(org_selectors.org_access_invitations_for(user=user)) if partnerships else []
    ids = {p.pk for p in partnerships}
    last = request.session.get("partnership_id")
    if not invitations and not requests:
        if not orgs and last in ids:
            return redirect("partnerships-detail", pid=last)
        if not orgs and len(partnerships) == 1:
            return redirect("partnerships-detail", pid=partnerships[0].pk)
        if not partnerships and len(orgs) == 1:
            return redirect("orgs-portfolio", oid=orgs[0].pk)
    return render(
        request,
        "core/home.html",
        {"partnerships": partnerships, "invitations": invitations, "orgs": orgs, "requests": requests},
    )


@never_cache
def healthz(request: Request) -> HttpResponse:
    """The floor: through the whole middleware stack, one database round trip."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")
