from __future__ import annotations

import json

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse

from accord.exchange.selectors import export_partnership
from accord.lib.http import AuthedRequest
from accord.partnerships.views import page_partnership


@login_required
def export(request: AuthedRequest, pid: int) -> HttpResponse:
    """Everything you can see in this partnership, as a versioned JSON document."""
    partnership = page_partnership(request, pid)
    document = export_partnership(partnership=partnership, user=request.user)
    response = HttpResponse(json.dumps(document, indent=2, ensure_ascii=False), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="accord-{partnership.pk}-export.json"'
    return response
