from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from accord.accounts.models import User
from accord.conftest import login
from accord.demo.loader import DEMO_PASSWORD
from accord.partnerships.models import Membership, Partnership

pytestmark = pytest.mark.django_db
ACCORD = Path(__file__).resolve().parents[2]


class TestHome:
    def test_visitors_see_what_accord_is(self, client):
        response = client.get("/")
        assert response.status_code == 200
        assert b"Start your partnership" in response.content

    def test_a_new_user_is_invited_to_create_a_partnership(self, client, charlie):
        response = login(client, charlie).get("/")
        assert response.status_code == 200
        assert b'href="/p/new/"' in response.content
        assert b"Create your partnership" in response.content

    def test_a_member_of_one_partnership_goes_straight_to_it(self, client, alice, partnership):
        response = login(client, alice).get("/")
        assert response["Location"] == f"/p/{partnership.pk}/"

    def test_a_user_sees_invitations_addressed_to_them(self, client, alice, charlie, partnership):
        from accord.partnerships.services import invitation_create

        invitation = invitation_create(
            partnership=partnership, invited_by=alice, role="Other", email="charlie@example.org"
        )
        response = login(client, charlie).get("/")
        assert f"/invite/{invitation.token}/".encode() in response.content


def test_healthz_answers_ok(client, django_assert_num_queries):
    with django_assert_num_queries(1):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"


class TestApiDocs:
    def test_the_openapi_document_lists_the_contract(self, client):
        doc = client.get("/api/v1/openapi.json").json()
        for path in (
            "/api/v1/auth/signup",
            "/api/v1/auth/token",
            "/api/v1/me",
            "/api/v1/partnerships",
            "/api/v1/partnerships/{pid}",
            "/api/v1/partnerships/{pid}/invitations",
            "/api/v1/invitations/{token}/accept",
        ):
            assert path in doc["paths"], path

    def test_the_docs_page_loads_everything_from_this_server(self, client):
        response = client.get("/api/v1/docs")
        assert response.status_code == 200
        html = response.content.decode()
        sources = re.findall(r'(?:src|href)="([^"]+)"', html)
        assert sources
        assert all(s.startswith("/static/") for s in sources), sources
        for source in sources:
            assert client.get(source).status_code == 200, source

    @pytest.mark.parametrize(
        ("method", "path", "status"),
        [("get", "/api/v1/no-such-thing", 404), ("delete", "/api/v1/partnerships", 405)],
    )
    def test_errors_outside_the_endpoints_are_json_too(self, client, method, path, status):
        response = getattr(client, method)(path)
        assert response.status_code == status
        assert response["Content-Type"] == "application/json"
        assert response.json()["detail"]

    def test_api_errors_are_json_with_detail(self, client):
        response = client.get("/api/v1/partnerships/1")
        assert response.status_code == 401
        assert set(json.loads(response.content)) == {"detail"}


class TestCommands:
    def test_demo_loads_alice_and_bob_once(self, capsys):
        call_command("demo")
        call_command("demo")
        out = capsys.readouterr().out
        assert "alice@example.com" in out
        assert DEMO_PASSWORD in out
        assert Partnership.objects.count() == 1
        partnership = Partnership.objects.get()
        roles = dict(Membership.objects.filter(partnership=partnership).values_list("user__email", "role"))
        assert roles == {"alice@example.com": "EM", "bob@example.com": "PM"}
        assert User.objects.get(email="bob@example.com").check_password(DEMO_PASSWORD)

    def test_createuser_creates_an_account(self):
        call_command("createuser", email="dee@example.org", name="Dee", password="a long passphrase here")
        assert User.objects.get(email="dee@example.org").name == "Dee"

    def test_createuser_explains_what_is_wrong(self):
        with pytest.raises(CommandError, match="password"):
            call_command("createuser", email="dee@example.org", name="Dee", password="123")
        with pytest.raises(CommandError, match="email"):
            call_command("createuser", email="dee", name="Dee", password="a long passphrase here")
        assert not User.objects.exists()


class TestArchitecture:
    def test_only_services_and_selectors_touch_the_orm(self):
        """One way in: views, API endpoints and commands call services and selectors."""
        offenders = []
        for path in ACCORD.rglob("*.py"):
            if "tests" in path.parts or "migrations" in path.parts:
                continue
            interface = path.name in {"api.py", "forms.py", "context_processors.py"} or path.name.startswith("views")
            if (interface or "commands" in path.parts) and ".objects." in path.read_text():
                offenders.append(str(path.relative_to(ACCORD)))
        assert offenders == []


def test_the_markup_audit_catches_what_would_execute():
    from accord.conftest import assert_no_executable_markup

    assert_no_executable_markup('<p title="onerror=x">&lt;script&gt;</p><script src="/static/a.js"></script>')
    for bad in ("<script>alert(1)</script>", '<img src=x onerror="a()">', '<a href=" JavaScript:x">', "<iframe>"):
        with pytest.raises(AssertionError):
            assert_no_executable_markup(bad)
