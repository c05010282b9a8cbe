"""Stored figures (accord.insights.stored): after a write the dashboard, the insights API and the
portfolio read one stored row per partnership, in few queries at any volume; never an old one."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db.models import F
from django.utils.timezone import now

from accord.conftest import login
from accord.demo.loader import demo_load
from accord.insights.models import PartnershipFigures
from accord.insights.selectors import insights_get
from accord.insights.stored import figures_store, insights_stored
from accord.insights.themes import themes_store
from accord.lib.dates import local_today
from accord.partnerships.models import Partnership
from accord.rituals.models import Meeting
from accord.rituals.services import action_item_create, agenda_item_add, card_add, meeting_create
from accord.tensions.services import journal_write

pytestmark = pytest.mark.django_db


def _write(partnership: Partnership) -> None:
    """A write to the partnership, after which its figures are refreshed (the task runs at once here)."""
    user = partnership.memberships.first().user
    retro = meeting_create(partnership=partnership, user=user, kind="retro", scheduled_for=now() + timedelta(days=3))
    card_add(meeting=retro, user=user, column="going_well", text="Noted")


@pytest.fixture(params=["small", "demo"])
def volume(request: Any, partnership: Partnership) -> Partnership:
    """One partnership with a handful of rows, or the demo's year of history."""
    if request.param == "small":
        action_item_create(
            partnership=partnership,
            user=partnership.memberships.first().user,
            text="Ship",
            owner_id=partnership.memberships.first().user_id,
        )
        return Partnership.objects.get(pk=partnership.pk)
    return demo_load()[0]


def test_the_dashboard_and_insights_after_a_write_take_ten_queries_at_most(
    client: Any, api_client: Any, volume: Partnership, django_assert_max_num_queries: Any, monkeypatch: Any
) -> None:
    user = volume.memberships.first().user
    login(client, user)
    client.get(f"/p/{volume.pk}/")  # the session settles
    _write(volume)
    with django_assert_max_num_queries(10):
        assert client.get(f"/p/{volume.pk}/").status_code == 200
    _write(volume)
    with django_assert_max_num_queries(10):
        assert api_client(user).get(f"/api/v1/partnerships/{volume.pk}/insights").status_code == 200


def test_figures_lagging_behind_a_write_are_never_shown(
    api_client: Any, partnership: Partnership, alice: Any, database_queue: None
) -> None:
    """The refresh waits in the queue: the reader sees the write anyway (computed inline)."""
    before = api_client(alice).get(f"/api/v1/partnerships/{partnership.pk}/insights").json()["action_items"]["open"]
    action_item_create(partnership=partnership, user=alice, text="Ship", owner_id=alice.pk)
    assert (
        PartnershipFigures.objects.get(pk=partnership.pk).version < Partnership.objects.get(pk=partnership.pk).version
    )
    after = api_client(alice).get(f"/api/v1/partnerships/{partnership.pk}/insights").json()
    assert after["action_items"]["open"] == before + 1


def test_a_new_day_moves_what_is_overdue_with_no_write(
    api_client: Any, partnership: Partnership, alice: Any, clock: Any
) -> None:
    tomorrow = local_today(partnership.timezone) + timedelta(days=1)
    action_item_create(partnership=partnership, user=alice, text="Ship", owner_id=alice.pk, due_on=tomorrow)
    url = f"/api/v1/partnerships/{partnership.pk}/insights"
    assert api_client(alice).get(url).json()["action_items"]["overdue"] == 0
    stored = PartnershipFigures.objects.get(pk=partnership.pk).computed_at
    clock.shift(timedelta(days=2))
    data = api_client(alice).get(url).json()
    assert data["action_items"]["overdue"] == 1
    assert any(n["kind"] == "action_items_overdue" for n in data["nudges"])
    assert PartnershipFigures.objects.get(pk=partnership.pk).computed_at > stored  # recomputed for the new day


def test_after_a_write_the_dashboard_renders_only_what_is_the_readers(
    client: Any, partnership: Partnership, alice: Any, settings: Any
) -> None:
    """The refresh task renders the figures every member sees as soon as it has stored them."""
    login(client, alice)
    action_item_create(partnership=partnership, user=alice, text="Ship", owner_id=alice.pk)
    page = client.get(f"/p/{partnership.pk}/")
    assert "Follow-through on action items" in page.content.decode()
    assert "insights/_figures.html" not in [t.name for t in page.templates]
    assert "insights/_guide.html" in [t.name for t in page.templates]  # the reader's own, rendered for them
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}  # tasks wait, as in production
    moved = {"version": F("version") + 1, "figures_version": F("figures_version") + 1}
    Partnership.objects.filter(pk=partnership.pk).update(**moved)  # a write with no task yet
    page = client.get(f"/p/{partnership.pk}/")
    assert "insights/_figures.html" in [t.name for t in page.templates]
    assert "1 open" in page.content.decode()


def test_after_a_write_that_changes_no_figure_the_dashboard_reads_them_from_the_cache(
    client: Any, settings: Any, django_assert_max_num_queries: Any
) -> None:
    """A talking point changes the page (its version) but no figure: with no task run yet, the
    dashboard reads the rendered figures with one query. New themes render them again."""
    partnership = demo_load()[0]
    user = partnership.memberships.first().user
    login(client, user)
    url = f"/p/{partnership.pk}/"
    assert "Follow-through on action items" in client.get(url).content.decode()
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}  # no refresh runs from here
    one_on_one = partnership.meetings.filter(kind=Meeting.Kind.ONE_ON_ONE, status=Meeting.Status.PLANNED).first()
    assert one_on_one is not None
    agenda_item_add(meeting=one_on_one, user=user, text="Next quarter's hiring")
    with django_assert_max_num_queries(8):  # session, user, partnership, members, invitations, themes, menu
        page = client.get(url)
    assert "insights/_figures.html" not in [t.name for t in page.templates]
    assert "Follow-through on action items" in page.content.decode()
    journal_write(partnership=partnership, user=user, text="Roadmap scope keeps growing", visibility="shared")
    assert themes_store(Partnership.objects.get(pk=partnership.pk))  # worked out anew
    page = client.get(url)
    assert "insights/_figures.html" in [t.name for t in page.templates]


def test_writes_that_change_no_figure_leave_the_stored_ones_valid_and_right(
    api_client: Any, settings: Any, django_assert_max_num_queries: Any
) -> None:
    """A card, a talking point, a shared journal entry or new themes raise the partnership's version
    (its pages show them) but not `figures_version`: the stored figures still hold, and they are
    exactly what computing them afresh gives."""

    partnership = demo_load()[0]
    user = partnership.memberships.first().user
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}  # no refresh runs from here
    retro = meeting_create(partnership=partnership, user=user, kind="retro", scheduled_for=now() + timedelta(days=3))
    one_on_one = partnership.meetings.filter(kind=Meeting.Kind.ONE_ON_ONE, status=Meeting.Status.PLANNED).first()
    assert one_on_one is not None
    figures_store(Partnership.objects.get(pk=partnership.pk))
    writes = [
        lambda: card_add(meeting=retro, user=user, column="going_well", text="Pairing on the roadmap helped"),
        lambda: agenda_item_add(meeting=one_on_one, user=user, text="Next quarter's hiring"),
        lambda: journal_write(partnership=partnership, user=user, text="We argued less", visibility="shared"),
        lambda: themes_store(Partnership.objects.get(pk=partnership.pk)),
    ]
    for write in writes:
        before = Partnership.objects.get(pk=partnership.pk)
        write()
        after = Partnership.objects.get(pk=partnership.pk)
        assert after.version > before.version and after.figures_version == before.figures_version
        with django_assert_max_num_queries(3):  # the stored row and the measures: nothing computed
            stored = insights_stored(partnership=after)
        assert stored == insights_get(partnership=after)
    action_item_create(partnership=partnership, user=user, text="Ship", owner_id=user.pk)
    moved = Partnership.objects.get(pk=partnership.pk)
    assert moved.figures_version > after.figures_version  # any other write moves them
    assert insights_stored(partnership=moved).action_items.open == insights_get(partnership=moved).action_items.open
