"""Export, import into an empty Accord, export again: the same document, apart from when it was made."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils.timezone import now

from accord.accounts.models import User
from accord.demo.loader import demo_load
from accord.exchange.selectors import partnership_export
from accord.partnerships.models import Partnership
from accord.rituals.services import card_add, meeting_create
from accord.tensions.services import (
    journal_write,
    perspective_write,
    tension_raise,
    tension_resolution_agree,
    tension_resolve,
)

pytestmark = pytest.mark.django_db


def strip(document):
    return {k: v for k, v in document.items() if k != "exported_at"}


def wipe():
    Partnership.objects.all().delete()


def test_a_full_round_trip_gives_the_same_document(tmp_path):
    partnership, _ = demo_load()
    alice = User.objects.get(email="alice@example.com")
    first = partnership_export(partnership=partnership, user=alice)
    path = tmp_path / "export.json"
    path.write_text(json.dumps(first))
    wipe()
    call_command("import", str(path))
    imported = Partnership.objects.get()
    second = partnership_export(partnership=imported, user=User.objects.get(email="alice@example.com"))
    assert strip(second) == strip(first)
    assert len(first["meetings"]) > 50 and first["health_checks"] and first["decisions"] and first["tensions"]


def test_an_export_holds_only_what_the_exporter_may_see(partnership, alice, bob):
    journal_write(partnership=partnership, user=bob, text="BOB-PRIVATE")
    journal_write(partnership=partnership, user=bob, text="Bob shared", visibility="shared")
    tension = tension_raise(partnership=partnership, user=alice, topic="t")
    perspective_write(tension=tension, user=bob, important_to_me="BOB-UNREVEALED-SIDE")
    retro = meeting_create(partnership=partnership, user=alice, kind="retro", scheduled_for=now() + timedelta(days=1))
    card_add(meeting=retro, user=bob, column="frustrating", text="BOB-BLIND-CARD")
    text = json.dumps(partnership_export(partnership=partnership, user=alice))
    for secret in ("BOB-PRIVATE", "BOB-UNREVEALED-SIDE", "BOB-BLIND-CARD"):
        assert secret not in text
    assert "Bob shared" in text


def test_the_api_and_page_serve_the_export(client, api_client, alice, partnership):
    body = api_client(alice).get(f"/api/v1/partnerships/{partnership.pk}/export").json()
    assert (body["format"], body["version"], body["partnership"]["name"]) == ("accord-partnership", 1, "Checkout leads")
    from accord.conftest import login

    response = login(client, alice).get(f"/p/{partnership.pk}/export.json")
    assert response["Content-Disposition"].startswith("attachment;")
    assert json.loads(response.content)["format"] == "accord-partnership"


def test_the_cli_exports_and_refuses_bad_files(tmp_path, partnership, alice, capsys):
    out = tmp_path / "p.json"
    call_command("export", str(partnership.pk), "--as", "alice@example.org", "--output", str(out))
    assert json.loads(out.read_text())["partnership"]["name"] == "Checkout leads"
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "something-else"}')
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="Not a valid Accord export"):
        call_command("import", str(bad))
    with pytest.raises(CommandError, match="No such partnership"):
        call_command("export", str(partnership.pk), "--as", "charlie@example.org")


def test_who_agreed_to_a_resolution_comes_back_in_the_order_they_agreed(tmp_path, partnership, alice, bob):
    """The import once made the agreements from a set: their order (and so the export's) followed
    the users' ids, which differ from one database to another."""
    tension = tension_raise(partnership=partnership, user=alice, topic="Scope of Q3")
    perspective_write(tension=tension, user=alice, important_to_me="Quality")
    perspective_write(tension=tension, user=bob, important_to_me="Dates")
    tension_resolve(tension=tension, user=bob, resolution="Ship the smaller scope")
    tension_resolution_agree(tension=tension, user=alice)
    first = partnership_export(partnership=partnership, user=alice)
    assert first["tensions"][0]["agreed_by"] == [first["people"][1]["ref"], first["people"][0]["ref"]]
    path = tmp_path / "export.json"
    path.write_text(json.dumps(first))
    wipe()
    call_command("import", str(path))
    second = partnership_export(partnership=Partnership.objects.get(), user=User.objects.get(email=alice.email))
    assert second["tensions"] == first["tensions"]
