from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils.timezone import now

from accord.conftest import login, unchanged
from accord.lib.tasks import tasks_held
from accord.rituals.models import ActionItem, AgendaItem, Card, Experiment, Meeting
from accord.rituals.services import card_add, experiment_create, meeting_create, meeting_reveal

pytestmark = pytest.mark.django_db
SECRET = "ALICE-CARD-SECRET-913"


@pytest.fixture
def retro(partnership, alice):
    return meeting_create(partnership=partnership, user=alice, kind="retro", scheduled_for=now() + timedelta(days=1))


@pytest.fixture
def one_on_one(partnership, alice):
    return meeting_create(
        partnership=partnership, user=alice, kind="one_on_one", scheduled_for=now() + timedelta(days=2)
    )


@pytest.fixture
def experiment(partnership, alice):
    return experiment_create(
        hypothesis="Trying it helps us",
        success_signal="We both notice it",
        partnership=partnership,
        user=alice,
        title="Pre-reads",
    )


def pages(pid, m, e):
    return [
        f"/p/{pid}/iterate/",
        f"/p/{pid}/iterate/meetings/{m}/",
        f"/p/{pid}/iterate/meetings/{m}/live/",
        f"/p/{pid}/iterate/actions/",
        f"/p/{pid}/iterate/experiments/",
        f"/p/{pid}/iterate/experiments/{e}/",
        f"/p/{pid}/iterate/format/",
    ]


def posts(pid, m, e):
    return [
        (f"/p/{pid}/iterate/plan/", {"kind": "retro", "scheduled_for": "2026-12-24T10:00"}),
        (f"/p/{pid}/iterate/meetings/{m}/complete/", {}),
        (f"/p/{pid}/iterate/meetings/{m}/agenda-items/new/", {"text": "x"}),
        (f"/p/{pid}/iterate/meetings/{m}/cards/new/", {"column": "going_well", "text": "x"}),
        (f"/p/{pid}/iterate/meetings/{m}/reveal/", {}),
        (f"/p/{pid}/iterate/meetings/{m}/phase/", {"phase": "vote"}),
        (f"/p/{pid}/iterate/actions/new/", {"text": "x", "owner_id": "1"}),
        (f"/p/{pid}/iterate/experiments/", {"title": "x"}),
        (f"/p/{pid}/iterate/experiments/{e}/", {"status": "kept"}),
        (f"/p/{pid}/iterate/experiments/{e}/charter/", {}),
        (
            f"/p/{pid}/iterate/format/",
            {"going_well": "a", "frustrating": "b", "try_next": "c", "votes_per_person": "3"},
        ),
    ]


def test_members_see_every_page(client, bob, partnership, retro, experiment):
    login(client, bob)
    for path in pages(partnership.pk, retro.pk, experiment.pk):
        assert client.get(path).status_code == 200, path


def test_charlie_gets_404_everywhere_and_nothing_changes(client, charlie, partnership, retro, experiment):
    login(client, charlie)
    with unchanged():
        for path in pages(partnership.pk, retro.pk, experiment.pk):
            assert client.get(path).status_code == 404, path
        for path, data in posts(partnership.pk, retro.pk, experiment.pk):
            assert client.post(path, data).status_code == 404, path


def test_carol_cannot_reach_them_through_her_partnership(client, carol, other_partnership, retro, experiment):
    login(client, carol)
    with unchanged():
        for path in (
            pages(other_partnership.pk, retro.pk, experiment.pk)[1:3]
            + pages(other_partnership.pk, retro.pk, experiment.pk)[5:6]
        ):
            assert client.get(path).status_code == 404, path


def test_visitors_are_sent_to_log_in(client, partnership, retro, experiment):
    with unchanged():
        for path in pages(partnership.pk, retro.pk, experiment.pk):
            assert client.get(path)["Location"].startswith("/accounts/login/"), path
        for path, data in posts(partnership.pk, retro.pk, experiment.pk):
            assert client.post(path, data)["Location"].startswith("/accounts/login/"), path


class TestHome:
    def test_the_next_sessions_come_from_the_cadence(self, client, alice, partnership):
        html = login(client, alice).get(f"/p/{partnership.pk}/iterate/").content.decode()
        assert html.count("Plan it") == 2
        response = client.post(
            f"/p/{partnership.pk}/iterate/plan/", {"kind": "one_on_one", "scheduled_for": "2026-12-03T10:00"}
        )
        meeting = Meeting.objects.get()
        assert response["Location"] == f"/p/{partnership.pk}/iterate/meetings/{meeting.pk}/"
        assert (
            html.count("Plan it") - client.get(f"/p/{partnership.pk}/iterate/").content.decode().count("Plan it") == 1
        )

    @pytest.mark.parametrize(
        ("typed", "stored"),
        [
            ("2027-03-14T02:30", None),  # the clocks skip 02:00–03:00 in Los Angeles: no such time
            ("2027-11-07T01:30", None),  # 01:00–02:00 happens twice: which one is not clear
            ("2027-11-07T09:30", "2027-11-07T17:30:00+00:00"),
        ],
    )
    def test_a_time_the_clocks_skip_or_repeat_is_refused_with_a_reason(self, client, alice, partnership, typed, stored):
        from accord.partnerships.services import partnership_update

        partnership_update(partnership=partnership, timezone_name="America/Los_Angeles")
        response = login(client, alice).post(
            f"/p/{partnership.pk}/iterate/plan/", {"kind": "retro", "scheduled_for": typed}, follow=True
        )
        assert response.status_code == 200
        if stored is None:
            assert not Meeting.objects.exists()
            assert "America/Los_Angeles" in response.content.decode()
        else:
            assert Meeting.objects.get().scheduled_for.isoformat() == stored

    def test_an_overdue_session_is_flagged(self, client, alice, partnership):
        meeting_create(partnership=partnership, user=alice, kind="retro", scheduled_for=now() - timedelta(days=3))
        assert b"Overdue" in login(client, alice).get(f"/p/{partnership.pk}/iterate/").content

    def test_the_page_costs_the_same_with_a_year_of_meetings(
        self, client, alice, partnership, django_assert_max_num_queries
    ):
        with tasks_held():
            for week in range(60):
                m = meeting_create(
                    partnership=partnership,
                    user=alice,
                    kind="one_on_one" if week % 4 else "retro",
                    scheduled_for=now() - timedelta(days=7 * week),
                )
                Meeting.objects.filter(pk=m.pk).update(status="held", held_at=m.scheduled_for)
                AgendaItem.objects.create(meeting=m, text="t", author=alice)
                ActionItem.objects.create(partnership=partnership, meeting=m, text="a", owner=alice)
        login(client, alice)
        with django_assert_max_num_queries(16):
            assert client.get(f"/p/{partnership.pk}/iterate/").status_code == 200
        with django_assert_max_num_queries(12):
            assert client.get(f"/p/{partnership.pk}/iterate/actions/").status_code == 200


class TestRetroPages:
    def test_cards_are_blind_on_the_page_and_the_live_fragment(self, client, alice, bob, partnership, retro):
        card_add(meeting=retro, user=alice, column="frustrating", text=SECRET)
        login(client, bob)
        for path in (
            f"/p/{partnership.pk}/iterate/meetings/{retro.pk}/",
            f"/p/{partnership.pk}/iterate/meetings/{retro.pk}/live/",
        ):
            html = client.get(path).content.decode()
            assert SECRET not in html
            assert "(0)" in html and "(1)" not in html  # not even a count
        meeting_reveal(meeting=retro)
        assert SECRET in client.get(f"/p/{partnership.pk}/iterate/meetings/{retro.pk}/live/?v=stale").content.decode()

    def test_the_live_board_answers_204_while_nothing_changes(self, client, alice, bob, partnership, retro):
        login(client, alice)
        html = client.get(f"/p/{partnership.pk}/iterate/meetings/{retro.pk}/live/").content.decode()
        version = html.split("live/?v=", 1)[1].split('"', 1)[0]
        assert client.get(f"/p/{partnership.pk}/iterate/meetings/{retro.pk}/live/?v={version}").status_code == 204
        card_add(meeting=retro, user=alice, column="going_well", text="new")
        assert client.get(f"/p/{partnership.pk}/iterate/meetings/{retro.pk}/live/?v={version}").status_code == 200
        card_add(meeting=retro, user=bob, column="going_well", text="Bob's hidden card")
        html = client.get(f"/p/{partnership.pk}/iterate/meetings/{retro.pk}/live/").content.decode()
        same = html.split("live/?v=", 1)[1].split('"', 1)[0]
        card_add(meeting=retro, user=bob, column="going_well", text="another hidden one")
        assert client.get(f"/p/{partnership.pk}/iterate/meetings/{retro.pk}/live/?v={same}").status_code == 204

    def test_a_whole_retro_through_htmx(self, client, alice, bob, partnership, retro):
        base = f"/p/{partnership.pk}/iterate/meetings/{retro.pk}"
        hx = {"HX-Request": "true"}
        login(client, alice)
        response = client.post(f"{base}/cards/new/", {"column": "try_next", "text": "Pre-reads"}, headers=hx)
        assert 'id="retro-live"' in response.content.decode() and "<html" not in response.content.decode()
        login(client, bob)
        client.post(f"{base}/cards/new/", {"column": "frustrating", "text": "Surprises"}, headers=hx)
        before = client.post(f"{base}/cards/{Card.objects.get(text='Surprises').pk}/votes/new/", headers=hx)
        assert before["Accord-Refused"] == "409"  # a conflict with the board's state, drawn in the board
        assert b"reveal the retro first" in before.content
        client.post(f"{base}/reveal/", headers=hx)
        client.post(f"{base}/phase/", {"phase": "vote"}, headers=hx)
        pre_reads = Card.objects.get(text="Pre-reads")
        for _ in range(3):
            client.post(f"{base}/cards/{pre_reads.pk}/votes/new/", headers=hx)
        over = client.post(f"{base}/cards/{pre_reads.pk}/votes/new/", headers=hx)
        assert b"used all 3" in over.content
        page = client.post(f"{base}/phase/", {"phase": "decide"}, headers=hx).content.decode()
        assert page.index("Pre-reads") < page.index("Surprises")  # most votes first
        assert "Start an experiment" in page
        client.post(
            f"/p/{partnership.pk}/iterate/experiments/",
            {
                "title": "Pre-reads",
                "hypothesis": "Shorter 1:1s",
                "success_signal": "30 min",
                "card": pre_reads.pk,
                "next": f"/p/{partnership.pk}/iterate/meetings/{retro.pk}/",
            },
        )
        assert Experiment.objects.get().card == pre_reads

    def test_cards_and_groups_escape_markup(self, client, alice, partnership, retro):
        from accord.conftest import assert_no_executable_markup

        card_add(meeting=retro, user=alice, column="going_well", text='<img src=x onerror="alert(1)">')
        card_add(meeting=retro, user=alice, column="going_well", text="<script>alert(2)</script>")
        meeting_reveal(meeting=retro)
        login(client, alice)
        for phase in ("group", "vote", "decide"):
            client.post(f"/p/{partnership.pk}/iterate/meetings/{retro.pk}/phase/", {"phase": phase})
            assert_no_executable_markup(
                client.get(f"/p/{partnership.pk}/iterate/meetings/{retro.pk}/").content.decode()
            )

    def test_a_retro_with_60_cards_costs_a_fixed_number_of_queries(
        self, client, alice, bob, partnership, retro, django_assert_max_num_queries
    ):
        from accord.rituals.services import vote_add

        with tasks_held():
            for i in range(60):
                card_add(
                    meeting=retro,
                    user=alice if i % 2 else bob,
                    column=("going_well", "frustrating", "try_next")[i % 3],
                    text=f"Card {i}",
                )
        meeting_reveal(meeting=retro)
        for card in Card.objects.all()[:3]:
            vote_add(card=card, user=alice)
        login(client, alice)
        for phase in ("vote", "group", "decide"):
            client.post(f"/p/{partnership.pk}/iterate/meetings/{retro.pk}/phase/", {"phase": phase})
            with django_assert_max_num_queries(14):  # the door reads the partnership and its members once
                response = client.get(f"/p/{partnership.pk}/iterate/meetings/{retro.pk}/")
            assert response.content.decode().count("Card ") >= 60
            with django_assert_max_num_queries(20):
                assert client.get(f"/p/{partnership.pk}/iterate/meetings/{retro.pk}/live/").status_code == 200


class TestOneOnOnePages:
    def test_the_agenda_flow(self, client, alice, bob, partnership, one_on_one):
        url = f"/p/{partnership.pk}/iterate/meetings/{one_on_one.pk}/"
        login(client, alice).post(f"{url}agenda-items/new/", {"text": "Hiring"})
        login(client, bob).post(f"{url}agenda-items/new/", {"text": "Roadmap"})
        roadmap = AgendaItem.objects.get(text="Roadmap")
        client.post(f"{url}agenda-items/{roadmap.pk}/up/")
        client.post(f"{url}agenda-items/{roadmap.pk}/discussed/", {"value": "1"})
        assert [a.text for a in AgendaItem.objects.order_by("position")] == ["Roadmap", "Hiring"]
        client.post(f"{url}complete/")
        nxt = Meeting.objects.get(status="planned")
        assert list(nxt.agenda.values_list("text", flat=True)) == ["Hiring"]
        assert b"carried from" in client.get(f"/p/{partnership.pk}/iterate/meetings/{nxt.pk}/").content

    def test_an_empty_talking_point_is_refused(self, client, alice, partnership, one_on_one):
        login(client, alice)
        with unchanged():
            response = client.post(
                f"/p/{partnership.pk}/iterate/meetings/{one_on_one.pk}/agenda-items/new/",
                {"text": " "},
                follow=True,
            )
        assert b"Nothing was added: write the point you want to raise first." in response.content

    def test_notes_saved_meanwhile_are_not_overwritten(self, client, alice, bob, partnership, one_on_one):
        url = f"/p/{partnership.pk}/iterate/meetings/{one_on_one.pk}/notes/"
        login(client, alice).post(url, {"notes": "Alice's notes", "notes_revision": "0"})
        response = login(client, bob).post(url, {"notes": "Bob's draft", "notes_revision": "0"})
        assert response.status_code == 409
        html = response.content.decode()
        assert "Bob&#x27;s draft" in html and "Alice&#x27;s notes" in html
        assert Meeting.objects.get(pk=one_on_one.pk).notes == "Alice's notes"

    def test_action_items_are_added_and_ticked(self, client, alice, bob, partnership, one_on_one):
        login(client, alice)
        client.post(
            f"/p/{partnership.pk}/iterate/actions/new/",
            {"text": "Send the plan", "owner_id": bob.pk, "meeting": one_on_one.pk, "next": "/p/x"},
        )
        item = ActionItem.objects.get()
        assert (item.owner, item.meeting) == (bob, one_on_one)
        client.post(f"/p/{partnership.pk}/iterate/actions/{item.pk}/toggle/", {"done": "1"})
        item.refresh_from_db()
        assert item.done

    def test_an_action_for_an_outsider_is_refused(self, client, alice, charlie, partnership):
        login(client, alice)
        with unchanged():
            response = client.post(
                f"/p/{partnership.pk}/iterate/actions/new/", {"text": "x", "owner_id": charlie.pk}, follow=True
            )
        assert b"Select a valid choice" in response.content or b"must be a member" in response.content


class TestExperimentPages:
    def test_verdict_and_charter_proposal(self, client, alice, partnership, experiment):
        url = f"/p/{partnership.pk}/iterate/experiments/{experiment.pk}/"
        login(client, alice).post(url, {"status": "kept", "outcome": "It worked"})
        experiment.refresh_from_db()
        assert (experiment.status, experiment.outcome) == ("kept", "It worked")
        response = client.post(f"{url}charter/")
        experiment.refresh_from_db()
        assert response["Location"] == f"/p/{partnership.pk}/design/revisions/{experiment.charter_revision_id}/"

    def test_format_changes_the_next_retros_columns(self, client, alice, partnership):
        login(client, alice).post(
            f"/p/{partnership.pk}/iterate/format/",
            {"going_well": "Energising", "frustrating": "Draining", "try_next": "Next month", "votes_per_person": "5"},
        )
        retro = meeting_create(partnership=partnership, user=alice, kind="retro", scheduled_for=now())
        assert retro.column_labels["going_well"] == "Energising"
        assert retro.votes_per_person == 5


def test_a_never_revealed_retro_counts_no_cards_in_the_list(client, alice, bob, partnership):
    from accord.rituals.services import meeting_update

    past = meeting_create(partnership=partnership, user=alice, kind="retro", scheduled_for=now() - timedelta(days=3))
    card_add(meeting=past, user=alice, column="frustrating", text="hidden")
    meeting_update(meeting=past, cancel=True)
    html = login(client, bob).get(f"/p/{partnership.pk}/iterate/").content.decode()
    assert "0 cards" in html
    assert "1 card" not in html


def test_the_words_around_a_retro_follow_its_state(client, alice, bob, partnership, retro):
    """After the reveal the card box no longer promises privacy, and a running retro is not "Planned"."""
    login(client, alice)
    page = f"/p/{partnership.pk}/iterate/meetings/{retro.pk}/"
    before = client.get(page).content.decode()
    assert "Only you see your cards until the retro is revealed." in before and ">Planned<" in before
    meeting_reveal(meeting=retro)
    live = client.get(f"{page}live/?v=stale", headers={"HX-Request": "true"}).content.decode()
    # the box outside the fragment changes too
    assert 'id="retro-write-note" data-hx-swap-oob="true">Cards are revealed' in live
    after = client.get(page).content.decode()
    assert "Only you see your cards" not in after and ">In progress<" in after and ">Planned<" not in after


def test_an_experiment_needs_a_bet_and_a_way_to_tell(client, alice, partnership):
    login(client, alice)
    with unchanged():
        response = client.post(f"/p/{partnership.pk}/iterate/experiments/", {"title": "Pre-reads for every 1:1"})
    html = response.content.decode()
    assert "An experiment is a bet: say what you believe it will change." in html
    assert "Say how you will tell it worked, so that you can review it." in html
    assert 'value="Pre-reads for every 1:1"' in html
