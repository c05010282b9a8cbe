"""Import a partnership from an export into this Accord, as one unit of work.

The file is outside data. It is checked first (`document_validate`), and what Accord derives from
what people wrote is derived again here rather than read from the file: a health check's score and
summary come from its ratings, by the same code that computes them when a check is revealed."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import IntegrityError
from django.utils.timezone import now

from accord.accounts.models import User
from accord.alignment.models import Decision, KeyResult, KeyResultReading, Objective, SignOff
from accord.assessments.models import CheckDimension, Dimension, HealthCheck, Rating, Response
from accord.assessments.services import healthcheck_summarise
from accord.charters.models import CharterRevision, Measure, Ratification, Reading
from accord.exchange.document import Import, Progress, d_in, document_validate, dt_in, each
from accord.exchange.services_meetings import meetings_import, tensions_import
from accord.lib.errors import ValidationError
from accord.lib.freshness import partnership_write
from accord.partnerships.models import Membership, Partnership
from accord.rituals.models import RetroFormat


def document_import(*, document: dict[str, Any], progress: Progress = None, member: User | None = None) -> Partnership:
    """Recreate a partnership from an export. People are matched by email; anyone new gets an
    account without a password (they set one with "forgot password"). With `member` (an import
    from the page), the file must list them as one of its members: nobody recreates, as theirs, a
    partnership they were not in."""
    document_validate(document)
    if member is not None and not _lists_member(document, member):
        raise ValidationError(
            {"people": f"{member.email} is not one of this partnership's members: import an export of your own."}
        )
    try:
        return _import(document, progress or (lambda _: None))
    except (KeyError, TypeError, ValueError, IntegrityError) as exc:  # what the checks above let through
        raise ValidationError({"document": f"Not a valid export: {exc!r}"}) from exc


def _import(document: dict[str, Any], step: Callable[[str], None]) -> Partnership:
    with partnership_write() as changed:
        users = _people(document)
        im = Import(partnership=_partnership(document), users=users)
        changed.add(partnerships=[im.partnership], users=im.users.values())
        _settings(im, document)
        step("people and settings")
        _health_checks(im, document)
        step("health checks")
        _charter(im, document)
        step("charter")
        _alignment(im, document)
        step("objectives and decisions")
        meetings_import(im, document)
        step("meetings, actions and experiments")
        tensions_import(im, document)
        step("disagreements and journal")
    return im.partnership


def _lists_member(document: dict[str, Any], user: User) -> bool:
    return any(p.get("role") and str(p["email"]).lower() == user.email.lower() for p in each(document.get("people")))


def _people(document: dict[str, Any]) -> dict[str, User]:
    users: dict[str, User] = {}
    for p in each(document.get("people")):
        user = User.objects.filter(email__iexact=p["email"]).first()
        if user is None:
            user = User.objects.create(email=p["email"].lower(), name=p["name"], password=make_password(None))
        users[p["ref"]] = user
    return users


def _partnership(document: dict[str, Any]) -> Partnership:
    info = document["partnership"]
    return Partnership.objects.create(
        name=info["name"],
        team=info.get("team", ""),
        timezone=info.get("timezone", "UTC"),
        one_on_one_days=info["one_on_one_days"],
        retro_days=info["retro_days"],
        health_check_days=info["health_check_days"],
        created_at=dt_in(info.get("created_at")) or now(),
    )


def _settings(im: Import, document: dict[str, Any]) -> None:
    partnership = im.partnership
    for p in each(document.get("people", [])):
        if p.get("role"):
            Membership.objects.create(
                partnership=partnership,
                user=im.users[p["ref"]],
                role=p["role"],
                joined_at=dt_in(p["joined_at"]) or now(),
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


def _health_checks(im: Import, document: dict[str, Any]) -> None:
    partnership, u = im.partnership, im.user
    for d in each(document.get("dimensions", [])):
        Dimension.objects.create(
            partnership=partnership,
            key=d["key"],
            title=d["title"],
            description=d["description"],
            position=d["position"],
            retired_at=dt_in(d.get("retired_at")),
        )
    for c in each(document.get("health_checks", [])):
        check = HealthCheck.objects.create(
            partnership=partnership,
            number=c["number"],
            status=c["status"],
            opened_by=u(c.get("opened_by")),
            opened_at=dt_in(c["opened_at"]),
            revealed_at=dt_in(c.get("revealed_at")),
            closed_early=c.get("closed_early", False),
        )
        dims = {
            d["key"]: CheckDimension.objects.create(
                check_run=check, key=d["key"], title=d["title"], description=d["description"], position=d["position"]
            )
            for d in c["dimensions"]
        }
        for r in c["responses"]:
            response = Response.objects.create(
                check_run=check,
                user=u(r["user"]),
                submitted_at=dt_in(r.get("submitted_at")),
                updated_at=dt_in(r.get("updated_at")) or now(),
            )
            Rating.objects.bulk_create(
                Rating(
                    response=response,
                    dimension=_dimension(dims, x["dimension"]),
                    today=x["today"],
                    target=x["target"],
                    guess=x["guess"],
                    note=x["note"],
                )
                for x in r["ratings"]
            )
        _figures(check)


def _dimension(dims: dict[str, CheckDimension], key: str) -> CheckDimension:
    if key not in dims:
        raise ValidationError({"health_checks": f"A rating is of {key!r}, which is not one of its check's dimensions."})
    return dims[key]


def _figures(check: HealthCheck) -> None:
    """A revealed check's score and summary, from its ratings; an open check has none yet."""
    if check.status == HealthCheck.Status.REVEALED:
        healthcheck_summarise(check)
    else:
        check.score, check.summary = None, {}
    check.save(update_fields=["score", "summary"])


def _charter(im: Import, document: dict[str, Any]) -> None:
    partnership, u = im.partnership, im.user
    revisions = im.revisions
    listed = each(document.get("charter_revisions", []))
    # Proposals are counted in the order they were made (the file does not carry the count).
    made = sorted(range(len(listed)), key=lambda n: (dt_in(listed[n]["created_at"]), n))
    proposal_numbers = {n: k for k, n in enumerate(made, 1)}
    for n, r in enumerate(listed):
        revision = CharterRevision.objects.create(
            partnership=partnership,
            proposal_number=proposal_numbers[n],
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
            created_at=dt_in(r["created_at"]),
            ratified_at=dt_in(r.get("ratified_at")),
            closed_at=dt_in(r.get("closed_at")),
        )
        revisions[r["ref"]] = revision
        for x in r["ratifications"]:
            Ratification.objects.create(revision=revision, user=u(x["user"]), at=dt_in(x["at"]))
    for m in each(document.get("measures", [])):
        measure = Measure.objects.create(
            partnership=partnership,
            name=m["name"],
            method=m["method"],
            target=m["target"],
            direction=m["direction"],
            unit=m["unit"],
            created_by=u(m.get("created_by")),
            created_at=dt_in(m["created_at"]),
        )
        for x in m["readings"]:
            Reading.objects.create(
                measure=measure,
                value=x["value"],
                taken_on=d_in(x["taken_on"]),
                note=x["note"],
                entered_by=u(x.get("entered_by")),
                created_at=dt_in(x["created_at"]),
            )


def _alignment(im: Import, document: dict[str, Any]) -> None:
    partnership, u = im.partnership, im.user
    objectives = im.objectives
    for o in each(document.get("objectives", [])):
        objective = Objective.objects.create(
            partnership=partnership,
            title=o["title"],
            why=o["why"],
            starts_on=d_in(o["starts_on"]),
            ends_on=d_in(o["ends_on"]),
            archived_at=dt_in(o.get("archived_at")),
            created_by=u(o.get("created_by")),
            created_at=dt_in(o["created_at"]),
        )
        objectives[o["ref"]] = objective
        for k in o["key_results"]:
            kr = KeyResult.objects.create(
                objective=objective,
                name=k["name"],
                baseline=k["baseline"],
                target=k["target"],
                unit=k["unit"],
                created_at=dt_in(k["created_at"]),
            )
            for x in k["readings"]:
                KeyResultReading.objects.create(
                    key_result=kr,
                    value=x["value"],
                    taken_on=d_in(x["taken_on"]),
                    entered_by=u(x.get("entered_by")),
                    created_at=dt_in(x["created_at"]),
                )
    decisions = im.decisions
    for d in each(document.get("decisions", [])):
        decision = Decision.objects.create(
            partnership=partnership,
            kind=d["kind"],
            title=d["title"],
            context=d["context"],
            options=d["options"],
            evidence=d["evidence"],
            outcome=d["outcome"],
            requester=d["requester"],
            needed_by=d_in(d.get("needed_by")),
            triage=d["triage"],
            status=d["status"],
            revisits=decisions.get(d["revisits"]) if d.get("revisits") else None,
            created_by=u(d.get("created_by")),
            created_at=dt_in(d["created_at"]),
            agreed_at=dt_in(d.get("agreed_at")),
        )
        decision.objectives.set([objectives[ref] for ref in d["objectives"]])
        decisions[d["ref"]] = decision
        for s in d["signoffs"]:
            SignOff.objects.create(
                decision=decision, user=u(s["user"]), kind=s["kind"], reason=s["reason"], at=dt_in(s["at"])
            )
