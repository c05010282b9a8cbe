"""The import's sections of meetings (agendas, retro cards and votes), action items, experiments,
disagreements and the journal."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from accord.exchange.document import Import, d_in, dt_in, each
from accord.rituals.models import ActionItem, AgendaItem, Card, CardGroup, Experiment, Meeting, Vote
from accord.tensions.models import Amendment, GuessRating, JournalEntry, Perspective, ResolutionAgreement, Tension

if TYPE_CHECKING:
    from accord.accounts.models import User


def meetings_import(im: Import, document: dict[str, Any]) -> None:
    partnership, u = im.partnership, im.user
    revisions, objectives = im.revisions, im.objectives
    meetings, cards = im.meetings, im.cards
    for m in each(document.get("meetings", [])):
        meeting = Meeting.objects.create(
            partnership=partnership,
            kind=m["kind"],
            scheduled_for=dt_in(m["scheduled_for"]),
            status=m["status"],
            phase=m["phase"],
            revealed_at=dt_in(m.get("revealed_at")),
            column_labels=m["column_labels"],
            votes_per_person=m["votes_per_person"],
            notes=m["notes"],
            notes_revision=m["notes_revision"],
            held_at=dt_in(m.get("held_at")),
            created_by=u(m.get("created_by")),
            created_at=dt_in(m["created_at"]),
        )
        meetings[m["ref"]] = meeting
    for m in each(document.get("meetings", [])):
        meeting = meetings[m["ref"]]
        for a in m["agenda"]:
            AgendaItem.objects.create(
                meeting=meeting,
                text=a["text"],
                author=u(a.get("author")),
                position=a["position"],
                discussed=a["discussed"],
                carried_from=meetings.get(a["carried_from"]) if a.get("carried_from") else None,
                created_at=dt_in(a["created_at"]),
            )
        groups = {
            g["ref"]: CardGroup.objects.create(meeting=meeting, title=g["title"], created_at=dt_in(g["created_at"]))
            for g in m["groups"]
        }
        for c in m["cards"]:
            card = Card.objects.create(
                meeting=meeting,
                author=u(c.get("author")),
                column=c["column"],
                text=c["text"],
                group=groups.get(c["group"]) if c.get("group") else None,
                created_at=dt_in(c["created_at"]),
            )
            cards[c["ref"]] = card
            for v in c["votes"]:
                Vote.objects.create(card=card, user=u(v["user"]), created_at=dt_in(v["created_at"]))
    for a in each(document.get("action_items", [])):
        ActionItem.objects.create(
            partnership=partnership,
            text=a["text"],
            owner=u(a.get("owner")),
            due_on=d_in(a.get("due_on")),
            done_at=dt_in(a.get("done_at")),
            meeting=meetings.get(a["meeting"]) if a.get("meeting") else None,
            card=cards.get(a["card"]) if a.get("card") else None,
            created_by=u(a.get("created_by")),
            created_at=dt_in(a["created_at"]),
        )
    for e in each(document.get("experiments", [])):
        Experiment.objects.create(
            partnership=partnership,
            title=e["title"],
            hypothesis=e["hypothesis"],
            success_signal=e["success_signal"],
            review_on=d_in(e["review_on"]),
            status=e["status"],
            outcome=e["outcome"],
            decided_at=dt_in(e.get("decided_at")),
            card=cards.get(e["card"]) if e.get("card") else None,
            objective=objectives.get(e["objective"]) if e.get("objective") else None,
            charter_revision=revisions.get(e["charter_revision"]) if e.get("charter_revision") else None,
            created_by=u(e.get("created_by")),
            created_at=dt_in(e["created_at"]),
        )


def _revealed_at(t: dict[str, Any]) -> Any:
    """When the sides were shown. Files from before tensions kept a reveal time: a resolved tension
    had been revealed, and so had one whose file holds more than one side, since an export held a
    partner's side only once every side was written."""
    if "revealed_at" in t:
        return dt_in(t["revealed_at"])
    if t.get("resolved_at"):
        return dt_in(t["resolved_at"])
    if len({p["author"] for p in t["perspectives"]}) > 1:
        return max(dt_in(p["updated_at"]) for p in t["perspectives"])
    return None


def _agreements_import(tension: Tension, agreed: list[User | None]) -> None:
    """Who agreed to the resolution, in the order they agreed: the proposer as it was proposed,
    the others by the time it was resolved (the document keeps who, not when)."""
    proposed = tension.resolution_proposed_at
    later = tension.resolved_at or proposed
    for n, user in enumerate(dict.fromkeys(a for a in agreed if a is not None)):
        at = proposed if n == 0 else later
        ResolutionAgreement.objects.create(tension=tension, user=user, **({"at": at} if at else {}))


def tensions_import(im: Import, document: dict[str, Any]) -> None:
    partnership, u = im.partnership, im.user
    decisions, meetings = im.decisions, im.meetings
    for t in each(document.get("tensions", [])):
        tension = Tension.objects.create(
            partnership=partnership,
            topic=t["topic"],
            tags=t["tags"],
            status=t["status"],
            raised_by=u(t.get("raised_by")),
            created_at=dt_in(t["created_at"]),
            revealed_at=_revealed_at(t),
            resolved_at=dt_in(t.get("resolved_at")),
            resolution=t["resolution"],
            resolution_proposed_by=u(t.get("resolution_proposed_by")),
            resolution_proposed_at=dt_in(t.get("resolution_proposed_at")),
            decision=decisions.get(t["decision"]) if t.get("decision") else None,
        )
        _agreements_import(tension, [u(a) for a in t.get("agreed_by", [])])
        for p in t["perspectives"]:
            perspective = Perspective.objects.create(
                tension=tension,
                author=u(p["author"]),
                important_to_me=p["important_to_me"],
                why=p["why"],
                partner_priority_guess=p["partner_priority_guess"],
                updated_at=dt_in(p["updated_at"]),
            )
            for r in p["reads"]:
                GuessRating.objects.create(perspective=perspective, rater=u(r["rater"]), rating=r["rating"])
            for a in p.get("amendments", []):
                Amendment.objects.create(perspective=perspective, text=a["text"], created_at=dt_in(a["created_at"]))
    for j in each(document.get("journal", [])):
        JournalEntry.objects.create(
            partnership=partnership,
            author=u(j["author"]),
            text=j["text"],
            visibility=j["visibility"],
            created_at=dt_in(j["created_at"]),
            updated_at=dt_in(j["updated_at"]),
            brought_to=meetings.get(j["brought_to"]) if j.get("brought_to") else None,
        )
