"""Writes for health checks: the template, opening, answering (blind), closing and revealing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from django.db.models import Max
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.text import slugify
from django.utils.timezone import now

from accord.assessments.defaults import DEFAULT_DIMENSIONS
from accord.assessments.models import CheckDimension, Dimension, HealthCheck, Rating, Response
from accord.assessments.selectors import healthcheck_results_compute
from accord.lib.errors import Conflict, NotFound, ValidationError
from accord.lib.freshness import partnership_write
from accord.lib.http import absolute_url
from accord.lib.mail import Mail, send_quietly
from accord.lib.text import clean_line
from accord.partnerships.models import Membership, Partnership

if TYPE_CHECKING:
    from accord.accounts.models import User

TEMPLATES = ("partnership", "default")


@dataclass(frozen=True)
class RatingInput:
    dimension: str
    today: int | None = None
    target: int | None = None
    note: str = ""
    guess: int | None = None


# --- The template -------------------------------------------------------------------------


def template_ensure(*, partnership: Partnership) -> list[Dimension]:
    """The partnership's active dimensions, starting it from the default template the first time."""
    dimensions = list(partnership.dimensions.all())
    if not dimensions:
        with partnership_write(partnership):
            Dimension.objects.bulk_create(
                Dimension(partnership=partnership, key=key, title=title, description=description, position=i)
                for i, (key, title, description) in enumerate(DEFAULT_DIMENSIONS)
            )
        dimensions = list(partnership.dimensions.all())
    return [d for d in dimensions if d.retired_at is None]


def _clean_dimension_text(title: str, description: str) -> tuple[str, str]:
    title = clean_line(title, field="title", max_length=80)
    description = (description or "").strip()
    if "\x00" in description:
        raise ValidationError({"description": "Null characters are not allowed."})
    if len(description) > 600:
        raise ValidationError({"description": f"Keep it to 600 characters (it has {len(description)})."})
    return title, description


def _dimension(partnership: Partnership, dimension_id: int) -> Dimension:
    dimension = partnership.dimensions.filter(pk=dimension_id).first()
    if dimension is None:
        raise NotFound()
    return dimension


def dimension_add(*, partnership: Partnership, title: str, description: str) -> Dimension:
    title, description = _clean_dimension_text(title, description)
    template_ensure(partnership=partnership)
    taken = set(partnership.dimensions.values_list("key", flat=True))
    base = slugify(title)[:50] or "dimension"
    key, n = base, 2
    while key in taken:
        key, n = f"{base}-{n}", n + 1
    position = (partnership.dimensions.aggregate(m=Max("position"))["m"] or 0) + 1
    with partnership_write(partnership):
        return Dimension.objects.create(
            partnership=partnership, key=key, title=title, description=description, position=position
        )


def dimension_update(*, partnership: Partnership, dimension_id: int, title: str, description: str) -> Dimension:
    """Rename or re-describe. Its key stays, so past checks still line up with it."""
    dimension = _dimension(partnership, dimension_id)
    dimension.title, dimension.description = _clean_dimension_text(title, description)
    with partnership_write(partnership):
        dimension.save(update_fields=["title", "description"])
    return dimension


def dimension_move(*, partnership: Partnership, dimension_id: int, offset: int) -> None:
    """Move a dimension up (offset -1) or down (+1) among the active ones."""
    dimension = _dimension(partnership, dimension_id)
    active = [d for d in partnership.dimensions.all() if d.retired_at is None]
    index = next(i for i, d in enumerate(active) if d.pk == dimension.pk) if dimension.retired_at is None else None
    if index is None:
        raise Conflict("A retired dimension has no place in the order. Restore it first.")
    target = index + offset
    if not 0 <= target < len(active):
        return
    active[index], active[target] = active[target], active[index]
    with partnership_write(partnership):
        for position, item in enumerate(active):
            if item.position != position:
                item.position = position
                item.save(update_fields=["position"])


def dimension_retire(*, partnership: Partnership, dimension_id: int, retire: bool = True) -> Dimension:
    """Retire (or restore) a dimension: future checks leave it out; past checks keep it."""
    dimension = _dimension(partnership, dimension_id)
    if retire and dimension.retired_at is None:
        active = [d for d in partnership.dimensions.all() if d.retired_at is None]
        if len(active) <= 1:
            raise Conflict("A health check needs at least one dimension.")
        dimension.retired_at = now()
    elif not retire:
        dimension.retired_at = None
        dimension.position = (partnership.dimensions.aggregate(m=Max("position"))["m"] or 0) + 1
    with partnership_write(partnership):
        dimension.save(update_fields=["retired_at", "position"])
    return dimension


# --- Checks -------------------------------------------------------------------------------


def _notify(check: HealthCheck, *, subject: str, template: str, exclude: User | None = None) -> None:
    """Tell members about a check. Emails never carry anyone's ratings, notes or guesses."""
    url = absolute_url(reverse("assessments-check", args=[check.partnership_id, check.pk]))
    members = Membership.objects.filter(partnership_id=check.partnership_id).select_related("user")
    send_quietly(
        [
            Mail(subject, render_to_string(template, {"check": check, "member": m.user, "url": url}), [m.user.email])
            for m in members
            if exclude is None or m.user_id != exclude.pk
        ]
    )


def healthcheck_open(
    *, partnership: Partnership, user: User, template: str | None = None, at: datetime | None = None
) -> HealthCheck:
    """Start a check with the partnership's current dimensions (or the default ones)."""
    template = template or "partnership"
    if template not in TEMPLATES:
        raise ValidationError({"template": f"Choose one of: {', '.join(TEMPLATES)}."})
    with partnership_write(partnership):
        if partnership.health_checks.filter(status=HealthCheck.Status.OPEN).exists():
            raise Conflict("A health check is already open. Finish or close it first.")
        if template == "default":
            source = [(key, title, description) for key, title, description in DEFAULT_DIMENSIONS]
        else:
            source = [(d.key, d.title, d.description) for d in template_ensure(partnership=partnership)]
        number = (partnership.health_checks.aggregate(m=Max("number"))["m"] or 0) + 1
        check = HealthCheck.objects.create(
            partnership=partnership, number=number, opened_by=user, opened_at=at or now()
        )
        CheckDimension.objects.bulk_create(
            CheckDimension(check_run=check, key=key, title=title, description=description, position=i)
            for i, (key, title, description) in enumerate(source)
        )
    if at is None:
        _notify(
            check,
            subject=f"{user.name} started a health check of {partnership.name}",
            template="assessments/email/opened.txt",
            exclude=user,
        )
    return check


def _locked(check: HealthCheck) -> HealthCheck:
    """Re-read the check with a row lock, so two partners answering at once reveal exactly once."""
    return HealthCheck.objects.select_for_update().get(pk=check.pk)


def _validate_ratings(
    dimensions: dict[str, CheckDimension], ratings: list[RatingInput], *, submit: bool
) -> dict[str, RatingInput]:
    by_key: dict[str, RatingInput] = {}
    for rating in ratings:
        if rating.dimension not in dimensions:
            raise ValidationError({"ratings": f"Unknown dimension “{rating.dimension}”."})
        if rating.dimension in by_key:
            raise ValidationError({"ratings": f"Dimension “{rating.dimension}” is rated more than once."})
        for field in ("today", "target", "guess"):
            value = getattr(rating, field)
            if value is not None and not 1 <= value <= 5:
                raise ValidationError({field: "Ratings go from 1 to 5."})
        if "\x00" in rating.note or len(rating.note) > 2000:
            raise ValidationError({"note": "Keep a note to 2,000 characters of plain text."})
        by_key[rating.dimension] = rating
    if submit:
        missing = [d.title for key, d in dimensions.items() if key not in by_key]
        if missing:
            raise ValidationError({"ratings": f"Rate every dimension. Missing: {', '.join(missing)}."})
        unrated = [dimensions[k].title for k, r in by_key.items() if r.today is None or r.target is None]
        if unrated:
            raise ValidationError({"ratings": f"Give today and target for: {', '.join(unrated)}."})
    return by_key


def healthcheck_respond(
    *, check: HealthCheck, user: User, ratings: list[RatingInput], submit: bool = True, at: datetime | None = None
) -> HealthCheck:
    """Save the caller's answer: a draft, or submitted. Every member submitted: the check reveals."""
    moment = at or now()
    with partnership_write(check.partnership_id):
        check = _locked(check)
        if not check.is_open:
            raise Conflict("This health check is already revealed; answers can no longer change.")
        dimensions = {d.key: d for d in check.dimensions.all()}
        by_key = _validate_ratings(dimensions, ratings, submit=submit)
        response, _ = Response.objects.get_or_create(check_run=check, user=user)
        if response.submitted_at is not None and not submit:
            raise Conflict("You already submitted this check; submit again to change your answer.")
        response.ratings.all().delete()
        Rating.objects.bulk_create(
            Rating(
                response=response,
                dimension=dimensions[key],
                today=r.today,
                target=r.target,
                guess=r.guess,
                note=r.note.strip(),
            )
            for key, r in by_key.items()
        )
        response.updated_at = moment
        response.submitted_at = moment if submit else None
        response.save(update_fields=["updated_at", "submitted_at"])
        revealed = submit and _reveal_if_complete(check, moment)
    if revealed and at is None:
        _notify_revealed(check)
    return check


def healthcheck_summarise(check: HealthCheck) -> None:
    """Store the figures of a check as it is revealed: its score and, per dimension, the means and
    the perception gap. Revealed checks never change, so these never go stale."""
    members = list(Membership.objects.filter(partnership_id=check.partnership_id).select_related("user"))
    responses = list(check.responses.filter(submitted_at__isnull=False).prefetch_related("ratings"))
    results = healthcheck_results_compute(list(check.dimensions.all()), responses, members)
    todays = [r.today_mean for r in results if r.today_mean is not None]
    check.score = round(sum(todays) / len(todays), 2) if todays else None
    check.summary = {
        r.key: {
            "title": r.title,
            "today_mean": r.today_mean,
            "target_mean": r.target_mean,
            "improvement_gap": r.improvement_gap,
            "perception_gap": r.perception_gap,
        }
        for r in results
    }


def _reveal_if_complete(check: HealthCheck, moment: datetime) -> bool:
    members = _member_ids(check)
    answered = set(check.responses.filter(submitted_at__isnull=False).values_list("user_id", flat=True))
    if members and members <= answered:
        check.responses.withdraw_leavers()
        check.status, check.revealed_at = HealthCheck.Status.REVEALED, moment
        healthcheck_summarise(check)
        check.save(update_fields=["status", "revealed_at", "score", "summary"])
        return True
    return False


def _member_ids(check: HealthCheck) -> set[int]:
    return set(Membership.objects.filter(partnership_id=check.partnership_id).values_list("user_id", flat=True))


def _notify_revealed(check: HealthCheck) -> None:
    _notify(
        check,
        subject=f"Health check #{check.number} of {check.partnership.name}: see where you both stand",
        template="assessments/email/revealed.txt",
    )


def healthcheck_close(*, check: HealthCheck, user: User, at: datetime | None = None) -> HealthCheck:
    """Reveal now with the answers submitted so far (drafts stay private and are left out)."""
    with partnership_write(check.partnership_id):
        check = _locked(check)
        if not check.is_open:
            raise Conflict("This health check is already revealed.")
        # First: a leaver's answer does not count as one. At the reveal, the answer of someone who
        # left before it is withdrawn: it never reaches anyone.
        check.responses.withdraw_leavers()
        if not check.responses.filter(submitted_at__isnull=False).exists():
            raise Conflict("Nobody has submitted an answer yet, so there is nothing to reveal.")
        check.status, check.revealed_at, check.closed_early = HealthCheck.Status.REVEALED, at or now(), True
        Response.objects.filter(check_run=check, submitted_at__isnull=True).delete()
        healthcheck_summarise(check)
        check.save(update_fields=["status", "revealed_at", "closed_early", "score", "summary"])
    if at is None:
        _notify_revealed(check)
    return check
