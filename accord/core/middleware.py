from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse

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
