"""Text similarity for recurring themes, on sparse vectors: TF-IDF over character 4- and 5-grams
inside words, and average-linkage clustering by cosine distance, one connected component at a time.

It reproduces what scikit-learn's `TfidfVectorizer(analyzer="char_wb", ngram_range=(4, 5),
sublinear_tf=True)` and `AgglomerativeClustering(linkage="average", metric="cosine")` give, without
a dense texts × n-grams matrix: two texts are linked when their cosine distance is under the
threshold; average linkage never merges two groups every pair of which is at or past it, so groups
in different components of that graph stay apart, and each component is clustered on its own.
A text linked to no other is a theme of one."""

from __future__ import annotations

import math
import re
from collections import Counter

import numpy as np
from scipy.sparse import csr_matrix, vstack
from scipy.sparse.csgraph import connected_components

# English stop words, copied from scikit-learn (sklearn/feature_extraction/_stop_words.py), which
# took them from the Glasgow Information Retrieval Group's list.
#   Copyright (c) 2007-2024 The scikit-learn developers. All rights reserved.
#   BSD 3-Clause licence: redistribution and use in source and binary forms, with or without
#   modification, are permitted provided that (1) redistributions of source code retain the above
#   copyright notice, this list of conditions and the following disclaimer; (2) redistributions in
#   binary form reproduce them in the documentation or other materials provided; (3) neither the
#   name of the copyright holder nor the names of its contributors may be used to endorse or promote
#   products derived from this software without specific prior written permission. THIS SOFTWARE IS
#   PROVIDED BY THE COPYRIGHT HOLDERS AND CONTRIBUTORS "AS IS" AND ANY EXPRESS OR IMPLIED WARRANTIES
#   ARE DISCLAIMED; IN NO EVENT SHALL THEY BE LIABLE FOR ANY DAMAGES ARISING IN ANY WAY OUT OF ITS USE.
_STOP_WORDS = """
    a about above across after afterwards again against all almost alone along already also although always am
    among amongst amoungst amount an and another any anyhow anyone anything anyway anywhere are around as at
    back be became because become becomes becoming been before beforehand behind being below beside besides
    between beyond bill both bottom but by call can cannot cant co con could couldnt cry de describe detail do
    done down due during each eg eight either eleven else elsewhere empty enough etc even ever every everyone
    everything everywhere except few fifteen fifty fill find fire first five for former formerly forty found
    four from front full further get give go had has hasnt have he hence her here hereafter hereby herein
    hereupon hers herself him himself his how however hundred i ie if in inc indeed interest into is it its
    itself keep last latter latterly least less ltd made many may me meanwhile might mill mine more moreover
    most mostly move much must my myself name namely neither never nevertheless next nine no nobody none noone
    nor not nothing now nowhere of off often on once one only onto or other others otherwise our ours
    ourselves out over own part per perhaps please put rather re same see seem seemed seeming seems serious
    several she should show side since sincere six sixty so some somehow someone something sometime sometimes
    somewhere still such system take ten than that the their them themselves then thence there thereafter
    thereby therefore therein thereupon these they thick thin third this those though three through throughout
    thru thus to together too top toward towards twelve twenty two un under until up upon us very via was we
    well were what whatever when whence whenever where whereafter whereas whereby wherein whereupon wherever
    whether which while whither who whoever whole whom whose why will with within without would yet you your
    yours yourself yourselves
"""
ENGLISH_STOP_WORDS = frozenset(_STOP_WORDS.split())

NGRAMS = (4, 5)
SPACES = re.compile(r"\s\s+")
ROWS_AT_ONCE = 1024  # rows of the similarity product made at a time: bounds its memory


def ngrams(text: str, sizes: tuple[int, int] = NGRAMS) -> list[str]:
    """Character n-grams inside words, each word padded with a space either side ("char_wb"); a
    word shorter than the smallest size counts once, whole."""
    out: list[str] = []
    for word in SPACES.sub(" ", text.lower()).split():
        padded = f" {word} "
        for n in range(sizes[0], sizes[1] + 1):
            out.extend(padded[i : i + n] for i in range(max(len(padded) - n, 0) + 1))
            if len(padded) <= n:
                break
    return out


def tfidf(texts: list[str]) -> csr_matrix:
    """One L2-normalised row per text: sublinear term frequency (1 + log count) times smoothed
    inverse document frequency (1 + log((1 + texts) / (1 + texts with the n-gram)))."""
    vocabulary: dict[str, int] = {}
    rows, cols, values = [], [], []
    for row, text in enumerate(texts):
        for gram, count in Counter(ngrams(text)).items():
            rows.append(row)
            cols.append(vocabulary.setdefault(gram, len(vocabulary)))
            values.append(1.0 + math.log(count))
    matrix = csr_matrix((values, (rows, cols)), shape=(len(texts), len(vocabulary)), dtype=np.float64)
    df = np.bincount(matrix.indices, minlength=len(vocabulary))
    matrix.data *= (np.log((1 + len(texts)) / (1 + df)) + 1.0)[matrix.indices]
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    matrix.data /= np.repeat(np.where(norms == 0, 1.0, norms), np.diff(matrix.indptr))
    return matrix


def _linked(matrix: csr_matrix, threshold: float) -> csr_matrix:
    """The graph of pairs of texts closer than `threshold` in cosine distance."""
    transposed = matrix.T.tocsc()
    parts = []
    for start in range(0, matrix.shape[0], ROWS_AT_ONCE):
        block = (matrix[start : start + ROWS_AT_ONCE] @ transposed).tocsr()
        block.data = np.where(1.0 - block.data < threshold, 1.0, 0.0)
        block.eliminate_zeros()
        parts.append(block)
    return vstack(parts, format="csr") if parts else csr_matrix((0, 0))


def _distances(rows: csr_matrix) -> np.ndarray:
    """The condensed cosine distances between `rows` (each pair once, in scipy's order), made a
    block of rows at a time: never a square matrix of them."""
    count = rows.shape[0]
    out = np.empty(count * (count - 1) // 2, dtype=np.float32)  # 200 MB for 10,000 texts
    transposed, at = rows.T.tocsc(), 0
    for start in range(0, count, ROWS_AT_ONCE):
        block = (rows[start : start + ROWS_AT_ONCE] @ transposed).toarray()
        for offset, similar in enumerate(block):
            after = similar[start + offset + 1 :]
            out[at : at + len(after)] = after
            at += len(after)
    np.subtract(1.0, out, out=out)
    return np.clip(out, 0.0, 2.0, out=out)


def cluster(texts: list[str], threshold: float) -> list[int]:
    """A label for each text: texts whose groups are, on average, closer than `threshold` in cosine
    distance share one. Labels are numbered in the order their first text comes."""
    if len(texts) < 2:
        return list(range(len(texts)))
    matrix = tfidf(texts)
    _, component = connected_components(_linked(matrix, threshold), directed=False)
    labels = np.full(len(texts), -1)
    members: dict[int, list[int]] = {}
    for index, c in enumerate(component):
        members.setdefault(int(c), []).append(index)
    for rows in members.values():
        if len(rows) == 1:
            flat = np.zeros(1, dtype=int)
        else:
            flat = _average_linkage(_distances(matrix[rows]), len(rows), threshold)
        labels[rows] = flat + labels.max() + 1
    return _in_order(labels)


def _average_linkage(distances: np.ndarray, count: int, threshold: float) -> np.ndarray:
    """Flat average-linkage clusters of `count` items from their condensed `distances` (changed in
    place): every merge at an average distance under `threshold` is made, none other. A nearest-
    neighbour chain (the order of merges differs from merging the closest pair first, the clusters
    do not: average linkage is reducible), with distances to a merged cluster updated as the
    size-weighted mean of its parts' (Lance-Williams). A cluster whose nearest is at `threshold` or
    past it never merges again (merging others only moves them further off on average): retired.
    Scipy's `linkage` would copy the distances and build the whole tree; this needs neither."""
    items = np.arange(count, dtype=np.int64)
    start = count * items - items * (items + 1) // 2 - items - 1  # (i, k), i < k, is at start[i] + k
    active, size, parent = np.ones(count, dtype=bool), np.ones(count), np.arange(count)

    def row(i: int) -> tuple[np.ndarray, np.ndarray]:
        where = start + i
        where[i:] = start[i] + items[i:]
        where[i] = 0  # (i, i) is no pair: read anywhere, masked below
        found = np.where(active, distances[where], np.inf)
        found[i] = np.inf
        return where, found

    chain: list[int] = []
    left = count
    while left:
        if not chain:
            chain.append(int(np.flatnonzero(active)[0]))
        a = chain[-1]
        where, near = row(a)
        b = int(np.argmin(near))
        if len(chain) > 1 and near[chain[-2]] == near[b]:
            b = chain[-2]  # on a tie, the one it came from: the chain never loops
        if not near[b] < threshold:
            active[a], left = False, left - 1
            chain.pop()
        elif len(chain) > 1 and b == chain[-2]:
            del chain[-2:]
            _, other = row(b)
            merged = (size[a] * near + size[b] * other) / (size[a] + size[b])
            keep = active.copy()
            keep[[a, b]] = False
            distances[where[keep]] = merged[keep]
            size[a] += size[b]
            active[b], parent[b], left = False, a, left - 1
        else:
            chain.append(b)
    for i in range(count):  # each item's cluster: the item it was last merged into
        while parent[parent[i]] != parent[i]:
            parent[i] = parent[parent[i]]
    return parent


def _in_order(labels: np.ndarray) -> list[int]:
    """The same partition, numbered 0, 1, 2… in the order each label first appears."""
    seen: dict[int, int] = {}
    return [seen.setdefault(int(label), len(seen)) for label in labels]
