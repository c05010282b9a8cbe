from datetime import date

from django.http import HttpResponse
from ninja import Router, Schema

from accord.insights import selectors, themes
from accord.insights.stored import insights_stored
from accord.lib.http import AuthedRequest
from accord.lib.pagecache import cached_json
from accord.lib.schemas import errors
from accord.partnerships.selectors import partnership_get, partnership_stamp

router = Router(tags=["Measure: insights"])


class HealthPointOut(Schema):
    number: int
    on: date
    score: float | None


class GapOut(Schema):
    dimension: str
    today_mean: float | None
    target_mean: float | None
    improvement_gap: float | None
    perception_gap: float | None


class MeasureFigureOut(Schema):
    id: int
    name: str
    target: float
    direction: str
    latest: float | None
    on_track: bool | None


class HealthOut(Schema):
    score: float | None
    trend: float | None
    checks: list[HealthPointOut]
    gaps: list[GapOut]
    measures: list[MeasureFigureOut]


class CadenceMonthOut(Schema):
    month: str
    one_on_ones_planned: int
    one_on_ones_held: int
    retros_planned: int
    retros_held: int


class ActionItemsOut(Schema):
    done_on_time: int
    done_late: int
    open: int
    overdue: int


class ExperimentsOut(Schema):
    running: int
    kept: int
    adapted: int
    dropped: int


class TensionsOut(Schema):
    open: int
    resolved: int
    median_days_to_resolve: float | None


class DecisionsOut(Schema):
    agreed: int
    linked_to_objective_share: float | None


class NudgeOut(Schema):
    kind: str
    message: str
    action: str
    url: str
    name: str  # what it is with its figures, no word a partner wrote: "Retro overdue 12 days"


class OccurrenceOut(Schema):
    source: str
    text: str
    on: date
    url: str


class ThemeOut(Schema):
    label: str
    occurrences: list[OccurrenceOut]


class InsightsOut(Schema):
    health: HealthOut
    cadence: list[CadenceMonthOut]
    action_items: ActionItemsOut
    experiments: ExperimentsOut
    tensions: TensionsOut
    decisions: DecisionsOut
    nudges: list[NudgeOut]
    themes: list[ThemeOut]


def insights_out(data: selectors.Insights, found: list[themes.Theme]) -> dict[str, object]:
    return {
        "health": {
            "score": data.facts.health_score,
            "trend": data.facts.health_trend,
            "checks": [p.__dict__ for p in data.health],
            "gaps": [
                {
                    "dimension": g.title,
                    "today_mean": g.today_mean,
                    "target_mean": g.target_mean,
                    "improvement_gap": g.improvement_gap,
                    "perception_gap": g.perception_gap,
                }
                for g in data.gaps
            ],
            "measures": [
                {
                    "id": m.measure.pk,
                    "name": m.measure.name,
                    "target": m.measure.target,
                    "direction": m.measure.direction,
                    "latest": m.latest.value if m.latest else None,
                    "on_track": m.on_track,
                }
                for m in data.measures
            ],
        },
        "cadence": [
            {
                "month": m.month.strftime("%Y-%m"),
                "one_on_ones_planned": m.one_on_one_planned,
                "one_on_ones_held": m.one_on_one_held,
                "retros_planned": m.retro_planned,
                "retros_held": m.retro_held,
            }
            for m in data.cadence
        ],
        "action_items": {
            "done_on_time": data.action_items.on_time,
            "done_late": data.action_items.late,
            "open": data.action_items.open,
            "overdue": data.action_items.overdue,
        },
        "experiments": data.experiments,
        "tensions": {
            "open": data.tensions_open,
            "resolved": data.tensions_resolved,
            "median_days_to_resolve": data.median_days_to_resolve,
        },
        "decisions": {"agreed": data.decisions_agreed, "linked_to_objective_share": data.decisions_linked_share},
        "nudges": [
            {"kind": n.kind, "message": n.message, "action": n.action, "url": n.url, "name": n.name}
            for n in data.nudges
        ],
        "themes": [{"label": t.label, "occurrences": [o.__dict__ for o in t.occurrences]} for t in found],
    }


@router.get("/partnerships/{pid}/insights", response={200: InsightsOut, **errors(404)})
def partnership_insights(request: AuthedRequest, pid: int) -> HttpResponse:
    """How the partnership is doing: health, cadence, follow-through, experiments, tensions, decisions,
    what needs doing (nudges) and what keeps coming back (themes)."""
    version, born, _ = partnership_stamp(user=request.user, pid=pid)

    def compute() -> dict[str, object]:
        partnership = partnership_get(user=request.user, pid=pid)
        return insights_out(insights_stored(partnership=partnership), themes.recurring_themes(partnership=partnership))

    return cached_json(f"p{pid}", version, born, "insights", InsightsOut, compute)
