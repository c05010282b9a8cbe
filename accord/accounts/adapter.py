"""allauth, as Accord uses it: failed logins count per account *and* address, so someone guessing
a partner's password from elsewhere cannot lock the partner out (the per-address limit still stops
them)."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.internal.httpkit import get_client_ip
from django.http import HttpRequest

from accord.lib.http import client_address


class AccountAdapter(DefaultAccountAdapter):
    def get_client_ip(self, request: HttpRequest) -> str:
        """allauth's reading of the address (proxies included), or the one the API uses: a request
        without one (a test calling the WSGI app) shares the "unknown" bucket instead of a 403."""
        return get_client_ip(request) or client_address(request)

    def _get_login_attempts_cache_key(self, request: HttpRequest, **credentials: Any) -> str:
        return f"{super()._get_login_attempts_cache_key(request, **credentials)}@{self.get_client_ip(request)}"
