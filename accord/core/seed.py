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
from statistics import mean
from typing import Any

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils.timezone import now

from accord.accounts.models import User
from accord.alignment.models import Decision, DecisionObjective, KeyResult, KeyResultReading, Objective, SignOff
from accord.assessments.defaults import DEFAULT_DIMENSIONS
from accord.assessments.models import CheckDimension, Dimension, HealthCheck, Rating, Response
from accord.charters.models import CharterRevision, Measure, Ratification, Reading
from accord.charters.starter import starter_content
from accord.orgs.models import OrgAccess, Organisation, OrgMembership
from accord.partnerships.models import Membership, Partnership
from accord.rituals.models import (
    DEFAULT_COLUMN_LABELS,
    ActionItem,
    AgendaItem,
    Card,
    CardGroup,
    Experiment,
    Meeting,
    Vote,
)
from accord.tensions.models import JournalEntry, Perspective, Tension

BATCH = 25  # partnerships written per transaction
POINTS = [
    "Hiring plan",
    "Roadmap trade-off",
    "Incident follow-up",
    "Stakeholder request",
    "Tech debt budget",
    "Career conversation",
    "OKR check-in",
    "Leadership update",
    "Onboarding",
    "Release cadence",
]
CARDS = {
    "going_well": [
        "1:1s happen every week",
        "One plan presented to the team",
        "Hiring felt shared",
        "Quick syncs help",
    ],
    "frustrating": [
        "Scope changed without a heads-up",
        "Staffing moved without asking",
        "We argued in front of the team",
        "Ad-hoc leadership requests",
        "Decisions reopened after agreeing",
    ],
    "try_next": [
        "Pre-read the agenda",
        "No announcements before we both agree",
        "Joint stakeholder office hours",
        "Write decisions down in one place",
    ],
}


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
    with transaction.atomic():
        ems, pms, coach = _users(partnerships, password)
        org = Organisation.objects.create(name="Seed Org", created_by=coach)
        OrgMembership.objects.create(organisation=org, user=coach, role=OrgMembership.Role.ADMIN)
    for start in range(0, partnerships, BATCH):
        with transaction.atomic():
            pairs = list(zip(ems[start : start + BATCH], pms[start : start + BATCH], strict=True))
            report.rows += _seed_batch(pairs, org, years, first=start)
        report.partnerships += len(pairs)
        if progress:
            progress(len(pairs))
    return report


def _seed_batch(pairs: list[tuple[User, User]], org: Organisation, years: int, first: int) -> int:
    moment = now()
    begin = moment - timedelta(days=365 * years)
    ps = Partnership.objects.bulk_create(
        [
            Partnership(name=f"Team {first + i + 1}", team=f"Squad {first + i + 1}", created_at=begin)
            for i in range(len(pairs))
        ]
    )
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


def _seed_partnership(p: Partnership, em: User, pm: User, begin: datetime, moment: datetime, rng: random.Random) -> int:
    people = [em, pm]
    count = 0

    # Meetings: weekly 1:1s and monthly retros, held in the past, one of each planned ahead.
    meetings: list[Meeting] = []
    day = begin + timedelta(days=1)
    while day < moment + timedelta(days=7):
        meetings.append(Meeting(partnership=p, kind="one_on_one", scheduled_for=day, created_at=day))
        day += timedelta(days=7)
    day = begin + timedelta(days=3)
    while day < moment + timedelta(days=30):
        meetings.append(
            Meeting(
                partnership=p,
                kind="retro",
                scheduled_for=day,
                created_at=day,
                column_labels=DEFAULT_COLUMN_LABELS,
                phase="decide",
                revealed_at=day,
            )
        )
        day += timedelta(days=30)
    for m in meetings:
        if m.scheduled_for < moment:
            m.status, m.held_at = "held", m.scheduled_for + timedelta(hours=1)
        elif m.kind == "retro":
            m.phase, m.revealed_at = "write", None
    Meeting.objects.bulk_create(meetings)
    count += len(meetings)

    agenda, actions, cards, groups = [], [], [], []
    for n, m in enumerate(meetings):
        if m.kind == "one_on_one":
            for k in range(3):
                agenda.append(
                    AgendaItem(
                        meeting=m,
                        author=people[k % 2],
                        text=rng.choice(POINTS),
                        position=k,
                        discussed=m.status == "held" and k < 2,
                        created_at=m.scheduled_for,
                    )
                )
            if n % 2 == 0:
                due = (m.scheduled_for + timedelta(days=7)).date()
                done = (
                    m.scheduled_for + timedelta(days=rng.choice([3, 5, 9, 12]))
                    if m.scheduled_for < moment - timedelta(days=14)
                    else None
                )
                actions.append(
                    ActionItem(
                        partnership=p,
                        meeting=m,
                        text=f"Follow up: {rng.choice(POINTS).lower()}",
                        owner=people[n % 2],
                        due_on=due,
                        done_at=done,
                        created_by=people[n % 2],
                        created_at=m.scheduled_for,
                    )
                )
        elif m.status == "held":
            groups.append(CardGroup(meeting=m, title="No surprises", created_at=m.scheduled_for))
            for author in people:
                for column, texts in CARDS.items():
                    for text in rng.sample(texts, 3 if column == "frustrating" else 4 if column == "going_well" else 3):
                        cards.append(
                            Card(meeting=m, author=author, column=column, text=text, created_at=m.scheduled_for)
                        )
    AgendaItem.objects.bulk_create(agenda)
    CardGroup.objects.bulk_create(groups)
    group_of = {g.meeting_id: g for g in groups}
    for c in cards:
        if c.column == "frustrating" and rng.random() < 0.3:
            c.group = group_of.get(c.meeting_id)
    Card.objects.bulk_create(cards)
    votes = []
    by_meeting: dict[int, list[Card]] = {}
    for c in cards:
        by_meeting.setdefault(c.meeting_id, []).append(c)
    experiments = []
    for meeting_id, meeting_cards in by_meeting.items():
        for author in people:
            for c in rng.sample(meeting_cards, 3):
                votes.append(Vote(card=c, user=author, created_at=c.created_at))
        idea = next((c for c in meeting_cards if c.column == "try_next"), None)
        if idea is not None and rng.random() < 0.5:
            decided = idea.created_at + timedelta(days=30)
            status = rng.choice(["kept", "adapted", "dropped"]) if decided < moment else "running"
            experiments.append(
                Experiment(
                    partnership=p,
                    card=idea,
                    title=idea.text,
                    hypothesis="Fewer surprises",
                    success_signal="No related frustration next month",
                    review_on=decided.date(),
                    status=status,
                    decided_at=decided if status != "running" else None,
                    outcome="Seen in the next retro" if status != "running" else "",
                    created_by=people[meeting_id % 2],
                    created_at=idea.created_at,
                )
            )
        actions.append(
            ActionItem(
                partnership=p,
                meeting_id=meeting_id,
                text="Agree how to avoid surprises",
                owner=people[meeting_id % 2],
                due_on=(meeting_cards[0].created_at + timedelta(days=14)).date(),
                done_at=meeting_cards[0].created_at + timedelta(days=rng.choice([7, 12, 20])),
                created_by=em,
                created_at=meeting_cards[0].created_at,
            )
        )
    Vote.objects.bulk_create(votes)
    ActionItem.objects.bulk_create(actions)
    Experiment.objects.bulk_create(experiments)
    count += len(agenda) + len(cards) + len(groups) + len(votes) + len(actions) + len(experiments)

    # Quarterly health checks, improving over time.
    checks, check_dims, responses, ratings = [], [], [], []
    day, number = begin + timedelta(days=10), 0
    while day < moment:
        number += 1
        checks.append(
            HealthCheck(
                partnership=p,
                number=number,
                status="revealed",
                opened_by=em,
                opened_at=day,
                revealed_at=day + timedelta(days=2),
            )
        )
        day += timedelta(days=91)
    HealthCheck.objects.bulk_create(checks)
    for hc in checks:
        for position, (key, title, description) in enumerate(DEFAULT_DIMENSIONS):
            check_dims.append(
                CheckDimension(check_run=hc, key=key, title=title, description=description, position=position)
            )
        for u in people:
            responses.append(
                Response(check_run=hc, user=u, submitted_at=hc.revealed_at, updated_at=hc.revealed_at or moment)
            )
    CheckDimension.objects.bulk_create(check_dims)
    Response.objects.bulk_create(responses)
    dims_of: dict[int, list[CheckDimension]] = {}
    for cd in check_dims:
        dims_of.setdefault(cd.check_run_id, []).append(cd)
    for r in responses:
        check = next(x for x in checks if x.pk == r.check_run_id)
        base = min(2 + check.number // 3, 4)
        for cd in dims_of[r.check_run_id]:
            ratings.append(
                Rating(
                    response=r,
                    dimension=cd,
                    today=min(5, max(1, base + rng.choice([-1, 0, 0, 1]))),
                    target=min(5, base + 1),
                    guess=base,
                    note="",
                )
            )
    Rating.objects.bulk_create(ratings)
    by_check: dict[int, dict[str, list[Rating]]] = {}
    key_of = {cd.pk: (cd.key, cd.title) for cd in check_dims}
    for rating in ratings:
        check_id = next(r.check_run_id for r in responses if r.pk == rating.response_id)
        by_check.setdefault(check_id, {}).setdefault(key_of[rating.dimension_id][0], []).append(rating)
    for hc in checks:
        summary: dict[str, dict[str, Any]] = {}
        for key, items in by_check.get(hc.pk, {}).items():
            todays, targets = [x.today or 0 for x in items], [x.target or 0 for x in items]
            title = next(name for k, name in key_of.values() if k == key)
            summary[key] = {
                "title": title,
                "today_mean": round(mean(todays), 2),
                "target_mean": round(mean(targets), 2),
                "improvement_gap": round(mean(targets) - mean(todays), 2),
                "perception_gap": max(todays) - min(todays),
            }
        hc.summary = summary
        hc.score = round(mean(float(v["today_mean"]) for v in summary.values()), 2)
    HealthCheck.objects.bulk_update(checks, ["summary", "score"])
    count += len(checks) + len(check_dims) + len(responses) + len(ratings)

    # A charter in three versions.
    content = starter_content(p)
    revisions = []
    for v in range(1, 4):
        at = begin + timedelta(days=20 + 200 * (v - 1))
        revisions.append(
            CharterRevision(
                partnership=p,
                number=v,
                status="ratified" if v == 3 else "superseded",
                author=people[v % 2],
                rationale=f"Revision {v}",
                purpose=content.purpose,
                values=content.values,
                principles=content.principles,
                responsibilities=content.responsibilities,
                agreements=[*content.agreements[: 3 + v]],
                created_at=at,
                ratified_at=at + timedelta(days=2),
                closed_at=None if v == 3 else at + timedelta(days=200),
            )
        )
    CharterRevision.objects.bulk_create(revisions)
    for a, b in zip(revisions[1:], revisions[:-1], strict=True):
        a.base = b
    CharterRevision.objects.bulk_update(revisions[1:], ["base"])
    Ratification.objects.bulk_create(
        [Ratification(revision=r, user=u, at=r.ratified_at or moment) for r in revisions for u in people]
    )
    measure = Measure.objects.create(
        partnership=p, name="Decisions made together", target=80, direction="up", unit="%", created_by=em
    )
    Reading.objects.bulk_create(
        [
            Reading(measure=measure, value=40 + 2 * i, taken_on=(begin + timedelta(days=30 * i)).date(), entered_by=pm)
            for i in range(1, int((moment - begin).days / 30))
        ]
    )
    count += len(revisions) * 3 + 1

    # Disagreements every two months; journal entries monthly.
    tensions: list[Tension] = []
    perspectives: list[Perspective] = []
    journal: list[JournalEntry] = []
    day = begin + timedelta(days=15)
    while day < moment:
        resolved = day < moment - timedelta(days=20)
        tensions.append(
            Tension(
                partnership=p,
                topic=rng.choice(CARDS["frustrating"]),
                tags=["seed"],
                raised_by=people[len(tensions) % 2],
                created_at=day,
                revealed_at=day,  # both partners write their sides the day it is raised
                status="resolved" if resolved else "open",
                resolved_at=day + timedelta(days=rng.randint(2, 12)) if resolved else None,
                resolution="Agreed a way forward" if resolved else "",
            )
        )
        day += timedelta(days=60)
    Tension.objects.bulk_create(tensions)
    for tension in tensions:
        for u in people:
            perspectives.append(
                Perspective(
                    tension=tension,
                    author=u,
                    important_to_me="Focus on the goal",
                    why="Because",
                    partner_priority_guess="Speed",
                    updated_at=tension.created_at,
                )
            )
    Perspective.objects.bulk_create(perspectives)
    day = begin + timedelta(days=5)
    while day < moment:
        for n, u in enumerate(people):
            journal.append(
                JournalEntry(
                    partnership=p,
                    author=u,
                    text="Noticed how we handled the roadmap review",
                    visibility="shared" if n else "private",
                    created_at=day,
                    updated_at=day,
                )
            )
        day += timedelta(days=30)
    JournalEntry.objects.bulk_create(journal)
    count += len(tensions) + len(perspectives) + len(journal)

    # Objectives per quarter with key results; decisions monthly, every one signed by both.
    objectives: list[Objective] = []
    krs: list[KeyResult] = []
    readings: list[KeyResultReading] = []
    decisions: list[Decision] = []
    day = begin
    while day < moment:
        objectives.append(
            Objective(
                partnership=p,
                title=f"Quarter goal {len(objectives) + 1}",
                why="Grow conversion",
                starts_on=day.date(),
                ends_on=(day + timedelta(days=90)).date(),
                created_by=em,
                created_at=day,
            )
        )
        day += timedelta(days=91)
    Objective.objects.bulk_create(objectives)
    for o in objectives:
        for k in range(2):
            krs.append(KeyResult(objective=o, name=f"Result {k + 1}", baseline=10, target=20, unit="%"))
    KeyResult.objects.bulk_create(krs)
    for kr in krs:
        start = next(o.starts_on for o in objectives if o.pk == kr.objective_id)
        for i in range(4):
            taken = start + timedelta(days=20 * (i + 1))
            if taken <= moment.date():
                readings.append(
                    KeyResultReading(key_result=kr, value=10 + 2.5 * (i + 1), taken_on=taken, entered_by=pm)
                )
    KeyResultReading.objects.bulk_create(readings)
    day = begin + timedelta(days=12)
    while day < moment:
        request = len(decisions) % 3 == 0
        decisions.append(
            Decision(
                partnership=p,
                kind="request" if request else "decision",
                title=f"Decision {len(decisions) + 1}",
                context="Context",
                outcome="Outcome",
                requester="Sales" if request else "",
                triage="accept" if request else "",
                status="agreed",
                created_by=pm,
                created_at=day,
                agreed_at=day + timedelta(days=2),
            )
        )
        day += timedelta(days=30)
    Decision.objects.bulk_create(decisions)
    DecisionObjective.objects.bulk_create(
        [
            DecisionObjective(decision=d, objective=objectives[min(i // 3, len(objectives) - 1)])
            for i, d in enumerate(decisions)
            if i % 4
        ]
    )
    SignOff.objects.bulk_create(
        [SignOff(decision=d, user=u, kind="signed", at=d.agreed_at or moment) for d in decisions for u in people]
    )
    count += len(objectives) + len(krs) + len(readings) + len(decisions) * 3
    return count
