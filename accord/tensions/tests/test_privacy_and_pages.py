"""Private means private and blind means blind, on every page and fragment; plus the pages themselves."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.utils.timezone import now

from accord.conftest import assert_no_executable_markup, login, unchanged
from accord.insights.reminders import send_reminders
from accord.lib.tasks import tasks_held
from accord.rituals.models import AgendaItem, Card
from accord.rituals.services import meeting_create
from accord.tensions.models import JournalEntry, Perspective, Tension
from accord.tensions.services import journal_bring, journal_write, perspective_write, tension_raise

pytestmark = pytest.mark.django_db
PRIVATE = "ALICE-PRIVATE-JOURNAL-4410"
SIDE = "ALICE-UNREVEALED-SIDE-8812"


@pytest.fixture
def secrets(partnership, alice):
    entry = journal_write(partnership=partnership, user=alice, text=PRIVATE)
    tension = tension_raise(partnership=partnership, user=alice, topic="Roadmap")
    perspective_write(tension=tension, user=alice, important_to_me=SIDE, why=SIDE, partner_priority_guess=SIDE)
    return entry, tension


def every_page(pid, tid):
    return [
        f"/p/{pid}/",
        f"/p/{pid}/journal/",
        f"/p/{pid}/tensions/",
        f"/p/{pid}/tensions/{tid}/",
        f"/p/{pid}/iterate/",
        f"/p/{pid}/assess/",
        f"/p/{pid}/design/",
        f"/p/{pid}/settings/",
    ]


def test_the_partner_sees_neither_on_any_page(client, bob, partnership, secrets):
    _, tension = secrets
    login(client, bob)
    for path in every_page(partnership.pk, tension.pk):
        html = client.get(path).content.decode()
        assert PRIVATE not in html, path
        assert SIDE not in html, path


def test_the_partners_journal_page_does_not_count_private_entries(client, bob, partnership, secrets):
    html = login(client, bob).get(f"/p/{partnership.pk}/journal/").content.decode()
    assert "No entries yet." in html


def test_reminder_emails_carry_no_journal_or_sides(partnership, alice, secrets):
    meeting_create(partnership=partnership, user=alice, kind="one_on_one", scheduled_for=now() + timedelta(hours=3))
    send_reminders()
    assert mail.outbox
    for message in mail.outbox:
        assert PRIVATE not in message.body and SIDE not in message.body


def test_a_private_entry_brought_to_a_retro_stays_a_blind_card(client, alice, bob, partnership, secrets):
    entry, _ = secrets
    meeting = journal_bring(entry=entry, user=alice, to="retro")
    login(client, bob)
    for path in (
        f"/p/{partnership.pk}/iterate/meetings/{meeting.pk}/",
        f"/p/{partnership.pk}/iterate/meetings/{meeting.pk}/live/",
    ):
        assert PRIVATE not in client.get(path).content.decode()
    assert Card.objects.get().author == alice


def test_the_author_sees_both(client, alice, partnership, secrets):
    _, tension = secrets
    login(client, alice)
    assert PRIVATE in client.get(f"/p/{partnership.pk}/journal/").content.decode()
    assert SIDE in client.get(f"/p/{partnership.pk}/tensions/{tension.pk}/").content.decode()


class TestPages:
    def pages(self, pid, tid):
        return [f"/p/{pid}/tensions/", f"/p/{pid}/tensions/{tid}/", f"/p/{pid}/journal/"]

    def test_charlie_gets_404_and_changes_nothing(self, client, charlie, partnership, secrets):
        entry, tension = secrets
        login(client, charlie)
        with unchanged():
            for path in self.pages(partnership.pk, tension.pk):
                assert client.get(path).status_code == 404
            assert client.post(f"/p/{partnership.pk}/tensions/", {"topic": "x"}).status_code == 404
            assert (
                client.post(f"/p/{partnership.pk}/tensions/{tension.pk}/resolve/", {"resolution": "x"}).status_code
                == 404
            )
            assert (
                client.post(f"/p/{partnership.pk}/journal/", {"text": "x", "visibility": "private"}).status_code == 404
            )
            assert client.post(f"/p/{partnership.pk}/journal/{entry.pk}/share/").status_code == 404

    def test_bob_cannot_act_on_alices_private_entry(self, client, bob, partnership, secrets):
        entry, _ = secrets
        login(client, bob)
        with unchanged():
            for verb in ("share", "delete", "bring/one-on-one", "edit"):
                data = {f"e{entry.pk}-text": "x"}
                assert client.post(f"/p/{partnership.pk}/journal/{entry.pk}/{verb}/", data).status_code == 404

    def test_visitors_are_sent_to_log_in(self, client, partnership, secrets):
        _, tension = secrets
        with unchanged():
            for path in self.pages(partnership.pk, tension.pk):
                assert client.get(path)["Location"].startswith("/accounts/login/")

    def test_both_sides_then_resolution_through_the_pages(self, client, alice, bob, partnership, secrets):
        _, tension = secrets
        url = f"/p/{partnership.pk}/tensions/{tension.pk}/"
        login(client, bob)
        early = client.post(f"{url}resolve/", {"resolution": "fine"}, follow=True)
        assert b"Every member writes their side" in early.content
        client.post(
            f"{url}perspective/", {"important_to_me": "Shipping", "why": "Q3", "partner_priority_guess": "Focus"}
        )
        html = client.get(url).content.decode()
        assert SIDE in html and "Both sides" in html
        client.post(f"{url}reads/", {"of_user_id": alice.pk, "rating": "right"})
        client.post(f"{url}resolve/", {"resolution": "Q4"})
        assert Tension.objects.get().status == "open"  # proposed: alice has not agreed yet
        login(client, alice).post(f"{url}resolution/agree/")
        assert Tension.objects.get().status == "resolved"

    def test_an_empty_side_keeps_what_was_typed(self, client, bob, partnership, secrets):
        _, tension = secrets
        login(client, bob)
        with unchanged():
            response = client.post(
                f"/p/{partnership.pk}/tensions/{tension.pk}/perspective/",
                {"important_to_me": "", "why": "kept why"},
            )
        assert b"This field is required" in response.content and b"kept why" in response.content

    def test_quick_journal_from_any_page(self, client, bob, partnership):
        login(client, bob)
        page = client.get(f"/p/{partnership.pk}/iterate/").content.decode()
        assert 'id="quick-journal"' in page
        fragment = client.post(
            f"/p/{partnership.pk}/journal/",
            {"text": "Quick note", "visibility": "private"},
            headers={"HX-Request": "true"},
        )
        assert b"Saved to your journal" in fragment.content and b"<html" not in fragment.content
        assert JournalEntry.objects.get().text == "Quick note"
        empty = client.post(
            f"/p/{partnership.pk}/journal/", {"text": "", "visibility": "private"}, headers={"HX-Request": "true"}
        )
        assert empty["Accord-Refused"] == "422" and b"This field is required" in empty.content

    def test_share_and_bring_to_the_next_one_on_one(self, client, alice, bob, partnership):
        entry = journal_write(partnership=partnership, user=alice, text="Jumped to solutions")
        login(client, alice)
        client.post(f"/p/{partnership.pk}/journal/{entry.pk}/share/")
        client.post(f"/p/{partnership.pk}/journal/{entry.pk}/bring/one-on-one/")
        assert AgendaItem.objects.get().text == "Jumped to solutions"
        assert b"Jumped to solutions" in login(client, bob).get(f"/p/{partnership.pk}/journal/").content

    def test_markup_is_escaped(self, client, alice, bob, partnership):
        payload = '<script>alert(1)</script><img src=x onerror="alert(2)">'
        journal_write(partnership=partnership, user=alice, text=payload, visibility="shared")
        tension = tension_raise(partnership=partnership, user=alice, topic=payload, tags=[payload[:40]])
        for user in (alice, bob):
            perspective_write(
                tension=tension, user=user, important_to_me=payload, why=payload, partner_priority_guess=payload
            )
        login(client, bob)
        for path in (
            f"/p/{partnership.pk}/journal/",
            f"/p/{partnership.pk}/tensions/",
            f"/p/{partnership.pk}/tensions/{tension.pk}/",
        ):
            assert_no_executable_markup(client.get(path).content.decode())


def test_lists_cost_the_same_with_200_entries(
    client, api_client, alice, bob, partnership, django_assert_max_num_queries
):
    with tasks_held():
        for i in range(200):
            journal_write(
                partnership=partnership,
                user=alice if i % 2 else bob,
                text=f"entry {i}",
                visibility="shared" if i % 3 else "private",
            )
        tensions = [
            tension_raise(partnership=partnership, user=alice, topic=f"T{i}", tags=["a", "b"]) for i in range(200)
        ]
        for t in tensions[:100]:
            Perspective.objects.create(tension=t, author=alice, important_to_me="x")
    login(client, bob)
    with django_assert_max_num_queries(12):
        response = client.get(f"/p/{partnership.pk}/journal/")
    assert response.content.count(b'class="card journal-entry"') == 100 + 67  # Bob's own 100 plus the 67 Alice shared
    with django_assert_max_num_queries(14):
        assert client.get(f"/p/{partnership.pk}/tensions/").status_code == 200
    bob_api = api_client(bob)
    with django_assert_max_num_queries(6):
        listing = bob_api.get(f"/api/v1/partnerships/{partnership.pk}/journal?limit=200").json()
    assert len(listing) == 167
    assert all(e["author_id"] == bob.pk or e["visibility"] == "shared" for e in listing)
