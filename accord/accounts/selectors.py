from __future__ import annotations

from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse

from accord.accounts.models import ApiToken, User
from accord.lib.http import absolute_url


def api_token_list(*, user: User) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user)


def user_get_by_email(*, email: str) -> User | None:
    return User.objects.filter(email__iexact=email.strip()).first()


def user_get_by_calendar_secret(*, secret: str) -> User | None:
    return User.objects.filter(calendar_secret=secret, is_active=True).first()


def user_calendar_url(user: User, request: HttpRequest | None = None) -> str:
    return absolute_url(reverse("api:calendar_feed", args=[user.calendar_secret]), request)
