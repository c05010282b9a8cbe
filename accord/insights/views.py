from __future__ import annotations

import csv

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from accord.insights import charts, reports, selectors, themes
from accord.lib.http import AuthedRequest
from accord.lib.pagecache import cached_partnership_page, cached_value
from accord.partnerships import views as partnership_views
from accord.partnerships.views import page_partnership


@login_required
@cached_partnership_page
def partnership_home(request: AuthedRequest, pid: int) -> HttpResponse:
    """The partnership's home: its dashboard once it has data, the getting-started page before."""
    partnership = page_partnership(request, pid)
    if not selectors.has_activity(partnership=partnership):
        return partnership_views.partnership_detail(request, pid)
    # The figures are the same for every member: computed once per version of the partnership.
    data = cached_value(
        f"p{pid}",
        partnership.version,
        partnership.created_at,
        "insights-data",
        lambda: selectors.insights(partnership=partnership),
    )
    context = partnership_views.overview_context(request, partnership)
    context.update(
        {
            "section": "overview",
            "data": data,
            "themes": themes.recurring_themes(partnership=partnership),
            "health_chart": charts.health_chart(data),
            "cadence_chart": charts.cadence_chart(data),
            "follow": charts.follow_through(data),
            "newcomer": selectors.is_newcomer(partnership=partnership, user=request.user),
        }
    )
    return render(request, "insights/dashboard.html", context)


@login_required
def handover(request: AuthedRequest, pid: int) -> HttpResponse:
    """For a partner who joins later: what the partnership agreed and learned before them."""
    partnership = page_partnership(request, pid)
    return render(
        request,
        "insights/handover.html",
        {"partnership": partnership, "section": "overview", "handover": reports.handover(partnership=partnership)},
    )


@login_required
def report(request: AuthedRequest, pid: int) -> HttpResponse:
    """The quarterly partnership review: printable HTML, or Markdown with ?format=md."""
    partnership = page_partnership(request, pid)
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


@login_required
def health_csv(request: AuthedRequest, pid: int) -> HttpResponse:
    """Every revealed health check's results, one row per dimension."""
    partnership = page_partnership(request, pid)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="accord-health-{partnership.pk}.csv"'
    writer = csv.writer(response)
    for row in reports.health_rows(partnership=partnership):
        writer.writerow(row)
    return response
