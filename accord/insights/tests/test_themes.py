"""Recurring themes are found by similarity, not exact words: measured on a labelled fixture."""

from __future__ import annotations

from datetime import timedelta
from itertools import combinations

import pytest
from django.utils.timezone import now

from accord.insights.tests.theme_fixture import THEMED, labelled
from accord.insights.themes import cluster, recurring_themes
from accord.rituals.models import Card
from accord.rituals.services import card_add, meeting_create, meeting_reveal
from accord.tensions.services import journal_write, tension_raise


def pairwise(labels_true: list[str], labels_pred: list[int]) -> tuple[float, float]:
    same_true = {(i, j) for i, j in combinations(range(len(labels_true)), 2) if labels_true[i] == labels_true[j]}
    same_pred = {(i, j) for i, j in combinations(range(len(labels_pred)), 2) if labels_pred[i] == labels_pred[j]}
    hits = len(same_true & same_pred)
    precision = hits / len(same_pred) if same_pred else 0.0
    recall = hits / len(same_true) if same_true else 0.0
    return precision, recall


def test_themes_match_the_labelled_fixture():
    rows = labelled()
    assert len(rows) >= 60
    texts, truth = [t for t, _ in rows], [label for _, label in rows]
    precision, recall = pairwise(truth, cluster(texts))
    print(f"\nrecurring themes on {len(rows)} labelled texts: precision {precision:.2f}, recall {recall:.2f}")
    assert precision >= 0.7
    assert recall >= 0.7


@pytest.mark.django_db
def test_themes_draw_only_on_what_both_partners_see(partnership, alice, bob):
    secret_words = "quarterly budget spreadsheet formulas"
    retro = meeting_create(partnership=partnership, user=alice, kind="retro", scheduled_for=now() - timedelta(days=40))
    later = meeting_create(partnership=partnership, user=alice, kind="retro", scheduled_for=now() - timedelta(days=5))
    for i, text in enumerate(THEMED["surprises"][:4]):
        card_add(meeting=retro if i % 2 else later, user=alice if i % 2 else bob, column="frustrating", text=text)
    meeting_reveal(meeting=retro)
    meeting_reveal(meeting=later)
    tension_raise(partnership=partnership, user=bob, topic=THEMED["surprises"][5])
    journal_write(partnership=partnership, user=alice, text=THEMED["surprises"][6], visibility="shared")
    # None of these may contribute: a private entry and cards of an unrevealed retro.
    for _ in range(3):
        journal_write(partnership=partnership, user=alice, text=f"My {secret_words} again")
    hidden = meeting_create(partnership=partnership, user=alice, kind="retro", scheduled_for=now())
    for _ in range(3):
        card_add(meeting=hidden, user=alice, column="frustrating", text=f"The {secret_words} broke")
    themes = recurring_themes(partnership=partnership)
    assert len(themes) == 1
    theme = themes[0]
    assert {o.source for o in theme.occurrences} == {"retro", "tension", "journal"}
    assert len(theme.occurrences) == 6
    assert "scope" in theme.label or "change" in theme.label or "heads" in theme.label
    everything = " ".join(o.text for t in themes for o in t.occurrences) + " ".join(t.label for t in themes)
    assert "spreadsheet" not in everything
    assert Card.objects.filter(meeting=hidden).count() == 3


def test_a_theme_is_labelled_by_a_phrase_its_texts_use_in_their_order():
    from accord.insights.themes import _label

    texts = ["Too many ad hoc requests from sales", "Ad hoc requests again this sprint", "More ad hoc requests"]
    assert _label(texts) == "ad hoc requests"
    assert _label(["Scope changed mid sprint", "The scope changed again", "Late scope change"]) == "scope changed"


def test_without_a_shared_phrase_the_label_is_the_shared_words_in_text_order():
    from accord.insights.themes import _label

    assert _label(["Deploys are slow", "Slow deploys block us", "Waiting on the pipeline"]) == "deploys slow"
    assert _label(["We are", "It is", "Of the"]) == "We are"  # only stop words: the first text
