from datetime import datetime
from typing import Literal

from django.http import HttpResponse
from ninja import Query, Router, Schema, Status
from pydantic import Field

from accord.assessments import selectors, services
from accord.assessments.models import HealthCheck
from accord.lib.http import AuthedRequest
from accord.lib.pagecache import cached_read
from accord.lib.schemas import Page, errors
from accord.partnerships.selectors import partnership_get, partnership_stamp, partnership_stamp_of

router = Router(tags=["Assess: health checks"])


class DimensionOut(Schema):
    key: str
    title: str
    description: str


class RatingOut(Schema):
    dimension: str
    today: int | None
    target: int | None
    note: str
    guess: int | None


class MyResponseOut(Schema):
    submitted: bool
    submitted_at: datetime | None
    ratings: list[RatingOut]


class MemberRatingOut(Schema):
    user_id: int
    today: int | None
    target: int | None
    note: str
    guess: int | None


class ResultOut(Schema):
    dimension: str
    title: str
    ratings: list[MemberRatingOut]
    today_mean: float | None
    target_mean: float | None
    improvement_gap: float | None
    perception_gap: int | None
    change: float | None


class GuessAccuracyOut(Schema):
    user_id: int
    guesses: int
    mean_error: float


class TopicOut(Schema):
    dimension: str
    title: str
    reason: str


class CheckOut(Schema):
    id: int
    partnership_id: int
    number: int
    status: Literal["open", "revealed"]
    opened_at: datetime
    revealed_at: datetime | None
    closed_early: bool
    dimensions: list[DimensionOut]
    members: list[int]
    responded: list[int]
    my_response: MyResponseOut | None
    results: list[ResultOut] | None
    guess_accuracy: list[GuessAccuracyOut] | None
    suggested_topics: list[TopicOut] | None


class CheckIn(Schema):
    template: Literal["partnership", "default"] | None = None


class RatingIn(Schema):
    dimension: str = Field(max_length=60)
    today: int | None = Field(default=None, ge=1, le=5)
    target: int | None = Field(default=None, ge=1, le=5)
    note: str = Field(default="", max_length=2000)
    guess: int | None = Field(default=None, ge=1, le=5, description="Your guess of your partner's today")


class ResponseIn(Schema):
    ratings: list[RatingIn] = Field(max_length=100)
    draft: bool = Field(default=False, description="Save a partial answer without submitting it")


def check_out(view: selectors.CheckView) -> dict[str, object]:
    check = view.check
    mine = view.my_response
    revealed = view.results is not None
    return {
        "id": check.pk,
        "partnership_id": check.partnership_id,
        "number": check.number,
        "status": check.status,
        "opened_at": check.opened_at,
        "revealed_at": check.revealed_at,
        "closed_early": check.closed_early,
        "dimensions": [{"key": d.key, "title": d.title, "description": d.description} for d in view.dimensions],
        "members": [m.user_id for m in view.members],
        "responded": view.responded,
        "my_response": None
        if mine is None
        else {
            "submitted": mine.submitted_at is not None,
            "submitted_at": mine.submitted_at,
            "ratings": [
                {"dimension": key, "today": r.today, "target": r.target, "note": r.note, "guess": r.guess}
                for key, r in view.my_ratings.items()
            ],
        },
        "results": [
            {
                "dimension": r.key,
                "title": r.title,
                "ratings": [
                    {"user_id": m.user_id, "today": m.today, "target": m.target, "note": m.note, "guess": m.guess}
                    for m in r.ratings
                ],
                "today_mean": r.today_mean,
                "target_mean": r.target_mean,
                "improvement_gap": r.improvement_gap,
                "perception_gap": r.perception_gap,
                "change": r.change,
            }
            for r in view.results or []
        ]
        if revealed
        else None,
        "guess_accuracy": [g.__dict__ for g in view.guess_accuracy] if revealed else None,
        "suggested_topics": [{"dimension": t.key, "title": t.title, "reason": t.reason} for t in view.topics]
        if revealed
        else None,
    }


def _view(request: AuthedRequest, check: HealthCheck) -> dict[str, object]:
    previous = None if check.is_open else selectors.healthcheck_previous(check=check)
    return check_out(selectors.healthcheck_view(check=check, user=request.user, previous=previous))


def _reload(request: AuthedRequest, hid: int) -> HealthCheck:
    return selectors.healthcheck_get(user=request.user, hid=hid)


@router.post("/partnerships/{pid}/health-checks", response={201: CheckOut, **errors(404, 409)})
def healthcheck_open(request: AuthedRequest, pid: int, payload: CheckIn) -> Status[dict[str, object]]:
    """Start a check (one may be open at a time). `template`: the partnership's own (default) or Accord's."""
    partnership = partnership_get(user=request.user, pid=pid)
    check = services.healthcheck_open(partnership=partnership, user=request.user, template=payload.template)
    return Status(201, _view(request, _reload(request, check.pk)))


@router.get("/partnerships/{pid}/health-checks", response={200: list[CheckOut], **errors(404)})
def healthcheck_list(request: AuthedRequest, pid: int, page: Query[Page]) -> HttpResponse:
    """The partnership's checks, newest first. Open checks carry only who has answered."""

    def compute() -> list[dict[str, object]]:
        partnership = partnership_get(user=request.user, pid=pid)
        checks = selectors.healthcheck_list(partnership=partnership)
        by_number = {c.number: c for c in checks}
        out = []
        for check in page.of(checks):
            check.partnership = partnership
            previous = next(
                (by_number[n] for n in range(check.number - 1, 0, -1) if n in by_number and not by_number[n].is_open),
                None,
            )
            if previous is not None:
                previous.partnership = partnership
            out.append(check_out(selectors.healthcheck_view(check=check, user=request.user, previous=previous)))
        return out

    return cached_read(request, pid, partnership_stamp(user=request.user, pid=pid), list[CheckOut], compute)


@router.get("/health-checks/{hid}", response={200: CheckOut, **errors(404)})
def healthcheck_detail(request: AuthedRequest, hid: int) -> HttpResponse:
    pid, stamp = partnership_stamp_of(user=request.user, model=HealthCheck, pk=hid)
    return cached_read(request, pid, stamp, CheckOut, lambda: _view(request, _reload(request, hid)))


@router.put("/health-checks/{hid}/response", response={200: CheckOut, **errors(404, 409)})
def healthcheck_respond(request: AuthedRequest, hid: int, payload: ResponseIn) -> dict[str, object]:
    """Your answer: every dimension exactly once, today and target 1–5. `draft: true` saves a partial one."""
    check = _reload(request, hid)
    ratings = [services.RatingInput(**r.model_dump()) for r in payload.ratings]
    services.healthcheck_respond(check=check, user=request.user, ratings=ratings, submit=not payload.draft)
    return _view(request, _reload(request, hid))


@router.post("/health-checks/{hid}/close", response={200: CheckOut, **errors(404, 409)})
def healthcheck_close(request: AuthedRequest, hid: int) -> dict[str, object]:
    """Reveal now, with the answers submitted so far."""
    services.healthcheck_close(check=_reload(request, hid), user=request.user)
    return _view(request, _reload(request, hid))
