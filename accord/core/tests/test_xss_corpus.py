"""Hostile markup in every text field the API takes, then every page, the team page, the quarterly
review, the export and every email rendered: no executable markup survives anywhere."""

from __future__ import annotations

import itertools
import json
from typing import Any

import pytest
from django.core import mail
from django.test import Client

from accord.accounts.services import api_token_create
from accord.api import api
from accord.conftest import assert_no_executable_markup, login
from accord.core.tests.test_authorization_matrix import PUBLIC_PAGES, World, example, fill, operations, page_routes
from accord.partnerships.services import partnership_update

pytestmark = pytest.mark.django_db

PAYLOADS = [
    "<script>alert(1)</script>",
    '"><script>alert(1)</script>',
    "'><img src=x onerror=alert(1)>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)><script>alert(2)</script></svg>",
    '<a href="javascript:alert(1)">link</a>',
    '<a href="jav&#x09;ascript:alert(1)">tab</a>',
    "[markdown link](javascript:alert(1))",
    "![image](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "<iframe src=https://evil.example></iframe>",
    '<object data="data:text/html,<script>alert(1)</script>"></object>',
    '<form action="javascript:alert(1)"><button formaction="javascript:alert(2)">go</button></form>',
    "<details open ontoggle=alert(1)>",
    '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "<<script>script>alert(1)<</script>/script>",
    '<div style="background:url(javascript:alert(1))">styled</div>',
    "</textarea><script>alert(1)</script>",
    "</title><script>alert(1)</script>",
    "{{ 7*7 }}{% csrf_token %}",
]


def test_no_payload_survives_anywhere(settings: Any) -> None:
    world = World()
    settings.ALLOWED_HOSTS = ["testserver"]
    corpus = itertools.cycle(PAYLOADS)
    token = api_token_create(user=world.member, name="xss")[1]
    partner_token = api_token_create(user=world.partner, name="xss")[1]
    components = api.get_openapi_schema().get("components", {}).get("schemas", {})
    retro, one_on_one = world.open_meetings()
    open_ids = world.open_ids(retro, one_on_one)
    known = {"owner_id": world.member.pk, "org_id": world.org.pk, "of_user_id": world.partner.pk}
    accepted = tried = 0
    refused: list[str] = []
    for method, route, op in operations():
        body_schema = op.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema")
        if method not in ("POST", "PUT", "PATCH") or not body_schema or route.startswith("/api/v1/auth/"):
            continue
        if route.endswith(("/leave", "/close", "/complete")):
            continue  # would end the partnership, the check or the meeting the rest of the test uses
        for meeting in (retro, one_on_one) if "{mid}" in route and "/meetings/" in route else (None,):
            ids = {**open_ids, "meeting": meeting.pk} if meeting else open_ids
            for who in (token, partner_token):
                body = example(body_schema, components, text=lambda: next(corpus), full=True, known=known)
                response = Client(headers={"Authorization": f"Bearer {who}"}).generic(
                    method, fill(route, ids), json.dumps(body), content_type="application/json"
                )
                assert response.status_code < 500, (method, route, response.content[:300])
                tried += 1
                accepted += response.status_code < 300
                if response.status_code >= 300:
                    detail = str(response.json().get("detail"))[-150:]
                    refused.append(f"{response.status_code} {method} {route} {detail}")
    # Names are shown everywhere: the people and the partnership carry payloads too.
    for user, payload in zip((world.member, world.partner), PAYLOADS, strict=False):
        user.name = payload
        user.save()
    partnership_update(partnership=world.partnership, name=PAYLOADS[3], team=PAYLOADS[4], team_page_published=True)
    assert accepted > 40, f"only {accepted} of {tried} writes were accepted: {refused}"

    client = login(Client(), world.member)
    rendered = 0
    for route in page_routes():
        if route in PUBLIC_PAGES or route.startswith(("orgs/", "account/tokens/", "invite", "org-invite")):
            continue
        path = "/" + fill(route, world.ids)
        response = client.get(path)
        if response.status_code == 200 and "html" in response["Content-Type"]:
            assert_no_executable_markup(response.content.decode())
            rendered += 1
    world.partnership.refresh_from_db()
    team = Client().get(f"/team/{world.partnership.team_page_secret}/")
    assert team.status_code == 200
    assert_no_executable_markup(team.content.decode())
    for quarter in ("2026-Q4", "2026-Q3"):
        review = client.get(f"/p/{world.partnership.pk}/review/?quarter={quarter}")
        assert_no_executable_markup(review.content.decode())
    coach = login(Client(), world.coach)
    assert_no_executable_markup(coach.get(f"/orgs/{world.org.pk}/").content.decode())
    for message in mail.outbox:
        for body, kind in getattr(message, "alternatives", []):
            if "html" in kind:
                assert_no_executable_markup(str(body))
    print(
        f"\nXSS corpus: {len(PAYLOADS)} payloads over {tried} API writes ({accepted} stored), "
        f"{rendered} pages, the team page, 2 reviews, the portfolio and {len(mail.outbox)} emails rendered"
    )
    assert rendered > 30
