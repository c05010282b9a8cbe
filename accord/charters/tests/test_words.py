"""A partnership's proposals are counted from 1; every proposal, the first too, says why; and a
ratified agreement about a ritual's rhythm offers to set that cadence."""

from __future__ import annotations

import pytest
from django.test import Client

from accord.charters.cadence import RITUALS, agreement_days, cadence_offers
from accord.charters.services import CharterContent, charter_propose, charter_revision_ratify
from accord.conftest import login, unchanged
from accord.lib.errors import ValidationError
from accord.partnerships.models import Partnership

pytestmark = pytest.mark.django_db
PATTERN = {field: pattern for field, _, pattern in RITUALS}


def charter(partnership, alice, bob, agreements: list[str]):
    revision = charter_propose(
        partnership=partnership,
        user=alice,
        base=None,
        content=CharterContent(purpose="We lead together.", agreements=agreements),
        rationale="Our first charter",
    )
    charter_revision_ratify(revision=revision, user=alice)
    return charter_revision_ratify(revision=revision, user=bob)


def test_a_partnerships_first_proposal_is_its_proposal_1(partnership, other_partnership, alice, carol):
    content = CharterContent(purpose="Ours")
    theirs = charter_propose(partnership=other_partnership, user=carol, base=None, content=content, rationale="R")
    first = charter_propose(partnership=partnership, user=alice, base=None, content=content, rationale="R")
    second = charter_propose(partnership=partnership, user=alice, base=None, content=content, rationale="R")
    assert (theirs.label, first.label, second.label) == ("Proposal 1", "Proposal 1", "Proposal 2")


def test_the_first_charter_says_why_too(partnership, alice):
    with pytest.raises(ValidationError) as refused:
        charter_propose(partnership=partnership, user=alice, base=None, content=CharterContent(purpose="Ours"))
    assert "Say why you propose this charter" in str(refused.value.message_dict["rationale"])


def test_the_first_proposal_page_asks_for_a_rationale_beside_it(client: Client, partnership, alice):
    login(client, alice)
    data = {"base": "", "purpose": "Typed purpose 4417", "rationale": "", "ratify": "on"}
    with unchanged():
        response = client.post(f"/p/{partnership.pk}/design/propose/", data)
    html = response.content.decode()
    assert response.status_code == 200 and "Typed purpose 4417" in html
    assert "Say why you propose this charter" in html and 'aria-invalid="true"' in html


@pytest.mark.parametrize(
    ("text", "field", "days"),
    [
        ("A 1:1 every 7 days with a shared agenda we both add to.", "one_on_one_days", 7),
        ("A partnership retro every 14 days: going well, frustrating, try next.", "retro_days", 14),
        ("Retros every two weeks", "retro_days", 14),
        ("A monthly health check", "health_check_days", 30),
        ("Weekly 1:1s, in person when we can", "one_on_one_days", 7),
        ("We disagree in private and present one decision.", "one_on_one_days", None),
        ("A partnership retro every 14 days", "one_on_one_days", None),
    ],
)
def test_an_agreement_gives_a_ritual_its_rhythm_in_days(text, field, days):
    assert agreement_days(text, PATTERN[field]) == days


def test_a_ratified_cadence_agreement_offers_to_set_the_cadence(client: Client, partnership, alice, bob):
    current = charter(
        partnership, alice, bob, ["A 1:1 every two weeks", f"A retro every {partnership.retro_days} days"]
    )
    offers = cadence_offers(partnership=partnership, current=current)
    assert [(o.field, o.days) for o in offers] == [("one_on_one_days", 14)]  # the retro agrees already
    login(client, alice)
    html = client.get(f"/p/{partnership.pk}/design/").content.decode()
    assert "You agreed “A 1:1 every two weeks”" in html and "Set 1:1s to every 14 days" in html
    response = client.post(f"/p/{partnership.pk}/design/cadence/", {"field": "one_on_one_days"})
    assert response.status_code == 302
    assert Partnership.objects.get(pk=partnership.pk).one_on_one_days == 14
    assert "Set 1:1s" not in client.get(f"/p/{partnership.pk}/design/").content.decode()


def test_no_offer_without_a_cadence_agreement_or_for_a_setting_it_does_not_name(
    client: Client, partnership, alice, bob
):
    charter(partnership, alice, bob, ["We disagree in private."])
    login(client, alice)
    assert "your settings differ" not in client.get(f"/p/{partnership.pk}/design/").content.decode()
    with unchanged():
        client.post(f"/p/{partnership.pk}/design/cadence/", {"field": "retro_days"})
