from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

if TYPE_CHECKING:
    from accord.accounts.models import User


class Request(HttpRequest):
    """What our middleware adds to a request, for type checking."""

    htmx: HtmxDetails


class AuthedRequest(Request):
    """A request behind @login_required."""

    user: User


def absolute_url(path: str, request: HttpRequest | None = None) -> str:
    """An absolute URL for `path`: from the request when there is one, else from SITE_URL."""
    if request is not None:
        return request.build_absolute_uri(path)
    return f"{settings.SITE_URL}{path}"


def client_address(request: HttpRequest) -> str:
    """Where the request came from, for rate limits: behind the one trusted proxy, the address it
    appended last to X-Forwarded-For (what comes before it the client may have made up); otherwise
    the connection's. A request with neither shares the "unknown" bucket."""
    forwarded = request.headers.get("X-Forwarded-For", "") if settings.ALLAUTH_TRUSTED_PROXY_COUNT else ""
    address = forwarded.rsplit(",", 1)[-1].strip() or request.META.get("REMOTE_ADDR") or "unknown"
    return str(address)[:64]
