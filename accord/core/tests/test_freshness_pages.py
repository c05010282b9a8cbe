"""The writes only pages reach (or the API's example bodies do not), driven one by one with every
statement watched; and every service is driven by a freshness test or listed as writing nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction

from accord.accounts.services import user_calendar_secret_regenerate, user_update
from accord.alignment.models import Objective
from accord.alignment.services import DecisionContent, decision_create, decision_triage, objective_archive
from accord.assessments.models import Dimension, HealthCheck
from accord.assessments.services import (
    RatingInput,
    dimension_add,
    dimension_move,
    dimension_retire,
    dimension_update,
    healthcheck_close,
    healthcheck_open,
    healthcheck_respond,
    template_ensure,
)
from accord.core.tests.test_authorization_matrix import World
from accord.core.tests.test_freshness import BY_API, Versions, calls, service_functions, watched
from accord.lib.freshness import partnership_write
from accord.orgs.models import OrgTemplate
from accord.orgs.services import (
    org_access_invitation_answer,
    org_access_invitation_create,
    org_invitation_accept,
    org_invitation_create,
    org_template_adopt,
    org_template_create,
)
from accord.partnerships.models import Invitation, Membership
from accord.partnerships.services import invitation_accept, invitation_revoke, partnership_team_page_regenerate
from accord.rituals.models import Card, Meeting
from accord.rituals.services import (
    agenda_item_add,
    agenda_item_delete,
    card_add,
    card_delete,
    card_group,
    card_group_rename,
    card_ungroup,
    card_update,
    meeting_plan_next,
    meeting_reveal,
    meeting_update,
    retro_format_update,
    vote_add,
    vote_remove,
)
from accord.tensions.models import Tension
from accord.tensions.services import (
    guess_rate,
    perspective_amend,
    perspective_write,
    tension_raise,
    tension_resolution_agree,
    tension_resolve,
    tension_retag,
    tension_reveal,
)

pytestmark = pytest.mark.django_db


# Services that change nothing a page shows, or only compute: they need no unit of work.
NOT_WRITING = {
    "api_token_authenticate",
    "api_token_create",
    "api_token_issue",
    "api_token_revoke",
    "charter_content_clean",
    "tags_clean",
    "credentials_failure_record",
    "credentials_rate_check",
    "decision_content",
    "experiment_review_on_default",
    "healthcheck_summarise",
    "invitation_url",
    "invitee_check",
    "org_invitation_url",
    "meeting_require_planned",
    "reminder_claim",
    "reminder_release",
    "retro_format_get",
    "team_page_path",
    "team_page_url",
    "user_create",  # a new account: no page shows it yet
}


@pytest.fixture
def world() -> World:
    return World()


def test_every_service_is_driven_by_a_freshness_test_or_writes_nothing() -> None:
    assert set(service_functions().values()) == NOT_WRITING | BY_API | set(DIRECT)


def _revealed_retro(w: World, retro: Meeting) -> list[Card]:
    cards = [card_add(meeting=retro, user=u, column="going_well", text=f"From {u.name}") for u in (w.member, w.partner)]
    meeting_reveal(meeting=retro)
    return [Card.objects.select_related("meeting").get(pk=c.pk) for c in cards]


def _revealed_tension(w: World) -> Tension:
    tension = tension_raise(partnership=w.partnership, user=w.member, topic="Scope")
    for user in (w.member, w.partner):
        perspective_write(tension=tension, user=user, important_to_me=f"{user.name} wants it")
    return Tension.objects.get(pk=tension.pk)


def _respond(w: World) -> None:
    check = HealthCheck.objects.get(partnership=w.partnership, status="open")
    ratings = [RatingInput(d.key, 3, 4) for d in check.dimensions.all()]
    healthcheck_respond(check=check, user=w.member, ratings=ratings)


PARTNERSHIP = {"partnership", "org"}
# Writes the pages reach (and the API does not, or not from the example bodies): each with what it moves.
DIRECT: dict[str, tuple[set[str], Any]] = {
    "agenda_item_delete": (PARTNERSHIP, lambda w, r, o: agenda_item_delete(item=o.agenda.get(), user=w.member)),
    "card_update": (PARTNERSHIP, lambda w, r, o: card_update(card=r.cards.get(), user=w.member, text="Edited")),
    "card_delete": (PARTNERSHIP, lambda w, r, o: card_delete(card=r.cards.get(), user=w.member)),
    "card_group": (PARTNERSHIP, lambda w, r, o: _group_then(w, r, lambda g, c: None)),
    "card_ungroup": (PARTNERSHIP, lambda w, r, o: _group_then(w, r, lambda g, c: card_ungroup(card=c))),
    "card_group_rename": (
        PARTNERSHIP,
        lambda w, r, o: _group_then(w, r, lambda g, c: card_group_rename(group=g, title="T")),
    ),
    "vote_add": (PARTNERSHIP, lambda w, r, o: vote_add(card=_revealed_retro(w, r)[0], user=w.member)),
    "vote_remove": (PARTNERSHIP, lambda w, r, o: _vote_then_remove(w, r)),
    "meeting_update": (PARTNERSHIP, lambda w, r, o: meeting_update(meeting=o, notes="Shared notes")),
    "meeting_plan_next": (PARTNERSHIP, lambda w, r, o: _plan_next(w)),
    "retro_format_update": (
        PARTNERSHIP,
        lambda w, r, o: retro_format_update(
            partnership=w.partnership,
            labels={"going_well": "Good", "frustrating": "Hard", "try_next": "Next"},
            votes_per_person=4,
        ),
    ),
    "healthcheck_open": (PARTNERSHIP, lambda w, r, o: _reopen(w)),
    "healthcheck_respond": (PARTNERSHIP, lambda w, r, o: _respond(w)),
    "healthcheck_close": (PARTNERSHIP, lambda w, r, o: _respond_then_close(w)),
    "template_ensure": (PARTNERSHIP, lambda w, r, o: _template_afresh(w)),
    "dimension_add": (
        PARTNERSHIP,
        lambda w, r, o: dimension_add(partnership=w.partnership, title="Trust", description=""),
    ),
    "dimension_update": (PARTNERSHIP, lambda w, r, o: _dimension(w, dimension_update, title="Renamed", description="")),
    "dimension_move": (PARTNERSHIP, lambda w, r, o: _dimension(w, dimension_move, offset=1)),
    "dimension_retire": (PARTNERSHIP, lambda w, r, o: _dimension(w, dimension_retire)),
    "tension_retag": (PARTNERSHIP, lambda w, r, o: tension_retag(tension=_revealed_tension(w), tags=["scope"])),
    "tension_reveal": (PARTNERSHIP, lambda w, r, o: _reveal_after_leaving(w)),
    "guess_rate": (
        PARTNERSHIP,
        lambda w, r, o: guess_rate(
            tension=_revealed_tension(w), user=w.member, of_user_id=w.partner.pk, rating="right"
        ),
    ),
    "perspective_amend": (
        PARTNERSHIP,
        lambda w, r, o: perspective_amend(tension=_revealed_tension(w), user=w.member, text="Changed since"),
    ),
    "tension_resolution_agree": (PARTNERSHIP, lambda w, r, o: _propose_then_agree(w)),
    "tension_resolve": (
        PARTNERSHIP,
        lambda w, r, o: tension_resolve(tension=_revealed_tension(w), user=w.member, resolution="Agreed"),
    ),
    "objective_archive": (
        PARTNERSHIP,
        lambda w, r, o: objective_archive(objective=Objective.objects.get(pk=w.ids["objective"])),
    ),
    "decision_triage": (PARTNERSHIP, lambda w, r, o: _triage(w)),
    "partnership_team_page_regenerate": (
        PARTNERSHIP,
        lambda w, r, o: partnership_team_page_regenerate(partnership=w.partnership),
    ),
    "invitation_revoke": (
        PARTNERSHIP,
        lambda w, r, o: invitation_revoke(partnership=w.partnership, invitation_id=w.ids["invitation"]),
    ),
    "invitation_accept": ({"partnership", "org", "outsider"}, lambda w, r, o: _accept(w)),
    "user_update": ({"member", "partnership", "org"}, lambda w, r, o: user_update(user=w.member, name="Alice Renamed")),
    "user_calendar_secret_regenerate": ({"member"}, lambda w, r, o: user_calendar_secret_regenerate(user=w.member)),
    "org_invitation_create": ({"org"}, lambda w, r, o: org_invitation_create(org=w.org, user=w.coach, role="coach")),
    "org_invitation_accept": ({"org", "outsider"}, lambda w, r, o: _org_accept(w)),
    "org_template_create": ({"org"}, lambda w, r, o: _template(w)),
    "org_access_invitation_create": (
        {"org", "member"},
        lambda w, r, o: org_access_invitation_create(org=w.org, user=w.coach, email=w.member.email),
    ),
    "org_access_invitation_answer": ({"partnership", "org", "member"}, lambda w, r, o: _access_answer(w)),
    "org_template_adopt": (
        PARTNERSHIP,
        lambda w, r, o: org_template_adopt(partnership=w.partnership, template=_template(w)),
    ),
}


def _group_then(w: World, retro: Meeting, then: Any) -> None:
    cards = _revealed_retro(w, retro)
    group = card_group(meeting=cards[0].meeting, card_ids=[c.pk for c in cards])
    then(group, Card.objects.select_related("meeting").get(pk=cards[0].pk))


def _vote_then_remove(w: World, retro: Meeting) -> None:
    card = _revealed_retro(w, retro)[0]
    vote_add(card=card, user=w.member)
    vote_remove(card=card, user=w.member)


def _plan_next(w: World) -> None:
    with partnership_write(w.partnership):  # the test's own setup, watched like any write
        Meeting.objects.filter(partnership=w.partnership, kind="retro", status="planned").update(status="cancelled")
    assert meeting_plan_next(partnership=w.partnership, kind="retro") is not None


def _reopen(w: World) -> None:
    with partnership_write(w.partnership):
        HealthCheck.objects.filter(partnership=w.partnership, status="open").delete()
    healthcheck_open(partnership=w.partnership, user=w.member)


def _respond_then_close(w: World) -> None:
    _respond(w)
    healthcheck_close(check=HealthCheck.objects.get(partnership=w.partnership, status="open"), user=w.member)


def _template_afresh(w: World) -> None:
    with partnership_write(w.partnership):
        Dimension.objects.filter(partnership=w.partnership).delete()
    assert template_ensure(partnership=w.partnership)


def _dimension(w: World, service: Any, **kwargs: Any) -> None:
    first = Dimension.objects.filter(partnership=w.partnership, retired_at__isnull=True).order_by("position").first()
    assert first is not None
    service(partnership=w.partnership, dimension_id=first.pk, **kwargs)


def _reveal_after_leaving(w: World) -> None:
    tension = tension_raise(partnership=w.partnership, user=w.member, topic="Scope")
    perspective_write(tension=tension, user=w.member, important_to_me="Mine")
    with partnership_write(w.partnership):
        Membership.objects.filter(partnership=w.partnership, user=w.partner).delete()  # left without writing
    tension_reveal(tension=tension, user=w.member)


def _propose_then_agree(w: World) -> None:
    tension = _revealed_tension(w)
    tension_resolve(tension=tension, user=w.member, resolution="Agreed")
    tension_resolution_agree(tension=tension, user=w.partner)
    assert Tension.objects.get(pk=tension.pk).status == "resolved"


def _triage(w: World) -> None:
    request = decision_create(
        partnership=w.partnership,
        user=w.member,
        content=DecisionContent(title="Asked", kind="request", requester="Sales"),
    )
    decision_triage(decision=request, triage="accept")


def _accept(w: World) -> None:
    invitation = Invitation.objects.get(pk=w.ids["invitation"])
    invitation_accept(token=invitation.token, user=w.outsider)


def _org_accept(w: World) -> None:
    invitation = org_invitation_create(org=w.org, user=w.coach, role="coach")
    org_invitation_accept(token=invitation.token, user=w.outsider)


def _access_answer(w: World) -> None:
    invitation = org_access_invitation_create(org=w.org, user=w.coach, email=w.member.email)
    org_access_invitation_answer(invitation_id=invitation.pk, partnership=w.partnership, user=w.member, accept=True)


def _template(w: World) -> OrgTemplate:
    return org_template_create(org=w.org, user=w.coach, name="House", dimensions=[{"title": "Trust"}])


def test_every_write_the_pages_reach_moves_the_right_versions(world: World) -> None:
    retro, one_on_one = world.open_meetings()
    agenda_item_add(meeting=one_on_one, user=world.member, text="A point")
    card_add(meeting=retro, user=world.member, column="going_well", text="Blind")
    if not HealthCheck.objects.filter(partnership=world.partnership, status="open").exists():
        healthcheck_open(partnership=world.partnership, user=world.member)
    for name, (expected, call) in DIRECT.items():
        point = transaction.savepoint_create()
        retro_now = Meeting.objects.get(pk=retro.pk)
        versions = Versions(world)
        with watched() as outside, calls() as called:
            call(world, retro_now, Meeting.objects.get(pk=one_on_one.pk))
        moved = versions.moved()
        transaction.savepoint_rollback(point)
        assert name in called, name
        assert not outside, (name, outside)
        assert expected <= moved and not moved & {"other partnership", "neighbour"}, (name, moved, expected)
