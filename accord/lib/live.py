"""Live regions: the parts of a shared page that follow what the partners do without a reload.

One mechanism for every shared screen. A region is drawn by its page and by a live view of its
own; the page marks it with `{% live_region url %}` (accord.lib.templatetags), which has it poll
the live view every few seconds with the version of the partnership it was drawn at (`?v=`), and
morph in what comes back (idiomorph: focus, the caret and what is being typed are kept; accord.js
holds off while a click or a form inside the region is on its way). The live view answers through
`live_response`: 204, nothing to swap, while the reader's version is current, else the region
drawn afresh.

The version is the partnership's and the reader's (accord.lib.freshness raises both after every
committed change), read before anything the region shows: a change committed meanwhile is drawn
under the older version at worst, and drawn again on the next poll, never missed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from django.http import HttpResponse

from accord.lib.http import AuthedRequest

if TYPE_CHECKING:
    from accord.partnerships.models import Partnership

# How often a region asks (htmx trigger syntax): within the three seconds a partner waits at most.
EVERY = "every 2s"


def live_version(request: AuthedRequest, pid: int) -> str:
    """What a live region is drawn from: the version partnership `pid` had when this request first
    read it (before anything the region shows), for this reader."""
    from accord.partnerships.middleware import request_partnership

    return f"{request_partnership(request, pid).version}.{request.user.version}"


def live_response(request: AuthedRequest, partnership: Partnership, render: Callable[[], HttpResponse]) -> HttpResponse:
    """The live view's answer: 204 when the region the reader has (`?v=`) is current, else
    `render()`, the region drawn afresh."""
    if request.GET.get("v") == live_version(request, partnership.pk):
        return HttpResponse(status=204)
    return render()
