"""Writes for retros: cards (blind until the reveal), the reveal and the phases, groups and votes."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from django.utils.timezone import now

from accord.lib.errors import Conflict, NotFound, ValidationError
from accord.lib.freshness import partnership_write
from accord.lib.text import clean_text
from accord.rituals.models import COLUMNS, PHASES, Card, CardGroup, Meeting, Vote
from accord.rituals.services.meetings import meeting_require_planned

if TYPE_CHECKING:
    from accord.accounts.models import User


def _retro(meeting: Meeting) -> None:
    if not meeting.is_retro:
        raise ValidationError({"meeting": "Cards belong to retros; this is a 1:1. Add a talking point instead."})


def _revealed(meeting: Meeting) -> None:
    if not meeting.revealed:
        raise Conflict("Cards are still hidden: reveal the retro first.")


def card_add(*, meeting: Meeting, user: User, column: str, text: str, at: datetime | None = None) -> Card:
    """A card, visible only to its author until the retro is revealed."""
    _retro(meeting)
    if column not in COLUMNS:
        raise ValidationError({"column": f"Choose one of {', '.join(COLUMNS)}."})
    text = clean_text(text, "text", 500, required=True)
    meeting_require_planned(meeting)
    with partnership_write(meeting.partnership_id, figures=False):
        return Card.objects.create(meeting=meeting, author=user, column=column, text=text, created_at=at or now())


def card_update(*, card: Card, user: User, text: str) -> Card:
    if card.author_id != user.pk:
        raise NotFound()
    meeting_require_planned(card.meeting)
    card.text = clean_text(text, "text", 500, required=True)
    with partnership_write(card.meeting.partnership_id, figures=False):
        card.save(update_fields=["text"])
    return card


def card_delete(*, card: Card, user: User) -> None:
    if card.author_id != user.pk:
        raise NotFound()
    meeting_require_planned(card.meeting)
    with partnership_write(card.meeting.partnership_id, figures=False):
        card.delete()


def meeting_reveal(*, meeting: Meeting, at: datetime | None = None) -> Meeting:
    """Show every member's cards. Revealing again changes nothing."""
    _retro(meeting)
    with partnership_write(meeting.partnership_id):
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if meeting.revealed_at is None:
            # Cards of someone who left before the reveal are withdrawn: they never reach anyone.
            Card.objects.filter(meeting=meeting).withdraw_leavers()
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
    with partnership_write(meeting.partnership_id):
        if phase != "write":
            meeting = meeting_reveal(meeting=meeting)
        Meeting.objects.filter(pk=meeting.pk).update(phase=phase)
    meeting.phase = phase
    return meeting


def _dissolve_small(group_ids: set[int]) -> None:
    """Groups left with fewer than two cards dissolve."""
    for old in group_ids:
        if Card.objects.filter(group_id=old).count() < 2:
            Card.objects.filter(group_id=old).update(group=None)
            CardGroup.objects.filter(pk=old).delete()


def card_group(*, meeting: Meeting, card_ids: list[int], title: str = "") -> CardGroup:
    """Merge similar cards into one group: the group of the first listed card that has one (a card
    dropped onto a grouped card joins that card's group), else a new group named after the first."""
    _retro(meeting)
    _revealed(meeting)
    meeting_require_planned(meeting)
    title = clean_text(title, "title", 200)
    found = {c.pk: c for c in meeting.cards.filter(pk__in=card_ids)}
    cards = [found[pk] for pk in dict.fromkeys(card_ids) if pk in found]
    if len(cards) != len(set(card_ids)) or len(cards) < 2:
        raise ValidationError({"card_ids": "Choose at least two cards of this retro."})
    with partnership_write(meeting.partnership_id):
        existing = next((c.group for c in cards if c.group_id), None)
        group = existing or CardGroup.objects.create(meeting=meeting, title=title or cards[0].text[:200])
        if title and existing:
            group.title = title
            group.save(update_fields=["title"])
        Card.objects.filter(pk__in=[c.pk for c in cards]).update(group=group)
        _dissolve_small({c.group_id for c in cards if c.group_id and c.group_id != group.pk})
    return group


def card_ungroup(*, card: Card) -> None:
    _revealed(card.meeting)
    meeting_require_planned(card.meeting)
    group_id = card.group_id
    if group_id is None:
        return
    with partnership_write(card.meeting.partnership_id):
        Card.objects.filter(pk=card.pk).update(group=None)
        _dissolve_small({group_id})


def card_group_rename(*, group: CardGroup, title: str) -> CardGroup:
    meeting_require_planned(group.meeting)
    group.title = clean_text(title, "title", 200, required=True)
    with partnership_write(group.meeting.partnership_id):
        group.save(update_fields=["title"])
    return group


def vote_add(*, card: Card, user: User, at: datetime | None = None) -> Vote:
    """Put one of the member's votes on a card. Only after reveal, and only as many as they have."""
    with partnership_write(card.meeting.partnership_id):
        meeting = Meeting.objects.select_for_update().get(pk=card.meeting_id)
        _revealed(meeting)
        meeting_require_planned(meeting)
        used = Vote.objects.filter(card__meeting=meeting, user=user).count()
        if used >= meeting.votes_per_person:
            raise Conflict(f"You have used all {meeting.votes_per_person} of your votes. Take one back first.")
        return Vote.objects.create(card=card, user=user, created_at=at or now())


def vote_remove(*, card: Card, user: User) -> None:
    meeting_require_planned(card.meeting)
    vote = card.votes.filter(user=user).order_by("-id").first()
    if vote is None:
        raise NotFound()
    with partnership_write(card.meeting.partnership_id):
        vote.delete()
