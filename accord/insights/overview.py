"""The Overview's figures as every member sees them, read and rendered once per version of the
figures (the partnership's `figures_version` and the fingerprint of its recurring themes) and day,
and by the refresh task as soon as it has stored them: a reader right after a write renders only
what is theirs (the guide, the forms, the list of partners), and after a write that changes no
figure (a talking point, a card, a journal entry) reads them from the cache with one query.

What goes in is the same for every member and holds revealed input only: the stored figures
(`accord.insights.stored`) and the recurring themes, in the partnership's time zone, as its pages
are rendered (`accord.partnerships.middleware`). Nothing here is a word only one partner can see."""

from __future__ import annotations

from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from accord.insights import charts
from accord.insights.guide import Progress
from accord.insights.selectors import Insights
from accord.insights.stored import dashboard_stored
from accord.insights.themes import ShownThemes, themes_shown
from accord.lib.dates import zone
from accord.lib.pagecache import cached_value
from accord.partnerships.models import Partnership


@dataclass(frozen=True)
class Overview:
    data: Insights
    progress: Progress
    html: str  # the figures' sections of the dashboard ("" before there is anything to show)

    @property
    def figures(self) -> SafeString:
        return mark_safe(self.html)  # noqa: S308 - rendered, and escaped, by the template


def _overview(partnership: Partnership, themes: ShownThemes) -> Overview:
    stored = dashboard_stored(partnership=partnership)
    data, html = stored.insights, ""
    if stored.progress.active:
        html = render_to_string(
            "insights/_figures.html",
            {
                "partnership": partnership,
                "data": data,
                "themes": themes,
                "health_chart": charts.health_chart(data.health),
                "cadence_chart": charts.cadence_chart(data.cadence),
                "follow": charts.follow_through(data.action_items),
            },
        )
    return Overview(data, stored.progress, str(html))


def overview_get(*, partnership: Partnership) -> Overview:
    """The Overview's figures for this version of them, from the cache when they are there: what they
    are made of changes only with `figures_version` (stored figures, measures, members, settings) or
    with the themes, read first (one query)."""
    themes = themes_shown(partnership=partnership)
    version = f"{partnership.figures_version}.{themes.fingerprint}"
    return cached_value(
        f"p{partnership.pk}", version, partnership.created_at, "overview", lambda: _overview(partnership, themes)
    )


def overview_warm(partnership: Partnership) -> None:
    """Read and render them before anyone asks (the refresh task, after storing the figures)."""
    with timezone.override(zone(partnership.timezone)):
        overview_get(partnership=partnership)
