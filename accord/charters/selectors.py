"""Reads for the charter and success measures, always through the caller's partnerships."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from django.db.models import Prefetch, QuerySet

from accord.charters.models import OWNERS, CharterRevision, Measure, Ratification, Reading
from accord.lib.errors import NotFound
from accord.partnerships.models import Membership, Partnership

if TYPE_CHECKING:
    from accord.accounts.models import User

SECTIONS = [
    ("purpose", "Purpose and what matters"),
    ("values", "Values"),
    ("principles", "Decision principles"),
    ("responsibilities", "Responsibilities"),
    ("agreements", "Working agreements"),
]
OWNER_LABELS = {"EM": "EM", "PM": "PM", "Design": "Design", "Other": "Other", "shared": "Shared"}
assert set(OWNER_LABELS) == set(OWNERS)


def _revisions(partnership_ids: QuerySet[Partnership] | list[int]) -> QuerySet[CharterRevision]:
    return (
        CharterRevision.objects.filter(partnership__in=partnership_ids)
        .select_related("author", "base", "partnership")
        .prefetch_related(
            Prefetch("ratifications", queryset=Ratification.objects.select_related("user")),
            Prefetch("partnership__memberships", queryset=Membership.objects.select_related("user")),
        )
    )


def charter_current(*, partnership: Partnership) -> CharterRevision | None:
    return _revisions([partnership.pk]).filter(status=CharterRevision.Status.RATIFIED).first()


def charter_proposals(*, partnership: Partnership) -> list[CharterRevision]:
    return list(_revisions([partnership.pk]).filter(status=CharterRevision.Status.PROPOSED))


def charter_history(*, partnership: Partnership) -> list[CharterRevision]:
    """Every revision, ratified ones by number (newest first), then proposals and withdrawn ones."""
    return list(_revisions([partnership.pk]).order_by("-number", "-created_at", "-id"))


def charter_revision_get(*, user: User, rid: int, pid: int | None = None) -> CharterRevision:
    revision = _revisions(Partnership.objects.for_user(user)).filter(pk=rid).first()
    if revision is None or (pid is not None and revision.partnership_id != pid):
        raise NotFound()
    return revision


def charter_revision_is_outdated(revision: CharterRevision, current: CharterRevision | None) -> bool:
    """A proposal whose base is no longer the current charter cannot be ratified as it is."""
    return revision.status == CharterRevision.Status.PROPOSED and revision.base_id != (current.pk if current else None)


def charter_revision_awaiting(revision: CharterRevision) -> list[Membership]:
    """Members who have not ratified yet."""
    done = {r.user_id for r in revision.ratifications.all()}
    return [m for m in revision.partnership.memberships.all() if m.user_id not in done]


@dataclass(frozen=True)
class DiffLine:
    op: Literal["same", "added", "removed"]
    text: str


@dataclass(frozen=True)
class SectionDiff:
    key: str
    title: str
    lines: list[DiffLine]

    @property
    def changed(self) -> bool:
        return any(line.op != "same" for line in self.lines)


def charter_section_lines(revision: CharterRevision | None, key: str) -> list[str]:
    if revision is None:
        return []
    if key == "purpose":
        return [line for line in revision.purpose.splitlines() if line.strip()]
    if key == "responsibilities":
        return [f"{r['area']} ({OWNER_LABELS.get(r['owner'], r['owner'])})" for r in revision.responsibilities]
    return list(getattr(revision, key))


def charter_revision_diff(old: CharterRevision | None, new: CharterRevision) -> list[SectionDiff]:
    """Section by section: which lines or items `new` keeps, adds and removes compared with `old`."""
    sections = []
    for key, title in SECTIONS:
        before, after = charter_section_lines(old, key), charter_section_lines(new, key)
        lines: list[DiffLine] = []
        matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
        for op, i1, i2, j1, j2 in matcher.get_opcodes():
            if op == "equal":
                lines += [DiffLine("same", text) for text in after[j1:j2]]
            else:
                lines += [DiffLine("removed", text) for text in before[i1:i2]]
                lines += [DiffLine("added", text) for text in after[j1:j2]]
        sections.append(SectionDiff(key, title, lines))
    return sections


@dataclass(frozen=True)
class MeasureView:
    measure: Measure
    readings: list[Reading]

    @property
    def latest(self) -> Reading | None:
        return self.readings[-1] if self.readings else None

    @property
    def on_track(self) -> bool | None:
        """Whether the latest reading meets the target in the measure's direction (None without readings)."""
        if self.latest is None:
            return None
        if self.measure.direction == Measure.Direction.UP:
            return self.latest.value >= self.measure.target
        return self.latest.value <= self.measure.target


def measure_list(*, partnership: Partnership) -> list[MeasureView]:
    measures = partnership.measures.prefetch_related(
        Prefetch("readings", queryset=Reading.objects.select_related("entered_by"))
    )
    return [MeasureView(m, list(m.readings.all())) for m in measures]


def measure_get(*, user: User, mid: int, pid: int | None = None) -> Measure:
    measure = (
        Measure.objects.filter(partnership__in=Partnership.objects.for_user(user), pk=mid)
        .select_related("partnership")
        .first()
    )
    if measure is None or (pid is not None and measure.partnership_id != pid):
        raise NotFound()
    return measure


def measure_view(*, measure: Measure) -> MeasureView:
    return MeasureView(measure, list(measure.readings.select_related("entered_by")))
