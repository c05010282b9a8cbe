"""Found by probing from outside, fixed at the root: values no database can hold are a 422 naming
the field; a field a call cannot set is refused, not ignored; an invitation sent to an address is
for that address's account."""

from __future__ import annotations

import pytest

from accord.alignment.services import DecisionContent, decision_create, decision_sign
from accord.conftest import join, login, unchanged
from accord.orgs.services import org_create, org_invitation_create
from accord.partnerships.models import Membership
from accord.partnerships.services import invitation_create

pytestmark = pytest.mark.django_db
HUGE = 2**63


def names(response, field):
    return response.status_code == 422 and any(field in (e.get("loc") or []) for e in response.json()["detail"])


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        (
            "/partnerships/{pid}/meetings",
            {"kind": "retro", "scheduled_for": "9999-12-31T23:59:59-12:00"},
            "scheduled_for",
        ),
        (
            "/partnerships/{pid}/meetings",
            {"kind": "retro", "scheduled_for": "0001-01-01T00:00:00+14:00"},
            "scheduled_for",
        ),
        ("/partnerships/{pid}/action-items", {"text": "x", "owner_id": HUGE}, "owner_id"),
        ("/partnerships/{pid}/action-items", {"text": "x", "owner_id": 1, "meeting_id": HUGE}, "meeting_id"),
        ("/partnerships/{pid}/action-items", {"text": "x", "owner_id": 1, "due_on": "9999-12-31"}, "due_on"),
        (
            "/partnerships/{pid}/experiments",
            {"hypothesis": "It helps", "success_signal": "We see it", "title": "x", "card_id": HUGE},
            "card_id",
        ),
        ("/partnerships/{pid}/decisions", {"title": "x", "objective_ids": [HUGE]}, "objective_ids"),
        ("/partnerships/{pid}/decisions", {"title": "x", "revisits": HUGE}, "revisits"),
        ("/partnerships/{pid}/journal", {"text": "x", "meeting_id": HUGE}, "meeting_id"),
        (
            "/partnerships/{pid}/objectives",
            {"title": "x", "starts_on": "1000-01-01", "ends_on": "2026-01-01"},
            "starts_on",
        ),
    ],
)
def test_values_out_of_range_are_a_422_naming_the_field(api_client, alice, partnership, path, body, field):
    api = api_client(alice)
    with unchanged():
        response = api.post("/api/v1" + path.format(pid=partnership.pk), body, content_type="application/json")
    assert names(response, field), response.content


def test_a_decision_cannot_be_moved_to_revisit_another(api_client, alice, bob, partnership, other_partnership, carol):
    first = decision_create(partnership=partnership, user=alice, content=DecisionContent(title="First"))
    for user in (alice, bob):
        decision_sign(decision=first, user=user)
    waiting = decision_create(partnership=partnership, user=alice, content=DecisionContent(title="Waiting"))
    theirs = decision_create(partnership=other_partnership, user=carol, content=DecisionContent(title="Theirs"))
    api = api_client(alice)
    for target in (first.pk, theirs.pk):
        with unchanged():
            response = api.put(
                f"/api/v1/decisions/{waiting.pk}",
                {"title": "Waiting", "revisits": target},
                content_type="application/json",
            )
        assert names(response, "revisits"), response.content
    same = api.put(f"/api/v1/decisions/{waiting.pk}", {"title": "Renamed"}, content_type="application/json")
    assert same.status_code == 200 and same.json()["title"] == "Renamed"


def test_an_emailed_invitation_is_for_that_address_only(client, api_client, alice, partnership, charlie, carol):
    invitation = invitation_create(partnership=partnership, invited_by=alice, role="Design", email=carol.email)
    refused = api_client(charlie).post(f"/api/v1/invitations/{invitation.token}/accept")
    assert refused.status_code == 409 and "another email address" in refused.json()["detail"]
    page = login(client, charlie).post(f"/invite/{invitation.token}/", follow=True).content.decode()
    assert "another email address" in page
    assert not Membership.objects.filter(user=charlie).exists()
    assert api_client(carol).post(f"/api/v1/invitations/{invitation.token}/accept").status_code == 200
    assert Membership.objects.filter(user=carol, partnership=partnership).exists()


def test_an_open_link_is_for_whoever_holds_it_and_says_so(client, alice, partnership, charlie):
    invitation = invitation_create(partnership=partnership, invited_by=alice, role="Design")
    html = login(client, charlie).get(f"/invite/{invitation.token}/").content.decode()
    assert "open link" in html
    join(partnership, alice, charlie, "Other")  # any holder may accept it
    assert Membership.objects.filter(user=charlie).exists()


def test_an_emailed_organisation_invitation_is_for_that_address_only(api_client, coach, charlie):
    org = org_create(user=coach, name="Acme")
    invitation = org_invitation_create(org=org, user=coach, email="someone@example.org", role="coach")
    refused = api_client(charlie).post(f"/api/v1/org-invitations/{invitation.token}/accept")
    assert refused.status_code == 409
