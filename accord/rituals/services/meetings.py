"""Writes for meetings: the retro format, planning from the cadence, rescheduling, notes, holding a
meeting (talking points carry over), the 1:1 agenda, and reminder claims."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.db.models import Max, Subquery
from django.db.models.functions import Coalesce
from django.utils.timezone import now

from accord.lib.dates import localize
from accord.lib.errors import Conflict, NotFound, ValidationError
from accord.lib.freshness import partnership_write
from accord.lib.text import clean_line, clean_text
from accord.partnerships.models import Partnership
from accord.rituals.cadence import next_slot
from accord.rituals.models import COLUMNS, AgendaItem, Meeting, ReminderSent, RetroFormat

if TYPE_CHECKING:
    from accord.accounts.models import User

# --- Retro format ----------------------------------------------------------------------------


def retro_format_get(*, partnership: Partnership) -> RetroFormat:
    """The partnership's retro format; the defaults until it is first changed (never written here)."""
    return RetroFormat.objects.filter(partnership=partnership).first() or RetroFormat(partnership=partnership)


def retro_format_update(*, partnership: Partnership, labels: dict[str, str], votes_per_person: int) -> RetroFormat:
    fmt = retro_format_get(partnership=partnership)
    for key in COLUMNS:
        setattr(fmt, key, clean_line(labels.get(key, ""), field=key, max_length=60))
    if not 1 <= votes_per_person <= 10:
        raise ValidationError({"votes_per_person": "Give each partner between 1 and 10 votes."})
    fmt.votes_per_person = votes_per_person
    with partnership_write(partnership):
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
    with partnership_write(partnership):
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
    with partnership_write(meeting.partnership_id):
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
    with partnership_write(meeting.partnership_id):
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


def meeting_require_planned(meeting: Meeting) -> None:
    if meeting.status != Meeting.Status.PLANNED:
        raise Conflict("This meeting is over; its agenda and cards are kept as they were.")


# --- 1:1 agendas -----------------------------------------------------------------------------


def agenda_item_add(*, meeting: Meeting, user: User, text: str) -> AgendaItem:
    text = clean_text(text, "text", 500, required=True)
    meeting_require_planned(meeting)
    with partnership_write(meeting.partnership_id, figures=False):
        # Last in line, worked out by the INSERT itself (and read back from it).
        last = AgendaItem.objects.filter(meeting=meeting).order_by().values("meeting").annotate(m=Max("position"))
        position = Coalesce(Subquery(last.values("m")), 0) + 1
        return AgendaItem.objects.create(meeting=meeting, author=user, text=text, position=position)


def agenda_item_update(
    *, item: AgendaItem, text: str | None = None, discussed: bool | None = None, move: int | None = None
) -> AgendaItem:
    """Edit, tick off, or move a talking point up (-1) or down (+1)."""
    if text is not None:
        item.text = clean_text(text, "text", 500, required=True)
    if discussed is not None:
        item.discussed = discussed
    with partnership_write(item.meeting.partnership_id):
        item.save(update_fields=["text", "discussed"])
        if move:
            items = list(item.meeting.agenda.order_by("position", "id"))
            index = next(i for i, x in enumerate(items) if x.pk == item.pk)
            target = index + move
            if 0 <= target < len(items):
                items[index], items[target] = items[target], items[index]
                for position, x in enumerate(items):
                    if x.position != position:
                        AgendaItem.objects.filter(pk=x.pk).update(position=position)
    return item


def agenda_item_delete(*, item: AgendaItem, user: User) -> None:
    if item.author_id != user.pk:
        raise NotFound()
    with partnership_write(item.meeting.partnership_id):
        item.delete()


# --- Reminders -------------------------------------------------------------------------------
# A claim changes nothing any page shows: it needs no unit of work.


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
