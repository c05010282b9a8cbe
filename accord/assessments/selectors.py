"""Reads for health checks. Blind, then reveal, is decided here: a caller gets other members'
ratings, notes and guesses only once the check is revealed, never before, whatever renders it."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from statistics import mean
from typing import TYPE_CHECKING

from django.db.models import Prefetch, QuerySet

from accord.assessments.models import CheckDimension, Dimension, HealthCheck, Rating, Response
from accord.lib.dates import local_date, local_today
from accord.lib.errors import NotFound
from accord.partnerships.models import Membership, Partnership, Rhythm

if TYPE_CHECKING:
    from accord.accounts.models import User


@dataclass(frozen=True)
class MemberRating:
    user_id: int
    name: str
    today: int | None
    target: int | None
    note: str
    guess: int | None


@dataclass(frozen=True)
class DimensionResult:
    key: str
    title: str
    description: str
    ratings: list[MemberRating]
    today_mean: float | None
    target_mean: float | None
    improvement_gap: float | None
    perception_gap: int | None
    change: float | None = None  # today_mean minus the previous check's, where both exist


@dataclass(frozen=True)
class GuessAccuracy:
    user_id: int
    name: str
    guesses: int
    mean_error: float  # how far, on average, the guess was from the others' "today"


@dataclass(frozen=True)
class Topic:
    key: str
    title: str
    reason: str


@dataclass
class CheckView:
    check: HealthCheck
    dimensions: list[CheckDimension]
    members: list[Membership]
    responded: list[int]
    my_response: Response | None
    my_ratings: dict[str, Rating]
    results: list[DimensionResult] | None
    guess_accuracy: list[GuessAccuracy] = field(default_factory=list)
    topics: list[Topic] = field(default_factory=list)

    @property
    def submitted(self) -> bool:
        return self.my_response is not None and self.my_response.submitted_at is not None

    @property
    def notes(self) -> list[tuple[str, list[MemberRating]]]:
        """Revealed notes, by dimension."""
        return [
            (r.title, [x for x in r.ratings if x.note]) for r in self.results or [] if any(x.note for x in r.ratings)
        ]

    @property
    def waiting_for(self) -> list[Membership]:
        return [m for m in self.members if m.user_id not in self.responded]


def _checks(partnership: Partnership) -> QuerySet[HealthCheck]:
    return partnership.health_checks.select_related("opened_by").prefetch_related(
        "dimensions",
        Prefetch("responses", queryset=Response.objects.prefetch_related("ratings__dimension")),
    )


def healthcheck_get(*, user: User, hid: int, pid: int | None = None) -> HealthCheck:
    """A check of one of the caller's partnerships (and of `pid`, when given), or NotFound."""
    check = (
        HealthCheck.objects.filter(partnership__in=Partnership.objects.for_user(user), pk=hid)
        .select_related("partnership", "opened_by")
        .prefetch_related(
            "dimensions",
            Prefetch("responses", queryset=Response.objects.prefetch_related("ratings__dimension")),
            Prefetch("partnership__memberships", queryset=Membership.objects.select_related("user")),
        )
        .first()
    )
    if check is None or (pid is not None and check.partnership_id != pid):
        raise NotFound()
    return check


def healthcheck_list(*, partnership: Partnership) -> list[HealthCheck]:
    """Every check of a partnership the caller already reached through `partnership_get`."""
    return list(_checks(partnership))


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def healthcheck_results_compute(
    dimensions: list[CheckDimension], responses: list[Response], members: list[Membership]
) -> list[DimensionResult]:
    """Per dimension: each member's ratings, the means, the improvement gap (target mean − today
    mean) and the perception gap (max − min of the members' today)."""
    names = {m.user_id: m.user.name for m in members}
    order = {m.user_id: i for i, m in enumerate(members)}
    submitted = sorted(
        (r for r in responses if r.submitted_at is not None), key=lambda r: order.get(r.user_id, len(order))
    )
    by_response = {r.pk: {rating.dimension_id: rating for rating in r.ratings.all()} for r in submitted}
    results = []
    for dimension in dimensions:
        ratings = []
        for response in submitted:
            rating = by_response[response.pk].get(dimension.pk)
            if rating is None:
                continue
            ratings.append(
                MemberRating(
                    user_id=response.user_id,
                    name=names.get(response.user_id, "A former member"),
                    today=rating.today,
                    target=rating.target,
                    note=rating.note,
                    guess=rating.guess,
                )
            )
        todays = [r.today for r in ratings if r.today is not None]
        targets = [r.target for r in ratings if r.target is not None]
        today_mean = mean(todays) if todays else None
        target_mean = mean(targets) if targets else None
        results.append(
            DimensionResult(
                key=dimension.key,
                title=dimension.title,
                description=dimension.description,
                ratings=ratings,
                today_mean=_round(today_mean),
                target_mean=_round(target_mean),
                improvement_gap=_round(target_mean - today_mean)
                if today_mean is not None and target_mean is not None
                else None,
                perception_gap=max(todays) - min(todays) if todays else None,
            )
        )
    return results


def guess_accuracy_compute(results: list[DimensionResult]) -> list[GuessAccuracy]:
    """How well each member read the others: their guess against the others' mean "today"."""
    errors: dict[int, list[float]] = {}
    names: dict[int, str] = {}
    for result in results:
        for rating in result.ratings:
            others = [r.today for r in result.ratings if r.user_id != rating.user_id and r.today is not None]
            if rating.guess is None or not others:
                continue
            errors.setdefault(rating.user_id, []).append(abs(rating.guess - mean(others)))
            names[rating.user_id] = rating.name
    return [
        GuessAccuracy(user_id=uid, name=names[uid], guesses=len(errs), mean_error=round(mean(errs), 2))
        for uid, errs in errors.items()
    ]


def topics_suggest(results: list[DimensionResult], limit: int = 3) -> list[Topic]:
    """The largest gaps, as topics for the next retro: first where you see things differently,
    then where you both want the most change."""
    scored: list[tuple[float, Topic]] = []
    for r in results:
        if r.perception_gap is not None and r.perception_gap >= 2:
            lows = ", ".join(f"{x.name.split(' ')[0]} {x.today}" for x in r.ratings)
            scored.append((2 + r.perception_gap, Topic(r.key, r.title, f"You see it differently today ({lows}).")))
        elif r.improvement_gap is not None and r.improvement_gap >= 1.5:
            reason = f"You both want it better: {r.today_mean:g} today, {r.target_mean:g} wanted."
            scored.append((r.improvement_gap, Topic(r.key, r.title, reason)))
    scored.sort(key=lambda item: -item[0])
    return [topic for _, topic in scored[:limit]]


def _with_change(result: DimensionResult, before: float | None) -> DimensionResult:
    if result.today_mean is None or before is None:
        return result
    return replace(result, change=_round(result.today_mean - before))


def healthcheck_view(*, check: HealthCheck, user: User, previous: HealthCheck | None = None) -> CheckView:
    """What `user` may see of a check: before reveal only who has answered and their own answer."""
    members = list(check.partnership.memberships.all())
    dimensions = list(check.dimensions.all())
    responses = list(check.responses.all())
    mine = next((r for r in responses if r.user_id == user.pk), None)
    view = CheckView(
        check=check,
        dimensions=dimensions,
        members=members,
        responded=[r.user_id for r in responses if r.submitted_at is not None],
        my_response=mine,
        my_ratings={rating.dimension.key: rating for rating in mine.ratings.all()} if mine else {},
        results=None,
    )
    if check.is_open:
        return view
    results = healthcheck_results_compute(dimensions, responses, members)
    if previous is not None and not previous.is_open:
        before: dict[str, float | None] = {
            r.key: r.today_mean
            for r in healthcheck_results_compute(
                list(previous.dimensions.all()),
                list(previous.responses.all()),
                list(previous.partnership.memberships.all()),
            )
        }
        results = [_with_change(r, before.get(r.key)) for r in results]
    view.results = results
    view.guess_accuracy = guess_accuracy_compute(results)
    view.topics = topics_suggest(results)
    return view


def healthcheck_previous(*, check: HealthCheck) -> HealthCheck | None:
    """The revealed check before this one, for comparison."""
    return (
        check.partnership.health_checks.filter(status=HealthCheck.Status.REVEALED, number__lt=check.number)
        .select_related("partnership")
        .prefetch_related(
            "dimensions",
            Prefetch("responses", queryset=Response.objects.prefetch_related("ratings__dimension")),
            Prefetch("partnership__memberships", queryset=Membership.objects.select_related("user")),
        )
        .order_by("-number")
        .first()
    )


@dataclass(frozen=True)
class TrendPoint:
    number: int
    on: date
    today_mean: float | None
    target_mean: float | None


@dataclass(frozen=True)
class Trend:
    key: str
    title: str
    points: list[TrendPoint]


@dataclass
class History:
    checks: list[HealthCheck]
    open_check: HealthCheck | None
    scores: dict[int, float | None]  # check id -> mean "today" over every dimension
    trends: list[Trend]
    next_due: date | None
    overdue: bool

    @property
    def rows(self) -> list[tuple[HealthCheck, float | None]]:
        return [(c, self.scores.get(c.pk)) for c in self.checks]


def _score(results: list[DimensionResult]) -> float | None:
    todays = [r.today_mean for r in results if r.today_mean is not None]
    return round(mean(todays), 2) if todays else None


def healthcheck_history(*, partnership: Partnership) -> History:
    """Every check, the overall score of each revealed one, and a trend per dimension, from the
    figures stored at reveal. A fixed number of queries, however many checks there are."""
    checks = list(partnership.health_checks.select_related("opened_by").order_by("-opened_at", "-id"))
    revealed = sorted((c for c in checks if not c.is_open), key=lambda c: c.number)
    scores: dict[int, float | None] = {}
    series: dict[str, Trend] = {}
    for check in revealed:
        scores[check.pk] = check.score
        for key, figures in (check.summary or {}).items():
            trend = series.setdefault(key, Trend(key, figures.get("title", key), []))
            trend.points.append(
                TrendPoint(
                    check.number,
                    local_date(check.opened_at, partnership.timezone),
                    figures.get("today_mean"),
                    figures.get("target_mean"),
                )
            )
    # Trends follow the partnership's current order; retired or renamed keys keep their last title.
    current = {d.key: (d.position, d.title) for d in partnership.dimensions.all() if d.retired_at is None}
    trends = sorted(
        (Trend(t.key, current.get(t.key, (0, t.title))[1], t.points) for t in series.values()),
        key=lambda t: (t.key not in current, current.get(t.key, (999, ""))[0]),
    )
    open_check = next((c for c in checks if c.is_open), None)
    last: datetime | None = checks[0].opened_at if checks else None
    next_due = healthcheck_due(partnership=partnership, last_opened=last)
    overdue = open_check is None and next_due is not None and next_due < local_today(partnership.timezone)
    return History(checks, open_check, scores, trends, next_due, overdue)


def healthcheck_due(*, partnership: Rhythm, last_opened: datetime | None) -> date | None:
    """The day the next health check is due: one cadence after the last was opened, counted in the
    partnership's calendar days."""
    if last_opened is None:
        return None
    return local_date(last_opened, partnership.timezone) + timedelta(days=partnership.health_check_days)


def dimension_list(*, partnership: Partnership) -> list[Dimension]:
    return list(partnership.dimensions.all())
