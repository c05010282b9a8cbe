"""allauth, as Accord uses it: the login page counts failed sign-ins with the same rule as the
token endpoint (accord.accounts.services.credentials_rate_check), per account and address, per
address and per account from everywhere, so someone guessing a partner's password from elsewhere
cannot lock the partner out, and many addresses cannot guess without limit either."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest

from accord.accounts.services import credentials_failure_record, credentials_rate_check
from accord.lib.errors import RateLimited
from accord.lib.http import client_address


def _login(credentials: dict[str, Any]) -> str:
    return str(credentials.get("email") or credentials.get("username") or "").strip().lower()[:254]


class AccountAdapter(DefaultAccountAdapter):
    def get_client_ip(self, request: HttpRequest) -> str:
        """The address as the API reads it (the trusted proxy's last hop): one rule for every limit."""
        return client_address(request)

    def pre_authenticate(self, request: HttpRequest, **credentials: Any) -> None:
        try:
            credentials_rate_check(email=_login(credentials), address=client_address(request))
        except RateLimited as exc:
            raise self.validation_error("too_many_login_attempts") from exc

    def authentication_failed(self, request: HttpRequest, **credentials: Any) -> None:
        credentials_failure_record(email=_login(credentials), address=client_address(request))
