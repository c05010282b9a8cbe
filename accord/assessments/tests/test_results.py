"""The arithmetic of a revealed check: means, gaps, guesses and suggested topics."""

from __future__ import annotations

import pytest

from accord.assessments.selectors import healthcheck_get, healthcheck_view
from accord.assessments.services import RatingInput, healthcheck_open, healthcheck_respond

pytestmark = pytest.mark.django_db


def answer(check, user, values, guesses=None):
    keys = [d.key for d in check.dimensions.all()]
    ratings = [
        RatingInput(dimension=k, today=t, target=g, guess=(guesses or {}).get(k))
        for k, (t, g) in zip(keys, values, strict=False)
    ]
    # dimensions not listed get a neutral 3 -> 3
    ratings += [RatingInput(dimension=k, today=3, target=3) for k in keys[len(values) :]]
    healthcheck_respond(check=check, user=user, ratings=ratings)


def test_it_computes_means_and_both_gaps(partnership, alice, bob):
    check = healthcheck_open(partnership=partnership, user=alice)
    answer(check, alice, [(2, 5), (4, 4)], guesses={"trust-candour": 4})
    answer(check, bob, [(5, 5), (3, 5)], guesses={"trust-candour": 1})
    view = healthcheck_view(check=healthcheck_get(user=alice, hid=check.pk), user=alice)
    trust, rhythm = view.results[0], view.results[1]
    assert (trust.today_mean, trust.target_mean, trust.improvement_gap, trust.perception_gap) == (3.5, 5, 1.5, 3)
    assert (rhythm.today_mean, rhythm.target_mean, rhythm.improvement_gap, rhythm.perception_gap) == (3.5, 4.5, 1, 1)
    assert [(r.user_id, r.today, r.target) for r in trust.ratings] == [(alice.pk, 2, 5), (bob.pk, 5, 5)]
    accuracy = {g.user_id: (g.guesses, g.mean_error) for g in view.guess_accuracy}
    assert accuracy == {alice.pk: (1, 1.0), bob.pk: (1, 1.0)}
    assert view.topics[0].key == "trust-candour"
    assert "differently" in view.topics[0].reason


def test_the_improvement_gap_can_be_a_fraction_and_a_topic(partnership, alice, bob):
    check = healthcheck_open(partnership=partnership, user=alice)
    answer(check, alice, [(3, 3), (2, 5)])
    answer(check, bob, [(3, 3), (3, 4)])
    view = healthcheck_view(check=healthcheck_get(user=bob, hid=check.pk), user=bob)
    assert view.results[1].improvement_gap == 2.0
    assert [t.key for t in view.topics] == ["communication-rhythm"]


def test_it_compares_with_the_previous_check(partnership, alice, bob):
    first = healthcheck_open(partnership=partnership, user=alice)
    answer(first, alice, [(2, 4)])
    answer(first, bob, [(2, 4)])
    second = healthcheck_open(partnership=partnership, user=bob)
    answer(second, alice, [(4, 4)])
    answer(second, bob, [(3, 4)])
    from accord.assessments.selectors import healthcheck_previous

    check = healthcheck_get(user=alice, hid=second.pk)
    previous = healthcheck_previous(check=check)
    assert previous.pk == first.pk
    view = healthcheck_view(check=check, user=alice, previous=previous)
    assert view.results[0].change == 1.5
    assert view.results[1].change == 0


def test_a_single_answer_has_no_perception_gap_to_speak_of(partnership, alice, bob):
    from accord.assessments.services import healthcheck_close

    check = healthcheck_open(partnership=partnership, user=alice)
    answer(check, alice, [(1, 5)])
    healthcheck_close(check=check, user=alice)
    view = healthcheck_view(check=healthcheck_get(user=bob, hid=check.pk), user=bob)
    assert view.results[0].perception_gap == 0
    assert view.results[0].improvement_gap == 4
    assert view.guess_accuracy == []
