"""The Overview's guidance: the "start here" path of a new pair, then the one most useful next action.

Everything is read from the data as it is (nothing is stored to tick a step off). Blind means blind:
the guide may say that a partner has answered an open health check, never what they answered."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields
from datetime import datetime
from typing import TYPE_CHECKING

from django.db.models import Count, Exists, Subquery
from django.urls import reverse

from accord.alignment.models import Decision
from accord.assessments.defaults import DEFAULT_DIMENSIONS
from accord.assessments.models import Dimension, HealthCheck, Response
from accord.charters.models import CharterRevision, Measure
from accord.insights.facts import facts_for
from accord.insights.selectors import Nudge, nudge_list
from accord.lib.dates import local_date, zone
from accord.partnerships.models import Membership, Partnership
from accord.rituals.models import ActionItem, Experiment, Meeting
from accord.tensions.models import Tension

if TYPE_CHECKING:
    from accord.accounts.models import User

# Which nudge comes first when several wait: what someone owes a signature for, then what is late.
NUDGE_ORDER = (
    "charter_ratification",
    "decision_signoff",
    "health_check_overdue",
    "retro_overdue",
    "action_items_overdue",
    "experiment_review_due",
    "perception_gap_widened",
)


@dataclass(frozen=True)
class Action:
    """What to do, said concretely, and where: a link, or (`post`) a one-click form."""

    message: str
    label: str
    url: str
    post: bool = False


@dataclass(frozen=True)
class Step:
    key: str
    title: str
    done: bool
    status: str
    action: Action | None


@dataclass(frozen=True)
class Guide:
    active: bool  # anything to put on a dashboard yet: else the Overview is the start-here page
    partner_joined: bool
    steps: list[Step]
    waiting: Action | None  # an open health check the reader has not answered yet
    next_action: Action | None  # once every step is done

    @property
    def path_done(self) -> bool:
        return all(step.done for step in self.steps)

    @property
    def done_count(self) -> int:
        return sum(step.done for step in self.steps)

    @property
    def current(self) -> Step | None:
        """The first step not done yet: the one the page puts forward."""
        return next((step for step in self.steps if not step.done), None)


def _names(members: list[Membership]) -> str:
    names = [m.user.name for m in members]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


@dataclass(frozen=True)
class Progress:
    """How far the pair has come, read in one query."""

    first_check: int | None
    first_revealed_at: datetime | None
    open_check: int | None
    open_number: int | None
    ratified: bool
    proposed: int | None
    one_on_one: bool
    retro: bool
    experiment: bool
    dimensions: int | None  # active ones of the partnership's template (None: no template yet)
    active: bool = False  # anything to put on a dashboard yet (a revealed check, a session, …)


def progress_get(partnership: Partnership) -> Progress:
    """How far the pair has come, as the data is now (stored with the figures: `accord.insights.stored`)."""
    checks = HealthCheck.objects.filter(partnership=partnership)
    revealed = checks.filter(status=HealthCheck.Status.REVEALED).order_by("number")
    opened = checks.filter(status=HealthCheck.Status.OPEN)
    revisions = CharterRevision.objects.filter(partnership=partnership)
    meetings = Meeting.objects.filter(partnership=partnership).exclude(status=Meeting.Status.CANCELLED)
    active = (
        Dimension.objects.filter(partnership=partnership, retired_at__isnull=True)
        .order_by()
        .values("partnership")
        .annotate(n=Count("pk"))
    )
    row = (
        Partnership.objects.filter(pk=partnership.pk)
        .annotate(
            first_check=Subquery(revealed.values("pk")[:1]),
            first_revealed_at=Subquery(revealed.values("revealed_at")[:1]),
            open_check=Subquery(opened.values("pk")[:1]),
            open_number=Subquery(opened.values("number")[:1]),
            ratified=Exists(revisions.filter(number__isnull=False)),
            proposed=Subquery(
                revisions.filter(status=CharterRevision.Status.PROPOSED).order_by("-created_at", "-id").values("pk")[:1]
            ),
            one_on_one=Exists(meetings.filter(kind=Meeting.Kind.ONE_ON_ONE)),
            retro=Exists(meetings.filter(kind=Meeting.Kind.RETRO)),
            experiment=Exists(Experiment.objects.filter(partnership=partnership)),
            templated=Exists(Dimension.objects.filter(partnership=partnership)),
            active_dimensions=Subquery(active.values("n")[:1]),
            any_meeting=Exists(Meeting.objects.filter(partnership=partnership)),
            **{
                name: Exists(model.objects.filter(partnership=partnership))
                for name, model in (
                    ("tension", Tension),
                    ("decision", Decision),
                    ("action_item", ActionItem),
                    ("measure", Measure),
                )
            },
        )
        .values(
            *(f.name for f in fields(Progress) if f.name not in {"dimensions", "active"}),
            "templated",
            "active_dimensions",
            "any_meeting",
            "tension",
            "decision",
            "action_item",
            "measure",
        )
        .get()
    )
    templated, n = row.pop("templated"), row.pop("active_dimensions")
    activity = [row.pop(name) for name in ("any_meeting", "tension", "decision", "action_item", "measure")]
    anything = row["first_check"] is not None or bool(row["experiment"]) or any(activity)
    return Progress(**row, dimensions=(n or 0) if templated else None, active=anything)


@dataclass(frozen=True)
class OpenCheck:
    action: Action
    owed: bool  # the reader has not answered it yet


def _open_check(partnership: Partnership, progress: Progress, user: User, others: list[Membership]) -> OpenCheck | None:
    """What the open check asks of the reader: their answer, or patience. Whether the others
    answered, never what (blind)."""
    if progress.open_check is None:
        return None
    answered = set(
        Response.objects.filter(check_run_id=progress.open_check, submitted_at__isnull=False).values_list(
            "user_id", flat=True
        )
    )
    number, url = progress.open_number, reverse("assessments-check", args=[partnership.pk, progress.open_check])
    done = [m for m in others if m.user_id in answered]
    if user.pk not in answered:
        if done:
            message = f"{_names(done)} answered health check #{number}: your turn."
        else:
            message = f"Health check #{number} is open: nobody has answered yet."
        return OpenCheck(Action(message, f"Answer health check #{number}", url), owed=True)
    waiting = [m for m in others if m.user_id not in answered]
    message = f"You answered health check #{number}; waiting for {_names(waiting) if waiting else 'the reveal'}."
    return OpenCheck(Action(message, "See who has answered", url), owed=False)


def _check_step(partnership: Partnership, progress: Progress, joined: bool, open_check: OpenCheck | None) -> Step:
    title = "Take your first health check"
    if progress.first_check is not None and progress.first_revealed_at is not None:
        url = reverse("assessments-check", args=[partnership.pk, progress.first_check])
        when = f"{local_date(progress.first_revealed_at, partnership.timezone):%-d %b}"
        return Step("health-check", title, True, f"Revealed {when}.", Action("", "See the results", url))
    if open_check is not None:
        return Step("health-check", title, False, open_check.action.message, open_check.action)
    if not joined:
        return Step("health-check", title, False, "Once your partner has joined: you answer on your own.", None)
    n = len(DEFAULT_DIMENSIONS) if progress.dimensions is None else progress.dimensions
    start = Action("", "Start the first health check", reverse("assessments-start", args=[partnership.pk]), post=True)
    status = f"Each of you rates {n} dimensions, today and target, on your own; you see both once both answered."
    return Step("health-check", title, False, status, start)


def _charter_step(partnership: Partnership, progress: Progress) -> Step:
    title = "Agree a starter charter"
    if progress.ratified:
        url = reverse("charters-home", args=[partnership.pk])
        return Step("charter", title, True, "You both ratified it.", Action("", "Read your charter", url))
    if progress.proposed is not None:
        url = reverse("charters-revision", args=[partnership.pk, progress.proposed])
        status = "Proposed: it holds once both of you ratified it."
        return Step("charter", title, False, status, Action("", "Read and ratify it", url))
    url = reverse("charters-propose", args=[partnership.pk]) + "?start=starter"
    status = "Purpose, values, who owns what: start from ours and change what does not fit you."
    return Step("charter", title, False, status, Action("", "Start from the starter charter", url))


def _rhythm_step(partnership: Partnership, progress: Progress) -> Step:
    title = "Plan your first 1:1 and retro"
    url = reverse("rituals-home", args=[partnership.pk])
    if progress.one_on_one and progress.retro:
        return Step("rhythm", title, True, "Both are on your calendar.", Action("", "See your sessions", url))
    missing = [
        name for name, there in (("your 1:1", progress.one_on_one), ("partnership retro", progress.retro)) if not there
    ]
    status = f"Not planned yet: {' and '.join(missing)}."
    return Step("rhythm", title, False, status, Action("", "Plan them", url + "#next-heading"))


def _experiment_step(partnership: Partnership, progress: Progress) -> Step:
    title = "Run your first experiment"
    url = reverse("rituals-experiments", args=[partnership.pk])
    if progress.experiment:
        status = "Under way: review it when it is due."
        return Step("experiment", title, True, status, Action("", "See experiments", url))
    status = "One small change to how you work together, with a signal that tells you whether it helped."
    return Step("experiment", title, False, status, Action("", "Start an experiment", url + "#new-heading"))


type Nudges = list[Nudge] | Callable[[], list[Nudge]] | None


def _next_action(partnership: Partnership, open_check: OpenCheck | None, nudges: Nudges) -> Action:
    """The one thing most worth doing now: an answer the reader owes, else the first nudge, else
    the check they wait on, else the next session."""
    if open_check is not None and open_check.owed:
        return open_check.action
    if nudges is None:
        nudges = nudge_list(facts_for(partnership))
    elif callable(nudges):
        nudges = nudges()
    if nudges:
        first = min(nudges, key=lambda n: NUDGE_ORDER.index(n.kind))
        return Action(first.message, first.action, first.url)
    if open_check is not None:
        return open_check.action
    meeting = partnership.meetings.filter(status=Meeting.Status.PLANNED).order_by("scheduled_for", "id").first()
    if meeting is not None:
        when = f"{meeting.scheduled_for.astimezone(zone(partnership.timezone)):%a %-d %b at %H:%M}"
        url = reverse("rituals-meeting", args=[partnership.pk, meeting.pk])
        label = "Add to the agenda" if meeting.kind == Meeting.Kind.ONE_ON_ONE else "Open the retro"
        return Action(f"Nothing is waiting. Your next {meeting.get_kind_display()} is on {when}.", label, url)
    url = reverse("rituals-home", args=[partnership.pk])
    return Action("Nothing is waiting, and no session is planned.", "Plan your next 1:1", url + "#next-heading")


def guide_get(
    *, partnership: Partnership, user: User, nudges: Nudges = None, progress: Progress | None = None
) -> Guide:
    """The reader's guidance on the Overview (members read from `partnership.memberships`), in two
    queries, and those of the nudges when the path is done (pass `nudges`, or what gives them, and
    the pair's `progress` when they are at hand: then in one query at most)."""
    members = list(partnership.memberships.all())
    others = [m for m in members if m.user_id != user.pk]
    joined = bool(others)
    progress = progress if progress is not None else progress_get(partnership)
    open_check = _open_check(partnership, progress, user, others)
    if joined:
        invite = Step("invite", "Invite your partner", True, f"{_names(others)} joined.", None)
    else:
        status = "Accord works when both of you are here: each gives your own view, then you compare."
        invite = Step("invite", "Invite your partner", False, status, Action("", "Invite them", "#invite-heading"))
    steps = [
        invite,
        _check_step(partnership, progress, joined, open_check),
        _charter_step(partnership, progress),
        _rhythm_step(partnership, progress),
        _experiment_step(partnership, progress),
    ]
    waiting = open_check.action if open_check is not None and open_check.owed else None
    done = all(step.done for step in steps)
    action = _next_action(partnership, open_check, nudges) if done else None
    return Guide(progress.active, joined, steps, waiting, action)
