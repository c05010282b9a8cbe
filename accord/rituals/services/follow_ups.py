"""Writes for what a meeting leads to: action items that carry over, and experiments kept,
adapted or dropped (a kept one can become a charter proposal)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from django.utils.timezone import now

from accord.alignment.models import Objective
from accord.charters.models import CharterRevision
from accord.charters.services import CharterContent, charter_propose
from accord.lib.dates import local_date, local_today
from accord.lib.errors import Conflict, ValidationError
from accord.lib.freshness import partnership_write
from accord.lib.text import clean_text
from accord.partnerships.models import Membership, Partnership
from accord.rituals.models import ActionItem, Card, Experiment, Meeting

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


def _unconverted(card: Card | None) -> None:
    """A card becomes one action item or one experiment, once: called inside the write, it locks
    the card so that two partners converting it at the same moment cannot both succeed."""
    if card is None:
        return
    Card.objects.select_for_update().filter(pk=card.pk).first()
    item = ActionItem.objects.filter(card=card).first()
    if item is not None:
        raise Conflict(f"This card is already the action item “{item.text}”.")
    experiment = Experiment.objects.filter(card=card).first()
    if experiment is not None:
        raise Conflict(f"This card is already the experiment “{experiment.title}”.")


# --- Action items ----------------------------------------------------------------------------


def _owner(partnership: Partnership, owner_id: int) -> int:
    if not Membership.objects.filter(partnership=partnership, user_id=owner_id).exists():
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
    with partnership_write(partnership):
        _unconverted(card)
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
    with partnership_write(item.partnership_id):
        item.save()
    return item


# --- Experiments -----------------------------------------------------------------------------


def experiment_review_on_default(partnership: Partnership) -> date:
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
    hypothesis: str,
    success_signal: str,
    review_on: date | None = None,
    card_id: int | None = None,
    objective_id: int | None = None,
    at: datetime | None = None,
) -> Experiment:
    # An experiment is a bet with a way to tell whether it paid off: both are needed to review it.
    title = clean_text(title, "title", 200, required=True)
    hypothesis = clean_text(hypothesis, "hypothesis", 2000, required=True)
    success_signal = clean_text(success_signal, "success_signal", 2000, required=True)
    objective = _objective(partnership, objective_id)
    card = _shared_card(partnership, card_id)
    with partnership_write(partnership):
        _unconverted(card)
        return Experiment.objects.create(
            partnership=partnership,
            card=card,
            title=title,
            hypothesis=hypothesis,
            success_signal=success_signal,
            review_on=review_on or experiment_review_on_default(partnership),
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
    with partnership_write(experiment.partnership_id):
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
    with partnership_write(partnership):
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
