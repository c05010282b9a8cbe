"""A year of 1:1s and monthly retros for the demo partnership, written through the services."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.utils.timezone import now

from accord.partnerships.models import Partnership
from accord.rituals import services
from accord.rituals.cadence import next_slot
from accord.rituals.models import Meeting

if TYPE_CHECKING:
    from accord.accounts.models import User

TALKING_POINTS = [
    "Hiring plan for the backend role",
    "Roadmap trade-off: payments retry vs. new checkout page",
    "How the team felt about the last incident",
    "Stakeholder request from Sales for Q3",
    "Tech debt budget for next sprint",
    "Career conversation for Priya",
    "Are we still aligned on the OKR for conversion?",
    "Feedback on my update to leadership",
    "Onboarding the new designer",
    "Release cadence: weekly or on demand?",
]
CARDS = {
    "going_well": [
        "1:1s happen every week now",
        "We presented one plan to the team",
        "Hiring decisions felt shared",
        "Quick Slack check-ins before announcements",
        "Roadmap review went smoothly",
    ],
    "frustrating": [
        "I heard about the scope change in standup",
        "Staffing moved without a heads-up",
        "We argued in front of the team",
        "Too many ad-hoc requests from leadership",
        "Decisions reopened after we agreed",
    ],
    "try_next": [
        "Pre-read the agenda the day before",
        "No announcements before we both agree",
        "Joint office hours with stakeholders",
        "Write down decisions in one place",
        "Swap who runs the planning meeting",
    ],
}
VERDICTS = ["kept", "adapted", "dropped", "kept"]
HISTORY_DAYS = 364
SESSION = timedelta(hours=1)


def _meeting(partnership: Partnership, user: User, kind: str, when: datetime) -> Meeting:
    """The planned session of `kind` (completing the last one planned it), moved to `when`."""
    planned = partnership.meetings.filter(kind=kind, status=Meeting.Status.PLANNED).first()
    if planned is None:
        return services.meeting_create(partnership=partnership, user=user, kind=kind, scheduled_for=when, at=when)
    return services.meeting_update(meeting=planned, scheduled_for=when)


def demo_rituals(partnership: Partnership, alice: User, bob: User) -> bool:
    """Weekly 1:1s with a retro every fourth week, from a year ago up to now. Run again later,
    it carries on from the last 1:1 held to the present. True when it added any session."""
    held = partnership.meetings.filter(kind=Meeting.Kind.ONE_ON_ONE, status=Meeting.Status.HELD)
    week = held.count()
    last = held.order_by("-scheduled_for").values_list("scheduled_for", flat=True).first()
    rng = random.Random(7 + week)  # noqa: S311 - repeatable demo data, not a secret
    people = [alice, bob]
    when = next_slot(partnership, last or now() - timedelta(days=HISTORY_DAYS), "one_on_one")
    added = False
    while when + SESSION < now():  # every session already over is held
        added = True
        meeting = _meeting(partnership, alice, "one_on_one", when)
        for i in range(rng.randint(2, 4)):
            item = services.agenda_item_add(meeting=meeting, user=people[i % 2], text=rng.choice(TALKING_POINTS))
            if rng.random() < 0.8:
                services.agenda_item_update(item=item, discussed=True)
        if week % 2 == 0:
            owner = people[week % 4 // 2]
            action = services.action_item_create(
                partnership=partnership,
                user=owner,
                text=f"Follow up: {rng.choice(TALKING_POINTS).lower()}",
                owner_id=owner.pk,
                due_on=(when + timedelta(days=7)).date(),
                meeting_id=meeting.pk,
                at=when,
            )
            if when < now() - timedelta(days=21) or rng.random() < 0.3:
                late = rng.random() < 0.25
                services.action_item_update(item=action, done=True, at=when + timedelta(days=10 if late else 5))
        services.meeting_complete(meeting=meeting, user=alice, notes="Good session.", at=when + SESSION)
        if week % 4 == 3 and when + timedelta(days=2) + SESSION < now():
            _retro(partnership, people, when + timedelta(days=2), rng, week // 4)
        when = next_slot(partnership, when, "one_on_one")
        week += 1
    return added


def _retro(partnership: Partnership, people: list[User], when: datetime, rng: random.Random, index: int) -> None:
    meeting = _meeting(partnership, people[0], "retro", when)
    due = list(partnership.experiments.filter(status="running", review_on__lte=when.date()))
    for experiment in due:
        verdict = VERDICTS[experiment.pk % len(VERDICTS)]
        services.experiment_update(
            experiment=experiment,
            status=verdict,
            outcome={
                "kept": "It worked: fewer surprises.",
                "adapted": "Useful, but weekly was too often.",
                "dropped": "Nobody missed it.",
            }[verdict],
            at=when,
        )
    cards = []
    for person in people:
        for column, texts in CARDS.items():
            for text in rng.sample(texts, 2 if column != "try_next" else 1):
                cards.append(services.card_add(meeting=meeting, user=person, column=column, text=text, at=when))
    meeting = services.meeting_reveal(meeting=meeting, at=when)
    for person in people:
        for card in rng.sample(cards, 3):
            services.vote_add(card=card, user=person, at=when)
    frustrations = [c for c in cards if c.column == "frustrating"]
    if len(frustrations) >= 2:
        services.card_group(meeting=meeting, card_ids=[frustrations[0].pk, frustrations[1].pk], title="No surprises")
    idea = next(c for c in cards if c.column == "try_next")
    services.experiment_create(
        partnership=partnership,
        user=people[index % 2],
        title=idea.text,
        hypothesis="It will cut the surprises we keep hitting.",
        success_signal="No “I heard it in standup” card next month.",
        review_on=(when + timedelta(days=28)).date(),
        card_id=idea.pk,
        at=when,
    )
    action = services.action_item_create(
        partnership=partnership,
        user=people[0],
        text=f"Agree how to handle: {frustrations[0].text.lower()}",
        owner_id=people[index % 2].pk,
        due_on=(when + timedelta(days=14)).date(),
        meeting_id=meeting.pk,
        card_id=frustrations[0].pk,
        at=when,
    )
    if when < now() - timedelta(days=30):
        services.action_item_update(item=action, done=True, at=when + timedelta(days=rng.choice([6, 9, 12, 20])))
    meeting_phase = services.meeting_phase_set(meeting=meeting, phase="decide")
    services.meeting_complete(meeting=meeting_phase, user=people[0], at=when + SESSION)
