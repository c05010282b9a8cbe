"""Demo data: a partnership you can click through right away. Idempotent: run it as often as you like."""

from __future__ import annotations

from dataclasses import dataclass

from accord.accounts.models import User
from accord.accounts.selectors import user_by_email
from accord.accounts.services import user_create
from accord.partnerships.models import Partnership, Role
from accord.partnerships.selectors import partnership_list
from accord.partnerships.services import invitation_accept, invitation_create, partnership_create

DEMO_PASSWORD = "accord-demo"  # noqa: S105 - published on purpose: it is the demo login


@dataclass(frozen=True)
class DemoLogin:
    email: str
    name: str
    role: str


DEMO_USERS = (
    DemoLogin("alice@example.com", "Alice Martin", Role.EM),
    DemoLogin("bob@example.com", "Bob Okafor", Role.PM),
)
DEMO_PARTNERSHIP = "Checkout leads"


def _user(login: DemoLogin) -> User:
    return user_by_email(email=login.email) or user_create(email=login.email, password=DEMO_PASSWORD, name=login.name)


def demo_load() -> tuple[Partnership, bool]:
    """Alice (EM) and Bob (PM) in one partnership. Returns it, and whether anything was created."""
    alice, bob = (_user(login) for login in DEMO_USERS)
    partnership = partnership_list(user=alice).filter(name=DEMO_PARTNERSHIP).first()
    created = False
    if partnership is None:
        partnership = partnership_create(user=alice, name=DEMO_PARTNERSHIP, team="Checkout squad", role=Role.EM)
        created = True
    if all(m.user_id != bob.pk for m in partnership.memberships.all()):
        invitation = invitation_create(partnership=partnership, invited_by=alice, role=Role.PM)
        invitation_accept(token=invitation.token, user=bob)
        created = True
    return partnership, created
