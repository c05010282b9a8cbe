"""Recurring themes: the same frustration or disagreement coming back, found by text similarity (TF-IDF
over character n-grams, clustered by cosine distance: accord.insights.textsim), not by exact words.
Sources are only what every partner already sees: revealed retro cards, tension topics and sides
once revealed, and shared journal entries. Private entries and unrevealed cards never contribute.

Clustering is never done in a request: after every committed change to a partnership a task
(accord.insights.stored.partnership_refresh) is queued, which works the themes out again only when
the texts they draw on changed (`themes_store`), and stores them in the partnership's `ThemeSet`.
Pages, the API and reports read that row."""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from dataclasses import asdict, dataclass
from datetime import date, datetime

from django.db.models import Count, Max, Prefetch
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.timezone import now

from accord.insights import textsim
from accord.insights.models import ThemeSet
from accord.insights.textsim import ENGLISH_STOP_WORDS
from accord.lib.dates import local_date
from accord.lib.freshness import partnership_write
from accord.lib.pagecache import cached_value
from accord.partnerships.models import Partnership
from accord.rituals.models import Card
from accord.tensions.models import JournalEntry, Perspective

DISTANCE_THRESHOLD = 0.9  # average cosine distance under which texts are one theme (tuned on the fixture)
MAX_TEXTS = 2000
METHOD = "char_wb 4-5 tfidf, average cosine 0.9, 3 on 2 days"  # in the fingerprint: a change recomputes
LIMIT = 8
CARD_COLUMNS = ("frustrating", "try_next")  # the retro cards themes draw on


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


def cluster(texts: list[str], threshold: float = DISTANCE_THRESHOLD) -> list[int]:
    """A cluster label for each text; texts alike in wording and stems share a label."""
    return textsim.cluster(texts, threshold)


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
        .filter(column__in=CARD_COLUMNS)
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
    cards = Card.objects.shared_in(partnership).filter(column__in=CARD_COLUMNS).aggregate(n=Count("id"), last=Max("id"))
    sides = Perspective.objects.shared_in(partnership).aggregate(n=Count("id"), last=Max("updated_at"))
    tensions = partnership.tensions.aggregate(t=Max("id"), n=Count("id"), revealed=Max("revealed_at"))
    journal = JournalEntry.objects.shared_in(partnership).aggregate(n=Count("id"), last=Max("updated_at"))
    key = f"{METHOD}:{partnership.pk}:{partnership.timezone}:{cards}:{sides}:{tensions}:{journal}"
    return hashlib.sha256(key.encode()).hexdigest()


@dataclass(frozen=True)
class StoredThemes:
    """The latest themes worked out for a partnership, and when; `computed_at` is None before the
    first time."""

    themes: list[Theme]
    computed_at: datetime | None


def themes_get(*, partnership: Partnership) -> StoredThemes:
    """The stored themes (one query): never clusters."""
    row = ThemeSet.objects.filter(partnership=partnership).only("themes", "computed_at").first()
    if row is None:
        return StoredThemes([], None)
    return StoredThemes([_theme_from(t) for t in row.themes], row.computed_at)


@dataclass(frozen=True)
class ShownThemes:
    """The dashboard's list of themes, rendered once for each set worked out (`html` is empty when
    none came back), when they were worked out (None before the first time), and the fingerprint
    of the texts they were worked out from ("" before), which changes with every new set."""

    html: str
    computed_at: datetime | None
    fingerprint: str = ""


def themes_shown(*, partnership: Partnership) -> ShownThemes:
    """The stored themes as the dashboard lists them: one query, and the list from the cache until
    the themes are worked out anew (a write that changes no text they draw on renders nothing)."""
    row = ThemeSet.objects.filter(partnership=partnership).values("fingerprint", "computed_at").first()
    if row is None:
        return ShownThemes("", None, "")
    html = cached_value(
        f"p{partnership.pk}",
        row["fingerprint"],
        partnership.created_at,
        "themes-html",
        lambda: str(render_to_string("insights/_themes.html", {"themes": themes_get(partnership=partnership).themes})),
    )
    shown = mark_safe(html.strip())  # noqa: S308 - rendered, escaped, by the template
    return ShownThemes(shown, row["computed_at"], row["fingerprint"])


def recurring_themes(*, partnership: Partnership, limit: int = LIMIT) -> list[Theme]:
    """Themes that came back (at least three occurrences on at least two different days), as last
    worked out by `themes_store`."""
    return themes_get(partnership=partnership).themes[:limit]


def themes_store(partnership: Partnership) -> bool:
    """Work out a partnership's themes again if the texts they draw on changed since the stored
    ones (most writes change none of them: then nothing is done). True when they were stored.
    Run in the background, by accord.insights.stored.partnership_refresh."""
    fingerprint = _fingerprint(partnership)
    if ThemeSet.objects.filter(partnership=partnership, fingerprint=fingerprint).exists():
        return False
    found = [_theme_json(t) for t in _recurring_themes(partnership=partnership)]
    # Pages and API cached under the old version show new themes; the stored figures hold none.
    with partnership_write(partnership, figures=False):
        ThemeSet.objects.update_or_create(
            partnership=partnership, defaults={"fingerprint": fingerprint, "themes": found, "computed_at": now()}
        )
    return True


def _theme_json(theme: Theme) -> dict[str, object]:
    occurrences = [{**asdict(o), "on": o.on.isoformat()} for o in theme.occurrences]
    return {"label": theme.label, "occurrences": occurrences}


def _theme_from(data: dict[str, object]) -> Theme:
    found = data["occurrences"]
    assert isinstance(found, list)
    return Theme(
        str(data["label"]),
        [Occurrence(o["source"], o["text"], date.fromisoformat(o["on"]), o["url"]) for o in found],
    )


def _recurring_themes(*, partnership: Partnership, limit: int = LIMIT) -> list[Theme]:
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
