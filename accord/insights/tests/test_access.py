"""Every Measure page and endpoint: members get it, outsiders get 404, visitors are sent to log in."""

from __future__ import annotations

import pytest

from accord.conftest import login, unchanged
from accord.rituals.models import ActionItem

pytestmark = pytest.mark.django_db


def pages(pid):
    return [
        f"/p/{pid}/",
        f"/p/{pid}/handover/",
        f"/p/{pid}/review/",
        f"/p/{pid}/review/?format=md",
        f"/p/{pid}/health.csv",
        f"/p/{pid}/export.json",
        f"/p/{pid}/coach-access/",
    ]


@pytest.fixture
def active(partnership, alice):
    ActionItem.objects.create(partnership=partnership, text="so the home is the dashboard", owner=alice)
    return partnership


def test_members_get_every_page(client, bob, active):
    login(client, bob)
    for path in pages(active.pk):
        assert client.get(path).status_code == 200, path


def test_outsiders_get_404_and_nothing_changes(client, charlie, carol, active):
    for outsider in (charlie, carol):
        login(client, outsider)
        with unchanged():
            for path in pages(active.pk):
                assert client.get(path).status_code == 404, path
            assert client.post(f"/p/{active.pk}/coach-access/grant/", {"org_id": "1"}).status_code == 404


def test_visitors_are_sent_to_log_in(client, active):
    for path in pages(active.pk):
        assert client.get(path)["Location"].startswith("/accounts/login/"), path


def test_the_api_answers_404_to_outsiders_and_401_to_visitors(client, api_client, charlie, active):
    outsider = api_client(charlie)
    with unchanged():
        for path in (f"/api/v1/partnerships/{active.pk}/insights", f"/api/v1/partnerships/{active.pk}/export"):
            assert outsider.get(path).status_code == 404
            assert client.get(path).status_code == 401
