"""Writes for disagreements and the journal."""

from __future__ import annotations

from contextlib import AbstractContextManager
from datetime import datetime
from typing import TYPE_CHECKING

from django.utils.timezone import now

from accord.lib.errors import Conflict, NotFound, ValidationError
from accord.lib.freshness import Changed, partnership_write
from accord.lib.text import clean_text
from accord.partnerships.models import Membership, Partnership
from accord.rituals import services as rituals
from accord.rituals.models import Meeting
from accord.tensions.models import Amendment, GuessRating, JournalEntry, Perspective, ResolutionAgreement, Tension

if TYPE_CHECKING:
    from accord.accounts.models import User

MAX_TAGS = 10


def tags_clean(tags: list[str]) -> list[str]:
    """Trimmed, de-duplicated (ignoring case) tags, at most ten of at most 40 characters."""
    out: list[str] = []
    seen: set[str] = set()
    for tag in tags:
        tag = clean_text(tag, "tags", 40)
        if tag and tag.lower() not in seen:
            seen.add(tag.lower())
            out.append(tag)
    if len(out) > MAX_TAGS:
        raise ValidationError({"tags": f"Use at most {MAX_TAGS} tags."})
    return out


def tension_raise(
    *, partnership: Partnership, user: User, topic: str, tags: list[str] | None = None, at: datetime | None = None
) -> Tension:
    topic = clean_text(topic, "topic", 200, required=True)
    with partnership_write(partnership):
        return Tension.objects.create(
            partnership=partnership, topic=topic, tags=tags_clean(tags or []), raised_by=user, created_at=at or now()
        )


def tension_retag(*, tension: Tension, tags: list[str]) -> Tension:
    tension.tags = tags_clean(tags)
    with partnership_write(tension.partnership_id):
        tension.save(update_fields=["tags"])
    return tension


def perspective_write(
    *,
    tension: Tension,
    user: User,
    important_to_me: str,
    why: str = "",
    partner_priority_guess: str = "",
    at: datetime | None = None,
) -> Perspective:
    """Write or rewrite the caller's side. Nobody sees it until every member has written theirs:
    the last side written reveals them all. Once the sides are shown a side is never rewritten: a
    later change is an amendment (`perspective_amend`), dated, below the side as it was shown."""
    important_to_me = clean_text(important_to_me, "important_to_me", 2000, required=True)
    why = clean_text(why, "why", 2000)
    partner_priority_guess = clean_text(partner_priority_guess, "partner_priority_guess", 2000)
    with partnership_write(tension.partnership_id):
        tension = Tension.objects.select_for_update().get(pk=tension.pk)
        if tension.status == Tension.Status.RESOLVED:
            raise Conflict("This tension is resolved; its sides are kept as they were.")
        if tension.revealed_at is not None:
            raise Conflict(
                "The sides are shown, so yours stays as your partner read it. Add an amendment to say what changed."
            )
        perspective, _ = Perspective.objects.update_or_create(
            tension=tension,
            author=user,
            defaults={
                "important_to_me": important_to_me,
                "why": why,
                "partner_priority_guess": partner_priority_guess,
                "updated_at": at or now(),
            },
        )
        if tension.revealed_at is None:
            _reveal_if_complete(tension, at or now())
    return perspective


def _reveal_if_complete(tension: Tension, moment: datetime) -> bool:
    """Reveal once every current member has written a side. The side of someone who left before
    the reveal is withdrawn then: it never reaches anyone, and a newcomer never sees it."""
    members = set(Membership.objects.filter(partnership_id=tension.partnership_id).values_list("user_id", flat=True))
    written = set(tension.perspectives.values_list("author_id", flat=True))
    if not members or not members <= written:
        return False
    tension.perspectives.withdraw_leavers()
    tension.revealed_at = moment
    tension.save(update_fields=["revealed_at"])
    return True


def tension_reveal(*, tension: Tension, user: User, at: datetime | None = None) -> Tension:
    """Reveal the sides when every member has written one but the reveal has not happened yet (the
    last one missing left the partnership instead of writing)."""
    with partnership_write(tension.partnership_id):
        tension = Tension.objects.select_for_update().get(pk=tension.pk)
        if tension.revealed_at is None and not _reveal_if_complete(tension, at or now()):
            raise Conflict("Every member writes their side before the sides are revealed.")
    return tension


def guess_rate(*, tension: Tension, user: User, of_user_id: int, rating: str) -> GuessRating:
    """Say how well `of_user_id` read what matters to you (after both sides are revealed)."""
    if rating not in GuessRating.Rating.values:
        raise ValidationError({"rating": "Choose right, partly or wrong."})
    if not Tension.objects.filter(pk=tension.pk, revealed_at__isnull=False).exists():  # as stored, not as passed
        raise Conflict("Both sides are still hidden.")
    if of_user_id == user.pk:
        raise ValidationError({"of_user_id": "Rate how your partner read you, not yourself."})
    perspective = tension.perspectives.filter(author_id=of_user_id).first()
    if perspective is None:
        raise ValidationError({"of_user_id": "That member has not written a side here."})
    with partnership_write(tension.partnership_id):
        read, _ = GuessRating.objects.update_or_create(perspective=perspective, rater=user, defaults={"rating": rating})
    return read


def perspective_amend(*, tension: Tension, user: User, text: str, at: datetime | None = None) -> Amendment:
    """Say what changed in your side after the sides were shown: the side stays as it was read, and
    the amendment is added below it with its date."""
    text = clean_text(text, "text", 2000, required=True)
    with partnership_write(tension.partnership_id):
        tension = Tension.objects.select_for_update().get(pk=tension.pk)
        if tension.revealed_at is None:
            raise Conflict("The sides are not shown yet: change your side itself; nobody has read it.")
        if tension.status == Tension.Status.RESOLVED:
            raise Conflict("This tension is resolved; its sides are kept as they were.")
        perspective = tension.perspectives.filter(author=user).first()
        if perspective is None:
            raise Conflict("You have no side in this tension to amend.")
        return Amendment.objects.create(perspective=perspective, text=text, created_at=at or now())


def tension_resolve(
    *, tension: Tension, user: User, resolution: str, decision_id: int | None = None, at: datetime | None = None
) -> Tension:
    """Propose how you resolve it, once every member has written their side. The proposer agrees
    as they propose; it is resolved when every member has agreed (`tension_resolution_agree`). A
    new proposal replaces the last and its agreements."""
    resolution = clean_text(resolution, "resolution", 4000, required=True)
    decision = None
    if decision_id is not None:
        decision = tension.partnership.decisions.filter(pk=decision_id).first()
        if decision is None:
            raise ValidationError({"decision_id": "No such decision in this partnership."})
    moment = at or now()
    with partnership_write(tension.partnership_id):
        tension = _open_and_shown(tension)
        tension.resolution, tension.decision = resolution, decision
        tension.resolution_proposed_by, tension.resolution_proposed_at = user, moment
        tension.save(update_fields=["resolution", "decision", "resolution_proposed_by", "resolution_proposed_at"])
        tension.agreements.all().delete()
        ResolutionAgreement.objects.create(tension=tension, user=user, at=moment)
        _resolve_if_agreed(tension, moment)
    return tension


def tension_resolution_agree(*, tension: Tension, user: User, at: datetime | None = None) -> Tension:
    """Agree to the proposed resolution; the last member to agree resolves the tension."""
    moment = at or now()
    with partnership_write(tension.partnership_id):
        tension = _open_and_shown(tension)
        if tension.resolution_proposed_at is None:
            raise Conflict("Nobody has proposed a resolution yet. Propose one, and your partner agrees to it.")
        ResolutionAgreement.objects.get_or_create(tension=tension, user=user, defaults={"at": moment})
        _resolve_if_agreed(tension, moment)
    return tension


def _open_and_shown(tension: Tension) -> Tension:
    tension = Tension.objects.select_for_update().get(pk=tension.pk)
    if tension.status == Tension.Status.RESOLVED:
        raise Conflict("This tension is already resolved.")
    if tension.revealed_at is None:
        raise Conflict("Every member writes their side before you resolve it together.")
    return tension


def _resolve_if_agreed(tension: Tension, moment: datetime) -> None:
    members = set(Membership.objects.filter(partnership_id=tension.partnership_id).values_list("user_id", flat=True))
    agreed = set(tension.agreements.values_list("user_id", flat=True))
    if members and members <= agreed:
        tension.status, tension.resolved_at = Tension.Status.RESOLVED, moment
        tension.save(update_fields=["status", "resolved_at"])


# --- Journal ---------------------------------------------------------------------------------
# A private entry shows on its author's pages alone: writing, changing or deleting one moves only
# the author's pages. Once it is shared, or brought to a meeting, it moves the partnership's too.


def _reaches_partners(entry: JournalEntry) -> bool:
    return entry.visibility == JournalEntry.Visibility.SHARED or entry.brought_to_id is not None


def _journal_write(entry: JournalEntry, *, was_shared: bool = False) -> AbstractContextManager[Changed]:
    shared = was_shared or _reaches_partners(entry)
    return partnership_write(entry.partnership_id if shared else None, users=[entry.author_id])


def journal_write(
    *,
    partnership: Partnership,
    user: User,
    text: str,
    visibility: str = JournalEntry.Visibility.PRIVATE,
    meeting_id: int | None = None,
    at: datetime | None = None,
) -> JournalEntry:
    """A journal entry, private unless the author shares it. With `meeting_id` it is brought there too."""
    if visibility not in JournalEntry.Visibility.values:
        raise ValidationError({"visibility": "Choose private or shared."})
    text = clean_text(text, "text", 4000, required=True)
    meeting = None
    if meeting_id is not None:
        meeting = partnership.meetings.filter(pk=meeting_id, status=Meeting.Status.PLANNED).first()
        if meeting is None:
            raise ValidationError({"meeting_id": "No such upcoming meeting in this partnership."})
    shared = visibility == JournalEntry.Visibility.SHARED or meeting is not None
    # Shared, it shows on the partnership's pages (its author's among them); private, on theirs alone.
    with partnership_write(partnership if shared else None, users=[] if shared else [user], figures=False):
        entry = JournalEntry.objects.create(
            partnership=partnership,
            author=user,
            text=text,
            visibility=visibility,
            created_at=at or now(),
            updated_at=at or now(),
        )
        if meeting is not None:
            _bring(entry, meeting, user)
    return entry


def journal_update(
    *, entry: JournalEntry, user: User, text: str | None = None, visibility: str | None = None
) -> JournalEntry:
    if entry.author_id != user.pk:
        raise NotFound()
    was_shared = _reaches_partners(entry)
    if text is not None:
        entry.text = clean_text(text, "text", 4000, required=True)
    if visibility is not None:
        if visibility not in JournalEntry.Visibility.values:
            raise ValidationError({"visibility": "Choose private or shared."})
        entry.visibility = visibility
    entry.updated_at = now()
    with _journal_write(entry, was_shared=was_shared):
        entry.save()
    return entry


def journal_delete(*, entry: JournalEntry, user: User) -> None:
    if entry.author_id != user.pk:
        raise NotFound()
    with _journal_write(entry):
        entry.delete()


def _bring(entry: JournalEntry, meeting: Meeting, user: User, column: str = "frustrating") -> None:
    text = entry.text if len(entry.text) <= 500 else entry.text[:499] + "…"
    if meeting.is_retro:
        rituals.card_add(meeting=meeting, user=user, column=column, text=text)
    else:
        rituals.agenda_item_add(meeting=meeting, user=user, text=text)
    entry.brought_to = meeting
    entry.save(update_fields=["brought_to"])


def journal_bring(*, entry: JournalEntry, user: User, to: str, column: str = "frustrating") -> Meeting:
    """Bring an entry to the next 1:1 (as a talking point) or the next retro (as a card of the
    author's, blind until the reveal there). The next session is planned from the cadence if needed."""
    if entry.author_id != user.pk:
        raise NotFound()
    if to not in Meeting.Kind.values:
        raise ValidationError({"to": "Bring it to the next one_on_one or retro."})
    partnership = entry.partnership
    with partnership_write(partnership, users=[user]):
        meeting = partnership.meetings.filter(kind=to, status=Meeting.Status.PLANNED).order_by(
            "scheduled_for"
        ).first() or rituals.meeting_plan_next(partnership=partnership, kind=to)
        assert meeting is not None
        _bring(entry, meeting, user, column)
    return meeting
