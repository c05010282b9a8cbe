from __future__ import annotations

import csv

from django.http import HttpResponse
from django.shortcuts import render

from accord.insights import charts, reports, selectors, stored, themes
from accord.insights.guide import guide_get
from accord.lib.http import AuthedRequest
from accord.lib.pagecache import cached_value
from accord.lib.views import partnership_page
from accord.partnerships.models import Partnership
from accord.partnerships.views import overview_context


@partnership_page(cache=True)
def partnership_home(request: AuthedRequest, partnership: Partnership) -> HttpResponse:
    """The partnership's home: its dashboard once it has data, the getting-started page before; both
    with the reader's guidance (the start-here path, then the next action)."""
    context = overview_context(request, partnership)

    # The figures and the pair's progress are the same for every member: read once per version.
    figures = cached_value(
        f"p{partnership.pk}",
        partnership.version,
        partnership.created_at,
        "dashboard-data",
        lambda: stored.dashboard_stored(partnership=partnership),
    )
    data = figures.insights
    guide = guide_get(partnership=partnership, user=request.user, nudges=data.nudges, progress=figures.progress)
    context["guide"] = guide
    if not guide.active:
        return render(request, "partnerships/detail.html", context)
    context.update(
        {
            "section": "overview",
            "data": data,
            "themes": themes.themes_shown(partnership=partnership),
            "health_chart": charts.health_chart(data.health),
            "cadence_chart": charts.cadence_chart(data.cadence),
            "follow": charts.follow_through(data.action_items),
            "newcomer": selectors.membership_is_newcomer(partnership=partnership, user=request.user),
        }
    )
    return render(request, "insights/dashboard.html", context)


@partnership_page()
def handover(request: AuthedRequest, partnership: Partnership) -> HttpResponse:
    """For a partner who joins later: what the partnership agreed and learned before them."""
    return render(
        request,
        "insights/handover.html",
        {"partnership": partnership, "section": "overview", "handover": reports.handover(partnership=partnership)},
    )


@partnership_page()
def report(request: AuthedRequest, partnership: Partnership) -> HttpResponse:
    """The quarterly partnership review: printable HTML, or Markdown with ?format=md."""
    quarter = reports.parse_quarter(request.GET.get("quarter", "")) or reports.current_quarter(partnership)
    review = reports.quarterly_review(partnership=partnership, quarter=quarter)
    if request.GET.get("format") == "md":
        response = HttpResponse(reports.review_markdown(review), content_type="text/markdown; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="accord-review-{review.label}.md"'
        return response
    return render(
        request,
        "insights/report.html",
        {
            "partnership": partnership,
            "section": "overview",
            "review": review,
            "quarters": reports.recent_quarters(partnership),
        },
    )


@partnership_page()
def health_csv(request: AuthedRequest, partnership: Partnership) -> HttpResponse:
    """Every revealed health check's results, one row per dimension."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="accord-health-{partnership.pk}.csv"'
    writer = csv.writer(response)
    for row in reports.health_rows(partnership=partnership):
        writer.writerow(row)
    return response
