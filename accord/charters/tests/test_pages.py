from __future__ import annotations

import pytest

from accord.charters.models import CharterRevision, Measure, Reading
from accord.charters.services import CharterContent, charter_propose, charter_revision_ratify
from accord.conftest import assert_no_executable_markup, login, unchanged

pytestmark = pytest.mark.django_db

XSS = [
    "<script>alert('x')</script>",
    '<img src=x onerror="alert(1)">',
    "[click](javascript:alert(1))",
    "<svg/onload=alert(1)>",
    '<a href="data:text/html;base64,PHNjcmlwdD4=">d</a>',
    "**bold** <iframe src=//evil.example></iframe>",
    "<<b>>broken <b onmouseover=alert(1)>markup",
]


def form_data(**overrides):
    data = {
        "base": "",
        "purpose": "We lead together.",
        "values": "Candour\nCare",
        "principles": "Customers first",
        "agreements": "Weekly 1:1",
        "rationale": "Because",
        "area_0": "Roadmap",
        "owner_0": "PM",
        "ratify": "on",
    }
    data.update(overrides)
    return data


def ratified(partnership, alice, bob, purpose="v1"):
    current = partnership.charter_revisions.filter(status="ratified").first()
    revision = charter_propose(
        rationale="What we learned since",
        partnership=partnership,
        user=alice,
        base=current.number if current else None,
        content=CharterContent(purpose=purpose, agreements=["Weekly"]),
    )
    charter_revision_ratify(revision=revision, user=alice)
    return charter_revision_ratify(revision=revision, user=bob)


@pytest.fixture
def revision(partnership, alice, bob):
    return ratified(partnership, alice, bob)


@pytest.fixture
def measure(partnership, alice):
    return Measure.objects.create(partnership=partnership, name="Joint decisions", target=80)


def pages(pid, rid, mid):
    return [
        f"/p/{pid}/design/",
        f"/p/{pid}/design/propose/",
        f"/p/{pid}/design/propose/?start=starter",
        f"/p/{pid}/design/propose/?from={rid}",
        f"/p/{pid}/design/history/",
        f"/p/{pid}/design/compare/?a={rid}&b={rid}",
        f"/p/{pid}/design/revisions/{rid}/",
        f"/p/{pid}/design/measures/new/",
        f"/p/{pid}/design/measures/{mid}/",
    ]


def posts(pid, rid, mid):
    return [
        (f"/p/{pid}/design/propose/", form_data(base="1")),
        (f"/p/{pid}/design/revisions/{rid}/ratify/", {}),
        (f"/p/{pid}/design/revisions/{rid}/withdraw/", {}),
        (f"/p/{pid}/design/measures/new/", {"name": "M", "target": "1", "direction": "up"}),
        (f"/p/{pid}/design/measures/{mid}/", {"value": "1", "taken_on": "2026-01-01"}),
    ]


def test_members_see_every_page(client, bob, partnership, revision, measure):
    login(client, bob)
    for path in pages(partnership.pk, revision.pk, measure.pk):
        assert client.get(path).status_code == 200, path


def test_charlie_gets_404_everywhere_and_nothing_changes(client, charlie, partnership, revision, measure):
    login(client, charlie)
    with unchanged():
        for path in pages(partnership.pk, revision.pk, measure.pk):
            assert client.get(path).status_code == 404, path
        for path, data in posts(partnership.pk, revision.pk, measure.pk):
            assert client.post(path, data).status_code == 404, path


def test_carol_cannot_reach_them_through_her_own_partnership(client, carol, other_partnership, revision, measure):
    pid = other_partnership.pk
    login(client, carol)
    with unchanged():
        for path in (
            f"/p/{pid}/design/revisions/{revision.pk}/",
            f"/p/{pid}/design/measures/{measure.pk}/",
            f"/p/{pid}/design/propose/?from={revision.pk}",
            f"/p/{pid}/design/compare/?a={revision.pk}&b={revision.pk}",
        ):
            assert client.get(path).status_code == 404, path
        assert client.post(f"/p/{pid}/design/revisions/{revision.pk}/ratify/").status_code == 404


def test_visitors_are_sent_to_log_in(client, partnership, revision, measure):
    with unchanged():
        for path in pages(partnership.pk, revision.pk, measure.pk):
            assert client.get(path)["Location"].startswith("/accounts/login/"), path
        for path, data in posts(partnership.pk, revision.pk, measure.pk):
            assert client.post(path, data)["Location"].startswith("/accounts/login/"), path


def test_an_empty_design_page_offers_the_starter(client, alice, partnership):
    html = login(client, alice).get(f"/p/{partnership.pk}/design/").content.decode()
    assert "Start from the starter charter" in html
    starter = client.get(f"/p/{partnership.pk}/design/propose/?start=starter").content.decode()
    assert "We lead Checkout squad together" in starter
    assert 'value="EM" selected' in starter


def test_proposing_and_ratifying_through_the_pages(client, alice, bob, partnership):
    response = login(client, alice).post(f"/p/{partnership.pk}/design/propose/", form_data())
    revision = CharterRevision.objects.get()
    assert response["Location"] == f"/p/{partnership.pk}/design/revisions/{revision.pk}/"
    assert [r.user_id for r in revision.ratifications.all()] == [alice.pk]
    page = login(client, bob).get(response["Location"]).content.decode()
    assert "<strong>Waiting for you</strong>: it takes effect" in page
    assert '<li class="diff-added"><ins><span class="visually-hidden">Added: </span>Candour</ins></li>' in page
    client.post(f"/p/{partnership.pk}/design/revisions/{revision.pk}/ratify/")
    revision.refresh_from_db()
    assert (revision.status, revision.number) == ("ratified", 1)
    home = client.get(f"/p/{partnership.pk}/design/").content.decode()
    assert "Version 1, ratified" in home


def test_a_stale_proposal_keeps_every_word_and_offers_the_current_base(client, alice, bob, partnership, revision):
    ratified(partnership, alice, bob, purpose="v2 by someone else")  # version 2 lands while Bob types
    login(client, bob)
    typed = form_data(base="1", purpose="Bob's careful rewrite", area_0="Hiring", owner_0="shared")
    with unchanged():
        response = client.post(f"/p/{partnership.pk}/design/propose/", typed)
    html = response.content.decode()
    assert "The charter changed while you were editing" in html
    assert "Bob&#x27;s careful rewrite" in html
    assert 'value="Hiring"' in html
    assert 'name="base" value="2"' in html
    client.post(f"/p/{partnership.pk}/design/propose/", {**typed, "base": "2"})
    assert CharterRevision.objects.filter(purpose="Bob's careful rewrite", base__number=2).exists()


def test_an_outdated_proposal_offers_a_rebase_with_its_text(client, alice, bob, partnership, revision):
    theirs = charter_propose(
        rationale="What we learned since",
        partnership=partnership,
        user=bob,
        base=1,
        content=CharterContent(purpose="Bob's idea", values=["Trust"]),
    )
    ratified(partnership, alice, bob, purpose="Alice's idea")
    login(client, bob)
    response = client.post(f"/p/{partnership.pk}/design/revisions/{theirs.pk}/ratify/", follow=True)
    assert b"written against an older version" in response.content
    rebase = client.get(f"/p/{partnership.pk}/design/propose/?from={theirs.pk}").content.decode()
    assert "Bob&#x27;s idea" in rebase
    assert 'name="base" value="2"' in rebase
    assert f'name="replaces" value="{theirs.pk}"' in rebase
    client.post(
        f"/p/{partnership.pk}/design/propose/",
        form_data(base="2", replaces=str(theirs.pk), purpose="Bob's idea", values="Trust"),
    )
    theirs.refresh_from_db()
    assert theirs.status == "withdrawn"
    assert CharterRevision.objects.filter(status="proposed", purpose="Bob's idea", base__number=2).exists()


def test_a_missing_owner_is_named_and_nothing_is_saved(client, alice, partnership):
    login(client, alice)
    with unchanged():
        response = client.post(f"/p/{partnership.pk}/design/propose/", form_data(owner_0=""))
    assert b"Say who owns this area" in response.content
    assert b'value="Roadmap"' in response.content


def test_withdrawing_from_the_page(client, alice, partnership):
    revision = charter_propose(
        rationale="What we learned since",
        partnership=partnership,
        user=alice,
        base=None,
        content=CharterContent(purpose="x"),
    )
    login(client, alice).post(f"/p/{partnership.pk}/design/revisions/{revision.pk}/withdraw/")
    revision.refresh_from_db()
    assert revision.status == "withdrawn"


def test_history_compares_any_two_revisions(client, alice, bob, partnership, revision):
    v2 = ratified(partnership, alice, bob, purpose="second")
    login(client, alice)
    history = client.get(f"/p/{partnership.pk}/design/history/").content.decode()
    assert "Version 2" in history and "Version 1" in history
    compare = client.get(f"/p/{partnership.pk}/design/compare/?a={v2.pk}&b={revision.pk}").content.decode()
    assert "Version 1 → Version 2" in compare
    assert "second" in compare


@pytest.mark.parametrize("payload", XSS)
def test_no_executable_markup_survives_in_any_field(client, alice, bob, partnership, payload):
    login(client, alice)
    client.post(
        f"/p/{partnership.pk}/design/propose/",
        form_data(
            purpose=f"Intro {payload}",
            values=payload,
            principles=payload,
            agreements=payload,
            rationale=payload,
            area_0=payload[:200],
        ),
    )
    revision = CharterRevision.objects.get()
    charter_revision_ratify(revision=revision, user=bob)
    measure = Measure.objects.create(partnership=partnership, name=payload[:120], method=payload, target=1)
    Reading.objects.create(measure=measure, value=2, taken_on="2026-01-01", note=payload[:500])
    for path in (
        f"/p/{partnership.pk}/design/",
        f"/p/{partnership.pk}/design/revisions/{revision.pk}/",
        f"/p/{partnership.pk}/design/history/",
        f"/p/{partnership.pk}/design/propose/",
        f"/p/{partnership.pk}/design/measures/{measure.pk}/",
    ):
        assert_no_executable_markup(client.get(path).content.decode())


def test_measures_are_created_and_read(client, alice, partnership):
    login(client, alice)
    response = client.post(
        f"/p/{partnership.pk}/design/measures/new/",
        {"name": "Joint decisions", "target": "80", "direction": "up", "unit": "%"},
    )
    measure = Measure.objects.get()
    assert response["Location"] == f"/p/{partnership.pk}/design/measures/{measure.pk}/"
    for value, day in (("50", "2026-05-01"), ("85", "2026-06-01")):
        client.post(response["Location"], {"value": value, "taken_on": day})
    page = client.get(response["Location"]).content.decode()
    assert "On track" in page
    assert "chart--line" in page
    bad = client.post(response["Location"], {"value": "lots", "taken_on": "2026-06-02"})
    assert b"Enter a number" in bad.content
    assert Reading.objects.count() == 2


def test_the_design_page_costs_the_same_with_much_history(
    client, alice, bob, partnership, django_assert_max_num_queries
):
    login(client, alice)
    for i in range(15):
        ratified(partnership, alice, bob, purpose=f"v{i}")
    for i in range(5):
        charter_propose(
            rationale="What we learned since",
            partnership=partnership,
            user=bob,
            base=15,
            content=CharterContent(purpose=f"idea {i}"),
        )
    for i in range(10):
        m = Measure.objects.create(partnership=partnership, name=f"M{i}", target=1)
        for d in range(1, 20):
            Reading.objects.create(measure=m, value=d, taken_on=f"2026-01-{d:02d}")
    with django_assert_max_num_queries(16):
        assert client.get(f"/p/{partnership.pk}/design/").status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(f"/p/{partnership.pk}/design/history/").status_code == 200
