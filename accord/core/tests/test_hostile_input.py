"""Bodies that are too big, not UTF-8, not JSON or full of NUL bytes: a clear 4xx, never a 500, and
nothing saved."""

import json
import re

import pytest
from django.conf import settings
from django.test import Client

from accord.conftest import login, unchanged

JSON = "application/json"


@pytest.fixture
def journal_url(partnership):
    return f"/api/v1/partnerships/{partnership.pk}/journal"


def test_a_body_over_the_limit_is_413_on_the_api(api_client, alice, journal_url):
    huge = json.dumps({"text": "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 10)})
    api = api_client(alice)
    with unchanged():
        response = api.post(journal_url, huge, content_type=JSON)
    assert response.status_code == 413
    assert "detail" in response.json()


def test_a_form_over_the_limit_is_413_on_pages(client, alice, partnership):
    login(client, alice)
    with unchanged():
        response = client.post(
            f"/p/{partnership.pk}/journal/", {"text": "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 10)}
        )
    assert response.status_code == 413


@pytest.mark.parametrize(
    "body",
    [
        b'{"text": "\xff\xfe broken"}',  # not UTF-8
        b'{"text": "unterminated',  # not JSON
        b"[1, 2, 3]",  # JSON, wrong shape
        b'{"text": 42}',  # wrong type
        b'{"text": ["a"]}',
        b'{"text": null}',
        b"",
        b"[" * 5000 + b"]" * 5000,  # deeply nested
    ],
    ids=["invalid-utf8", "broken-json", "array", "number", "list", "null", "empty", "nested"],
)
def test_malformed_json_is_422_with_detail(api_client, alice, journal_url, body):
    api = api_client(alice)
    with unchanged():
        response = api.post(journal_url, body, content_type=JSON)
    assert response.status_code == 422, response.content[:200]
    assert "detail" in response.json()


@pytest.mark.parametrize("text", ["before\x00after", "\x00", "ok\u0000"])
def test_nul_bytes_are_refused_by_name(api_client, alice, journal_url, text):
    api = api_client(alice)
    with unchanged():
        response = api.post(journal_url, {"text": text}, content_type=JSON)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "text"]


def test_nul_bytes_in_a_form_keep_what_was_typed(client, alice, partnership):
    login(client, alice)
    with unchanged():
        response = client.post(f"/p/{partnership.pk}/journal/", {"text": "kept words\x00"})
    assert response.status_code in (200, 422)
    assert b"kept words" in response.content


def test_nul_bytes_in_query_strings_and_paths_are_not_500(client, alice, partnership):
    login(client, alice)
    for path in (f"/p/{partnership.pk}/?quarter=%00", f"/p/{partnership.pk}/report/?quarter=2026-Q%00"):
        assert client.get(path).status_code < 500


def test_invalid_utf8_in_a_form_is_not_500(alice, partnership):
    client = login(Client(), alice)
    response = client.post(
        f"/p/{partnership.pk}/journal/", b"text=%FF%FE", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code < 500


def test_ids_too_large_for_the_database_are_404_never_500(client, api_client, alice, partnership):
    from accord.core.tests.test_authorization_matrix import page_routes

    huge = "9" * 40
    login(client, alice)
    failures = []
    for route in page_routes():
        if "<int:" not in route:
            continue
        path = "/" + re.sub(r"<int:\w+>", huge, route.replace("<int:pid>", str(partnership.pk)))
        path = re.sub(r"<(str|slug):\w+>", "x", path)
        for method in ("get", "post"):
            status = getattr(client, method)(path).status_code
            if status >= 500:
                failures.append((method, path, status))
    assert not failures
    assert client.get(f"/p/{huge}/").status_code == 404
    assert api_client(alice).get(f"/api/v1/partnerships/{huge}").status_code == 404
    assert api_client(alice).post(f"/api/v1/orgs/{huge}/invitations", {}, content_type=JSON).status_code in (404, 422)


def test_every_api_schema_has_its_own_name():
    """OpenAPI names components by class name: two schemas of one name document one of them wrongly."""
    from ninja import Schema

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    ours = [s for s in subclasses(Schema) if s.__module__.startswith("accord.")]
    names = [s.__name__ for s in ours]
    assert len(names) == len(set(names)), sorted(n for n in names if names.count(n) > 1)
