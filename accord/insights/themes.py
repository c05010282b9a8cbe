"""Recurring themes: the same frustration or disagreement coming back, found by text similarity
(TF-IDF over character n-grams, clustered by cosine distance), not by exact words.
Sources are only what every partner already sees: revealed retro cards, tension topics and sides
once revealed, and shared journal entries. Private entries and unrevealed cards never contribute."""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from dataclasses import dataclass
from datetime import date

import numpy as np
from django.core.cache import cache
from django.db.models import Count, Max, Prefetch
from django.urls import reverse
from sklearn.cluster import AgglomerativeClustering
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer

from accord.lib.dates import local_date
from accord.partnerships.models import Partnership
from accord.rituals.models import Card
from accord.tensions.models import JournalEntry, Perspective

DISTANCE_THRESHOLD = 0.9  # average cosine distance under which texts are one theme (tuned on the fixture)
MAX_TEXTS = 2000


@dataclass(frozen=True)
class Occurrence:
    source: str  # "retro", "tension" or "journal"
    text: str
    on: date
    url: str


@dataclass(frozen=True)
class Theme:
    label: str
    occurrences: list[Occurrence]

    @property
    def first_seen(self) -> date:
        return min(o.on for o in self.occurrences)

    @property
    def last_seen(self) -> date:
        return max(o.on for o in self.occurrences)


def _vectoriser() -> TfidfVectorizer:
    # Character 4- and 5-grams inside words: "surprise", "surprised" and "surprising" overlap,
    # so texts about the same thing match even when they are worded differently.
    return TfidfVectorizer(analyzer="char_wb", ngram_range=(4, 5), sublinear_tf=True)


def cluster(texts: list[str], threshold: float = DISTANCE_THRESHOLD) -> list[int]:
    """A cluster label for each text; texts alike in wording and stems share a label."""
    if len(texts) < 2:
        return list(range(len(texts)))
    matrix = _vectoriser().fit_transform(texts)
    dense = np.asarray(matrix.todense())
    norms = np.linalg.norm(dense, axis=1, keepdims=True)
    dense = dense / np.where(norms == 0, 1, norms)
    model = AgglomerativeClustering(n_clusters=None, metric="cosine", linkage="average", distance_threshold=threshold)
    return [int(label) for label in model.fit_predict(dense)]


WORD = re.compile(r"[\w’'-]+")


def _label(texts: list[str]) -> str:
    """A phrase the texts of a theme share: the bigram or trigram found, in that order, in the most
    texts (the longer on a tie), neither starting nor ending with a stop word ("ad hoc requests");
    else their most shared words, in the order the texts use them; else the first text."""
    tokenised = [[w.lower() for w in WORD.findall(text)] for text in texts]
    phrases: Counter[tuple[str, ...]] = Counter()
    for words in tokenised:
        phrases.update(
            {
                gram
                for n in (2, 3)
                for gram in (tuple(words[i : i + n]) for i in range(len(words) - n + 1))
                if gram[0] not in ENGLISH_STOP_WORDS and gram[-1] not in ENGLISH_STOP_WORDS
            }
        )
    shared: list[tuple[str, ...]] = [gram for gram, count in phrases.items() if count >= 2]
    if shared:

        def rank(gram: tuple[str, ...]) -> tuple[int, int, tuple[int, int]]:
            return (-phrases[gram], -len(gram), _first_use(tokenised, gram[0]))

        return " ".join(sorted(shared, key=rank)[0])
    counts = Counter(w for words in tokenised for w in set(words) if w not in ENGLISH_STOP_WORDS and len(w) > 1)
    if not counts:
        return texts[0][:60]
    ranked = sorted(counts.items(), key=lambda wc: (-wc[1], _first_use(tokenised, wc[0])))
    top = [w for w, n in ranked[:3] if n >= 2] or [ranked[0][0]]
    return " ".join(sorted(top, key=lambda w: _first_use(tokenised, w)))


def _first_use(tokenised: list[list[str]], word: str) -> tuple[int, int]:
    """Where a word is first used: (which text, which word in it)."""
    return next((t, words.index(word)) for t, words in enumerate(tokenised) if word in words)


def occurrences(*, partnership: Partnership) -> list[Occurrence]:
    """Every text the themes may draw on: only what all partners can already see."""
    pid, tz = partnership.pk, partnership.timezone
    out: list[Occurrence] = []
    cards = (
        Card.objects.shared_in(partnership)
        .filter(column__in=("frustrating", "try_next"))
        .select_related("meeting")
        .order_by("-created_at")[:MAX_TEXTS]
    )
    for card in cards:
        url = reverse("rituals-meeting", args=[pid, card.meeting_id])
        out.append(Occurrence("retro", card.text, local_date(card.meeting.scheduled_for, tz), url))
    sides = Prefetch("perspectives", queryset=Perspective.objects.shared_in(partnership), to_attr="shared_sides")
    for tension in partnership.tensions.prefetch_related(sides).order_by("-created_at")[:MAX_TEXTS]:
        url = reverse("tensions-detail", args=[pid, tension.pk])
        out.append(Occurrence("tension", tension.topic, local_date(tension.created_at, tz), url))
        for p in tension.shared_sides:
            out.append(Occurrence("tension", p.important_to_me, local_date(p.updated_at, tz), url))
    for entry in JournalEntry.objects.shared_in(partnership).order_by("-created_at")[:MAX_TEXTS]:
        out.append(
            Occurrence("journal", entry.text, local_date(entry.created_at, tz), reverse("tensions-journal", args=[pid]))
        )
    return out


def _fingerprint(partnership: Partnership) -> str:
    """Changes whenever a text the themes draw on is added, changed, revealed, shared or removed."""
    cards = Card.objects.shared_in(partnership).aggregate(n=Count("id"), last=Max("id"))
    sides = Perspective.objects.shared_in(partnership).aggregate(n=Count("id"), last=Max("updated_at"))
    tensions = partnership.tensions.aggregate(t=Max("id"), revealed=Max("revealed_at"))
    journal = JournalEntry.objects.shared_in(partnership).aggregate(n=Count("id"), last=Max("updated_at"))
    return f"themes:{partnership.pk}:{cards}:{sides}:{tensions}:{journal}"


def recurring_themes(*, partnership: Partnership, limit: int = 8) -> list[Theme]:
    """Themes that came back: at least three occurrences on at least two different days. Clustering
    is the costly part, so the result is cached until one of the texts it draws on changes."""
    key = hashlib.sha256(_fingerprint(partnership).encode()).hexdigest()
    cached = cache.get(f"accord:themes:{partnership.pk}:{key}")
    if cached is not None:
        return list(cached)[:limit]
    found = _recurring_themes(partnership=partnership)
    cache.set(f"accord:themes:{partnership.pk}:{key}", found, timeout=7 * 24 * 3600)
    return found[:limit]


def _recurring_themes(*, partnership: Partnership, limit: int = 8) -> list[Theme]:
    items = occurrences(partnership=partnership)
    if len(items) < 3:
        return []
    labels = cluster([o.text for o in items])
    groups: dict[int, list[Occurrence]] = {}
    for label, item in zip(labels, items, strict=True):
        groups.setdefault(label, []).append(item)
    themes = [
        Theme(_label([o.text for o in group]), sorted(group, key=lambda o: o.on))
        for group in groups.values()
        if len(group) >= 3 and len({o.on for o in group}) >= 2
    ]
    themes.sort(key=lambda t: (-len(t.occurrences), t.label))
    return themes[:limit]
