"""The seed's meetings: weekly 1:1s with agendas and action items, monthly retros with cards,
groups, votes, experiments and a follow-up."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from accord.accounts.models import User
from accord.partnerships.models import Partnership
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


def seed_meetings(p: Partnership, em: User, pm: User, begin: datetime, moment: datetime, rng: random.Random) -> int:
    """Weekly 1:1s and monthly retros, held in the past, one of each planned ahead."""
    people = [em, pm]
    count = 0

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
    return count
