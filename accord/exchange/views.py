from __future__ import annotations

import json

from django.http import HttpResponse

from accord.exchange.selectors import partnership_export
from accord.lib.http import AuthedRequest
from accord.lib.views import partnership_page
from accord.partnerships.models import Partnership


@partnership_page()
def export(request: AuthedRequest, partnership: Partnership) -> HttpResponse:
    """Everything you can see in this partnership, as a versioned JSON document."""
    document = partnership_export(partnership=partnership, user=request.user)
    response = HttpResponse(json.dumps(document, indent=2, ensure_ascii=False), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="accord-{partnership.pk}-export.json"'
    return response
