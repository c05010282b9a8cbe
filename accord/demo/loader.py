"""Demo data: a partnership you can click through right away. Idempotent: run it as often as you like."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.utils.timezone import now

from accord.accounts.models import User
from accord.accounts.selectors import user_get_by_email
from accord.accounts.services import user_create
from accord.alignment.selectors import objective_list
from accord.assessments.selectors import healthcheck_list
from accord.assessments.services import RatingInput, healthcheck_open, healthcheck_respond
from accord.charters.selectors import charter_history, measure_list
from accord.charters.services import (
    CharterContent,
    charter_propose,
    charter_revision_ratify,
    measure_create,
    measure_reading_add,
)
from accord.charters.starter import STARTER_RATIONALE, starter_content
from accord.demo.alignment import demo_alignment
from accord.demo.rituals import HISTORY_DAYS, demo_rituals
from accord.demo.tensions import demo_tensions
from accord.lib.dates import local_today
from accord.lib.tasks import tasks_held
from accord.orgs.selectors import org_list
from accord.orgs.services import org_access_set, org_create
from accord.partnerships.models import Partnership, Role
from accord.partnerships.selectors import partnership_list
from accord.partnerships.services import invitation_accept, invitation_create, partnership_create
from accord.tensions.selectors import tension_list

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
DEMO_COACH = DemoLogin("coach@example.com", "Casey Coach", "coach")
DEMO_ORG = "Acme Product & Engineering"
DEMO_PARTNERSHIP = "Checkout leads"


def _user(login: DemoLogin) -> User:
    return user_get_by_email(email=login.email) or user_create(
        email=login.email, password=DEMO_PASSWORD, name=login.name
    )


def demo_load() -> tuple[Partnership, bool]:
    """Alice (EM) and Bob (PM) in one partnership. Returns it, and whether anything was created.
    Its figures are refreshed once, at the end, rather than after each of its writes."""
    with tasks_held():
        return _demo_load()


def _demo_load() -> tuple[Partnership, bool]:
    alice, bob = (_user(login) for login in DEMO_USERS)
    partnership = partnership_list(user=alice).filter(name=DEMO_PARTNERSHIP).first()
    created = False
    began = now() - timedelta(days=HISTORY_DAYS + 7)  # a year of history, from a week before the first 1:1
    if partnership is None:
        partnership = partnership_create(
            user=alice, name=DEMO_PARTNERSHIP, team="Checkout squad", role=Role.EM, at=began
        )
        created = True
    if all(m.user_id != bob.pk for m in partnership.memberships.all()):
        invitation = invitation_create(partnership=partnership, invited_by=alice, role=Role.PM)
        invitation_accept(token=invitation.token, user=bob, at=max(began, partnership.created_at))
        created = True
    if not healthcheck_list(partnership=partnership):
        _demo_health_checks(partnership, alice, bob)
        created = True
    if not charter_history(partnership=partnership):
        _demo_charter(partnership, alice, bob)
        created = True
    if not measure_list(partnership=partnership):
        _demo_measure(partnership, alice, bob)
        created = True
    # 1:1s and retros are carried on to the present on every run: the demo never looks abandoned.
    created = demo_rituals(partnership, alice, bob) or created
    if not objective_list(partnership=partnership):
        demo_alignment(partnership, alice, bob)
        created = True
    if not tension_list(partnership=partnership, user=alice):
        demo_tensions(partnership, alice, bob)
        created = True
    coach = _user(DEMO_COACH)
    if not org_list(user=coach).exists():
        org = org_create(user=coach, name=DEMO_ORG)
        for member in (alice, bob):
            org_access_set(partnership=partnership, user=member, org_id=org.pk, grant=True)
        created = True
    return partnership, created


def _demo_charter(partnership: Partnership, alice: User, bob: User) -> None:
    """Version 1 from the starter; version 2 adds what the Q1 health check taught them."""
    first = starter_content(partnership)
    at = now() - timedelta(days=300)
    v1 = charter_propose(
        partnership=partnership, user=alice, base=None, content=first, rationale=STARTER_RATIONALE, at=at
    )
    v1 = charter_revision_ratify(revision=v1, user=alice, at=at)
    charter_revision_ratify(revision=v1, user=bob, at=at + timedelta(days=1))
    second = CharterContent(
        purpose=first.purpose,
        values=first.values,
        principles=first.principles,
        responsibilities=[
            *first.responsibilities[:4],
            {"area": "Staffing changes and who works on what", "owner": "shared"},
            *first.responsibilities[4:],
        ],
        agreements=[
            *first.agreements,
            "No staffing or scope change is announced before the other has heard it from us first.",
        ],
    )
    at = now() - timedelta(days=200)
    v2 = charter_propose(
        partnership=partnership,
        user=bob,
        base=1,
        content=second,
        rationale="Our first health check showed decisions about staffing felt one-sided. "
        "This makes staffing a shared area and adds a no-surprises agreement.",
        ratify=True,
        at=at,
    )
    charter_revision_ratify(revision=v2, user=alice, at=at + timedelta(days=2))


def _demo_measure(partnership: Partnership, alice: User, bob: User) -> None:
    measure = measure_create(
        partnership=partnership,
        user=alice,
        name="Decisions made together",
        method="Share of the decisions in our decision log that both of us signed before announcing them.",
        target=80,
        direction="up",
        unit="%",
    )
    for months_ago, value in ((9, 40), (7, 55), (5, 60), (3, 72), (1, 78)):
        measure_reading_add(
            measure=measure,
            user=bob if months_ago % 2 else alice,
            value=value,
            taken_on=local_today(partnership.timezone) - timedelta(days=30 * months_ago),
        )


# Four quarters of health checks: (today, target) per dimension for Alice and Bob, improving over
# the year, with the perception gaps a real pair would have (Bob felt decisions were one-sided).
DEMO_QUARTERS = [
    # alice: today/target per dimension, bob: today/target per dimension
    (
        [(3, 5), (2, 4), (3, 4), (2, 4), (2, 4), (3, 4), (2, 4), (2, 4)],
        [(2, 5), (2, 4), (3, 5), (2, 4), (1, 4), (1, 4), (2, 4), (2, 4)],
    ),
    (
        [(3, 5), (3, 4), (3, 4), (3, 4), (2, 4), (3, 4), (3, 4), (2, 4)],
        [(3, 5), (3, 4), (3, 5), (3, 4), (2, 4), (2, 4), (2, 4), (2, 4)],
    ),
    (
        [(4, 5), (3, 4), (4, 4), (3, 5), (3, 4), (4, 4), (3, 4), (3, 4)],
        [(3, 5), (4, 4), (4, 5), (4, 5), (3, 4), (3, 4), (3, 4), (3, 4)],
    ),
    (
        [(4, 5), (4, 4), (4, 5), (4, 5), (4, 4), (4, 5), (3, 4), (4, 5)],
        [(4, 5), (4, 5), (4, 5), (4, 5), (3, 4), (4, 5), (3, 4), (3, 5)],
    ),
]
DEMO_NOTES = {
    0: ("Bob: I often learn about staffing changes after they happen.", "joint-decisions"),
    2: ("Alice: the weekly 1:1 is finally protected time.", "communication-rhythm"),
}


def _demo_health_checks(partnership: Partnership, alice: User, bob: User) -> None:
    start = now() - timedelta(days=3 * 91 + 7)
    for quarter, (alice_ratings, bob_ratings) in enumerate(DEMO_QUARTERS):
        at = start + timedelta(days=91 * quarter)
        check = healthcheck_open(partnership=partnership, user=alice, at=at)
        keys = [d.key for d in check.dimensions.all()]
        for user, ratings, partner in ((alice, alice_ratings, bob_ratings), (bob, bob_ratings, alice_ratings)):
            note = DEMO_NOTES.get(quarter)
            healthcheck_respond(
                check=check,
                user=user,
                at=at + timedelta(days=1 if user == alice else 2),
                ratings=[
                    RatingInput(
                        dimension=key,
                        today=today,
                        target=target,
                        guess=partner[i][0] if (i + quarter) % 3 else min(partner[i][0] + 1, 5),
                        note=note[0].split(": ", 1)[1]
                        if note and note[1] == key and note[0].startswith(user.name.split(" ")[0])
                        else "",
                    )
                    for i, (key, (today, target)) in enumerate(zip(keys, ratings, strict=True))
                ],
            )
