"""Writes for the charter: proposals, ratification, withdrawal; success measures and readings."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING

from django.db.models import Max
from django.utils.timezone import now

from accord.charters.models import OWNERS, CharterRevision, Measure, Ratification, Reading
from accord.lib.dates import local_today
from accord.lib.errors import Conflict, NotFound, ValidationError
from accord.lib.freshness import partnership_write
from accord.lib.text import clean_line, clean_text
from accord.partnerships.models import Membership, Partnership

if TYPE_CHECKING:
    from accord.accounts.models import User

MAX_ITEMS = 50


@dataclass(frozen=True)
class CharterContent:
    purpose: str = ""
    values: list[str] = field(default_factory=list)
    principles: list[str] = field(default_factory=list)
    responsibilities: list[dict[str, str]] = field(default_factory=list)
    agreements: list[str] = field(default_factory=list)


SECTIONS = ("purpose", "values", "principles", "responsibilities", "agreements")


def _items(values: list[str], field_name: str) -> list[str]:
    items = [clean_text(v, field_name, 500) for v in values]
    items = [v for v in items if v]
    if len(items) > MAX_ITEMS:
        raise ValidationError({field_name: f"Keep it to {MAX_ITEMS} items."})
    return items


def charter_content_clean(content: CharterContent) -> CharterContent:
    """Trim every text, drop empty items, and check lengths and owners, naming the field at fault."""
    responsibilities = []
    for item in content.responsibilities:
        area = clean_text(item.get("area", ""), "responsibilities", 200)
        owner = item.get("owner", "")
        if not area:
            continue
        if owner not in OWNERS:
            raise ValidationError({"responsibilities": f"Owner of “{area[:40]}” must be one of {', '.join(OWNERS)}."})
        responsibilities.append({"area": area, "owner": owner})
    cleaned = CharterContent(
        purpose=clean_text(content.purpose, "purpose", 8000),
        values=_items(content.values, "values"),
        principles=_items(content.principles, "principles"),
        responsibilities=responsibilities,
        agreements=_items(content.agreements, "agreements"),
    )
    if not any((cleaned.purpose, cleaned.values, cleaned.principles, cleaned.responsibilities, cleaned.agreements)):
        raise ValidationError({"purpose": "A charter needs at least one section filled in."})
    return cleaned


def _changes_with_a_reason(current: CharterRevision, content: CharterContent, rationale: str) -> None:
    """A proposal on top of the charter changes something in it, and says why: your partner
    ratifies the change, so they need to see one and its reason."""
    same = all(getattr(current, f) == getattr(content, f) for f in SECTIONS)
    if same:
        raise ValidationError({"purpose": "This is the current charter as it stands: change something to propose it."})
    if not rationale:
        raise ValidationError({"rationale": "Say why you propose this change: your partner ratifies it with that."})


def _first_with_a_reason(rationale: str) -> None:
    """The first charter too says why: your partner ratifies it with that."""
    if not rationale:
        raise ValidationError({"rationale": "Say why you propose this charter: your partner ratifies it with that."})


def _lock(partnership: Partnership) -> CharterRevision | None:
    """Serialise charter changes of one partnership; return its current revision."""
    Partnership.objects.select_for_update().filter(pk=partnership.pk).first()
    return partnership.charter_revisions.filter(status=CharterRevision.Status.RATIFIED).first()


def charter_propose(
    *,
    partnership: Partnership,
    user: User,
    base: int | None,
    content: CharterContent,
    rationale: str = "",
    ratify: bool = False,
    replaces: CharterRevision | None = None,
    at: datetime | None = None,
) -> CharterRevision:
    """Propose a new revision against the current one (`base` is its number, or None for the first).
    A stale base is refused: nobody's text is ever silently replaced."""
    content = charter_content_clean(content)
    rationale = clean_text(rationale, "rationale", 4000)
    with partnership_write(partnership):
        current = _lock(partnership)
        current_number = current.number if current else None
        if current is not None and base == current_number:
            _changes_with_a_reason(current, content, rationale)
        elif current is None and base is None:
            _first_with_a_reason(rationale)
        if base != current_number:
            raise Conflict(
                f"The charter changed while you were editing: version {current_number} is current now. "
                "Your text is kept; propose it again on top of the current version."
                if current_number
                else "There is no current charter yet, so a proposal cannot build on one."
            )
        revision = CharterRevision.objects.create(
            partnership=partnership,
            proposal_number=(partnership.charter_revisions.aggregate(n=Max("proposal_number"))["n"] or 0) + 1,
            base=current,
            author=user,
            rationale=rationale,
            purpose=content.purpose,
            values=content.values,
            principles=content.principles,
            responsibilities=content.responsibilities,
            agreements=content.agreements,
            created_at=at or now(),
        )
        if (
            replaces is not None
            and replaces.author_id == user.pk
            and replaces.status == CharterRevision.Status.PROPOSED
        ):
            replaces.status, replaces.closed_at = CharterRevision.Status.WITHDRAWN, at or now()
            replaces.save(update_fields=["status", "closed_at"])
    if ratify:
        revision = charter_revision_ratify(revision=revision, user=user, at=at)
    return revision


def charter_revision_ratify(*, revision: CharterRevision, user: User, at: datetime | None = None) -> CharterRevision:
    """Ratify a proposal. When every member has, it becomes the current charter with the next number."""
    moment = at or now()
    with partnership_write(revision.partnership_id):
        current = _lock(revision.partnership)
        revision = CharterRevision.objects.get(pk=revision.pk)
        if revision.status != CharterRevision.Status.PROPOSED:
            raise Conflict(f"This revision is {revision.get_status_display().lower()}; only proposals are ratified.")
        if revision.base_id != (current.pk if current else None):
            raise Conflict(
                "This proposal was written against an older version of the charter. "
                "Rebase it onto the current version to ratify it."
            )
        Ratification.objects.get_or_create(revision=revision, user=user, defaults={"at": moment})
        members = set(
            Membership.objects.filter(partnership_id=revision.partnership_id).values_list("user_id", flat=True)
        )
        ratified = set(revision.ratifications.values_list("user_id", flat=True))
        if members <= ratified:
            if current is not None:
                current.status, current.closed_at = CharterRevision.Status.SUPERSEDED, moment
                current.save(update_fields=["status", "closed_at"])
            top = revision.partnership.charter_revisions.aggregate(m=Max("number"))["m"] or 0
            revision.status, revision.number, revision.ratified_at = CharterRevision.Status.RATIFIED, top + 1, moment
            revision.save(update_fields=["status", "number", "ratified_at"])
    return revision


def charter_revision_withdraw(*, revision: CharterRevision, user: User) -> CharterRevision:
    """Its author takes a proposal back. The text stays in the history."""
    with partnership_write(revision.partnership_id):
        _lock(revision.partnership)
        revision = CharterRevision.objects.get(pk=revision.pk)
        if revision.author_id != user.pk:
            raise NotFound()
        if revision.status != CharterRevision.Status.PROPOSED:
            raise Conflict("Only a proposal that is not yet ratified can be withdrawn.")
        revision.status, revision.closed_at = CharterRevision.Status.WITHDRAWN, now()
        revision.save(update_fields=["status", "closed_at"])
    return revision


# --- Success measures ------------------------------------------------------------------------


def _finite(value: float, field_name: str) -> float:
    if not math.isfinite(value):
        raise ValidationError({field_name: "Enter a number."})
    return value


def measure_create(
    *,
    partnership: Partnership,
    user: User,
    name: str,
    target: float,
    direction: str,
    method: str = "",
    unit: str = "",
) -> Measure:
    if direction not in Measure.Direction.values:
        raise ValidationError({"direction": "Choose up (higher is better) or down (lower is better)."})
    measure = Measure(
        partnership=partnership,
        name=clean_line(name, field="name", max_length=120),
        method=clean_text(method, "method", 1000),
        target=_finite(target, "target"),
        direction=direction,
        unit=clean_line(unit, field="unit", max_length=20, required=False),
        created_by=user,
    )
    measure.full_clean()
    with partnership_write(partnership):
        measure.save()
    return measure


def measure_reading_add(*, measure: Measure, user: User, value: float, taken_on: date, note: str = "") -> Reading:
    if taken_on > local_today(measure.partnership.timezone):
        raise ValidationError({"taken_on": "A reading cannot be taken in the future."})
    reading = Reading(
        measure=measure,
        value=_finite(value, "value"),
        taken_on=taken_on,
        note=clean_line(note, field="note", max_length=500, required=False),
        entered_by=user,
    )
    reading.full_clean()
    with partnership_write(measure.partnership_id):
        reading.save()
    return reading
