"""Stored figures: the dashboard's and the portfolio's numbers of each partnership, computed once after
a write instead of on the first read after it.

After every committed unit of work that changed a partnership, a task (`partnership_refresh`, queued
once for a burst of writes) works out its themes, then recomputes its figures and stores them in one
row, `PartnershipFigures`, under the partnership's `figures_version` it read them at (which rises
with every write but those that change no figure: a card, a talking point, a journal entry). A
reader uses the row only while that version is still the partnership's: between a write and its
task, or when the task failed, the reader computes them inline (and queues the task again, once),
so a page never shows old numbers. What depends on the clock stays right without a write: nudges
are worked out at read from the stored dates, overdue counts from stored due days, and the
dashboard's other figures (months shown, sessions held) are kept only until the next day or the
next session starts (`valid_until`).

The rows are written and read by this module alone, as pickled tuples of the fields of its own
dataclasses: numbers, dates, strings and the small frozen dataclasses of the dashboard, never a model
instance, so a thousand rows unpickle in a few milliseconds (`SHAPE` changes with the fields: a row of
another shape is recomputed). They hold figures of revealed input only, exactly what `insights_get`
and `collect` compute."""

from __future__ import annotations

import pickle
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from datetime import datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Min, QuerySet, Subquery
from django.utils.timezone import now

from accord.charters.selectors import measure_list
from accord.insights.facts import Facts, collect
from accord.insights.guide import Progress, progress_get
from accord.insights.models import PartnershipFigures
from accord.insights.selectors import Insights, insights_get, nudge_list
from accord.lib.dates import day_start, local_today
from accord.lib.freshness import Changed
from accord.lib.tasks import background, enqueue_once
from accord.partnerships.models import RHYTHM, Partnership, Rhythm, RhythmRow
from accord.rituals.models import Experiment

SHAPE = 4
FACTS = tuple(f.name for f in fields(Facts) if f.name != "partnership")  # the partnership is read anew
INSIGHTS = tuple(f.name for f in fields(Insights) if f.name not in ("facts", "measures", "nudges"))
PROGRESS = tuple(f.name for f in fields(Progress))


@dataclass(frozen=True)
class Dashboard:
    """What the Overview reads of a partnership: its figures and how far along the start-here path
    the pair has come (the same for every member)."""

    insights: Insights
    progress: Progress


def _valid_until(partnership: Partnership) -> datetime:
    """Until the partnership's next day starts, or its next session does, whichever comes first."""
    tz = partnership.timezone
    midnight = day_start(local_today(tz) + timedelta(days=1), tz)
    soon = partnership.meetings.filter(scheduled_for__gt=now(), scheduled_for__lt=midnight).aggregate(
        first=Min("scheduled_for")
    )["first"]
    return min(midnight, soon) if soon else midnight


def figures_store(partnership: Partnership) -> None:
    """Compute the partnership's figures as they are now and store them under its `figures_version`
    (never over figures of a later one), unless those stored are still current."""
    if _row(partnership) is not None:
        return
    data = insights_get(partnership=partnership)
    progress = progress_get(partnership)
    facts = replace(data.facts, overdue_items=0, experiments_past_review=0)  # counted at read, by day
    open_due = partnership.action_items.filter(done_at__isnull=True, due_on__isnull=False).values_list(
        "due_on", flat=True
    )
    review_due = partnership.experiments.filter(status=Experiment.Status.RUNNING, review_on__isnull=False).values_list(
        "review_on", flat=True
    )
    due = (tuple(d.isoformat() for d in open_due if d), tuple(d.isoformat() for d in review_due if d))
    values = {
        "version": partnership.figures_version,
        "shape": SHAPE,
        "facts": pickle.dumps((tuple(getattr(facts, name) for name in FACTS), *due)),
        "insights": pickle.dumps(
            (tuple(getattr(data, name) for name in INSIGHTS), tuple(getattr(progress, name) for name in PROGRESS))
        ),
        "valid_until": _valid_until(partnership),
        "computed_at": now(),
    }
    mine = PartnershipFigures.objects.filter(pk=partnership.pk, version__lte=partnership.figures_version)
    if not mine.update(**values):
        try:
            with transaction.atomic():
                PartnershipFigures.objects.create(partnership_id=partnership.pk, **values)
        except IntegrityError:
            pass  # figures of a later version got there first


def _facts(stored: bytes, partnership: Rhythm, today: str | None = None) -> Facts:
    """The stored facts, with the partnership as it is and the overdue counts of `today` (the
    partnership's day as an ISO date; worked out when not given) from the stored due days of its
    open action items and running experiments."""
    values, open_due, review_due = pickle.loads(stored)  # noqa: S301 - written by figures_store alone
    facts = Facts(partnership, *values)
    today = today or local_today(partnership.timezone).isoformat()
    facts.overdue_items = sum(1 for d in open_due if d < today)
    facts.experiments_past_review = sum(1 for d in review_due if d < today)
    return facts


def _row(partnership: Partnership) -> Mapping[str, Any] | None:
    """The stored row, when it holds this version of the partnership and the clock has not moved past it."""
    return (
        PartnershipFigures.objects.filter(
            pk=partnership.pk, version=partnership.figures_version, shape=SHAPE, valid_until__gt=now()
        )
        .values("facts", "insights")
        .first()
    )


def _stale(partnership: Rhythm) -> None:
    """The row is missing or behind: the reader computes what it needs, and a task (queued once, no
    SQL when one is waiting already) stores it for the next reader."""
    enqueue_once(partnership_refresh, partnership.pk)


def _from_row(row: Mapping[str, Any], partnership: Partnership) -> Dashboard:
    figures, progress = pickle.loads(row["insights"])  # noqa: S301 - written by figures_store alone
    stored = dict(zip(INSIGHTS, figures, strict=True))
    facts = _facts(row["facts"], partnership)
    stored["action_items"] = replace(stored["action_items"], overdue=facts.overdue_items)
    insights = Insights(facts=facts, measures=measure_list(partnership=partnership), nudges=nudge_list(facts), **stored)
    return Dashboard(insights, Progress(**dict(zip(PROGRESS, progress, strict=True))))


def dashboard_stored(*, partnership: Partnership) -> Dashboard:
    """Every figure of the Overview: from the stored row (one query, plus the measures), else afresh."""
    row = _row(partnership)
    if row is None:
        _stale(partnership)
        return Dashboard(insights_get(partnership=partnership), progress_get(partnership))
    return _from_row(row, partnership)


def insights_stored(*, partnership: Partnership) -> Insights:
    """The dashboard's figures (see `dashboard_stored`); afresh, without the guide's progress."""
    row = _row(partnership)
    if row is None:
        _stale(partnership)
        return insights_get(partnership=partnership)
    return _from_row(row, partnership).insights


def facts_stored(partnerships: QuerySet[Partnership], scope: Subquery) -> dict[int, Facts]:
    """Facts for every partnership given, read with its stored row in one query of plain values (no
    model instance: a coach may see thousands); those whose row is missing, of another shape or older
    are computed together inline, and refreshed in a task. `scope` is a subquery of ids that includes
    them all, as for `collect`. In order of id (sorted here: in SQL the wide rows of thousands of
    partnerships would be sorted on disk)."""
    rows = sorted(
        partnerships.order_by().values_list(
            *RHYTHM, "figures_version", "figures__version", "figures__shape", "figures__facts"
        )
    )
    today: dict[str, str] = {}  # each time zone's day, worked out once
    out: dict[int, Facts] = {}
    stale: list[RhythmRow] = []
    width = len(RHYTHM)
    for values in rows:
        p = RhythmRow(*values[:width])
        version, stored_version, shape, stored = values[width:]
        if stored_version == version and shape == SHAPE:
            if p.timezone not in today:
                today[p.timezone] = local_today(p.timezone).isoformat()
            out[p.pk] = _facts(stored, p, today[p.timezone])
        else:
            stale.append(p)
    if stale:
        out.update(collect(stale))
        for row in stale:
            _stale(row)
    return {values[0]: out[values[0]] for values in rows}


@background(atomic=False)
def partnership_refresh(pid: int) -> None:
    """What a partnership's pages read instead of computing it: its recurring themes, then its
    figures, each stored in its own transaction (a change of themes raises the version the figures
    are then stamped with). Idempotent: both read what is there now, and skip what is current."""
    from accord.insights.overview import overview_warm
    from accord.insights.themes import themes_store

    partnership = Partnership.objects.filter(pk=pid).first()
    if partnership is None:
        return
    if themes_store(partnership):
        partnership.refresh_from_db(fields=["version", "figures_version"])
    figures_store(partnership)
    overview_warm(partnership)  # the dashboard's figures, rendered before anyone asks


def on_change(changed: Changed) -> None:
    """After a committed write: one task per partnership it changed (once per burst), so a write
    costs the writer at most one statement more."""
    for pid in sorted(changed.partnerships):
        enqueue_once(partnership_refresh, pid)
