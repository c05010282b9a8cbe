"""Writes for accounts: users, API tokens, calendar secrets, the credential rate limit."""

from __future__ import annotations

import secrets
from datetime import timedelta

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.password_validation import validate_password
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from accord.accounts.models import ApiToken, AuthFailure, User
from accord.lib.errors import Conflict, NotAuthenticated, NotFound, RateLimited, ValidationError
from accord.lib.freshness import partnership_write
from accord.lib.text import clean_line
from accord.lib.tokens import digest, new_secret

TOKEN_PREFIX = "acc_"  # noqa: S105 - a marker, not a secret
TOKEN_USE_PRECISION = timedelta(minutes=5)


def _clean_email(email: str) -> str:
    email = clean_line(email, field="email", max_length=254).lower()
    try:
        validate_email(email)
    except ValidationError as exc:
        raise ValidationError({"email": "Enter a valid email address."}) from exc
    return email


def user_create(*, email: str, password: str, name: str, is_staff: bool = False) -> User:
    """Create an account the way sign-up does: checked email, strong password, a name."""
    email = _clean_email(email)
    name = clean_line(name, field="name", max_length=150)
    if User.objects.filter(email__iexact=email).exists():
        raise Conflict("An account with this email address already exists.")
    candidate = User(email=email, name=name)
    try:
        validate_password(password, user=candidate)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from exc
    with transaction.atomic():
        user = User.objects.create_user(email, password, name=name, is_staff=is_staff, is_superuser=is_staff)
        EmailAddress.objects.create(user=user, email=email, primary=True, verified=False)
    return user


def user_update(*, user: User, name: str) -> User:
    user.name = clean_line(name, field="name", max_length=150)
    # The name shows on the pages of every partnership the user is in.
    with partnership_write(*user.memberships.values_list("partnership_id", flat=True), users=[user]):
        user.save(update_fields=["name"])
    return user


def user_calendar_secret_regenerate(*, user: User) -> User:
    user.calendar_secret = new_secret()
    with partnership_write(users=[user]):
        user.save(update_fields=["calendar_secret"])
    return user


def api_token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """A new token for `user`. The plain token is returned once and never stored."""
    name = clean_line(name, field="name", max_length=100)
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=user, name=name, digest=digest(raw), prefix=raw[: len(TOKEN_PREFIX) + 6])
    return token, raw


def api_token_revoke(*, user: User, token_id: int) -> None:
    deleted, _ = ApiToken.objects.filter(user=user, pk=token_id).delete()
    if not deleted:
        raise NotFound()


def api_token_authenticate(*, raw: str) -> User | None:
    """The active user a bearer token belongs to, or None."""
    if not raw.startswith(TOKEN_PREFIX):
        return None
    token = ApiToken.objects.select_related("user").filter(digest=digest(raw)).first()
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > TOKEN_USE_PRECISION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def credentials_rate_check(*, email: str, address: str) -> None:
    """The one rule for guessing passwords, on the login page and the token endpoint alike:
    failures count per account and address (so a guesser elsewhere cannot lock the owner out), per
    address (one guesser trying many accounts) and per account from everywhere (many addresses)."""
    since = timezone.now() - timedelta(minutes=settings.ACCORD_TOKEN_FAILURE_WINDOW_MINUTES)
    recent = AuthFailure.objects.filter(at__gte=since)
    limit = settings.ACCORD_TOKEN_FAILURE_LIMIT
    counts = recent.aggregate(
        here=Count("id", filter=Q(email=email, address=address[:64])),
        address=Count("id", filter=Q(address=address[:64])),
        everywhere=Count("id", filter=Q(email=email)),
    )
    if counts["here"] >= limit or counts["address"] >= 4 * limit or counts["everywhere"] >= 20 * limit:
        raise RateLimited()


def credentials_failure_record(*, email: str, address: str) -> None:
    """A failed sign-in, counted by `credentials_rate_check` (a day of them is kept)."""
    AuthFailure.objects.create(email=email.strip().lower()[:254], address=address[:64])
    AuthFailure.objects.filter(at__lt=timezone.now() - timedelta(days=1)).delete()


def _second_factor_ok(user: User, code: str) -> bool:
    """True when `user` has no second factor, or `code` is a valid TOTP or unused recovery code
    (a recovery code is used up)."""
    if not is_mfa_enabled(user):
        return True
    code = (code or "").strip()
    return bool(code) and any(
        authenticator.wrap().validate_code(code)
        for authenticator in Authenticator.objects.filter(
            user=user, type__in=[Authenticator.Type.TOTP, Authenticator.Type.RECOVERY_CODES]
        )
    )


def api_token_issue(*, email: str, password: str, address: str, code: str = "") -> str:
    """Exchange credentials (and the second factor, when the account has one) for a new API token;
    repeated failures are refused for a while."""
    email = (email or "").strip().lower()[:254]
    credentials_rate_check(email=email, address=address)
    user = authenticate(username=email, password=password)
    failed: NotAuthenticated | None = None
    if user is None or not isinstance(user, User):
        failed = NotAuthenticated()
    elif not _second_factor_ok(user, code):
        failed = NotAuthenticated(
            "This account uses two-factor authentication: send `code`, from the authenticator app or a recovery code."
        )
    if failed is not None or not isinstance(user, User):
        credentials_failure_record(email=email, address=address)
        raise failed or NotAuthenticated()
    AuthFailure.objects.filter(email=email).delete()
    _, raw = api_token_create(user=user, name=f"API token {timezone.now():%Y-%m-%d %H:%M}")
    return raw
