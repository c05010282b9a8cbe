"""The JSON API under /api/v1/: one NinjaAPI, its auth, and the one place errors become responses."""

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import HttpBearer

from accord.accounts.api import router as accounts_router
from accord.accounts.services import api_token_authenticate
from accord.alignment.api import router as alignment_router
from accord.assessments.api import router as assessments_router
from accord.charters.api import router as charters_router
from accord.exchange.api import router as exchange_router
from accord.insights.api import router as insights_router
from accord.lib.errors import Conflict, Forbidden, NotAuthenticated, NotFound, RateLimited
from accord.orgs.api import router as orgs_router
from accord.partnerships.api import router as partnerships_router
from accord.rituals.api import router as rituals_router
from accord.tensions.api import router as tensions_router


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> object | None:
        user = api_token_authenticate(raw=token)
        if user is not None:
            request.user = user
        return user


api = NinjaAPI(
    title="Accord API",
    version="1",
    description="Run an EM/PM partnership as a product. Authenticate with `Authorization: Bearer <token>` "
    "(POST /api/v1/auth/token, or create one on your account page).",
    auth=TokenAuth(),
    urls_namespace="api",
)
api.add_router("", accounts_router)
api.add_router("", partnerships_router)
api.add_router("", assessments_router)
api.add_router("", charters_router)
api.add_router("", rituals_router)
api.add_router("", tensions_router)
api.add_router("", alignment_router)
api.add_router("", insights_router)
api.add_router("", exchange_router)
api.add_router("", orgs_router)


def _detail(request: HttpRequest, detail: object, status: int) -> HttpResponse:
    return api.create_response(request, {"detail": detail}, status=status)


def validation_detail(exc: ValidationError) -> list[dict[str, object]]:
    """A Django ValidationError in the same shape as ninja's own 422s: one entry per field."""
    if hasattr(exc, "error_dict"):
        return [
            {"type": "value_error", "loc": ["body", field], "msg": message}
            for field, messages in exc.message_dict.items()
            for message in messages
        ]
    return [{"type": "value_error", "loc": ["body"], "msg": message} for message in exc.messages]


@api.exception_handler(NotFound)
@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
    return _detail(request, "Not found.", 404)


@api.exception_handler(Conflict)
def _conflict(request: HttpRequest, exc: Conflict) -> HttpResponse:
    return _detail(request, exc.message, 409)


@api.exception_handler(Forbidden)
def _forbidden(request: HttpRequest, exc: Forbidden) -> HttpResponse:
    return _detail(request, exc.message, 403)


@api.exception_handler(RateLimited)
def _rate_limited(request: HttpRequest, exc: RateLimited) -> HttpResponse:
    response = _detail(request, exc.message, 429)
    response["Retry-After"] = "900"
    return response


@api.exception_handler(NotAuthenticated)
def _not_authenticated(request: HttpRequest, exc: NotAuthenticated) -> HttpResponse:
    return _detail(request, exc.message, 401)


@api.exception_handler(AuthenticationError)
def _unauthorized(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return _detail(request, "Missing or invalid API token.", 401)


@api.exception_handler(ValidationError)
def _invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    return _detail(request, validation_detail(exc), 422)


@api.exception_handler(NinjaValidationError)
def _invalid_request(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    """ninja's 422, with `loc` as ["body", field, ...] like the services' (not the parameter's name)."""
    detail = []
    for error in exc.errors:
        loc = list(error.get("loc", []))
        if len(loc) > 1 and loc[0] == "body" and loc[1] == "payload":
            loc.pop(1)
        detail.append({**error, "loc": loc})
    return _detail(request, detail, 422)


@api.exception_handler(OverflowError)
def _overflow(request: HttpRequest, exc: OverflowError) -> HttpResponse:
    """An id too large for the database's integers names nothing (SQLite refuses to compare it)."""
    return _detail(request, "Not found.", 404)


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    """ninja's own refusals. A body that is not JSON at all is invalid input like any other: 422."""
    if exc.status_code == 400:
        return _detail(request, [{"type": "json_invalid", "loc": ["body"], "msg": "The body is not valid JSON."}], 422)
    return _detail(request, str(exc), exc.status_code)
