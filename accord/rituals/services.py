"""Writes for Iterate: meetings and their cadence, agendas, retro cards (blind until reveal),
groups and votes, action items that carry over, experiments, and reminders."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.timezone import now

from accord.alignment.models import Objective
from accord.charters.models import CharterRevision
from accord.charters.services import CharterContent, charter_propose
from accord.lib.dates import local_date, local_today, localize
from accord.lib.errors import Conflict, NotFound, ValidationError
from accord.lib.freshness import bump
from accord.lib.text import clean_line, clean_text
from accord.partnerships.models import Membership, Partnership
from accord.rituals.cadence import next_slot
from accord.rituals.models import (
    COLUMNS,
    PHASES,
    ActionItem,
    AgendaItem,
    Card,
    CardGroup,
    Experiment,
    Meeting,
    ReminderSent,
    RetroFormat,
    Vote,
)

if TYPE_CHECKING:
    from accord.accounts.models import User


def _shared_card(partnership: Partnership, card_id: int | None) -> Card | None:
    """A card an action item or experiment may come from: one every member can read (a revealed
    retro's), since what comes from it is shown to all of them."""
    if card_id is None:
        return None
    card = Card.objects.shared_in(partnership).filter(pk=card_id).first()
    if card is None:
        raise ValidationError({"card_id": "Choose a card of a revealed retro of this partnership."})
    return card


def _member_ids(partnership_id: int) -> set[int]:
    return set(Membership.objects.filter(partnership_id=partnership_id).values_list("user_id", flat=True))


# --- Retro format ----------------------------------------------------------------------------


def retro_format_get(*, partnership: Partnership) -> RetroFormat:
    fmt, _ = RetroFormat.objects.get_or_create(partnership=partnership)
    return fmt


def retro_format_update(*, partnership: Partnership, labels: dict[str, str], votes_per_person: int) -> RetroFormat:
    fmt = retro_format_get(partnership=partnership)
    for key in COLUMNS:
        setattr(fmt, key, clean_line(labels.get(key, ""), field=key, max_length=60))
    if not 1 <= votes_per_person <= 10:
        raise ValidationError({"votes_per_person": "Give each partner between 1 and 10 votes."})
    fmt.votes_per_person = votes_per_person
    fmt.save()
    return fmt


# --- Meetings --------------------------------------------------------------------------------


def meeting_create(
    *, partnership: Partnership, user: User | None, kind: str, scheduled_for: datetime, at: datetime | None = None
) -> Meeting:
    if kind not in Meeting.Kind.values:
        raise ValidationError({"kind": "Choose one_on_one or retro."})
    if scheduled_for.tzinfo is None:
        scheduled_for = localize(scheduled_for, partnership.timezone)
    fmt = retro_format_get(partnership=partnership)
    return Meeting.objects.create(
        partnership=partnership,
        kind=kind,
        scheduled_for=scheduled_for,
        created_by=user,
        column_labels=fmt.labels() if kind == Meeting.Kind.RETRO else {},
        votes_per_person=fmt.votes_per_person,
        created_at=at or now(),
    )


def meeting_plan_next(*, partnership: Partnership, kind: str, after: datetime | None = None) -> Meeting | None:
    """Plan the next session of `kind` from the cadence, unless one is already planned."""
    if partnership.meetings.filter(kind=kind, status=Meeting.Status.PLANNED).exists():
        return None
    return meeting_create(
        partnership=partnership, user=None, kind=kind, scheduled_for=next_slot(partnership, after or now(), kind)
    )


def meeting_update(
    *,
    meeting: Meeting,
    scheduled_for: datetime | None = None,
    notes: str | None = None,
    notes_revision: int | None = None,
    cancel: bool = False,
) -> Meeting:
    """Reschedule, cancel, or save shared notes. With `notes_revision`, stale notes are refused
    instead of overwriting what the partner saved meanwhile."""
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if (scheduled_for is not None or cancel) and meeting.status != Meeting.Status.PLANNED:
            raise Conflict("Only a planned meeting can be rescheduled or cancelled.")
        if scheduled_for is not None:
            meeting.scheduled_for = (
                localize(scheduled_for, meeting.partnership.timezone) if scheduled_for.tzinfo is None else scheduled_for
            )
        if cancel:
            meeting.status = Meeting.Status.CANCELLED
        if notes is not None:
            if notes_revision is not None and notes_revision != meeting.notes_revision:
                raise Conflict("Your partner saved the notes while you were typing. Your text is kept below.")
            meeting.notes = clean_text(notes, "notes", 20000)
            meeting.notes_revision += 1
        meeting.save()
    return meeting


def meeting_complete(*, meeting: Meeting, user: User, notes: str | None = None, at: datetime | None = None) -> Meeting:
    """Mark a meeting held. A 1:1's undiscussed talking points move to the next 1:1, which is
    planned from the cadence if it is not already."""
    moment = at or now()
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().select_related("partnership").get(pk=meeting.pk)
        if meeting.status != Meeting.Status.PLANNED:
            raise Conflict(f"This meeting is already {meeting.get_status_display().lower()}.")
        if notes is not None:
            meeting.notes = clean_text(notes, "notes", 20000)
            meeting.notes_revision += 1
        meeting.status, meeting.held_at = Meeting.Status.HELD, moment
        meeting.save()
        partnership = meeting.partnership
        nxt = (
            partnership.meetings.filter(kind=meeting.kind, status=Meeting.Status.PLANNED)
            .exclude(pk=meeting.pk)
            .order_by("scheduled_for")
            .first()
        )
        if nxt is None:
            nxt = meeting_create(
                partnership=partnership,
                user=None,
                kind=meeting.kind,
                scheduled_for=next_slot(partnership, meeting.scheduled_for, meeting.kind, not_before=moment),
                at=moment,
            )
        if meeting.kind == Meeting.Kind.ONE_ON_ONE:
            top = nxt.agenda.aggregate(m=Max("position"))["m"] or 0
            for offset, item in enumerate(meeting.agenda.filter(discussed=False).order_by("position", "id"), start=1):
                item.meeting, item.carried_from, item.position = nxt, meeting, top + offset
                item.save(update_fields=["meeting", "carried_from", "position"])
    return meeting


def _planned(meeting: Meeting) -> None:
    if meeting.status != Meeting.Status.PLANNED:
        raise Conflict("This meeting is over; its agenda and cards are kept as they were.")


# --- 1:1 agendas -----------------------------------------------------------------------------


def agenda_item_add(*, meeting: Meeting, user: User, text: str) -> AgendaItem:
    text = clean_text(text, "text", 500, required=True)
    _planned(meeting)
    position = (meeting.agenda.aggregate(m=Max("position"))["m"] or 0) + 1
    return AgendaItem.objects.create(meeting=meeting, author=user, text=text, position=position)


def agenda_item_update(
    *, item: AgendaItem, text: str | None = None, discussed: bool | None = None, move: int | None = None
) -> AgendaItem:
    """Edit, tick off, or move a talking point up (-1) or down (+1)."""
    if text is not None:
        item.text = clean_text(text, "text", 500, required=True)
    if discussed is not None:
        item.discussed = discussed
    item.save(update_fields=["text", "discussed"])
    if move:
        items = list(item.meeting.agenda.order_by("position", "id"))
        index = next(i for i, x in enumerate(items) if x.pk == item.pk)
        target = index + move
        if 0 <= target < len(items):
            items[index], items[target] = items[target], items[index]
            with transaction.atomic():
                for position, x in enumerate(items):
                    if x.position != position:
                        AgendaItem.objects.filter(pk=x.pk).update(position=position)
                bump(partnerships=[item.meeting.partnership_id])
    return item


def agenda_item_delete(*, item: AgendaItem, user: User) -> None:
    if item.author_id != user.pk:
        raise NotFound()
    item.delete()


# --- Retros ----------------------------------------------------------------------------------


def _retro(meeting: Meeting) -> None:
    if not meeting.is_retro:
        raise ValidationError({"meeting": "Cards belong to retros; this is a 1:1. Add a talking point instead."})


def card_add(*, meeting: Meeting, user: User, column: str, text: str, at: datetime | None = None) -> Card:
    """A card, visible only to its author until the retro is revealed."""
    _retro(meeting)
    if column not in COLUMNS:
        raise ValidationError({"column": f"Choose one of {', '.join(COLUMNS)}."})
    text = clean_text(text, "text", 500, required=True)
    _planned(meeting)
    return Card.objects.create(meeting=meeting, author=user, column=column, text=text, created_at=at or now())


def card_update(*, card: Card, user: User, text: str) -> Card:
    if card.author_id != user.pk:
        raise NotFound()
    _planned(card.meeting)
    card.text = clean_text(text, "text", 500, required=True)
    card.save(update_fields=["text"])
    return card


def card_delete(*, card: Card, user: User) -> None:
    if card.author_id != user.pk:
        raise NotFound()
    _planned(card.meeting)
    card.delete()


def meeting_reveal(*, meeting: Meeting, at: datetime | None = None) -> Meeting:
    """Show every member's cards. Revealing again changes nothing."""
    _retro(meeting)
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if meeting.revealed_at is None:
            # Cards of someone who left before the reveal are withdrawn: they never reach anyone.
            meeting.cards.exclude(author_id__in=_member_ids(meeting.partnership_id)).delete()
            meeting.revealed_at = at or now()
            if meeting.phase == "write":
                meeting.phase = "reveal"
            meeting.save(update_fields=["revealed_at", "phase"])
    return meeting


def meeting_phase_set(*, meeting: Meeting, phase: str) -> Meeting:
    """Move the retro to any phase, forward or back. Any phase past writing reveals the cards."""
    _retro(meeting)
    if phase not in PHASES:
        raise ValidationError({"phase": f"Choose one of {', '.join(PHASES)}."})
    if phase != "write":
        meeting = meeting_reveal(meeting=meeting)
    Meeting.objects.filter(pk=meeting.pk).update(phase=phase)
    bump(partnerships=[meeting.partnership_id])
    meeting.phase = phase
    return meeting


def _revealed(meeting: Meeting) -> None:
    if not meeting.revealed:
        raise Conflict("Cards are still hidden: reveal the retro first.")


def card_group(*, meeting: Meeting, card_ids: list[int], title: str = "") -> CardGroup:
    """Merge similar cards into one group (joining an existing group when one of them has one)."""
    _retro(meeting)
    _revealed(meeting)
    title = clean_text(title, "title", 200)
    cards = list(meeting.cards.filter(pk__in=card_ids))
    if len(cards) != len(set(card_ids)) or len(cards) < 2:
        raise ValidationError({"card_ids": "Choose at least two cards of this retro."})
    with transaction.atomic():
        existing = next((c.group for c in cards if c.group_id), None)
        group = existing or CardGroup.objects.create(meeting=meeting, title=title or cards[0].text[:200])
        if title and existing:
            group.title = title
            group.save(update_fields=["title"])
        Card.objects.filter(pk__in=[c.pk for c in cards]).update(group=group)
        # Groups left with fewer than two cards dissolve.
        for old in {c.group_id for c in cards if c.group_id and c.group_id != group.pk}:
            if Card.objects.filter(group_id=old).count() < 2:
                Card.objects.filter(group_id=old).update(group=None)
                CardGroup.objects.filter(pk=old).delete()
        bump(partnerships=[meeting.partnership_id])
    return group


def card_ungroup(*, card: Card) -> None:
    _revealed(card.meeting)
    group_id = card.group_id
    if group_id is None:
        return
    with transaction.atomic():
        Card.objects.filter(pk=card.pk).update(group=None)
        if Card.objects.filter(group_id=group_id).count() < 2:
            Card.objects.filter(group_id=group_id).update(group=None)
            CardGroup.objects.filter(pk=group_id).delete()
        bump(partnerships=[card.meeting.partnership_id])


def group_rename(*, group: CardGroup, title: str) -> CardGroup:
    group.title = clean_text(title, "title", 200, required=True)
    group.save(update_fields=["title"])
    return group


def vote_add(*, card: Card, user: User, at: datetime | None = None) -> Vote:
    """Put one of the member's votes on a card. Only after reveal, and only as many as they have."""
    meeting = card.meeting
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        _revealed(meeting)
        _planned(meeting)
        used = Vote.objects.filter(card__meeting=meeting, user=user).count()
        if used >= meeting.votes_per_person:
            raise Conflict(f"You have used all {meeting.votes_per_person} of your votes. Take one back first.")
        return Vote.objects.create(card=card, user=user, created_at=at or now())


def vote_remove(*, card: Card, user: User) -> None:
    _planned(card.meeting)
    vote = card.votes.filter(user=user).order_by("-id").first()
    if vote is None:
        raise NotFound()
    vote.delete()


# --- Action items ----------------------------------------------------------------------------


def _owner(partnership: Partnership, owner_id: int) -> int:
    if owner_id not in _member_ids(partnership.pk):
        raise ValidationError({"owner_id": "The owner must be a member of this partnership."})
    return owner_id


def action_item_create(
    *,
    partnership: Partnership,
    user: User,
    text: str,
    owner_id: int,
    due_on: date | None = None,
    meeting_id: int | None = None,
    card_id: int | None = None,
    at: datetime | None = None,
) -> ActionItem:
    text = clean_text(text, "text", 500, required=True)
    _owner(partnership, owner_id)
    meeting = None
    if meeting_id is not None:
        meeting = partnership.meetings.filter(pk=meeting_id).first()
        if meeting is None:
            raise ValidationError({"meeting_id": "No such meeting in this partnership."})
    card = _shared_card(partnership, card_id)
    return ActionItem.objects.create(
        partnership=partnership,
        meeting=meeting,
        card=card,
        text=text,
        owner_id=owner_id,
        due_on=due_on,
        created_by=user,
        created_at=at or now(),
    )


def action_item_update(
    *,
    item: ActionItem,
    done: bool | None = None,
    text: str | None = None,
    owner_id: int | None = None,
    due_on: date | None = None,
    clear_due: bool = False,
    at: datetime | None = None,
) -> ActionItem:
    if text is not None:
        item.text = clean_text(text, "text", 500, required=True)
    if owner_id is not None:
        item.owner_id = _owner(item.partnership, owner_id)
    if due_on is not None or clear_due:
        item.due_on = due_on
    if done is not None:
        item.done_at = (item.done_at or at or now()) if done else None
    item.save()
    return item


# --- Experiments -----------------------------------------------------------------------------


def default_review_on(partnership: Partnership) -> date:
    """The next planned retro's date, or one retro cadence from today."""
    retro = (
        partnership.meetings.filter(kind=Meeting.Kind.RETRO, status=Meeting.Status.PLANNED, scheduled_for__gte=now())
        .order_by("scheduled_for")
        .first()
    )
    if retro is not None:
        return local_date(retro.scheduled_for, partnership.timezone)
    return local_today(partnership.timezone) + timedelta(days=partnership.retro_days)


def experiment_create(
    *,
    partnership: Partnership,
    user: User,
    title: str,
    hypothesis: str = "",
    success_signal: str = "",
    review_on: date | None = None,
    card_id: int | None = None,
    objective_id: int | None = None,
    at: datetime | None = None,
) -> Experiment:
    title = clean_text(title, "title", 200, required=True)
    objective = _objective(partnership, objective_id)
    card = _shared_card(partnership, card_id)
    return Experiment.objects.create(
        partnership=partnership,
        card=card,
        title=title,
        hypothesis=clean_text(hypothesis, "hypothesis", 2000),
        success_signal=clean_text(success_signal, "success_signal", 2000),
        review_on=review_on or default_review_on(partnership),
        objective=objective,
        created_by=user,
        created_at=at or now(),
    )


def _objective(partnership: Partnership, objective_id: int | None) -> Objective | None:
    if objective_id is None:
        return None
    objective = partnership.objectives.filter(pk=objective_id).first()
    if objective is None:
        raise ValidationError({"objective_id": "Choose an objective of this partnership."})
    return objective


def experiment_update(
    *,
    experiment: Experiment,
    status: str | None = None,
    outcome: str | None = None,
    review_on: date | None = None,
    objective_id: int | None = None,
    at: datetime | None = None,
) -> Experiment:
    """Record the verdict (kept, adapted or dropped) with an outcome note, move the review date,
    or link the objective it serves."""
    if objective_id is not None:
        experiment.objective = _objective(experiment.partnership, objective_id)
    if status is not None:
        if status not in Experiment.Status.values:
            raise ValidationError({"status": "Choose running, kept, adapted or dropped."})
        experiment.status = status
        experiment.decided_at = None if status == Experiment.Status.RUNNING else (at or now())
    if outcome is not None:
        experiment.outcome = clean_text(outcome, "outcome", 4000)
    if review_on is not None:
        experiment.review_on = review_on
    experiment.save()
    return experiment


def experiment_charter_proposal(*, experiment: Experiment, user: User) -> CharterRevision:
    """Turn a kept experiment into a proposed charter revision that adds it as a working agreement."""
    if experiment.status != Experiment.Status.KEPT:
        raise Conflict("Only a kept experiment becomes part of the charter. Record the verdict first.")
    if experiment.charter_revision_id is not None:
        existing = experiment.charter_revision
        if existing is not None and existing.status in (
            CharterRevision.Status.PROPOSED,
            CharterRevision.Status.RATIFIED,
        ):
            raise Conflict("This experiment is already proposed for the charter.")
    partnership = experiment.partnership
    current = partnership.charter_revisions.filter(status=CharterRevision.Status.RATIFIED).first()
    agreement = experiment.title
    content = CharterContent(
        purpose=current.purpose if current else "",
        values=list(current.values) if current else [],
        principles=list(current.principles) if current else [],
        responsibilities=list(current.responsibilities) if current else [],
        agreements=[*(current.agreements if current else []), agreement],
    )
    rationale = f"We kept the experiment “{experiment.title}”."
    if experiment.outcome:
        rationale += f" Outcome: {experiment.outcome}"
    with transaction.atomic():
        revision = charter_propose(
            partnership=partnership,
            user=user,
            base=current.number if current else None,
            content=content,
            rationale=rationale[:4000],
        )
        experiment.charter_revision = revision
        experiment.save(update_fields=["charter_revision"])
    return revision


# --- Reminders -------------------------------------------------------------------------------


def reminder_claim(*, user: User, key: str) -> bool:
    """Claim the right to send reminder `key` to `user`: True exactly once, even across processes."""
    try:
        with transaction.atomic():
            ReminderSent.objects.create(user=user, key=key[:120])
    except IntegrityError:
        return False
    return True


def reminder_release(*, user: User, key: str) -> None:
    """Give a claim back when sending failed, so the next run tries again."""
    ReminderSent.objects.filter(user=user, key=key[:120]).delete()
