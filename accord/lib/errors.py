"""Domain errors. Services raise them; `accord.api` and `accord.lib.views` map them once."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

__all__ = ["Conflict", "DomainError", "Forbidden", "NotAuthenticated", "NotFound", "RateLimited", "ValidationError"]


class DomainError(Exception):
    default_message = "Something went wrong."

    def __init__(self, message: str | None = None) -> None:
        self.message = message or self.default_message
        super().__init__(self.message)


class NotFound(DomainError, Http404):
    """Does not exist, or the caller may not see it: the same answer either way.

    It is an Http404 too, so a page view that lets it through answers 404 like any other.
    """

    default_message = "Not found."


class Conflict(DomainError):
    """The request does not fit the current state (already ratified, last member, ...)."""

    default_message = "This conflicts with the current state."


class Forbidden(DomainError, PermissionDenied):
    """A member of the organisation, without the role this needs (e.g. a coach inviting)."""

    default_message = "You do not have the role this needs."


class RateLimited(DomainError):
    default_message = "Too many attempts. Wait a few minutes and try again."


class NotAuthenticated(DomainError):
    default_message = "Wrong email or password."
