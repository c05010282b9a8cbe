"""Reads for Iterate. Blind, then reveal, for retro cards is decided here: before a retro is
revealed a member receives only the cards they wrote themselves, from every channel."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.db.models import F, Func, Max, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils.timezone import now
from icalendar import Calendar, Event

from accord.lib.dates import before_local_today, local_date
from accord.lib.errors import NotFound
from accord.partnerships.models import Membership, Partnership
from accord.rituals.cadence import next_slot
from accord.rituals.models import (
    COLUMNS,
    DEFAULT_COLUMN_LABELS,
    PHASES,
    ActionItem,
    AgendaItem,
    Card,
    CardGroup,
    CardQuerySet,
    Experiment,
    Meeting,
)

if TYPE_CHECKING:
    from accord.accounts.models import User

OVERDUE_GRACE = timedelta(hours=12)


def meeting_get(*, user: User, mid: int, pid: int | None = None) -> Meeting:
    meeting = (
        Meeting.objects.filter(partnership__in=Partnership.objects.for_user(user), pk=mid)
        .select_related("partnership")
        .prefetch_related(Prefetch("partnership__memberships", queryset=Membership.objects.select_related("user")))
        .first()
    )
    if meeting is None or (pid is not None and meeting.partnership_id != pid):
        raise NotFound()
    return meeting


def meeting_of(*, partnership: Partnership, mid: int) -> Meeting:
    """A meeting of a partnership the page door has let the caller into (accord.lib.views), with that
    partnership and its members as the door loaded them: one query. Not its meeting: NotFound."""
    meeting = partnership.meetings.filter(pk=mid).first()  # its `partnership` is the very instance
    if meeting is None:
        raise NotFound()
    return meeting


def meeting_list(*, partnership: Partnership, kind: str | None = None, status: str | None = None) -> QuerySet[Meeting]:
    """A partnership's meetings, newest first, with the counts a list shows."""

    def count(model: type[AgendaItem] | type[Card] | type[ActionItem], *where: Q, **extra: object) -> Subquery:
        rows = model.objects.filter(*where, meeting=OuterRef("pk"), **extra).order_by().values("meeting")
        return Subquery(rows.annotate(n=Func(F("id"), function="COUNT")).values("n")[:1])

    meetings = partnership.meetings.annotate(
        agenda_count=Coalesce(count(AgendaItem), 0),
        # Only cards everyone may see (the cards' own rule): a retro never revealed counts none.
        card_count=Coalesce(count(Card, CardQuerySet.revealed), 0),
        open_items=Coalesce(count(ActionItem, done_at__isnull=True), 0),
    )
    if kind:
        meetings = meetings.filter(kind=kind)
    if status:
        meetings = meetings.filter(status=status)
    return meetings.order_by("-scheduled_for", "-id")


def meeting_next_planned(*, partnership: Partnership) -> Meeting | None:
    """The partnership's next planned meeting: where open action items are carried."""
    return partnership.meetings.filter(status=Meeting.Status.PLANNED).order_by("scheduled_for", "id").first()


def meeting_is_overdue(meeting: Meeting, moment: datetime | None = None) -> bool:
    return meeting.status == Meeting.Status.PLANNED and meeting.scheduled_for < (moment or now()) - OVERDUE_GRACE


@dataclass(frozen=True)
class Upcoming:
    kind: str
    label: str
    meeting: Meeting | None  # planned
    due: datetime  # its time, or when the cadence says the next one is due
    overdue: bool


def meeting_list_upcoming(*, partnership: Partnership) -> list[Upcoming]:
    """The next 1:1 and the next retro: planned ones, or when the cadence says they are due."""
    planned = {
        m.kind: m for m in partnership.meetings.filter(status=Meeting.Status.PLANNED).order_by("-scheduled_for", "-id")
    }
    held = {
        row["kind"]: row["last"]
        for row in partnership.meetings.filter(status=Meeting.Status.HELD)
        .values("kind")
        .annotate(last=Max("scheduled_for"))
    }
    out = []
    moment = now()
    for kind, label in Meeting.Kind.choices:
        meeting = planned.get(kind)
        if meeting is not None:
            out.append(Upcoming(kind, label, meeting, meeting.scheduled_for, meeting_is_overdue(meeting, moment)))
        else:
            due = next_slot(partnership, held[kind], kind) if kind in held else moment
            out.append(Upcoming(kind, label, None, due, kind in held and due < moment - OVERDUE_GRACE))
    return out


@dataclass
class CardView:
    card: Card
    votes: int
    my_votes: int
    mine: bool
    column_label: str = ""
    # After the reveal, its place among the retro's cards: two cards with the same text are told apart.
    number: int = 0
    # What it became (a card is turned into one action item or one experiment, once).
    action_item: ActionItem | None = None
    experiment: Experiment | None = None
    # The cards it can be grouped with: every other card not already in its group.
    targets: list[CardView] = field(default_factory=list, repr=False)

    @property
    def converted(self) -> bool:
        return self.action_item is not None or self.experiment is not None


@dataclass
class Topic:
    """A card, or a group of cards, in the order the partners discuss them (most votes first)."""

    title: str
    cards: list[CardView]
    group: CardGroup | None

    @property
    def votes(self) -> int:
        return sum(c.votes for c in self.cards)

    @property
    def converted(self) -> list[CardView]:
        return [c for c in self.cards if c.converted]


@dataclass
class MeetingView:
    meeting: Meeting
    members: list[Membership]
    agenda: list[AgendaItem]
    columns: list[tuple[str, str, list[CardView]]]  # key, label, cards
    cards: list[CardView]
    groups: list[CardGroup]
    topics: list[Topic]
    votes_left: int
    action_items: list[ActionItem]
    carried_action_items: list[ActionItem]
    experiments_due: list[Experiment] = field(default_factory=list)

    @property
    def phase_index(self) -> int:
        return PHASES.index(self.meeting.phase)

    @property
    def grouped(self) -> list[Topic]:
        """The groups with their cards, in the order they were made (steady while votes come in)."""
        return sorted((t for t in self.topics if t.group), key=lambda t: t.group.pk if t.group else 0)

    @property
    def loose_columns(self) -> list[tuple[str, str, list[CardView]]]:
        """The columns without the cards shown in a group."""
        return [(key, label, [c for c in cards if not c.card.group_id]) for key, label, cards in self.columns]


def meeting_view(*, meeting: Meeting, user: User) -> MeetingView:
    """What `user` sees of a meeting. A fixed number of queries, however many cards and votes."""
    members = list(meeting.partnership.memberships.all())
    agenda = list(meeting.agenda.select_related("author", "carried_from"))
    # Blind until the reveal: only the caller's own cards (the rule lives in Card.objects.visible_to).
    cards_qs = (
        Card.objects.visible_to(user)
        .filter(meeting=meeting)
        .select_related("author", "group")
        .prefetch_related("votes")
    )
    labels = meeting.column_labels or DEFAULT_COLUMN_LABELS
    items_of = {i.card_id: i for i in ActionItem.objects.filter(card__meeting=meeting).order_by("id")}
    experiments_of = {e.card_id: e for e in Experiment.objects.filter(card__meeting=meeting).order_by("id")}
    cards = []
    for number, card in enumerate(cards_qs, start=1):
        votes = list(card.votes.all())
        cards.append(
            CardView(
                card,
                len(votes),
                sum(1 for v in votes if v.user_id == user.pk),
                card.author_id == user.pk,
                column_label=labels.get(card.column, DEFAULT_COLUMN_LABELS[card.column]),
                # Before the reveal a number would tell how many cards the others wrote.
                number=number if meeting.revealed else 0,
                action_item=items_of.get(card.pk),
                experiment=experiments_of.get(card.pk),
            )
        )
    if meeting.revealed:
        for view in cards:
            gid = view.card.group_id
            view.targets = [o for o in cards if o is not view and not (gid and o.card.group_id == gid)]
    columns = [
        (key, labels.get(key, DEFAULT_COLUMN_LABELS[key]), [c for c in cards if c.card.column == key])
        for key in COLUMNS
    ]
    groups = list(meeting.groups.all()) if meeting.revealed else []
    topics: list[Topic] = []
    by_group: dict[int, Topic] = {}
    for view in cards:
        if view.card.group_id and meeting.revealed:
            group = next(g for g in groups if g.pk == view.card.group_id)
            topic = by_group.get(group.pk)
            if topic is None:
                topic = by_group[group.pk] = Topic(group.title, [], group)
                topics.append(topic)
            topic.cards.append(view)
        else:
            topics.append(Topic(view.card.text, [view], None))
    topics.sort(key=lambda t: -t.votes)
    used = sum(c.my_votes for c in cards) if meeting.revealed else 0
    items = list(
        meeting.partnership.action_items.select_related("owner", "meeting").filter(
            Q(meeting=meeting) | Q(done_at__isnull=True)
        )
    )
    own = [i for i in items if i.meeting_id == meeting.pk]
    nxt = meeting_next_planned(partnership=meeting.partnership)
    carried = [i for i in items if i.meeting_id != meeting.pk and not i.done] if nxt and nxt.pk == meeting.pk else []
    due: list[Experiment] = []
    if meeting.is_retro:
        day = local_date(meeting.scheduled_for, meeting.partnership.timezone)
        due = list(
            meeting.partnership.experiments.filter(status=Experiment.Status.RUNNING, review_on__lte=day).order_by(
                "review_on"
            )
        )
    return MeetingView(
        meeting=meeting,
        members=members,
        agenda=agenda,
        columns=columns,
        cards=cards,
        groups=groups,
        topics=topics,
        votes_left=max(meeting.votes_per_person - used, 0),
        action_items=own,
        carried_action_items=carried,
        experiments_due=due,
    )


def card_get(*, user: User, cid: int) -> Card:
    """A card the caller may act on: their own, or any card of a revealed retro of theirs."""
    card = Card.objects.visible_to(user).filter(pk=cid).select_related("meeting", "meeting__partnership").first()
    if card is None:
        raise NotFound()
    return card


def group_get(*, user: User, gid: int) -> CardGroup:
    group = CardGroup.objects.filter(meeting__partnership__in=Partnership.objects.for_user(user), pk=gid).first()
    if group is None:
        raise NotFound()
    return group


def agenda_item_get(*, user: User, item_id: int) -> AgendaItem:
    item = (
        AgendaItem.objects.filter(meeting__partnership__in=Partnership.objects.for_user(user), pk=item_id)
        .select_related("meeting")
        .first()
    )
    if item is None:
        raise NotFound()
    return item


def action_item_get(*, user: User, aid: int) -> ActionItem:
    item = (
        ActionItem.objects.filter(partnership__in=Partnership.objects.for_user(user), pk=aid)
        .select_related("partnership", "owner")
        .first()
    )
    if item is None:
        raise NotFound()
    return item


def action_item_list(*, partnership: Partnership, open_only: bool = False) -> QuerySet[ActionItem]:
    items = partnership.action_items.select_related("owner", "meeting")
    return items.filter(done_at__isnull=True) if open_only else items


def experiment_get(*, user: User, eid: int) -> Experiment:
    experiment = (
        Experiment.objects.filter(partnership__in=Partnership.objects.for_user(user), pk=eid)
        .select_related("partnership", "card", "charter_revision")
        .first()
    )
    if experiment is None:
        raise NotFound()
    return experiment


def experiment_list(*, partnership: Partnership) -> QuerySet[Experiment]:
    return partnership.experiments.select_related("charter_revision", "created_by")


# --- Calendar and reminders ------------------------------------------------------------------


def _planned_for(user: User) -> QuerySet[Meeting]:
    return (
        Meeting.objects.filter(
            partnership__in=Partnership.objects.for_user(user),
            status=Meeting.Status.PLANNED,
            scheduled_for__gte=now() - timedelta(days=30),
        )
        .select_related("partnership")
        .order_by("scheduled_for")
    )


def calendar_get(*, user: User, site_url: str) -> bytes:
    """The user's planned 1:1s and retros across partnerships, as an RFC 5545 calendar."""
    calendar = Calendar()
    calendar.add("prodid", "-//Accord//Partnership sessions//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"Accord: {user.name}")
    stamp = now()
    for meeting in _planned_for(user):
        event = Event()
        event.add("uid", f"meeting-{meeting.pk}@accord")
        event.add("dtstamp", stamp)
        event.add("dtstart", meeting.scheduled_for)
        event.add("duration", timedelta(minutes=60 if meeting.is_retro else 30))
        event.add("summary", f"{meeting.get_kind_display()}: {meeting.partnership.name}")
        event.add("url", f"{site_url}/p/{meeting.partnership_id}/iterate/meetings/{meeting.pk}/")
        event.add("description", "Open the agenda in Accord to add your talking points beforehand.")
        calendar.add_component(event)
    return bytes(calendar.to_ical())


def meeting_list_starting_within(*, hours: int) -> QuerySet[Meeting]:
    moment = now()
    return (
        Meeting.objects.filter(
            status=Meeting.Status.PLANNED, scheduled_for__gt=moment, scheduled_for__lte=moment + timedelta(hours=hours)
        )
        .select_related("partnership")
        .prefetch_related(Prefetch("partnership__memberships", queryset=Membership.objects.select_related("user")))
    )


def action_item_list_overdue() -> QuerySet[ActionItem]:
    """Open action items whose due day has passed, each by its own partnership's calendar."""
    zones = Partnership.objects.order_by("timezone").values_list("timezone", flat=True).distinct()
    return (
        ActionItem.objects.filter(before_local_today("due_on", "partnership__timezone", zones))
        .filter(done_at__isnull=True, owner__isnull=False)
        .select_related("owner", "partnership")
        .order_by("owner_id", "due_on")
    )
