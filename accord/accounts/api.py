from allauth.core import ratelimit
from django.http import HttpRequest
from ninja import Router, Schema, Status
from pydantic import Field

from accord.accounts import services
from accord.accounts.selectors import user_calendar_url
from accord.lib.errors import RateLimited
from accord.lib.http import AuthedRequest, client_address
from accord.lib.schemas import ErrorOut, errors

router = Router(tags=["Accounts"])


class SignupIn(Schema):
    email: str = Field(max_length=254)
    password: str = Field(max_length=4096)
    name: str = Field(max_length=150)


class UserOut(Schema):
    id: int
    email: str
    name: str


class MeOut(UserOut):
    calendar_url: str


class TokenIn(Schema):
    email: str = Field(max_length=254)
    password: str = Field(max_length=4096)
    code: str = Field(
        "", max_length=64, description="With two-factor authentication on: a code from the app, or a recovery code."
    )


class TokenOut(Schema):
    token: str


@router.post("/auth/signup", auth=None, response={201: UserOut, 409: ErrorOut, 422: ErrorOut, 429: ErrorOut})
def signup(request: HttpRequest, payload: SignupIn) -> Status[object]:
    """Create an account. The email must be new and the password strong. Limited per address, like
    the sign-up page (429)."""
    if not ratelimit.consume(request, action="signup"):
        raise RateLimited("Too many sign-ups from this address; try again later.")
    return Status(201, services.user_create(email=payload.email, password=payload.password, name=payload.name))


@router.post("/auth/token", auth=None, response={200: TokenOut, 401: ErrorOut, 422: ErrorOut, 429: ErrorOut})
def token(request: HttpRequest, payload: TokenIn) -> dict[str, str]:
    """Exchange email and password (and, with two-factor authentication on, a `code`) for a new API
    token. Repeated failures answer 429 for a while."""
    raw = services.api_token_issue(
        email=payload.email, password=payload.password, code=payload.code, address=client_address(request)
    )
    return {"token": raw}


@router.get("/me", response={200: MeOut, **errors()})
def me(request: AuthedRequest) -> dict[str, object]:
    """The caller, with the secret URL of their calendar feed."""
    user = request.user
    return {"id": user.pk, "email": user.email, "name": user.name, "calendar_url": user_calendar_url(user, request)}
