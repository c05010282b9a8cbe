"""A partnership's pages speak its time zone: dates and times on them, "today" and "overdue", are
the partnership's, whatever the server's zone is. The zone is set for the request once the URL
names a partnership the user belongs to, and reset when the response is done."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from accord.lib.dates import zone
from accord.lib.errors import NotFound
from accord.lib.http import AuthedRequest
from accord.partnerships.models import Partnership
from accord.partnerships.selectors import Stamp, partnership_find


def use_partnership_zone(partnership: Partnership) -> None:
    """Render the rest of this request in the partnership's time zone (reset by the middleware)."""
    timezone.activate(zone(partnership.timezone))


def request_partnership(request: AuthedRequest, pid: int) -> Partnership:
    """Partnership `pid` if this request's user belongs to it (NotFound for anyone else), read once
    per request: the middleware usually has it already, and the page's door reuses it."""
    seen: dict[int, Partnership] = request.__dict__.setdefault("_accord_partnerships", {})
    if pid not in seen:
        seen[pid] = partnership_find(user=request.user, pid=pid)
    return seen[pid]


def request_stamp(request: AuthedRequest, pid: int) -> Stamp:
    """The stamp of partnership `pid` for this request's user, from the one read above."""
    partnership = request_partnership(request, pid)
    return Stamp(partnership.version, partnership.created_at, partnership.timezone)


class PartnershipTimeZone:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()

    def process_view(
        self, request: HttpRequest, view: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any]
    ) -> None:
        pid = kwargs.get("pid")
        user = getattr(request, "user", None)
        if not isinstance(pid, int) or user is None or not user.is_authenticated:
            return
        try:
            stamp = request_stamp(request, pid)  # type: ignore[arg-type]
        except (NotFound, OverflowError):
            return  # the view itself answers 404
        timezone.activate(zone(stamp.timezone))
