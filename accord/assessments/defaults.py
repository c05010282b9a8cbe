"""The default health-check template: what a healthy EM/PM partnership looks like, dimension by dimension.

Each description says what a 1 and a 5 look like, so two partners rate against the same picture."""

from __future__ import annotations

DEFAULT_DIMENSIONS: list[tuple[str, str, str]] = [
    (
        "trust-candour",
        "Trust and candour",
        "1: we hold back concerns and hear about problems from others first.\n"
        "5: we raise hard things early and directly, and assume good intent when the other does.",
    ),
    (
        "communication-rhythm",
        "Communication rhythm",
        "1: we talk when something breaks, and news reaches us late or second-hand.\n"
        "5: a steady rhythm of 1:1s and quick async updates means neither of us is ever surprised.",
    ),
    (
        "shared-goals",
        "Shared goals",
        "1: we each chase our own function's goals and compete for the team's time.\n"
        "5: we own one set of team outcomes and judge both our work by them.",
    ),
    (
        "role-clarity",
        "Role clarity",
        "1: we step on each other's toes or leave gaps that nobody owns.\n"
        "5: we know who decides what (the what and why, the how and when) and where we decide together.",
    ),
    (
        "handling-disagreement",
        "Handling disagreement",
        "1: disagreements go underground, escalate, or one of us simply gives in.\n"
        "5: we disagree in the open, understand why the other cares, and both commit once we decide.",
    ),
    (
        "joint-decisions",
        "Joint decision-making",
        "1: decisions about scope, staffing or priorities are made by one of us alone.\n"
        "5: decisions that shape the team are made together, with the trade-offs said out loud.",
    ),
    (
        "business-alignment",
        "Business alignment",
        "1: the team cannot say how its work connects to the business.\n"
        "5: our roadmap and technical investment trace back to business objectives and data.",
    ),
    (
        "modelling-to-team",
        "Modelling the partnership",
        "1: the team hears mixed messages and can play us against each other.\n"
        "5: the team sees one leadership voice and copies how we work together.",
    ),
]

# Titles written by us, not by a partnership: a coach may read them (a partnership's own stay theirs).
DEFAULT_TITLES = frozenset(title for _, title, _ in DEFAULT_DIMENSIONS)
