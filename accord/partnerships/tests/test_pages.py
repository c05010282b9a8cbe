from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from accord.conftest import join, login, make_user, unchanged
from accord.lib.tasks import tasks_held
from accord.partnerships.models import Invitation, Membership, Partnership, Role
from accord.partnerships.services import invitation_create, partnership_create, partnership_update

pytestmark = pytest.mark.django_db

MEMBER_PAGES = ["/p/{pid}/", "/p/{pid}/settings/", "/p/{pid}/leave/"]
MEMBER_POSTS = [
    (
        "/p/{pid}/settings/",
        {"name": "Taken", "timezone": "UTC", "one_on_one_days": 7, "retro_days": 30, "health_check_days": 90},
    ),
    ("/p/{pid}/invitations/", {"role": "PM"}),
    ("/p/{pid}/team-page/regenerate/", {}),
    ("/p/{pid}/leave/", {"confirm_delete": "on"}),
]


@pytest.mark.parametrize("path", MEMBER_PAGES)
def test_members_see_the_page(client, alice, partnership, path):
    response = login(client, alice).get(path.format(pid=partnership.pk))
    assert response.status_code == 200
    assert b"Checkout leads" in response.content


@pytest.mark.parametrize("path", MEMBER_PAGES)
def test_charlie_gets_404_on_every_page(client, charlie, partnership, path):
    login(client, charlie)
    with unchanged():
        assert client.get(path.format(pid=partnership.pk)).status_code == 404


@pytest.mark.parametrize(("path", "data"), MEMBER_POSTS)
def test_charlie_gets_404_on_every_form_and_nothing_changes(client, charlie, partnership, path, data):
    login(client, charlie)
    with unchanged():
        assert client.post(path.format(pid=partnership.pk), data).status_code == 404


@pytest.mark.parametrize("path", [*MEMBER_PAGES, "/p/new/"])
def test_visitors_are_sent_to_log_in(client, partnership, path):
    response = client.get(path.format(pid=partnership.pk))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


@pytest.mark.parametrize(("path", "data"), MEMBER_POSTS)
def test_visitors_cannot_post_and_nothing_changes(client, partnership, path, data):
    with unchanged():
        response = client.post(path.format(pid=partnership.pk), data)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


class TestCreate:
    def test_it_creates_a_partnership_and_opens_it(self, client, charlie):
        response = login(client, charlie).post("/p/new/", {"name": "Platform", "team": "Infra", "role": "PM"})
        partnership = Partnership.objects.get(name="Platform")
        assert response["Location"] == f"/p/{partnership.pk}/"
        assert Membership.objects.get(partnership=partnership).role == "PM"

    def test_it_keeps_what_was_typed_and_names_the_field(self, client, charlie):
        response = login(client, charlie).post("/p/new/", {"name": "", "team": "Infra <b>crew</b>", "role": "PM"})
        assert response.status_code == 200
        html = response.content.decode()
        assert "This field is required" in html
        assert 'value="Infra &lt;b&gt;crew&lt;/b&gt;"' in html
        assert not Partnership.objects.exists()

    def test_it_escapes_markup_in_names_everywhere(self, client, charlie):
        login(client, charlie).post("/p/new/", {"name": "<script>alert(1)</script>", "role": "EM"})
        partnership = Partnership.objects.get()
        for path in (f"/p/{partnership.pk}/", f"/p/{partnership.pk}/settings/", "/"):
            html = client.get(path, follow=True).content.decode()
            assert "<script>alert(1)</script>" not in html
            assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


class TestSettings:
    def form(self, **overrides):
        data = {
            "name": "Checkout",
            "team": "Pay",
            "timezone": "Europe/Berlin",
            "one_on_one_days": 14,
            "retro_days": 28,
            "health_check_days": 60,
        }
        return {**data, **overrides}

    def test_it_saves_settings(self, client, bob, partnership):
        response = login(client, bob).post(f"/p/{partnership.pk}/settings/", self.form())
        assert response.status_code == 302
        partnership.refresh_from_db()
        assert (partnership.name, partnership.timezone, partnership.retro_days) == ("Checkout", "Europe/Berlin", 28)
        assert not partnership.team_page_published

    def test_it_keeps_input_and_names_the_field_on_a_bad_cadence(self, client, bob, partnership):
        login(client, bob)
        with unchanged():
            response = client.post(f"/p/{partnership.pk}/settings/", self.form(retro_days=0, name="Renamed"))
        html = response.content.decode()
        assert response.status_code == 200
        assert 'value="Renamed"' in html
        assert "greater than or equal to 1" in html

    def test_publishing_shows_the_link_and_regenerating_revokes_it(self, client, alice, partnership):
        login(client, alice).post(f"/p/{partnership.pk}/settings/", self.form(team_page_published="on"))
        partnership.refresh_from_db()
        old = partnership.team_page_secret
        assert old
        assert f"/team/{old}/".encode() in client.get(f"/p/{partnership.pk}/settings/").content
        client.post(f"/p/{partnership.pk}/team-page/regenerate/")
        partnership.refresh_from_db()
        assert partnership.team_page_secret not in (None, old)
        assert client.get(f"/team/{old}/").status_code == 404
        assert client.get(f"/team/{partnership.team_page_secret}/").status_code == 200


class TestTeamPage:
    def test_it_is_public_once_published_and_404_after(self, client, partnership):
        partnership_update(partnership=partnership, team_page_published=True)
        secret = partnership.team_page_secret
        for path in (f"/team/{secret}/", f"/api/v1/team/{secret}"):
            response = client.get(path)
            assert response.status_code == 200
            assert b"Alice Martin" in response.content
        partnership_update(partnership=partnership, team_page_published=False)
        assert client.get(f"/team/{secret}/").status_code == 404
        assert client.get(f"/api/v1/team/{secret}").status_code == 404

    def test_it_offers_no_links_into_the_partnership(self, client, alice, partnership):
        partnership_update(partnership=partnership, team_page_published=True)
        html = login(client, alice).get(f"/team/{partnership.team_page_secret}/").content.decode()
        assert f'href="/p/{partnership.pk}/settings/"' not in html
        assert 'aria-label="Checkout leads sections"' not in html


class TestInvitations:
    def test_it_creates_an_invitation_link(self, client, alice, partnership):
        response = login(client, alice).post(f"/p/{partnership.pk}/invitations/", {"role": "Design"})
        assert response.status_code == 302
        invitation = Invitation.objects.get(role="Design")
        page = client.get(f"/p/{partnership.pk}/").content.decode()
        assert f"http://testserver/invite/{invitation.token}/" in page

    def test_htmx_gets_the_fragment_with_errors_and_what_was_typed(self, client, alice, partnership):
        response = login(client, alice).post(
            f"/p/{partnership.pk}/invitations/", {"email": "not-an-email", "role": "PM"}, headers={"HX-Request": "true"}
        )
        assert (response.status_code, response["Accord-Refused"]) == (200, "422")
        html = response.content.decode()
        assert '<section class="card" id="invitations"' in html
        assert 'value="not-an-email"' in html
        assert "valid email" in html
        assert "<html" not in html
        assert not Invitation.objects.filter(accepted_at__isnull=True).exists()

    def test_an_emailed_invitation_reaches_the_inbox(self, client, alice, partnership):
        login(client, alice).post(f"/p/{partnership.pk}/invitations/", {"email": "dee@example.org", "role": "PM"})
        assert mail.outbox[0].to == ["dee@example.org"]
        assert "Alice Martin invites you to Checkout leads" in mail.outbox[0].subject

    def test_it_revokes_a_pending_invitation(self, client, alice, partnership):
        invitation = invitation_create(partnership=partnership, invited_by=alice, role=Role.PM)
        login(client, alice).post(f"/p/{partnership.pk}/invitations/{invitation.pk}/revoke/")
        assert not Invitation.objects.filter(pk=invitation.pk).exists()
        assert client.get(f"/invite/{invitation.token}/").status_code == 404

    def test_carol_cannot_revoke_alices_invitation_through_her_own_partnership(
        self, client, alice, carol, partnership, other_partnership
    ):
        invitation = invitation_create(partnership=partnership, invited_by=alice, role=Role.PM)
        login(client, carol)
        with unchanged():
            response = client.post(f"/p/{other_partnership.pk}/invitations/{invitation.pk}/revoke/")
        assert response.status_code == 404

    def test_a_visitor_sees_who_invites_them_and_can_sign_up(self, client, alice, partnership):
        invitation = invitation_create(partnership=partnership, invited_by=alice, role=Role.PM)
        response = client.get(f"/invite/{invitation.token}/")
        assert response.status_code == 200
        html = response.content.decode()
        assert "Alice Martin invites you" in html
        assert f"/accounts/signup/?next=/invite/{invitation.token}/" in html

    def test_a_visitor_posting_is_sent_to_log_in(self, client, alice, partnership):
        invitation = invitation_create(partnership=partnership, invited_by=alice, role=Role.PM)
        with unchanged():
            response = client.post(f"/invite/{invitation.token}/")
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")

    def test_accepting_joins_and_opens_the_partnership(self, client, alice, charlie, partnership):
        invitation = invitation_create(partnership=partnership, invited_by=alice, role=Role.DESIGN)
        response = login(client, charlie).post(f"/invite/{invitation.token}/")
        assert response["Location"] == f"/p/{partnership.pk}/"
        assert Membership.objects.get(partnership=partnership, user=charlie).role == "Design"
        assert client.get(f"/invite/{invitation.token}/").status_code == 404

    def test_an_expired_link_is_404(self, client, alice, charlie, partnership):
        invitation = invitation_create(partnership=partnership, invited_by=alice, role=Role.PM)
        Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
        login(client, charlie)
        with unchanged():
            assert client.post(f"/invite/{invitation.token}/").status_code == 404

    def test_a_full_partnership_says_so(self, client, alice, partnership):
        join(partnership, alice, make_user("dee@example.org", "Dee"), Role.DESIGN)
        invitation = invitation_create(partnership=partnership, invited_by=alice, role=Role.OTHER)
        join(partnership, alice, make_user("eve@example.org", "Eve"), Role.OTHER)
        login(client, make_user("fay@example.org", "Fay"))
        with unchanged():
            response = client.post(f"/invite/{invitation.token}/", follow=True)
        assert b"already has 4 members" in response.content


class TestLeave:
    def test_a_member_leaves(self, client, bob, partnership):
        response = login(client, bob).post(f"/p/{partnership.pk}/leave/")
        assert response["Location"] == "/"
        assert not Membership.objects.filter(user=bob).exists()
        assert client.get(f"/p/{partnership.pk}/").status_code == 404

    def test_the_last_member_must_confirm(self, client, carol, other_partnership):
        login(client, carol)
        with unchanged():
            response = client.post(f"/p/{other_partnership.pk}/leave/")
        assert response.status_code == 200
        assert b"last member" in response.content
        page = client.get(f"/p/{other_partnership.pk}/leave/").content.decode()
        assert 'type="checkbox"' not in page  # asked once, by this page: no tick to ask again
        assert 'name="confirm_delete" value="on"' in page and "Delete and leave" in page
        client.post(f"/p/{other_partnership.pk}/leave/", {"confirm_delete": "on"})
        assert not Partnership.objects.filter(pk=other_partnership.pk).exists()


class TestNavigation:
    def test_the_switcher_lists_every_partnership_of_the_user(self, client, alice, partnership):
        second = partnership_create(user=alice, name="Growth leads", role=Role.EM)
        html = login(client, alice).get(f"/p/{partnership.pk}/").content.decode()
        assert f'href="/p/{second.pk}/"' in html
        assert f'href="/p/{partnership.pk}/" aria-current="page"' in html

    def test_pages_do_not_grow_queries_with_data(self, client, alice, django_assert_max_num_queries):
        with tasks_held():
            for i in range(30):
                p = partnership_create(user=alice, name=f"Partnership {i}", role=Role.EM)
                for j in range(2):
                    join(p, alice, make_user(f"u{i}-{j}@example.org", f"U {i}-{j}"), Role.OTHER)
                invitation_create(partnership=p, invited_by=alice, role=Role.PM)
        login(client, alice)
        with django_assert_max_num_queries(12):
            assert client.get(f"/p/{p.pk}/").status_code == 200
        with django_assert_max_num_queries(12):
            assert client.get(f"/p/{p.pk}/settings/").status_code == 200
        client.logout()
        login(client, alice)  # a fresh session: home lists every partnership
        with django_assert_max_num_queries(8):
            response = client.get("/")
        assert response.status_code == 200
        assert response.content.count(b'<li class="card">') == 30
