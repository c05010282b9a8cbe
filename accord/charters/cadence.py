"""Working agreements about a ritual's rhythm ("A 1:1 every 7 days", "retros every two weeks",
"a monthly health check"), read from the current charter, so that the page can offer to set the
partnership's cadence to what both ratified when the two differ."""

from __future__ import annotations

import re
from dataclasses import dataclass

from accord.charters.models import CharterRevision
from accord.partnerships.models import Partnership

RITUALS = (
    ("one_on_one_days", "1:1s", r"1:1s?|one[- ]on[- ]ones?"),
    ("retro_days", "partnership retros", r"(?:partnership )?retro(?:spective)?s?"),
    ("health_check_days", "health checks", r"health[- ]checks?"),
)
UNITS = {"day": 1, "week": 7, "fortnight": 14, "month": 30}
ADVERBS = {"daily": 1, "weekly": 7, "fortnightly": 14, "biweekly": 14, "monthly": 30, "quarterly": 91}
NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "eight": 8, "twelve": 12}
EVERY = re.compile(r"\bevery\s+(?:(\d{1,3}|[a-z]+)\s+)?(day|week|fortnight|month)s?\b")
ADVERB = re.compile(r"\b(" + "|".join(ADVERBS) + r")\b")


@dataclass(frozen=True)
class CadenceOffer:
    field: str  # the partnership's setting, e.g. "one_on_one_days"
    ritual: str  # "1:1s"
    days: int  # what the charter says
    current: int  # what the setting is
    agreement: str  # the charter's words


def agreement_days(text: str, ritual_pattern: str) -> int | None:
    """The rhythm, in days, that an agreement gives a ritual it names; None when it names none."""
    lowered = text.lower()
    if not re.search(rf"(?<![\w:])(?:{ritual_pattern})(?!\w)", lowered):
        return None
    every = EVERY.search(lowered)
    if every:
        count, unit = every.groups()
        n = int(count) if count and count.isdigit() else NUMBERS.get(count or "a")
        if n:
            return n * UNITS[unit]
    adverb = ADVERB.search(lowered)
    return ADVERBS[adverb.group(1)] if adverb else None


def cadence_offers(*, partnership: Partnership, current: CharterRevision | None) -> list[CadenceOffer]:
    """What the current charter agrees about each ritual's rhythm, where the setting differs; the
    first agreement naming a ritual is the one that counts."""
    if current is None:
        return []
    offers = []
    for field, ritual, pattern in RITUALS:
        for agreement in current.agreements:
            days = agreement_days(agreement, pattern)
            if days is not None:
                if 1 <= days <= 365 and days != getattr(partnership, field):
                    offers.append(CadenceOffer(field, ritual, days, getattr(partnership, field), agreement))
                break
    return offers
