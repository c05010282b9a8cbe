"""Every page a member can open, for the checks that look at all of them (the phone-width crawl,
the HTML validator): the routes come from the URL resolver (`page_routes`), sorted into reads and
forms by `test_page_forms`, filled in with the authorization matrix's world of one of everything."""

from __future__ import annotations

from django.test import Client

from accord.accounts.models import User
from accord.charters.models import CharterRevision
from accord.core.tests.test_authorization_matrix import World, fill, page_routes
from accord.core.tests.test_page_forms import FORMS, READS
from accord.orgs.services import org_invitation_create
from accord.partnerships.models import Invitation
from accord.partnerships.services import partnership_update

# What anyone opens before logging in, and the page for an address that leads nowhere (404).
PUBLIC_PAGES = ["/", "/accounts/login/", "/accounts/signup/", "/accounts/password/reset/"]
MISSING_PAGE = "/no-such-page/"


def member_pages(world: World) -> list[tuple[User, str]]:
    """Every page (a read, or a form's own page) that answers HTML, with who opens it: the
    partnership's member, or for an organisation's pages the coach who runs it. Feeds, exports and
    a form's address that leads back to its page are left out by what they answer, not by name."""
    partnership = partnership_update(partnership=world.partnership, team_page_published=True)
    invitation = Invitation.objects.get(pk=world.ids["invitation"])
    ids = {
        **world.ids,
        "team_page_secret": partnership.team_page_secret,
        "invitation_token": invitation.token,
        "org_invitation_token": org_invitation_create(org=world.org, user=world.coach, role="coach").token,
    }
    # The same page drawn for another kind of object: a 1:1 beside the retro, an open health check
    # beside the answered ones; and the query a page needs (two revisions to compare).
    retro, one_on_one = world.open_meetings()
    open_ids = world.open_ids(retro, one_on_one)
    variants = [ids, {**ids, "meeting": one_on_one.pk}, {**ids, "check": open_ids["check"]}]
    revisions = CharterRevision.objects.filter(partnership=partnership).order_by("pk").values_list("pk", flat=True)
    queries = {"p/<int:pid>/design/compare/": f"?a={revisions[0]}&b={revisions[1]}"}
    clients = {}
    for user in (world.member, world.coach):
        clients[user] = Client()
        clients[user].force_login(user)
    pages = []
    for route in page_routes():
        if route not in READS and route not in FORMS:
            continue
        user = world.coach if route.startswith("orgs/<") else world.member
        for path in dict.fromkeys("/" + fill(route, v) + queries.get(route, "") for v in variants):
            response = clients[user].get(path)
            if response.status_code == 200 and response.content[:300].lower().find(b"<!doctype html>") >= 0:
                pages.append((user, path))
    assert len(pages) > 30, pages
    return pages
