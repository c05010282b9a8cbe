"""Reads for disagreements and the journal. Two rules live here and nowhere else:
a member sees the other sides of a tension only once every member has written theirs, and a
journal entry is seen by its author, and by the partner only once the author shares it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Prefetch, QuerySet
from django.utils.timezone import now

from accord.charters.selectors import charter_current
from accord.lib.errors import NotFound
from accord.partnerships.models import Membership, Partnership
from accord.tensions.models import GuessRating, JournalEntry, Perspective, Tension

if TYPE_CHECKING:
    from accord.accounts.models import User


def _tensions(user: User) -> QuerySet[Tension]:
    """Tensions with the sides `user` may read (`visible_sides`) and who wrote one (`sides_written`,
    no text)."""
    visible = Perspective.objects.visible_to(user).select_related("author").prefetch_related("reads", "amendments")
    return Tension.objects.select_related("raised_by", "partnership", "decision").prefetch_related(
        Prefetch("perspectives", queryset=visible, to_attr="visible_sides"),
        Prefetch(
            "perspectives", queryset=Perspective.objects.only("id", "tension_id", "author_id"), to_attr="sides_written"
        ),
        Prefetch("partnership__memberships", queryset=Membership.objects.select_related("user")),
        "agreements",
    )


def tension_get(*, user: User, tid: int, pid: int | None = None) -> Tension:
    tension = _tensions(user).filter(partnership__in=Partnership.objects.for_user(user), pk=tid).first()
    if tension is None or (pid is not None and tension.partnership_id != pid):
        raise NotFound()
    return tension


def tension_list(
    *, partnership: Partnership, user: User, status: str | None = None, tag: str | None = None
) -> list[Tension]:
    tensions = _tensions(user).filter(partnership=partnership)
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
    revealed: bool  # every member of the day had written
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

    @property
    def ready(self) -> bool:
        """Every current member has written, yet the sides are hidden: the one missing left."""
        return not self.revealed and bool(self.members) and not self.waiting_for

    def reads_of(self, perspective: Perspective) -> list[GuessRating]:
        return list(perspective.reads.all()) if self.revealed else []

    @property
    def agreed_by(self) -> list[int]:
        """Who agreed to the resolution as proposed (the proposer first)."""
        return [a.user_id for a in self.tension.agreements.all()]

    @property
    def waiting_to_agree(self) -> list[Membership]:
        agreed = set(self.agreed_by)
        return [m for m in self.members if m.user_id not in agreed] if self.tension.resolution_proposed_at else []


def tension_view(*, tension: Tension, user: User) -> TensionView:
    """What `user` sees of a tension fetched by `tension_get`/`tension_list` for them: the sides
    `Perspective.objects.visible_to` allows, and which members have written one."""
    members = list(tension.partnership.memberships.all())
    visible: list[Perspective] = tension.visible_sides  # type: ignore[attr-defined]
    written: list[Perspective] = tension.sides_written  # type: ignore[attr-defined]
    current = {m.user_id for m in members}
    return TensionView(
        tension=tension,
        members=members,
        revealed=tension.revealed_at is not None,
        written_by=[p.author_id for p in written if p.author_id in current],
        perspectives=visible,
        mine=next((p for p in visible if p.author_id == user.pk), None),
    )


def tension_tag_choices(*, partnership: Partnership) -> list[str]:
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


def journal_list(*, partnership: Partnership, user: User) -> QuerySet[JournalEntry]:
    """The entries `user` may see: their own, and the ones others shared. Every journal read starts here."""
    return (
        JournalEntry.objects.visible_to(user)
        .filter(partnership=partnership)
        .select_related("author", "brought_to")
        .order_by("-created_at", "-id")
    )


def journal_get(*, user: User, jid: int, pid: int | None = None) -> JournalEntry:
    """An entry the caller may see; someone else's private entry is NotFound, as if it did not exist."""
    entry = JournalEntry.objects.visible_to(user).filter(pk=jid).select_related("partnership", "author").first()
    if entry is None or (pid is not None and entry.partnership_id != pid):
        raise NotFound()
    return entry
