from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse

API_PREFIX = "/api/v1/"


def api_json_errors(get_response: Callable[[HttpRequest], HttpResponse]) -> Callable[[HttpRequest], HttpResponse]:
    """Under /api/v1/ every error has a JSON body with `detail`, even those raised before the API
    runs (an unknown path, a method the path does not take, a body too large)."""

    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        if (
            request.path.startswith(API_PREFIX)
            and response.status_code >= 400
            and not response.get("Content-Type", "").startswith("application/json")
        ):
            status = response.status_code
            fixed = JsonResponse({"detail": response.reason_phrase or "Error."}, status=status)
            if status == 405 and response.has_header("Allow"):
                fixed["Allow"] = response["Allow"]
            return fixed
        return response

    return middleware


def body_size_limit(get_response: Callable[[HttpRequest], HttpResponse]) -> Callable[[HttpRequest], HttpResponse]:
    """A body over DATA_UPLOAD_MAX_MEMORY_SIZE is refused with 413 before anything reads it (Django
    itself would answer 400 once a view or middleware touched it). WSGI reads no more than
    CONTENT_LENGTH, so a body without one is empty."""
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE

    def too_large(request: HttpRequest) -> HttpResponse:
        message = f"The request is too large: keep it under {limit // (1024 * 1024)} MB."
        if request.path.startswith(API_PREFIX):
            return JsonResponse({"detail": message}, status=413)
        return HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")

    def middleware(request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if limit is not None and length > limit:
            return too_large(request)
        return get_response(request)

    return middleware


class OutOfRangeIds:
    """An id in a URL too large for the database's integers names nothing: 404, like any unknown
    id (SQLite raises OverflowError instead of finding no row)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, OverflowError):
            raise Http404("No such object.")
        return None
