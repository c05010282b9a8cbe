from __future__ import annotations

import pytest
from django.test import Client

from accord.accounts.models import ApiToken, AuthFailure, User
from accord.conftest import PASSWORD, unchanged

pytestmark = pytest.mark.django_db


def post(client: Client, path: str, data: object):
    return client.post(f"/api/v1{path}", data, content_type="application/json")


def fields(response) -> set[str]:
    return {str(error["loc"][-1]) for error in response.json()["detail"]}


class TestSignup:
    def test_it_creates_an_account(self, client):
        response = post(client, "/auth/signup", {"email": "Dana@Example.org", "password": PASSWORD, "name": "Dana"})
        assert response.status_code == 201
        body = response.json()
        assert body == {"id": body["id"], "email": "dana@example.org", "name": "Dana"}
        assert User.objects.get(pk=body["id"]).check_password(PASSWORD)

    def test_it_refuses_a_duplicate_email_whatever_its_case(self, client, alice):
        with unchanged():
            response = post(client, "/auth/signup", {"email": "ALICE@example.org", "password": PASSWORD, "name": "A"})
        assert response.status_code == 409
        assert "already exists" in response.json()["detail"]

    @pytest.mark.parametrize(
        ("payload", "field"),
        [
            ({"email": "not-an-email", "password": PASSWORD, "name": "Dana"}, "email"),
            ({"email": "", "password": PASSWORD, "name": "Dana"}, "email"),
            ({"email": "dana@example.org", "password": "12345678", "name": "Dana"}, "password"),
            ({"email": "dana@example.org", "password": "short", "name": "Dana"}, "password"),
            ({"email": "dana@example.org", "password": PASSWORD, "name": "   "}, "name"),
            ({"email": "dana@example.org", "password": PASSWORD, "name": "x" * 151}, "name"),
            ({"email": "dana@example.org", "password": PASSWORD, "name": 5}, "name"),
            ({"email": "dana@example.org", "password": PASSWORD}, "name"),
            ({"email": "dana@example.org", "password": PASSWORD, "name": "a\x00b"}, "name"),
        ],
    )
    def test_it_names_the_bad_field_and_saves_nothing(self, client, payload, field):
        response = post(client, "/auth/signup", payload)
        assert response.status_code == 422
        assert field in fields(response)
        assert not User.objects.exists()

    def test_it_keeps_markup_in_a_name_as_plain_text(self, client):
        name = '<script>alert("x")</script>'
        response = post(client, "/auth/signup", {"email": "dana@example.org", "password": PASSWORD, "name": name})
        assert response.status_code == 201
        assert response.json()["name"] == name

    def test_it_answers_malformed_json_with_422(self, client):
        response = client.post("/api/v1/auth/signup", "{not json", content_type="application/json")
        assert response.status_code in (400, 422)
        assert "detail" in response.json()


class TestToken:
    def test_it_exchanges_credentials_for_a_working_token(self, client, alice):
        response = post(client, "/auth/token", {"email": "alice@example.org", "password": PASSWORD})
        assert response.status_code == 200
        token = response.json()["token"]
        me = Client(headers={"Authorization": f"Bearer {token}"}).get("/api/v1/me")
        assert me.status_code == 200
        assert me.json()["email"] == "alice@example.org"

    def test_it_stores_only_a_digest(self, client, alice):
        token = post(client, "/auth/token", {"email": "alice@example.org", "password": PASSWORD}).json()["token"]
        stored = ApiToken.objects.get(user=alice)
        assert token not in {stored.digest, stored.prefix}
        assert token.startswith(stored.prefix)

    def test_it_refuses_wrong_credentials_with_401(self, client, alice):
        response = post(client, "/auth/token", {"email": "alice@example.org", "password": "wrong"})
        assert response.status_code == 401
        assert response.json()["detail"]
        assert not ApiToken.objects.exists()

    def test_it_refuses_unknown_accounts_like_wrong_passwords(self, client):
        response = post(client, "/auth/token", {"email": "nobody@example.org", "password": "wrong"})
        assert response.status_code == 401

    def test_it_answers_429_after_repeated_failures_even_with_the_right_password(self, client, alice, settings):
        for _ in range(settings.ACCORD_TOKEN_FAILURE_LIMIT):
            assert post(client, "/auth/token", {"email": "alice@example.org", "password": "x"}).status_code == 401
        response = post(client, "/auth/token", {"email": "alice@example.org", "password": PASSWORD})
        assert response.status_code == 429
        assert response["Retry-After"]
        assert not ApiToken.objects.exists()

    def test_it_limits_guessing_across_accounts_from_one_address(self, client, alice, settings):
        for i in range(4 * settings.ACCORD_TOKEN_FAILURE_LIMIT):
            post(client, "/auth/token", {"email": f"guess{i}@example.org", "password": "x"})
        response = post(client, "/auth/token", {"email": "alice@example.org", "password": PASSWORD})
        assert response.status_code == 429

    def test_a_success_clears_the_accounts_failures(self, client, alice, settings):
        for _ in range(settings.ACCORD_TOKEN_FAILURE_LIMIT - 1):
            post(client, "/auth/token", {"email": "alice@example.org", "password": "x"})
        assert post(client, "/auth/token", {"email": "alice@example.org", "password": PASSWORD}).status_code == 200
        assert not AuthFailure.objects.filter(email="alice@example.org").exists()


class TestMe:
    def test_it_returns_the_caller_with_a_calendar_url(self, api_client, alice):
        response = api_client(alice).get("/api/v1/me")
        assert response.status_code == 200
        body = response.json()
        assert body["id"] == alice.pk
        assert body["name"] == "Alice Martin"
        assert body["calendar_url"].endswith(f"/api/v1/calendar/{alice.calendar_secret}.ics")

    @pytest.mark.parametrize("header", [None, "Bearer", "Bearer nope", "Bearer acc_nope", "Token abc"])
    def test_it_answers_401_without_a_valid_token(self, alice, header):
        client = Client(headers={"Authorization": header} if header else {})
        response = client.get("/api/v1/me")
        assert response.status_code == 401
        assert response.json()["detail"]

    def test_a_revoked_token_stops_working(self, alice):
        from accord.accounts.services import api_token_create, api_token_revoke

        token, raw = api_token_create(user=alice, name="script")
        client = Client(headers={"Authorization": f"Bearer {raw}"})
        assert client.get("/api/v1/me").status_code == 200
        api_token_revoke(user=alice, token_id=token.pk)
        assert client.get("/api/v1/me").status_code == 401

    def test_a_deactivated_users_token_stops_working(self, api_client, alice):
        client = api_client(alice)
        User.objects.filter(pk=alice.pk).update(is_active=False)
        assert client.get("/api/v1/me").status_code == 401


class TestCalendarFeed:
    def test_it_serves_a_valid_icalendar_document(self, client, alice):
        response = client.get(f"/api/v1/calendar/{alice.calendar_secret}.ics")
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/calendar")
        body = response.content.decode()
        assert body.startswith("BEGIN:VCALENDAR")
        assert "VERSION:2.0" in body

    def test_an_unknown_secret_is_404(self, client, alice):
        assert client.get("/api/v1/calendar/not-a-secret.ics").status_code == 404
