from __future__ import annotations

from django.db import connection
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from accord.lib.http import Request
from accord.partnerships import selectors as partnership_selectors


def home(request: Request) -> HttpResponse:
    """Landing page for visitors; for members, the partnership they last worked in."""
    user = request.user
    if not user.is_authenticated:
        return render(request, "core/landing.html")
    partnerships = list(partnership_selectors.partnership_list(user=user))
    invitations = list(partnership_selectors.invitation_list_for_email(email=user.email))
    ids = {p.pk for p in partnerships}
    last = request.session.get("partnership_id")
    if not invitations:
        if last in ids:
            return redirect("partnerships-detail", pid=last)
        if len(partnerships) == 1:
            return redirect("partnerships-detail", pid=partnerships[0].pk)
    return render(request, "core/home.html", {"partnerships": partnerships, "invitations": invitations})


@never_cache
def healthz(request: Request) -> HttpResponse:
    """The floor: through the whole middleware stack, one database round trip."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")
