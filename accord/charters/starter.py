"""A starter charter: a first version a pair can adapt in minutes rather than write from nothing."""

from __future__ import annotations

from accord.charters.services import CharterContent
from accord.partnerships.models import Partnership

STARTER_RATIONALE = "Our first charter, started from Accord's template and adapted to us."


def starter_content(partnership: Partnership) -> CharterContent:
    team = partnership.team or "our team"
    return CharterContent(
        purpose=(
            f"We lead {team} together. We succeed or fail as one: our job is a team that ships what "
            "matters to customers, sustainably, and knows why it is building it.\n\n"
            "What matters most to us in this partnership:\n\n"
            "- No surprises: each of us hears important news from the other first.\n"
            "- One voice to the team once we have decided, even when we disagreed.\n"
            "- Decisions made on evidence, with the trade-offs said out loud."
        ),
        values=[
            "**Candour with care**: we say the hard thing early, in private, assuming good intent.",
            "**Shared ownership**: outcomes are ours, not “product's” or “engineering's”.",
            "**Curiosity over certainty**: when we disagree, we first ask why the other cares.",
        ],
        principles=[
            "Customer impact before internal polish, unless the polish protects our ability to deliver.",
            "We protect about 20% of the team's capacity for technical health and learning.",
            "A reversible decision is made fast by whoever owns it; an irreversible one is made together.",
            "When data and opinion disagree, we go and get better data before we argue harder.",
        ],
        responsibilities=[
            {"area": "Product discovery, roadmap and what we build next", "owner": "PM"},
            {"area": "How we build: architecture, quality and delivery", "owner": "EM"},
            {"area": "People: hiring, growth and performance of engineers", "owner": "EM"},
            {"area": "Stakeholder expectations and business case", "owner": "PM"},
            {"area": "Team goals, priorities and scope trade-offs", "owner": "shared"},
            {"area": "Team health, rituals and ways of working", "owner": "shared"},
        ],
        agreements=[
            f"A 1:1 every {partnership.one_on_one_days} days with a shared agenda we both add to.",
            f"A partnership retro every {partnership.retro_days} days: going well, frustrating, try next.",
            "Quick questions in direct messages; anything that affects the team we discuss before announcing.",
            "We disagree in private and present one decision to the team.",
            "If we are stuck for more than a week, we escalate together to our managers, with both views.",
        ],
    )
