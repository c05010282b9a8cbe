from __future__ import annotations

import hashlib
import secrets


def new_secret(nbytes: int = 24) -> str:
    """A URL-safe random secret (for invitation links, calendar feeds, team pages)."""
    return secrets.token_urlsafe(nbytes)


def digest(value: str) -> str:
    """SHA-256 hex digest: how API tokens are stored."""
    return hashlib.sha256(value.encode()).hexdigest()
