from __future__ import annotations

import pytest

from accord.assessments.models import Dimension, HealthCheck, Response
from accord.assessments.services import (
    RatingInput,
    dimension_add,
    healthcheck_open,
    healthcheck_respond,
    template_ensure,
)
from accord.conftest import login, unchanged

pytestmark = pytest.mark.django_db


@pytest.fixture
def check(partnership, alice):
    return healthcheck_open(partnership=partnership, user=alice)


def answer_form(check, today="3", target="4", **overrides):
    data = {}
    for d in check.dimensions.all():
        data[f"today-{d.key}"] = today
        data[f"target-{d.key}"] = target
    data.update(overrides)
    return data


def pages(pid, hid):
    return [
        f"/p/{pid}/assess/",
        f"/p/{pid}/assess/template/",
        f"/p/{pid}/assess/{hid}/",
        f"/p/{pid}/assess/{hid}/live/",
    ]


def posts(pid, hid):
    return [
        (f"/p/{pid}/assess/start/", {}),
        (f"/p/{pid}/assess/{hid}/answer/", {}),
        (f"/p/{pid}/assess/{hid}/close/", {}),
        (f"/p/{pid}/assess/template/dimensions/new/", {"new-title": "Mine", "new-description": ""}),
    ]


def test_members_see_every_page(client, bob, partnership, check):
    login(client, bob)
    for path in pages(partnership.pk, check.pk):
        assert client.get(path).status_code == 200, path


def test_charlie_gets_404_everywhere_and_changes_nothing(client, charlie, partnership, check):
    login(client, charlie)
    with unchanged():
        for path in pages(partnership.pk, check.pk):
            assert client.get(path).status_code == 404, path
        for path, data in posts(partnership.pk, check.pk):
            assert client.post(path, data).status_code == 404, path


def test_carol_cannot_reach_the_check_through_her_own_partnership(client, carol, other_partnership, check):
    login(client, carol)
    with unchanged():
        assert client.get(f"/p/{other_partnership.pk}/assess/{check.pk}/").status_code == 404
        assert client.post(f"/p/{other_partnership.pk}/assess/{check.pk}/close/").status_code == 404


def test_visitors_are_sent_to_log_in(client, partnership, check):
    with unchanged():
        for path in pages(partnership.pk, check.pk):
            assert client.get(path)["Location"].startswith("/accounts/login/"), path
        for path, data in posts(partnership.pk, check.pk):
            assert client.post(path, data)["Location"].startswith("/accounts/login/"), path


def test_starting_a_check_opens_its_form(client, alice, partnership):
    response = login(client, alice).post(f"/p/{partnership.pk}/assess/start/")
    check = HealthCheck.objects.get()
    assert response["Location"] == f"/p/{partnership.pk}/assess/{check.pk}/"
    html = client.get(response["Location"]).content.decode()
    assert 'name="today-trust-candour"' in html
    assert "Submit my answers" in html


def test_a_second_start_explains_that_one_is_open(client, alice, partnership, check):
    response = login(client, alice).post(f"/p/{partnership.pk}/assess/start/", follow=True)
    assert b"already open" in response.content
    assert HealthCheck.objects.count() == 1


def test_submitting_shows_the_waiting_room(client, alice, partnership, check):
    response = login(client, alice).post(f"/p/{partnership.pk}/assess/{check.pk}/answer/", answer_form(check))
    assert response.status_code == 302
    html = client.get(response["Location"]).content.decode()
    assert "Waiting for Bob" in html
    assert "data-live" in html  # it follows Bob's answer without a reload


def test_a_missing_rating_keeps_everything_typed_and_saves_nothing(client, alice, partnership, check):
    data = answer_form(check, today="2", **{"note-trust-candour": "<b>we</b> are fine", "today-role-clarity": ""})
    login(client, alice)
    with unchanged():
        response = client.post(f"/p/{partnership.pk}/assess/{check.pk}/answer/", data)
    html = response.content.decode()
    assert response.status_code == 200
    # The message sits in Role clarity's own "Today" scale, which is marked; the others are not.
    role = html[html.index('id="dim-role-clarity"') :]
    role = role[: role.index("</fieldset>", role.index('id="err-today-role-clarity"'))]
    assert "Choose today: 1 to 5." in role and 'name="today-role-clarity" value="1" aria-invalid="true"' in role
    assert 'id="err-today-shared-goals"' not in html and "err-target-role-clarity" not in html
    assert 'name="today-shared-goals" value="2" checked' in html
    assert "&lt;b&gt;we&lt;/b&gt; are fine" in html


def test_an_out_of_range_rating_is_named(client, alice, partnership, check):
    data = answer_form(check, **{"today-shared-goals": "9"})
    response = login(client, alice).post(f"/p/{partnership.pk}/assess/{check.pk}/answer/", data)
    assert b'id="err-today-shared-goals"' in response.content
    assert not Response.objects.exists()


def test_a_draft_is_saved_and_comes_back(client, alice, partnership, check):
    login(client, alice)
    data = {"today-trust-candour": "2", "note-trust-candour": "draft thought"}
    response = client.post(f"/p/{partnership.pk}/assess/{check.pk}/draft/", data)
    assert response.status_code == 302
    html = client.get(f"/p/{partnership.pk}/assess/{check.pk}/").content.decode()
    assert "You have a saved draft" in html
    assert 'name="today-trust-candour" value="2" checked' in html
    assert "draft thought" in html


def test_the_last_answer_reveals_and_the_page_shows_results(client, alice, bob, partnership, check):
    login(client, alice).post(f"/p/{partnership.pk}/assess/{check.pk}/answer/", answer_form(check, "2", "5"))
    login(client, bob).post(f"/p/{partnership.pk}/assess/{check.pk}/answer/", answer_form(check, "4", "4"))
    html = client.get(f"/p/{partnership.pk}/assess/{check.pk}/").content.decode()
    assert "How each of you sees it" in html
    assert '<svg class="chart chart--radar"' in html
    assert '<td data-label="Mean today">3.0</td>' in html  # mean today of 2 and 4, one decimal


def test_the_live_fragment_turns_into_results(client, alice, bob, partnership, check):
    login(client, alice).post(f"/p/{partnership.pk}/assess/{check.pk}/answer/", answer_form(check))
    assert b"data-live" in client.get(f"/p/{partnership.pk}/assess/{check.pk}/live/").content
    healthcheck_respond(check=check, user=bob, ratings=[RatingInput(d.key, 3, 3) for d in check.dimensions.all()])
    fragment = client.get(f"/p/{partnership.pk}/assess/{check.pk}/live/").content.decode()
    assert "data-live" not in fragment  # revealed: nothing more to follow
    assert "How each of you sees it" in fragment
    assert "<html" not in fragment


def test_closing_early_reveals(client, alice, partnership, check):
    login(client, alice).post(f"/p/{partnership.pk}/assess/{check.pk}/answer/", answer_form(check))
    client.post(f"/p/{partnership.pk}/assess/{check.pk}/close/")
    check.refresh_from_db()
    assert check.status == "revealed" and check.closed_early


class TestTemplate:
    def url(self, partnership, dimension=None, verb=""):
        base = f"/p/{partnership.pk}/assess/template/dimensions/"
        if dimension is None:
            return f"{base}new/"
        return f"{base}{dimension.pk}/{verb + '/' if verb else ''}"

    def test_a_dimension_is_added_renamed_moved_retired_and_restored(self, client, alice, partnership):
        login(client, alice)
        client.post(self.url(partnership), {"new-title": "Hiring together", "new-description": "1: … 5: …"})
        added = Dimension.objects.get(key="hiring-together")
        client.post(self.url(partnership, added), {f"d{added.pk}-title": "Hiring", f"d{added.pk}-description": "x"})
        client.post(self.url(partnership, added, "up"))
        active = [d.key for d in template_ensure(partnership=partnership)]
        assert active[-2] == "hiring-together"
        client.post(self.url(partnership, added, "retire"))
        assert "hiring-together" not in [d.key for d in template_ensure(partnership=partnership)]
        client.post(self.url(partnership, added, "restore"))
        restored = Dimension.objects.get(pk=added.pk)
        assert restored.title == "Hiring" and restored.retired_at is None

    def test_an_empty_title_is_refused_and_kept_visible(self, client, alice, partnership):
        template_ensure(partnership=partnership)
        login(client, alice)
        with unchanged():
            response = client.post(self.url(partnership), {"new-title": "", "new-description": "kept text"})
        assert b"This field is required" in response.content
        assert b"kept text" in response.content

    def test_editing_the_template_never_rewrites_past_checks(self, client, alice, bob, partnership):
        first = healthcheck_open(partnership=partnership, user=alice)
        login(client, alice)
        trust = Dimension.objects.get(partnership=partnership, key="trust-candour")
        client.post(self.url(partnership, trust), {f"d{trust.pk}-title": "Trust", f"d{trust.pk}-description": "new"})
        client.post(self.url(partnership, trust, "retire"))
        dimension_add(partnership=partnership, title="Hiring", description="")
        assert [d.title for d in first.dimensions.all()][0] == "Trust and candour"
        assert first.dimensions.count() == 8
        healthcheck_respond(check=first, user=alice, ratings=[RatingInput(d.key, 3, 3) for d in first.dimensions.all()])
        healthcheck_respond(check=first, user=bob, ratings=[RatingInput(d.key, 3, 3) for d in first.dimensions.all()])
        second = healthcheck_open(partnership=partnership, user=alice)
        keys = [d.key for d in second.dimensions.all()]
        assert "trust-candour" not in keys and "hiring" in keys

    def test_the_last_dimension_cannot_be_retired(self, client, alice, partnership):
        login(client, alice)
        for d in template_ensure(partnership=partnership)[:-1]:
            client.post(self.url(partnership, d, "retire"))
        last = template_ensure(partnership=partnership)[0]
        response = client.post(self.url(partnership, last, "retire"), follow=True)
        assert b"at least one dimension" in response.content

    def test_another_partnerships_dimension_is_404(self, client, carol, alice, partnership, other_partnership):
        trust = template_ensure(partnership=partnership)[0]
        login(client, carol)
        with unchanged():
            response = client.post(f"/p/{other_partnership.pk}/assess/template/dimensions/{trust.pk}/retire/")
        assert response.status_code == 404


def _fill_history(partnership, alice, bob, count):
    for _ in range(count):
        check = healthcheck_open(partnership=partnership, user=alice)
        ratings = [RatingInput(d.key, 3, 4, note="n") for d in check.dimensions.all()]
        healthcheck_respond(check=check, user=alice, ratings=ratings)
        healthcheck_respond(check=check, user=bob, ratings=ratings)


def test_the_history_page_costs_the_same_with_20_or_40_checks(
    client, alice, bob, partnership, django_assert_max_num_queries
):
    login(client, alice)
    _fill_history(partnership, alice, bob, 20)
    with django_assert_max_num_queries(14) as at_20:
        assert client.get(f"/p/{partnership.pk}/assess/").status_code == 200
    _fill_history(partnership, alice, bob, 20)
    with django_assert_max_num_queries(len(at_20.captured_queries)):
        response = client.get(f"/p/{partnership.pk}/assess/")
    assert response.content.count(b'<th scope="row"><a href=') == 40


def test_the_check_page_costs_the_same_after_many_checks(
    client, alice, bob, partnership, django_assert_max_num_queries
):
    login(client, alice)
    _fill_history(partnership, alice, bob, 30)
    last = HealthCheck.objects.order_by("-number").first()
    with django_assert_max_num_queries(20):
        assert client.get(f"/p/{partnership.pk}/assess/{last.pk}/").status_code == 200
