from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from accord.conftest import join, make_user, unchanged
from accord.partnerships.models import Invitation, Membership, Partnership, Role

pytestmark = pytest.mark.django_db


def fields(response) -> set[str]:
    return {str(error["loc"][-1]) for error in response.json()["detail"]}


def call(client: Client, method: str, path: str, data: object | None = None):
    kwargs = {"content_type": "application/json"} if data is not None else {}
    return (
        getattr(client, method)(f"/api/v1{path}", data, **kwargs)
        if data is not None
        else getattr(client, method)(f"/api/v1{path}")
    )


class TestCreateAndRead:
    def test_it_creates_a_partnership_with_the_caller_as_member(self, api_client, alice):
        response = call(api_client(alice), "post", "/partnerships", {"name": "Payments", "role": "EM"})
        assert response.status_code == 201
        body = response.json()
        assert body["name"] == "Payments"
        assert body["team"] == ""
        assert body["members"] == [{"user_id": alice.pk, "name": "Alice Martin", "role": "EM"}]
        assert body["cadences"] == {"one_on_one_days": 7, "retro_days": 30, "health_check_days": 90}
        assert body["team_page_published"] is False
        assert body["team_page_url"] is None

    @pytest.mark.parametrize(
        ("payload", "field"),
        [
            ({"name": "", "role": "EM"}, "name"),
            ({"name": "   ", "role": "EM"}, "name"),
            ({"name": "x" * 121, "role": "EM"}, "name"),
            ({"name": "P", "team": "t" * 121, "role": "EM"}, "team"),
            ({"name": "P", "role": "CEO"}, "role"),
            ({"name": "P"}, "role"),
            ({"name": ["P"], "role": "EM"}, "name"),
        ],
    )
    def test_it_refuses_bad_input_naming_the_field(self, api_client, alice, payload, field):
        client = api_client(alice)
        with unchanged():
            response = call(client, "post", "/partnerships", payload)
        assert response.status_code == 422
        assert field in fields(response)

    def test_it_lists_only_the_callers_partnerships(self, api_client, alice, partnership, other_partnership):
        response = call(api_client(alice), "get", "/partnerships")
        assert response.status_code == 200
        assert [p["id"] for p in response.json()] == [partnership.pk]

    def test_it_shows_a_partnership_to_its_members(self, api_client, bob, partnership):
        response = call(api_client(bob), "get", f"/partnerships/{partnership.pk}")
        assert response.status_code == 200
        assert {m["role"] for m in response.json()["members"]} == {"EM", "PM"}

    def test_charlie_gets_404(self, api_client, charlie, partnership):
        response = call(api_client(charlie), "get", f"/partnerships/{partnership.pk}")
        assert response.status_code == 404
        assert response.json() == {"detail": "Not found."}

    def test_a_missing_partnership_looks_the_same_as_a_foreign_one(self, api_client, alice):
        assert call(api_client(alice), "get", "/partnerships/999999").json() == {"detail": "Not found."}


class TestSettings:
    def test_it_changes_settings(self, api_client, bob, partnership):
        response = call(
            api_client(bob),
            "patch",
            f"/partnerships/{partnership.pk}",
            {"name": "Checkout", "team": "Pay", "cadences": {"retro_days": 14}, "timezone": "Europe/Berlin"},
        )
        assert response.status_code == 200
        body = response.json()
        assert (body["name"], body["team"], body["timezone"]) == ("Checkout", "Pay", "Europe/Berlin")
        assert body["cadences"] == {"one_on_one_days": 7, "retro_days": 14, "health_check_days": 90}

    def test_publishing_the_team_page_gives_a_secret_url(self, api_client, alice, partnership, client):
        response = call(api_client(alice), "patch", f"/partnerships/{partnership.pk}", {"team_page_published": True})
        url = response.json()["team_page_url"]
        assert response.json()["team_page_published"] is True
        assert url.startswith("http://testserver/team/")
        assert client.get(url).status_code == 200
        call(api_client(alice), "patch", f"/partnerships/{partnership.pk}", {"team_page_published": False})
        assert client.get(url).status_code == 404

    @pytest.mark.parametrize(
        ("payload", "field"),
        [
            ({"cadences": {"retro_days": 0}}, "retro_days"),
            ({"cadences": {"one_on_one_days": 366}}, "one_on_one_days"),
            ({"cadences": {"health_check_days": "often"}}, "health_check_days"),
            ({"name": ""}, "name"),
            ({"timezone": "Mars/Olympus"}, "timezone"),
            ({"team_page_published": "maybe"}, "team_page_published"),
        ],
    )
    def test_it_refuses_bad_settings_and_changes_nothing(self, api_client, alice, partnership, payload, field):
        client = api_client(alice)
        with unchanged():
            response = call(client, "patch", f"/partnerships/{partnership.pk}", payload)
        assert response.status_code == 422
        assert field in fields(response)

    def test_charlie_cannot_change_settings(self, api_client, charlie, partnership):
        client = api_client(charlie)
        with unchanged():
            response = call(client, "patch", f"/partnerships/{partnership.pk}", {"name": "Mine"})
        assert response.status_code == 404


class TestInvitations:
    def test_it_creates_a_link_and_the_invitee_joins(self, api_client, alice, carol):
        pid = call(api_client(alice), "post", "/partnerships", {"name": "Growth", "role": "EM"}).json()["id"]
        response = call(api_client(alice), "post", f"/partnerships/{pid}/invitations", {"role": "PM"})
        assert response.status_code == 201
        body = response.json()
        assert body["url"] == f"http://testserver/invite/{body['token']}/"
        assert not mail.outbox
        accepted = call(api_client(carol), "post", f"/invitations/{body['token']}/accept", {})
        assert accepted.status_code == 200
        assert {(m["name"], m["role"]) for m in accepted.json()["members"]} == {
            ("Alice Martin", "EM"),
            ("Carol Jensen", "PM"),
        }

    def test_it_emails_the_link_when_given_an_address(self, api_client, alice, partnership):
        response = call(
            api_client(alice),
            "post",
            f"/partnerships/{partnership.pk}/invitations",
            {"email": "Dana@Example.org", "role": "Design"},
        )
        assert response.status_code == 201
        assert len(mail.outbox) == 1
        assert mail.outbox[0].to == ["dana@example.org"]
        assert response.json()["url"] in mail.outbox[0].body

    @pytest.mark.parametrize(
        ("payload", "field"),
        [({"email": "nope", "role": "PM"}, "email"), ({"role": "Boss"}, "role"), ({"email": 3, "role": "PM"}, "email")],
    )
    def test_it_refuses_bad_invitations(self, api_client, alice, partnership, payload, field):
        client = api_client(alice)
        with unchanged():
            response = call(client, "post", f"/partnerships/{partnership.pk}/invitations", payload)
        assert response.status_code == 422
        assert field in fields(response)
        assert not mail.outbox

    def test_charlie_cannot_invite(self, api_client, charlie, partnership):
        client = api_client(charlie)
        with unchanged():
            response = call(client, "post", f"/partnerships/{partnership.pk}/invitations", {"role": "PM"})
        assert response.status_code == 404

    def test_a_used_link_is_404(self, api_client, alice, carol, charlie, other_partnership):
        token = call(api_client(carol), "post", f"/partnerships/{other_partnership.pk}/invitations", {"role": "EM"})
        token = token.json()["token"]
        assert call(api_client(alice), "post", f"/invitations/{token}/accept", {}).status_code == 200
        client = api_client(charlie)
        with unchanged():
            assert call(client, "post", f"/invitations/{token}/accept", {}).status_code == 404

    def test_unknown_and_expired_links_are_404(self, api_client, alice, carol, other_partnership):
        invitation = Invitation.objects.create(
            partnership=other_partnership,
            token="expired-token",
            role=Role.EM,
            invited_by=carol,
            expires_at=timezone.now() - timedelta(minutes=1),
        )
        client = api_client(alice)
        with unchanged():
            assert call(client, "post", f"/invitations/{invitation.token}/accept", {}).status_code == 404
            assert call(client, "post", "/invitations/no-such-token/accept", {}).status_code == 404

    def test_a_member_accepting_again_keeps_the_link_for_someone_else(self, api_client, alice, bob, partnership):
        invitation = Invitation.objects.create(
            partnership=partnership,
            token="for-someone",
            role=Role.DESIGN,
            invited_by=alice,
            expires_at=timezone.now() + timedelta(days=1),
        )
        assert call(api_client(bob), "post", f"/invitations/{invitation.token}/accept", {}).status_code == 200
        invitation.refresh_from_db()
        assert invitation.accepted_at is None

    def test_a_partnership_has_at_most_four_members(self, api_client, alice, partnership):
        join(partnership, alice, make_user("dee@example.org", "Dee"), Role.DESIGN)
        invitation = call(api_client(alice), "post", f"/partnerships/{partnership.pk}/invitations", {"role": "Other"})
        join_token = invitation.json()["token"]
        join(partnership, alice, make_user("eve@example.org", "Eve"), Role.OTHER)
        client = api_client(make_user("fay@example.org", "Fay"))
        with unchanged():
            response = call(client, "post", f"/invitations/{join_token}/accept", {})
        assert response.status_code == 409
        full = call(api_client(alice), "post", f"/partnerships/{partnership.pk}/invitations", {"role": "Other"})
        assert full.status_code == 409


class TestLeave:
    def test_a_member_leaves_and_the_partner_keeps_it(self, api_client, bob, partnership):
        response = call(api_client(bob), "post", f"/partnerships/{partnership.pk}/leave", {})
        assert response.status_code == 200
        assert response.json() == {"partnership_deleted": False}
        assert Partnership.objects.filter(pk=partnership.pk).exists()
        assert not Membership.objects.filter(partnership=partnership, user=bob).exists()

    def test_the_last_member_must_confirm_and_then_it_is_deleted(self, api_client, carol, other_partnership):
        client = api_client(carol)
        with unchanged():
            refused = call(client, "post", f"/partnerships/{other_partnership.pk}/leave", {})
        assert refused.status_code == 409
        assert "last member" in refused.json()["detail"]
        response = call(client, "post", f"/partnerships/{other_partnership.pk}/leave", {"confirm_delete": True})
        assert response.json() == {"partnership_deleted": True}
        assert not Partnership.objects.filter(pk=other_partnership.pk).exists()

    def test_charlie_cannot_leave_what_he_is_not_in(self, api_client, charlie, partnership):
        client = api_client(charlie)
        with unchanged():
            response = call(client, "post", f"/partnerships/{partnership.pk}/leave", {"confirm_delete": True})
        assert response.status_code == 404


@pytest.mark.parametrize(
    ("method", "path", "data"),
    [
        ("get", "/partnerships", None),
        ("post", "/partnerships", {"name": "X", "role": "EM"}),
        ("get", "/partnerships/{pid}", None),
        ("patch", "/partnerships/{pid}", {"name": "X"}),
        ("post", "/partnerships/{pid}/invitations", {"role": "PM"}),
        ("post", "/partnerships/{pid}/leave", {}),
        ("post", "/invitations/some-token/accept", {}),
    ],
)
def test_anonymous_callers_get_401_and_change_nothing(client, partnership, method, path, data):
    with unchanged():
        response = call(client, method, path.format(pid=partnership.pk), data)
    assert response.status_code == 401
    assert response.json()["detail"]
