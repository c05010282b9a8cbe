"""Demo disagreements and journal entries, written through the services."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from django.utils.timezone import now

from accord.partnerships.models import Partnership
from accord.tensions import services

if TYPE_CHECKING:
    from accord.accounts.models import User

RESOLVED = [
    (
        "Moving Priya to the payments squad mid-quarter",
        ["Shared ownership", "staffing"],
        (
            "Keeping the checkout redesign on schedule",
            "We promised Sales a date.",
            "Priya's growth, and payments' incident load.",
        ),
        ("Priya's growth and the payments incidents", "She asked for it twice.", "The redesign date we gave Sales."),
        "Priya moves after the redesign ships in three weeks; we tell Sales and the team together.",
        40,
        9,
    ),
    (
        "Rewriting the pricing service before the new plans launch",
        ["Customer impact before internal polish", "tech debt"],
        ("Launching the new plans on time", "Revenue target for Q3.", "Avoiding another pricing outage."),
        (
            "Not shipping on top of a service that pages us weekly",
            "Two outages last month.",
            "Hitting the launch date.",
        ),
        "We fix the two failure modes first (one sprint), launch, then rewrite behind a flag.",
        120,
        5,
    ),
    (
        "Who presents the roadmap to leadership",
        ["Equal partners"],
        ("Presenting it together", "It is our plan, not mine.", "Owning the product story."),
        (
            "Presenting the why, with you presenting the how",
            "Leadership asks me about bets.",
            "Visibility for the team.",
        ),
        "We present together: the why first, then the how, and take questions as a pair.",
        200,
        3,
    ),
]


def demo_tensions(partnership: Partnership, alice: User, bob: User) -> None:
    for topic, tags, a, b, resolution, days_ago, took in RESOLVED:
        at = now() - timedelta(days=days_ago)
        tension = services.tension_raise(partnership=partnership, user=bob, topic=topic, tags=tags, at=at)
        for user, (important, why, guess) in ((alice, a), (bob, b)):
            services.perspective_write(
                tension=tension, user=user, important_to_me=important, why=why, partner_priority_guess=guess, at=at
            )
        services.guess_rate(tension=tension, user=alice, of_user_id=bob.pk, rating="right")
        services.guess_rate(tension=tension, user=bob, of_user_id=alice.pk, rating="partly")
        proposed = at + timedelta(days=took)
        services.tension_resolve(tension=tension, user=alice, resolution=resolution, at=proposed)
        services.tension_resolution_agree(tension=tension, user=bob, at=proposed + timedelta(hours=3))
    open_one = services.tension_raise(
        partnership=partnership,
        user=alice,
        topic="Saying yes to the Sales integration request",
        tags=["intake", "Shared ownership"],
        at=now() - timedelta(days=4),
    )
    services.perspective_write(
        tension=open_one,
        user=alice,
        important_to_me="Protecting the team's focus on the checkout goal",
        why="Two context switches this quarter already cost us a sprint.",
        partner_priority_guess="The relationship with Sales and the deal they are closing.",
    )
    entries = [
        (
            alice,
            "Noticed I jumped to solutions in the 1:1 before Bob finished. Try asking one more question.",
            "private",
        ),
        (bob, "Roadmap review felt like one voice today. The pre-read helped.", "shared"),
        (alice, "The team asked who decides on the on-call change: we should answer together.", "shared"),
        (bob, "I get defensive when estimates come up. Worth naming in the next retro.", "private"),
    ]
    for i, (user, text, visibility) in enumerate(entries):
        services.journal_write(
            partnership=partnership, user=user, text=text, visibility=visibility, at=now() - timedelta(days=20 - 5 * i)
        )
