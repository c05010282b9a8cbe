"""`accord seed`: realistic history for many partnerships, written with bulk inserts.

Each partnership gets Y years of weekly 1:1s with agendas and action items, monthly retros with
about twenty cards and votes, quarterly health checks, a charter with revisions, disagreements,
journal entries, objectives with key results, decisions and a success measure. Users are
em{i}@seed.example and pm{i}@seed.example; the coach coach@seed.example sees them all in Seed Org."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.utils.timezone import now

from accord.accounts.models import User
from accord.assessments.defaults import DEFAULT_DIMENSIONS
from accord.assessments.models import Dimension
from accord.demo.seed_history import seed_alignment, seed_charter, seed_health_checks, seed_tensions
from accord.demo.seed_rituals import seed_meetings
from accord.lib.freshness import Changed, partnership_write
from accord.orgs.models import OrgAccess, Organisation, OrgMembership
from accord.partnerships.models import Membership, Partnership

BATCH = 25  # partnerships written per unit of work


@dataclass
class SeedReport:
    partnerships: int = 0
    rows: int = 0


def _users(count: int, password: str) -> tuple[list[User], list[User], User]:
    hashed = make_password(password)
    people = []
    for i in range(1, count + 1):
        people.append(User(email=f"em{i}@seed.example", name=f"Em {i}", password=hashed))
        people.append(User(email=f"pm{i}@seed.example", name=f"Pm {i}", password=hashed))
    coach = User(email="coach@seed.example", name="Seed Coach", password=hashed)
    created = User.objects.bulk_create([*people, coach], batch_size=1000)
    EmailAddress.objects.bulk_create(
        [EmailAddress(user=u, email=u.email, primary=True, verified=True) for u in created], batch_size=1000
    )
    return created[0:-1:2], created[1:-1:2], created[-1]


def seed(*, partnerships: int, years: int, password: str, progress: Callable[[int], None] | None = None) -> SeedReport:
    """Create `partnerships` partnerships with `years` years of history each."""
    if User.objects.filter(email__endswith="@seed.example").exists():
        raise ValueError("This database already holds seed data; seed an empty one.")
    report = SeedReport()
    with partnership_write() as changed:
        ems, pms, coach = _users(partnerships, password)
        org = Organisation.objects.create(name="Seed Org", created_by=coach)
        OrgMembership.objects.create(organisation=org, user=coach, role=OrgMembership.Role.ADMIN)
        changed.add(orgs=[org])
    for start in range(0, partnerships, BATCH):
        with partnership_write(orgs=[org]) as changed:
            pairs = list(zip(ems[start : start + BATCH], pms[start : start + BATCH], strict=True))
            report.rows += _seed_batch(pairs, org, years, first=start, changed=changed)
        report.partnerships += len(pairs)
        if progress:
            progress(len(pairs))
    return report


def _seed_batch(pairs: list[tuple[User, User]], org: Organisation, years: int, first: int, changed: Changed) -> int:
    moment = now()
    begin = moment - timedelta(days=365 * years)
    ps = Partnership.objects.bulk_create(
        [
            Partnership(name=f"Team {first + i + 1}", team=f"Squad {first + i + 1}", created_at=begin)
            for i in range(len(pairs))
        ]
    )
    changed.add(partnerships=ps, users=[u for pair in pairs for u in pair])
    rows: dict[str, list[Any]] = {k: [] for k in ("membership", "dimension", "access")}
    for p, (em, pm) in zip(ps, pairs, strict=True):
        rows["membership"] += [
            Membership(partnership=p, user=em, role="EM", joined_at=begin),
            Membership(partnership=p, user=pm, role="PM", joined_at=begin),
        ]
        rows["dimension"] += [
            Dimension(partnership=p, key=k, title=t, description=d, position=n)
            for n, (k, t, d) in enumerate(DEFAULT_DIMENSIONS)
        ]
        rows["access"] += [OrgAccess(partnership=p, organisation=org, user=u) for u in (em, pm)]
    Membership.objects.bulk_create(rows["membership"])
    Dimension.objects.bulk_create(rows["dimension"])
    OrgAccess.objects.bulk_create(rows["access"])
    total = sum(len(v) for v in rows.values()) + len(ps)
    for index, (p, (em, pm)) in enumerate(zip(ps, pairs, strict=True)):
        total += _seed_partnership(p, em, pm, begin, moment, random.Random(first + index))  # noqa: S311 - seed data
    return total


SECTIONS = (seed_meetings, seed_health_checks, seed_charter, seed_tensions, seed_alignment)


def _seed_partnership(p: Partnership, em: User, pm: User, begin: datetime, moment: datetime, rng: random.Random) -> int:
    # In this order: each section draws from the same random sequence.
    return sum(section(p, em, pm, begin, moment, rng) for section in SECTIONS)
