"""The API of what meetings lead to: action items (which carry over until done) and experiments
(with their verdict, and a kept one proposed to the charter). Mounted inside the rituals router;
the operation ids are the ones these endpoints had when they lived in `rituals.api`."""

from datetime import date, datetime
from typing import Literal

from django.http import HttpResponse
from ninja import Query, Router, Schema, Status
from pydantic import Field

from accord.charters.api import RevisionDetailOut, revision_detail_out
from accord.charters.selectors import charter_revision_get
from accord.lib.http import AuthedRequest
from accord.lib.pagecache import cached_read
from accord.lib.schemas import Day, Id, Page, errors
from accord.partnerships.selectors import partnership_get, partnership_stamp
from accord.rituals import selectors, services
from accord.rituals.models import ActionItem, Experiment

router = Router()  # tagged by the rituals router it is mounted in


class ActionItemOut(Schema):
    id: int
    text: str
    owner_id: int | None
    due_on: date | None
    done: bool
    done_at: datetime | None
    meeting_id: int | None
    created_at: datetime


class ExperimentOut(Schema):
    id: int
    title: str
    hypothesis: str
    success_signal: str
    review_on: date
    status: Literal["running", "kept", "adapted", "dropped"]
    outcome: str
    card_id: int | None
    objective_id: int | None
    charter_revision_id: int | None
    created_at: datetime


class ActionItemIn(Schema):
    text: str = Field(max_length=500)
    owner_id: Id
    due_on: Day | None = None
    meeting_id: Id | None = None
    card_id: Id | None = None


class ActionItemPatch(Schema):
    done: bool | None = None
    text: str | None = Field(default=None, max_length=500)
    owner_id: Id | None = None
    due_on: Day | None = None


class ExperimentIn(Schema):
    title: str = Field(max_length=200)
    hypothesis: str = Field(max_length=2000)
    success_signal: str = Field(max_length=2000)
    review_on: Day | None = None
    card_id: Id | None = None
    objective_id: Id | None = None


class ExperimentPatch(Schema):
    status: Literal["running", "kept", "adapted", "dropped"] | None = None
    outcome: str | None = Field(default=None, max_length=4000)
    review_on: Day | None = None
    objective_id: Id | None = None


def action_item_out(item: ActionItem) -> dict[str, object]:
    return {
        "id": item.pk,
        "text": item.text,
        "owner_id": item.owner_id,
        "due_on": item.due_on,
        "done": item.done,
        "done_at": item.done_at,
        "meeting_id": item.meeting_id,
        "created_at": item.created_at,
    }


def experiment_out(e: Experiment) -> dict[str, object]:
    return {
        "id": e.pk,
        "title": e.title,
        "hypothesis": e.hypothesis,
        "success_signal": e.success_signal,
        "review_on": e.review_on,
        "status": e.status,
        "outcome": e.outcome,
        "card_id": e.card_id,
        "objective_id": e.objective_id,
        "charter_revision_id": e.charter_revision_id,
        "created_at": e.created_at,
    }


@router.post(
    "/partnerships/{pid}/action-items",
    response={201: ActionItemOut, **errors(404, 409)},
    operation_id="accord_rituals_api_action_item_create",
)
def action_item_create(request: AuthedRequest, pid: int, payload: ActionItemIn) -> Status[dict[str, object]]:
    """An action item with an owner (a member) and an optional due date; open ones carry over.
    A retro card (`card_id`) becomes one action item or one experiment: a second time, 409."""
    partnership = partnership_get(user=request.user, pid=pid)
    item = services.action_item_create(partnership=partnership, user=request.user, **payload.model_dump())
    return Status(201, action_item_out(item))


@router.get(
    "/partnerships/{pid}/action-items",
    response={200: list[ActionItemOut], **errors(404)},
    operation_id="accord_rituals_api_action_item_list",
)
def action_item_list(request: AuthedRequest, pid: int, page: Query[Page], open: bool = False) -> HttpResponse:
    def compute() -> list[dict[str, object]]:
        partnership = partnership_get(user=request.user, pid=pid)
        return [
            action_item_out(i) for i in page.of(selectors.action_item_list(partnership=partnership, open_only=open))
        ]

    return cached_read(request, pid, partnership_stamp(user=request.user, pid=pid), list[ActionItemOut], compute)


@router.patch(
    "/action-items/{aid}",
    response={200: ActionItemOut, **errors(404)},
    operation_id="accord_rituals_api_action_item_update",
)
def action_item_update(request: AuthedRequest, aid: int, payload: ActionItemPatch) -> dict[str, object]:
    item = selectors.action_item_get(user=request.user, aid=aid)
    changes = payload.model_dump(exclude_unset=True)
    services.action_item_update(
        item=item,
        done=changes.get("done"),
        text=changes.get("text"),
        owner_id=changes.get("owner_id"),
        due_on=changes.get("due_on"),
        clear_due="due_on" in changes and changes["due_on"] is None,
    )
    return action_item_out(selectors.action_item_get(user=request.user, aid=aid))


@router.post(
    "/partnerships/{pid}/experiments",
    response={201: ExperimentOut, **errors(404, 409)},
    operation_id="accord_rituals_api_experiment_create",
)
def experiment_create(request: AuthedRequest, pid: int, payload: ExperimentIn) -> Status[dict[str, object]]:
    """Permission to experiment: what you try, why, the signal it works, and when you review it
    (by default at the next planned retro). A card already made an action item or experiment: 409."""
    partnership = partnership_get(user=request.user, pid=pid)
    experiment = services.experiment_create(partnership=partnership, user=request.user, **payload.model_dump())
    return Status(201, experiment_out(experiment))


@router.get(
    "/partnerships/{pid}/experiments",
    response={200: list[ExperimentOut], **errors(404)},
    operation_id="accord_rituals_api_experiment_list",
)
def experiment_list(request: AuthedRequest, pid: int, page: Query[Page]) -> HttpResponse:
    def compute() -> list[dict[str, object]]:
        partnership = partnership_get(user=request.user, pid=pid)
        return [experiment_out(e) for e in page.of(selectors.experiment_list(partnership=partnership))]

    return cached_read(request, pid, partnership_stamp(user=request.user, pid=pid), list[ExperimentOut], compute)


@router.patch(
    "/experiments/{eid}",
    response={200: ExperimentOut, **errors(404)},
    operation_id="accord_rituals_api_experiment_update",
)
def experiment_update(request: AuthedRequest, eid: int, payload: ExperimentPatch) -> dict[str, object]:
    """The verdict: kept, adapted or dropped, with an outcome note."""
    experiment = selectors.experiment_get(user=request.user, eid=eid)
    services.experiment_update(
        experiment=experiment,
        status=payload.status,
        outcome=payload.outcome,
        review_on=payload.review_on,
        objective_id=payload.objective_id,
    )
    return experiment_out(selectors.experiment_get(user=request.user, eid=eid))


@router.post(
    "/experiments/{eid}/charter-proposal",
    response={201: RevisionDetailOut, **errors(404, 409)},
    operation_id="accord_rituals_api_experiment_charter_proposal",
)
def experiment_charter_proposal(request: AuthedRequest, eid: int) -> Status[dict[str, object]]:
    """A kept experiment, proposed as a working agreement in a new charter revision."""
    experiment = selectors.experiment_get(user=request.user, eid=eid)
    revision = services.experiment_charter_proposal(experiment=experiment, user=request.user)
    return Status(201, revision_detail_out(charter_revision_get(user=request.user, rid=revision.pk)))
