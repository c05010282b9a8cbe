"""Cached pages are never stale, never someone else's, and never skip the access check."""

import re
from datetime import timedelta

import pytest
from django.db import transaction
from django.test import Client
from django.utils.timezone import now

from accord.conftest import login
from accord.orgs.selectors import org_get
from accord.orgs.services import org_access_set, org_create
from accord.partnerships.models import Partnership
from accord.partnerships.services import partnership_update
from accord.rituals.models import Card
from accord.rituals.services import (
    card_add,
    card_group,
    card_ungroup,
    meeting_create,
    meeting_phase_set,
    meeting_reveal,
    vote_add,
)
from accord.tensions.services import journal_write


@pytest.fixture
def retro(partnership, alice):
    return meeting_create(partnership=partnership, user=alice, kind="retro", scheduled_for=now() + timedelta(days=1))


def version(partnership):
    return Partnership.objects.get(pk=partnership.pk).version


def test_writes_deep_in_a_partnership_raise_its_version(partnership, alice, bob, retro):
    before = version(partnership)
    card = card_add(meeting=retro, user=alice, column="going_well", text="Pairing on specs")
    assert version(partnership) > before
    retro = meeting_reveal(meeting=retro)
    card.meeting = retro
    before = version(partnership)
    vote_add(card=card, user=bob)  # vote → card → meeting → partnership
    assert version(partnership) > before
    before = version(partnership)
    meeting_phase_set(meeting=retro, phase="discuss")  # a QuerySet.update: bumped by the service
    assert version(partnership) > before
    other = card_add(meeting=retro, user=bob, column="going_well", text="Pairing on specs too")
    before = version(partnership)
    card_group(meeting=retro, card_ids=[card.pk, other.pk])
    assert version(partnership) > before
    before = version(partnership)
    card_ungroup(card=Card.objects.get(pk=other.pk))
    assert version(partnership) > before


def test_a_stale_object_saved_later_does_not_undo_a_bump(partnership, alice, retro):
    stale = Partnership.objects.get(pk=partnership.pk)
    card_add(meeting=retro, user=alice, column="going_well", text="x")
    bumped = version(partnership)
    partnership_update(partnership=stale, name="Renamed")
    assert version(partnership) > bumped  # the rename bumps again; it never writes the old number back


def test_other_partnerships_keep_their_version(partnership, other_partnership, alice, retro):
    before = version(other_partnership)
    card_add(meeting=retro, user=alice, column="going_well", text="x")
    assert version(other_partnership) == before


def test_an_organisation_moves_with_the_partnerships_sharing_with_it(partnership, alice, bob, coach, retro):
    org = org_create(user=coach, name="Org")
    org_access_set(partnership=partnership, user=alice, org_id=org.pk, grant=True)
    before = org_get(user=coach, oid=org.pk)[0].pages_version
    card_add(meeting=retro, user=alice, column="going_well", text="x")
    assert org_get(user=coach, oid=org.pk)[0].pages_version != before  # what its pages key on


@pytest.mark.django_db(transaction=True)
def test_versions_rise_with_the_transaction_and_never_on_rollback(partnership, alice, retro):
    before = version(partnership)
    with transaction.atomic():
        card_add(meeting=retro, user=alice, column="going_well", text="x")
        card_add(meeting=retro, user=alice, column="going_well", text="y")
        # Raised after the commit: the row is not held locked, no reader pairs the new version with
        # the old data, and two writes in one transaction raise it once.
        assert version(partnership) == before
    assert version(partnership) == before + 1

    def add_then_fail() -> None:
        with transaction.atomic():
            card_add(meeting=retro, user=alice, column="going_well", text="rolled back")
            raise RuntimeError

    with pytest.raises(RuntimeError):
        add_then_fail()
    assert version(partnership) == before + 1


def test_a_partners_change_shows_at_once(client, partnership, alice, bob, retro):
    login(client, alice)
    page = f"/p/{partnership.pk}/iterate/meetings/{retro.pk}/"
    assert b"Shipped the pilot" not in client.get(page).content
    assert b"Shipped the pilot" not in client.get(page).content  # now cached
    card_add(meeting=retro, user=bob, column="going_well", text="Shipped the pilot")
    meeting_reveal(meeting=retro)
    assert b"Shipped the pilot" in client.get(page).content


def test_the_dashboard_follows_a_rename_of_another_partnership_in_the_switcher(
    client, partnership, other_partnership, alice, carol
):
    from accord.conftest import join

    join(other_partnership, carol, alice, "EM")
    journal_write(partnership=partnership, user=alice, text="Something happened")
    login(client, alice)
    page = f"/p/{partnership.pk}/"
    assert b"Search leads" in client.get(page).content
    partnership_update(partnership=other_partnership, name="Discovery leads")
    assert b"Discovery leads" in client.get(page).content


def test_each_reader_gets_their_own_copy(partnership, alice, bob, retro):
    card_add(meeting=retro, user=bob, column="going_well", text="Bob's blind card")
    page = f"/p/{partnership.pk}/iterate/meetings/{retro.pk}/"
    as_bob, as_alice = login(Client(), bob), login(Client(), alice)
    assert b"Bob&#x27;s blind card" in as_bob.get(page).content
    assert b"Bob&#x27;s blind card" in as_bob.get(page).content
    assert b"blind card" not in as_alice.get(page).content


def test_outsiders_get_404_even_with_the_page_cached(client, partnership, alice, charlie, retro):
    page = f"/p/{partnership.pk}/iterate/meetings/{retro.pk}/"
    assert login(Client(), alice).get(page).status_code == 200
    assert login(client, charlie).get(page).status_code == 404


def test_a_member_who_left_no_longer_sees_the_cached_page(partnership, alice, bob):
    from accord.partnerships.services import membership_leave

    page = f"/p/{partnership.pk}/iterate/"
    as_bob = login(Client(), bob)
    assert as_bob.get(page).status_code == 200
    membership_leave(partnership=partnership, user=bob)
    assert as_bob.get(page).status_code == 404


def test_a_cached_pages_forms_post_without_script_in_the_browser_it_was_cached_for(partnership, alice, bob, retro):
    """A cached page's token is the reading browser's own, so its forms work with no script (the
    header "Log out" form included), and another browser of the same reader gets its own copy."""
    client = login(Client(enforce_csrf_checks=True), alice)
    page = f"/p/{partnership.pk}/iterate/meetings/{retro.pk}/"
    client.get(page)  # the first visit after signing in may still set the cookie
    first, second = client.get(page), client.get(page)
    assert first.content == second.content  # the second came from the cache, byte for byte
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', second.content.decode())
    assert token is not None
    refused = client.post(f"{page}cards/new/", {"column": "going_well", "text": "No token"})
    assert refused.status_code == 403
    posted = {"column": "going_well", "text": "Posted from a cached page", "csrfmiddlewaretoken": token[1]}
    assert client.post(f"{page}cards/new/", posted).status_code == 302
    assert retro.cards.filter(text="Posted from a cached page").exists()
    elsewhere = login(Client(enforce_csrf_checks=True), alice)
    elsewhere.get(page)
    other = elsewhere.get(page).content.decode()
    other_token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', other)
    assert other_token is not None and other_token[1] != token[1]
    logout = client.post("/accounts/logout/", {"csrfmiddlewaretoken": token[1]})
    assert logout.status_code == 302 and client.get(page).status_code == 302  # signed out, no script needed
    assert login(Client(), bob).get(page).status_code == 200


def test_partner_text_reaches_the_reader_unaltered(partnership, alice, bob, clock):
    """The page cache rewrote a placeholder string in rendered pages; a partner could write it."""
    from accord.rituals.services import agenda_item_add, meeting_create

    one = meeting_create(partnership=partnership, user=alice, kind="one_on_one", scheduled_for=clock.now())
    tricky = "accordcsrfplaceholder0000000000000000000000000000000000000000000 and a link"
    agenda_item_add(meeting=one, user=bob, text=tricky)
    reader = login(Client(), alice)
    page = f"/p/{partnership.pk}/iterate/meetings/{one.pk}/"
    for _ in range(2):  # rendered, then cached
        html = reader.get(page).content.decode()
        assert tricky in html


def test_a_flash_message_is_shown_not_cached(client, partnership, alice, retro):
    login(client, alice)
    page = f"/p/{partnership.pk}/iterate/meetings/{retro.pk}/"
    client.get(page)
    response = client.post(
        f"/p/{partnership.pk}/iterate/meetings/{retro.pk}/notes/",
        {"notes": "x", "notes_revision": "0"},
        follow=True,
    )
    assert b"Notes saved." in response.content
    assert b"Notes saved." not in client.get(page).content


def test_the_portfolio_and_insights_follow_a_change_deep_in_a_partnership(api_client, partnership, alice, bob, coach):
    from accord.tensions.services import tension_raise

    org = org_create(user=coach, name="Org")
    for user in (alice, bob):
        org_access_set(partnership=partnership, user=user, org_id=org.pk, grant=True)
    portfolio, insights = f"/api/v1/orgs/{org.pk}/portfolio", f"/api/v1/partnerships/{partnership.pk}/insights"
    page = login(Client(), coach)
    assert api_client(coach).get(portfolio).json()[0]["open_tensions"] == 0
    assert api_client(alice).get(insights).json()["tensions"]["open"] == 0
    tensions_cell = re.compile(rb'"Last retro">never</td>\s*<td data-label="Open disagreements">(\d+)</td>')
    assert tensions_cell.search(page.get(f"/orgs/{org.pk}/").content)[1] == b"0"
    tension_raise(partnership=partnership, user=bob, topic="Roadmap dates")
    assert api_client(coach).get(portfolio).json()[0]["open_tensions"] == 1
    assert api_client(alice).get(insights).json()["tensions"]["open"] == 1
    assert tensions_cell.search(page.get(f"/orgs/{org.pk}/").content)[1] == b"1"


def test_a_private_journal_entry_refreshes_only_its_authors_pages(partnership, alice, bob):
    from accord.accounts.models import User
    from accord.tensions.services import journal_update

    before, bob_before = version(partnership), User.objects.get(pk=bob.pk).version
    entry = journal_write(partnership=partnership, user=alice, text="Only mine")
    assert version(partnership) == before  # the partner's pages are unaffected, and stay cached
    assert User.objects.get(pk=bob.pk).version == bob_before
    as_alice = login(Client(), alice)
    assert b"Only mine" in as_alice.get(f"/p/{partnership.pk}/journal/").content
    journal_update(entry=entry, user=alice, visibility="shared")
    assert version(partnership) > before  # now the partner sees it
