"""Themes on sparse vectors give the labels dense average linkage gives; they are worked out in a
background task, stored per partnership, and read back without clustering."""

from __future__ import annotations

import random
from datetime import timedelta

import numpy as np
import pytest
from django.db.models import F
from django.utils.timezone import now
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.spatial.distance import pdist

from accord.insights import textsim, themes
from accord.insights.models import ThemeSet
from accord.insights.tests.theme_fixture import THEMED, labelled
from accord.partnerships.models import Partnership
from accord.rituals.services import card_add, meeting_create, meeting_reveal
from accord.tensions.services import journal_write


def dense_oracle(texts: list[str], threshold: float = themes.DISTANCE_THRESHOLD) -> list[int]:
    """Average linkage on the full dense cosine distance matrix: what the sparse version must equal."""
    rows = textsim.tfidf(texts).toarray()
    tree = linkage(np.clip(pdist(rows, metric="cosine"), 0, 2), method="average")
    return list(fcluster(tree, float(np.nextafter(threshold, 0)), criterion="distance"))


def partition(labels: list[int]) -> set[frozenset[int]]:
    groups: dict[int, set[int]] = {}
    for index, label in enumerate(labels):
        groups.setdefault(int(label), set()).add(index)
    return {frozenset(g) for g in groups.values()}


def test_sparse_clusters_equal_dense_linkage_on_the_fixture_and_on_random_texts():
    texts = [t for t, _ in labelled()]
    assert partition(themes.cluster(texts)) == partition(dense_oracle(texts))
    rng = random.Random(18)
    words = " ".join(texts).lower().split()
    for size in (50, 200, 400):
        sample = [" ".join(rng.choice(words) for _ in range(rng.randint(2, 9))) for _ in range(size)]
        found = partition(themes.cluster(sample))
        assert found == partition(dense_oracle(sample))
        assert 1 < len(found) < size  # some texts grouped, not all: the comparison means something


def test_repeated_texts_are_clustered_once_with_the_labels_of_every_copy():
    rng = random.Random(18)
    words = " ".join(t for t, _ in labelled()).lower().split()
    base = [" ".join(rng.choice(words) for _ in range(rng.randint(2, 9))) for _ in range(150)]
    # Repeats as written, in capitals and with other spacing: one row each, weighted by their number.
    sample = [rng.choice(base[:40]) for _ in range(250)] + base + [f"  {t.upper()} " for t in base[:30]]
    rng.shuffle(sample)
    assert partition(themes.cluster(sample)) == partition(dense_oracle(sample))
    assert partition(themes.cluster(sample, 0.6)) == partition(dense_oracle(sample, 0.6))
    assert themes.cluster(["Same text", "same  TEXT"]) == [0, 0]
    assert themes.cluster(["One text"]) == [0]
    assert themes.cluster([]) == []


def test_char_ngrams_pad_each_word_and_count_short_words_once():
    assert textsim.ngrams("Scope  ok") == [" sco", "scop", "cope", "ope ", " scop", "scope", "cope ", " ok "]


def reveal_surprises(partnership, alice, bob, *, hidden_text: str | None = None):
    early = meeting_create(partnership=partnership, user=alice, kind="retro", scheduled_for=now() - timedelta(days=40))
    later = meeting_create(partnership=partnership, user=alice, kind="retro", scheduled_for=now() - timedelta(days=5))
    for i, text in enumerate(THEMED["surprises"][:4]):
        card_add(meeting=early if i % 2 else later, user=alice if i % 2 else bob, column="frustrating", text=text)
    if hidden_text:
        hidden = meeting_create(partnership=partnership, user=alice, kind="retro", scheduled_for=now())
        for _ in range(3):
            card_add(meeting=hidden, user=alice, column="frustrating", text=hidden_text)
        for _ in range(3):
            journal_write(partnership=partnership, user=alice, text=hidden_text)
    meeting_reveal(meeting=early)
    meeting_reveal(meeting=later)


@pytest.mark.django_db
def test_the_stored_row_never_holds_unrevealed_text(partnership, alice, bob):
    reveal_surprises(partnership, alice, bob, hidden_text="The quarterly budget spreadsheet formulas broke")
    row = ThemeSet.objects.get(partnership=partnership)
    assert len(row.themes) == 1 and len(row.themes[0]["occurrences"]) >= 3
    assert "spreadsheet" not in str(row.themes)


@pytest.mark.django_db
def test_themes_are_worked_out_after_the_write_and_read_without_clustering(
    partnership, alice, bob, monkeypatch, django_assert_num_queries
):
    assert themes.themes_get(partnership=partnership).themes == []
    reveal_surprises(partnership, alice, bob)
    stored = themes.themes_get(partnership=partnership)
    assert stored.computed_at == now() and [t.label for t in stored.themes] == ["scope change"]

    def no_clustering(*args, **kwargs):
        raise AssertionError("clustered")

    monkeypatch.setattr(themes, "cluster", no_clustering)
    with django_assert_num_queries(1):
        assert themes.recurring_themes(partnership=partnership) == stored.themes
    # A write that changes none of the texts leaves the stored themes as they are.
    journal_write(partnership=partnership, user=alice, text="A private note")
    assert themes.themes_store(partnership) is False
    assert ThemeSet.objects.get(partnership=partnership).computed_at == stored.computed_at


@pytest.mark.django_db
def test_the_dashboard_says_when_themes_were_worked_out(client, partnership, alice, bob, settings):
    client.force_login(alice)
    reveal_surprises(partnership, alice, bob)
    page = client.get(f"/p/{partnership.pk}/").content.decode()
    assert "Worked out at" in page and "scope change" in page
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}  # tasks wait, as in production
    ThemeSet.objects.all().delete()  # as before the first task has run (a new page: a new version)
    Partnership.objects.filter(pk=partnership.pk).update(version=F("version") + 1)
    page = client.get(f"/p/{partnership.pk}/").content.decode()
    assert "Not worked out yet" in page


@pytest.mark.django_db
def test_the_dashboard_renders_its_list_of_themes_once_for_each_set_worked_out(
    client, partnership, alice, bob, settings
):
    client.force_login(alice)
    reveal_surprises(partnership, alice, bob)  # the refresh task renders the list as it stores the themes
    page = client.get(f"/p/{partnership.pk}/")
    assert "scope change" in page.content.decode()
    assert "insights/_themes.html" not in [t.name for t in page.templates]
    journal_write(partnership=partnership, user=alice, text="A private note")  # a write, the same themes
    page = client.get(f"/p/{partnership.pk}/")
    assert "scope change" in page.content.decode() and "A private note" not in page.content.decode()
    assert "insights/_themes.html" not in [t.name for t in page.templates]
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}  # tasks wait, as in production
    ThemeSet.objects.update(fingerprint="another set")  # as if worked out anew: rendered at the next read
    Partnership.objects.filter(pk=partnership.pk).update(version=F("version") + 1)
    page = client.get(f"/p/{partnership.pk}/")
    assert "scope change" in page.content.decode() and "insights/_themes.html" in [t.name for t in page.templates]
