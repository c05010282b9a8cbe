"""Reads for disagreements and the journal. Two rules live here and nowhere else:
a member sees the other sides of a tension only once every member has written theirs, and a
journal entry is seen by its author, and by the partner only once the author shares it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Prefetch, Q, QuerySet
from django.utils.timezone import now

from accord.charters.selectors import charter_current
from accord.lib.errors import NotFound
from accord.partnerships.models import Membership, Partnership
from accord.tensions.models import GuessRating, JournalEntry, Perspective, Tension

if TYPE_CHECKING:
    from accord.accounts.models import User


def _tensions() -> QuerySet[Tension]:
    return Tension.objects.select_related("raised_by", "partnership", "decision").prefetch_related(
        Prefetch("perspectives", queryset=Perspective.objects.select_related("author").prefetch_related("reads")),
        Prefetch("partnership__memberships", queryset=Membership.objects.select_related("user")),
    )


def tension_get(*, user: User, tid: int, pid: int | None = None) -> Tension:
    tension = _tensions().filter(partnership__in=Partnership.objects.for_user(user), pk=tid).first()
    if tension is None or (pid is not None and tension.partnership_id != pid):
        raise NotFound()
    return tension


def tension_list(*, partnership: Partnership, status: str | None = None, tag: str | None = None) -> list[Tension]:
    tensions = _tensions().filter(partnership=partnership)
    if status in Tension.Status.values:
        tensions = tensions.filter(status=status)
    items = list(tensions)
    if tag:
        items = [t for t in items if any(x.lower() == tag.lower() for x in t.tags)]
    return items


def tension_tags(*, partnership: Partnership) -> list[str]:
    """Every tag used in the partnership's log, for the filter (one query)."""
    tags = {tag for row in partnership.tensions.values_list("tags", flat=True) for tag in row}
    return sorted(tags, key=str.lower)


@dataclass(frozen=True)
class TensionView:
    tension: Tension
    members: list[Membership]
    revealed: bool  # every member has written
    written_by: list[int]
    perspectives: list[Perspective]  # the caller's own before reveal; everyone's after
    mine: Perspective | None

    @property
    def days_open(self) -> int:
        end = self.tension.resolved_at or now()
        return (end - self.tension.created_at).days

    @property
    def waiting_for(self) -> list[Membership]:
        return [m for m in self.members if m.user_id not in self.written_by]

    def reads_of(self, perspective: Perspective) -> list[GuessRating]:
        return list(perspective.reads.all()) if self.revealed else []


def tension_view(*, tension: Tension, user: User) -> TensionView:
    members = list(tension.partnership.memberships.all())
    perspectives = list(tension.perspectives.all())
    written = [p.author_id for p in perspectives]
    revealed = bool(members) and {m.user_id for m in members} <= set(written)
    mine = next((p for p in perspectives if p.author_id == user.pk), None)
    return TensionView(
        tension=tension,
        members=members,
        revealed=revealed,
        written_by=written,
        perspectives=perspectives if revealed else ([mine] if mine else []),
        mine=mine,
    )


def charter_tag_choices(*, partnership: Partnership) -> list[str]:
    """Short names of the current charter's values and principles, offered as tags."""
    current = charter_current(partnership=partnership)
    if current is None:
        return []
    names = []
    for item in [*current.values, *current.principles]:
        name = item.split(":", 1)[0] if ":" in item[:60] else item
        name = name.replace("**", "").replace("*", "").replace("`", "").strip().rstrip(".")
        names.append(name if len(name) <= 40 else name[:39].rstrip() + "…")
    return names


def journal_visible(*, partnership: Partnership, user: User) -> QuerySet[JournalEntry]:
    """The entries `user` may see: their own, and the ones others shared. Every journal read starts here."""
    return (
        partnership.journal_entries.filter(Q(author=user) | Q(visibility=JournalEntry.Visibility.SHARED))
        .select_related("author", "brought_to")
        .order_by("-created_at", "-id")
    )


def journal_get(*, user: User, jid: int, pid: int | None = None) -> JournalEntry:
    """An entry the caller may see; someone else's private entry is NotFound, as if it did not exist."""
    entry = (
        JournalEntry.objects.filter(partnership__in=Partnership.objects.for_user(user), pk=jid)
        .filter(Q(author=user) | Q(visibility=JournalEntry.Visibility.SHARED))
        .select_related("partnership", "author")
        .first()
    )
    if entry is None or (pid is not None and entry.partnership_id != pid):
        raise NotFound()
    return entry
