"""The figures that decide nudges and fill the coach's portfolio, computed for many partnerships
at once with a fixed number of grouped queries: the same numbers for 1 partnership or 1,000."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cached_property

from django.db.models import Count, F, Max, Q, QuerySet, Subquery, Window
from django.db.models.functions import RowNumber
from django.utils.timezone import now

from accord.alignment.models import Decision
from accord.assessments.models import HealthCheck
from accord.assessments.selectors import healthcheck_due
from accord.charters.models import CharterRevision
from accord.lib.dates import before_local_today, day_start, local_date, local_today
from accord.partnerships.models import Membership, Partnership, Rhythm
from accord.rituals.cadence import next_slot
from accord.rituals.models import ActionItem, Experiment, Meeting
from accord.tensions.models import Tension

OVERDUE_GRACE = timedelta(hours=12)
WIDENED_BY = 1  # a perception gap that grew by at least this much since the previous check
CHECK_WAITING_DAYS = 7  # an open health check not every member has answered after this long


@dataclass
class Facts:
    partnership: Rhythm
    health_score: float | None = None
    previous_score: float | None = None
    last_check_opened: datetime | None = None
    open_check: bool = False
    open_check_since: datetime | None = None
    open_check_answered: int = 0
    members: int = 0
    last_retro: datetime | None = None
    planned_retro: datetime | None = None
    open_tensions: int = 0
    overdue_items: int = 0
    experiments_past_review: int = 0
    charter_waiting: int = 0
    decisions_waiting: int = 0
    widened: list[tuple[str, float, float]] = field(default_factory=list)  # title, before, now

    @property
    def health_trend(self) -> float | None:
        if self.health_score is None or self.previous_score is None:
            return None
        return round(self.health_score - self.previous_score, 2)

    @property
    def last_retro_on(self) -> date | None:
        """The day of the last retro held, in the partnership's calendar."""
        return local_date(self.last_retro, self.partnership.timezone) if self.last_retro else None

    @cached_property
    def retro_due(self) -> datetime | None:
        if self.planned_retro is not None:
            return self.planned_retro
        if self.last_retro is None:
            return None
        return next_slot(self.partnership, self.last_retro, "retro")

    @property
    def retro_overdue(self) -> bool:
        due = self.retro_due
        return due is not None and due < now() - OVERDUE_GRACE

    @property
    def retro_overdue_days(self) -> int:
        """Whole days since the retro was due, in the partnership's calendar (0 when it is not late)."""
        due = self.retro_due
        if not self.retro_overdue or due is None:
            return 0
        tz = self.partnership.timezone
        return (local_today(tz) - local_date(due, tz)).days

    @cached_property
    def health_due(self) -> date | None:
        return healthcheck_due(partnership=self.partnership, last_opened=self.last_check_opened)

    @property
    def health_overdue(self) -> bool:
        due = self.health_due
        return not self.open_check and due is not None and due < local_today(self.partnership.timezone)

    @property
    def health_overdue_days(self) -> int:
        due = self.health_due
        return (local_today(self.partnership.timezone) - due).days if self.health_overdue and due else 0

    @property
    def open_check_days(self) -> int:
        """Whole days the open health check has been open (0 when none is)."""
        if self.open_check_since is None:
            return 0
        tz = self.partnership.timezone
        return (local_today(tz) - local_date(self.open_check_since, tz)).days

    @property
    def stable_until(self) -> datetime:
        """The first instant at which a figure worked out from the clock may read otherwise (the
        counts of days, what is overdue): the start of the partnership's next day, or the moment the
        retro becomes overdue when that comes first. Until then, and until the next write, the facts
        and their nudges read the same."""
        tz = self.partnership.timezone
        until = day_start(local_today(tz) + timedelta(days=1), tz)
        due = self.retro_due
        if due is not None and now() <= due + OVERDUE_GRACE < until:
            until = due + OVERDUE_GRACE
        return until

    @property
    def check_waiting(self) -> bool:
        """An open health check, open a week or more, that not every member has answered."""
        return self.open_check_days >= CHECK_WAITING_DAYS and self.open_check_answered < self.members


def _widened(latest: HealthCheck, previous: HealthCheck) -> list[tuple[str, float, float]]:
    out = []
    for key, now_figures in (latest.summary or {}).items():
        before = (previous.summary or {}).get(key)
        gap_now, gap_before = now_figures.get("perception_gap"), (before or {}).get("perception_gap")
        if gap_now is not None and gap_before is not None and gap_now - gap_before >= WIDENED_BY:
            out.append((now_figures.get("title", key), gap_before, gap_now))
    # The widest first, then by title: the same order whatever order the database keeps the summary in.
    return sorted(out, key=lambda w: (w[1] - w[2], w[0]))


def collect(partnerships: QuerySet[Partnership] | Sequence[Rhythm], scope: Subquery | None = None) -> dict[int, Facts]:
    """Facts for every partnership given, in a fixed number of queries. `scope`, a subquery of
    partnership ids that includes them all, keeps long id lists out of the SQL for big portfolios."""
    items = list(partnerships)
    facts = {p.pk: Facts(p) for p in items}
    ids: Subquery | list[int] = scope if scope is not None else list(facts)
    zones = {p.timezone for p in items}  # "overdue" is read in each partnership's own calendar

    latest_two = (
        HealthCheck.objects.filter(partnership_id__in=ids, status=HealthCheck.Status.REVEALED)
        .annotate(rank=Window(RowNumber(), partition_by=[F("partnership_id")], order_by=F("number").desc()))
        .filter(rank__lte=2)
        .only("id", "partnership_id", "number", "score", "summary", "opened_at", "revealed_at")
    )
    latest: dict[int, HealthCheck] = {}
    previous: dict[int, HealthCheck] = {}
    for check in latest_two:
        if check.partnership_id in facts:
            (latest if check.rank == 1 else previous)[check.partnership_id] = check
    for pid, last in latest.items():
        f = facts[pid]
        f.health_score = last.score
        if pid in previous:
            f.previous_score = previous[pid].score
            f.widened = _widened(last, previous[pid])

    for check_row in (
        HealthCheck.objects.filter(partnership_id__in=ids)
        .values("partnership_id")
        .annotate(
            last=Max("opened_at"),
            open=Count("id", filter=Q(status=HealthCheck.Status.OPEN), distinct=True),
            open_since=Max("opened_at", filter=Q(status=HealthCheck.Status.OPEN)),
            answered=Count(
                "responses",
                filter=Q(status=HealthCheck.Status.OPEN, responses__submitted_at__isnull=False),
                distinct=True,
            ),
        )
    ):
        if check_row["partnership_id"] in facts:
            f = facts[check_row["partnership_id"]]
            f.last_check_opened, f.open_check = check_row["last"], check_row["open"] > 0
            f.open_check_since, f.open_check_answered = check_row["open_since"], check_row["answered"]

    for retro_row in (
        Meeting.objects.filter(partnership_id__in=ids, kind=Meeting.Kind.RETRO)
        .values("partnership_id")
        .annotate(
            held=Max("scheduled_for", filter=Q(status=Meeting.Status.HELD)),
            planned=Max("scheduled_for", filter=Q(status=Meeting.Status.PLANNED)),
        )
    ):
        if retro_row["partnership_id"] not in facts:
            continue
        f = facts[retro_row["partnership_id"]]
        f.last_retro = retro_row["held"]
        f.planned_retro = retro_row["planned"]

    counts: dict[str, dict[int, int]] = defaultdict(dict)
    for name, queryset in (
        ("members", Membership.objects.filter(partnership_id__in=ids)),
        ("open_tensions", Tension.objects.filter(partnership_id__in=ids, status=Tension.Status.OPEN)),
        (
            "overdue_items",
            ActionItem.objects.filter(partnership_id__in=ids, done_at__isnull=True).filter(
                before_local_today("due_on", "partnership__timezone", zones)
            ),
        ),
        (
            "experiments_past_review",
            Experiment.objects.filter(partnership_id__in=ids, status=Experiment.Status.RUNNING).filter(
                before_local_today("review_on", "partnership__timezone", zones)
            ),
        ),
        ("decisions_waiting", Decision.objects.filter(partnership_id__in=ids, status=Decision.Status.PROPOSED)),
        (
            # proposals on top of the current charter (or the first one): ratifiable, so someone owes a signature
            "charter_waiting",
            CharterRevision.objects.filter(partnership_id__in=ids, status=CharterRevision.Status.PROPOSED).filter(
                Q(base__status=CharterRevision.Status.RATIFIED)
                | Q(base__isnull=True) & ~Q(partnership__charter_revisions__status=CharterRevision.Status.RATIFIED)
            ),
        ),
    ):
        for pid, n in queryset.values_list("partnership_id").annotate(n=Count("id", distinct=True)):
            counts[name][pid] = n
    for name, per in counts.items():
        for pid, n in per.items():
            if pid in facts:
                setattr(facts[pid], name, n)
    return facts


def facts_for(partnership: Partnership) -> Facts:
    return collect([partnership])[partnership.pk]
