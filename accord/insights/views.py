from __future__ import annotations

import csv

from django.http import HttpResponse
from django.shortcuts import render

from accord.insights import reports, selectors
from accord.insights.guide import guide_get
from accord.insights.overview import overview_get
from accord.lib.http import AuthedRequest
from accord.lib.views import partnership_page
from accord.partnerships.models import Partnership
from accord.partnerships.views import overview_context


@partnership_page(cache=True)
def partnership_home(request: AuthedRequest, partnership: Partnership) -> HttpResponse:
    """The partnership's home: its dashboard once it has data, the getting-started page before; both
    with the reader's guidance (the start-here path, then the next action)."""
    context = overview_context(request, partnership)

    overview = overview_get(partnership=partnership)  # the same for every member
    guide = guide_get(
        partnership=partnership, user=request.user, nudges=overview.data.nudges, progress=overview.progress
    )
    context["guide"] = guide
    if not guide.active:
        return render(request, "partnerships/detail.html", context)
    context.update(
        {
            "section": "overview",
            "data": overview.data,
            "figures": overview.figures,
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
