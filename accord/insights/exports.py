"""Export a partnership as a versioned JSON document, and import such a document into another
Accord. An export holds everything the exporting member may see, and nothing more: other members'
unrevealed answers, cards and sides, and their private journal entries are left out.

References inside the document are local names ("u1", "m3", ...) given in a stable order, so an
export, imported into an empty Accord and exported again, gives the same document."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, datetime
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import Prefetch
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.timezone import now

from accord.accounts.models import User
from accord.alignment.models import Decision, KeyResult, KeyResultReading, Objective, SignOff
from accord.assessments.models import CheckDimension, Dimension, HealthCheck, Rating, Response
from accord.charters.models import CharterRevision, Measure, Ratification, Reading
from accord.lib.errors import ValidationError
from accord.partnerships.models import Membership, Partnership
from accord.rituals.models import ActionItem, AgendaItem, Card, CardGroup, Experiment, Meeting, RetroFormat, Vote
from accord.tensions.models import GuessRating, JournalEntry, Perspective, Tension

FORMAT = "accord-partnership"
VERSION = 1
Progress = Callable[[str], None] | None


def _dt(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _d(value: date | None) -> str | None:
    return value.isoformat() if value else None


class _Refs:
    def __init__(self) -> None:
        self.names: dict[tuple[str, int], str] = {}
        self.counts: dict[str, int] = {}

    def name(self, prefix: str, pk: int | None) -> str | None:
        if pk is None:
            return None
        key = (prefix, pk)
        if key not in self.names:
            self.counts[prefix] = self.counts.get(prefix, 0) + 1
            self.names[key] = f"{prefix}{self.counts[prefix]}"
        return self.names[key]

    def get(self, prefix: str, pk: int | None) -> str | None:
        return None if pk is None else self.names.get((prefix, pk))


def export_partnership(*, partnership: Partnership, user: User, progress: Progress = None) -> dict[str, Any]:
    """Everything `user` may see of `partnership`, as plain JSON-ready data."""
    refs = _Refs()
    step = progress or (lambda _: None)
    members = list(
        Membership.objects.filter(partnership=partnership).select_related("user").order_by("joined_at", "id")
    )
    people: dict[int, dict[str, Any]] = {}
    for membership in members:
        people[membership.user_id] = {
            "ref": refs.name("u", membership.user_id),
            "email": membership.user.email,
            "name": membership.user.name,
            "role": membership.role,
            "joined_at": _dt(membership.joined_at),
        }

    def person(user_id: int | None) -> str | None:
        if user_id is None:
            return None
        if user_id not in people:
            former = User.objects.filter(pk=user_id).first()
            people[user_id] = {
                "ref": refs.name("u", user_id),
                "email": former.email if former else f"former-{user_id}@invalid",
                "name": former.name if former else "Former member",
                "role": None,
                "joined_at": None,
            }
        return str(people[user_id]["ref"])

    def mine_or_revealed(author_id: int | None, revealed: bool) -> bool:
        return revealed or author_id == user.pk

    doc: dict[str, Any] = {"format": FORMAT, "version": VERSION, "exported_at": now().isoformat()}
    doc["partnership"] = {
        "name": partnership.name,
        "team": partnership.team,
        "timezone": partnership.timezone,
        "one_on_one_days": partnership.one_on_one_days,
        "retro_days": partnership.retro_days,
        "health_check_days": partnership.health_check_days,
        "created_at": _dt(partnership.created_at),
    }
    fmt = RetroFormat.objects.filter(partnership=partnership).first()
    doc["retro_format"] = fmt.labels() | {"votes_per_person": fmt.votes_per_person} if fmt else None
    step("people and settings")

    doc["dimensions"] = [
        {
            "key": d.key,
            "title": d.title,
            "description": d.description,
            "position": d.position,
            "retired_at": _dt(d.retired_at),
        }
        for d in partnership.dimensions.order_by("pk")
    ]
    checks = []
    answers = Prefetch(
        "responses",
        queryset=Response.objects.visible_to(user).prefetch_related("ratings__dimension").order_by("pk"),
        to_attr="visible_answers",
    )
    for c in partnership.health_checks.order_by("pk").prefetch_related("dimensions", answers):
        responses = []
        for r in c.visible_answers:
            responses.append(
                {
                    "user": person(r.user_id),
                    "submitted_at": _dt(r.submitted_at),
                    "updated_at": _dt(r.updated_at),
                    "ratings": [
                        {
                            "dimension": x.dimension.key,
                            "today": x.today,
                            "target": x.target,
                            "guess": x.guess,
                            "note": x.note,
                        }
                        for x in sorted(r.ratings.all(), key=lambda x: x.pk)
                    ],
                }
            )
        checks.append(
            {
                "ref": refs.name("hc", c.pk),
                "number": c.number,
                "status": c.status,
                "opened_by": person(c.opened_by_id),
                "opened_at": _dt(c.opened_at),
                "revealed_at": _dt(c.revealed_at),
                "closed_early": c.closed_early,
                "score": c.score,
                "summary": c.summary,
                "dimensions": [
                    {"key": d.key, "title": d.title, "description": d.description, "position": d.position}
                    for d in sorted(c.dimensions.all(), key=lambda d: d.pk)
                ],
                "responses": responses,
            }
        )
    doc["health_checks"] = checks
    step("health checks")

    revisions = list(partnership.charter_revisions.order_by("pk").prefetch_related("ratifications"))
    for revision in revisions:
        refs.name("cr", revision.pk)
    doc["charter_revisions"] = [
        {
            "ref": refs.get("cr", r.pk),
            "number": r.number,
            "status": r.status,
            "base": refs.get("cr", r.base_id),
            "author": person(r.author_id),
            "rationale": r.rationale,
            "purpose": r.purpose,
            "values": r.values,
            "principles": r.principles,
            "responsibilities": r.responsibilities,
            "agreements": r.agreements,
            "created_at": _dt(r.created_at),
            "ratified_at": _dt(r.ratified_at),
            "closed_at": _dt(r.closed_at),
            "ratifications": [
                {"user": person(x.user_id), "at": _dt(x.at)} for x in sorted(r.ratifications.all(), key=lambda x: x.pk)
            ],
        }
        for r in revisions
    ]
    doc["measures"] = [
        {
            "name": m.name,
            "method": m.method,
            "target": m.target,
            "direction": m.direction,
            "unit": m.unit,
            "created_by": person(m.created_by_id),
            "created_at": _dt(m.created_at),
            "readings": [
                {
                    "value": x.value,
                    "taken_on": _d(x.taken_on),
                    "note": x.note,
                    "entered_by": person(x.entered_by_id),
                    "created_at": _dt(x.created_at),
                }
                for x in sorted(m.readings.all(), key=lambda x: x.pk)
            ],
        }
        for m in partnership.measures.order_by("pk").prefetch_related("readings")
    ]
    step("charter")

    objectives = list(partnership.objectives.order_by("pk").prefetch_related("key_results__readings"))
    doc["objectives"] = [
        {
            "ref": refs.name("o", o.pk),
            "title": o.title,
            "why": o.why,
            "starts_on": _d(o.starts_on),
            "ends_on": _d(o.ends_on),
            "archived_at": _dt(o.archived_at),
            "created_by": person(o.created_by_id),
            "created_at": _dt(o.created_at),
            "key_results": [
                {
                    "name": k.name,
                    "baseline": k.baseline,
                    "target": k.target,
                    "unit": k.unit,
                    "created_at": _dt(k.created_at),
                    "readings": [
                        {
                            "value": x.value,
                            "taken_on": _d(x.taken_on),
                            "entered_by": person(x.entered_by_id),
                            "created_at": _dt(x.created_at),
                        }
                        for x in sorted(k.readings.all(), key=lambda x: x.pk)
                    ],
                }
                for k in sorted(o.key_results.all(), key=lambda k: k.pk)
            ],
        }
        for o in objectives
    ]
    decisions = list(partnership.decisions.order_by("pk").prefetch_related("objectives", "signoffs"))
    for d in decisions:
        refs.name("d", d.pk)
    doc["decisions"] = [
        {
            "ref": refs.get("d", d.pk),
            "kind": d.kind,
            "title": d.title,
            "context": d.context,
            "options": d.options,
            "evidence": d.evidence,
            "outcome": d.outcome,
            "objectives": sorted(refs.get("o", o.pk) or "" for o in d.objectives.all()),
            "requester": d.requester,
            "needed_by": _d(d.needed_by),
            "triage": d.triage,
            "status": d.status,
            "revisits": refs.get("d", d.revisits_id),
            "created_by": person(d.created_by_id),
            "created_at": _dt(d.created_at),
            "agreed_at": _dt(d.agreed_at),
            "signoffs": [
                {"user": person(s.user_id), "kind": s.kind, "reason": s.reason, "at": _dt(s.at)}
                for s in sorted(d.signoffs.all(), key=lambda s: s.pk)
            ],
        }
        for d in decisions
    ]
    step("objectives and decisions")

    visible_cards = Prefetch(
        "cards",
        queryset=Card.objects.visible_to(user).prefetch_related("votes").order_by("pk"),
        to_attr="visible_cards",
    )
    meetings = list(partnership.meetings.order_by("pk").prefetch_related("agenda", "groups", visible_cards))
    for meeting in meetings:
        refs.name("m", meeting.pk)
    out_meetings = []
    for m in meetings:
        cards = m.visible_cards
        groups = sorted(m.groups.all(), key=lambda g: g.pk) if m.revealed_at else []
        out_meetings.append(
            {
                "ref": refs.get("m", m.pk),
                "kind": m.kind,
                "scheduled_for": _dt(m.scheduled_for),
                "status": m.status,
                "phase": m.phase,
                "revealed_at": _dt(m.revealed_at),
                "column_labels": m.column_labels,
                "votes_per_person": m.votes_per_person,
                "notes": m.notes,
                "notes_revision": m.notes_revision,
                "held_at": _dt(m.held_at),
                "created_by": person(m.created_by_id),
                "created_at": _dt(m.created_at),
                "agenda": [
                    {
                        "text": a.text,
                        "author": person(a.author_id),
                        "position": a.position,
                        "discussed": a.discussed,
                        "carried_from": refs.get("m", a.carried_from_id),
                        "created_at": _dt(a.created_at),
                    }
                    for a in sorted(m.agenda.all(), key=lambda a: a.pk)
                ],
                "groups": [
                    {"ref": refs.name("g", g.pk), "title": g.title, "created_at": _dt(g.created_at)} for g in groups
                ],
                "cards": [
                    {
                        "ref": refs.name("c", c.pk),
                        "author": person(c.author_id),
                        "column": c.column,
                        "text": c.text,
                        "group": refs.get("g", c.group_id),
                        "created_at": _dt(c.created_at),
                        "votes": [
                            {"user": person(v.user_id), "created_at": _dt(v.created_at)}
                            for v in sorted(c.votes.all(), key=lambda v: v.pk)
                        ],
                    }
                    for c in cards
                ],
            }
        )
    doc["meetings"] = out_meetings
    doc["action_items"] = [
        {
            "text": a.text,
            "owner": person(a.owner_id),
            "due_on": _d(a.due_on),
            "done_at": _dt(a.done_at),
            "meeting": refs.get("m", a.meeting_id),
            "card": refs.get("c", a.card_id),
            "created_by": person(a.created_by_id),
            "created_at": _dt(a.created_at),
        }
        for a in partnership.action_items.order_by("pk")
    ]
    doc["experiments"] = [
        {
            "title": e.title,
            "hypothesis": e.hypothesis,
            "success_signal": e.success_signal,
            "review_on": _d(e.review_on),
            "status": e.status,
            "outcome": e.outcome,
            "decided_at": _dt(e.decided_at),
            "card": refs.get("c", e.card_id),
            "objective": refs.get("o", e.objective_id),
            "charter_revision": refs.get("cr", e.charter_revision_id),
            "created_by": person(e.created_by_id),
            "created_at": _dt(e.created_at),
        }
        for e in partnership.experiments.order_by("pk")
    ]
    step("meetings, actions and experiments")

    tensions = []
    sides = Prefetch(
        "perspectives",
        queryset=Perspective.objects.visible_to(user).prefetch_related("reads").order_by("pk"),
        to_attr="visible_sides",
    )
    for t in partnership.tensions.order_by("pk").prefetch_related(sides):
        revealed = t.revealed_at is not None
        tensions.append(
            {
                "topic": t.topic,
                "tags": t.tags,
                "status": t.status,
                "raised_by": person(t.raised_by_id),
                "created_at": _dt(t.created_at),
                "revealed_at": _dt(t.revealed_at),
                "resolved_at": _dt(t.resolved_at),
                "resolution": t.resolution,
                "decision": refs.get("d", t.decision_id),
                "perspectives": [
                    {
                        "author": person(p.author_id),
                        "important_to_me": p.important_to_me,
                        "why": p.why,
                        "partner_priority_guess": p.partner_priority_guess,
                        "updated_at": _dt(p.updated_at),
                        "reads": [
                            {"rater": person(r.rater_id), "rating": r.rating}
                            for r in sorted(p.reads.all(), key=lambda r: r.pk)
                        ]
                        if revealed
                        else [],
                    }
                    for p in t.visible_sides
                ],
            }
        )
    doc["tensions"] = tensions
    doc["journal"] = [
        {
            "author": person(j.author_id),
            "text": j.text,
            "visibility": j.visibility,
            "created_at": _dt(j.created_at),
            "updated_at": _dt(j.updated_at),
            "brought_to": refs.get("m", j.brought_to_id),
        }
        for j in JournalEntry.objects.visible_to(user).filter(partnership=partnership).order_by("pk")
    ]
    step("disagreements and journal")
    doc["people"] = sorted(people.values(), key=lambda p: int(p["ref"][1:]))
    return doc


# --- Import ----------------------------------------------------------------------------------


# The document is outside data: a missing required value surfaces as a database error on import.
def _pdt(value: str | None) -> Any:
    return parse_datetime(value) if value else None


def _pd(value: str | None) -> Any:
    return parse_date(value) if value else None


def _each(items: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    return list(items or [])


@transaction.atomic
def import_document(*, document: dict[str, Any], progress: Progress = None) -> Partnership:
    """Recreate a partnership from an export. People are matched by email; anyone new gets an
    account without a password (they set one with "forgot password")."""
    if document.get("format") != FORMAT or document.get("version") != VERSION:
        raise ValidationError({"format": f"Not an {FORMAT} document of version {VERSION}."})
    step = progress or (lambda _: None)
    users: dict[str, User] = {}
    for p in _each(document.get("people", [])):
        user = User.objects.filter(email__iexact=p["email"]).first()
        if user is None:
            user = User.objects.create(email=p["email"].lower(), name=p["name"], password=make_password(None))
        users[p["ref"]] = user

    def u(ref: str | None) -> Any:
        return users.get(ref) if ref else None

    info = document["partnership"]
    partnership = Partnership.objects.create(
        name=info["name"],
        team=info.get("team", ""),
        timezone=info.get("timezone", "UTC"),
        one_on_one_days=info["one_on_one_days"],
        retro_days=info["retro_days"],
        health_check_days=info["health_check_days"],
        created_at=_pdt(info.get("created_at")) or now(),
    )
    for p in _each(document.get("people", [])):
        if p.get("role"):
            Membership.objects.create(
                partnership=partnership, user=users[p["ref"]], role=p["role"], joined_at=_pdt(p["joined_at"]) or now()
            )
    if document.get("retro_format"):
        fmt = document["retro_format"]
        RetroFormat.objects.create(
            partnership=partnership,
            going_well=fmt["going_well"],
            frustrating=fmt["frustrating"],
            try_next=fmt["try_next"],
            votes_per_person=fmt["votes_per_person"],
        )
    step("people and settings")

    for d in _each(document.get("dimensions", [])):
        Dimension.objects.create(
            partnership=partnership,
            key=d["key"],
            title=d["title"],
            description=d["description"],
            position=d["position"],
            retired_at=_pdt(d.get("retired_at")),
        )
    for c in _each(document.get("health_checks", [])):
        check = HealthCheck.objects.create(
            partnership=partnership,
            number=c["number"],
            status=c["status"],
            opened_by=u(c.get("opened_by")),
            opened_at=_pdt(c["opened_at"]),
            revealed_at=_pdt(c.get("revealed_at")),
            closed_early=c.get("closed_early", False),
            score=c.get("score"),
            summary=c.get("summary") or {},
        )
        dims = {d["key"]: CheckDimension.objects.create(check_run=check, **d) for d in c["dimensions"]}
        for r in c["responses"]:
            response = Response.objects.create(
                check_run=check,
                user=u(r["user"]),
                submitted_at=_pdt(r.get("submitted_at")),
                updated_at=_pdt(r.get("updated_at")) or now(),
            )
            Rating.objects.bulk_create(
                Rating(
                    response=response,
                    dimension=dims[x["dimension"]],
                    today=x["today"],
                    target=x["target"],
                    guess=x["guess"],
                    note=x["note"],
                )
                for x in r["ratings"]
            )
    step("health checks")

    revisions: dict[str, CharterRevision] = {}
    for r in _each(document.get("charter_revisions", [])):
        revision = CharterRevision.objects.create(
            partnership=partnership,
            number=r["number"],
            status=r["status"],
            base=revisions.get(r["base"]) if r.get("base") else None,
            author=u(r.get("author")),
            rationale=r["rationale"],
            purpose=r["purpose"],
            values=r["values"],
            principles=r["principles"],
            responsibilities=r["responsibilities"],
            agreements=r["agreements"],
            created_at=_pdt(r["created_at"]),
            ratified_at=_pdt(r.get("ratified_at")),
            closed_at=_pdt(r.get("closed_at")),
        )
        revisions[r["ref"]] = revision
        for x in r["ratifications"]:
            Ratification.objects.create(revision=revision, user=u(x["user"]), at=_pdt(x["at"]))
    for m in _each(document.get("measures", [])):
        measure = Measure.objects.create(
            partnership=partnership,
            name=m["name"],
            method=m["method"],
            target=m["target"],
            direction=m["direction"],
            unit=m["unit"],
            created_by=u(m.get("created_by")),
            created_at=_pdt(m["created_at"]),
        )
        for x in m["readings"]:
            Reading.objects.create(
                measure=measure,
                value=x["value"],
                taken_on=_pd(x["taken_on"]),
                note=x["note"],
                entered_by=u(x.get("entered_by")),
                created_at=_pdt(x["created_at"]),
            )
    step("charter")

    objectives: dict[str, Objective] = {}
    for o in _each(document.get("objectives", [])):
        objective = Objective.objects.create(
            partnership=partnership,
            title=o["title"],
            why=o["why"],
            starts_on=_pd(o["starts_on"]),
            ends_on=_pd(o["ends_on"]),
            archived_at=_pdt(o.get("archived_at")),
            created_by=u(o.get("created_by")),
            created_at=_pdt(o["created_at"]),
        )
        objectives[o["ref"]] = objective
        for k in o["key_results"]:
            kr = KeyResult.objects.create(
                objective=objective,
                name=k["name"],
                baseline=k["baseline"],
                target=k["target"],
                unit=k["unit"],
                created_at=_pdt(k["created_at"]),
            )
            for x in k["readings"]:
                KeyResultReading.objects.create(
                    key_result=kr,
                    value=x["value"],
                    taken_on=_pd(x["taken_on"]),
                    entered_by=u(x.get("entered_by")),
                    created_at=_pdt(x["created_at"]),
                )
    decisions: dict[str, Decision] = {}
    for d in _each(document.get("decisions", [])):
        decision = Decision.objects.create(
            partnership=partnership,
            kind=d["kind"],
            title=d["title"],
            context=d["context"],
            options=d["options"],
            evidence=d["evidence"],
            outcome=d["outcome"],
            requester=d["requester"],
            needed_by=_pd(d.get("needed_by")),
            triage=d["triage"],
            status=d["status"],
            revisits=decisions.get(d["revisits"]) if d.get("revisits") else None,
            created_by=u(d.get("created_by")),
            created_at=_pdt(d["created_at"]),
            agreed_at=_pdt(d.get("agreed_at")),
        )
        decision.objectives.set([objectives[ref] for ref in d["objectives"]])
        decisions[d["ref"]] = decision
        for s in d["signoffs"]:
            SignOff.objects.create(
                decision=decision, user=u(s["user"]), kind=s["kind"], reason=s["reason"], at=_pdt(s["at"])
            )
    step("objectives and decisions")

    meetings: dict[str, Meeting] = {}
    cards: dict[str, Card] = {}
    for m in _each(document.get("meetings", [])):
        meeting = Meeting.objects.create(
            partnership=partnership,
            kind=m["kind"],
            scheduled_for=_pdt(m["scheduled_for"]),
            status=m["status"],
            phase=m["phase"],
            revealed_at=_pdt(m.get("revealed_at")),
            column_labels=m["column_labels"],
            votes_per_person=m["votes_per_person"],
            notes=m["notes"],
            notes_revision=m["notes_revision"],
            held_at=_pdt(m.get("held_at")),
            created_by=u(m.get("created_by")),
            created_at=_pdt(m["created_at"]),
        )
        meetings[m["ref"]] = meeting
    for m in _each(document.get("meetings", [])):
        meeting = meetings[m["ref"]]
        for a in m["agenda"]:
            AgendaItem.objects.create(
                meeting=meeting,
                text=a["text"],
                author=u(a.get("author")),
                position=a["position"],
                discussed=a["discussed"],
                carried_from=meetings.get(a["carried_from"]) if a.get("carried_from") else None,
                created_at=_pdt(a["created_at"]),
            )
        groups = {
            g["ref"]: CardGroup.objects.create(meeting=meeting, title=g["title"], created_at=_pdt(g["created_at"]))
            for g in m["groups"]
        }
        for c in m["cards"]:
            card = Card.objects.create(
                meeting=meeting,
                author=u(c.get("author")),
                column=c["column"],
                text=c["text"],
                group=groups.get(c["group"]) if c.get("group") else None,
                created_at=_pdt(c["created_at"]),
            )
            cards[c["ref"]] = card
            for v in c["votes"]:
                Vote.objects.create(card=card, user=u(v["user"]), created_at=_pdt(v["created_at"]))
    for a in _each(document.get("action_items", [])):
        ActionItem.objects.create(
            partnership=partnership,
            text=a["text"],
            owner=u(a.get("owner")),
            due_on=_pd(a.get("due_on")),
            done_at=_pdt(a.get("done_at")),
            meeting=meetings.get(a["meeting"]) if a.get("meeting") else None,
            card=cards.get(a["card"]) if a.get("card") else None,
            created_by=u(a.get("created_by")),
            created_at=_pdt(a["created_at"]),
        )
    for e in _each(document.get("experiments", [])):
        Experiment.objects.create(
            partnership=partnership,
            title=e["title"],
            hypothesis=e["hypothesis"],
            success_signal=e["success_signal"],
            review_on=_pd(e["review_on"]),
            status=e["status"],
            outcome=e["outcome"],
            decided_at=_pdt(e.get("decided_at")),
            card=cards.get(e["card"]) if e.get("card") else None,
            objective=objectives.get(e["objective"]) if e.get("objective") else None,
            charter_revision=revisions.get(e["charter_revision"]) if e.get("charter_revision") else None,
            created_by=u(e.get("created_by")),
            created_at=_pdt(e["created_at"]),
        )
    step("meetings, actions and experiments")

    for t in _each(document.get("tensions", [])):
        tension = Tension.objects.create(
            partnership=partnership,
            topic=t["topic"],
            tags=t["tags"],
            status=t["status"],
            raised_by=u(t.get("raised_by")),
            created_at=_pdt(t["created_at"]),
            # Files from before sides had a reveal time: a resolved tension had been revealed.
            revealed_at=_pdt(t.get("revealed_at")) or _pdt(t.get("resolved_at")),
            resolved_at=_pdt(t.get("resolved_at")),
            resolution=t["resolution"],
            decision=decisions.get(t["decision"]) if t.get("decision") else None,
        )
        for p in t["perspectives"]:
            perspective = Perspective.objects.create(
                tension=tension,
                author=u(p["author"]),
                important_to_me=p["important_to_me"],
                why=p["why"],
                partner_priority_guess=p["partner_priority_guess"],
                updated_at=_pdt(p["updated_at"]),
            )
            for r in p["reads"]:
                GuessRating.objects.create(perspective=perspective, rater=u(r["rater"]), rating=r["rating"])
    for j in _each(document.get("journal", [])):
        JournalEntry.objects.create(
            partnership=partnership,
            author=u(j["author"]),
            text=j["text"],
            visibility=j["visibility"],
            created_at=_pdt(j["created_at"]),
            updated_at=_pdt(j["updated_at"]),
            brought_to=meetings.get(j["brought_to"]) if j.get("brought_to") else None,
        )
    step("disagreements and journal")
    return partnership


SECTIONS = 6  # progress steps of an export or an import
