"""The export's sections of texts partners write together and apart: meetings with their agendas
and retro cards, action items and experiments, disagreements and the journal. Cards, sides and
journal entries come only through their `visible_to(user)` querysets."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch

from accord.exchange.document import Export, d_out, dt_out
from accord.rituals.models import Card
from accord.tensions.models import GuessRating, JournalEntry, Perspective


def meetings_export(ex: Export) -> dict[str, Any]:
    refs, person, partnership = ex.refs, ex.person, ex.partnership
    visible_cards = Prefetch(
        "cards",
        queryset=Card.objects.visible_to(ex.user).prefetch_related("votes").order_by("pk"),
        to_attr="visible_cards",
    )
    meetings = list(partnership.meetings.order_by("pk").prefetch_related("agenda", "groups", visible_cards))
    for meeting in meetings:
        refs.name("m", meeting.pk)
    out_meetings = []
    for m in meetings:
        groups = sorted(m.groups.all(), key=lambda g: g.pk) if m.revealed_at else []
        out_meetings.append(
            {
                "ref": refs.get("m", m.pk),
                "kind": m.kind,
                "scheduled_for": dt_out(m.scheduled_for),
                "status": m.status,
                "phase": m.phase,
                "revealed_at": dt_out(m.revealed_at),
                "column_labels": m.column_labels,
                "votes_per_person": m.votes_per_person,
                "notes": m.notes,
                "notes_revision": m.notes_revision,
                "held_at": dt_out(m.held_at),
                "created_by": person(m.created_by_id),
                "created_at": dt_out(m.created_at),
                "agenda": [
                    {
                        "text": a.text,
                        "author": person(a.author_id),
                        "position": a.position,
                        "discussed": a.discussed,
                        "carried_from": refs.get("m", a.carried_from_id),
                        "created_at": dt_out(a.created_at),
                    }
                    for a in sorted(m.agenda.all(), key=lambda a: a.pk)
                ],
                "groups": [
                    {"ref": refs.name("g", g.pk), "title": g.title, "created_at": dt_out(g.created_at)} for g in groups
                ],
                "cards": [
                    {
                        "ref": refs.name("c", c.pk),
                        "author": person(c.author_id),
                        "column": c.column,
                        "text": c.text,
                        "group": refs.get("g", c.group_id),
                        "created_at": dt_out(c.created_at),
                        "votes": [
                            {"user": person(v.user_id), "created_at": dt_out(v.created_at)}
                            for v in sorted(c.votes.all(), key=lambda v: v.pk)
                        ],
                    }
                    for c in m.visible_cards
                ],
            }
        )
    action_items = [
        {
            "text": a.text,
            "owner": person(a.owner_id),
            "due_on": d_out(a.due_on),
            "done_at": dt_out(a.done_at),
            "meeting": refs.get("m", a.meeting_id),
            "card": refs.get("c", a.card_id),
            "created_by": person(a.created_by_id),
            "created_at": dt_out(a.created_at),
        }
        for a in partnership.action_items.order_by("pk")
    ]
    experiments = [
        {
            "title": e.title,
            "hypothesis": e.hypothesis,
            "success_signal": e.success_signal,
            "review_on": d_out(e.review_on),
            "status": e.status,
            "outcome": e.outcome,
            "decided_at": dt_out(e.decided_at),
            "card": refs.get("c", e.card_id),
            "objective": refs.get("o", e.objective_id),
            "charter_revision": refs.get("cr", e.charter_revision_id),
            "created_by": person(e.created_by_id),
            "created_at": dt_out(e.created_at),
        }
        for e in partnership.experiments.order_by("pk")
    ]
    return {"meetings": out_meetings, "action_items": action_items, "experiments": experiments}


def tensions_export(ex: Export) -> dict[str, Any]:
    refs, person, partnership = ex.refs, ex.person, ex.partnership
    tensions = []
    sides = Prefetch(
        "perspectives",
        queryset=Perspective.objects.visible_to(ex.user)
        .prefetch_related(Prefetch("reads", queryset=GuessRating.objects.order_by("pk")), "amendments")
        .order_by("pk"),
        to_attr="visible_sides",
    )
    for t in partnership.tensions.order_by("pk").prefetch_related(sides, "agreements"):
        revealed = t.revealed_at is not None
        tensions.append(
            {
                "topic": t.topic,
                "tags": t.tags,
                "status": t.status,
                "raised_by": person(t.raised_by_id),
                "created_at": dt_out(t.created_at),
                "revealed_at": dt_out(t.revealed_at),
                "resolved_at": dt_out(t.resolved_at),
                "resolution": t.resolution,
                "resolution_proposed_by": person(t.resolution_proposed_by_id),
                "resolution_proposed_at": dt_out(t.resolution_proposed_at),
                "agreed_by": [person(a.user_id) for a in t.agreements.all()],
                "decision": refs.get("d", t.decision_id),
                "perspectives": [
                    {
                        "author": person(p.author_id),
                        "important_to_me": p.important_to_me,
                        "why": p.why,
                        "partner_priority_guess": p.partner_priority_guess,
                        "updated_at": dt_out(p.updated_at),
                        "reads": [
                            {"rater": person(r.rater_id), "rating": r.rating}
                            for r in sorted(p.reads.all(), key=lambda r: r.pk)
                        ]
                        if revealed
                        else [],
                        "amendments": [
                            {"text": a.text, "created_at": dt_out(a.created_at)} for a in p.amendments.all()
                        ],
                    }
                    for p in t.visible_sides
                ],
            }
        )
    journal = [
        {
            "author": person(j.author_id),
            "text": j.text,
            "visibility": j.visibility,
            "created_at": dt_out(j.created_at),
            "updated_at": dt_out(j.updated_at),
            "brought_to": refs.get("m", j.brought_to_id),
        }
        for j in JournalEntry.objects.visible_to(ex.user).filter(partnership=partnership).order_by("pk")
    ]
    return {"tensions": tensions, "journal": journal}
