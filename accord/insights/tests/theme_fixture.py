"""A labelled set of partnership texts: eight recurring themes written in different words, and a
few one-off remarks. The themes test measures pairwise precision and recall against these labels."""

from __future__ import annotations

THEMED: dict[str, list[str]] = {
    "surprises": [
        "I heard about the scope change in standup before you told me",
        "Found out about the scope change from the team, not from you",
        "Scope changed again without a heads-up to me first",
        "Another surprise scope change announced in standup",
        "I was surprised by the roadmap scope change in the all-hands",
        "No heads-up before the scope of the project changed",
        "Learned of the changed scope second-hand, again",
        "Surprised that scope was cut without telling me",
    ],
    "staffing": [
        "Staffing moved without us deciding together",
        "Engineers were moved to another squad without a conversation",
        "You moved Priya to payments without asking me",
        "Staffing decisions feel one-sided",
        "People moved between squads and I found out later",
        "We should decide staffing moves together",
        "Moving engineers between teams needs both of us",
        "The staffing change happened before we talked",
    ],
    "arguing": [
        "We argued in front of the team",
        "Our disagreement played out in front of the whole team",
        "Arguing in the planning meeting in front of everyone",
        "The team saw us argue about priorities again",
        "We disagreed openly in front of the engineers",
        "Heated argument during sprint review in front of the team",
        "Let's not argue in front of the team",
        "Team watched us argue about the deadline",
    ],
    "leadership_requests": [
        "Too many ad-hoc requests from leadership",
        "Leadership keeps sending urgent ad-hoc requests",
        "Another ad-hoc request from leadership derailed the sprint",
        "Urgent requests from leadership interrupt our plans",
        "Ad-hoc leadership asks pull the team off the roadmap",
        "Leadership requests arrive last minute and ad-hoc",
        "We said yes to leadership requests we should have pushed back on",
        "Handling ad-hoc leadership requests is frustrating",
    ],
    "reopened_decisions": [
        "Decisions get reopened after we agreed",
        "We keep reopening decisions we already made",
        "The decision on pricing was reopened again",
        "Reopened the architecture decision after signing it off",
        "Agreed decisions keep being reopened by one of us",
        "It's frustrating when decided things are reopened",
        "Please stop reopening decisions once agreed",
        "We reopened last month's decision without new data",
    ],
    "tech_debt": [
        "Tech debt keeps getting pushed to next quarter",
        "No time for tech debt in the roadmap",
        "The tech debt backlog is growing every sprint",
        "We never prioritise tech debt over features",
        "Technical debt slowed the release again",
        "Tech debt work was cut from the sprint again",
        "Paying down tech debt needs protected time",
        "The tech debt in checkout is hurting delivery",
    ],
    "one_on_ones": [
        "Our 1:1 got cancelled again",
        "Weekly 1:1s keep getting cancelled for other meetings",
        "We skipped the 1:1 two weeks in a row",
        "Cancelled 1:1 means we lose our sync",
        "Protect the weekly 1:1 from cancellations",
        "Another cancelled 1:1 this week",
        "1:1 cancelled at the last minute again",
        "We cancel our 1:1 whenever things get busy",
    ],
    "estimates": [
        "Estimates are treated as promises to sales",
        "Sales heard our estimate as a commitment",
        "Rough estimates became hard deadlines",
        "I get defensive when estimates come up",
        "Estimates shared with stakeholders turned into commitments",
        "We need a shared way to talk about estimates",
        "Estimates keep being quoted back to us as deadlines",
        "Giving estimates to leadership feels risky",
    ],
}

NOISE = [
    "The offsite venue was great",
    "Coffee machine on floor three is broken",
    "Loved the demo of the new onboarding flow",
    "Holiday calendar needs updating",
    "Customer interview notes are in the shared drive",
    "The design review went smoothly",
]


def labelled() -> list[tuple[str, str]]:
    rows = [(text, theme) for theme, texts in THEMED.items() for text in texts]
    rows += [(text, f"noise-{i}") for i, text in enumerate(NOISE)]
    return rows
