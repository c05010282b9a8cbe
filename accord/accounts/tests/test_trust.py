"""Accounts under attack: a second factor (TOTP with recovery codes) on pages and API, brute force
refused per account and per address, sessions rotated on login and ended by a password change."""

import pytest
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
    yield_hotp_counters_from_time,
)
from django.test import Client

from accord.conftest import PASSWORD, login

TOKEN = "/api/v1/auth/token"


def current_code(secret: str) -> str:
    counters = list(yield_hotp_counters_from_time())
    return str(format_hotp_value(hotp_value(secret, counters[len(counters) // 2])))


@pytest.fixture
def secret(alice) -> str:
    secret = str(generate_totp_secret())
    TOTP.activate(alice, secret)
    return secret


def test_login_asks_for_the_second_factor(secret, alice, partnership):
    client = Client()
    response = client.post("/accounts/login/", {"login": alice.email, "password": PASSWORD})
    assert response.status_code == 302 and response["Location"].startswith("/accounts/2fa/authenticate")
    assert client.get(f"/p/{partnership.pk}/").status_code == 302  # not in yet
    wrong = client.post("/accounts/2fa/authenticate/", {"code": "000000"})
    assert wrong.status_code == 200 and b"code" in wrong.content.lower()
    assert client.post("/accounts/2fa/authenticate/", {"code": current_code(secret)}).status_code == 302
    assert client.get(f"/p/{partnership.pk}/").status_code == 200


def test_api_tokens_need_the_second_factor_too(secret, alice):
    client = Client()
    body = {"email": alice.email, "password": PASSWORD}
    response = client.post(TOKEN, body, content_type="application/json")
    assert response.status_code == 401 and "two-factor" in response.json()["detail"]
    assert client.post(TOKEN, {**body, "code": "123456"}, content_type="application/json").status_code == 401
    response = client.post(TOKEN, {**body, "code": current_code(secret)}, content_type="application/json")
    assert response.status_code == 200 and response.json()["token"]


def test_a_recovery_code_works_once(alice):
    codes = RecoveryCodes.activate(alice).generate_codes()
    TOTP.activate(alice, generate_totp_secret())
    client = Client()
    body = {"email": alice.email, "password": PASSWORD, "code": codes[0]}
    assert client.post(TOKEN, body, content_type="application/json").status_code == 200
    assert client.post(TOKEN, body, content_type="application/json").status_code == 401


def test_guessing_codes_is_rate_limited_like_passwords(secret, alice):
    client = Client()
    body = {"email": alice.email, "password": PASSWORD, "code": "999999"}
    statuses = [client.post(TOKEN, body, content_type="application/json").status_code for _ in range(6)]
    assert statuses[:5] == [401] * 5 and statuses[5] == 429
    good = {**body, "code": current_code(secret)}
    assert client.post(TOKEN, good, content_type="application/json").status_code == 429


def test_the_account_page_offers_two_factor_setup(client, alice):
    login(client, alice)
    page = client.get("/account/").content
    assert b"Set up two-factor authentication" in page
    assert client.get("/accounts/2fa/").status_code == 200
    assert client.get("/accounts/2fa/totp/activate/").status_code in (200, 302)


def test_visitors_are_sent_to_log_in_from_the_two_factor_pages(client):
    for path in ("/accounts/2fa/", "/accounts/2fa/totp/activate/", "/accounts/2fa/recovery-codes/"):
        response = client.get(path)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], path


def test_page_logins_are_rate_limited_per_account(alice):
    for attempt in range(5):
        response = Client().post("/accounts/login/", {"login": alice.email, "password": f"wrong-{attempt}"})
        assert response.status_code == 200
    refused = Client().post("/accounts/login/", {"login": alice.email, "password": PASSWORD})
    assert refused.status_code in (200, 429)
    assert b"Too many failed login attempts" in refused.content


def test_login_rotates_the_session(alice):
    client = Client()
    client.get("/accounts/login/")
    client.session.save()
    before = client.session.session_key
    client.post("/accounts/login/", {"login": alice.email, "password": PASSWORD})
    assert client.session.session_key != before


def test_a_password_change_ends_the_other_sessions(alice, partnership):
    here, elsewhere = Client(), Client()
    for client in (here, elsewhere):
        client.post("/accounts/login/", {"login": alice.email, "password": PASSWORD})
        assert client.get(f"/p/{partnership.pk}/").status_code == 200
    new = "a different horse battery staple"
    response = here.post("/accounts/password/change/", {"oldpassword": PASSWORD, "password1": new, "password2": new})
    assert response.status_code == 302
    assert here.get(f"/p/{partnership.pk}/").status_code == 200  # this one stays signed in
    assert elsewhere.get(f"/p/{partnership.pk}/").status_code == 302  # the other one is out


def test_guessing_from_one_address_does_not_lock_the_owner_out_elsewhere(alice):
    attacker = Client(REMOTE_ADDR="203.0.113.9")
    for attempt in range(5):
        attacker.post("/accounts/login/", {"login": alice.email, "password": f"wrong-{attempt}"})
    refused = attacker.post("/accounts/login/", {"login": alice.email, "password": PASSWORD})
    assert b"Too many failed login attempts" in refused.content
    owner = Client(REMOTE_ADDR="198.51.100.7")
    assert owner.post("/accounts/login/", {"login": alice.email, "password": PASSWORD}).status_code == 302
    api = Client(REMOTE_ADDR="203.0.113.9")
    for _ in range(5):
        api.post("/api/v1/auth/token", {"email": alice.email, "password": "x"}, content_type="application/json")
    body = {"email": alice.email, "password": PASSWORD}
    assert api.post("/api/v1/auth/token", body, content_type="application/json").status_code == 429
    elsewhere = Client(REMOTE_ADDR="198.51.100.7")
    assert elsewhere.post("/api/v1/auth/token", body, content_type="application/json").status_code == 200


def test_sign_ups_are_limited_per_address_on_the_page_and_the_api(db):
    from accord.accounts.models import User

    api = Client(REMOTE_ADDR="203.0.113.10")
    for i in range(5):
        Client(REMOTE_ADDR="203.0.113.10").post(
            "/accounts/signup/", {"name": f"P{i}", "email": f"p{i}@example.org", "password1": "a long passphrase here"}
        )
        body = {"email": f"a{i}@example.org", "password": "a long passphrase here", "name": f"A{i}"}
        assert api.post("/api/v1/auth/signup", body, content_type="application/json").status_code == 201
    assert User.objects.count() == 10
    body = {"email": "more@example.org", "password": "a long passphrase here", "name": "More"}
    assert api.post("/api/v1/auth/signup", body, content_type="application/json").status_code == 429
    Client(REMOTE_ADDR="203.0.113.10").post(
        "/accounts/signup/", {"name": "M", "email": "m@example.org", "password1": "a long passphrase here"}
    )
    assert User.objects.count() == 10
    other = Client(REMOTE_ADDR="198.51.100.8")
    assert other.post("/api/v1/auth/signup", body, content_type="application/json").status_code == 201


def test_page_logins_are_capped_per_account_from_everywhere(alice, settings):
    """Many addresses guessing one account: the same rule as the token endpoint stops them."""
    settings.ACCORD_TOKEN_FAILURE_LIMIT = 2  # so 20 × 2 = 40 failures from everywhere cap the account
    for n in range(40):
        Client(REMOTE_ADDR=f"203.0.113.{n + 1}").post("/accounts/login/", {"login": alice.email, "password": "x"})
    owner = Client(REMOTE_ADDR="198.51.100.7")
    refused = owner.post("/accounts/login/", {"login": alice.email, "password": PASSWORD})
    assert b"Too many failed login attempts" in refused.content
    body = {"email": alice.email, "password": PASSWORD}
    assert owner.post("/api/v1/auth/token", body, content_type="application/json").status_code == 429


def test_behind_the_proxy_each_client_has_its_own_limit(alice, settings):
    """Every request comes from the proxy; the address it forwarded tells guessers from the owner."""
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    attacker = Client(REMOTE_ADDR="10.0.0.2", headers={"X-Forwarded-For": "198.51.100.7, 203.0.113.9"})
    for attempt in range(5):
        attacker.post("/accounts/login/", {"login": alice.email, "password": f"wrong-{attempt}"})
    refused = attacker.post("/accounts/login/", {"login": alice.email, "password": PASSWORD})
    assert b"Too many failed login attempts" in refused.content  # a made-up first hop changes nothing
    owner = Client(REMOTE_ADDR="10.0.0.2", headers={"X-Forwarded-For": "198.51.100.7"})
    assert owner.post("/accounts/login/", {"login": alice.email, "password": PASSWORD}).status_code == 302


def test_without_a_trusted_proxy_a_forwarded_address_is_ignored(alice):
    for attempt in range(5):
        guesser = Client(REMOTE_ADDR="203.0.113.9", headers={"X-Forwarded-For": f"198.51.100.{attempt}"})
        guesser.post("/accounts/login/", {"login": alice.email, "password": f"wrong-{attempt}"})
    again = Client(REMOTE_ADDR="203.0.113.9", headers={"X-Forwarded-For": "198.51.100.99"})
    assert (
        b"Too many failed login attempts"
        in again.post("/accounts/login/", {"login": alice.email, "password": PASSWORD}).content
    )
