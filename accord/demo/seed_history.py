"""The seed's records: quarterly health checks, a charter in three versions with a success
measure, disagreements and journal entries, objectives with key results, and decisions."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from accord.accounts.models import User
from accord.alignment.models import Decision, DecisionObjective, KeyResult, KeyResultReading, Objective, SignOff
from accord.assessments.defaults import DEFAULT_DIMENSIONS
from accord.assessments.models import CheckDimension, HealthCheck, Rating, Response
from accord.assessments.services import healthcheck_summarise
from accord.charters.models import CharterRevision, Measure, Ratification, Reading
from accord.charters.starter import starter_content
from accord.demo.seed_rituals import CARDS
from accord.partnerships.models import Partnership
from accord.tensions.models import JournalEntry, Perspective, Tension


def seed_health_checks(
    p: Partnership, em: User, pm: User, begin: datetime, moment: datetime, rng: random.Random
) -> int:
    """Quarterly health checks, improving over time."""
    people = [em, pm]
    count = 0

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
    for hc in checks:
        healthcheck_summarise(hc)  # the figures a reveal stores, by the code that stores them
    HealthCheck.objects.bulk_update(checks, ["summary", "score"])
    count += len(checks) + len(check_dims) + len(responses) + len(ratings)
    return count


def seed_charter(p: Partnership, em: User, pm: User, begin: datetime, moment: datetime, rng: random.Random) -> int:
    """A charter in three versions, and a success measure with monthly readings."""
    people = [em, pm]
    count = 0

    content = starter_content(p)
    revisions = []
    for v in range(1, 4):
        at = begin + timedelta(days=20 + 200 * (v - 1))
        revisions.append(
            CharterRevision(
                partnership=p,
                number=v,
                proposal_number=v,
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
    return count


def seed_tensions(p: Partnership, em: User, pm: User, begin: datetime, moment: datetime, rng: random.Random) -> int:
    """Disagreements every two months; journal entries monthly."""
    people = [em, pm]
    count = 0

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
    return count


def seed_alignment(p: Partnership, em: User, pm: User, begin: datetime, moment: datetime, rng: random.Random) -> int:
    """Objectives per quarter with key results; decisions monthly, every one signed by both."""
    people = [em, pm]
    count = 0

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
