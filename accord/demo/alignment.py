"""Two quarters of objectives and a dozen decisions for the demo partnership."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from django.utils.timezone import now

from accord.alignment import services
from accord.alignment.services import DecisionContent
from accord.lib.dates import add_months, local_today, quarter_start
from accord.partnerships.models import Partnership

if TYPE_CHECKING:
    from accord.accounts.models import User


def demo_alignment(partnership: Partnership, alice: User, bob: User) -> None:
    today = local_today(partnership.timezone)
    this_q = quarter_start(today)
    last_q = add_months(this_q, -3)
    quarters = [
        (last_q, this_q - timedelta(days=1)),
        (this_q, add_months(this_q, 3) - timedelta(days=1)),
    ]
    plans = [
        [
            (
                "Make checkout the fastest in our market",
                "Every second of checkout costs us 2% conversion.",
                [("p75 checkout time", 9.0, 4.0, "s"), ("Checkout conversion", 61.0, 66.0, "%")],
            ),
            (
                "Cut payment incidents in half",
                "Incidents burn the team's focus and customers' trust.",
                [("Payment incidents per month", 6.0, 3.0, "")],
            ),
        ],
        [
            (
                "Launch one-click reorder",
                "Returning customers asked for it more than anything else.",
                [("Reorders through one-click", 0.0, 25.0, "%"), ("Reorder NPS", 20.0, 40.0, "")],
            ),
            (
                "Grow the team's ownership of checkout data",
                "Decisions should not wait on another team's dashboard.",
                [("Questions answered without the data team", 30.0, 80.0, "%")],
            ),
        ],
    ]
    objectives = []
    for (start, end), plan in zip(quarters, plans, strict=True):
        for title, why, krs in plan:
            objective = services.objective_create(
                partnership=partnership,
                user=alice,
                title=title,
                why=why,
                starts_on=start,
                ends_on=end,
                at=now() - timedelta(days=(today - start).days),
            )
            objectives.append(objective)
            for name, baseline, target, unit in krs:
                kr = services.key_result_add(
                    objective=objective, name=name, baseline=baseline, target=target, unit=unit
                )
                span = min((today - start).days, (end - start).days)
                for step in range(1, 6):
                    day = start + timedelta(days=span * step // 5)
                    if day > today:
                        break
                    value = baseline + (target - baseline) * (0.18 * step) * (0.9 if step % 2 else 1.0)
                    services.key_result_reading_add(
                        key_result=kr, user=bob if step % 2 else alice, value=round(value, 1), taken_on=day
                    )
    speed, incidents, reorder, data = objectives
    decisions = [
        (
            DecisionContent(
                "Move payments retries to the queue service",
                "Retries block the checkout thread.",
                ["Keep in-process retries", "Queue service", "Third-party retry proxy"],
                "3 of the last 5 incidents were retry storms.",
                "Queue service, this quarter.",
                [incidents.pk],
            ),
            80,
        ),
        (
            DecisionContent(
                "Drop the coupon redesign from this quarter",
                "Design and engineering are both stretched.",
                ["Ship it later", "Ship a smaller version"],
                "Coupons are 3% of orders.",
                "Later: next quarter.",
                [speed.pk],
            ),
            70,
        ),
        (
            DecisionContent(
                "Hire a second backend engineer for payments",
                "On-call load is unsustainable.",
                ["Hire", "Borrow from platform"],
                "On-call pages doubled since spring.",
                "Hire.",
                [incidents.pk],
            ),
            60,
        ),
        (
            DecisionContent(
                "Adopt a weekly release train",
                "Releases bunch up before demos.",
                ["On demand", "Weekly train"],
                "Lead time 9 days.",
                "Weekly train on Tuesdays.",
                [speed.pk],
            ),
            50,
        ),
        (
            DecisionContent(
                "Build one-click reorder on the new cart API",
                "",
                ["Old cart", "New cart API"],
                "New API is 40% faster.",
                "New cart API.",
                [reorder.pk],
            ),
            25,
        ),
        (
            DecisionContent(
                "Give the team read access to the orders warehouse",
                "",
                ["Dashboards only", "Warehouse access"],
                "Half our questions wait a week for the data team.",
                "Warehouse access with training.",
                [data.pk],
            ),
            20,
        ),
        (
            DecisionContent(
                "Switch the team's stand-up to async on Fridays",
                "The team asked for a focus day.",
                ["Keep daily", "Async Fridays"],
                "Team survey: 7 of 8 in favour.",
                "Async Fridays.",
                [],
            ),
            15,
        ),
    ]
    created = []
    for content, days_ago in decisions:
        decision = services.decision_create(
            partnership=partnership, user=bob, content=content, at=now() - timedelta(days=days_ago)
        )
        services.decision_sign(decision=decision, user=bob, at=now() - timedelta(days=days_ago))
        services.decision_sign(decision=decision, user=alice, at=now() - timedelta(days=days_ago - 1))
        created.append(decision)
    revisit = services.decision_create(
        partnership=partnership,
        user=alice,
        revisits=created[3].pk,
        content=DecisionContent(
            "Release train twice a week",
            "Weekly still bunched fixes before Tuesdays.",
            ["Weekly", "Twice weekly", "On demand"],
            "Lead time down to 6 days, fixes still wait.",
            "Tuesdays and Thursdays.",
            [speed.pk],
        ),
        at=now() - timedelta(days=10),
    )
    for user in (alice, bob):
        services.decision_sign(decision=revisit, user=user, at=now() - timedelta(days=9))
    requests = [
        ("Sales: integrate with the CRM for the Acme deal", "Sales (Dana)", "accept", 30, [reorder.pk], True),
        ("Leadership: add a Black Friday banner", "Leadership", "accept", 21, [speed.pk], True),
        ("Platform team: migrate to the new logging stack", "Platform team", "defer", 12, [], True),
        ("Marketing: A/B test the checkout copy", "Marketing", "decline", 6, [speed.pk], True),
        ("Support: bulk refund tool", "Support (Lee)", "", 2, [incidents.pk], False),
    ]
    for title, requester, triage, days_ago, objective_ids, signed in requests:
        request = services.decision_create(
            partnership=partnership,
            user=alice if days_ago % 2 else bob,
            content=DecisionContent(
                title,
                "Came in through the intake channel.",
                [],
                "",
                "",
                objective_ids,
                kind="request",
                requester=requester,
                needed_by=local_today(partnership.timezone) + timedelta(days=30 - days_ago),
                triage=triage,
            ),
            at=now() - timedelta(days=days_ago),
        )
        if signed:
            for user in (alice, bob):
                services.decision_sign(decision=request, user=user, at=now() - timedelta(days=days_ago - 1))
    objection = services.decision_create(
        partnership=partnership,
        user=bob,
        content=DecisionContent(
            "Pause feature work for a hardening sprint",
            "Incidents are up again.",
            ["Full sprint", "20% for a month"],
            "4 incidents in 3 weeks.",
            "A full sprint.",
            [incidents.pk],
        ),
        at=now() - timedelta(days=1),
    )
    services.decision_sign(decision=objection, user=bob)
    services.decision_object(
        decision=objection, user=alice, reason="A full sprint delays reorder past the holidays; 20% for a month?"
    )
