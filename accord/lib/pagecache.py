"""Whole responses of partnership pages, cached per reader and keyed by versions.

A page is cached for one user and one partnership under a key made of the partnership's and the
user's `version` (accord.lib.freshness raises them on every committed change), the day, the full
path and the htmx headers. A change anywhere in the partnership therefore changes the key: nothing
is invalidated by hand and nothing stale is served. What a page shows only to its reader stays
theirs: entries are per user. Access is checked on every request before the cache is read.

The CSRF token is the one part of a page that belongs to one browser rather than one reader, so
the key also holds (a digest of) the browser's CSRF cookie: a cached page carries a token valid for
the very browser it is served to, and its forms post without any script. A request that has no
cookie yet is rendered afresh (and gets one). Nothing rewrites a rendered page, so nothing a partner
writes can be altered on its way to the reader. Requests with flash messages waiting are not cached.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any, Protocol

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone
from pydantic import TypeAdapter

from accord.lib.http import AuthedRequest

# Bounds staleness from the clock alone (a meeting time passing); data changes change the key.
TIMEOUT = 300
CACHEABLE_STATUS = (200, 204)
HTMX_HEADERS = ("HX-Request", "HX-Target", "HX-Trigger", "HX-Trigger-Name", "HX-Boosted", "HX-History-Restore-Request")
KEPT_HEADERS = ("Content-Type", "HX-Trigger", "HX-Retarget", "HX-Reswap", "HX-Push-Url", "HX-Redirect")


def _has_messages(request: HttpRequest) -> bool:
    storage = getattr(request, "_messages", None)
    return storage is not None and len(storage) > 0


def page_key(request: AuthedRequest, scope: str, version: int | str, born: object) -> str:
    """`born` (when the scope's row was created) and the user's joining date tell rows apart should
    the database be recreated under a cache that outlived it."""
    parts = [
        scope,
        str(version),
        str(born),
        str(request.user.pk),
        str(request.user.version),
        str(request.user.date_joined),
        request.COOKIES.get(settings.CSRF_COOKIE_NAME, ""),  # the page's tokens are this browser's
        timezone.localdate().isoformat(),
        timezone.get_current_timezone_name(),
        request.get_host(),
        str(request.scheme),
        request.get_full_path(),
        *(request.headers.get(h) or "" for h in HTMX_HEADERS),
    ]
    return "page:" + hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def value_key(name: str, scope: str, version: int | str, born: object) -> str:
    """The cache key of a value computed from one version of a partnership or organisation today."""
    parts = [name, scope, str(version), str(born), timezone.localdate().isoformat()]
    return "value:" + hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def cached_value[T](scope: str, version: int | str, born: object, name: str, compute: Callable[[], T]) -> T:
    """A value computed from a partnership (or organisation) alone, the same for every reader,
    cached for this version of it and this day."""
    key = value_key(name, scope, version, born)
    value: T | None = caches["pages"].get(key)
    if value is None:
        value = compute()
        caches["pages"].set(key, value, TIMEOUT)
    return value


class Versioned(Protocol):
    """What a cached read is keyed on: a partnership's (or organisation's) stamp."""

    @property
    def version(self) -> int: ...
    @property
    def born(self) -> Any: ...


def cached_json(
    scope: str,
    version: int | str,
    born: object,
    name: str,
    schema: object,
    compute: Callable[[], object],
    *,
    reader: Any = None,
) -> HttpResponse:
    """An API response computed from a partnership or organisation (and, given a `reader`, from what
    that user alone may see of it): checked against `schema` (a response type as the endpoint
    declares it) once, then served as cached bytes for this version of it (and of the reader)."""
    if reader is not None:  # blind input differs per reader: their entry is theirs alone
        name = "\x1f".join((name, str(reader.pk), str(reader.version), str(reader.date_joined)))

    def render() -> bytes:
        adapter: TypeAdapter[Any] = TypeAdapter(schema)  # type: ignore[arg-type]
        return adapter.dump_json(adapter.validate_python(compute()))

    body = cached_value(scope, version, born, name, render)
    return HttpResponse(body, content_type="application/json; charset=utf-8")


def cached_read(
    request: AuthedRequest, pid: int, stamp: Versioned, schema: object, compute: Callable[[], object]
) -> HttpResponse:
    """The JSON answer of a read endpoint in partnership `pid` (its access already checked by the
    read of `stamp`), as this request's user sees it, for this address (links in it name the host)."""
    name = "api:" + request.build_absolute_uri()
    return cached_json(f"p{pid}", stamp.version, stamp.born, name, schema, compute, reader=request.user)


def _finish(request: HttpRequest, status: int, content: bytes, headers: dict[str, str]) -> HttpResponse:
    get_token(request)  # the cookie the page's tokens are valid for goes out with it again
    response = HttpResponse(content, status=status)
    for name, value in headers.items():
        response[name] = value
    return response


def serve_cached(
    request: AuthedRequest, scope: str, version: int | str, born: object, render: Callable[[], HttpResponse]
) -> HttpResponse:
    """The response `render()` gives, from the cache when this user saw this version of it today."""
    if request.method != "GET" or _has_messages(request) or not request.COOKIES.get(settings.CSRF_COOKIE_NAME):
        return render()
    key = page_key(request, scope, version, born)
    hit = caches["pages"].get(key)
    if hit is not None:
        return _finish(request, *hit)
    response = render()
    if response.streaming:
        return response
    if response.status_code not in CACHEABLE_STATUS or response.cookies:
        get_token(request)
        return response
    entry = (
        response.status_code,
        response.content,
        {name: response[name] for name in KEPT_HEADERS if response.has_header(name)},
    )
    caches["pages"].set(key, entry, TIMEOUT)
    return _finish(request, *entry)
