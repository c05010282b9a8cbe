"""Import from the page: upload, a preview that saves nothing, then one click creates exactly what
the preview showed; a damaged or foreign file is told apart beside the field, never a 500."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils.timezone import now

from accord.accounts.models import User
from accord.alignment.services import DecisionContent, decision_create
from accord.conftest import login, unchanged
from accord.exchange import preview as preview_module
from accord.exchange.selectors import partnership_export
from accord.partnerships.models import Partnership
from accord.rituals.services import card_add, meeting_create

pytestmark = pytest.mark.django_db


def upload(content: bytes, name: str = "accord-1-export.json") -> dict[str, SimpleUploadedFile]:
    return {"file": SimpleUploadedFile(name, content, content_type="application/json")}


@pytest.fixture
def exported(partnership: Partnership, alice: User, bob: User) -> bytes:
    retro = meeting_create(partnership=partnership, user=alice, kind="retro", scheduled_for=now() + timedelta(days=1))
    card_add(meeting=retro, user=alice, column="going_well", text="Pairing on Fridays")
    decision_create(partnership=partnership, user=alice, content=DecisionContent(title="Ship weekly"))
    document = partnership_export(partnership=partnership, user=alice)
    partnership.delete()  # as on another Accord: the people are here, the partnership is not
    return json.dumps(document).encode()


def test_the_new_partnership_page_offers_the_import(client: Client, alice: User) -> None:
    html = login(client, alice).get("/p/new/").content.decode()
    assert 'href="/p/import/"' in html and "import from an export file" in html


def test_the_preview_shows_what_the_file_holds_and_saves_nothing(client: Client, alice: User, exported: bytes) -> None:
    login(client, alice)
    with unchanged():
        response = client.post("/p/import/", upload(exported))
        assert response.status_code == 302 and response["Location"] == "/p/import/preview/"
        page = client.get("/p/import/preview/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "Checkout leads" in html and "Checkout squad" in html
    assert "Alice Martin, Engineering manager (you)" in html
    assert "Bob Okafor, Product manager" in html and "has an account here" in html
    assert "1 retro," in html and "1 retro card," in html and "1 decision" in html and "1 decisions" not in html
    assert "Create partnership" in html
    assert not Partnership.objects.exists()


def test_create_makes_what_the_preview_showed_once(client: Client, alice: User, bob: User, exported: bytes) -> None:
    login(client, alice)
    client.post("/p/import/", upload(exported))
    page = client.get("/p/import/preview/")
    response = client.post("/p/import/create/", {"digest": page.context["digest"]})
    imported = Partnership.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/p/{imported.pk}/"
    shown = page.context["preview"]
    assert (imported.name, imported.team) == (shown.name, shown.team)
    assert [m.user for m in imported.memberships.order_by("joined_at", "pk")] == [alice, bob]
    assert imported.decisions.get().title == "Ship weekly"
    assert imported.meetings.get().cards.get().text == "Pairing on Fridays"
    again = client.post("/p/import/create/", {"digest": page.context["digest"]}, follow=True)
    assert Partnership.objects.count() == 1  # a second click creates nothing more
    assert "no longer waiting to be imported" in again.content.decode()


def test_a_digest_other_than_the_file_previewed_creates_nothing(client: Client, alice: User, exported: bytes) -> None:
    login(client, alice)
    client.post("/p/import/", upload(exported))
    client.post("/p/import/create/", {"digest": "0" * 64})
    assert not Partnership.objects.exists()


def _refused(client: Client, content: bytes, *, htmx: bool = False) -> str:
    headers = {"HX-Request": "true"} if htmx else {}
    with unchanged():
        response = client.post("/p/import/", upload(content), headers=headers)
    assert response.status_code == 200  # a refused htmx form says so in a header (no failed load logged)
    assert response.get("Accord-Refused") == ("422" if htmx else None)
    html = response.content.decode()
    assert 'aria-invalid="true"' in html and 'class="errorlist' in html
    assert client.get("/p/import/preview/")["Location"] == "/p/import/"  # nothing waits to be imported
    return html


@pytest.mark.parametrize(
    ("content", "said"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00", "This file is not text"),
        (b"name,team\nCheckout,Squad\n", "not valid JSON (line 1)"),
        (b'{"format": "accord-partnership", "version": 1, "partnership"', "not valid JSON"),
        (b'{"name": "a JSON file, but not ours"}', "not an Accord export"),
        (b"[1, 2, 3]", "not an Accord export"),
        (b'{"format": "accord-partnership", "version": 7}', "format version 7; this Accord reads version 1"),
        (b'{"format": "accord-partnership", "version": 1}', "The partnership&#x27;s name and cadences are missing"),
    ],
)
def test_a_damaged_or_foreign_file_is_told_beside_the_field(
    client: Client, alice: User, content: bytes, said: str
) -> None:
    assert said in _refused(login(client, alice), content)


def test_a_file_that_fails_deep_inside_is_refused_at_the_upload(client: Client, alice: User, exported: bytes) -> None:
    document = json.loads(exported)
    document["health_checks"] = [
        {"number": 1, "status": "open", "opened_at": "not a date", "dimensions": [], "responses": []}
    ]
    html = _refused(login(client, alice), json.dumps(document).encode(), htmx=True)
    assert "This export cannot be imported" in html and "is not a date and time" in html


def test_an_export_of_someone_elses_partnership_is_refused(client: Client, carol: User, exported: bytes) -> None:
    html = _refused(login(client, carol), exported)
    assert "carol@example.org is not one of this partnership&#x27;s members" in html


def test_a_file_too_large_is_refused(client: Client, alice: User, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(preview_module, "MAX_BYTES", 100)
    assert "This file is over 100" in _refused(login(client, alice), b'{"format": "accord-partnership"}' + b" " * 100)


def test_no_file_is_asked_for(client: Client, alice: User) -> None:
    response = login(client, alice).post("/p/import/", {})
    assert response.status_code == 200 and "Choose the export file to import." in response.content.decode()
