"""One-line fields refuse line breaks (they end up in email headers), and a mail server that fails
never fails the write it follows nor leaves it half done."""

from __future__ import annotations

import logging

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend

from accord.accounts.models import User
from accord.assessments.models import HealthCheck
from accord.conftest import login
from accord.partnerships.models import Invitation, Partnership

pytestmark = pytest.mark.django_db

INJECTION = "Hdr\r\nBcc: x@example.com"


class FailingBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise ConnectionRefusedError("the mail server is down")


def names(response, field):
    """The 422's detail names `field` (as its location)."""
    return any(field in (error.get("loc") or []) for error in response.json()["detail"])


@pytest.fixture
def mail_server_down(settings):
    settings.MAILERS = {"default": {"BACKEND": f"{__name__}.FailingBackend"}}


@pytest.mark.parametrize("value", [INJECTION, "tab\there", "bell\x07", "line\nbreak"])
def test_a_name_with_control_characters_is_a_422_naming_the_field(api_client, alice, partnership, value):
    api = api_client(alice)
    created = api.post("/api/v1/partnerships", {"name": value, "role": "EM"}, content_type="application/json")
    assert created.status_code == 422 and names(created, "name")
    renamed = api.patch(f"/api/v1/partnerships/{partnership.pk}", {"name": value}, content_type="application/json")
    assert renamed.status_code == 422 and names(renamed, "name")
    signup = api_client().post(
        "/api/v1/auth/signup",
        {"email": "new@example.org", "password": "a long passphrase here", "name": value},
        content_type="application/json",
    )
    assert signup.status_code == 422 and names(signup, "name")
    assert Partnership.objects.count() == 1 and not User.objects.filter(email="new@example.org").exists()
    partnership.refresh_from_db()
    assert partnership.name == "Checkout leads"


def test_the_sign_up_page_refuses_a_two_line_name_and_keeps_what_was_typed(client):
    response = client.post(
        "/accounts/signup/",
        {"name": INJECTION, "email": "new@example.org", "password1": "a long passphrase here"},
    )
    html = response.content.decode()
    assert response.status_code == 200 and "Keep it to one line" in html
    assert 'value="new@example.org"' in html
    assert not User.objects.filter(email="new@example.org").exists()


def test_a_failing_mail_server_neither_fails_nor_undoes_the_write(
    mail_server_down, api_client, client, alice, partnership, caplog
):
    api = api_client(alice)
    with caplog.at_level(logging.ERROR, logger="accord.mail"):
        invited = api.post(
            f"/api/v1/partnerships/{partnership.pk}/invitations",
            {"role": "PM", "email": "dana@example.org"},
            content_type="application/json",
        )
        opened = api.post(f"/api/v1/partnerships/{partnership.pk}/health-checks", {}, content_type="application/json")
    assert (invited.status_code, opened.status_code) == (201, 201)
    assert Invitation.objects.filter(email="dana@example.org").exists() and HealthCheck.objects.count() == 1
    assert "the mail server is down" in caplog.text


def test_a_name_saved_before_the_rule_still_gives_one_line_subjects(client, alice, bob, partnership):
    Partnership.objects.filter(pk=partnership.pk).update(name=INJECTION)
    login(client, alice).post(f"/p/{partnership.pk}/assess/start/")
    assert HealthCheck.objects.count() == 1
    assert [m.subject for m in mail.outbox] == ["Alice Martin started a health check of Hdr Bcc: x@example.com"]
    assert mail.outbox[0].to == ["bob@example.org"] and not mail.outbox[0].bcc
