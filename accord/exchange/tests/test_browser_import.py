"""Import in a browser: the new-partnership page leads to the upload, a damaged file is refused
beside the field, a good one is previewed and then created; axe-core passes on every step."""

from __future__ import annotations

import json

import pytest

from accord.conftest import PHONE, browser_login
from accord.exchange.selectors import partnership_export
from accord.partnerships.models import Partnership

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_upload_preview_and_create(new_page, axe, partnership, alice, tmp_path):
    document = partnership_export(partnership=partnership, user=alice)
    partnership.delete()
    good, bad = tmp_path / "accord-export.json", tmp_path / "notes.json"
    good.write_text(json.dumps(document))
    bad.write_text("{ this is not json")

    page = new_page(viewport=PHONE)
    browser_login(page, "alice@example.org")
    page.goto("/p/new/")
    page.get_by_role("link", name="Or import from an export file").click()
    page.get_by_role("heading", name="Import a partnership").wait_for()
    axe(page)
    page.get_by_label("Export file").set_input_files(str(bad))
    page.get_by_role("button", name="Preview the import").click()
    page.get_by_text("not valid JSON").wait_for()
    assert page.get_by_label("Export file").get_attribute("aria-invalid") == "true"
    axe(page)

    page.get_by_label("Export file").set_input_files(str(good))
    page.get_by_role("button", name="Preview the import").click()
    page.get_by_role("heading", name="Import “Checkout leads”?").wait_for()
    assert "Alice Martin, Engineering manager (you)" in page.content()
    assert not Partnership.objects.exists()
    axe(page)
    page.get_by_role("button", name="Create partnership").click()
    page.get_by_text("Checkout leads is imported").wait_for()
    assert Partnership.objects.get().name == "Checkout leads"
