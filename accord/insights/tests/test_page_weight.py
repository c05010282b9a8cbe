"""The dashboard's first load, every asset included, stays under 150 KB compressed."""

from __future__ import annotations

import gzip
import re

import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command

from accord.accounts.models import User
from accord.conftest import login
from accord.partnerships.models import Partnership

pytestmark = pytest.mark.django_db
BUDGET = 150 * 1024


def test_the_dashboard_first_load_is_under_150_kb_compressed(client):
    call_command("demo")
    alice = User.objects.get(email="alice@example.com")
    partnership = Partnership.objects.get()
    html = login(client, alice).get(f"/p/{partnership.pk}/").content
    assert b"What needs doing" in html
    total = len(gzip.compress(html))
    assets = re.findall(rb'(?:src|href)="/static/([^"]+)"', html)
    assert len(assets) >= 3  # stylesheet, htmx, our script (and the icon)
    for asset in assets:
        path = finders.find(asset.decode())
        assert path, asset
        with open(path, "rb") as f:
            total += len(gzip.compress(f.read()))
    print(f"\ndashboard first load: {total / 1024:.1f} KB compressed ({len(assets)} assets)")
    assert total < BUDGET
