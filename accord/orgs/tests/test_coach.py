"""A coach's home: landing on the portfolio, a partnership's figures page, named nudges, and
partnerships granting access by answering the organisation's request or choosing it from a list."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.apps import apps
from django.core import mail
from django.db import models
from django.db.models import CharField, F, Value
from django.db.models.functions import Cast, Concat
from django.utils.timezone import now

from accord.accounts.models import User
from accord.assessments.models import HealthCheck
from accord.assessments.services import RatingInput, healthcheck_open, healthcheck_respond, template_ensure
from accord.conftest import login, make_user, unchanged
from accord.demo.seed import seed
from accord.orgs.models import OrgAccess, OrgAccessInvitation, Organisation, OrgMembership
from accord.orgs.services import org_access_invitation_create, org_access_set, org_create, org_template_create
from accord.partnerships.models import Partnership
from accord.rituals.services import meeting_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def org(coach):
    return org_create(user=coach, name="Product & Engineering")


def grant_all(partnership, org, users):
    for user in users:
        org_access_set(partnership=partnership, user=user, org_id=org.pk, grant=True)


def answer_check(partnership, users, today):
    check = healthcheck_open(partnership=partnership, user=users[0])
    for user in users:
        healthcheck_respond(
            check=check, user=user, ratings=[RatingInput(d.key, today, 5) for d in check.dimensions.all()]
        )
    return check


class TestLanding:
    def test_a_coach_without_a_partnership_lands_on_the_portfolio(self, client, org, coach):
        assert login(client, coach).get("/")["Location"] == f"/orgs/{org.pk}/"

    def test_a_coach_of_several_organisations_sees_their_portfolios_not_onboarding(self, client, org, coach):
        other = org_create(user=coach, name="Platform group")
        html = login(client, coach).get("/").content.decode()
        assert f'href="/orgs/{org.pk}/"' in html and f'href="/orgs/{other.pk}/"' in html
        assert "Your portfolios" in html
        assert "Create your partnership" not in html and "Invite your partner" not in html

    def test_a_partner_who_coaches_sees_both(self, client, org, coach, alice, partnership):
        OrgMembership.objects.create(organisation=org, user=alice, role="coach")
        client = login(client, alice)
        client.get(f"/p/{partnership.pk}/")  # the partnership she last worked in
        html = client.get("/").content.decode()
        assert f'href="/p/{partnership.pk}/"' in html and f'href="/orgs/{org.pk}/"' in html

    def test_a_partner_who_does_not_coach_still_lands_on_their_partnership(self, client, alice, partnership):
        assert login(client, alice).get("/")["Location"] == f"/p/{partnership.pk}/"


class TestFiguresPage:
    def test_a_row_opens_the_figures_of_a_partnership_that_granted_access(
        self, client, org, coach, alice, bob, partnership
    ):
        answer_check(partnership, [alice, bob], 2)
        answer_check(partnership, [alice, bob], 4)
        grant_all(partnership, org, [alice, bob])
        login(client, coach)
        assert (
            f'href="/orgs/{org.pk}/partnerships/{partnership.pk}/"' in client.get(f"/orgs/{org.pk}/").content.decode()
        )
        html = client.get(f"/orgs/{org.pk}/partnerships/{partnership.pk}/").content.decode()
        assert "Each dimension over time" in html and "Trust and candour" in html
        assert html.count("chart--line") == 1 + 8  # the health score, then one per dimension
        assert "Now 4, target 5" in html, re.findall(r"Now [^<]*", html)[:2]

    def test_everyone_else_gets_404(
        self, client, org, coach, charlie, alice, bob, carol, partnership, other_partnership
    ):
        grant_all(partnership, org, [alice])  # one of two partners: not shared yet
        grant_all(other_partnership, org, [carol])
        stranger_org = org_create(user=charlie, name="Elsewhere")
        grant_all(other_partnership, stranger_org, [carol])
        login(client, coach)
        with unchanged():
            assert client.get(f"/orgs/{org.pk}/partnerships/{partnership.pk}/").status_code == 404
            assert client.get(f"/orgs/{org.pk}/partnerships/{other_partnership.pk}/").status_code == 200
            assert client.get(f"/orgs/{org.pk}/partnerships/999999/").status_code == 404
            # a member of another organisation that the partnership shares with, under ours
            login(client, charlie)
            assert client.get(f"/orgs/{org.pk}/partnerships/{other_partnership.pk}/").status_code == 404
            assert client.get(f"/orgs/{stranger_org.pk}/partnerships/{partnership.pk}/").status_code == 404
            # a partner of the partnership is not the organisation
            login(client, carol)
            assert client.get(f"/orgs/{org.pk}/partnerships/{other_partnership.pk}/").status_code == 404
        client.logout()
        assert client.get(f"/orgs/{org.pk}/partnerships/{other_partnership.pk}/")["Location"].startswith(
            "/accounts/login/"
        )

    def test_a_revocation_hides_the_page_again(self, client, org, coach, carol, other_partnership):
        grant_all(other_partnership, org, [carol])
        org_access_set(partnership=other_partnership, user=carol, org_id=org.pk, grant=False)
        assert login(client, coach).get(f"/orgs/{org.pk}/partnerships/{other_partnership.pk}/").status_code == 404


def _marked(value: Any, marker: str) -> Any:
    """Every string inside a JSON value replaced by a marker."""
    if isinstance(value, str):
        return marker
    if isinstance(value, list):
        return [_marked(v, marker) for v in value]
    if isinstance(value, dict):
        return {k: _marked(v, marker) for k, v in value.items()}
    return value


def _mark_every_text(partnership: Partnership) -> int:
    """Every free-text field of every row of every partner app, made a distinctive `LEAK...` string:
    text fields, and the strings inside JSON ones (the summaries' copies of dimension titles too).
    The partnership's name stays (the portfolio names it); its time zone must stay a zone."""
    marked = 0
    for label in ("partnerships", "assessments", "charters", "rituals", "tensions", "alignment"):
        for model in apps.get_app_config(label).get_models():
            for field in model._meta.get_fields():
                if not isinstance(field, models.Field) or field.choices or isinstance(field, models.SlugField):
                    continue
                if model is Partnership and field.name != "team":
                    continue
                if isinstance(field, models.JSONField):
                    for row in model._default_manager.exclude(**{f"{field.name}__isnull": True}):
                        setattr(row, field.name, _marked(getattr(row, field.name), f"LEAK{model.__name__}"))
                        row.save(update_fields=[field.name])
                        marked += 1
                elif isinstance(field, models.CharField | models.TextField) and not field.name.endswith(
                    ("token", "secret", "email", "timezone")
                ):
                    marker = Concat(Value("LEAK"), Cast(F("pk"), CharField()))  # unique per row
                    marked += model._default_manager.exclude(**{field.name: ""}).update(**{field.name: marker})
    return marked


def test_no_partner_text_reaches_a_coach(client, api_client):
    seed(partnerships=1, years=1, password="pw-123456789")
    partnership = Partnership.objects.get()
    org = Organisation.objects.get(name="Seed Org")
    coach = User.objects.get(email="coach@seed.example")
    marked = _mark_every_text(partnership)
    assert marked > 100  # a year of everything was marked
    assert HealthCheck.objects.filter(partnership=partnership, summary__icontains="LEAK").exists()
    login(client, coach)
    pages = {
        "/": client.get("/", follow=True),
        "portfolio": client.get(f"/orgs/{org.pk}/"),
        "figures": client.get(f"/orgs/{org.pk}/partnerships/{partnership.pk}/"),
        "api": api_client(coach).get(f"/api/v1/orgs/{org.pk}/portfolio"),
    }
    for name, response in pages.items():
        assert response.status_code == 200, name
        assert "LEAK" not in response.content.decode(), name
    figures = pages["figures"].content.decode()
    assert "Their own dimension 1" in figures  # the marked titles are numbered, not shown
    assert "chart--line" in figures and "Sessions held of those planned" in figures


class TestNamedNudges:
    def test_each_nudge_is_named_with_its_figures(self, client, api_client, org, coach, alice, bob, partnership):
        meeting_create(partnership=partnership, user=alice, kind="retro", scheduled_for=now() - timedelta(days=12))
        check = healthcheck_open(partnership=partnership, user=alice, at=now() - timedelta(days=9))
        healthcheck_respond(check=check, user=alice, ratings=[RatingInput(d.key, 3, 4) for d in check.dimensions.all()])
        grant_all(partnership, org, [alice, bob])
        login(client, coach)
        for path in (f"/orgs/{org.pk}/", f"/orgs/{org.pk}/partnerships/{partnership.pk}/"):
            html = client.get(path).content.decode()
            assert "Retro overdue 12 days" in html, path
            assert "Health check open 9 days, 1 of 2 answered" in html, path
        row = api_client(coach).get(f"/api/v1/orgs/{org.pk}/portfolio").json()[0]
        assert row["nudges"] == len(row["nudge_names"]) == 2

    def test_a_partnerships_own_dimension_is_not_named_but_the_organisations_is(
        self, org, coach, alice, bob, partnership
    ):
        from accord.orgs.figures import coach_figures_get

        org_template_create(org=org, user=coach, name="House", dimensions=[{"title": "Roadmap clarity"}])
        template_ensure(partnership=partnership)
        partnership.dimensions.filter(key="trust-candour").update(title="Our secret about Dana")
        partnership.dimensions.filter(key="shared-goals").update(title="Roadmap clarity")
        answer_check(partnership, [alice, bob], 3)
        grant_all(partnership, org, [alice, bob])
        labels = [d.label for d in coach_figures_get(org=org, pid=partnership.pk).dimensions]
        assert "Roadmap clarity" in labels and "Their own dimension 1" in labels
        assert not any("Dana" in label for label in labels)


class TestGrantingAccess:
    def test_a_partner_accepts_the_organisations_request_and_the_other_grants_from_the_list(
        self, client, org, coach, alice, bob, partnership
    ):
        login(client, coach).post(f"/orgs/{org.pk}/access-invitations/", {"email": "ALICE@example.org"})
        assert mail.outbox[-1].to == ["alice@example.org"] and "Never what you write" in mail.outbox[-1].body
        login(client, alice)
        assert "Product &amp; Engineering</strong> asks to see" in client.get("/").content.decode()
        page = client.get(f"/p/{partnership.pk}/coach-access/").content.decode()
        assert "Accept for Checkout leads" in page and 'type="number"' not in page
        assert "organisation number" not in page.lower()
        request = OrgAccessInvitation.objects.get()
        client.post(f"/p/{partnership.pk}/coach-access/answer/", {"request": request.pk, "answer": "accept"})
        assert OrgAccess.objects.filter(user=alice, partnership=partnership, organisation=org).exists()
        login(client, bob)
        assert "Grant my consent" in client.get(f"/p/{partnership.pk}/coach-access/").content.decode()
        client.post(f"/p/{partnership.pk}/coach-access/grant/", {"org_id": org.pk})
        assert login(client, coach).get(f"/orgs/{org.pk}/partnerships/{partnership.pk}/").status_code == 200

    def test_declining_closes_the_request_and_shares_nothing(self, client, org, coach, alice, partnership):
        request = org_access_invitation_create(org=org, user=coach, email=alice.email)
        login(client, alice).post(f"/p/{partnership.pk}/coach-access/answer/", {"request": request.pk, "answer": "no"})
        request.refresh_from_db()
        assert request.answered_at is not None and not request.accepted
        assert not OrgAccess.objects.exists()
        assert "asks to see" not in client.get(f"/p/{partnership.pk}/coach-access/").content.decode()

    def test_only_the_invited_partner_answers(self, client, org, coach, alice, bob, partnership):
        request = org_access_invitation_create(org=org, user=coach, email=alice.email)
        with unchanged():
            response = login(client, bob).post(
                f"/p/{partnership.pk}/coach-access/answer/", {"request": request.pk, "answer": "accept"}
            )
        assert response.status_code == 404

    def test_an_organisation_not_on_the_list_cannot_be_granted(self, client, org, alice, partnership):
        with unchanged():
            response = login(client, alice).post(f"/p/{partnership.pk}/coach-access/grant/", {"org_id": org.pk})
        assert response.status_code == 200 and "Choose an organisation from the list." in response.content.decode()

    def test_an_organisation_one_belongs_to_is_on_the_list(self, client, org, alice, partnership):
        OrgMembership.objects.create(organisation=org, user=alice, role="coach")
        page = login(client, alice).get(f"/p/{partnership.pk}/coach-access/").content.decode()
        assert f'<option value="{org.pk}">Product &amp; Engineering</option>' in page

    def test_asking_needs_an_address_and_membership(self, client, org, coach, charlie):
        with unchanged():
            refused = login(client, coach).post(f"/orgs/{org.pk}/access-invitations/", {"email": "not an address"})
            assert (
                'aria-invalid="true"' in refused.content.decode()
                and 'value="not an address"' in refused.content.decode()
            )
            outsider = login(client, charlie).post(f"/orgs/{org.pk}/access-invitations/", {"email": "a@b.example"})
            assert outsider.status_code == 404

    def test_asking_twice_renews_the_request(self, org, coach, alice):
        make_user("dana@example.org", "Dana")
        first = org_access_invitation_create(org=org, user=coach, email="dana@example.org")
        again = org_access_invitation_create(org=org, user=coach, email="Dana@example.org")
        assert first.pk == again.pk and OrgAccessInvitation.objects.count() == 1
