from __future__ import annotations

import pytest
from django.core import mail

from accord.accounts.models import ApiToken, User
from accord.accounts.services import api_token_create
from accord.conftest import PASSWORD, login, unchanged

pytestmark = pytest.mark.django_db


def test_it_sends_visitors_to_log_in(client):
    response = client.get("/account/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_it_shows_the_account(client, alice):
    response = login(client, alice).get("/account/")
    assert response.status_code == 200
    assert b"alice@example.org" in response.content
    assert alice.calendar_secret.encode() in response.content


def test_it_saves_the_name(client, alice):
    response = login(client, alice).post("/account/", {"name": "Alice M."})
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.name == "Alice M."


def test_it_keeps_what_was_typed_when_the_name_is_too_long(client, alice):
    typed = "A" * 151
    response = login(client, alice).post("/account/", {"name": typed})
    assert response.status_code == 200
    assert typed.encode() in response.content
    assert b"at most 150 characters" in response.content
    alice.refresh_from_db()
    assert alice.name == "Alice Martin"


def test_it_escapes_markup_in_a_name(client, alice):
    login(client, alice).post("/account/", {"name": "<img src=x onerror=alert(1)>"})
    response = client.get("/account/")
    assert b"<img src=x" not in response.content
    assert b"&lt;img src=x onerror=alert(1)&gt;" in response.content


def test_it_creates_a_token_and_shows_it_once(client, alice):
    login(client, alice)
    response = client.post("/account/tokens/", {"name": "laptop"})
    assert response.status_code == 200
    token = ApiToken.objects.get(user=alice)
    assert token.name == "laptop"
    html = response.content.decode()
    assert f'value="{token.prefix}' in html
    again = client.get("/account/").content.decode()
    assert f'value="{token.prefix}' not in again
    assert f"{token.prefix}…" in again


def test_it_answers_htmx_with_the_tokens_fragment(client, alice):
    response = login(client, alice).post("/account/tokens/", {"name": "ci"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert b'id="tokens"' in response.content
    assert b"<html" not in response.content


def test_it_refuses_a_nameless_token(client, alice):
    response = login(client, alice).post("/account/tokens/", {"name": ""})
    assert response.status_code == 200
    assert b"This field is required" in response.content
    assert not ApiToken.objects.exists()


def test_it_revokes_a_token(client, alice):
    token, _ = api_token_create(user=alice, name="old")
    response = login(client, alice).post(f"/account/tokens/{token.pk}/revoke/")
    assert response.status_code == 302
    assert not ApiToken.objects.exists()


def test_charlie_cannot_revoke_alices_token(client, alice, charlie):
    token, _ = api_token_create(user=alice, name="old")
    login(client, charlie)
    with unchanged():
        response = client.post(f"/account/tokens/{token.pk}/revoke/")
    assert response.status_code == 404


def test_regenerating_the_calendar_link_revokes_the_old_one(client, alice):
    old = alice.calendar_secret
    response = login(client, alice).post("/account/calendar/regenerate/")
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.calendar_secret != old
    assert client.get(f"/api/v1/calendar/{old}.ics").status_code == 404
    assert client.get(f"/api/v1/calendar/{alice.calendar_secret}.ics").status_code == 200


@pytest.mark.parametrize("path", ["/account/tokens/", "/account/calendar/regenerate/", "/account/tokens/1/revoke/"])
def test_visitors_cannot_post(client, path):
    response = client.post(path)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


class TestAllauthPages:
    def test_it_signs_up_with_a_name(self, client):
        response = client.post(
            "/accounts/signup/", {"name": "Dana Lee", "email": "dana@example.org", "password1": PASSWORD}
        )
        assert response.status_code == 302
        user = User.objects.get(email="dana@example.org")
        assert user.name == "Dana Lee"

    def test_it_keeps_what_was_typed_on_a_weak_password(self, client):
        response = client.post("/accounts/signup/", {"name": "Dana Lee", "email": "dana@example.org", "password1": "1"})
        assert response.status_code == 200
        assert b"dana@example.org" in response.content
        assert b"Dana Lee" in response.content
        assert not User.objects.exists()

    def test_it_logs_in_and_out(self, client, alice):
        response = client.post("/accounts/login/", {"login": "alice@example.org", "password": PASSWORD})
        assert response.status_code == 302
        assert client.get("/account/").status_code == 200
        client.post("/accounts/logout/")
        assert client.get("/account/").status_code == 302

    def test_it_emails_a_password_reset_link(self, client, alice):
        response = client.post("/accounts/password/reset/", {"email": "alice@example.org"})
        assert response.status_code == 302
        assert len(mail.outbox) == 1
        assert mail.outbox[0].to == ["alice@example.org"]
        assert "/accounts/password/reset/key/" in mail.outbox[0].body
