from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils.timezone import now

from accord.assessments.services import RatingInput, healthcheck_open, healthcheck_respond, template_ensure
from accord.conftest import login, make_user, unchanged
from accord.lib.tasks import tasks_held
from accord.orgs.models import OrgAccess, OrgMembership
from accord.orgs.selectors import portfolio_get
from accord.orgs.services import org_access_set, org_create, org_template_create
from accord.partnerships.services import partnership_create
from accord.rituals.models import ActionItem
from accord.rituals.services import card_add, meeting_create, meeting_reveal
from accord.tensions.services import journal_write, perspective_write, tension_raise

pytestmark = pytest.mark.django_db
SECRET = "PARTNER-WORDS-NEVER-IN-PORTFOLIO"


def post(client, path, body=None):
    return client.post(f"/api/v1{path}", body or {}, content_type="application/json")


@pytest.fixture
def org(coach):
    return org_create(user=coach, name="Product & Engineering")


def grant_all(partnership, org, users):
    for user in users:
        org_access_set(partnership=partnership, user=user, org_id=org.pk, grant=True)


class TestApi:
    def test_create_invite_and_accept(self, api_client, coach, charlie):
        created = post(api_client(coach), "/orgs", {"name": "Tribe"})
        assert created.status_code == 201 and created.json()["role"] == "admin"
        oid = created.json()["id"]
        invitation = post(api_client(coach), f"/orgs/{oid}/invitations", {"role": "coach"})
        assert invitation.status_code == 201
        body = invitation.json()
        assert body["url"].endswith(f"/org-invite/{body['token']}/")
        charlie_client = api_client(charlie)
        joined = post(charlie_client, f"/org-invitations/{body['token']}/accept")
        assert joined.json() == {"id": oid, "name": "Tribe", "role": "coach"}
        with unchanged():
            assert post(charlie_client, f"/orgs/{oid}/invitations", {"role": "admin"}).status_code == 403

    def test_outsiders_get_404(self, api_client, org, charlie, alice):
        client = api_client(charlie)
        with unchanged():
            assert post(client, f"/orgs/{org.pk}/invitations", {"role": "coach"}).status_code == 404
            assert client.get(f"/api/v1/orgs/{org.pk}/portfolio").status_code == 404

    def test_a_partnership_appears_only_when_every_member_grants(self, api_client, org, coach, alice, bob, partnership):
        portfolio_url = f"/api/v1/orgs/{org.pk}/portfolio"
        first = post(
            api_client(alice), f"/partnerships/{partnership.pk}/org-access", {"org_id": org.pk, "grant": True}
        ).json()
        assert (first["granted"], first["visible"], first["granted_by"]) == (True, False, [alice.pk])
        assert api_client(coach).get(portfolio_url).json() == []
        both = post(
            api_client(bob), f"/partnerships/{partnership.pk}/org-access", {"org_id": org.pk, "grant": True}
        ).json()
        assert both["visible"] is True
        rows = api_client(coach).get(portfolio_url).json()
        assert [r["partnership_id"] for r in rows] == [partnership.pk]
        assert set(rows[0]) == {
            "partnership_id",
            "name",
            "health_score",
            "health_trend",
            "last_retro_on",
            "open_tensions",
            "overdue_items",
            "nudges",
            "nudge_names",
        }
        revoked = post(
            api_client(bob), f"/partnerships/{partnership.pk}/org-access", {"org_id": org.pk, "grant": False}
        ).json()
        assert revoked["visible"] is False
        assert api_client(coach).get(portfolio_url).json() == []

    def test_a_third_member_must_grant_too(self, api_client, org, coach, alice, bob, partnership):
        from accord.conftest import join

        grant_all(partnership, org, [alice, bob])
        join(partnership, alice, make_user("dee@example.org", "Dee"), "Design")
        assert api_client(coach).get(f"/api/v1/orgs/{org.pk}/portfolio").json() == []

    def test_unknown_org_is_422_and_outsiders_cannot_grant(self, api_client, alice, charlie, partnership, org):
        client, outsider = api_client(alice), api_client(charlie)
        with unchanged():
            bad = post(client, f"/partnerships/{partnership.pk}/org-access", {"org_id": 999999, "grant": True})
        assert bad.status_code == 422
        with unchanged():
            assert (
                post(
                    outsider, f"/partnerships/{partnership.pk}/org-access", {"org_id": org.pk, "grant": True}
                ).status_code
                == 404
            )


def test_the_portfolio_holds_figures_never_partner_text(client, api_client, org, coach, alice, bob, partnership):
    journal_write(partnership=partnership, user=alice, text=SECRET)
    journal_write(partnership=partnership, user=bob, text=SECRET, visibility="shared")
    tension = tension_raise(partnership=partnership, user=alice, topic=SECRET, tags=[SECRET[:40]])
    for user in (alice, bob):
        perspective_write(tension=tension, user=user, important_to_me=SECRET, why=SECRET)
    retro = meeting_create(partnership=partnership, user=alice, kind="retro", scheduled_for=now() - timedelta(days=2))
    card_add(meeting=retro, user=alice, column="frustrating", text=SECRET)
    meeting_reveal(meeting=retro)
    check = healthcheck_open(partnership=partnership, user=alice)
    for user in (alice, bob):
        healthcheck_respond(
            check=check, user=user, ratings=[RatingInput(d.key, 3, 4, note=SECRET) for d in check.dimensions.all()]
        )
    ActionItem.objects.create(
        partnership=partnership, text=SECRET, owner=alice, due_on=now().date() - timedelta(days=1)
    )
    grant_all(partnership, org, [alice, bob])
    api = api_client(coach).get(f"/api/v1/orgs/{org.pk}/portfolio")
    page = login(client, coach).get(f"/orgs/{org.pk}/")
    for text in (api.content.decode(), page.content.decode()):
        assert SECRET not in text
        assert "Checkout leads" in text
    row = api.json()[0]
    assert (row["health_score"], row["open_tensions"], row["overdue_items"]) == (3.0, 1, 1)
    assert row["nudges"] >= 1


def test_sorting_puts_who_needs_support_first(org, coach, alice, bob, carol, partnership, other_partnership):
    for p, users, score in ((partnership, [alice, bob], 4), (other_partnership, [carol], 2)):
        c = healthcheck_open(partnership=p, user=users[0])
        for user in users:
            healthcheck_respond(check=c, user=user, ratings=[RatingInput(d.key, score, 5) for d in c.dimensions.all()])
        grant_all(p, org, users)
    assert [r.name for r in portfolio_get(org=org)] == ["Search leads", "Checkout leads"]
    assert [r.name for r in portfolio_get(org=org, sort="name")] == ["Checkout leads", "Search leads"]


def _many(count, org, start):
    with tasks_held():
        _many_held(count, org, start)


def _many_held(count, org, start):
    for i in range(start, start + count):
        em, pm = make_user(f"em{i}@p.example", f"EM {i}"), make_user(f"pm{i}@p.example", f"PM {i}")
        p = partnership_create(user=em, name=f"P{i}", role="EM")
        from accord.conftest import join

        join(p, em, pm, "PM")
        c = healthcheck_open(partnership=p, user=em)
        for user in (em, pm):
            healthcheck_respond(check=c, user=user, ratings=[RatingInput(d.key, 3, 4) for d in c.dimensions.all()])
        ActionItem.objects.create(partnership=p, text="x", owner=em, due_on=now().date() - timedelta(days=2))
        grant_all(p, org, [em, pm])


def test_the_portfolio_costs_the_same_at_50_and_100(client, api_client, org, coach, django_assert_max_num_queries):
    _many(50, org, 0)
    login(client, coach)
    with django_assert_max_num_queries(20) as at_50:
        assert len(api_client(coach).get(f"/api/v1/orgs/{org.pk}/portfolio").json()) == 50
    with django_assert_max_num_queries(24) as page_50:
        client.get(f"/orgs/{org.pk}/")
    _many(50, org, 50)
    with django_assert_max_num_queries(len(at_50.captured_queries)):
        assert len(api_client(coach).get(f"/api/v1/orgs/{org.pk}/portfolio?limit=200").json()) == 100
    with django_assert_max_num_queries(len(page_50.captured_queries)):
        html = client.get(f"/orgs/{org.pk}/").content.decode()
    assert html.count('<th scope="row">') == 50 and "Portfolio (100)" in html and "1–50 of 100" in html


def test_the_portfolio_is_sorted_over_every_partnership_then_paged(client, api_client, org, coach):
    _many(60, org, 0)
    api = api_client(coach)
    everyone = api.get(f"/api/v1/orgs/{org.pk}/portfolio?sort=name&limit=200").json()
    names = [r["name"] for r in everyone]
    assert len(names) == 60 and names == sorted(names, key=str.lower)
    first = [r["name"] for r in api.get(f"/api/v1/orgs/{org.pk}/portfolio?sort=name").json()]
    rest = [r["name"] for r in api.get(f"/api/v1/orgs/{org.pk}/portfolio?sort=name&offset=50").json()]
    assert first == names[:50] and rest == names[50:]
    for bad in ("limit=0", "limit=201", "offset=-1", "limit=ten"):
        response = api.get(f"/api/v1/orgs/{org.pk}/portfolio?{bad}")
        assert response.status_code == 422 and bad.split("=")[0] in str(response.json()["detail"])
    login(client, coach)
    second = client.get(f"/orgs/{org.pk}/?sort=name&page=2").content.decode()
    assert "51–60 of 60" in second and 'rel="prev"' in second and 'rel="next"' not in second
    assert all(f">{name}</a>" in second for name in names[50:]) and f">{names[0]}</a>" not in second
    for odd in ("0", "99", "two", ""):  # a page out of range or not a number: the nearest page, never an error
        assert client.get(f"/orgs/{org.pk}/?page={odd}").status_code == 200


class TestPages:
    def test_pages_and_outsiders(self, client, org, coach, charlie, alice, partnership):
        login(client, coach)
        for path in ("/orgs/", f"/orgs/{org.pk}/"):
            assert client.get(path).status_code == 200
        login(client, charlie)
        with unchanged():
            assert client.get(f"/orgs/{org.pk}/").status_code == 404
            assert client.post(f"/orgs/{org.pk}/invite/", {"role": "coach"}).status_code == 404
            assert client.post(f"/orgs/{org.pk}/templates/", {"name": "x", "dimensions": "a"}).status_code == 404
            assert client.get(f"/p/{partnership.pk}/coach-access/").status_code == 404
        client.logout()
        assert client.get(f"/orgs/{org.pk}/")["Location"].startswith("/accounts/login/")

    def test_granting_from_the_partnership_page(self, client, org, alice, partnership):
        OrgMembership.objects.create(organisation=org, user=alice, role="coach")
        login(client, alice).post(f"/p/{partnership.pk}/coach-access/grant/", {"org_id": org.pk})
        assert OrgAccess.objects.filter(user=alice).exists()
        assert b"Waiting for every partner" in client.get(f"/p/{partnership.pk}/coach-access/").content

    def test_a_coach_joins_by_link(self, client, org, coach, charlie):
        login(client, coach).post(f"/orgs/{org.pk}/invite/", {"role": "coach"})
        token = org.invitations.get().token
        login(client, charlie)
        client.post(f"/org-invite/{token}/")
        assert OrgMembership.objects.get(user=charlie).role == "coach"

    def test_a_partnership_adopts_an_org_template(self, client, org, coach, alice, bob, partnership):
        org_template_create(
            org=org,
            user=coach,
            name="Tribe template",
            dimensions=[{"title": "Trust"}, {"title": "Pace", "description": "1: slow 5: fast"}],
        )
        grant_all(partnership, org, [alice, bob])
        template_ensure(partnership=partnership)
        login(client, alice)
        template = org.templates.get()
        client.post(f"/p/{partnership.pk}/coach-access/templates/adopt/", {"template": template.pk})
        assert [d.title for d in template_ensure(partnership=partnership)] == ["Trust", "Pace"]
        check = healthcheck_open(partnership=partnership, user=alice)
        assert [d.key for d in check.dimensions.all()] == ["trust", "pace"]


def test_the_portfolio_reads_one_stored_row_per_partnership(api_client, org, coach, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _many(10, org, 0)
    with CaptureQueriesContext(connection) as at_10:
        assert len(api_client(coach).get(f"/api/v1/orgs/{org.pk}/portfolio").json()) == 10
    read = [q["sql"] for q in at_10.captured_queries]
    assert not [q for q in read if "rituals_actionitem" in q or "assessments_healthcheck" in q]  # nothing computed
    _many(90, org, 10)
    with django_assert_max_num_queries(len(read)):
        assert len(api_client(coach).get(f"/api/v1/orgs/{org.pk}/portfolio?limit=200").json()) == 100
